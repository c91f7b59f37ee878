"""Encodings decided on evidence, row numbers that are the file's own, one municipality per name."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from tillit.survey import ExportMappingError, count_answers, count_by_municipality, read_export
from tests import export_shapes as shapes
from tests.factory import national_frame


def test_stray_byte_far_into_a_utf8_file_stays_utf8_and_is_reported_by_row(tmp_path):
    frame = shapes.labelled()
    frame = pd.concat([frame] * 60, ignore_index=True)  # well past the 64 KB the sniffer looks at
    frame["Svars-ID"] = range(1, len(frame) + 1)
    body = frame.to_csv(index=False).encode("utf-8")
    assert len(body) > 2 * 65536
    lines = body.split(b"\n")
    target = len(lines) - 5
    lines[target] = lines[target].replace(b"Kommentar", b"K\xe4mmentar", 1) if b"Kommentar" in lines[target] else \
        lines[target] + b"\xe4"
    p = tmp_path / "sen_byte.csv"
    p.write_bytes(b"\n".join(lines))
    data = read_export(p)
    assert data.source.encoding == "utf-8"
    assert any("ogiltiga tecken" in w and f"rad {target + 1}" in w for w in data.source.warnings), data.source.warnings
    texts = " ".join(data.comments["text"])
    assert "samarbetet fungerar" in texts  # the Swedish letters elsewhere are not garbled
    assert "Ã" not in texts and "samarbetet" in texts
    assert sum(data.respondents_per_group().values()) == len(frame)


def test_cp1252_file_is_read_as_cp1252(tmp_path):
    p = tmp_path / "ansi.csv"
    p.write_bytes(shapes.labelled().to_csv(index=False, sep=";").encode("cp1252"))
    data = read_export(p)
    assert data.source.encoding == "cp1252"
    assert count_answers(data).as_nested() == shapes.expected()


def test_row_numbers_count_blank_lines_and_title_rows(tmp_path):
    frame = shapes.labelled()
    frame.loc[6, shapes.INST.question("kultur").text] = "Kanske"
    body = frame.to_csv(index=False, sep=";", lineterminator="\n").split("\n")
    body.insert(3, "")  # a blank line after the second data row
    text = "Enkät: Samspel\n\n" + "\n".join(body)
    p = tmp_path / "rader.csv"
    p.write_text(text, encoding="utf-8")
    # file rows: 1 title, 2 blank, 3 header, 4-5 ids 1-2, 6 blank, 7.. ids 3..; id 7 (frame row 6) is on row 11
    with pytest.raises(ExportMappingError) as err:
        read_export(p)
    assert "'Kanske' (rad 11" in err.value.render()


def test_municipality_names_are_unicode_normalised(tmp_path):
    frame = national_frame()
    nfd = unicodedata.normalize("NFD", "Åre")
    frame["Kommun"] = ["Åre" if i % 2 else nfd for i in range(len(frame))]
    p = tmp_path / "nationell.csv"
    frame.to_csv(p, index=False)
    data = read_export(p)
    assert data.municipalities() == ["Åre"]
    assert len(count_by_municipality(data)) == 1
    assert data.municipality_name(nfd) == "Åre"


VOCAB = ["", "  ", shapes.GQ, *[q.text for q in shapes.INST.questions][:3], shapes.BOXES[0].text, "Svars-ID", "Response",
         "Open-Ended Response", '{"ImportId":"QID1"}', "Respondent ID", "ResponseId", "Status", "Survey Preview",
         "Förtroendevald", "Tjänsteperson", "Nej", "Till stor del", "Vet ej", "1", "2", "9", "99", "Total", "sep=;",
         "Kommentar om roller", "Övrigt", "x" * 70, "1. " + shapes.GQ, "Q1", "Unnamed: 3", "Svar", "Öppet svar",
         "DistributionChannel", "preview", "Spam", "Respondent-ID", "StartDate", "ResponseID", shapes.GQ + " - Selected Choice",
         f"{shapes.GRID_TITLE} [{shapes.S4_QUESTIONS[0].text}]", "Ej svar", "Summa", "Åre", "Kommun", "1,0", "V1"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_fuzzed_grids_of_tool_like_cells_never_traceback(tmp_path, fmt):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tillit.survey import TillitError

    grid = st.lists(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=7), min_size=1, max_size=8)

    @settings(max_examples=60 if fmt == "csv" else 20, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(rows=grid)
    def run(rows):
        p = tmp_path / f"fuzz.{fmt}"
        width = max(len(r) for r in rows)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows])
        if fmt == "csv":
            frame.to_csv(p, index=False, header=False, sep=";")
        else:
            frame.to_excel(p, index=False, header=False)
        try:
            read_export(p)
        except TillitError:
            pass

    run()


def test_national_file_with_ids_per_municipality_is_not_a_duplicate(tmp_path):
    frame = national_frame()
    frame["Svars-ID"] = frame.groupby(frame["Kommun"].fillna("").str.strip()).cumcount() + 1
    p = tmp_path / "nationell_id.csv"
    frame.to_csv(p, index=False)
    data = read_export(p)
    assert sum(data.respondents_per_group().values()) == len(frame)
    assert not any("svars-id" in w.lower() for w in data.source.warnings)
    # one respondent pasted twice within a municipality is counted once
    again = pd.concat([frame, frame.iloc[[10]]], ignore_index=True)
    again.to_csv(p, index=False)
    twice = read_export(p)
    assert sum(twice.respondents_per_group().values()) == len(frame)
    assert any("räknas en gång" in w for w in twice.source.warnings)
