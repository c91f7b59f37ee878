"""Workshop notes: merging near-duplicates, typing, ranking, tiny live inputs."""

import pandas as pd
import pytest

from nlp import analyse_dialogue
from nlp.dialogue import note_kind
from nlp.text import process


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
