"""Plotly figure → PNG: kaleido with the system Chromium, or a matplotlib look-alike.

kaleido's sync server is started once per process (the first image costs a Chromium
start, later ones ~0.2 s). When kaleido or Chromium fails, we warn once and draw the same
bars with matplotlib from the figure's own data, so the report is still written.
Set TILLIT_STATIC_CHARTS=matplotlib to skip kaleido altogether.
"""

from __future__ import annotations

import atexit
import os
import shutil
import warnings
from pathlib import Path

import plotly.graph_objects as go

SCALE = 2
_state: dict[str, object] = {"kaleido": None, "warned": False}


def _kaleido_ready() -> bool:
    if _state["kaleido"] is not None:
        return bool(_state["kaleido"])
    ok = False
    if os.environ.get("TILLIT_STATIC_CHARTS", "").lower() != "matplotlib":
        try:
            import kaleido

            if not os.environ.get("BROWSER_PATH"):
                chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
                if chromium:
                    os.environ["BROWSER_PATH"] = chromium
            kaleido.start_sync_server(n=2, mathjax=False, silence_warnings=True)
            atexit.register(_stop)
            ok = True
        except Exception as exc:  # noqa: BLE001 - any failure means: use the fallback
            _warn(exc)
    _state["kaleido"] = ok
    return ok


def _stop() -> None:
    try:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
    except Exception:  # noqa: BLE001
        pass


def _warn(exc: BaseException) -> None:
    if not _state["warned"]:
        _state["warned"] = True
        warnings.warn(f"Plotly static export failed ({type(exc).__name__}: {exc}); "
                      "charts are drawn with matplotlib instead.", RuntimeWarning, stacklevel=3)


def backend() -> str:
    """'kaleido' or 'matplotlib': what `figure_png` will use in this process."""
    return "kaleido" if _kaleido_ready() else "matplotlib"


def _opts(fig: go.Figure) -> dict:
    return {"format": "png", "width": fig.layout.width or 1000, "height": fig.layout.height or 500, "scale": SCALE}


def figure_png(fig: go.Figure, path: str | Path) -> Path:
    """Write `fig` as a PNG at `path` (kaleido, else matplotlib)."""
    return figures_png([(fig, path)])[0]


def figures_png(jobs: list[tuple[go.Figure, str | Path]]) -> list[Path]:
    """Write many figures as PNGs in one kaleido batch (about twice as fast as one by one)."""
    paths = [Path(p) for _, p in jobs]
    if jobs and _kaleido_ready():
        try:
            import kaleido

            kaleido.write_fig_from_object_sync(
                [{"fig": fig, "path": str(p), "opts": _opts(fig)} for (fig, _), p in zip(jobs, paths)])
            if all(p.exists() and p.stat().st_size > 0 for p in paths):
                return paths
            raise RuntimeError("kaleido wrote no image")
        except Exception as exc:  # noqa: BLE001
            _warn(exc)
            _state["kaleido"] = False
    return [matplotlib_png(fig, p) for (fig, _), p in zip(jobs, paths)]


def matplotlib_png(fig: go.Figure, path: str | Path) -> Path:
    """Draw the horizontal bar traces of a Plotly figure with matplotlib (stack or group)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    width, height = fig.layout.width or 1000, fig.layout.height or 500
    dpi = 100
    plt.rcParams["font.family"] = ["Carlito", "DejaVu Sans"]
    mfig, ax = plt.subplots(figsize=(width / dpi, height / dpi), dpi=dpi * SCALE)
    traces = [tr for tr in fig.data if tr.type == "bar"]
    cats: list[str] = []
    for tr in traces:
        for y in tr.y or []:
            if y not in cats:
                cats.append(y)
    pos = {c: i for i, c in enumerate(cats)}
    stacked = fig.layout.barmode == "stack"
    left = [0.0] * len(cats)
    k = len(traces)
    bar_h = 0.6 if stacked else 0.8 / max(k, 1)
    for j, tr in enumerate(traces):
        colour = tr.marker.color if tr.marker and isinstance(tr.marker.color, str) else None
        txtcol = tr.textfont.color if tr.textfont and isinstance(tr.textfont.color, str) else "#1d2b36"
        for y, x, text in zip(tr.y, tr.x, tr.text or [""] * len(tr.y)):
            if x is None:
                continue
            i = pos[y]
            yy = i if stacked else i - 0.4 + bar_h * (j + 0.5)
            x0 = left[i] if stacked else 0
            ax.barh(yy, x, left=x0, height=bar_h, color=colour, edgecolor="white", label=tr.name if y == tr.y[0] else None)
            if text:
                if stacked:
                    ax.text(x0 + x / 2, yy, text, ha="center", va="center", color=txtcol, fontsize=11)
                else:
                    ax.text(x + 1, yy, text, ha="left", va="center", color="#1d2b36", fontsize=10)
            if stacked:
                left[i] += x
    ax.set_yticks(range(len(cats)), cats)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.grid(axis="x", color="#e5e5e5")
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ncol = max(1, min(len(traces), 4))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, frameon=False, fontsize=10)
    mfig.tight_layout()
    mfig.savefig(path, format="png", facecolor="white")
    plt.close(mfig)
    return path
