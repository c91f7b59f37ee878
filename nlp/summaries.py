"""Per box × group summaries: up to three bullets with a direction, each traceable to
its comments, plus one "Enstaka synpunkter" bullet for themes resting on one commenter.

A bullet is a theme raised (in the text itself, not implied by the box) by at least two
commenters in that box and group.  Its statement says how many of them lean which way
("6 av 7 tjänstepersoner som skriver om ekonomi är kritiska: ”…”"): the direction is
the tone most of them share (more than half), else "delade meningar".  The quoted
sentence and the extra quote come from comments of that majority view (the plurality
when views are divided), so a box where most are critical never gets a positive quote.
Within a box no comment is quoted twice, and sentences too short to stand alone
("Men inte nu.") are not quoted.  Everything quoted is redacted text, verbatim: nothing
in a bullet that no comment says.

Every step is linear in the number of comments of the cell (one pass to count lemmas,
one pass over the sentences of the theme's comments), so a cell of 50,000 comments
costs as much per comment as one of five.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .classify import Classified
from .results import Bullet, Summary
from .taxonomy import Taxonomy
from .text import stop_words

MAX_BULLETS = 3
SINGLE_THEME = "enstaka"
MIN_WORDS = 5  # a quoted sentence has at least this many words ...
# ... and does not lean on the one before ("Men inte nu.", "Detta gör att ..."); "Det"
# opens too many sentences that stand alone ("Det finns en misstro ...") to count
DANGLING = frozenset({"men", "och", "så", "eller", "utan", "som", "vilket", "dock", "fast",
                      "då", "detta", "dessa", "därför", "dessutom"})

CONTACT = ("[e-post]", "[telefon]", "[personnummer]", "[adress]")  # as in Processed.words
DIRECTION_ORDER = ("neg", "pos", "neu")  # ties between views: the critical one first
TEXTS = {
    "sv": {
        "neg": "{n} av {count} {group} som skriver om {theme} är kritiska",
        "pos": "{n} av {count} {group} som skriver om {theme} är positiva",
        "neu": "{n} av {count} {group} som skriver om {theme} beskriver utan att värdera",
        "mixed": "{count} {group} skriver om {theme}, med delade meningar ({views})",
        "views": {"neg": ("kritisk", "kritiska"), "pos": ("positiv", "positiva"),
                  "neu": ("neutral", "neutrala")},
        "single_label": "Enstaka synpunkter",
        "single": "Enstaka synpunkter (en {group_one} per tema): {items}",
        "tone": {"neg": "kritisk", "pos": "positiv", "neu": "neutral"},
        "and": " och ",
    },
    "en": {
        "neg": "{n} of {count} {group} who write about {theme} are critical",
        "pos": "{n} of {count} {group} who write about {theme} are positive",
        "neu": "{n} of {count} {group} who write about {theme} describe it without judging",
        "mixed": "{count} {group} write about {theme}, with divided views ({views})",
        "views": {"neg": ("critical", "critical"), "pos": ("positive", "positive"),
                  "neu": ("neutral", "neutral")},
        "single_label": "Single views",
        "single": "Single views (one {group_one} per theme): {items}",
        "tone": {"neg": "critical", "pos": "positive", "neu": "neutral"},
        "and": " and ",
    },
}
ONE_COMMENTER = {"sv": "kommentar", "en": "comment"}


@dataclass(frozen=True)
class Item:
    """One comment as the summariser sees it."""

    id: str
    respondent: str
    result: Classified


def in_sentence(label: str) -> str:
    """A group label inside a sentence: "Officials" → "officials"; "KS-ledamöter" stays."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _content(result: Classified, start: int = 0, end: int | None = None) -> set[str]:
    stops = stop_words()
    doc = result.doc
    end = len(doc.lemmas) if end is None else end
    return {lemma for lemma, ok in zip(doc.lemmas[start:end], doc.is_word[start:end])
            if ok and len(lemma) > 2 and lemma not in stops}


