"""The main job end to end on the bundled example: export in, analysis + slides + report out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pptx import Presentation

from tillit.survey import whole_percents
from tillit.analysis import WorkshopAnalysis
from tillit.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Invented personal data planted in the example's comments (examples/make_examples.py).
PLANTED = ["070-412 33 95", "anna.berg@lindbacka.example", "Maria Holm", "Johan på ekonomi"]


def _pptx_text(path: Path) -> str:
    parts = []
    for slide in Presentation(path).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_chart", False) and shape.has_chart:
                parts += [str(c) for c in shape.chart.plots[0].categories]
    return "\n".join(parts)


def _docx_text(path: Path) -> str:
    doc = Document(path)
    text = [p.text for p in doc.paragraphs]
    text += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return "\n".join(text)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    db = str(out / "demo.sqlite")
    runner = CliRunner()
    r1 = runner.invoke(main, ["import-aggregate", str(EXAMPLES / "jamforelsekommuner_syntetiska.csv"),
                              "--synthetic", "--db", db])
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(main, ["analyse", str(EXAMPLES / "lindbacka_2025_enkat.xlsx"), "-m", "Lindbacka", "-y", "2025",
                              "--synthetic", "--dialogue", str(EXAMPLES / "lindbacka_2025_dialog.csv"),
                              "--db", db, "--out", str(out / "ut")])
    assert r2.exit_code == 0, r2.output
    return out, db, r2.output


def test_writes_the_three_deliverables(demo):
    out, _, output = demo
    for name in ("analys.json", "workshop.pptx", "rapport.docx"):
        assert (out / "ut" / name).stat().st_size > 1000
    assert "Importerade Lindbacka 2025 (31 förtroendevalda, 27 tjänstepersoner)" in output


def test_analysis_numbers_come_from_the_counts(demo):
    out, _, _ = demo
    a = WorkshopAnalysis.load(out / "ut" / "analys.json")
    assert a.respondents == {"politiker": 31, "tjansteperson": 27}
    for q in a.questions:
        for g in ("politiker", "tjansteperson", "alla"):
            r = a.result(q["id"], g)
            if r["suppressed"]:
                continue
            counts = [r["counts"][lbl] for lbl in q["labels"]]
            assert [r["percent"][lbl] for lbl in q["labels"]] == whole_percents(counts)
            assert sum(counts) == r["n"]
    # an area's index here is the same whether the survey results or the comparison made it
    areas = a.benchmark["areas"]
    assert set(areas) == set(a.results["dimensions"])
    for dim, per_group in a.results["dimensions"].items():
        for g, idx in per_group.items():
            assert areas[dim][g]["index"] == idx, (dim, g)
    assert 1 <= areas["tillit"]["alla"]["rank"] <= areas["tillit"]["alla"]["ranked_of"]
    # the best synthetic benchmark municipality is chosen, and marked synthetic
    assert a.benchmark["benchmark"]["municipality"] == "Solberga"
    assert a.benchmark["benchmark"]["synthetic"] is True and a.provenance["synthetic"] is True
    assert a.comments and a.comments["summaries"]
    assert a.dialogue and any(c["kind"] == "atgard" for c in a.dialogue["clusters"])


def test_no_planted_personal_data_in_any_output(demo):
    out, db, _ = demo
    texts = {"analys.json": (out / "ut" / "analys.json").read_text("utf-8"),
             "workshop.pptx": _pptx_text(out / "ut" / "workshop.pptx"),
             "rapport.docx": _docx_text(out / "ut" / "rapport.docx")}
    import sqlite3

    con = sqlite3.connect(db)
    texts["database"] = "\n".join(t for (t,) in con.execute("select text from comments"))
    assert "[TELEFON]" in texts["analys.json"] or "[NAMN]" in texts["analys.json"]
    for where, text in texts.items():
        for secret in PLANTED:
            assert secret not in text, f"{secret!r} leaked into {where}"


def test_comments_too_few_to_summarise_are_quoted_nowhere(demo):
    """A box × group with fewer commenters than the threshold has no summary, and its comments
    are not in analys.json, the report's appendix or the deck either: the appendix says why."""
    out, _, _ = demo
    a = json.loads((out / "ut" / "analys.json").read_text("utf-8"))
    small = {(s["box"], s["group"]) for s in a["comments"]["summaries"] if s["suppressed"]}
    assert small, "the example has box × group cells below the threshold: the test tests nothing otherwise"
    assert {(w["box"], w["group"]) for w in a["comments"]["withheld"]} >= small
    assert not [c for c in a["comments"]["comments"] if (c["box"], c["group"]) in small]
    # the same comments read straight from the export (redacted as the store keeps them)
    from tillit import nlp, survey

    data = survey.read_export(EXAMPLES / "lindbacka_2025_enkat.xlsx")
    texts = [nlp.redact(r.text).text for r in data.comments.itertuples() if (r.box_id, r.group) in small]
    assert texts
    report = _docx_text(out / "ut" / "rapport.docx")
    deck = _pptx_text(out / "ut" / "workshop.pptx")
    for text in texts:
        if len(text) > 12:  # "Vet ej" and the like are also someone else's words
            assert text not in report and text not in deck, text
    assert "Färre än 5 kommenterade – redovisas inte." in report.split("Bilaga")[-1]


