"""Render check: deck and report convert with LibreOffice headless to PDF and PNG pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tillit import reports
from tillit.reports import view
from tillit.reports.render import to_pdf
from tests.samples import sample_analysis

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                       reason="needs LibreOffice (soffice) and poppler (pdftoppm)"),
]


def test_deck_and_report_render_to_pdf_and_png(tmp_path):
    a = sample_analysis(small_group=None)
    deck = reports.write_deck(a, tmp_path / "workshop.pptx")
    report = reports.write_report(a, tmp_path / "rapport.docx")
    n_slides = len(__import__("pptx").Presentation(str(deck)).slides)
    deck_pngs = reports.render_to_png(deck, tmp_path / "deck")
    report_pngs = reports.render_to_png(report, tmp_path / "report")
    assert len(deck_pngs) == n_slides  # one page a slide: nothing spilled
    assert len(report_pngs) >= 5
    for png in deck_pngs[:3] + report_pngs[:3]:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000
    # the 16:9 deck renders landscape at 16:9, the report as A4 portrait
    from PIL import Image

    w, h = Image.open(deck_pngs[0]).size
    assert abs(w / h - 16 / 9) < 0.02
    w, h = Image.open(report_pngs[0]).size
    assert abs(h / w - 297 / 210) < 0.02


def _page_fill(pdf) -> list[tuple[float, str]]:
    """Per page: how far down its lowest word reaches (0–1), and its text."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    pages = []
    for w, h, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        ys = [float(y) for y in re.findall(r'yMax="([\d.]+)"', body)]
        words = " ".join(re.findall(r">([^<]+)</word>", body))
        pages.append((max(ys) / float(h) if ys else 0.0, words))
    return pages


@pytest.mark.parametrize("source", ["sample", "example"])
def test_report_pages_are_filled_and_its_charts_render(tmp_path, source):
    """No page is left mostly empty because a chart and its table moved on together, and the
    native charts render in LibreOffice (their category labels come out as text in the PDF)."""
    if source == "sample":
        a = sample_analysis()
    else:
        from tillit.pipeline import run_analyse

        a = run_analyse(EXAMPLES / "lindbacka_2025_enkat.xlsx", municipality="Lindbacka", year=2025,
                        out=tmp_path / "ut", db=str(tmp_path / "d.sqlite"), synthetic=True).analysis
    report = reports.write_report(a, tmp_path / "rapport.docx")
    pdf = to_pdf(report, tmp_path)
    pages = _page_fill(pdf)
    appendix = next(i for i, (_, text) in enumerate(pages) if "Bilaga" in text)
    # the title page and the page before the appendix end with a page break of their own
    for i, (fill, text) in enumerate(pages[1:appendix - 1], start=2):
        assert fill > 0.5, f"page {i} of {len(pages)} ends at {fill:.0%}: {text[:80]}"
    text = " ".join(t for _, t in pages)
    for q in a.questions:  # every question's chart rows show up in the rendered PDF
        for row in view.distribution_rows(a, q["id"]):
            if not row.suppressed:
                assert row.label.split(",")[0].split()[0] in text
    assert "Tjänstepersoner" in text and "Nej" in text
