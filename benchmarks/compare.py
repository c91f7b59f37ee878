"""Compare one municipality's wave with benchmark municipalities: pure functions, no SQL.

    cmp = compare(target, benchmark_set, history=earlier_waves)   # WaveCounts in, Comparison out
    cmp.to_dict()                                                  # the JSON of `tillit compare`

Everything rests on the 0–100 index per question × group (as in survey.compute_results:
the mean of the scale steps, "Vet ej" and blanks left out, rescaled from the lowest to the
highest step). The benchmark is the municipality with the highest mean index over the
compared questions and both groups ("the municipality with the highest results"), unless
one is given. Answer distributions are tested against each other only when the two
questions use the same scale; otherwise the comparison is on the index alone and says so
(``basis: "index"``), or is refused with ``scale_mismatch="refuse"``. A group with fewer
answers than the anonymity threshold gets no figures, here or in the benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from tillit.survey import ALL, DEFAULT_THRESHOLD, CountTable, whole_percents
from tillit.survey.results import SIGNIFICANCE, area_index, mann_whitney

from .errors import ComparisonError
from .field import (Field, area_indices, best_rows, field_of, mean_indices, medians, profile_cells, profile_many,
                    shares_below)
from .significance import compare_counts, distribution_distance, share_below

RAW, INDEX = "raw", "index"


@dataclass(frozen=True)
class WaveCounts:
    """One wave's counts and who it belongs to (what the store hands to the comparisons)."""

    municipality: str
    year: int
    table: CountTable
    synthetic: bool = False

    @property
    def label(self) -> str:
        return f"{self.municipality} {self.year}"


# ---------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Cell:
    """One question × group of one wave: counts per scale step, and the index (None: suppressed)."""

    counts: tuple[int, ...]
    index: float | None


def profile(table: CountTable, threshold: int = DEFAULT_THRESHOLD) -> dict[str, dict[str, Cell]]:
    """question -> group (and ALL) -> Cell, with the suppression rules of survey.compute_results.

    Much faster than compute_results (no tests, no intervals), and computed for a whole
    benchmark set at once (``field.profile_many``). A test checks that the indices agree.
    Kept in ``table.memo`` (the store hands out the same table while its data is unchanged),
    so choosing another benchmark does not profile the whole set again. The result is
    shared: read it, do not change it.
    """
    key = ("profile", threshold)
    if key not in table.memo:
        (prof, row), = profile_many([table], threshold)
        table.memo[key] = {q: {c: Cell(counts, index) for c, (counts, index) in cells.items()}
                           for q, cells in profile_cells(prof, row).items()}
    return table.memo[key]


def mean_index(prof: dict[str, dict[str, Cell]], questions: Sequence[str], groups: Sequence[str]) -> float | None:
    """Mean of the shown indices over the questions and groups (each group weighs the same)."""
    values = [prof[q][g].index for q in questions if q in prof for g in groups
              if g in prof[q] and prof[q][g].index is not None]
    return round(sum(values) / len(values), 2) if values else None


# ---------------------------------------------------------------------------- the result


@dataclass
class BenchmarkInfo:
    municipality: str
    year: int
    synthetic: bool
    basis: str  # "raw": same scales throughout; "index": some questions compared on the index only
    mean_index: float | None
    chosen: str  # "best" (highest mean index) or "given" (--with)


@dataclass
class SetEntry:
    municipality: str
    year: int
    mean_index: float | None
    synthetic: bool


@dataclass
class QuestionComparison:
    index: float | None
    n: int | None
    percent: dict[str, int] | None
    benchmark_index: float | None
    difference: float | None  # index − benchmark_index (negative: behind the benchmark)
    p_value: float | None
    test: str | None
    significant: bool | None
    basis: str
    percentile: float | None  # share of the benchmark set below this index, ties half (0–100)
    median_index: float | None
    difference_to_median: float | None
    best_municipality: str | None  # best in the benchmark set on this very question and group
    best_year: int | None
    best_index: float | None
    difference_to_best: float | None
    benchmark_percent: dict[str, int] | None
    benchmark_counts: dict[str, int] | None
    benchmark_n: int | None
    suppressed: bool  # this municipality's group is below the anonymity threshold
    benchmark_suppressed: bool


@dataclass
class AreaComparison:
    """One area (dimension) and group: the mean index of its questions, here and there.

    Like ``tillit.survey.Results.dimensions``, an area index is only given when every one of its
    questions has a shown index; the benchmark must have all of this municipality's
    questions in the area for the two to be compared.
    """

    index: float | None
    benchmark_index: float | None
    difference: float | None
    median_index: float | None  # median over the benchmark set
    percentile: float | None  # share of the benchmark set below this index, ties half (0–100)
    rank: int | None  # 1 = best among this municipality and the benchmark set
    ranked_of: int  # how many had an index to rank


