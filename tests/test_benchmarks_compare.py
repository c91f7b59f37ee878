"""Comparisons on hand-built counts with hand-computed expectations, and on the public data.

The hand-built benchmark field (s4: Nej=1 … Till stor del=4, index = 100·(mean−1)/3;
ja_nej: Ja=1, Nej=0):

    wave      tillit pol / tjp        vision pol / tjp       mean index
    T 2025    50 / 75                 75 / 100               (this municipality)
    A 2024    100 / 66.67             100 / 50               79.17  <- best
    B 2024    33.33 / 50              50 / 0                 33.33
    C 2023    0 / 0                   0 / 0                  0
"""

from __future__ import annotations

import json

import pytest
import yaml
from scipy import stats

from tillit.benchmarks import ComparisonError, Store, compare, comparison, profile
from tillit.benchmarks.significance import compare_counts, distribution_distance, exact_2xk, percentile_rank
from tillit.survey import compute_results, load_instrument
from tests.benchmarks_fixtures import AGGREGATE, public_db, shared_exports, wave  # noqa: F401

S4 = ["Nej", "Till liten del", "Till viss del", "Till stor del"]


def T(year=2025, **kw):
    return wave("Tby", year, {
        "tillit": {"politiker": {"Nej": 2, "Till liten del": 2, "Till viss del": 2, "Till stor del": 2},
                   "tjansteperson": {"Till viss del": 6, "Till stor del": 2}},
        "vision": {"politiker": {"Ja": 6, "Nej": 2}, "tjansteperson": {"Ja": 8}}}, **kw)


A = wave("Aby", 2024, {"tillit": {"politiker": {"Till stor del": 8}, "tjansteperson": {"Till viss del": 8}},
                       "vision": {"politiker": {"Ja": 8}, "tjansteperson": {"Ja": 4, "Nej": 4}}})
B = wave("Bby", 2024, {"tillit": {"politiker": {"Till liten del": 8},
                                  "tjansteperson": {"Till liten del": 4, "Till viss del": 4}},
                       "vision": {"politiker": {"Ja": 4, "Nej": 4}, "tjansteperson": {"Nej": 8}}})
C = wave("Cby", 2023, {"tillit": {"politiker": {"Nej": 8}, "tjansteperson": {"Nej": 8}},
                       "vision": {"politiker": {"Nej": 8}, "tjansteperson": {"Nej": 8}}}, synthetic=True)


# ------------------------------------------------------------------ statistics


def test_exact_test_by_hand():
    # margins: columns (2, 1, 1), first row 2 of 4. Tables (2,0,0) 1/6, (1,1,0) 2/6, (1,0,1) 2/6,
    # (0,1,1) 1/6: as or less probable than the observed (2,0,0) are (2,0,0) and (0,1,1).
    assert exact_2xk([2, 0, 0], [0, 1, 1]) == pytest.approx(1 / 3)
    assert exact_2xk([1, 0, 1], [0, 1, 1]) == pytest.approx(1.0)


@pytest.mark.parametrize("a,b", [([3, 7], [8, 2]), ([6, 2], [8, 0]), ([10, 0], [0, 10])])
def test_exact_test_equals_fisher_for_2x2(a, b):
    assert exact_2xk(a, b) == pytest.approx(stats.fisher_exact([a, b]).pvalue, rel=1e-9)


def test_exact_test_agrees_with_scipy_monte_carlo():
    a, b = [1, 4, 11, 8], [3, 4, 8, 10]
    mc = stats.fisher_exact([a, b], method=stats.MonteCarloMethod(n_resamples=20000, rng=1)).pvalue
    assert exact_2xk(a, b) == pytest.approx(mc, abs=0.02)


def test_which_test_is_used():
    assert compare_counts([6, 2], [8, 0]).test == "fisher"
    assert compare_counts([0, 6, 2, 0], [0, 8, 0, 0]).test == "fisher"  # empty steps dropped: 2 × 2
    big = compare_counts([50, 150, 100, 10], [10, 80, 120, 90])
    assert big.test == "chi2"
    assert big.p_value == pytest.approx(stats.chi2_contingency([[50, 150, 100, 10], [10, 80, 120, 90]])[1])
    assert compare_counts([5, 15, 10, 1], [1, 8, 12, 9]).test == "fisher-freeman-halton"
    assert compare_counts([0, 0, 4, 0], [0, 0, 7, 0]) == compare_counts([0, 0, 4, 0], [0, 0, 7, 0])
    assert compare_counts([0, 0, 4, 0], [0, 0, 7, 0]).p_value == 1.0
    assert compare_counts([0, 0], [3, 1]).p_value is None


