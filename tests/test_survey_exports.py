"""Every public export reads with the default instrument and reproduces facit.json exactly."""

import json

import pytest

from tillit.survey import count_answers, read_export

CASES = [
    ("exempelby_2025_netigate.xlsx", {}),
    ("sjostad_2025_msforms.xlsx", {}),
    ("norrvik_2024_googleforms.csv", {}),
    ("bergsala_2025_semikolon.csv", {"codebook": "bergsala_2025_semikolon_kodbok.csv"}),
    ("angsholm_2024_spss.sav", {}),
]


@pytest.mark.parametrize("name,kw", CASES, ids=[c[0] for c in CASES])
def test_export_reproduces_facit(shared_exports, name, kw):
    facit = json.loads((shared_exports / "facit.json").read_text("utf-8"))[name]
    kw = {k: shared_exports / v for k, v in kw.items()}
    data = read_export(shared_exports / name, **kw)
    assert data.respondents_per_group() == facit["respondents"]
    assert count_answers(data).as_nested() == facit["questions"]


@pytest.mark.parametrize("name,kw", CASES, ids=[c[0] for c in CASES])
def test_comments_land_in_the_right_box(shared_exports, name, kw):
    """Comment texts are matched back to the labelled comments: the same ids per box as facit."""
    import pandas as pd

    facit = json.loads((shared_exports / "facit.json").read_text("utf-8"))[name]["comments"]
    public = pd.read_csv(shared_exports.parent / "comments_public.csv")
    by_text = {" ".join(t.split()): i for t, i in zip(public["comment"], public["id"])}
    kw = {k: shared_exports / v for k, v in kw.items()}
    data = read_export(shared_exports / name, **kw)
    got: dict[str, set] = {}
    for row in data.comments.itertuples():
        cid = by_text.get(" ".join(str(row.text).split()))
        if cid:
            got.setdefault(row.box_id, set()).add(cid)
    assert got == {box: set(ids) for box, ids in facit.items()}


def test_personal_columns_are_dropped_and_reported(shared_exports):
    data = read_export(shared_exports / "sjostad_2025_msforms.xlsx")
    assert {"E-post", "Namn"} <= set(data.source.dropped)
    for frame in (data.responses, data.respondents, data.comments):
        assert not {"E-post", "Namn"} & set(frame.columns)
    assert "personuppgift" in data.source.dropped["Namn"]


def test_conditional_question_answered_by_non_eligible_is_flagged(shared_exports):
    data = read_export(shared_exports / "exempelby_2025_netigate.xlsx")
    r = data.responses
    vi = r[r["question_id"] == "vision_innehall"].set_index("respondent_id")
    vision = r[r["question_id"] == "vision"].set_index("respondent_id")["label"]
    expected = (~vi["blank"]) & (vision.reindex(vi.index) != "Ja")
    assert vi["ineligible"].sum() == expected.sum() > 0
    assert any("vision_innehall" in w for w in data.source.warnings)
