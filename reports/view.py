"""Read-only access to a `WorkshopAnalysis` in the shapes the renderers draw.

Nothing here computes a figure: every number comes from the analysis object as it is
(whole percents, n, indices). This module only picks, orders and labels them, so the
native PowerPoint charts and the Plotly figures show exactly the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .texts import dec, p_text, t

if TYPE_CHECKING:
    from tillit.analysis import WorkshopAnalysis
    from tillit.analysis import types as at

ALL = "alla"

# Diverging colours: negative answers red side, positive answers blue side.
NEGATIVE = ["#b2383b", "#e8896a", "#f4c5ad"]
POSITIVE = ["#9cc3e0", "#4a90c6", "#1f5f99"]
GROUP_COLOURS = ["#1f5f99", "#e07b39", "#6a8d3a", "#8c5a9e"]
BENCH_COLOUR = "#7f7f7f"
INK = "#1d2b36"
ACCENT = "#1f5f99"


@dataclass
class Row:
    """One bar of a distribution chart: a group here, or a group in the benchmark."""

    label: str
    percents: list[int] | None  # in scale order; None when suppressed
    n: int | None
    kind: str  # "own" | "bench"
    group: str
    suppressed: bool = False


def lang_of(analysis: WorkshopAnalysis, lang: str | None = None) -> str:
    return lang or getattr(analysis, "lang", None) or "sv"


def groups(analysis: WorkshopAnalysis) -> list[at.Group]:
    """The respondent groups in instrument order, without the 'all respondents' total."""
    return [g for g in analysis.groups if g["id"] != ALL]


def group_hidden(analysis: WorkshopAnalysis, gid: str) -> bool:
    """A group whose figures and size are not shown: hidden by the anonymity rule (as the
    analysis recorded it), or without respondents at all. Reads flags only: the rule itself
    is `tillit.survey.privacy`."""
    return gid in hidden_groups(analysis) or not analysis.respondents.get(gid)


def hidden_groups(analysis: WorkshopAnalysis) -> list[str]:
    """Groups with answers but fewer than the threshold, as the analysis recorded them."""
    return list(getattr(analysis, "hidden_groups", None) or [])


def scale_colours(question: at.Question) -> list[str]:
    labels, positive = question["labels"], set(question.get("positive") or [])
    neg = [lbl for lbl in labels if lbl not in positive]
    pos = [lbl for lbl in labels if lbl in positive]
    colours = {}
    for i, lbl in enumerate(neg):  # darkest for the most negative (first) answer
        colours[lbl] = NEGATIVE[min(i, len(NEGATIVE) - 1)] if len(neg) <= len(NEGATIVE) else NEGATIVE[i * len(NEGATIVE) // len(neg)]
    for i, lbl in enumerate(reversed(pos)):  # darkest for the most positive (last) answer
        colours[lbl] = POSITIVE[-1 - min(i, len(POSITIVE) - 1)]
    return [colours[lbl] for lbl in labels]


def text_colour(fill: str) -> str:
    """White on dark fills, ink on light ones."""
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if (0.299 * r + 0.587 * g + 0.114 * b) < 150 else INK


# ---------------------------------------------------------------------- benchmark


def benchmark_info(analysis: WorkshopAnalysis) -> at.BenchmarkInfo | None:
    b = analysis.benchmark or None
    return (b or {}).get("benchmark") if b else None


def bench_entry(analysis: WorkshopAnalysis, qid: str, gid: str) -> at.QuestionComparison | None:
    if not analysis.benchmark:
        return None
    return ((analysis.benchmark.get("questions") or {}).get(qid) or {}).get(gid)


def bench_synthetic(analysis: WorkshopAnalysis) -> bool:
    info = benchmark_info(analysis)
    return bool((info and info.get("synthetic")) or analysis.provenance.get("benchmark_synthetic"))


def bench_heading(analysis: WorkshopAnalysis, qid: str | None, lang: str) -> str | None:
    """The comparison line for a question slide; "the best" only when the data says so."""
    info = benchmark_info(analysis)
    if not info:
        return None
    name, year = info.get("municipality", ""), info.get("year", "")
    best = None
    if qid:
        e = bench_entry(analysis, qid, ALL) or next(
            (bench_entry(analysis, qid, g["id"]) for g in groups(analysis) if bench_entry(analysis, qid, g["id"])), None)
        best = e.get("best_municipality") if e else None
    if best and best == name:
        return t(lang, "bench_title_best", municipality=name)
    return t(lang, "bench_title", municipality=name, year=year)


def bench_name(analysis: WorkshopAnalysis, info: at.BenchmarkInfo, lang: str) -> str:
    """The benchmark's name in a legend: municipality and year, marked when the data are synthetic."""
    name = f"{info.get('municipality', '')} {info.get('year', '')}".strip()
    if bench_synthetic(analysis):
        name += f" ({t(lang, 'synthetic_benchmark').lower()})"
    return name


