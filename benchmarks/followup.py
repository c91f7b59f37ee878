"""Follow-up of decided actions at a later survey wave: how did each action's area move?

A pure function of already computed results: for each action, the area index of the wave
it is measured from ("then") and of the later wave ("now"), all respondents and per group,
and a test of whether the change is larger than chance. The indices are the waves' own
`tillit.survey.Results.dimensions` (the one area-index rule, `tillit.survey.results.area_index`); nothing
here computes an index a second way.

The test: each question index is a mean of answers rescaled to 0–100, with standard
error s/√n. An area index is the mean of k question indices; as the same people answer
all of them, their errors are correlated, so the area's standard error is bounded from
above by assuming full correlation, SE ≤ (1/k)·Σ SE_q. The two waves are independent
samples, and the change is tested with z = Δ / √(SE_then² + SE_now²), two-sided. The bound
makes the test conservative: a change called significant is not an artefact of treating
one person's answers as independent. It shows an association in time, not that the
action caused the change.

Groups below the anonymity threshold have no index in `Results`, so they get no figures
here either (``suppressed: true``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tillit.survey import ALL, Instrument, Results
from tillit.survey.results import SIGNIFICANCE


@dataclass(frozen=True)
class MeasuredWave:
    """One wave's year, instrument and computed results."""

    year: int
    instrument: Instrument
    results: Results


def area_standard_error(wave: MeasuredWave, area: str, group: str) -> float | None:
    """Upper bound of the standard error of an area index (0–100) for one group; None when not shown."""
    inst, res = wave.instrument, wave.results
    qids = [q.id for q in inst.questions if q.dimension == area and q.id in res.questions]
    if not qids:
        return None
    total = 0.0
    for qid in qids:
        cell = res.questions[qid].get(group)
        if cell is None or cell.suppressed or not cell.counts or not cell.n:
            return None
        scale = inst.scales[inst.question(qid).scale]
        span = scale.max_value - scale.min_value
        values = [100 * (s.value - scale.min_value) / span for s in scale.steps]
        counts = [cell.counts.get(s.label, 0) for s in scale.steps]
        n = sum(counts)
        mean = sum(v * c for v, c in zip(values, counts)) / n
        var = sum(c * (v - mean) ** 2 for v, c in zip(values, counts)) / (n - 1) if n > 1 else 0.0
        total += math.sqrt(var / n)
    return total / len(qids)


def change_test(then: MeasuredWave, now: MeasuredWave, area: str, group: str,
                change: float | None) -> tuple[float | None, bool | None]:
    """(two-sided p, significant) for an area's change between two independent waves."""
    if change is None:
        return None, None
    se_then, se_now = area_standard_error(then, area, group), area_standard_error(now, area, group)
    if se_then is None or se_now is None:
        return None, None
    se = math.hypot(se_then, se_now)
    if se == 0:
        p = 1.0 if change == 0 else 0.0
    else:
        from scipy import stats  # loaded only when a change is tested (it is slow to import)

        p = float(2 * stats.norm.sf(abs(change) / se))
    return float(f"{p:.6g}"), p < SIGNIFICANCE


def _index(wave: MeasuredWave, area: str, group: str) -> float | None:
    return (wave.results.dimensions.get(area) or {}).get(group)


def follow_up(actions: Sequence[dict[str, Any]], baselines: dict[int, MeasuredWave], now: MeasuredWave,
              lang: str = "sv") -> list[dict[str, Any]]:
    """Each earlier action with its area's index then and now, all respondents and per group.

    `actions`: dicts with id, year (decided), area, text, owner, due, status (as
    `Store.actions()[i].to_dict()`); `baselines`: the wave each action is measured from,
    by the action's id. Actions whose baseline is not earlier than `now` are left out.
    """
    out = []
    group_ids = [*now.instrument.group_ids, ALL]
    dims = {d.id: d for d in now.instrument.dimensions}
    for a in actions:
        then = baselines.get(a["id"])
        if then is None or then.year >= now.year:
            continue
        groups = {}
        for g in group_ids:
            i_then, i_now = _index(then, a["area"], g), _index(now, a["area"], g)
            change = None if i_then is None or i_now is None else round(i_now - i_then, 2)
            p, significant = change_test(then, now, a["area"], g, change)
            groups[g] = {"index_then": i_then, "index_now": i_now,
                         "change": change, "p_value": p, "significant": significant,
                         "suppressed": change is None}
        everyone = groups[ALL]
        dim = dims.get(a["area"])
        # an area the instrument of either wave does not have cannot be followed up at all
        measured = a["area"] in then.results.dimensions and a["area"] in now.results.dimensions
        out.append({
            "id": a["id"], "text": a["text"], "area": a["area"],
            "area_label": dim.label(lang) if dim else a["area"],
            "owner": a.get("owner"), "due": a.get("due"), "status": a.get("status"),
            "decided_year": a["year"], "year_then": then.year, "year_now": now.year,
            "index_then": everyone["index_then"], "index_now": everyone["index_now"],
            "change": everyone["change"], "p_value": everyone["p_value"],
            "significant": everyone["significant"], "suppressed": everyone["suppressed"],
            "area_measured": measured, "groups": groups,
        })
    return out
