"""Native charts: the report's Word charts and the deck's PowerPoint charts come from one writer
and carry the analysis' numbers (read back from the chart XML and the embedded workbook)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.oxml import parse_xml

from tillit import reports
from tillit.reports import charts, view
from tests.samples import sample_analysis
from tillit.reports.texts import xml_safe

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

Values = dict[str, dict[str, float | None]]  # category -> series name -> value


def _values(chart: Chart) -> Values:
    plot = chart.plots[0]
    cats = [str(c) for c in plot.categories]
    return {c: {s.name: s.values[i] for s in plot.series} for i, c in enumerate(cats)}


def docx_charts(path: Path) -> list[tuple[Values, bytes | None]]:
    """Every chart in the report in document order: its values and its embedded workbook."""
    doc = Document(str(path))
    out = []
    for el in doc.element.body.iter(f"{{{C_NS}}}chart"):
        part = doc.part.related_parts[el.get(R_ID)]
        assert part.partname.startswith("/word/charts/chart")
        chart_space = parse_xml(part.blob)
        xlsx = chart_space.xlsx_part_rId
        out.append((_values(Chart(chart_space, None)), part.related_parts[xlsx].blob if xlsx else None))
    return out


def pptx_charts(path: Path) -> list[Values]:
    return [_values(shape.chart) for slide in Presentation(str(path)).slides for shape in slide.shapes
            if shape.has_chart]


def spec_values(spec: charts.ChartSpec) -> Values:
    return {xml_safe(c): {name: vals[i] for name, vals in spec.series} for i, c in enumerate(spec.categories)}


def _same(a: Values, b: Values) -> bool:
    if a.keys() != b.keys():
        return False
    return all({k: (None if v is None else float(v)) for k, v in a[c].items()}
               == {k: (None if v is None else float(v)) for k, v in b[c].items()} for c in a)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    a = sample_analysis()
    return a, reports.write_deck(a, out / "workshop.pptx"), reports.write_report(a, out / "rapport.docx")


def test_report_charts_are_native_with_an_embedded_workbook(written):
    a, _, report = written
    found = docx_charts(report)
    assert len(found) >= 8
    names = zipfile.ZipFile(report).namelist()
    assert not [n for n in names if n.startswith("word/media/")]  # no pictures of charts
    assert sum(n.startswith("word/charts/chart") and n.endswith(".xml") for n in names) == len(found)
    for values, xlsx in found:
        assert xlsx is not None  # "Edit data" in Word opens this workbook
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        rows = list(sheet.iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        for row in body:
            cat = str(row[0])
            for name, cell in zip(header[1:], row[1:]):
                assert values[cat][name] == cell


def test_every_question_chart_in_the_report_shows_the_analysis_percents(written):
    a, _, report = written
    found = [v for v, _ in docx_charts(report)]
    for q in a.questions:
        spec = charts.distribution_chart(a, q["id"])
        if spec is None:
            continue
        chart = next((v for v in found if _same(v, spec_values(spec))), None)
        assert chart is not None, q["id"]
        for row in view.distribution_rows(a, q["id"]):
            if row.suppressed or row.kind != "own":
                continue
            r = a.result(q["id"], row.group)
            labels = q.get("labels_display") or q["labels"]
            for raw, shown in zip(q["labels"], labels):
                assert chart[row.label][shown] == r["percent"][raw]


def test_deck_and_report_show_the_same_series_for_the_same_chart(written):
    a, deck, report = written
    in_report = [v for v, _ in docx_charts(report)]
    in_deck = pptx_charts(deck)
    specs = [charts.distribution_chart(a, q["id"]) for q in a.questions]
    specs += [charts.dimensions_chart(a), charts.gaps_chart(a), charts.areas_chart(a)]
    specs = [s for s in specs if s is not None]
    assert len(specs) >= 10
    for spec in specs:
        want = spec_values(spec)
        assert any(_same(v, want) for v in in_deck), spec.key
        assert any(_same(v, want) for v in in_report), spec.key


def test_index_charts_use_the_0_to_100_axis(written):
    _, _, report = written
    doc = Document(str(report))
    for el in doc.element.body.iter(f"{{{C_NS}}}chart"):
        xml = doc.part.related_parts[el.get(R_ID)].blob.decode("utf-8")
        if "barDir" in xml and 'c:grouping val="clustered"' in xml:
            assert '<c:max val="100.0"/>' in xml and '<c:min val="0.0"/>' in xml


def test_control_characters_in_comments_do_not_stop_the_documents(tmp_path):
    a = sample_analysis()
    nasty = "Rad ett\x0bRad två\x1b med ESC\x00 och NUL"
    a.comments["comments"][0]["text"] = nasty
    a.municipality = "Prov\x07köping"
    deck = reports.write_deck(a, tmp_path / "w.pptx")
    report = reports.write_report(a, tmp_path / "r.docx")
    text = "\n".join(p.text for p in Document(str(report)).paragraphs)
    assert "Rad ett\nRad två med ESC och NUL" in text
    assert "Provköping" in text
    assert Presentation(str(deck)).slides


def test_xml_safe_keeps_text_and_drops_only_what_xml_cannot_hold():
    assert xml_safe("å ä ö – “citat” \t\n") == "å ä ö – “citat” \t\n"
    assert xml_safe("a\x0bb\x0cc") == "a\nb\nc"
    assert xml_safe("x\x00\x1b\x7f\ud800y") == "x\x7fy"
    assert xml_safe(None) == ""


# ---------------------------------------------------------------------- the main job with no browser


@pytest.mark.slow
def test_analyse_needs_no_browser(tmp_path):
    """`tillit analyse` on the bundled example with no browser anywhere: it finishes, writes all
    three files, and the report's native charts hold the analysis' numbers."""
    bin_dir = Path(sys.executable).parent
    tillit = bin_dir / "tillit"
    if not tillit.exists():
        pytest.skip("the tillit script is not installed next to this Python")
    env = {k: v for k, v in os.environ.items() if k not in {"BROWSER_PATH", "DISPLAY"}}
    # a PATH with no browser on it; only `cat`, which joblib (scikit-learn) uses to count cores
    bare = tmp_path / "bin"
    bare.mkdir()
    if shutil.which("cat"):
        (bare / "cat").symlink_to(shutil.which("cat"))
    env.update(PATH=str(bare), BROWSER_PATH=str(tmp_path / "no-chrome"),
               HOME=str(tmp_path), TILLIT_DB=str(tmp_path / "d.sqlite"))
    run = [str(tillit)]
    r1 = subprocess.run(run + ["import-aggregate", str(EXAMPLES / "jamforelsekommuner_syntetiska.csv"),
                               "--synthetic"], env=env, capture_output=True, text=True, timeout=300)
    assert r1.returncode == 0, r1.stderr
    out = tmp_path / "ut"
    r = subprocess.run(run + ["analyse", str(EXAMPLES / "lindbacka_2025_enkat.xlsx"), "-m", "Lindbacka", "-y", "2025",
                              "--synthetic", "--out", str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr + r.stdout
    for noise in ("Traceback", "findfont", "Chrome", "kaleido", "Warning"):
        assert noise not in r.stderr + r.stdout
    assert sorted(p.name for p in out.iterdir()) == ["analys.json", "rapport.docx", "workshop.pptx"]
    analysis = json.loads((out / "analys.json").read_text("utf-8"))
    found = [v for v, _ in docx_charts(out / "rapport.docx")]
    assert len(found) >= 8
    res = analysis["results"]
    groups = [g for g in analysis["groups"] if g["id"] != "alla"]
    overview = found[0]  # the summary's chart: index per area (rows) and group (series)
    for d in analysis["dimensions"]:
        for g in groups:
            assert overview[d["label"]][g["label"]] == pytest.approx(res["dimensions"][d["id"]][g["id"]])
    rows = [list(series.values()) for chart in found for series in chart.values()]
    for q in analysis["questions"]:
        for g in groups:
            r = res["questions"][q["id"]][g["id"]]
            if not r["suppressed"]:  # this group's shares, in scale order, are one bar of a chart
                assert [r["percent"][lbl] for lbl in q["labels"]] in rows, (q["id"], g["id"])
