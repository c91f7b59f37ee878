"""Summaries with a direction: majority view quoted, no comment quoted twice in a box,
fragments not quoted, themes resting on one commenter under "Enstaka synpunkter"."""

from dataclasses import replace

import pytest

from tillit.nlp.classify import classify_texts
from tillit.nlp.summaries import SINGLE_THEME, Item, direction, summarise
from tillit.nlp.taxonomy import load_taxonomy

LABELS = {"tjansteperson": "tjänstepersoner", "politiker": "förtroendevalda"}


def items(rows):
    """rows: (id, text, sentiment) -> Items with the given tone (the tone model is not
    what is tested here)."""
    results = classify_texts([r[1] for r in rows])
    return [Item(r[0], r[0], replace(res, sentiment=r[2])) for r, res in zip(rows, results)]


def run(rows, lang="sv"):
    return summarise(items(rows), "ekonomi_box", "tjansteperson", taxonomy=load_taxonomy(),
                     group_label=LABELS.get, lang=lang)


def source_of(fragment, rows):
    return {r[0] for r in rows if fragment and fragment in r[1]}


CRITICAL_BOX = [
    # the positive comment shares the most vocabulary with the others: a centrality-only
    # choice would quote it
    ("p1", "Budgeten och prognosen och uppföljningen av ekonomin fungerar mycket bra hos oss.", "pos"),
    ("n1", "Budgeten är lagd utan hänsyn till hur verksamheten faktiskt ser ut.", "neg"),
    ("n2", "Prognosen för ekonomin kommer alldeles för sent till nämnden.", "neg"),
    ("n3", "Uppföljningen av budgeten saknar analys av orsakerna till underskottet.", "neg"),
    ("n4", "Ekonomin redovisas i tabeller som ingen i nämnden förstår.", "neg"),
]


def test_critical_majority_never_gets_a_positive_quote():
    summary = run(CRITICAL_BOX)
    bullet = next(b for b in summary.bullets if b.theme == "ekonomi")
    assert bullet.direction == "neg"
    assert bullet.direction_count == 4 and bullet.count == 5
    assert bullet.statement.startswith("4 av 5 tjänstepersoner som skriver om ekonomi")
    assert "är kritiska: ”" in bullet.statement
    sentence = bullet.statement.split("”")[1]
    assert source_of(sentence, CRITICAL_BOX) <= {"n1", "n2", "n3", "n4"}
    assert source_of(sentence, CRITICAL_BOX)
    assert source_of(bullet.quote, CRITICAL_BOX) <= {"n1", "n2", "n3", "n4"}
    assert set(bullet.comment_ids) == {"p1", "n1", "n2", "n3", "n4"}


def test_positive_majority_quotes_a_positive_comment():
    rows = [(i, t, {"pos": "neg", "neg": "pos"}.get(s, s)) for i, t, s in CRITICAL_BOX]
    bullet = next(b for b in run(rows).bullets if b.theme == "ekonomi")
    assert bullet.direction == "pos"
    assert source_of(bullet.statement.split("”")[1], rows) <= {"n1", "n2", "n3", "n4"}


def test_divided_views_are_called_divided():
    rows = [("a", "Budgeten är realistisk och väl förankrad i verksamheten.", "pos"),
            ("b", "Budgeten är inte realistisk för verksamheterna i år.", "neg"),
            ("c", "Budgeten följs upp varje månad i nämnden enligt plan.", "neu")]
    bullet = next(b for b in run(rows).bullets if b.theme == "ekonomi")
    assert bullet.direction == "mixed"
    assert "delade meningar (1 kritisk, 1 positiv, 1 neutral)" in bullet.statement


