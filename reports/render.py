"""Render a .pptx/.docx to PDF with LibreOffice headless, then to PNG pages with pdftoppm.

For looking at deliverables as a facilitator would, and for the render check in the tests.
Each call uses its own LibreOffice profile, so conversions may run in parallel.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class RenderError(RuntimeError):
    """LibreOffice or poppler is missing or failed; the message says what to install."""


INSTALL_HINT = ("apt-get install -y --no-install-recommends libreoffice-impress-nogui "
                "libreoffice-writer-nogui poppler-utils fonts-crosextra-carlito")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(path: str | Path, outdir: str | Path, *, timeout: int = 180) -> Path:
    """Convert one document to PDF in `outdir`; returns the PDF's path."""
    soffice = find_soffice()
    if soffice is None:
        raise RenderError(f"LibreOffice (soffice) was not found. Install it: {INSTALL_HINT}")
    path, outdir = Path(path).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tillit-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), str(path)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice did not convert {path.name} within {timeout} s.") from None
    pdf = outdir / (path.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        raise RenderError(f"LibreOffice could not convert {path.name} (exit {proc.returncode}): "
                          f"{(proc.stderr or proc.stdout).strip()[:500]}")
    return pdf


def pdf_to_png(pdf: str | Path, outdir: str | Path, *, dpi: int = 80, timeout: int = 120) -> list[Path]:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RenderError(f"pdftoppm was not found. Install poppler-utils: {INSTALL_HINT}")
    pdf, outdir = Path(pdf), Path(outdir)
    prefix = outdir / pdf.stem
    for old in outdir.glob(f"{pdf.stem}-*.png"):  # pages left from an earlier, longer render
        old.unlink()
    try:
        proc = subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(prefix)], capture_output=True,
                              text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RenderError(f"pdftoppm did not finish {pdf.name} within {timeout} s.") from None
    if proc.returncode != 0:
        raise RenderError(f"pdftoppm failed on {pdf.name}: {proc.stderr.strip()[:500]}")
    return sorted(outdir.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def render_to_png(path: str | Path, outdir: str | Path, *, dpi: int = 80) -> list[Path]:
    """Document → PDF → one PNG per page in `outdir` (pages in order)."""
    pdf = to_pdf(path, outdir)
    return pdf_to_png(pdf, outdir, dpi=dpi)