@dataclass
class GapRow:
    question_id: str
    index_gap: float | None  # first group's index − second group's
    abs_gap: float | None
    distance: float | None  # total variation distance of the two groups' answers, percentage points
    p_value: float | None  # Mann–Whitney U between the groups
    rank: int | None  # 1 = the largest gap
    set_median_abs_gap: float | None = None
    set_percentile: float | None = None  # share of the benchmark set with a smaller gap


@dataclass
class Gaps:
    groups: tuple[str, str]
    municipality: list[GapRow]
    benchmark: list[GapRow]
    benchmark_set: list[dict]


@dataclass
class Trend:
    waves: list[int]
    previous_year: int | None
    questions: dict[str, dict[str, dict]]


@dataclass
class Comparison:
    municipality: str
    year: int
    instrument_id: str
    threshold: int
    synthetic: bool  # something here rests on synthetic data
    benchmark: BenchmarkInfo
    benchmark_set: list[SetEntry]
    questions: dict[str, dict[str, QuestionComparison]]
    areas: dict[str, dict[str, AreaComparison]]  # dimension -> group (and ALL)
    mean_index: float | None  # this municipality's, computed like the benchmark set's
    rank: int | None  # its place by mean index among itself and the set (1 = highest)
    gaps: Gaps
    trend: Trend
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "municipality": self.municipality, "year": self.year, "instrument": self.instrument_id,
            "anonymity_threshold": self.threshold, "synthetic": self.synthetic,
            "benchmark": asdict(self.benchmark),
            "benchmark_set": [asdict(e) for e in self.benchmark_set],
            "mean_index": self.mean_index,
            "rank": self.rank,
            "questions": {q: {g: asdict(c) for g, c in gs.items()} for q, gs in self.questions.items()},
            "areas": {d: {g: asdict(c) for g, c in gs.items()} for d, gs in self.areas.items()},
            "gaps": {"groups": list(self.gaps.groups),
                     "municipality": [asdict(r) for r in self.gaps.municipality],
                     "benchmark": [asdict(r) for r in self.gaps.benchmark],
                     "benchmark_set": self.gaps.benchmark_set},
            "trend": {"waves": self.trend.waves, "previous_year": self.trend.previous_year,
                      "questions": self.trend.questions},
            "notes": self.notes,
        }


# ---------------------------------------------------------------------------- comparing


def compare(target: WaveCounts, benchmark_set: Sequence[WaveCounts], *, benchmark: WaveCounts | None = None,
            history: Sequence[WaveCounts] = (), threshold: int = DEFAULT_THRESHOLD,
            scale_mismatch: str = INDEX) -> Comparison:
    """The full comparison of `target` with the benchmark set (and its own earlier waves).

    The figures over the set (mean indices, medians, percentiles, best, areas, gaps) come
    from its profiles as arrays (``field.py``); the tests run for the chosen benchmark only."""
    inst = target.table.instrument
    groups = inst.group_ids
    cells = [*groups, ALL]
    others = [w for w in benchmark_set if (w.municipality, w.year) != (target.municipality, target.year)]
    # every wave this comparison reads, profiled together (one batch per instrument)
    profile_many([w.table for w in (target, *history, *others, *([benchmark] if benchmark else []))], threshold)
    mine = profile(target.table, threshold)
    qids = list(mine)
    fld = field_of([w.table for w in others], threshold, qids, cells, tuple(groups[:2]))
    means = mean_indices(fld, qids, groups)
    order = sorted(range(len(others)), key=lambda i: (means[i] is None, -(means[i] or 0), others[i].municipality,
                                                      -others[i].year))
    ranked = [(others[i], means[i]) for i in order]
    if benchmark is None:
        if not ranked or ranked[0][1] is None:
            raise ComparisonError(f"Det finns inga andra kommuner att jämföra {target.label} med.",
                                  hint="Importera jämförelsekommuner med `tillit import` eller `tillit import-aggregate`.")
        bench, chosen = ranked[0][0], "best"
    else:
        bench, chosen = benchmark, "given"
    bprof = profile(bench.table, threshold)
    shared = [q for q in qids if q in bprof]
    if not shared:
        raise ComparisonError(f"{target.label} och {bench.label} har inga frågor gemensamt.",
                              hint="Jämför bara enkätomgångar som använt samma frågor.")
    basis = {q: _basis(target.table, bench.table, q) for q in qids}
    mismatched = [q for q in shared if basis[q] == INDEX]
    notes: list[str] = []
    if mismatched:
        text = (f"{bench.label} använde en annan svarsskala för {', '.join(mismatched)}; "
                "dessa frågor jämförs bara på index 0–100, inte svar för svar.")
        if scale_mismatch == "refuse":
            raise ComparisonError(text, hint="Jämför med en kommun som använt samma skalor.")
        notes.append(text)

    # every question × cell of the set at once: column k is qids[k // len(cells)], cells[k % len(cells)]
    values = fld.index[:, :len(qids)].reshape(len(others), len(qids) * len(cells))
    own = [mine[q][g].index for q in qids for g in cells]
    meds, shares = medians(values), shares_below(own, values)
    best = best_rows(values, np.array([w.year for w in others], dtype=np.int64))
    questions: dict[str, dict[str, QuestionComparison]] = {}
    for k, (q, g) in enumerate((q, g) for q in qids for g in cells):
        top = None if best[k] is None else (others[best[k]], float(values[best[k], k]))
        questions.setdefault(q, {})[g] = _question(inst.scale_of(q), mine[q][g], bprof.get(q, {}).get(g), basis[q],
                                                   meds[k], shares[k], top)

    synthetic = target.synthetic or bench.synthetic or any(w.synthetic for w in others)
    if synthetic:
        notes.append("Jämförelsen bygger delvis på syntetiska data (markerade med synthetic).")
    bench_mean = mean_index(bprof, qids, groups)
    own_mean = mean_index(mine, qids, groups)
    return Comparison(
        municipality=target.municipality, year=target.year, instrument_id=inst.id, threshold=threshold,
        synthetic=synthetic,
        benchmark=BenchmarkInfo(bench.municipality, bench.year, bench.synthetic, INDEX if mismatched else RAW,
                                bench_mean, chosen),
        benchmark_set=[SetEntry(w.municipality, w.year, m, w.synthetic) for w, m in ranked],
        questions=questions,
        areas=areas(inst, mine, bprof, fld),
        mean_index=own_mean,
        rank=None if own_mean is None else 1 + sum(m is not None and m > own_mean for _, m in ranked),
        gaps=perception_gaps(target, mine, bench, bprof, fld),
        trend=trend(target, history, threshold),
        notes=notes,
    )


