"""The benchmark set's figures from arrays (benchmarks/field.py) against a straightforward
per-wave computation, on random small sets (hypothesis).

The reference below takes every wave's indices from survey.compute_results (its own code,
not the arrays), and derives the mean indices, the best municipality, medians
(statistics.median), percentiles, best waves, area indices and perception gaps with plain
loops, as the definitions in benchmarks/compare.py read. The comparison's figures must equal
them exactly (==, not approx): the JSON of `tillit compare` must not change by a digit.
"""

from __future__ import annotations

import math
import statistics
import tempfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillit.benchmarks import ComparisonError, WaveCounts, compare
from tillit.benchmarks.field import round_exact
from tillit.survey import ALL, BLANK, compute_results, counts_from_nested, load_instrument
from tillit.survey.results import area_index

DEFAULT = load_instrument()


def _variant() -> object:
    """The same instrument id, version 2: s4 has a fifth step and values that are not whole
    numbers (the index arithmetic must still match to the last bit)."""
    data = yaml.safe_load(DEFAULT.raw_text)
    data["version"] = 2
    steps = data["scales"]["s4"]["steps"]
    steps.append({"label": "Helt och hållet", "code": 5, "value": 5})
    for step, value in zip(steps, [0.1, 0.35, 0.7, 1.3, 2.45]):
        step["value"] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "variant.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        return load_instrument(path)


VARIANT = _variant()


@st.composite
def waves(draw, name: str, year: int, inst=None):
    inst = inst or draw(st.sampled_from([DEFAULT, DEFAULT, VARIANT]))
    questions = draw(st.lists(st.sampled_from(inst.question_ids), min_size=1, max_size=5, unique=True))
    nested: dict = {}
    for q in questions:
        scale = inst.scale_of(q)
        labels = [*scale.labels, *(d.label for d in scale.dont_know), BLANK]
        for g in inst.group_ids:
            if draw(st.integers(0, 5)) == 0:
                continue  # nobody in this group answered the question
            counts = draw(st.lists(st.integers(0, 9), min_size=len(labels), max_size=len(labels)))
            nested.setdefault(q, {})[g] = dict(zip(labels, counts))
    most = {g: max((sum(gs.get(g, {}).values()) for gs in nested.values()), default=0) for g in inst.group_ids}
    respondents = {g: most[g] + draw(st.integers(0, 3)) for g in inst.group_ids}
    return WaveCounts(name, year, counts_from_nested(inst, nested, respondents), draw(st.booleans()))


@st.composite
def comparisons(draw):
    target = draw(waves("Target", 2025, DEFAULT))
    size = draw(st.integers(1, 7))
    field = [draw(waves(f"Kommun {i}", draw(st.integers(2019, 2025)))) for i in range(size)]
    return target, field, draw(st.integers(1, 12))


# ------------------------------------------------------------------ the reference