def _centrality(lemmas: set[str], df: Counter, own: set[str] | None = None) -> float:
    """How much of what the others say these lemmas share (normalised for length)."""
    if not lemmas:
        return 0.0
    own = own if own is not None else lemmas
    shared = sum(df[w] - (1 if w in own else 0) for w in lemmas)
    return shared / len(lemmas) ** 0.5


def stands_alone(result: Classified, start: int, end: int) -> bool:
    """A sentence a reader understands without the one before it, and a view rather
    than contact details ("ring mig på [TELEFON]")."""
    if any(p in result.doc.words[start:end] for p in CONTACT):
        return False
    words = [w for w, ok in zip(result.doc.words[start:end], result.doc.is_word[start:end]) if ok]
    return len(words) >= MIN_WORDS and words[0] not in DANGLING


def direction(members: Sequence[Item]) -> tuple[str, int, Counter]:
    """("neg" | "pos" | "neu" | "mixed", commenters sharing the majority view, tone
    counts).  One tone per commenter: their comments' most frequent one."""
    per_respondent: dict[str, Counter] = {}
    for m in members:
        per_respondent.setdefault(m.respondent, Counter())[m.result.sentiment] += 1
    tones = Counter(max(DIRECTION_ORDER, key=lambda t: (c[t], -DIRECTION_ORDER.index(t)))
                    for c in per_respondent.values())
    top = max(DIRECTION_ORDER, key=lambda t: (tones[t], -DIRECTION_ORDER.index(t)))
    if 2 * tones[top] > len(per_respondent):
        return top, tones[top], tones
    return "mixed", tones[top], tones


def _quote_views(tone: str, tones: Counter) -> list[str]:
    """The tones quotes may come from: the majority's alone; when views are divided,
    each view that has comments, the larger first."""
    if tone != "mixed":
        return [tone]
    return sorted((t for t in DIRECTION_ORDER if tones[t]),
                  key=lambda t: (-tones[t], DIRECTION_ORDER.index(t)))


def _pick(members: list[Item], theme: str, taxonomy: Taxonomy, view: str,
          used: set[str]) -> tuple[str | None, str, str]:
    """(comment id of the quoted sentence, the sentence, the extra whole-comment quote).

    Only unused comments of ``view`` are quoted; among their sentences that name the
    theme and stand alone, the one sharing most vocabulary with the other comments."""
    df: Counter = Counter()
    bags = {}
    for m in members:
        bags[m.id] = _content(m.result)
        df.update(bags[m.id])
    pool = [(order, m) for order, m in enumerate(members)
            if m.result.sentiment == view and m.id not in used]
    best: tuple[float, int, str, str] | None = None
    fallback: tuple[float, int, str, str] | None = None  # a standalone sentence, theme unnamed
    for order, m in pool:
        doc = m.result.doc
        for s_start, s_end, s_text in doc.sentences:
            if not stands_alone(m.result, s_start, s_end):
                continue
            centre = _centrality(_content(m.result, s_start, s_end), df, bags[m.id])
            hits = taxonomy.matcher.find(doc.words[s_start:s_end], doc.lemmas[s_start:s_end])
            weight = sum(h.weight for h in hits if h.key == theme)
            if weight > 0:
                cand = (min(weight, 2.0) + centre, -order, m.id, s_text)
                best = cand if best is None or cand > best else best
            elif best is None:
                cand = (centre, -order, m.id, s_text)
                fallback = cand if fallback is None or cand > fallback else fallback
    chosen = best or fallback
    if chosen is None:
        return None, "", ""
    statement_id, sentence = chosen[2], chosen[3].strip()
    quote_best: tuple[float, int, str] | None = None
    for order, m in pool:
        if m.id == statement_id or len([w for w in m.result.doc.is_word if w]) < MIN_WORDS:
            continue
        cand = (_centrality(bags[m.id], df), -order, m.id)
        quote_best = cand if quote_best is None or cand > quote_best else quote_best
    quote = ""
    if quote_best is not None:
        used.add(quote_best[2])
        quote = next(m.result.text for m in members if m.id == quote_best[2]).strip()
    used.add(statement_id)
    return statement_id, sentence, quote