def _area_index(prof: dict[str, dict[str, Cell]], questions: Sequence[str], group: str) -> float | None:
    """An area's index for one group, by the rule of survey.Results (every question shown)."""
    cells = [prof.get(q, {}).get(group) for q in questions]
    return area_index([c.index if c is not None else None for c in cells])


def areas(inst, mine: dict[str, dict[str, Cell]], bprof: dict[str, dict[str, Cell]],
          fld: Field) -> dict[str, dict[str, AreaComparison]]:
    """Per area (dimension) and group: here, the benchmark, and the benchmark set."""
    out: dict[str, dict[str, AreaComparison]] = {}
    for d in inst.dimensions:
        qs = [q.id for q in inst.questions if q.dimension == d.id and q.id in mine]
        if not qs:
            continue
        out[d.id] = {}
        for g in [*inst.group_ids, ALL]:
            here, there = _area_index(mine, qs, g), _area_index(bprof, qs, g)
            values = area_indices(fld, qs, g)[:, None]
            (med,), (share,) = medians(values), shares_below([here], values)
            shown = int((~np.isnan(values)).sum())
            out[d.id][g] = AreaComparison(
                index=here, benchmark_index=there, difference=_sub(here, there),
                median_index=_round(med, 2) if here is not None else None,
                percentile=_round(share_below(*share), 1) if here is not None else None,
                rank=None if here is None else 1 + int((values > here).sum()),
                ranked_of=shown + (here is not None))
    return out


def _basis(a: CountTable, b: CountTable, qid: str) -> str:
    try:
        same = a.instrument.scale_of(qid).signature == b.instrument.scale_of(qid).signature
    except KeyError:
        return INDEX
    return RAW if same else INDEX


def _question(scale, mine: Cell, theirs: Cell | None, basis: str, med: float | None,
              share: tuple[int, int, int] | None, best: tuple[WaveCounts, float] | None) -> QuestionComparison:
    """One question × cell; med, share (below, ties, of) and best: this cell over the benchmark set."""
    labels = scale.labels
    idx = mine.index
    b_idx = theirs.index if theirs is not None else None
    test = compare_counts(mine.counts, theirs.counts) if (
        basis == RAW and idx is not None and b_idx is not None) else None
    shown = idx is not None
    bench_shown = b_idx is not None and basis == RAW
    return QuestionComparison(
        index=idx, n=sum(mine.counts) if shown else None,
        percent=dict(zip(labels, whole_percents(list(mine.counts)))) if shown else None,
        benchmark_index=b_idx, difference=_sub(idx, b_idx),
        p_value=_p(test.p_value) if test else None, test=test.test if test else None,
        significant=(test.p_value < SIGNIFICANCE) if test and test.p_value is not None else None,
        basis=basis,
        percentile=_round(share_below(*share), 1) if shown else None,
        median_index=_round(med, 2) if shown else None,
        difference_to_median=_sub(idx, med),
        best_municipality=best[0].municipality if best and shown else None,
        best_year=best[0].year if best and shown else None,
        best_index=best[1] if best and shown else None,
        difference_to_best=_sub(idx, best[1]) if best else None,
        benchmark_percent=dict(zip(labels, whole_percents(list(theirs.counts)))) if bench_shown else None,
        benchmark_counts=dict(zip(labels, theirs.counts)) if bench_shown else None,
        benchmark_n=sum(theirs.counts) if bench_shown else None,
        suppressed=not shown, benchmark_suppressed=theirs is not None and b_idx is None,
    )


