"""Answer counts per question × group × label: the common ground of raw and aggregated data.

Everything downstream (results, benchmarks, comparisons) works from a :class:`CountTable`,
so a wave imported from a raw export and a wave delivered only as counts are analysed by
the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
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
    """One CountTable per municipality for national files with a municipality column.

    One pass over the whole file with integer keys (municipality × question × group ×
    label) and a bincount, then split: linear in the file size.
    """
    if "municipality" not in data.respondents.columns:
        return {}
    inst = data.instrument
    resp = data.responses
    rmuni = data.respondents["municipality"].astype("string").fillna("")
    m_codes, m_names = pd.factorize(rmuni.to_numpy(), sort=True)
    pos = pd.Index(data.respondents["respondent_id"].to_numpy()).get_indexer(resp["respondent_id"].to_numpy())
    m = m_codes[pos].astype(np.int64)
    qcat = resp["question_id"].cat.categories
    q = resp["question_id"].cat.codes.to_numpy().astype(np.int64)
    g = resp["group"].cat.codes.to_numpy().astype(np.int64)
    if isinstance(resp["label"].dtype, pd.CategoricalDtype):  # as made by survey.tidy: -1 is blank
        label_cats = [*resp["label"].cat.categories, BLANK]
        lab_codes = resp["label"].cat.codes.to_numpy().astype(np.int64)
        lab_codes[lab_codes < 0] = len(label_cats) - 1
    else:
        label_cats = sorted(set(resp["label"].dropna().unique())) + [BLANK]
        lab_codes = pd.Categorical(resp["label"].astype(object).where(resp["label"].notna(), BLANK),
                                   categories=label_cats).codes.astype(np.int64)
    M, Q, G, L = len(m_names), len(qcat), len(inst.group_ids), len(label_cats)
    key = ((m * Q + q) * G + g) * L + lab_codes
    n = np.bincount(key, minlength=M * Q * G * L)
    nz = np.flatnonzero(n)
    km, rest = np.divmod(nz, Q * G * L)
    kq, rest = np.divmod(rest, G * L)
    kg, kl = np.divmod(rest, L)
    inel = np.bincount(((m * Q + q) * G + g)[resp["ineligible"].to_numpy()], minlength=M * Q * G).reshape(M, Q, G)
    gcodes = pd.Categorical(data.respondents["group"], categories=inst.group_ids).codes.astype(np.int64)
    per_group = np.bincount(m_codes * G + gcodes, minlength=M * G).reshape(M, G)
    qnames = np.asarray(qcat, dtype=object)
    gnames = np.asarray(inst.group_ids, dtype=object)
    lnames = np.asarray(label_cats, dtype=object)
    bounds = np.searchsorted(km, np.arange(M + 1))
    out: dict[str, CountTable] = {}
    for i, name in enumerate(m_names):
        if name == "":
            continue
        sl = slice(bounds[i], bounds[i + 1])
        frame = pd.DataFrame({"question_id": qnames[kq[sl]], "group": gnames[kg[sl]], "label": lnames[kl[sl]],
                              "n": n[nz[sl]].astype(int)})
        ineligible: dict[str, dict[str, int]] = {}
        for qi, gi in zip(*np.nonzero(inel[i])):
            ineligible.setdefault(str(qnames[qi]), {})[str(gnames[gi])] = int(inel[i, qi, gi])
        respondents = {gid: int(per_group[i, j]) for j, gid in enumerate(inst.group_ids)}
        out[str(name)] = CountTable(inst, frame, respondents, ineligible)
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