def test_second_run_changes_nothing(demo):
    out, db, _ = demo
    r = CliRunner().invoke(main, ["analyse", str(EXAMPLES / "lindbacka_2025_enkat.xlsx"), "-m", "Lindbacka",
                                  "-y", "2025", "--db", db, "--out", str(out / "ut2")])
    assert r.exit_code == 0, r.output
    assert "redan importerad" in r.output
    first = json.loads((out / "ut" / "analys.json").read_text("utf-8"))
    second = json.loads((out / "ut2" / "analys.json").read_text("utf-8"))
    assert first["results"] == second["results"] and first["benchmark"] == second["benchmark"]


def test_bad_export_is_a_clear_error(tmp_path):
    bad = tmp_path / "trasig.xlsx"
    bad.write_text("inte excel")
    r = CliRunner().invoke(main, ["analyse", str(bad), "-m", "X", "-y", "2025", "--db", str(tmp_path / "d.sqlite"),
                                  "--out", str(tmp_path / "ut")])
    assert r.exit_code != 0 and "trasig.xlsx" in r.output and "Traceback" not in r.output


def test_dialogue_notes_are_stored_redacted(tmp_path):
    from tillit.benchmarks import Store, StoreError
    from tillit.pipeline import redact_text

    with Store(str(tmp_path / "n.sqlite")) as store:
        with pytest.raises(StoreError):
            store.add_note("Lindbacka", 2025, "forbattra_samspel", "Ring Maria Holm på 070-412 33 95")
        assert store.notes() == []
        note = store.add_note("Lindbacka", 2025, "forbattra_samspel", "Ring Maria Holm på 070-412 33 95",
                              redact=redact_text)
        assert "070-412 33 95" not in note.note and "Maria Holm" not in note.note and "[TELEFON]" in note.note


def test_data_version_changes_on_import(tmp_path):
    from tillit.benchmarks import Store

    with Store(str(tmp_path / "v.sqlite")) as store:
        before = store.data_version()
        store.import_aggregate(EXAMPLES / "jamforelsekommuner_syntetiska.csv", synthetic=True)
        assert store.data_version() != before


def test_small_comment_summaries_are_suppressed_in_the_analysis():
    from tillit.analysis import suppress_small_summaries

    comments = {"summaries": [
        {"box": "b", "group": "politiker", "n_commenters": 4,
         "bullets": [{"statement": "4 av 4 förtroendevalda tar upp x", "quote": "q", "comment_ids": ["1"]}]},
        {"box": "b", "group": "tjansteperson", "n_commenters": 5, "bullets": [{"statement": "s"}]}]}
    out = suppress_small_summaries(comments, threshold=5)
    small, big = out["summaries"]
    assert small["suppressed"] and small["bullets"] == []
    assert not big["suppressed"] and big["bullets"] == [{"statement": "s"}]
    assert comments["summaries"][0]["bullets"], "the input is not modified"


