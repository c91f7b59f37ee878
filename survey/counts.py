"""Answer counts per question × group × label: the common ground of raw and aggregated data.

Everything downstream (results, benchmarks, comparisons) works from a :class:`CountTable`,
so a wave imported from a raw export and a wave delivered only as counts are analysed by
the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .instrument import Instrument
from .tidy import BLANK, SurveyData

COUNT_COLUMNS = ["question_id", "group", "label", "n"]


@dataclass
class CountTable:
    """counts: question_id, group, label (canonical, or BLANK), n > 0."""

    instrument: Instrument
    counts: pd.DataFrame
    respondents: dict[str, int]
    ineligible: dict[str, dict[str, int]] = field(default_factory=dict)  # question -> group -> n

    def count(self, qid: str, group: str, label: str) -> int:
        c = self.counts
        hit = c[(c["question_id"] == qid) & (c["group"] == group) & (c["label"] == label)]
        return int(hit["n"].sum())

    def as_nested(self) -> dict[str, dict[str, dict[str, int]]]:
        """question -> group -> label -> n, the shape of facit.json (blanks as "(blank)")."""
        out: dict[str, dict[str, dict[str, int]]] = {}
        for row in self.counts.itertuples(index=False):
            if row.n:
                out.setdefault(row.question_id, {}).setdefault(row.group, {})[row.label] = int(row.n)
        return out


def count_answers(data: SurveyData) -> CountTable:
    return _count(data.instrument, data.responses, data.respondents)


def count_by_municipality(data: SurveyData) -> dict[str, CountTable]:
    """One CountTable per municipality for national files with a municipality column."""
    if "municipality" not in data.respondents.columns:
        return {}
    muni = data.respondents.set_index("respondent_id")["municipality"]
    responses = data.responses.assign(municipality=data.responses["respondent_id"].map(muni).to_numpy())
    out = {}
    for name, part in responses.groupby("municipality", sort=True, observed=True):
        out[str(name)] = _count(data.instrument, part, data.respondents[data.respondents["municipality"] == name])
    return out


def _count(inst: Instrument, responses: pd.DataFrame, respondents: pd.DataFrame) -> CountTable:
    labels = responses["label"].astype("string").fillna(BLANK)
    grouped = (pd.DataFrame({"question_id": responses["question_id"].astype(str),
                             "group": responses["group"].astype(str), "label": labels})
               .value_counts(sort=False).rename("n").reset_index())
    counts = grouped[grouped["n"] > 0][COUNT_COLUMNS].reset_index(drop=True)
    counts["n"] = counts["n"].astype(int)
    rg = respondents["group"].astype(str).value_counts()
    respondents_per_group = {g: int(rg.get(g, 0)) for g in inst.group_ids}
    inel = responses[responses["ineligible"]]
    ineligible: dict[str, dict[str, int]] = {}
    if len(inel):
        for (qid, gid), n in inel.groupby(["question_id", "group"], observed=True).size().items():
            if n:
                ineligible.setdefault(str(qid), {})[str(gid)] = int(n)
    return CountTable(inst, counts, respondents_per_group, ineligible)


def counts_from_nested(inst: Instrument, nested: dict[str, dict[str, dict[str, int]]],
                       respondents: dict[str, int]) -> CountTable:
    """Build a CountTable from question -> group -> label -> n (aggregated deliveries)."""
    rows = [(q, g, lbl, int(n)) for q, gs in nested.items() for g, ls in gs.items() for lbl, n in ls.items() if n]
    return CountTable(inst, pd.DataFrame(rows, columns=COUNT_COLUMNS), dict(respondents))
