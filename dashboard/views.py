"""What each page shows, as pure functions of a `WorkshopAnalysis` (no Dash, no database).

Figures for the results come from `tillit.reports.figures` so that the dashboard and the Word
report look the same; the few the report has no use for (ranking, trend, index against
benchmark and median) are here, drawn in the same style. Every number is picked from the
analysis object as it is; a group below the anonymity threshold is never drawn, only
named with "färre än N svar".
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from tillit.reports import figures as report_figures
from tillit.reports import view
from tillit.reports.texts import dec

from .texts import t

if TYPE_CHECKING:
    from tillit.analysis import WorkshopAnalysis

ALL = view.ALL
TOP_RANKED = 15
OTHER_COLOUR = "#c5ccd3"  # the rest of the benchmark set, lighter than the chosen benchmark


# ---------------------------------------------------------------------- selection


def restrict(analysis: WorkshopAnalysis, group_ids: list[str] | None) -> WorkshopAnalysis:
    """The analysis with only the chosen groups (a selection: no number changes)."""
    if not group_ids:
        return analysis
    keep = set(group_ids)
    return dataclasses.replace(analysis, groups=[g for g in analysis.groups if g["id"] in keep])


def hidden(analysis: WorkshopAnalysis, gid: str) -> bool:
    """A group whose figures may not be shown: too few respondents, or ALL when any group is hidden."""
    if gid == ALL:
        return bool(view.hidden_groups(analysis))
    return view.group_hidden(analysis, gid)


def suppressed_lines(analysis: WorkshopAnalysis, lang: str, group_ids: list[str] | None = None, qid: str | None = None) -> list[str]:
    """"Tjänstepersoner: färre än 5 svar – redovisas inte" for each chosen group not shown."""
    out = []
    for g in view.groups(restrict(analysis, group_ids)):
        r = analysis.result(qid, g["id"]) if qid else None
        if hidden(analysis, g["id"]) or (r and r.get("suppressed")):
            out.append(t(lang, "suppressed", label=g["label"], threshold=analysis.threshold))
    return out


def respondent_lines(analysis: WorkshopAnalysis, lang: str) -> list[str]:
    return [t(lang, "suppressed", label=g["label"], threshold=analysis.threshold) if hidden(analysis, g["id"])
            else t(lang, "respondents_line", label=g["label"], n=analysis.respondents.get(g["id"], 0))
            for g in view.groups(analysis)]


def question_ids(analysis: WorkshopAnalysis) -> list[str]:
    return [q["id"] for q in analysis.questions]


def step(ids: list[str], current: str | None, delta: int) -> str | None:
    """The question `delta` places from `current`, staying at the ends."""
    if not ids:
        return None
    i = ids.index(current) if current in ids else 0
    return ids[min(max(i + delta, 0), len(ids) - 1)]


# ---------------------------------------------------------------------- figures

_FIGURES: dict[int, dict] = {}  # id(analysis) -> figures; dropped when the analysis is


def memo(build: Callable[..., go.Figure | None], analysis: WorkshopAnalysis, *args) -> dict | None:
    """`build(analysis, *args)` as a plain figure dict, kept as long as the (cached) analysis lives.

    Building a Plotly figure costs tens of milliseconds; the room clicks back and forth
    between the same few views, so each is built once per analysis."""
    key = (build.__name__, *(tuple(a) if isinstance(a, list) else a for a in args))
    per = _FIGURES.get(id(analysis))
    if per is None:
        per = _FIGURES[id(analysis)] = {}
        weakref.finalize(analysis, _FIGURES.pop, id(analysis), None)
    if key not in per:
        fig = build(analysis, *args)
        per[key] = None if fig is None else fig.to_plotly_json()
    return per[key]



def _screen(fig: go.Figure | None, large: bool = False) -> go.Figure | None:
    """Report figures have a fixed width; on screen they follow the window (and grow in workshop mode)."""
    if fig is None:
        return None
    fig.update_layout(width=None, autosize=True)
    if large:
        fig.update_layout(font={"size": 22}, legend={"font": {"size": 20}})
        fig.update_yaxes(tickfont={"size": 20})
        fig.update_traces(textfont={"size": 20}, selector={"type": "bar"})
        fig.update_layout(height=int((fig.layout.height or 400) * 1.5))
    return fig


def distribution(analysis: WorkshopAnalysis, qid: str, group_ids: list[str] | None, lang: str, large: bool = False) -> go.Figure:
    return _screen(report_figures.distribution_figure(restrict(analysis, group_ids), qid, lang), large)


def dimensions(analysis: WorkshopAnalysis, group_ids: list[str] | None, lang: str, large: bool = False) -> go.Figure:
    fig = report_figures.dimensions_figure(restrict(analysis, group_ids), lang)
    fig.update_layout(showlegend=True)  # also with one group left: say which it is
    return _screen(fig, large)


def against_benchmark(analysis: WorkshopAnalysis, lang: str, large: bool = False) -> go.Figure | None:
    """Index per question for all respondents, the benchmark's beside it, and the set's median as a marker."""
    fig = report_figures.benchmark_figure(analysis, lang)
    if fig is None:
        return None
    shorts, medians = [], []
    for q in analysis.questions:
        e = view.bench_entry(analysis, q["id"], ALL)
        if e and not e.get("suppressed") and e.get("index") is not None:
            shorts.append(q["short"])
            medians.append(e.get("median_index"))
    fig.add_trace(go.Scatter(name=t(lang, "col_median"), y=shorts, x=medians, mode="markers",
                             marker={"symbol": "line-ns", "size": 26, "line": {"width": 4, "color": view.INK}}))
    return _screen(fig, large)


def ranking_rows(analysis: WorkshopAnalysis) -> list[dict[str, Any]]:
    """The benchmark set as the comparison ranked it (highest mean index first), with this
    municipality at the place the comparison gave it (marked ``home``)."""
    b = analysis.benchmark
    if not b:
        return []
    entries: list[dict[str, Any]] = [
        {"municipality": e["municipality"], "year": e["year"], "mean_index": e.get("mean_index"),
         "synthetic": e.get("synthetic", False), "home": False} for e in b.get("benchmark_set") or []]
    rank = b.get("rank")
    if entries and rank is not None:
        entries.insert(rank - 1, {"municipality": analysis.municipality, "year": analysis.year,
                                       "mean_index": b.get("mean_index"), "synthetic": analysis.synthetic,
                                       "home": True})
    return [{"rank": i, **e} for i, e in enumerate(entries, start=1)]


def ranking(analysis: WorkshopAnalysis, lang: str, large: bool = False) -> go.Figure | None:
    """The top of the ranking, plus this municipality and the chosen benchmark wherever they are.

    Colours as in every other benchmark figure: this municipality in the accent colour, the
    chosen benchmark in the benchmark grey, the rest of the set lighter."""
    rows = ranking_rows(analysis)
    if not rows:
        return None
    info = view.benchmark_info(analysis)
    chosen = (info.get("municipality"), info.get("year")) if info else (None, None)

    def colour(r: dict[str, Any]) -> str:
        if r["home"]:
            return view.ACCENT
        return view.BENCH_COLOUR if (r["municipality"], r["year"]) == chosen else OTHER_COLOUR

    shown = [r for r in rows if r["rank"] <= TOP_RANKED or r["home"] or (r["municipality"], r["year"]) == chosen]
    fig = go.Figure(go.Bar(
        y=[f"{r['rank']}. {r['municipality']} {r['year']}" for r in shown], x=[r["mean_index"] for r in shown],
        orientation="h", text=[dec(r["mean_index"], lang, 1) if r["mean_index"] is not None else ""
                               for r in shown], textposition="outside",
        marker={"color": [colour(r) for r in shown]}))
    fig.update_xaxes(range=[0, 100], dtick=20, gridcolor="#e5e5e5", title={"text": t(lang, "col_mean_index")})
    fig.update_yaxes(autorange="reversed", automargin=True, ticks="")
    n_set = sum(not r["home"] for r in rows)
    report_figures.base_layout(fig, height=120 + 34 * len(shown),
                               title=t(lang, "ranking_title", municipality=analysis.municipality, n=n_set))
    return _screen(fig, large)


def areas(analysis: WorkshopAnalysis, lang: str, large: bool = False) -> go.Figure | None:
    """Each area here, in the benchmark and the set's median (the report's figure)."""
    fig = report_figures.benchmark_areas_figure(analysis, lang)
    return None if fig is None else _screen(fig, large)


def trend(analysis: WorkshopAnalysis, qid: str, group_ids: list[str] | None, lang: str, large: bool = False) -> go.Figure | None:
    """Index per wave for the municipality's own waves, one line per shown group."""
    tr = analysis.benchmark.get("trend") if analysis.benchmark else None
    if not tr or len(tr.get("waves") or []) < 2:
        return None
    per_group = (tr.get("questions") or {}).get(qid) or {}
    fig = go.Figure()
    chosen = [g for g in restrict(analysis, group_ids).groups]
    for i, g in enumerate(chosen):
        cell = per_group.get(g["id"])
        indices = (cell.get("indices") if cell else None) or {}
        if hidden(analysis, g["id"]) or not any(v is not None for v in indices.values()):
            continue
        years = sorted(indices)
        colour = view.INK if g["id"] == ALL else view.GROUP_COLOURS[i % len(view.GROUP_COLOURS)]
        fig.add_trace(go.Scatter(name=g["label"], x=years, y=[indices[y] for y in years], mode="lines+markers",
                                 line={"color": colour, "width": 3}, marker={"size": 10}))
    fig.update_yaxes(range=[0, 100], dtick=20, gridcolor="#e5e5e5", title={"text": "Index 0–100"})
    fig.update_xaxes(type="category")
    report_figures.base_layout(fig, height=380, title=t(lang, "trend_title", question=analysis.question(qid)["short"]))
    return _screen(fig, large)


