"""Results from counts: whole percents, means, indices, intervals, tests, suppression."""

import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tillit.survey import ALL, compute_results, count_answers, counts_from_nested, load_instrument, read_export
from tillit.survey.results import mann_whitney, whole_percents, wilson_interval
from tests.factory import build_frame, write
from tillit.cli import main


@pytest.mark.parametrize("counts,expected", [
    ([23, 8], [74, 26]),
    ([1, 6, 7, 5], [5, 32, 37, 26]),
    ([1, 1, 1], [34, 33, 33]),
    ([0, 0, 0, 4], [0, 0, 0, 100]),
    ([0, 0], [0, 0]),
    ([2, 3, 15], [10, 15, 75]),
])
def test_whole_percents_by_hand(counts, expected):
    assert whole_percents(counts) == expected


def test_whole_percents_always_add_to_100():
    rng = np.random.default_rng(3)
    for _ in range(500):
        counts = list(rng.integers(0, 40, size=rng.integers(2, 8)))
        if sum(counts):
            p = whole_percents(counts)
            assert sum(p) == 100
            assert all(abs(pi - 100 * c / sum(counts)) < 1 for pi, c in zip(p, counts))


@pytest.mark.parametrize("k,n", [(23, 31), (0, 10), (10, 10), (7, 19)])
def test_wilson_matches_scipy(k, n):
    ref = stats.binomtest(k, n).proportion_ci(method="wilson")
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(ref.low, abs=1e-9) and hi == pytest.approx(ref.high, abs=1e-9)


def test_mann_whitney_from_counts_matches_raw_arrays():
    inst = load_instrument()
    scale = inst.scales["s4"]
    a = {"Nej": 4, "Till liten del": 15, "Till viss del": 10, "Till stor del": 1}
    b = {"Nej": 1, "Till liten del": 5, "Till viss del": 9, "Till stor del": 9}
    u, p, r = mann_whitney(scale, a, b)
    x = [1] * 4 + [2] * 15 + [3] * 10 + [4]
    y = [1] * 1 + [2] * 5 + [3] * 9 + [4] * 9
    ref = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic")
    assert u == pytest.approx(ref.statistic) and p == pytest.approx(ref.pvalue)
    # rank-biserial by hand: share of pairs where x > y minus share where x < y
    gt = sum(xi > yi for xi in x for yi in y)
    lt = sum(xi < yi for xi in x for yi in y)
    assert r == pytest.approx((gt - lt) / (len(x) * len(y)))
    assert r < 0  # the first group answers lower


def _table(nested, respondents):
    return counts_from_nested(load_instrument(), nested, respondents)


def test_mean_index_share_positive_by_hand():
    nested = {"tillit": {"politiker": {"Nej": 1, "Till liten del": 6, "Till viss del": 7, "Till stor del": 5,
                                       "Vet ej": 2, "(blank)": 1}}}
    res = compute_results(_table(nested, {"politiker": 22, "tjansteperson": 0}))
    r = res.questions["tillit"]["politiker"]
    assert r.n == 19 and r.dont_know == 2 and r.blank == 1
    assert r.percent == {"Nej": 5, "Till liten del": 32, "Till viss del": 37, "Till stor del": 26}
    assert r.mean == pytest.approx((1 + 12 + 21 + 20) / 19, abs=1e-4)
    assert r.index == pytest.approx(100 * ((54 / 19) - 1) / 3, abs=0.01)
    assert r.share_positive == pytest.approx(12 / 19, abs=1e-4)


def test_group_below_threshold_is_suppressed_and_total_too():
    nested = {"tillit": {"politiker": {"Till viss del": 20}, "tjansteperson": {"Nej": 3}}}
    res = compute_results(_table(nested, {"politiker": 20, "tjansteperson": 3}), threshold=5)
    tj = res.questions["tillit"]["tjansteperson"]
    assert tj.suppressed and tj.counts is None and tj.percent is None and tj.mean is None
    # the total would reveal the small group by subtraction: suppressed as well
    assert res.questions["tillit"][ALL].suppressed
    assert not res.questions["tillit"]["politiker"].suppressed
    assert res.differences["tillit"].suppressed
    assert any("färre än 5" in n for n in res.notes)
    dump = json.dumps(res.to_dict())
    assert '"Nej": 3' not in dump


def test_threshold_is_configurable():
    nested = {"tillit": {"politiker": {"Till viss del": 6}, "tjansteperson": {"Nej": 6}}}
    t = _table(nested, {"politiker": 6, "tjansteperson": 6})
    assert not compute_results(t, threshold=5).questions["tillit"]["politiker"].suppressed
    assert compute_results(t, threshold=7).questions["tillit"]["politiker"].suppressed


def test_dimension_index_is_mean_of_question_indices(shared_exports):
    data = read_export(shared_exports / "exempelby_2025_netigate.xlsx")
    res = compute_results(count_answers(data))
    for gid in ("politiker", "tjansteperson", ALL):
        qs = ["tillit", "kultur"]
        expected = sum(res.questions[q][gid].index for q in qs) / 2
        assert res.dimensions["tillit"][gid] == pytest.approx(expected, abs=0.01)


