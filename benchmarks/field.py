"""The profiles of a whole benchmark set at once, as arrays: what keeps a comparison with
hundreds of municipalities fast.

A wave's profile (``compare.profile``) is, per question × group (and ALL), the counts per
scale step and the 0–100 index, with the anonymity rules of ``tillit.survey.compute_results``.
Here the count rows of many waves are gathered into one array (waves × questions × cells ×
scale steps) in one pass, and the indices, mean indices, area indices, perception gaps,
medians, percentiles and best waves of the set come out of array operations instead of a
Python loop per wave and cell.

The figures must equal the plain definitions to the last digit
(``tillit.survey.results.index_from_counts`` and ``area_index``, ``significance.median``,
``percentile_rank`` and ``distribution_distance``), so every floating-point step is the same
operation in the same order (sums run step by step, never pairwise), and rounding gives
what Python's ``round`` gives (``numpy.round`` alone can differ in the last digit; see
``round_exact``). tests/test_benchmarks_field.py checks this against a straightforward
per-wave computation with hypothesis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

import numpy as np

from tillit.survey import ALL, BLANK, CountTable, privacy

NAN = float("nan")


# ---------------------------------------------------------------------------- layouts


class _Slots(dict):
    """(question, group, label) -> position of a count row in a wave's [Q, G + 1, S + 1] block.

    Group G collects rows of groups the instrument does not know, step S the labels that are
    not a step of the question's scale ("Vet ej", blank, ineligible): both count for whether
    the question is present in the wave, neither for an index. -1: a question the instrument
    does not know (left out)."""

    def __init__(self, pairs, qpos: dict[str, int], groups: int, steps: int):
        super().__init__(pairs)
        self.qpos, self.groups, self.steps = qpos, groups, steps

    def __missing__(self, key) -> int:
        q = self.qpos.get(key[0])
        if q is None:
            return -1
        return (q * (self.groups + 1) + self.groups) * (self.steps + 1) + self.steps


@dataclass(frozen=True, eq=False)
class Layout:
    """What profiling needs of an instrument, worked out once per instrument object."""

    groups: tuple[str, ...]
    cells: tuple[str, ...]  # the groups, then ALL
    questions: tuple[str, ...]  # in instrument order
    labels: tuple[tuple[str, ...], ...]  # scale steps per question
    values: np.ndarray  # [Q, S] scale values, 0 beyond a question's steps
    low: np.ndarray  # [Q] lowest scale value
    span: np.ndarray  # [Q] highest − lowest scale value
    slots: _Slots

    @property
    def steps(self) -> int:
        return self.values.shape[1]

    @property
    def block(self) -> int:
        """Size of one wave's [Q, G + 1, S + 1] block of count rows."""
        return len(self.questions) * (len(self.groups) + 1) * (self.steps + 1)


_LAYOUTS: dict[int, tuple[object, Layout]] = {}


def layout(inst) -> Layout:
    hit = _LAYOUTS.get(id(inst))
    if hit is not None and hit[0] is inst:
        return hit[1]
    questions = tuple(q.id for q in inst.questions)
    scales = [inst.scales[q.scale] for q in inst.questions]
    labels = tuple(tuple(s.labels) for s in scales)
    steps = max((len(lbl) for lbl in labels), default=0)
    values = np.zeros((len(questions), steps))
    for i, s in enumerate(scales):
        values[i, :len(s.steps)] = [step.value for step in s.steps]
    groups = tuple(inst.group_ids)
    qpos = {q: i for i, q in enumerate(questions)}
    G, S = len(groups), steps
    pairs = {}
    for qi, (q, scale) in enumerate(zip(questions, scales)):
        others = [*(d.label for d in scale.dont_know), BLANK]  # common rows: spare them __missing__
        for gi, g in enumerate(groups):
            base = (qi * (G + 1) + gi) * (S + 1)
            pairs.update({(q, g, lbl): base + si for si, lbl in enumerate(labels[qi])})
            pairs.update({(q, g, lbl): base + S for lbl in others if (q, g, lbl) not in pairs})
    out = Layout(groups, (*groups, ALL), questions, labels, values,
                 np.array([s.min_value for s in scales], dtype=float),
                 np.array([s.max_value - s.min_value for s in scales], dtype=float),
                 _Slots(pairs, qpos, G, S))
    if len(_LAYOUTS) > 64:  # a few instruments at most; never grows without bound
        _LAYOUTS.clear()
    _LAYOUTS[id(inst)] = (inst, out)
    return out