def test_percentile_and_distance_by_hand():
    assert percentile_rank(50, [100, 33.33, 0]) == pytest.approx(200 / 3)
    assert percentile_rank(50, [50, 50, 0, 100]) == 50.0  # one below, two ties: (1 + 1) / 4
    assert percentile_rank(1, []) is None
    assert distribution_distance([2, 2, 2, 2], [0, 0, 6, 2]) == pytest.approx(50.0)


# ------------------------------------------------------------------ comparing with the best


def test_best_median_percentile_and_differences_by_hand():
    cmp = compare(T(), [A, B, C])
    assert (cmp.benchmark.municipality, cmp.benchmark.year, cmp.benchmark.chosen) == ("Aby", 2024, "best")
    assert [(e.municipality, e.mean_index) for e in cmp.benchmark_set] == [("Aby", 79.17), ("Bby", 33.33),
                                                                             ("Cby", 0.0)]
    pol = cmp.questions["tillit"]["politiker"]
    assert (pol.index, pol.benchmark_index, pol.difference) == (50.0, 100.0, -50.0)
    assert (pol.median_index, pol.difference_to_median, pol.percentile) == (33.33, 16.67, 66.7)
    assert (pol.best_municipality, pol.best_index, pol.difference_to_best) == ("Aby", 100.0, -50.0)
    assert pol.percent == {lbl: 25 for lbl in S4}
    assert pol.benchmark_percent == {"Nej": 0, "Till liten del": 0, "Till viss del": 0, "Till stor del": 100}
    assert pol.benchmark_counts == {"Nej": 0, "Till liten del": 0, "Till viss del": 0, "Till stor del": 8}
    assert pol.benchmark_n == 8 and pol.basis == "raw"
    tjp = cmp.questions["tillit"]["tjansteperson"]
    assert (tjp.index, tjp.difference, tjp.percentile, tjp.median_index) == (75.0, 8.33, 100.0, 50.0)
    assert cmp.questions["tillit"]["alla"].index == 62.5  # (2·1 + 2·2 + 8·3 + 4·4) / 16 = 2.875
    vis = cmp.questions["vision"]["politiker"]
    # Fisher 2 × 2, Ja/Nej 6/2 against 8/0: P(2 Nej) + P(0 Nej) = 2 · C(14,6) / C(16,8) = 6006 / 12870.
    assert vis.p_value == pytest.approx(6006 / 12870, rel=1e-5) and vis.test == "fisher"
    assert vis.significant is False
    assert cmp.questions["vision"]["tjansteperson"].best_municipality == "Aby"


def test_areas_and_own_mean_index_by_hand():
    """Area tillit holds only the question tillit here, area mal only vision (kultur etc. absent)."""
    cmp = compare(T(), [A, B, C])
    assert cmp.mean_index == 75.0  # (50 + 75 + 75 + 100) / 4, as the set's mean indices are made
    assert cmp.rank == 2  # behind Aby (79.17), ahead of Bby and Cby
    assert set(cmp.areas) == {"tillit", "mal"}
    pol = cmp.areas["tillit"]["politiker"]
    assert (pol.index, pol.benchmark_index, pol.difference) == (50.0, 100.0, -50.0)
    assert (pol.median_index, pol.percentile, pol.rank, pol.ranked_of) == (33.33, 66.7, 2, 4)
    tjp = cmp.areas["mal"]["tjansteperson"]
    assert (tjp.index, tjp.benchmark_index, tjp.difference, tjp.rank, tjp.percentile) == (100.0, 50.0, 50.0, 1, 100.0)
    assert cmp.areas["tillit"]["alla"].index == 62.5
    assert cmp.to_dict()["areas"]["mal"]["politiker"]["benchmark_index"] == 100.0


def test_an_area_is_not_compared_when_the_benchmark_lacks_one_of_its_questions():
    here = wave("Tby", 2025, {"tillit": {"politiker": {"Till stor del": 6}, "tjansteperson": {"Till stor del": 6}},
                              "kultur": {"politiker": {"Nej": 6}, "tjansteperson": {"Nej": 6}}})
    there = wave("Aby", 2024, {"tillit": {"politiker": {"Nej": 6}, "tjansteperson": {"Nej": 6}}})
    cell = compare(here, [there]).areas["tillit"]["politiker"]
    assert (cell.index, cell.benchmark_index, cell.difference, cell.rank, cell.ranked_of) == (50.0, None, None, 1, 1)