def test_exempelby_shaped_file_prints_hand_calculated_percents(tmp_path):
    """31 förtroendevalda, 27 tjänstepersoner: 23 Ja of 31 -> 74 %, 1/6/7/5 of 19 -> 5/32/37/26 %."""
    spec = {"vision": {"politiker": {"Ja": 23, "Nej": 8}, "tjansteperson": {"Ja": 16, "Nej": 11}},
            "tillit": {"politiker": {"Nej": 1, "Till liten del": 6, "Till viss del": 7, "Till stor del": 5, "Vet ej": 4},
                       "tjansteperson": {"Nej": 2, "Till liten del": 10, "Till viss del": 10, "Till stor del": 5}}}
    path = write(build_frame(spec, {"politiker": 31, "tjansteperson": 27}), tmp_path / "exempel.xlsx")
    out = CliRunner().invoke(main, ["results", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    res = json.loads(out.output)
    assert res["respondents"] == {"politiker": 31, "tjansteperson": 27}
    assert res["questions"]["vision"]["politiker"]["percent"] == {"Ja": 74, "Nej": 26}
    assert res["questions"]["vision"]["tjansteperson"]["percent"] == {"Ja": 59, "Nej": 41}
    assert res["questions"]["tillit"]["politiker"]["percent"] == {"Nej": 5, "Till liten del": 32,
                                                                   "Till viss del": 37, "Till stor del": 26}
    assert res["questions"]["tillit"]["politiker"]["dont_know"] == 4
    assert res["questions"]["tillit"]["politiker"]["blank"] == 31 - 23
    table = CliRunner().invoke(main, ["results", str(path)], terminal_width=200)
    assert table.exit_code == 0 and "23 (74 %)" in table.output and "6 (32 %)" in table.output


def test_csv_format_is_long_and_consistent(shared_exports):
    out = CliRunner().invoke(main, ["results", str(shared_exports / "norrvik_2024_googleforms.csv"), "--format", "csv"])
    assert out.exit_code == 0
    import io

    import pandas as pd

    df = pd.read_csv(io.StringIO(out.stdout))
    sums = df[~df["suppressed"]].groupby(["question_id", "group"])["percent"].sum()
    assert (sums == 100).all()


def test_results_for_one_municipality_of_a_national_file(tmp_path):
    from tillit.survey import count_by_municipality
    from tests.factory import national_frame

    path = write(national_frame(), tmp_path / "nationell.csv")
    out = CliRunner().invoke(main, ["results", str(path), "-m", " bstad ", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = read_export(path)
    expected = compute_results(count_by_municipality(data)["Bstad"]).to_dict()
    got = json.loads(out.stdout)
    assert got.pop("notes") == list(dict.fromkeys([*expected.pop("notes"), *data.only("Bstad").source.warnings]))
    assert got.pop("comments") == {"kommentar_ovrigt": int((data.only("Bstad").comments["box_id"] == "kommentar_ovrigt").sum()),
                                   **{b: 0 for b in ("kommentar_roller_tillit", "kommentar_mal", "kommentar_ekonomi",
                                                     "kommentar_kvalitet")}}
    assert got == json.loads(json.dumps(expected))
    assert json.loads(out.stdout)["respondents"] == {"politiker": 11, "tjansteperson": 16}
    pooled = CliRunner().invoke(main, ["results", str(path), "--format", "json"])
    assert pooled.exit_code == 0 and "3 kommuner" in pooled.stderr  # a note, outside the JSON
    assert sum(json.loads(pooled.stdout)["respondents"].values()) == len(national_frame())
    wrong = CliRunner().invoke(main, ["results", str(path), "-m", "Bstadd"])
    assert wrong.exit_code == 1 and "nationell.csv" in wrong.output and "Menar du 'Bstad'?" in wrong.output


def test_the_note_on_hidden_groups_names_them_in_words():
    from tests.samples import sample_analysis

    a = sample_analysis(small_group="tjansteperson")
    note = next(w for w in a.warnings if "redovisas inte" in w)
    assert "tjänstepersoner" in note and "tjansteperson" not in note


@settings(max_examples=300, deadline=None)
@given(scale_id=st.sampled_from(sorted(load_instrument().scales)), data=st.data())
def test_mann_whitney_from_counts_is_scipys_test_on_the_answers(scale_id, data):
    """Any two groups' counts on any scale of the instrument: the same U, p and r as scipy's
    asymptotic test on the expanded answers (or None / the all-equal case where scipy has none)."""
    scale = load_instrument().scales[scale_id]
    counts = st.lists(st.integers(0, 40), min_size=len(scale.steps), max_size=len(scale.steps))
    xs, ys = data.draw(counts), data.draw(counts)
    a = {s.label: k for s, k in zip(scale.steps, xs)}
    b = {s.label: k for s, k in zip(scale.steps, ys)}
    got = mann_whitney(scale, a, b)
    x = [s.value for s, k in zip(scale.steps, xs) for _ in range(k)]
    y = [s.value for s, k in zip(scale.steps, ys) for _ in range(k)]
    if not x or not y:
        assert got is None
        return
    if len(set(x + y)) == 1:
        assert got == (len(x) * len(y) / 2, 1.0, 0.0)
        return
    ref = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic")
    u, p, r = got
    assert u == pytest.approx(float(ref.statistic), abs=1e-9)
    assert p == pytest.approx(float(ref.pvalue), rel=1e-9, abs=1e-15)
    assert r == pytest.approx(2 * float(ref.statistic) / (len(x) * len(y)) - 1, abs=1e-12)