# ---------------------------------------------------------------------------- profiles


@dataclass(frozen=True, eq=False)
class Profiles:
    """The profiles of W waves of one layout (row w: the w-th wave)."""

    layout: Layout
    counts: np.ndarray  # int64 [W, Q, C, S]: counts per scale step, C = groups then ALL
    index: np.ndarray  # float64 [W, Q, C]: the index, NaN when not shown (suppressed) or absent
    present: np.ndarray  # bool [W, Q]: the question has rows in the wave


def profile_many(tables: Sequence[CountTable], threshold: int) -> list[tuple[Profiles, int]]:
    """(profiles, row) of each table, computed for all tables of one instrument at once.

    Kept in ``table.memo`` (the store hands out the same table while its data is unchanged),
    so choosing another benchmark does not profile the whole set again."""
    key = ("profile-arrays", threshold)
    missing: dict[int, list[CountTable]] = {}
    for t in tables:
        if key not in t.memo:
            missing.setdefault(id(t.instrument), []).append(t)
    for batch in missing.values():
        prof = _profile_batch(batch, threshold)
        for row, t in enumerate(batch):
            t.memo[key] = (prof, row)
    return [t.memo[key] for t in tables]


def _profile_batch(tables: Sequence[CountTable], threshold: int) -> Profiles:
    lay = layout(tables[0].instrument)
    W, Q, G, S = len(tables), len(lay.questions), len(lay.groups), lay.steps
    rows = [t.rows for t in tables]
    flat = list(chain.from_iterable(rows))
    rows_of = np.zeros(W * lay.block, dtype=np.int64)
    weight = np.zeros(W * lay.block)
    if flat:
        # itemgetter, not zip(*flat): that would hold an iterator per row, and a whole garbage
        # collection of the process would follow
        pos = np.fromiter(map(lay.slots.__getitem__, map(itemgetter(0, 1, 2), flat)), dtype=np.int64,
                          count=len(flat))
        keep = pos >= 0
        pos += np.repeat(np.arange(W, dtype=np.int64) * lay.block, [len(r) for r in rows])
        n = np.fromiter(map(itemgetter(3), flat), dtype=np.float64, count=len(flat))
        rows_of = np.bincount(pos[keep], minlength=W * lay.block)
        weight = np.bincount(pos[keep], weights=n[keep], minlength=W * lay.block)
    shape = (W, Q, G + 1, S + 1)
    present = rows_of.reshape(shape).sum(axis=(2, 3)) > 0
    steps = np.rint(weight.reshape(shape)[:, :, :G, :S]).astype(np.int64)  # [W, Q, G, S]
    counts = np.concatenate([steps, steps.sum(axis=2, keepdims=True)], axis=2)  # ALL: the groups together
    resp = np.array([[t.respondents.get(g, 0) for g in lay.groups] for t in tables], dtype=np.int64).reshape(W, G)

    # index_from_counts, operation by operation: sum(v * c) step by step, / n, then 100 * (mean − low) / span
    total = np.zeros(counts.shape[:3])
    for s in range(S):
        total = total + lay.values[None, :, None, s] * counts[..., s]
    n = counts.sum(axis=3)
    with np.errstate(divide="ignore", invalid="ignore"):
        index = 100 * (total / n - lay.low[None, :, None]) / lay.span[None, :, None]
    index = round_exact(index, 2)
    hidden = privacy.hidden_cells(n, resp, threshold)
    hidden |= ~present[:, :, None]
    index[hidden] = NAN
    return Profiles(lay, counts, index, present)


def profile_cells(prof: Profiles, row: int) -> dict[str, dict[str, tuple[tuple[int, ...], float | None]]]:
    """question -> cell -> (counts per step, index or None) of one wave, questions present only."""
    lay = prof.layout
    counts, index, present = prof.counts[row].tolist(), prof.index[row].tolist(), prof.present[row].tolist()
    out = {}
    for qi, q in enumerate(lay.questions):
        if present[qi]:
            k = len(lay.labels[qi])
            out[q] = {c: (tuple(counts[qi][ci][:k]), None if v != v else v)
                      for ci, (c, v) in enumerate(zip(lay.cells, index[qi]))}
    return out


# ---------------------------------------------------------------------------- a benchmark set


