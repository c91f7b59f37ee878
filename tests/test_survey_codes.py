"""Codes are read only when their meaning is declared, and then any declared meaning reads the same.

The property: whatever code → label mapping a file declares (codebook or SPSS value labels),
reading it gives exactly the results of the labelled file. Undeclared numeric codes are refused.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillit.survey import ExportMappingError, compute_results, count_answers, read_export
from tests import export_shapes as shapes
from tillit.cli import main

LABELLED = shapes.labelled()


def _labelled_results(tmp: Path):
    p = tmp / "etiketter.csv"
    LABELLED.to_csv(p, index=False)
    data = read_export(p)
    return count_answers(data).as_nested(), compute_results(count_answers(data)).to_dict()


def _codes_strategy():
    def scale_codes(labels):
        return st.lists(st.integers(0, 99), min_size=len(labels), max_size=len(labels), unique=True).map(
            lambda codes: dict(zip(labels, codes)))
    per_scale = st.fixed_dictionaries({sid: scale_codes(s.all_labels) for sid, s in shapes.INST.scales.items()})
    groups = st.lists(st.integers(1, 9), min_size=2, max_size=2, unique=True).map(
        lambda c: dict(zip([g.answers[0] for g in shapes.INST.groups], c)))
    return per_scale, groups


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(per_scale=_codes_strategy()[0], groups=_codes_strategy()[1], spss=st.booleans())
def test_any_declared_permutation_gives_the_labelled_results(per_scale, groups, spss):
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        want_counts, want_results = _labelled_results(tmp)
        coded = shapes.coded_frame(LABELLED, per_scale, groups)
        if spss:
            import pyreadstat

            coded = coded.astype({c: float for c in coded.columns if not c.startswith("kom")})
            labels = {"grupp": {float(c): lbl for lbl, c in groups.items()}}
            for k, q in enumerate(shapes.INST.questions, start=1):
                labels[f"q{k}"] = {float(c): lbl for lbl, c in per_scale[q.scale].items()}
            col_labels = (["Löpnummer", shapes.GQ] + [q.text for q in shapes.INST.questions]
                          + [b.text for b in shapes.BOXES])
            p = tmp / "kodad.sav"
            pyreadstat.write_sav(coded, str(p), column_labels=col_labels, variable_value_labels=labels)
            data = read_export(p)
        else:
            p = tmp / "kodad.csv"
            coded.to_csv(p, index=False, sep=";")
            data = read_export(p, codebook=shapes.write_codebook(tmp / "kodbok.csv", per_scale, groups))
        assert count_answers(data).as_nested() == want_counts
        assert compute_results(count_answers(data)).to_dict() == want_results


def test_reversed_codes_without_codebook_are_refused_naming_columns_codes_and_both_fixes(tmp_path):
    case = shapes.coded_without_codebook(tmp_path)
    with pytest.raises(ExportMappingError) as err:
        read_export(case.path)
    text = err.value.render()
    assert f"'{shapes.GQ}' (koder 1, 2)" in text
    q = shapes.INST.questions[0]
    reversed_code = {"Till stor del": 1, "Till viss del": 2, "Till liten del": 3, "Nej": 4, "Vet ej": 9}
    present = sorted({reversed_code[lbl] for g in shapes.SPEC[q.id].values() for lbl in g})
    assert f"'{q.text[:50]}' (koder {', '.join(map(str, present))})" in text
    assert "--codebook" in text and "--codes instrument" in text


def test_instrument_codes_only_when_chosen_and_shown_by_inspect(tmp_path):
    per_scale = {sid: {x.label: x.code for x in (*s.steps, *s.dont_know)} for sid, s in shapes.INST.scales.items()}
    groups = {g.answers[0]: g.code for g in shapes.INST.groups}
    p = tmp_path / "egna_koder.csv"
    shapes.coded_frame(LABELLED, per_scale, groups, texts=True).to_csv(p, index=False, sep=";")
    with pytest.raises(ExportMappingError):
        read_export(p)
    data = read_export(p, codes="instrument")
    assert count_answers(data).as_nested() == shapes.expected()
    q = shapes.INST.questions[0]
    own = {"1": "Nej", "2": "Till liten del", "3": "Till viss del", "4": "Till stor del", "9": "Vet ej"}
    present = {lbl for g in shapes.SPEC[q.id].values() for lbl in g}
    assert data.source.code_maps[q.text] == {c: lbl for c, lbl in own.items() if lbl in present}
    res = CliRunner().invoke(main, ["inspect", str(p), "--codes", "instrument"])
    assert res.exit_code == 0, res.output
    assert "Koder → svar" in res.output and "1 = Nej" in res.output and "1 = Förtroendevald" in res.output
    refused = CliRunner().invoke(main, ["results", str(p)])
    assert refused.exit_code != 0 and "--codes instrument" in refused.output


def test_codebook_mapping_is_shown_by_inspect(tmp_path):
    case = shapes.coded_with_codebook(tmp_path, seed=11)
    res = CliRunner().invoke(main, ["inspect", str(case.path), "--codebook", str(case.kwargs["codebook"])])
    assert res.exit_code == 0, res.output
    per_scale, groups = shapes._permuted_codes(11)
    assert f"{per_scale['s4']['Nej']} = Nej" in res.output


def test_results_json_carries_notes_and_comment_counts(tmp_path):
    case = shapes.duplicate_identical(tmp_path)
    res = CliRunner().invoke(main, ["results", str(case.path), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert any("räknas en gång" in n for n in out["notes"])
    assert out["comments"] == shapes.comments_per_box()
    assert out["respondents"] == shapes.RESPONDENTS


def test_results_csv_prints_notes_on_stderr(tmp_path):
    case = shapes.summary_row(tmp_path)
    res = CliRunner().invoke(main, ["results", str(case.path), "--format", "csv"])
    assert res.exit_code == 0, res.stderr
    assert "totalrad" in res.stderr
    assert "totalrad" not in res.stdout
    frame = pd.read_csv(pd.io.common.StringIO(res.stdout))
    assert {"question_id", "group", "label", "count"} <= set(frame.columns)


def test_comments_command_accepts_an_export(tmp_path):
    p = tmp_path / "export.xlsx"
    LABELLED.to_excel(p, index=False)
    res = CliRunner().invoke(main, ["comments", str(p), "--format", "json", "--threshold", "1"])  # every comment
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert len(out["comments"]) == sum(shapes.comments_per_box().values())


def test_numbers_beside_answer_texts_are_codes_too(tmp_path):
    """'Vet ej' written out but the scale steps as 1–4: the numbers are undeclared codes."""
    frame = LABELLED.copy()
    q = shapes.INST.question("tillit").text
    own = {"Nej": "1", "Till liten del": "2", "Till viss del": "3", "Till stor del": "4", "Vet ej": "Vet ej"}
    frame[q] = frame[q].map(lambda v: own.get(v, v))
    p = tmp_path / "blandat.csv"
    frame.to_csv(p, index=False)
    with pytest.raises(ExportMappingError) as err:
        read_export(p)
    assert "--codes instrument" in err.value.render() and "koder 1" in err.value.render()
    assert count_answers(read_export(p, codes="instrument")).as_nested() == shapes.expected()


def test_codes_match_however_they_are_written(tmp_path):
    """The codebook says 01, 02 …; the file has 1, 2.0, "3,0": the same codes."""
    per_scale, groups = shapes._permuted_codes(21)
    coded = shapes.coded_frame(LABELLED, per_scale, groups).astype(object)
    writes = [lambda c: f"{c}.0", lambda c: f"{c},0", lambda c: f" {c} "]
    for k, col in enumerate([c for c in coded.columns if c.startswith("q")]):
        coded[col] = coded[col].map(lambda v, k=k: v if pd.isna(v) else writes[k % 3](int(v)))
    p = tmp_path / "koder.csv"
    coded.to_csv(p, index=False, sep=";")
    kb = shapes.write_codebook(tmp_path / "kodbok.csv", per_scale, groups)
    book = pd.read_csv(kb, sep=";", dtype=str)
    book["kod"] = book["kod"].map(lambda v: v if pd.isna(v) else f"0{int(float(v))}")
    book.to_csv(kb, sep=";", index=False)
    data = read_export(p, codebook=kb)
    assert count_answers(data).as_nested() == shapes.expected()


def test_a_labelled_no_answer_code_is_a_blank_with_a_warning(tmp_path):
    """99 'Ej svar' in the codebook, not declared missing: still no answer, so a blank (and said)."""
    per_scale, groups = shapes._permuted_codes(22)
    coded = shapes.coded_frame(LABELLED, per_scale, groups)
    blanks = coded.index[coded["q2"].isna()]
    coded.loc[blanks, "q2"] = 99
    p = tmp_path / "ej_svar.csv"
    coded.to_csv(p, index=False, sep=";")
    kb = shapes.write_codebook(tmp_path / "kodbok.csv", per_scale, groups)
    with kb.open("a", encoding="utf-8") as fh:
        fh.write(f"q2;{shapes.INST.questions[1].text};99;Ej svar\n")
    data = read_export(p, codebook=kb)
    assert count_answers(data).as_nested() == shapes.expected()
    assert any("'Ej svar' betyder uteblivet svar" in w and f"({len(blanks)} svar)" in w for w in data.source.warnings)