def test_with_picks_the_benchmark_and_the_set_stays():
    cmp = compare(T(), [A, B, C], benchmark=B)
    assert (cmp.benchmark.municipality, cmp.benchmark.chosen, cmp.benchmark.mean_index) == ("Bby", "given", 33.33)
    pol = cmp.questions["tillit"]["politiker"]
    assert (pol.benchmark_index, pol.difference, pol.best_municipality) == (33.33, 16.67, "Aby")


def test_the_best_comes_from_the_data_not_a_name():
    better = wave("Zby", 2020, {"tillit": {"politiker": {"Till stor del": 9}, "tjansteperson": {"Till stor del": 9}},
                                "vision": {"politiker": {"Ja": 9}, "tjansteperson": {"Ja": 9}}})
    assert compare(T(), [A, B, C, better]).benchmark.municipality == "Zby"


def test_nothing_to_compare_with():
    with pytest.raises(ComparisonError, match="inga andra kommuner"):
        compare(T(), [])


def test_synthetic_data_is_marked():
    cmp = compare(T(), [A, B, C])
    assert cmp.synthetic and not cmp.benchmark.synthetic
    assert [e.synthetic for e in cmp.benchmark_set] == [False, False, True]
    assert any("syntetiska" in n for n in cmp.notes)
    assert not compare(T(), [A, B]).synthetic


def test_groups_below_the_threshold_get_no_figures():
    small = wave("Sby", 2025, {"tillit": {"politiker": {"Nej": 8}, "tjansteperson": {"Till stor del": 3}}})
    cmp = compare(small, [A, B])
    tjp = cmp.questions["tillit"]["tjansteperson"]
    assert tjp.suppressed and tjp.index is None and tjp.difference is None and tjp.percent is None
    assert tjp.p_value is None and tjp.percentile is None and tjp.best_municipality is None
    assert cmp.questions["tillit"]["alla"].suppressed  # the total would reveal the small group
    tiny_bench = wave("Kby", 2024, {"tillit": {"politiker": {"Nej": 8}, "tjansteperson": {"Nej": 4}}})
    against = compare(T(), [tiny_bench]).questions["tillit"]["tjansteperson"]
    assert against.benchmark_suppressed and against.benchmark_index is None and against.benchmark_percent is None


# ------------------------------------------------------------------ scales


@pytest.fixture
def five_step(tmp_path):
    data = yaml.safe_load(load_instrument().raw_text)
    data["version"] = 2
    data["scales"]["s4"]["steps"].append({"label": "Helt och hållet", "code": 5, "value": 5})
    data["scales"]["s4"]["positive"] = ["Till stor del", "Helt och hållet"]
    path = tmp_path / "fem.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return load_instrument(path)


def test_different_scales_compare_on_the_index_only(five_step):
    other = wave("Fby", 2024, {"tillit": {"politiker": {"Helt och hållet": 8}, "tjansteperson": {"Nej": 8}},
                               "vision": {"politiker": {"Ja": 8}, "tjansteperson": {"Ja": 8}}}, instrument=five_step)
    cmp = compare(T(), [other])
    assert cmp.benchmark.basis == "index"
    pol = cmp.questions["tillit"]["politiker"]
    assert pol.basis == "index" and pol.benchmark_index == 100.0 and pol.difference == -50.0
    assert pol.p_value is None and pol.benchmark_percent is None
    assert cmp.questions["vision"]["politiker"].basis == "raw"  # Ja/Nej is the same scale
    assert cmp.questions["vision"]["politiker"].p_value is not None
    assert any("index 0–100" in n for n in cmp.notes)
    with pytest.raises(ComparisonError, match="annan svarsskala för tillit"):
        compare(T(), [other], scale_mismatch="refuse")


# ------------------------------------------------------------------ gaps and trend


def test_perception_gap_by_hand():
    gaps = compare(T(), [A, B, C]).gaps
    assert gaps.groups == ("politiker", "tjansteperson")
    first, second = gaps.municipality
    # Both gaps are 25 index points; the tie goes to the larger distribution distance.
    assert (first.question_id, first.index_gap, first.distance, first.rank) == ("tillit", -25.0, 50.0, 1)
    assert (second.question_id, second.index_gap, second.distance, second.rank) == ("vision", -25.0, 25.0, 2)
    assert first.set_median_abs_gap == 16.67 and first.set_percentile == 66.7  # set gaps 33.33, 16.67, 0
    assert first.p_value is not None
    assert [(s["question_id"], s["median_abs_gap"], s["rank"]) for s in gaps.benchmark_set] == [
        ("vision", 50.0, 1), ("tillit", 16.67, 2)]
    assert [(r.question_id, r.abs_gap) for r in gaps.benchmark] == [("vision", 50.0), ("tillit", 33.33)]


