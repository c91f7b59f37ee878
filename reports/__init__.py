"""Workshop deck (PowerPoint) and report (Word) rendered from one `WorkshopAnalysis`.

Public surface:
    write_deck(analysis, path, *, template=None) -> Path
    write_report(analysis, path, *, template=None, include_comments=True) -> Path
    render_to_png(path, outdir) -> list[Path]
Native charts for both documents: `tillit.reports.charts`. Plotly figures for the dashboard:
`tillit.reports.figures`. Texts: `tillit.reports.texts`.
"""

from .deck import write_deck
from .render import RenderError, render_to_png
from .report import write_report

__all__ = ["RenderError", "render_to_png", "write_deck", "write_report"]