def benchmark_index_rows(analysis: WorkshopAnalysis) -> list[tuple[str, float, float | None]]:
    """(question short, index here, index in the benchmark) for all respondents, shown questions only."""
    rows = []
    for q in analysis.questions:
        e = bench_entry(analysis, q["id"], ALL)
        index = e.get("index") if e else None
        if e and not e.get("suppressed") and index is not None:
            rows.append((q["short"], index, e.get("benchmark_index")))
    return rows


def area_rows(analysis: WorkshopAnalysis, gid: str = ALL) -> list[dict[str, Any]]:
    """Per area (dimension) with a shown index: here, the benchmark, the set's median and the rank."""
    areas = analysis.benchmark.get("areas") or {} if analysis.benchmark else {}
    rows = []
    for d, _ in dimension_questions(analysis):
        e = (areas.get(d["id"]) or {}).get(gid)
        if e and e.get("index") is not None:
            rows.append({"id": d["id"], "label": d["label"], **e})
    return rows


# ---------------------------------------------------------------------- rows


def distribution_rows(analysis: WorkshopAnalysis, qid: str, lang: str | None = None) -> list[Row]:
    """Per group: this municipality's shares, then the benchmark's (when present)."""
    lang = lang_of(analysis, lang)
    q = analysis.question(qid)
    labels = q["labels"]
    info = benchmark_info(analysis)
    rows: list[Row] = []
    for g in groups(analysis):
        gid, glabel = g["id"], g["label"]
        r = analysis.result(qid, gid)
        percent = r.get("percent") if r else None
        if not r or r.get("suppressed") or not percent or group_hidden(analysis, gid):
            rows.append(Row(t(lang, "suppressed_row", label=glabel, threshold=analysis.threshold),
                            None, None, "own", gid, True))
            continue
        own_label = (t(lang, "row_label_own", label=glabel, municipality=analysis.municipality, n=r["n"])
                     if info else t(lang, "row_label", label=glabel, n=r["n"]))
        rows.append(Row(own_label, [int(percent.get(lbl, 0)) for lbl in labels], r["n"], "own", gid))
        if info:
            e = bench_entry(analysis, qid, gid)
            if not e:
                continue
            bench_percent = e.get("benchmark_percent")
            if e.get("benchmark_suppressed") or not bench_percent:
                rows.append(Row(t(lang, "bench_suppressed", municipality=info.get("municipality", "")),
                                None, None, "bench", gid, True))
                continue
            rows.append(Row(t(lang, "row_label_bench", label=glabel, municipality=info.get("municipality", ""),
                              year=info.get("year", ""), n=e.get("benchmark_n", "–")),
                            [int(bench_percent.get(lbl, 0)) for lbl in labels], e.get("benchmark_n"),
                            "bench", gid))
    return rows


def question_notes(analysis: WorkshopAnalysis, qid: str, lang: str | None = None, *, dont_know: bool = True) -> list[str]:
    """Small print under a question chart: Vet ej, follow-up conditions, ineligible answers."""
    lang = lang_of(analysis, lang)
    q = analysis.question(qid)
    notes = []
    dk, inel = [], 0
    for g in groups(analysis):
        r = analysis.result(qid, g["id"])
        if r is None or r.get("suppressed") or group_hidden(analysis, g["id"]):
            continue
        if q.get("dont_know_labels") and r.get("dont_know") is not None:
            dk.append(f"{g['label'].lower()} {r['dont_know']}")
        inel += int(r.get("ineligible") or 0)
    if dk and dont_know:
        notes.append(t(lang, "dont_know_note", items=", ".join(dk)))
    cond = q.get("conditional_on")
    if cond:
        try:
            parent = analysis.question(cond["question"])["short"]
        except StopIteration:
            parent = cond["question"]
        notes.append(t(lang, "conditional_note", question=parent, answers=" / ".join(cond.get("answers") or [])))
        if inel:
            notes.append(t(lang, "ineligible_note", n=inel))
    return notes


