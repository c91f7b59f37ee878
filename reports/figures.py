"""Plotly figures of a `WorkshopAnalysis`, for the dashboard (the documents use `tillit.reports.charts`).

Each builder is a function of (analysis, [question id], lang) returning a
`plotly.graph_objects.Figure`; numbers come straight from the analysis (see `view`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from . import view
from .texts import dec, pct, t

if TYPE_CHECKING:
    from tillit.analysis import WorkshopAnalysis

FONT = "Carlito, Calibri, Arial, sans-serif"
MIN_LABEL = 5  # segments narrower than this many percent get no label (they would overlap)


def base_layout(fig: go.Figure, *, height: int, title: str | None = None) -> go.Figure:
    """The house style of every Tillit chart (report and dashboard alike)."""
    fig.update_layout(
        font={"family": FONT, "size": 14, "color": view.INK},
        paper_bgcolor="white", plot_bgcolor="white", height=height, width=1000,
        margin={"l": 10, "r": 20, "t": 70 if title else 40, "b": 40},
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}} if title else None,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0,
                "traceorder": "normal", "font": {"size": 13}},
    )
    return fig


def distribution_figure(analysis: WorkshopAnalysis, qid: str, lang: str | None = None, *, title: bool = False) -> go.Figure:
    """100 % stacked horizontal bars: each group's answer shares, the benchmark's beneath it."""
    lang = view.lang_of(analysis, lang)
    q = analysis.question(qid)
    rows = [(r.label, r.percents) for r in view.distribution_rows(analysis, qid, lang)
            if not r.suppressed and r.percents is not None]
    labels = q.get("labels_display") or q["labels"]
    colours = view.scale_colours(q)
    ys = [label for label, _ in rows]
    fig = go.Figure()
    for i, (lbl, colour) in enumerate(zip(labels, colours)):
        xs = [percents[i] for _, percents in rows]
        fig.add_trace(go.Bar(
            name=lbl, y=ys, x=xs, orientation="h", marker={"color": colour, "line": {"color": "white", "width": 1}},
            text=[pct(x, lang) if x >= MIN_LABEL else "" for x in xs], textposition="inside",
            insidetextanchor="middle", textangle=0, constraintext="none", textfont={"color": view.text_colour(colour), "size": 14},
            hovertemplate="%{y}<br>" + lbl + ": %{x} %<extra></extra>", cliponaxis=False))
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(range=[0, 100], ticksuffix=" %" if lang != "en" else "%", showgrid=True, gridcolor="#e5e5e5",
                     dtick=25)
    fig.update_yaxes(autorange="reversed", automargin=True, ticks="", tickfont={"size": 13})
    height = 130 + 52 * max(len(rows), 1)
    return base_layout(fig, height=height, title=q["short"] if title else None)


def dimensions_figure(analysis: WorkshopAnalysis, lang: str | None = None) -> go.Figure:
    """Index 0–100 per dimension and group (the groups side by side)."""
    lang = view.lang_of(analysis, lang)
    dims = [d for d, _ in view.dimension_questions(analysis)]
    values = analysis.results.get("dimensions") or {}
    fig = go.Figure()
    for i, g in enumerate(view.groups(analysis)):
        if view.group_hidden(analysis, g["id"]):
            continue
        xs = [(values.get(d["id"]) or {}).get(g["id"]) for d in dims]
        fig.add_trace(go.Bar(name=g["label"], y=[d["label"] for d in dims], x=xs, orientation="h",
                             marker={"color": view.GROUP_COLOURS[i % len(view.GROUP_COLOURS)]},
                             text=[dec(x, lang, 0) if x is not None else "" for x in xs], textposition="outside"))
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.05)
    fig.update_xaxes(range=[0, 100], title={"text": t(lang, "index_axis")}, gridcolor="#e5e5e5", dtick=20)
    fig.update_yaxes(autorange="reversed", automargin=True, ticks="")
    return base_layout(fig, height=140 + 70 * max(len(dims), 1))


def gaps_figure(analysis: WorkshopAnalysis, lang: str | None = None) -> go.Figure:
    """Index per group for the questions with the largest differences between the groups."""
    lang = view.lang_of(analysis, lang)
    gaps = (analysis.findings or {}).get("group_gaps") or []
    fig = go.Figure()
    for i, g in enumerate(view.groups(analysis)):
        xs = [gap["index"].get(g["id"]) for gap in gaps]
        if all(x is None for x in xs):
            continue
        fig.add_trace(go.Bar(name=g["label"], y=[gap["short"] for gap in gaps], x=xs, orientation="h",
                             marker={"color": view.GROUP_COLOURS[i % len(view.GROUP_COLOURS)]},
                             text=[dec(x, lang, 0) if x is not None else "" for x in xs], textposition="outside"))
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.05)
    fig.update_xaxes(range=[0, 100], title={"text": t(lang, "index_axis")}, gridcolor="#e5e5e5", dtick=20)
    fig.update_yaxes(autorange="reversed", automargin=True, ticks="")
    return base_layout(fig, height=140 + 70 * max(len(gaps), 1))


def benchmark_areas_figure(analysis: WorkshopAnalysis, lang: str | None = None) -> go.Figure | None:
    """Index per area for all respondents, the benchmark's beside it, the set's median as a marker."""
    lang = view.lang_of(analysis, lang)
    info = view.benchmark_info(analysis)
    rows = view.area_rows(analysis)
    if not info or not rows:
        return None
    labels = [r["label"] for r in rows]
    fig = go.Figure()
    for name, key, colour in ((analysis.municipality, "index", view.ACCENT),
                              (view.bench_name(analysis, info, lang), "benchmark_index", view.BENCH_COLOUR)):
        xs = [r.get(key) for r in rows]
        fig.add_trace(go.Bar(name=name, y=labels, x=xs, orientation="h", marker={"color": colour},
                             text=[dec(x, lang, 0) if x is not None else "" for x in xs], textposition="outside"))
    fig.add_trace(go.Scatter(name=t(lang, "set_median"), y=labels, x=[r.get("median_index") for r in rows],
                             mode="markers", marker={"symbol": "line-ns", "size": 26,
                                                     "line": {"width": 4, "color": view.INK}}))
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.05)
    fig.update_xaxes(range=[0, 100], title={"text": t(lang, "index_axis")}, gridcolor="#e5e5e5", dtick=20)
    fig.update_yaxes(autorange="reversed", automargin=True, ticks="")
    return base_layout(fig, height=140 + 70 * len(rows))


def benchmark_figure(analysis: WorkshopAnalysis, lang: str | None = None) -> go.Figure | None:
    """Index for all respondents per question, here and in the benchmark municipality."""
    lang = view.lang_of(analysis, lang)
    info, rows = view.benchmark_info(analysis), view.benchmark_index_rows(analysis)
    if not info or not rows:
        return None
    qs, here, there = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    fig = go.Figure()
    name_b = view.bench_name(analysis, info, lang)
    for name, xs, colour in ((analysis.municipality, here, view.ACCENT), (name_b, there, view.BENCH_COLOUR)):
        fig.add_trace(go.Bar(name=name, y=qs, x=xs, orientation="h", marker={"color": colour},
                             text=[dec(x, lang, 0) if x is not None else "" for x in xs], textposition="outside"))
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.05)
    fig.update_xaxes(range=[0, 100], title={"text": t(lang, "index_axis")}, gridcolor="#e5e5e5", dtick=20)
    fig.update_yaxes(autorange="reversed", automargin=True, ticks="")
    return base_layout(fig, height=140 + 60 * len(qs))