def test_a_national_file_analyses_one_municipality_against_the_others(tmp_path):
    """-m picks the municipality's own answers; the others become counts waves (benchmarks)."""
    from tillit.benchmarks import Store
    from tillit.survey import count_answers, count_by_municipality, read_export
    from tests.factory import national_frame, write

    f = write(national_frame(), tmp_path / "nationell.csv")
    db = str(tmp_path / "t.db")
    first = CliRunner().invoke(main, ["analyse", str(f), "-m", "bstad", "-y", "2025", "--synthetic", "--db", db,
                                      "--out", str(tmp_path / "bstad")])
    assert first.exit_code == 0, first.output
    a = WorkshopAnalysis.load(tmp_path / "bstad" / "analys.json")
    assert a.municipality == "Bstad" and a.respondents == {"politiker": 11, "tjansteperson": 16}
    assert {e["municipality"] for e in a.benchmark["benchmark_set"]} == {"Alby", "Cvik"}
    second = CliRunner().invoke(main, ["analyse", str(f), "-m", "Alby", "-y", "2025", "--synthetic", "--db", db,
                                       "--out", str(tmp_path / "alby")])
    assert second.exit_code == 0, second.output
    whole = read_export(f)
    with Store(db) as s:
        kinds = {w.municipality: w.kind for w in s.waves()}
        assert kinds == {"Alby": "raw", "Bstad": "raw", "Cvik": "aggregate"}  # Bstad's answers are kept
        for name in kinds:
            assert s.counts(s.wave(name, 2025)).as_nested() == count_by_municipality(whole)[name].as_nested()
    alby = whole.only("ALBY")
    assert count_answers(alby).as_nested() == count_by_municipality(whole)["Alby"].as_nested()
    frame = national_frame()
    alby_rows = frame["Kommun"].fillna("").str.strip() == "Alby"
    assert len(alby.comments) == frame.loc[alby_rows, frame.columns[-1]].notna().sum() > 0
    assert set(alby.comments["respondent_id"]) <= set(alby.respondents["respondent_id"])
    assert alby.source.sha256 not in (whole.source.sha256, whole.only("Cvik").source.sha256)
    inel = [w for w in alby.source.warnings if "vision_innehall" in w]
    assert inel == [f"{int(alby.answers.ineligible['vision_innehall'].sum())} svar på ”Kan redogöra för visionens "
                    "innehåll” (vision_innehall) kommer från svarande som inte svarade Ja på ”Tydlig vision/strategi” "
                    "(vision); de redovisas som lämnade och flaggas."]
    wrong = CliRunner().invoke(main, ["analyse", str(f), "-m", "Ally", "-y", "2025", "--db", db,
                                      "--out", str(tmp_path / "x")])
    assert wrong.exit_code == 1 and "Menar du 'Alby'?" in wrong.output


def test_a_failed_analyse_leaves_no_empty_output_folder(tmp_path):
    bad = tmp_path / "trasig.xlsx"
    bad.write_text("inte excel")
    out = tmp_path / "ny" / "ut"
    r = CliRunner().invoke(main, ["analyse", str(bad), "-m", "X", "-y", "2025", "--db", str(tmp_path / "d.sqlite"),
                                  "--out", str(out)])
    assert r.exit_code != 0
    assert not out.exists() and not (tmp_path / "ny").exists()


def test_a_failure_while_writing_keeps_the_earlier_files(tmp_path, monkeypatch):
    from tillit import reports
    from tests.samples import sample_analysis
    from tillit.pipeline import write_deliverables

    out = tmp_path / "ut"
    first = write_deliverables(sample_analysis(), out)
    before = {k: p.read_bytes() for k, p in first.items()}

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(reports, "write_report", broken)
    with pytest.raises(RuntimeError):
        write_deliverables(sample_analysis(municipality="Annanstad"), out)
    assert sorted(p.name for p in out.iterdir()) == ["analys.json", "rapport.docx", "workshop.pptx"]
    assert {k: p.read_bytes() for k, p in first.items()} == before  # nothing half-written or replaced

    fresh = tmp_path / "tom"
    with pytest.raises(RuntimeError):
        write_deliverables(sample_analysis(), fresh)
    assert not fresh.exists()


def test_an_unwritable_out_folder_is_a_user_error(tmp_path):
    blocker = tmp_path / "fil.txt"
    blocker.write_text("en fil, ingen mapp")
    r = CliRunner().invoke(main, ["analyse", str(EXAMPLES / "lindbacka_2025_enkat.xlsx"), "-m", "Lindbacka", "-y",
                                  "2025", "--db", str(tmp_path / "d.sqlite"), "--out", str(blocker / "ut")])
    assert r.exit_code != 0
    assert "Kan inte skriva i utdatamappen" in r.output and "--out" in r.output
    assert "Oväntat fel" not in r.output and "Traceback" not in r.output
