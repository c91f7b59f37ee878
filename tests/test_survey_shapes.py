"""The raw downloads of real survey tools (tests/export_shapes.py): each is read exactly or refused.

An exit 0 with a wrong count is the failure these tests exist for: every readable case is
compared with the counts the corpus was built from, not with another reading.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tillit.survey import TillitError, count_answers, read_export
from tests import export_shapes as shapes
from tillit.cli import main

CASES = {b.__name__: b for b in shapes.BUILDERS}


@pytest.mark.parametrize("name", list(CASES))
def test_shape_is_read_exactly_or_refused(tmp_path, name):
    case = CASES[name](tmp_path)
    if case.refuse:
        with pytest.raises(TillitError) as err:
            read_export(case.path, **case.kwargs)
        text = err.value.render()
        assert case.refuse in text, text
        assert case.path.name in text
        return
    data = read_export(case.path, **case.kwargs)
    assert data.respondents_per_group() == (case.respondents or shapes.RESPONDENTS)
    assert count_answers(data).as_nested() == (case.counts or shapes.expected())
    if case.warns:
        assert any(case.warns in w for w in data.source.warnings), data.source.warnings
    if case.comments:
        got = data.comments["box_id"].value_counts()
        assert {b: int(got.get(b, 0)) for b in case.comments} == case.comments


@pytest.mark.parametrize("name", list(CASES))
def test_shape_on_the_command_line_never_tracebacks(tmp_path, name):
    case = CASES[name](tmp_path)
    args = ["results", str(case.path), "--format", "json"]
    for k, v in case.kwargs.items():
        args += [f"--{k}", str(v)]
    res = CliRunner().invoke(main, args)
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    if case.refuse:
        assert res.exit_code != 0 and case.refuse in res.output
    else:
        assert res.exit_code == 0, res.output


def test_an_unmatched_free_text_column_is_reported_not_dropped_silently(tmp_path):
    frame = shapes.labelled()
    frame["Vad vill du tillägga till politikerna?"] = [f"Svar nummer {i} med några ord om samarbetet." if i % 2 else None
                                                       for i in range(len(frame))]
    p = tmp_path / "fritext.csv"
    frame.to_csv(p, index=False)
    data = read_export(p)
    assert any("Vad vill du tillägga" in w and "fritext" in w for w in data.source.warnings)
    assert count_answers(data).as_nested() == shapes.expected()


def test_a_generic_comment_header_is_reported_with_the_closest_box(tmp_path):
    frame = shapes.labelled().rename(columns={shapes.BOXES[-1].text: "Synpunkter"})
    p = tmp_path / "kommentar.csv"
    frame.to_csv(p, index=False)
    data = read_export(p)
    assert any("'Synpunkter'" in w and "kommentar_ovrigt" in w for w in data.source.warnings), data.source.warnings
    assert "kommentar_ovrigt" not in set(data.comments["box_id"])
