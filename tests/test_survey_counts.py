"""Counting from the wide answers agrees with the long table, per file and per municipality."""

import pandas as pd
import pytest

from tillit.survey import BLANK, CountTable, count_answers, count_by_municipality, load_instrument, read_export
from tillit.survey.readers import read_table
from tillit.survey.tidy import tidy

from .factory import national_frame, write
from .test_survey_exports import CASES


def counts_from_long_table(data) -> dict:
    """question -> group -> label -> n, straight from data.responses with plain pandas."""
    r = data.responses
    labels = r["label"].astype(object).where(r["label"].notna(), BLANK)
    out: dict = {}
    for (q, g, lbl), n in pd.DataFrame({"q": r["question_id"].astype(str), "g": r["group"].astype(str),
                                        "l": labels}).value_counts().items():
        out.setdefault(q, {}).setdefault(g, {})[lbl] = int(n)
    return out


@pytest.mark.parametrize("name,kw", CASES, ids=[c[0] for c in CASES])
def test_wide_counts_equal_long_table_counts(shared_exports, name, kw):
    data = read_export(shared_exports / name, **{k: shared_exports / v for k, v in kw.items()})
    table = count_answers(data)
    assert table.as_nested() == counts_from_long_table(data)
    inel = data.responses[data.responses["ineligible"]]
    expected = {}
    for (q, g), n in inel.groupby(["question_id", "group"], observed=True).size().items():
        expected.setdefault(q, {})[g] = int(n)
    assert table.ineligible == expected


def test_count_by_municipality_equals_each_municipality_read_alone(tmp_path):
    frame = national_frame()
    data = read_export(write(frame, tmp_path / "national.csv"))
    tables = count_by_municipality(data)
    assert sorted(tables) == ["Alby", "Bstad", "Cvik"]
    for name, table in tables.items():
        alone = frame[frame["Kommun"].fillna("").str.strip() == name]
        own = count_answers(read_export(write(alone, tmp_path / f"{name}.csv")))
        assert table.as_nested() == own.as_nested(), name
        assert table.respondents == own.respondents
        assert table.ineligible == own.ineligible
    assert any(t.ineligible for t in tables.values())  # the conditional question is exercised
    whole = count_answers(data)
    assert sum(whole.respondents.values()) == len(frame)
    assert sum(sum(t.respondents.values()) for t in tables.values()) == len(frame) - 1


def test_the_three_forms_of_a_count_table_agree(tmp_path):
    data = read_export(write(national_frame(), tmp_path / "national.csv"))
    dense = count_by_municipality(data)["Bstad"]
    from_rows = CountTable(dense.instrument, None, dense.respondents, rows=list(dense.rows))
    from_frame = CountTable(dense.instrument, dense.counts.copy(), dense.respondents)
    assert dense.as_nested() == from_rows.as_nested() == from_frame.as_nested()
    assert int(dense.counts["n"].sum()) == sum(n for *_, n in from_rows.rows)
    for q, g, lbl, n in from_frame.rows:
        assert dense.count(q, g, lbl) == from_rows.count(q, g, lbl) == n
    assert dense.count("roll_ansvar", "politiker", "No such label") == 0
    dense.counts = from_frame.counts.iloc[:0]  # replacing the frame replaces every form
    assert dense.rows == [] and dense.count(q, g, lbl) == 0


def test_coded_columns_read_as_categoricals_give_the_same_model(tmp_path):
    """The reader's categorical fast path changes nothing in the tidy model."""
    path = write(national_frame(), tmp_path / "national.csv", sep=";")
    inst = load_instrument()
    fast = read_export(path, instrument=inst)
    slow = tidy(read_table(path), inst)  # every column as plain text
    assert isinstance(read_table(path, categorical=lambda c: c == "Kommun").frame["Kommun"].dtype,
                      pd.CategoricalDtype)
    pd.testing.assert_frame_equal(fast.responses, slow.responses)
    pd.testing.assert_frame_equal(fast.respondents, slow.respondents)
    pd.testing.assert_frame_equal(fast.comments, slow.comments)
    assert fast.source.warnings == slow.source.warnings


def test_a_header_pandas_reads_differently_falls_back_to_text(tmp_path):
    """An unnamed column makes the quick header read disagree with pandas: still read right."""
    frame = national_frame()
    frame.insert(1, "", "x")
    path = write(frame, tmp_path / "unnamed.csv")
    table = read_table(path, categorical=lambda c: True)
    assert all(dtype == object for dtype in table.frame.dtypes)  # noqa: E721 - numpy dtypes compare by ==
    data = read_export(path)
    assert sum(data.respondents_per_group().values()) == len(frame)