def test_trend_by_hand():
    earlier = wave("Tby", 2023, {"tillit": {"politiker": {"Till liten del": 8}, "tjansteperson": {"Nej": 8}},
                                 "vision": {"politiker": {"Ja": 8}, "tjansteperson": {"Ja": 8}}})
    oldest = wave("Tby", 2021, {"vision": {"politiker": {"Nej": 8}, "tjansteperson": {"Nej": 8}}})
    later = wave("Tby", 2027, {"vision": {"politiker": {"Nej": 8}, "tjansteperson": {"Nej": 8}}})
    tr = compare(T(), [A], history=[oldest, earlier, later]).trend
    assert tr.waves == [2021, 2023, 2025] and tr.previous_year == 2023
    vis = tr.questions["vision"]["politiker"]
    assert vis["indices"] == {"2021": 0.0, "2023": 100.0, "2025": 75.0}
    assert vis["change"] == -25.0 and vis["test"] == "fisher"
    assert vis["p_value"] == pytest.approx(6006 / 12870, rel=1e-5) and vis["significant"] is False
    tillit = tr.questions["tillit"]["politiker"]
    assert tillit["indices"]["2021"] is None and tillit["change"] == 16.67
    big_drop = tr.questions["tillit"]["tjansteperson"]
    assert big_drop["change"] == 75.0 and big_drop["significant"] is True


def test_trend_with_a_single_wave():
    tr = compare(T(), [A]).trend
    assert tr.waves == [2025] and tr.previous_year is None
    assert tr.questions["tillit"]["politiker"]["change"] is None


# ------------------------------------------------------------------ JSON


def test_json_shape():
    d = json.loads(json.dumps(compare(T(), [A, B, C]).to_dict()))
    assert {"municipality", "year", "benchmark", "benchmark_set", "questions", "gaps", "trend", "synthetic"} <= set(d)
    assert {"municipality", "year", "synthetic", "basis"} <= set(d["benchmark"])
    cell = d["questions"]["tillit"]["politiker"]
    assert {"index", "benchmark_index", "difference", "p_value", "percentile", "median_index",
            "difference_to_median", "best_municipality", "benchmark_percent", "benchmark_counts", "benchmark_n",
            "suppressed"} <= set(cell)


# ------------------------------------------------------------------ public data


def test_profile_indices_equal_compute_results(public_db):
    with Store(str(public_db)) as s:
        for w in s.waves():
            table = s.counts(w)
            res = compute_results(table)
            prof = profile(table)
            assert {q: {g: c.index for g, c in gs.items()} for q, gs in prof.items()} == \
                   {q: {g: r.index for g, r in gs.items()} for q, gs in res.questions.items()}


def test_exempelby_is_compared_with_kavlinge_2024(public_db):
    with Store(str(public_db)) as s:
        cmp = comparison(s, "Exempelby")
    assert (cmp.benchmark.municipality, cmp.benchmark.year) == ("Kävlinge", 2024)
    assert len(cmp.benchmark_set) == 9 and ("Kävlinge", 2022) not in [(e.municipality, e.year) for e in cmp.benchmark_set]
    for qid, groups in cmp.questions.items():
        for g, c in groups.items():
            assert c.difference is not None and c.p_value is not None, (qid, g)
            assert c.difference == pytest.approx(c.index - c.benchmark_index, abs=0.011)
    assert cmp.questions["tillit"]["politiker"].difference < 0 and cmp.questions["tillit"]["politiker"].significant


def test_renamed_best_is_still_found(tmp_path, shared_exports):
    renamed = tmp_path / "agg.csv"
    renamed.write_text((shared_exports / AGGREGATE).read_text("utf-8").replace("Kävlinge", "Bästeby"), "utf-8")
    with Store(str(tmp_path / "t.db")) as s:
        s.import_aggregate(renamed)
        cmp = comparison(s, "Lövby")
        assert (cmp.benchmark.municipality, cmp.benchmark.year) == ("Bästeby", 2024)
        with pytest.raises(ComparisonError, match="sin egen"):
            comparison(s, "Lövby", with_="lövby")
        assert comparison(s, "Bästeby").trend.previous_year == 2022