@dataclass(frozen=True, eq=False)
class Field:
    """The benchmark set's indices and perception gaps on one list of questions and cells.

    ``questions``: the target's questions, then any others the set's instruments have (in
    the order met); ``cells``: the target's groups, then ALL. A wave of another instrument
    version is matched by question and group id."""

    questions: tuple[str, ...]
    cells: tuple[str, ...]
    index: np.ndarray  # [W, Q, C], NaN: no index
    abs_gap: np.ndarray  # [W, Q]: |first group − second group|, NaN: no gap (or other groups)
    distance: np.ndarray  # [W, Q]: distance between the two groups' answers, NaN: none
    gap_order: tuple[str, ...]  # questions with a gap, in the order the plain loop meets them

    def column(self, q: str) -> int:
        return self.questions.index(q)


def field_of(tables: Sequence[CountTable], threshold: int, questions: Sequence[str], cells: Sequence[str],
             gap_groups: tuple[str, ...]) -> Field:
    """Stack the profiles of the tables (the benchmark set, in order) on the target's questions."""
    W = len(tables)
    profs = profile_many(tables, threshold)
    qlist = list(questions)
    for prof, _ in profs:
        qlist += [q for q in prof.layout.questions if q not in qlist]
    Qu, C = len(qlist), len(cells)
    index = np.full((W, Qu, C), NAN)
    abs_gap = np.full((W, Qu), NAN)
    distance = np.full((W, Qu), NAN)
    # where each wave's gaps first appear: (wave, -|gap|, -distance, position in its instrument)
    first_seen: dict[str, tuple] = {}
    by_prof: dict[int, tuple[Profiles, list[int], list[int]]] = {}
    for w, (prof, row) in enumerate(profs):
        by_prof.setdefault(id(prof), (prof, [], []))[1].append(w)
        by_prof[id(prof)][2].append(row)
    for prof, waves, rows in by_prof.values():
        lay = prof.layout
        qmap = [qlist.index(q) for q in lay.questions]
        cmap = [(i, lay.cells.index(c)) for i, c in enumerate(cells) if c in lay.cells]
        sub = prof.index[rows]
        for i, j in cmap:
            index[np.ix_(waves, qmap, [i])] = sub[:, :, j:j + 1]
        if tuple(lay.groups[:2]) != tuple(gap_groups) or len(lay.groups) < 2:
            continue
        gap, dist = _gaps(prof.counts[rows], sub)
        abs_gap[np.ix_(waves, qmap)] = np.abs(gap)
        distance[np.ix_(waves, qmap)] = dist
        _first_gaps(first_seen, waves, gap, dist, lay.questions)
    order = tuple(sorted(first_seen, key=first_seen.__getitem__))
    return Field(tuple(qlist), tuple(cells), index, abs_gap, distance, order)