def dimension_questions(analysis: WorkshopAnalysis) -> list[tuple[at.Dimension, list[at.Question]]]:
    """(dimension, its questions) in instrument order; dimensions without questions left out."""
    out = []
    for d in analysis.dimensions:
        qs = [analysis.question(qid) for qid in d.get("questions", []) if any(q["id"] == qid for q in analysis.questions)]
        if qs:
            out.append((d, qs))
    return out


def comment_summaries(analysis: WorkshopAnalysis, box_id: str) -> dict[str, at.Summary]:
    """group id -> summary dict for one comment box."""
    if not analysis.comments:
        return {}
    return {s.get("group"): s for s in analysis.comments.get("summaries") or [] if s.get("box") == box_id}


def boxes_with_summaries(analysis: WorkshopAnalysis) -> list[at.CommentBox]:
    if not analysis.comments:
        return []
    have = {s.get("box") for s in analysis.comments.get("summaries") or [] if s.get("bullets")}
    known = [b for b in analysis.comment_boxes if b["id"] in have]
    extra: list[at.CommentBox] = [{"id": b, "label": b} for b in sorted(x for x in have if x and x not in {k["id"] for k in known})]
    return known + extra


def withheld_comments(analysis: WorkshopAnalysis) -> set[tuple[str, str]]:
    """The (box, group) cells whose comments the privacy rule left out (too few to quote)."""
    if not analysis.comments:
        return set()
    return {(c["box"], c["group"]) for c in analysis.comments.get("withheld") or []}


def box_label(analysis: WorkshopAnalysis, box_id: str) -> str:
    return next((b["label"] for b in analysis.comment_boxes if b["id"] == box_id), box_id)


def benchmark_gap_rows(analysis: WorkshopAnalysis) -> dict[str, dict[str, Any]]:
    """question id -> {"here": own gap row, "bench": the benchmark's row, "set": the set's median row}."""
    gaps = analysis.benchmark.get("gaps") if analysis.benchmark else None
    out: dict[str, dict[str, Any]] = {}
    if not gaps:
        return out
    sets: tuple[tuple[str, Any], ...] = (("here", gaps.get("municipality")), ("bench", gaps.get("benchmark")),
                                         ("set", gaps.get("benchmark_set")))
    for key, rows in sets:
        for r in rows or []:
            out.setdefault(r.get("question_id"), {})[key] = r
    return out


def dialogue_clusters(analysis: WorkshopAnalysis, prompt_id: str | None = None) -> list[at.Cluster]:
    if not analysis.dialogue:
        return []
    cl = [c for c in analysis.dialogue.get("clusters") or [] if prompt_id is None or c.get("prompt_id") == prompt_id]
    return sorted(cl, key=lambda c: (c.get("rank") is None, c.get("rank") or 0, -(c.get("count") or 0)))


def followup_lines(analysis: WorkshopAnalysis, action: at.Action, lang: str) -> tuple[str, str, str]:
    """(meta line, all respondents line, per group line) of one followed-up action (`analysis.actions`),
    worded for the deck and the report alike; every figure is the analysis's own."""
    status = t(lang, f"followup_status_{action.get('status') or 'open'}")
    meta = t(lang, "followup_meta", area=action.get("area_label") or action.get("area"), year=action.get("decided_year"),
             owner=action.get("owner") or t(lang, "followup_no_owner"), status=status)
    if action.get("area_measured") is False:
        return meta, t(lang, "followup_not_measured", then=action.get("year_then"), now=action.get("year_now")), ""
    if action.get("suppressed"):
        everyone = t(lang, "followup_all_suppressed", threshold=analysis.threshold)
    else:
        verdict = t(lang, "followup_sig" if action.get("significant") else "followup_not_sig",
                    p=p_text(action.get("p_value"), lang))
        everyone = t(lang, "followup_all", then=dec(action.get("index_then"), lang), year_then=action.get("year_then"),
                     now=dec(action.get("index_now"), lang), year_now=action.get("year_now"),
                     change=dec(action.get("change"), lang, signed=True), verdict=verdict)
    parts = []
    for g in groups(analysis):
        cell = (action.get("groups") or {}).get(g["id"])
        if cell is None or cell.get("suppressed", True):
            parts.append(t(lang, "followup_group_suppressed", group=g["label"], threshold=analysis.threshold))
        else:
            parts.append(t(lang, "followup_group", group=g["label"], change=dec(cell.get("change"), lang, signed=True),
                           star="*" if cell.get("significant") else ""))
    return meta, everyone, " · ".join(parts)