# ---------------------------------------------------------------------- tables


def question_rows(analysis: WorkshopAnalysis, gid: str = ALL, lang: str = "sv") -> list[dict[str, Any]]:
    """Per question: index here, at the benchmark, the set's median, percentile and the best
    (index values rounded for display; a suppressed row says why instead)."""
    rows: list[dict[str, str | int | None]] = []
    for q in analysis.questions:
        e = view.bench_entry(analysis, q["id"], gid)
        if not e or e.get("suppressed") or hidden(analysis, gid):
            label = analysis.group_label(gid)
            rows.append({"question": q["short"], "index": None, "benchmark_index": None, "median_index": None,
                         "percentile": None, "best": t(lang, "suppressed", label=label, threshold=analysis.threshold)})
            continue
        rows.append({"question": q["short"], "index": _round(e.get("index")),
                     "benchmark_index": _round(e.get("benchmark_index")), "median_index": _round(e.get("median_index")),
                     "percentile": _round(e.get("percentile")),
                     "best": f"{e['best_municipality']} {e['best_year']}" if e.get("best_municipality") else ""})
    return rows


def _round(x: float | None) -> int | None:
    return None if x is None else int(round(x))


def comment_rows(analysis: WorkshopAnalysis, group_ids: list[str] | None = None) -> list[dict[str, str]]:
    """The redacted comments of the shown groups, as plain text cells."""
    if not analysis.comments:
        return []
    keep = {g["id"] for g in view.groups(restrict(analysis, group_ids))}
    return [{"group": analysis.group_label(c["group"]), "box": view.box_label(analysis, c["box"]),
             "themes": ", ".join(c.get("themes") or []), "sentiment": c.get("sentiment", ""), "text": c["text"]}
            for c in analysis.comments.get("comments") or []
            if c["group"] in keep and not hidden(analysis, c["group"])]


