"""Each rule of tillit.survey.privacy on its own, and that the callers use it (the same figures
hidden in the survey results, the benchmark profiles, the analysis object and `tillit comments`)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from tillit.survey import privacy


def test_too_few_and_a_cell():
    assert privacy.too_few(4, 5) and privacy.too_few(0, 5) and privacy.too_few(None, 5)
    assert not privacy.too_few(5, 5)
    assert privacy.cell_hidden(4, 20, 5)  # few answered the question
    assert privacy.cell_hidden(12, 4, 5)  # the group is small
    assert not privacy.cell_hidden(5, 5, 5)


def test_hidden_groups_and_their_sizes():
    resp = {"politiker": 3, "tjansteperson": 12, "ovrig": 0}
    assert privacy.hidden_groups(resp, 5) == ["politiker"]  # 0: nothing to hide
    assert privacy.hidden_groups({"a": None, "b": 9}, 5) == ["a"]  # an already blanked size
    assert privacy.shown_sizes(resp, 5) == {"politiker": None, "tjansteperson": 12, "ovrig": 0}
    assert privacy.shown_sizes(resp, 3) == resp
    assert privacy.shown_groups(resp, 5) == {"tjansteperson"}


def test_the_total_that_would_reveal_a_hidden_group():
    assert privacy.total_hidden([(True, 3), (False, 20)])
    assert not privacy.total_hidden([(True, 0), (False, 20)])  # a group without answers reveals nothing
    assert not privacy.total_hidden([(False, 9), (False, 20)])


def test_an_area_with_a_hidden_question():
    assert privacy.area_hidden([50.0, None]) and privacy.area_hidden([])
    assert not privacy.area_hidden([50.0, 60.0])
    arr = np.array([[50.0, np.nan], [50.0, 60.0]])
    assert privacy.areas_hidden(arr).tolist() == [True, False]


def test_the_array_rules_equal_the_scalar_ones():
    rng = np.random.default_rng(7)
    answers = rng.integers(0, 12, size=(30, 4, 3))
    answers[:, :, 2] = answers[:, :, :2].sum(axis=2)
    resp = rng.integers(0, 12, size=(30, 2))
    hidden = privacy.hidden_cells(answers.copy(), resp, 5)
    for w in range(30):
        for q in range(4):
            groups = [privacy.cell_hidden(int(answers[w, q, g]), int(resp[w, g]), 5) for g in range(2)]
            assert hidden[w, q, :2].tolist() == groups
            total = privacy.too_few(int(answers[w, q, 2]), 5) or privacy.total_hidden(
                zip(groups, resp[w].tolist()))
            assert bool(hidden[w, q, 2]) == total


def test_comment_summaries_and_groups():
    comments = {"comments": [{"id": "1", "box": "x", "group": "a", "text": "Min kollega Kim slutar."},
                             {"id": "2", "box": "x", "group": "b", "text": "Bra."},
                             {"id": "3", "box": "y", "group": "b", "text": "Ensam kommentar."},
                             {"id": "4", "box": "z", "group": "a", "text": "Utan sammanfattning."}],
                "summaries": [{"box": "x", "group": "a", "n_commenters": 2, "bullets": [{"quote": "Kim"}]},
                              {"box": "x", "group": "b", "n_commenters": 7, "bullets": [{"quote": "Bra."}]},
                              {"box": "y", "group": "b", "n_commenters": 1, "bullets": [{"quote": "Ensam"}]}],
                "distinctive_words": {"a": [{"term": "kim"}], "b": []}}
    out = privacy.suppress_comment_summaries(comments, 5)
    assert [(s["suppressed"], len(s["bullets"])) for s in out["summaries"]] == [(True, 0), (False, 1), (True, 0)]
    # the comments of a cell too small to summarise are quoted nowhere (a cell without a
    # summary is judged by its number of comments)
    assert [c["id"] for c in out["comments"]] == ["2"]
    assert out["withheld"] == [{"box": "x", "group": "a"}, {"box": "y", "group": "b"}, {"box": "z", "group": "a"}]
    out = privacy.withhold_small_comment_groups(out, {"a": 2, "b": 7}, 5)
    assert [c["text"] for c in out["comments"]] == ["Bra."]
    assert out["distinctive_words"]["a"] == [] and out["withheld_groups"] == ["a"]
    assert privacy.suppress_comment_summaries(None, 5) is None


def test_callers_agree_with_the_rules():
    """compute_results, the benchmark profile and the analysis object hide the same cells."""
    from tillit import survey
    from tillit.analysis import build_analysis
    from tillit.benchmarks.compare import profile
    from tests.samples import sample_counts

    inst = survey.load_instrument()
    nested, resp = sample_counts(small_group="tjansteperson")
    table = survey.counts_from_nested(inst, nested, resp)
    res = survey.compute_results(table, threshold=5)
    assert res.hidden_groups == privacy.hidden_groups(resp, 5) == ["tjansteperson"]
    prof = profile(table, 5)
    for qid, cells in res.questions.items():
        for g, cell in cells.items():
            assert cell.suppressed == (prof[qid][g].index is None), (qid, g)
    a = build_analysis(inst, res, municipality="Exempelby", year=2025)
    assert a.hidden_groups == ["tjansteperson"] and a.respondents["tjansteperson"] is None
    assert a.group_hidden("tjansteperson") and not a.group_hidden("politiker")
    for dims in a.results["dimensions"].values():
        assert dims["tjansteperson"] is None and dims["alla"] is None


def test_an_old_analysis_without_the_list_gets_it_from_the_rule():
    from tests.samples import sample_analysis
    from tillit.analysis import WorkshopAnalysis

    d = sample_analysis(small_group="tjansteperson").to_dict()
    d.pop("hidden_groups")
    d["respondents"]["tjansteperson"] = 3  # as written before sizes were blanked
    a = WorkshopAnalysis.from_dict(d)
    assert a.hidden_groups == ["tjansteperson"] and a.respondents["tjansteperson"] is None


CSV = "id,group,question_id,comment\n" + "".join(
    f"{i},politiker,roll_ansvar,Rollerna är otydliga och vi behöver prata om ansvaret {i}.\n" for i in range(1, 7)) + (
    "7,tjansteperson,roll_ansvar,Min chef Lisa Berg detaljstyr och rollerna är otydliga.\n"
    "8,tjansteperson,roll_ansvar,Rollerna är otydliga och ansvaret flyter mellan nämnd och förvaltning.\n")


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_comments_gives_no_summary_or_quote_for_a_group_below_the_threshold(tmp_path, fmt, monkeypatch):
    from tillit.commands.text import comments_command

    monkeypatch.delenv("TILLIT_THRESHOLD", raising=False)
    path = tmp_path / "k.csv"
    path.write_text(CSV, encoding="utf-8")
    res = CliRunner().invoke(comments_command, [str(path), "--format", fmt])
    assert res.exit_code == 0, res.output
    for word in ("detaljstyr", "flyter mellan", "Lisa", "Berg"):
        assert word not in res.output
    if fmt == "json":
        data = json.loads(res.output)
        small = [s for s in data["summaries"] if s["group"] == "tjansteperson"]
        assert small and all(s["suppressed"] and not s["bullets"] for s in small)
        assert any(s["bullets"] for s in data["summaries"] if s["group"] == "politiker")
        assert data["withheld_groups"] == ["tjansteperson"]
        # a group too small to summarise: its comments are not in the output at all
        assert not {"7", "8"} & {c["id"] for c in data["comments"]}
        assert {w["group"] for w in data["withheld"]} == {"tjansteperson"}
    else:
        assert "Färre än 5 kommenterade" in res.output
    # with a threshold of 2 the same group is summarised
    monkeypatch.setenv("TILLIT_THRESHOLD", "2")
    res = CliRunner().invoke(comments_command, [str(path), "--format", "json"])
    data = json.loads(res.output)
    assert not any(s["suppressed"] for s in data["summaries"]) and data["withheld_groups"] == []
