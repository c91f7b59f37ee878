"""Per question × group results from answer counts: shares, means, indices, intervals, tests.

Pure functions of a :class:`CountTable`. Whole-percent shares add up to exactly 100
(largest remainder), so a facilitator can check every figure against the raw counts.
Groups with fewer answers than the anonymity threshold get no figures at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field


from . import privacy
from .counts import CountTable
from .instrument import Instrument, Scale
from .tidy import BLANK

ALL = "alla"  # key for all respondents together
DEFAULT_THRESHOLD = privacy.DEFAULT_THRESHOLD
SIGNIFICANCE = 0.05


def whole_percents(counts: list[int]) -> list[int]:
    """Whole percents that add up to 100, by the largest remainder method.

    Ties in the remainder go to the larger count, then to the earlier position.
    >>> whole_percents([1, 6, 7, 5])
    [5, 32, 37, 26]
    """
    total = sum(counts)
    if total <= 0:
        return [0] * len(counts)
    exact = [100 * c / total for c in counts]
    floors = [math.floor(e) for e in exact]
    short = 100 - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), -counts[i], i))
    for i in order[:short]:
        floors[i] += 1
    return floors


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion."""
    if n <= 0:
        return (float("nan"), float("nan"))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class GroupResult:
    counts: dict[str, int] | None
    percent: dict[str, int] | None
    n: int | None
    dont_know: int | None
    blank: int | None
    mean: float | None
    index: float | None
    share_positive: float | None
    ci95: list[float] | None
    suppressed: bool
    ineligible: int | None = None
    dont_know_counts: dict[str, int] | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        if d["dont_know_counts"] is None or len(d["dont_know_counts"] or {}) <= 1:
            d.pop("dont_know_counts")
        return d


@dataclass
class Difference:
    """Mann–Whitney U between two groups on one question."""

    groups: tuple[str, str]
    u: float | None
    p_value: float | None
    rank_biserial: float | None  # > 0: the first group answers higher
    differs: bool
    suppressed: bool

    def to_dict(self) -> dict:
        return {"groups": list(self.groups), "u": self.u, "p_value": self.p_value,
                "rank_biserial": self.rank_biserial, "differs": self.differs, "suppressed": self.suppressed}


@dataclass
class Results:
    instrument_id: str
    instrument_version: int
    threshold: int
    respondents: dict[str, int]
    questions: dict[str, dict[str, GroupResult]]
    dimensions: dict[str, dict[str, float | None]]
    differences: dict[str, Difference]
    notes: list[str] = field(default_factory=list)
    # groups with answers but fewer respondents than the threshold (tillit.survey.privacy):
    # their size is not shown either; not part of to_dict (the analysis records it)
    hidden_groups: list[str] = field(default_factory=list)

    @property
    def shown_respondents(self) -> dict[str, int | None]:
        """The group sizes as they may be shown: None for a hidden group."""
        return {g: (None if g in self.hidden_groups else n) for g, n in self.respondents.items()}

    def to_dict(self) -> dict:
        return {
            "instrument": {"id": self.instrument_id, "version": self.instrument_version},
            "anonymity_threshold": self.threshold,
            "respondents": self.respondents,
            "questions": {q: {g: r.to_dict() for g, r in gs.items()} for q, gs in self.questions.items()},
            "dimensions": self.dimensions,
            "differences": {q: d.to_dict() for q, d in self.differences.items()},
            "notes": self.notes,
        }


def _r(x: float | None, digits: int = 4) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x), digits)


def area_index(indices: Sequence[float | None]) -> float | None:
    """An area's index: the mean of its questions' indices, only when every one is shown."""
    if privacy.area_hidden(indices):
        return None
    return _r(sum(indices) / len(indices), 2)


def index_from_counts(values: Sequence[float], low: float, span: float, counts: Sequence[int]) -> float:
    """The 0–100 index: the mean of the scale values, rescaled from the lowest to the highest step.

    Callers have checked that sum(counts) > 0 (and the anonymity threshold)."""
    mean = sum(v * c for v, c in zip(values, counts)) / sum(counts)
    return 100 * (mean - low) / span


def group_result(scale: Scale, label_counts: dict[str, int], threshold: int, ineligible: int = 0) -> GroupResult:
    step_counts = [int(label_counts.get(lbl, 0)) for lbl in scale.labels]
    n = sum(step_counts)
    dk = {d.label: int(label_counts.get(d.label, 0)) for d in scale.dont_know}
    if privacy.too_few(n, threshold):
        return GroupResult(None, None, None, None, None, None, None, None, None, True)
    values = [s.value for s in scale.steps]
    mean = sum(v * c for v, c in zip(values, step_counts)) / n
    index = index_from_counts(values, scale.min_value, scale.max_value - scale.min_value, step_counts)
    pos = sum(c for lbl, c in zip(scale.labels, step_counts) if lbl in scale.positive)
    lo, hi = wilson_interval(pos, n)
    return GroupResult(
        counts=dict(zip(scale.labels, step_counts)),
        percent=dict(zip(scale.labels, whole_percents(step_counts))),
        n=n, dont_know=sum(dk.values()), blank=int(label_counts.get(BLANK, 0)),
        mean=_r(mean), index=_r(index, 2), share_positive=_r(pos / n), ci95=[_r(lo), _r(hi)],
        suppressed=False, ineligible=ineligible, dont_know_counts=dk)