def comments_withheld(analysis: WorkshopAnalysis) -> bool:
    """Whether the privacy rule left out the comments of some box × group (too few to quote)."""
    return bool(view.withheld_comments(analysis))


def summaries(analysis: WorkshopAnalysis, group_ids: list[str] | None, lang: str) -> list[dict[str, Any]]:
    """Per comment box, per shown group: the summary bullets as sentences."""
    out = []
    keep = [g for g in view.groups(restrict(analysis, group_ids)) if not hidden(analysis, g["id"])]
    for box in view.boxes_with_summaries(analysis):
        per_group = view.comment_summaries(analysis, box["id"])
        groups = []
        for g in keep:
            s = per_group.get(g["id"])
            bullets = ([t(lang, "comments_few", threshold=analysis.threshold)] if s and s.get("suppressed") else
                       [b["statement"] for b in (s.get("bullets") if s else None) or []])
            if bullets:
                groups.append({"label": g["label"], "bullets": bullets})
        if groups:
            out.append({"box": box["label"], "groups": groups})
    return out


def clusters_for(clusters: list[dict[str, Any]], prompt_id: str | None) -> list[dict[str, Any]]:
    """The live clusters of one prompt, actions first by rank, then by size."""
    mine = [c for c in clusters if prompt_id is None or c.get("prompt_id") == prompt_id]
    return sorted(mine, key=lambda c: (c.get("rank") is None, c.get("rank") or 0, -(c.get("count") or 0)))
