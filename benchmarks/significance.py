"""Tests and ranks used by the comparisons: pure functions of plain counts.

Two answer distributions (say this municipality's and the benchmark's counts per scale
step) form a 2 × k table. Which test is used:

- k = 2: Fisher's exact test (``scipy.stats.fisher_exact``);
- k > 2 and every expected count at least 5: Pearson's chi-square test
  (``scipy.stats.chi2_contingency``);
- k > 2 with small expected counts: the exact Fisher–Freeman–Halton test, by enumerating
  every 2 × k table with the same margins (fast for survey-sized groups).

Steps nobody chose in either distribution are left out first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_EXPECTED = 5
MAX_TABLES = 2_000_000  # beyond this many tables the exact test gives way to chi-square
REL_TOL = 1e-7  # tables as probable as the observed one, up to rounding, count as extreme


@dataclass(frozen=True)
class TestResult:
    p_value: float | None
    test: str | None  # "fisher", "chi2", "fisher-freeman-halton" or None (nothing to test)


def compare_counts(a: Sequence[int], b: Sequence[int]) -> TestResult:
    """Do two distributions over the same ordered categories differ? (two-sided)"""
    if len(a) != len(b):
        raise ValueError("the two distributions must have the same categories")
    from scipy import stats  # loaded only when a test runs (it is slow to import)

    keep = [i for i in range(len(a)) if a[i] + b[i] > 0]
    x = np.array([[a[i] for i in keep], [b[i] for i in keep]], dtype=np.int64)
    if x.shape[1] == 0 or x[0].sum() == 0 or x[1].sum() == 0:
        return TestResult(None, None)
    if x.shape[1] == 1:
        return TestResult(1.0, "fisher")  # everyone gave the same answer: no difference at all
    if x.shape[1] == 2:
        return TestResult(_clip(stats.fisher_exact(x).pvalue), "fisher")
    expected = np.outer(x.sum(axis=1), x.sum(axis=0)) / x.sum()
    if expected.min() >= MIN_EXPECTED:
        return TestResult(_clip(stats.chi2_contingency(x, correction=False).pvalue), "chi2")
    p = exact_2xk(x[0], x[1])
    if p is None:
        return TestResult(_clip(stats.chi2_contingency(x, correction=False).pvalue), "chi2")
    return TestResult(p, "fisher-freeman-halton")


def exact_2xk(a: Sequence[int], b: Sequence[int], max_tables: int = MAX_TABLES) -> float | None:
    """Fisher–Freeman–Halton exact p for a 2 × k table (None when there are too many tables).

    With the margins fixed, a table is given by its first row x, with probability
    prod C(c_j, x_j) / C(N, A). The p-value is the total probability of the tables no more
    probable than the observed one.
    """
    a = np.asarray(a, dtype=np.int64)
    c = a + np.asarray(b, dtype=np.int64)
    total_a, n = int(a.sum()), int(c.sum())
    if c.size == 0:
        return 1.0  # no categories: the one (empty) table there is
    room_after = np.concatenate([np.cumsum(c[::-1])[::-1][1:], [0]])
    log_choose = _log_choose_upto(n)
    sums = np.zeros(1, dtype=np.int64)
    logp = np.zeros(1)
    for cj, room in zip(c[:-1], room_after[:-1]):
        x = np.arange(cj + 1)
        sums = (sums[:, None] + x[None, :]).ravel()
        logp = (logp[:, None] + log_choose(cj, x)[None, :]).ravel()
        ok = (sums <= total_a) & (sums + room >= total_a)
        sums, logp = sums[ok], logp[ok]
        if sums.size > max_tables:
            return None
    # the last column is fixed by the margins: one table per partial table (the same tables,
    # in the same order, as enumerating its values and keeping those that add up)
    last = total_a - sums
    ok = (last >= 0) & (last <= c[-1])
    logp = logp[ok] + log_choose(c[-1], np.arange(c[-1] + 1))[last[ok]]
    observed = float(log_choose(c, a).sum())
    norm = float(log_choose(n, total_a))
    extreme = logp <= observed + math.log1p(REL_TOL)
    return _clip(float(np.exp(logp[extreme] - norm).sum()))


def _log_choose_upto(most: int):
    """log C(n, k) for 0 <= k <= n <= most, from one table of log k! (the same gammaln values)."""
    from scipy.special import gammaln

    log_factorial = gammaln(np.arange(most + 1) + 1)

    def log_choose(n, k):
        n, k = np.asarray(n), np.asarray(k)
        return log_factorial[n] - log_factorial[k] - log_factorial[n - k]

    return log_choose


def _clip(p: float) -> float:
    return float(min(1.0, max(0.0, p)))


def percentile_rank(value: float, others: Sequence[float]) -> float | None:
    """Percent of `others` below `value`, ties counted half (0–100); None without others."""
    return share_below(sum(1 for o in others if o < value), sum(1 for o in others if o == value), len(others))


def share_below(below: int, ties: int, of: int) -> float | None:
    """Percent below, ties counted half (0–100), from the counts; None when there is nothing."""
    return 100 * (below + ties / 2) / of if of else None


def median(values: Sequence[float]) -> float | None:
    return float(np.median(values)) if len(values) else None


def distribution_distance(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Total variation distance between two answer distributions, in percentage points (0–100)."""
    na, nb = sum(a), sum(b)
    if not na or not nb:
        return None
    return 50 * sum(abs(x / na - y / nb) for x, y in zip(a, b))