def reference(target: WaveCounts, field: list[WaveCounts], threshold: int) -> dict:
    inst = target.table.instrument
    groups, cells = inst.group_ids, [*inst.group_ids, ALL]
    res = {id(w): compute_results(w.table, threshold=threshold) for w in [target, *field]}

    def idx(w, q, c):
        r = res[id(w)].questions.get(q, {}).get(c)
        return None if r is None else r.index

    mine = res[id(target)]
    qids = list(mine.questions)

    def mean(w):
        values = [idx(w, q, g) for q in qids for g in groups if idx(w, q, g) is not None]
        return round(sum(values) / len(values), 2) if values else None

    def share(value, values):
        below = sum(1 for v in values if v < value)
        ties = sum(1 for v in values if v == value)
        return round(100 * (below + ties / 2) / len(values), 1) if values else None

    def med(values):
        return round(statistics.median(values), 2) if values else None

    ranked = sorted(field, key=lambda w: (mean(w) is None, -(mean(w) or 0), w.municipality, -w.year))
    out = {"benchmark_set": [(w.municipality, w.year, mean(w)) for w in ranked], "questions": {}, "areas": {}}
    for q in qids:
        for c in cells:
            own = idx(target, q, c)
            got = [(w, idx(w, q, c)) for w in field if idx(w, q, c) is not None]
            values = [v for _, v in got]
            best = max(got, key=lambda t: (t[1], -t[0].year)) if got else None
            m = statistics.median(values) if values else None
            out["questions"][(q, c)] = {
                "percentile": share(own, values) if own is not None else None,
                "median_index": med(values) if own is not None else None,
                "difference_to_median": None if own is None or m is None else round(own - m, 2),
                "best_municipality": best[0].municipality if best and own is not None else None,
                "best_year": best[0].year if best and own is not None else None,
                "best_index": best[1] if best and own is not None else None,
                "difference_to_best": None if own is None or best is None else round(own - best[1], 2)}
    for d in inst.dimensions:
        qs = [q.id for q in inst.questions if q.dimension == d.id and q.id in mine.questions]
        if not qs:
            continue
        for c in cells:
            here = area_index([idx(target, q, c) for q in qs])
            values = [v for w in field if (v := area_index([idx(w, q, c) for q in qs])) is not None]
            out["areas"][(d.id, c)] = {
                "index": here, "median_index": med(values) if here is not None else None,
                "percentile": share(here, values) if here is not None else None,
                "rank": None if here is None else 1 + sum(v > here for v in values),
                "ranked_of": len(values) + (here is not None)}
    # perception gaps over the set, in the order a plain loop meets them
    g1, g2 = groups[:2]
    field_gaps: dict[str, list[tuple[float, float]]] = {}
    for w in field:
        rows = []
        for q, per in res[id(w)].questions.items():
            a, b = per[g1], per[g2]
            if a.index is None or b.index is None:
                continue
            x, y = list(a.counts.values()), list(b.counts.values())
            dist = 50 * sum(abs(i / sum(x) - j / sum(y)) for i, j in zip(x, y))
            gap = round(a.index - b.index, 2)
            rows.append((q, abs(gap), round(dist, 2)))
        for q, gap, dist in sorted(rows, key=lambda r: (-r[1], -r[2])):
            field_gaps.setdefault(q, []).append((gap, dist))
    summary = [{"question_id": q, "median_abs_gap": med([g for g, _ in v]), "median_distance": med([d for _, d in v]),
                "n": len(v)} for q, v in field_gaps.items()]
    summary.sort(key=lambda s: -(s["median_abs_gap"] or 0))
    out["gap_set"] = [{**s, "rank": i} for i, s in enumerate(summary, start=1)]
    own_gaps = {}
    for q in qids:
        a, b = idx(target, q, g1), idx(target, q, g2)
        values = [g for g, _ in field_gaps.get(q, [])]
        gap = None if a is None or b is None else abs(round(a - b, 2))
        own_gaps[q] = (med(values), share(gap, values) if gap is not None else None)
    out["own_gaps"] = own_gaps
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comparisons())
def test_figures_over_the_set_equal_a_plain_computation(case):
    target, field, threshold = case
    expected = reference(target, field, threshold)
    best = expected["benchmark_set"][0]
    if best[2] is None:
        with pytest.raises(ComparisonError, match="inga andra kommuner"):
            compare(target, field, threshold=threshold)
        return
    bench = next(w for w in field if (w.municipality, w.year) == best[:2])
    if not set(compute_results(bench.table, threshold=threshold).questions) & set(expected["own_gaps"]):
        with pytest.raises(ComparisonError, match="inga frågor gemensamt"):
            compare(target, field, threshold=threshold)
        return
    cmp = compare(target, field, threshold=threshold)
    d = cmp.to_dict()
    assert [(e["municipality"], e["year"], e["mean_index"]) for e in d["benchmark_set"]] == expected["benchmark_set"]
    assert (d["benchmark"]["municipality"], d["benchmark"]["year"], d["benchmark"]["mean_index"]) == best
    for (q, c), want in expected["questions"].items():
        got = {k: d["questions"][q][c][k] for k in want}
        assert got == want, (q, c)
    assert {(a, c) for a, cs in d["areas"].items() for c in cs} == set(expected["areas"])
    for (a, c), want in expected["areas"].items():
        assert {k: d["areas"][a][c][k] for k in want} == want, (a, c)
    assert d["gaps"]["benchmark_set"] == expected["gap_set"]
    for row in d["gaps"]["municipality"]:
        assert (row["set_median_abs_gap"], row["set_percentile"]) == expected["own_gaps"][row["question_id"]]


# ------------------------------------------------------------------ exact rounding


@given(st.lists(st.one_of(st.floats(allow_nan=False, min_value=-1e12, max_value=1e12), st.just(math.nan),
                          st.integers(-10**6, 10**6).map(lambda k: (k + 0.5) / 100)), max_size=50),
       st.integers(0, 4))
def test_round_exact_is_pythons_round(values, digits):
    got = round_exact(np.array(values, dtype=float), digits).tolist()
    for v, g in zip(values, got):
        want = round(v, digits)
        assert (math.isnan(want) and math.isnan(g)) or (g == want and math.copysign(1, g) == math.copysign(1, want))


@pytest.mark.parametrize("digits", [1, 2])
def test_round_exact_on_halves_and_their_neighbours(digits):
    k = np.arange(-20000, 20000)
    halves = (k + 0.5) / 10 ** digits
    for values in (halves, np.nextafter(halves, np.inf), np.nextafter(halves, -np.inf)):
        assert round_exact(values, digits).tolist() == [round(v, digits) for v in values.tolist()]
