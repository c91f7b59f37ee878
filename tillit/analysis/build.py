"""Building the analysis object from computed parts: a pure function (I/O happens in `tillit.pipeline`)."""

from __future__ import annotations

import datetime as _dt
from importlib import resources
from pathlib import Path
from typing import Any, cast

from tillit.survey import ALL, Instrument, Results, TillitError, privacy
from tillit.survey.yamlio import load_yaml

from . import types as t
from .model import WorkshopAnalysis

_TEXT = {
    "sv": {"all": "Alla svarande"},
    "en": {"all": "All respondents"},
}


def load_workshop_settings(path: str | Path | None = None) -> dict[str, Any]:
    if path is None:
        text = resources.files("tillit.data").joinpath("workshop.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data = load_yaml(text) or {}
    if not isinstance(data, dict):
        raise TillitError("workshopinställningarna ska vara en YAML-mappning (nyckel: värde).",
                          source=path or "tillit/data/workshop.yaml",
                          hint="Börja filen med till exempel `dialogue_prompts:`.")
    return data


def dialogue_prompts(settings: dict[str, Any], lang: str) -> list[t.Prompt]:
    return [{"id": str(p["id"]), "text": str(p.get(lang) or p.get("sv") or p["id"])}
            for p in settings.get("dialogue_prompts") or []]


# ---------------------------------------------------------------------- findings


def compute_findings(inst: Instrument, results: Results, benchmark: t.Benchmark | dict[str, Any] | None,
                     lang: str) -> t.Findings:
    """Strongest and weakest areas, largest gaps between the groups and to the benchmark."""
    dims: list[t.RankedArea] = []
    for d in inst.dimensions:
        idx = results.dimensions.get(d.id, {}).get(ALL)
        if idx is not None:
            dims.append({"id": d.id, "label": d.label(lang), "index": idx})
    dims.sort(key=lambda x: -x["index"])
    group_gaps: list[t.GroupGap] = []
    g1, g2 = (inst.group_ids + [None, None])[:2]
    for q in inst.questions:
        r = results.questions.get(q.id)
        diff = results.differences.get(q.id)
        if not r or not diff or diff.suppressed or g2 is None:
            continue
        a, b = r[g1].index, r[g2].index
        if a is None or b is None:
            continue
        group_gaps.append({"question": q.id, "short": q.short(lang), "index": {g1: a, g2: b},
                           "difference": round(a - b, 2), "p_value": diff.p_value, "differs": diff.differs})
    group_gaps.sort(key=lambda x: -abs(x["difference"]))
    bench_gaps: list[t.BenchmarkGap] = []
    if benchmark:
        for qid, per_group in (benchmark.get("questions") or {}).items():
            g = per_group.get(ALL) or {}
            gap = g.get("difference")
            if gap is not None and not g.get("suppressed"):
                bench_gaps.append({"question": qid, "short": inst.question(qid).short(lang) if qid in inst.question_ids else qid,
                                   "difference": gap, "p_value": g.get("p_value")})
        bench_gaps.sort(key=lambda x: x["difference"])
    placed: list[t.PlacedArea] = []  # each area's rank among this municipality and the benchmark set (all respondents)
    for d in inst.dimensions:
        cell = ((benchmark or {}).get("areas") or {}).get(d.id, {}).get(ALL) or {}
        rank = cell.get("rank")
        if rank is not None:
            placed.append({"id": d.id, "label": d.label(lang), "rank": rank, "of": cell["ranked_of"],
                           "difference": cell.get("difference")})
    best_rank = min((p["rank"] for p in placed), default=None)
    worst_rank = max((p["rank"] for p in placed), default=None)
    return {
        # the areas (ties together) where the municipality ranks best and worst among the set
        "areas_best_placed": [p for p in placed if p["rank"] == best_rank],
        "areas_worst_placed": [p for p in placed if p["rank"] == worst_rank] if worst_rank != best_rank else [],
        "dimensions_ranked": dims,
        "strongest": dims[0] if dims else None,
        "weakest": dims[-1] if dims else None,
        "group_gaps": group_gaps[:5],
        "benchmark_gaps": bench_gaps[:5],
    }


# ---------------------------------------------------------------------- privacy rules on comments


def suppress_small_summaries(comments: dict[str, Any] | None, threshold: int) -> dict[str, Any] | None:
    """A box × group summary resting on fewer commenters than the threshold shows no bullets
    (the rule lives in `tillit.survey.privacy.suppress_comment_summaries`)."""
    return privacy.suppress_comment_summaries(comments, threshold)


# ---------------------------------------------------------------------- builder


def build_analysis(
    inst: Instrument,
    results: Results,
    *,
    municipality: str,
    year: int | None,
    lang: str = "sv",
    benchmark: dict[str, Any] | None = None,
    comments: dict[str, Any] | None = None,
    dialogue: dict[str, Any] | None = None,
    prompts: list[t.Prompt] | list[dict[str, str]] | None = None,
    provenance: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
    actions: list[dict[str, Any]] | None = None,
) -> WorkshopAnalysis:
    """Assemble the analysis object from computed parts (pure: no I/O).

    The parts from other packages come as their `to_dict()` output; they are taken as the
    types of `tillit.analysis.types` (cast: the schema test checks every builder's output
    against those types with extra keys forbidden)."""
    groups: list[t.Group] = [{"id": g.id, "label": g.label(lang), "singular": g.singular_en if lang == "en" else g.singular_sv}
              for g in inst.groups]
    groups.append({"id": ALL, "label": _TEXT[lang]["all"], "singular": _TEXT[lang]["all"]})
    questions: list[t.Question] = []
    for q in inst.questions:
        if q.id not in results.questions:
            continue
        scale = inst.scales[q.scale]
        questions.append({
            "id": q.id, "text": q.full_text(lang), "short": q.short(lang), "dimension": q.dimension,
            "scale": scale.id, "kind": "yes_no" if len(scale.steps) == 2 else "scale",
            "labels": scale.labels,
            "labels_display": [scale.english(lbl) for lbl in scale.labels] if lang == "en" else scale.labels,
            "dont_know_labels": [d.label for d in scale.dont_know], "positive": list(scale.positive),
            "conditional_on": ({"question": q.conditional_on[0], "answers": list(q.conditional_on[1])}
                               if q.conditional_on else None),
        })
    dims: list[t.Dimension] = [{"id": d.id, "label": d.label(lang), "questions": [q["id"] for q in questions if q["dimension"] == d.id]}
            for d in inst.dimensions]
    prov: dict[str, Any] = {"generated_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "instrument_source": inst.source, "threshold": results.threshold, "synthetic": False}
    prov.update(provenance or {})
    if benchmark and benchmark.get("benchmark", {}).get("synthetic"):
        prov["benchmark_synthetic"] = True
    # A group with answers but fewer than the threshold shows no figure, not even its size.
    hidden = list(results.hidden_groups)
    respondents = privacy.shown_sizes(results.respondents, results.threshold)
    results_d = cast(t.Results, results.to_dict())
    results_d["respondents"] = dict(respondents)
    return WorkshopAnalysis(
        municipality=municipality, year=year, lang=lang,
        instrument={"id": inst.id, "version": inst.version, "name": inst.name_en if lang == "en" else inst.name_sv},
        groups=groups, dimensions=dims, questions=questions,
        comment_boxes=[{"id": b.id, "label": b.label(lang)} for b in inst.comment_boxes],
        respondents=respondents, threshold=results.threshold, results=results_d, hidden_groups=hidden,
        findings=compute_findings(inst, results, benchmark, lang), benchmark=cast(t.Benchmark | None, benchmark),
        comments=cast(t.Comments | None, privacy.suppress_comment_summaries(comments, results.threshold)),
        dialogue=cast(t.Dialogue | None, dialogue), dialogue_prompts=cast(list[t.Prompt], list(prompts or [])),
        actions=cast(list[t.Action], list(actions or [])), provenance=cast(t.Provenance, prov),
        warnings=list(warnings or []) + list(results.notes))