def _bullet(theme: str, label: str, members: list[Item], of: int, group_label: str,
            taxonomy: Taxonomy, lang: str, used: set[str]) -> Bullet:
    """One bullet with a direction; ``used`` holds the comment ids the box has already
    quoted (updated here)."""
    texts = TEXTS.get(lang, TEXTS["sv"])
    tone, n, tones = direction(members)
    count = len({m.respondent for m in members})
    sentence = quote = ""
    for view in _quote_views(tone, tones):
        _, sentence, quote = _pick(members, theme, taxonomy, view, used)
        if sentence:
            break
    theme_text = label[:1].lower() + label[1:]
    views = ", ".join(f"{tones[t]} {texts['views'][t][tones[t] != 1]}"
                      for t in DIRECTION_ORDER if tones[t])
    head = texts[tone].format(n=n, count=count, group=in_sentence(group_label), theme=theme_text,
                              views=views)
    opening, closing = ("“", "”") if lang == "en" else ("”", "”")
    statement = f"{head}: {opening}{sentence}{closing}" if sentence else f"{head}."
    return Bullet(theme, label, count, of, statement, quote, tuple(m.id for m in members),
                  tone, n)


def _single_bullet(singles: list[tuple[str, str, list[Item]]], of: int, lang: str) -> Bullet:
    """Themes raised by one commenter each, named with that comment's tone."""
    texts = TEXTS.get(lang, TEXTS["sv"])
    items = [f"{label[:1].lower() + label[1:]} ({texts['tone'][members[0].result.sentiment]})"
             for _, label, members in singles]
    joined = ", ".join(items[:-1]) + texts["and"] + items[-1] if len(items) > 1 else items[0]
    ids = tuple(dict.fromkeys(m.id for _, _, members in singles for m in members))
    respondents = {m.respondent for _, _, members in singles for m in members}
    statement = texts["single"].format(group_one=ONE_COMMENTER.get(lang, "kommentar"),
                                       items=joined) + "."
    return Bullet(SINGLE_THEME, texts["single_label"], len(respondents), of, statement, "",
                  ids, "single", len(respondents))


def summarise(
    items: Sequence[Item], box: str, group: str, *, taxonomy: Taxonomy,
    group_label: Callable[[str], str], lang: str = "sv",
    extra_themes: Sequence[tuple[str, str, Sequence[str]]] = (),
) -> Summary:
    """Summary of one box × group.  ``extra_themes`` (id, label, comment ids) fill
    remaining bullets, e.g. emergent themes."""
    informative = [it for it in items if it.result.informative]
    of = len({it.respondent for it in informative})
    by_theme: dict[str, list[Item]] = {}
    for it in informative:
        for theme in it.result.text_themes:  # raised in the text, not implied by the box
            by_theme.setdefault(theme, []).append(it)
    n_people = {t: len({m.respondent for m in ms}) for t, ms in by_theme.items()}
    ranked = sorted(by_theme, key=lambda t: (-n_people[t], taxonomy.order.get(t, 99)))
    shared = [t for t in ranked if n_people[t] >= 2]
    singles = [t for t in ranked if n_people[t] == 1]
    # Themes with the fewest comments choose their quotes first (they have the least
    # choice); the bullets are then shown in rank order.
    used: set[str] = set()
    chosen = shared[:MAX_BULLETS]
    rank = {t: n for n, t in enumerate(chosen)}
    built = {t: _bullet(t, taxonomy.label(t, lang), by_theme[t], of, group_label(group),
                        taxonomy, lang, used)
             for t in sorted(chosen, key=lambda t: (len(by_theme[t]), rank[t]))}
    bullets = [built[t] for t in chosen]
    by_id = {it.id: it for it in informative}
    for theme_id, label, ids in extra_themes:
        if len(bullets) >= MAX_BULLETS:
            break
        members = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
        if len({m.respondent for m in members}) >= 2:
            bullets.append(_bullet(theme_id, label, members, of, group_label(group),
                                   taxonomy, lang, used))
    if singles:
        bullets.append(_single_bullet(
            [(t, taxonomy.label(t, lang), by_theme[t]) for t in singles], of, lang))
    return Summary(box, group, of, tuple(bullets))
