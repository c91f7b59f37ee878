"""Distinctive words per group: weighted log-odds with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 22), each group against all others.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from .results import DistinctiveWord


def log_odds(
    counts: Mapping[str, Counter],
    *,
    prior_scale: float = 0.1,
    top: int = 10,
    min_z: float = 1.0,
) -> dict[str, tuple[DistinctiveWord, ...]]:
    """z-scores of the log-odds ratio of each word in each group versus the rest.

    ``counts`` maps group -> word counts.  The prior is the pooled word distribution
    scaled to ``prior_scale`` pseudo-counts per word on average.  Returns up to ``top``
    words per group with z >= ``min_z``, strongest first; an empty tuple for a group
    when there is nothing to compare against.
    """
    groups = list(counts)
    pooled: Counter = Counter()
    for c in counts.values():
        pooled.update(c)
    out: dict[str, tuple[DistinctiveWord, ...]] = {g: () for g in groups}
    if len(groups) < 2 or not pooled:
        return out
    total = sum(pooled.values())
    alpha0 = prior_scale * len(pooled)
    alpha = {w: alpha0 * n / total for w, n in pooled.items()}
    for g in groups:
        yi = counts[g]
        ni = sum(yi.values())
        nj = total - ni
        scored = []
        for w, a in alpha.items():
            y_i = yi.get(w, 0)
            y_j = pooled[w] - y_i
            rest_i, rest_j = ni + alpha0 - y_i - a, nj + alpha0 - y_j - a  # every other word, prior included
            if y_i == 0 or rest_i <= 1e-9 or rest_j <= 1e-9:
                continue  # a group that uses no other word: the odds are not defined
            delta = math.log((y_i + a) / rest_i) - math.log((y_j + a) / rest_j)
            var = 1.0 / (y_i + a) + 1.0 / (y_j + a)
            z = delta / math.sqrt(var)
            if z >= min_z:
                scored.append(DistinctiveWord(w, z))
        scored.sort(key=lambda d: (-d.score, d.term))
        out[g] = tuple(scored[:top])
    return out


def group_counts(groups: Sequence[str], lemma_lists: Sequence[Sequence[str]]) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for g, lemmas in zip(groups, lemma_lists):
        counts.setdefault(g, Counter()).update(lemmas)
    return counts