def mann_whitney(scale: Scale, a: dict[str, int], b: dict[str, int]) -> tuple[float, float, float] | None:
    """(U of the first group, two-sided p, rank-biserial r) from label counts, or None.

    scipy's ``mannwhitneyu(x, y, alternative="two-sided", method="asymptotic")`` (normal
    approximation with tie correction and continuity correction) on the answers the counts
    stand for, computed from the counts themselves: every answer of a scale step shares
    that step's mid-rank, so the rank sum and the tie term are sums over the steps. A
    comparison runs it for every question and group pair; scipy on the expanded answers
    took about 0.7 ms a call. tests/test_survey_results.py checks it against scipy."""
    xs = [int(a.get(s.label, 0)) for s in scale.steps]
    ys = [int(b.get(s.label, 0)) for s in scale.steps]
    n1, n2 = sum(xs), sum(ys)
    if n1 == 0 or n2 == 0:
        return None
    totals = [x + y for x, y in zip(xs, ys)]
    values = [s.value for s in scale.steps]
    if len({v for v, t in zip(values, totals) if t}) == 1:  # every answer the same
        return (n1 * n2 / 2, 1.0, 0.0)
    # steps in the order of their values (ranks follow values; steps with equal values share ranks)
    merged: dict[float, list[int]] = {}
    for v, x, t in zip(values, xs, totals):
        m = merged.setdefault(v, [0, 0])
        m[0] += x
        m[1] += t
    rank_sum, below, ties = 0.0, 0, 0
    for v in sorted(merged):
        x, t = merged[v]
        rank_sum += x * (below + (t + 1) / 2)  # the mid-rank of this step's answers
        below += t
        ties += t ** 3 - t
    n = n1 + n2
    u1 = rank_sum - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1
    mu = n1 * n2 / 2
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    z = (max(u1, u2) - mu - 0.5) / sigma  # two-sided, with continuity correction, as scipy
    p = min(1.0, max(0.0, math.erfc(z / math.sqrt(2))))  # 2 × the normal survival function
    r = 2 * u1 / (n1 * n2) - 1
    return (float(u1), float(p), float(r))


def compute_results(table: CountTable, *, threshold: int = DEFAULT_THRESHOLD) -> Results:
    inst: Instrument = table.instrument
    by_qg: dict[tuple[str, str], dict[str, int]] = {}
    for qid, group, label, n in table.rows:
        d = by_qg.setdefault((qid, group), {})
        d[label] = d.get(label, 0) + int(n)
    present_q = [q for q in inst.questions if any(k[0] == q.id for k in by_qg)]
    notes: list[str] = []
    questions: dict[str, dict[str, GroupResult]] = {}
    small = [g for g in inst.group_ids if privacy.too_few(table.respondents.get(g, 0), threshold)]
    if small:
        names = ", ".join(inst.group(g).label_sv.lower() for g in small)
        notes.append(f"Grupper med färre än {threshold} svarande redovisas inte: {names}.")
    for q in present_q:
        scale = inst.scales[q.scale]
        per_group: dict[str, GroupResult] = {}
        total: dict[str, int] = {}
        for g in inst.group_ids:
            lc = by_qg.get((q.id, g), {})
            for k, v in lc.items():
                total[k] = total.get(k, 0) + v
            res = group_result(scale, lc, threshold, table.ineligible.get(q.id, {}).get(g, 0))
            if privacy.too_few(table.respondents.get(g, 0), threshold) and not res.suppressed:
                res = GroupResult(None, None, None, None, None, None, None, None, None, True)
            per_group[g] = res
        all_res = group_result(scale, total, threshold, sum(table.ineligible.get(q.id, {}).values()))
        # A shown total next to shown groups would reveal a suppressed group by subtraction.
        if privacy.total_hidden((per_group[g].suppressed, table.respondents.get(g, 0)) for g in inst.group_ids):
            all_res = GroupResult(None, None, None, None, None, None, None, None, None, True)
        per_group[ALL] = all_res
        questions[q.id] = per_group

    dimensions: dict[str, dict[str, float | None]] = {}
    for d in inst.dimensions:
        qids = [q.id for q in present_q if q.dimension == d.id]
        if not qids:
            continue
        dimensions[d.id] = {}
        for g in [*inst.group_ids, ALL]:
            dimensions[d.id][g] = area_index([questions[q][g].index for q in qids])

    differences: dict[str, Difference] = {}
    if len(inst.group_ids) >= 2:
        g1, g2 = inst.group_ids[0], inst.group_ids[1]
        for q in present_q:
            suppressed = questions[q.id][g1].suppressed or questions[q.id][g2].suppressed
            mw = None if suppressed else mann_whitney(inst.scales[q.scale], by_qg.get((q.id, g1), {}), by_qg.get((q.id, g2), {}))
            if mw is None:
                differences[q.id] = Difference((g1, g2), None, None, None, False, True)
            else:
                u, p, r = mw
                differences[q.id] = Difference((g1, g2), _r(u, 2), _r(p), _r(r), p < SIGNIFICANCE, False)
    return Results(inst.id, inst.version, threshold, dict(table.respondents), questions, dimensions, differences, notes,
                   privacy.hidden_groups(table.respondents, threshold))