def _gaps(counts: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index gap (rounded) and distribution distance (rounded) of the first two groups, [W, Q]."""
    a, b = counts[:, :, 0, :], counts[:, :, 1, :]
    shown = ~np.isnan(index[:, :, 0]) & ~np.isnan(index[:, :, 1])
    gap = round_exact(index[:, :, 0] - index[:, :, 1], 2)
    na, nb = a.sum(axis=2), b.sum(axis=2)
    # distribution_distance: 50 · sum |x / na − y / nb|, step by step
    total = np.zeros(shown.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for s in range(a.shape[2]):
            total = total + np.abs(a[:, :, s] / na - b[:, :, s] / nb)
    dist = round_exact(50 * total, 2)
    dist[~shown | (na == 0) | (nb == 0)] = NAN
    gap[~shown] = NAN
    return gap, dist


def _first_gaps(seen: dict[str, tuple], waves: list[int], gap: np.ndarray, dist: np.ndarray,
                questions: Sequence[str]) -> None:
    """Where each question's gap first appears, as the plain loop over the set meets them:
    wave by wave, and within a wave largest gap first (then largest distance)."""
    shown = ~np.isnan(gap)
    if not shown.any():
        return
    first = shown.argmax(axis=0)  # the first wave of this instrument with a gap on the question
    for qi in np.flatnonzero(shown.any(axis=0)).tolist():
        q, w = questions[qi], int(first[qi])
        d = float(dist[w, qi])
        key = (waves[w], -abs(float(gap[w, qi])), -(0.0 if d != d else d), qi)
        if q not in seen or key < seen[q]:
            seen[q] = key


# ---------------------------------------------------------------------------- figures over the set


def round_exact(x: np.ndarray, digits: int) -> np.ndarray:
    """Python's round(v, digits) of every value, vectorised (NaN stays NaN).

    numpy.round scales, rounds to an integer and scales back; the scaling itself rounds, so
    a value within a hair of a half (x.xx5) can land on the other side. Outside that hair the
    integer is the one Python picks, and k / 10**digits is then the same double (both are the
    closest double to the decimal). Values within the hair, or too large for the argument,
    are rounded by Python itself.
    """
    x = np.asarray(x, dtype=float)
    scaled = x * 10.0 ** digits
    out = np.rint(scaled) / 10.0 ** digits
    with np.errstate(invalid="ignore"):
        # |error of the scaling| <= |scaled| * 2**-53 < 1.2e-7 below 1e9, far inside the 1e-6 hair
        unsure = (np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6) | (np.abs(scaled) >= 1e9)
    for i in np.flatnonzero(unsure).tolist():
        out.flat[i] = round(float(x.flat[i]), digits)
    return out


def round_all(x: np.ndarray, digits: int) -> list[float | None]:
    """Python's round of every value, None for NaN."""
    return [None if v != v else v for v in round_exact(x, digits).tolist()]


def mean_indices(field: Field, questions: Sequence[str], groups: Sequence[str]) -> list[float | None]:
    """compare.mean_index of every wave: the mean of its shown indices, question by question."""
    total = np.zeros(field.index.shape[0])
    shown = np.zeros(field.index.shape[0], dtype=np.int64)
    for q in questions:
        for g in groups:
            v = field.index[:, field.column(q), field.cells.index(g)]
            ok = ~np.isnan(v)
            total = total + np.where(ok, v, 0.0)
            shown += ok
    with np.errstate(divide="ignore", invalid="ignore"):
        return round_all(np.where(shown > 0, total / shown, NAN), 2)


def area_indices(field: Field, questions: Sequence[str], cell: str) -> np.ndarray:
    """tillit.survey.results.area_index of every wave (rounded; NaN unless every question is shown)."""
    total = np.zeros(field.index.shape[0])
    for q in questions:
        total = total + field.index[:, field.column(q), field.cells.index(cell)]
    out = round_exact(total / len(questions), 2)
    out[privacy.areas_hidden(field.index[:, [field.column(q) for q in questions], field.cells.index(cell)])] = NAN
    return out


def medians(values: np.ndarray) -> list[float | None]:
    """significance.median of every column's non-NaN values (numpy's median: the middle value,
    or the mean of the two middle ones); None for a column without values."""
    if values.shape[0] == 0:
        return [None] * values.shape[1]
    k = (~np.isnan(values)).sum(axis=0)
    ordered = np.sort(values, axis=0)  # NaN last
    cols = np.arange(values.shape[1])
    lo, hi = ordered[np.maximum(k - 1, 0) // 2, cols], ordered[k // 2, cols]
    mid = np.where(k % 2 == 1, lo, (lo + hi) / 2)
    return [None if n == 0 else m for n, m in zip(k.tolist(), mid.tolist())]


def shares_below(own: Sequence[float | None], values: np.ndarray) -> list[tuple[int, int, int] | None]:
    """(below, ties, of) of each own value against its column's non-NaN values."""
    v = np.array([NAN if x is None else x for x in own], dtype=float)
    below = (values < v[None, :]).sum(axis=0).tolist()
    ties = (values == v[None, :]).sum(axis=0).tolist()
    k = (~np.isnan(values)).sum(axis=0).tolist()
    return [None if x is None else (b, t, n) for x, b, t, n in zip(own, below, ties, k)]


def best_rows(values: np.ndarray, years: np.ndarray) -> list[int | None]:
    """Per column the row with the highest value, the earliest year among equals, then the
    first row (as max() over (value, −year) meets them); None for a column without values."""
    ok = ~np.isnan(values)
    top = np.where(ok, values, -np.inf).max(axis=0) if values.shape[0] else np.full(values.shape[1], -np.inf)
    at_top = ok & (values == top[None, :])
    year_key = np.where(at_top, years[:, None], np.iinfo(np.int64).max)
    rows = year_key.argmin(axis=0) if values.shape[0] else np.zeros(values.shape[1], dtype=np.int64)
    return [int(r) if any_ else None for r, any_ in zip(rows.tolist(), ok.any(axis=0).tolist())]
