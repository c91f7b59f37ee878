"""Render check: deck and report convert with LibreOffice headless to PDF and PNG pages."""

from __future__ import annotations

import shutil

import pytest

import reports
from reports import images
from reports.samples import sample_analysis

pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                       reason="needs LibreOffice (soffice) and poppler (pdftoppm)"),
]


def test_deck_and_report_render_to_pdf_and_png(tmp_path, monkeypatch):
    monkeypatch.delenv("TILLIT_STATIC_CHARTS", raising=False)
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
    assert images.backend() in {"kaleido", "matplotlib"}