def test_no_comment_is_quoted_twice_in_a_box():
    # every comment raises the same three themes, so every bullet competes for them
    rows = [
        (f"c{i}", f"Budgeten styr målen och rollerna är oklara, exempel {i} av hur ekonomin "
                  f"och målstyrningen och ansvaret krockar.", "neg")
        for i in range(4)
    ]
    summary = run(rows)
    shared = [b for b in summary.bullets if b.theme != SINGLE_THEME]
    assert len(shared) >= 2
    quoted = []
    for b in shared:
        sentence = b.statement.split("”")[1] if "”" in b.statement else ""
        quoted += list(source_of(sentence, rows)) if sentence else []
        quoted += list(source_of(b.quote, rows)) if b.quote else []
    # a sentence repeated in several comments could match more than one: here each
    # text is distinct, so each quote names exactly one comment
    assert len(quoted) == len(set(quoted))


def test_fragments_too_short_to_stand_alone_are_not_quoted():
    rows = [("a", "Ekonomin. Men inte budgeten.", "neg"),
            ("b", "Budgeten för nästa år bygger på en prognos som alla vet är fel.", "neg"),
            ("c", "Budget? Nej.", "neg")]
    bullet = next(b for b in run(rows).bullets if b.theme == "ekonomi")
    assert "”Budgeten för nästa år bygger på en prognos som alla vet är fel.”" in bullet.statement
    assert bullet.quote == ""  # the others are fragments


def test_a_single_comment_theme_is_listed_under_enstaka_synpunkter():
    rows = CRITICAL_BOX + [("k1", "Vi har aldrig fått någon utbildning i kommunallagen.", "neg")]
    summary = run(rows)
    themes = [b.theme for b in summary.bullets]
    assert "kompetens" not in themes
    single = summary.bullets[-1]
    assert single.theme == SINGLE_THEME and single.theme_label == "Enstaka synpunkter"
    assert single.statement.startswith("Enstaka synpunkter")
    assert "kompetens" in single.statement.lower() and "(kritisk)" in single.statement
    assert "k1" in single.comment_ids and single.count >= 1
    assert single.direction == "single"


def test_english_statements():
    bullet = next(b for b in run(CRITICAL_BOX, lang="en").bullets if b.theme == "ekonomi")
    assert bullet.statement.startswith("4 of 5 tjänstepersoner who write about")
    assert "are critical: “" in bullet.statement


@pytest.mark.parametrize("tones,expected", [
    (["neg", "neg", "pos"], ("neg", 2)),
    (["neg", "pos"], ("mixed", 1)),
    (["neu", "neu", "neu", "pos"], ("neu", 3)),
])
def test_direction_needs_more_than_half(tones, expected):
    rows = [(f"x{i}", "Budgeten kommer sent till nämnden.", t) for i, t in enumerate(tones)]
    tone, n, _ = direction(items(rows))
    assert (tone, n) == expected


def test_one_tone_per_commenter():
    # one person writing three critical comments counts once
    rows = [("a", "Budgeten är fel.", "neg"), ("b", "Prognosen är fel.", "neg"),
            ("c", "Ekonomin är fel.", "neg"), ("d", "Budgeten är bra.", "pos"),
            ("e", "Budgeten är bra nu.", "pos")]
    its = items(rows)
    its = [replace(it, respondent="same") if it.id in {"a", "b", "c"} else it for it in its]
    tone, n, tones = direction(its)
    assert tones == {"neg": 1, "pos": 2} and tone == "pos" and n == 2


def test_contact_lines_are_not_quoted():
    rows = [("a", "Budgeten för nästa år är orealistisk. Ring mig gärna på 070-123 45 67 om budgeten.", "neg"),
            ("b", "Budgeten kommer alldeles för sent till nämnden varje år.", "neg")]
    summary = run(rows)
    bullet = next(b for b in summary.bullets if b.theme == "ekonomi")
    assert "[TELEFON]" not in bullet.statement


def test_a_sentence_opening_with_det_can_stand_alone():
    rows = [("a", "Det finns en misstro mot förvaltningen som tar mycket tid.", "neg"),
            ("b", "Det saknas förtroende för vår bedömning i flera nämnder.", "neg")]
    bullet = next(b for b in run(rows).bullets if b.theme == "tillit")
    assert "”Det " in bullet.statement and bullet.quote.startswith("Det ")