def _sub(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 2)


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def _p(p: float | None) -> float | None:
    return None if p is None else float(f"{p:.6g}")


# ---------------------------------------------------------------------------- perception gap


def gap_rows(wave: WaveCounts, prof: dict[str, dict[str, Cell]], with_tests: bool = True) -> list[GapRow]:
    """Per question the distance between the first two groups' answers, largest gap first."""
    inst = wave.table.instrument
    g1, g2 = inst.group_ids[:2]
    rows = []
    for q, cells in prof.items():
        a, b = cells[g1], cells[g2]
        if a.index is None or b.index is None:
            rows.append(GapRow(q, None, None, None, None, None))
            continue
        p = None
        if with_tests:
            scale = inst.scale_of(q)
            mw = mann_whitney(scale, dict(zip(scale.labels, a.counts)), dict(zip(scale.labels, b.counts)))
            p = _p(mw[1]) if mw else None
        gap = round(a.index - b.index, 2)
        rows.append(GapRow(q, gap, abs(gap), _round(distribution_distance(a.counts, b.counts), 2), p, None))
    shown = sorted((r for r in rows if r.abs_gap is not None), key=lambda r: (-r.abs_gap, -(r.distance or 0)))
    for rank, r in enumerate(shown, start=1):
        r.rank = rank
    return shown + [r for r in rows if r.abs_gap is None]


def perception_gaps(target: WaveCounts, mine: dict, bench: WaveCounts, bprof: dict, fld: Field) -> Gaps:
    """The gaps between the first two groups here and at the benchmark (with tests), and how
    large they are across the benchmark set (waves whose first two groups are the same)."""
    groups = tuple(target.table.instrument.group_ids[:2])
    if len(groups) < 2:
        return Gaps(("", ""), [], [], [])
    med_gap, med_distance = medians(fld.abs_gap), medians(fld.distance)
    n = (~np.isnan(fld.abs_gap)).sum(axis=0).tolist()
    own = gap_rows(target, mine)
    shares = shares_below([r.abs_gap for r in own], fld.abs_gap[:, [fld.column(r.question_id) for r in own]])
    for r, share in zip(own, shares):
        r.set_median_abs_gap = _round(med_gap[fld.column(r.question_id)], 2)
        if r.abs_gap is not None:
            r.set_percentile = _round(share_below(*share), 1)
    summary = [{"question_id": q, "median_abs_gap": _round(med_gap[k], 2),
                "median_distance": _round(med_distance[k], 2), "n": n[k]}
               for q, k in ((q, fld.column(q)) for q in fld.gap_order)]
    summary.sort(key=lambda s: -(s["median_abs_gap"] or 0))
    for rank, s in enumerate(summary, start=1):
        s["rank"] = rank
    return Gaps(groups, own, gap_rows(bench, bprof), summary)


# ---------------------------------------------------------------------------- trend


def trend(target: WaveCounts, history: Sequence[WaveCounts], threshold: int = DEFAULT_THRESHOLD) -> Trend:
    """Index per question × group across the municipality's waves up to `target`, and the
    change since the previous wave with a test of whether it is larger than chance."""
    waves = {w.year: w for w in history if w.year < target.year}
    waves[target.year] = target
    years = sorted(waves)
    profs = {y: profile(waves[y].table, threshold) for y in years}
    prev = years[-2] if len(years) > 1 else None
    out: dict[str, dict[str, dict]] = {}
    for q, cells in profs[target.year].items():
        out[q] = {}
        for g, cell in cells.items():
            indices = {str(y): profs[y].get(q, {}).get(g, Cell((), None)).index for y in years}
            entry = {"indices": indices, "change": None, "p_value": None, "test": None, "significant": None,
                     "basis": None}
            before = profs[prev].get(q, {}).get(g) if prev is not None else None
            if before is not None:
                basis = _basis(waves[prev].table, target.table, q)
                entry["basis"] = basis
                entry["change"] = _sub(cell.index, before.index)
                if basis == RAW and cell.index is not None and before.index is not None:
                    t = compare_counts(before.counts, cell.counts)
                    entry.update(p_value=_p(t.p_value), test=t.test,
                                 significant=None if t.p_value is None else t.p_value < SIGNIFICANCE)
            out[q][g] = entry
    return Trend(years, prev, out)
