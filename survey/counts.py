"""Answer counts per question × group × label: the common ground of raw and aggregated data.

Everything downstream (results, benchmarks, comparisons) works from a :class:`CountTable`,
so a wave imported from a raw export and a wave delivered only as counts are analysed by
the same code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .instrument import Instrument
from .tidy import BLANK, SurveyData

COUNT_COLUMNS = ["question_id", "group", "label", "n"]
Row = tuple[str, str, str, int]


class CountTable:
    """Answer counts of one wave: (question_id, group, label, n) rows with n > 0.

    ``label`` is canonical, or BLANK for an unanswered question. The counts can be given as
    a DataFrame (``counts``), as plain tuples (``rows``) or as a dense array (``dense``:
    n[question, group, label] with the three name lists); the other forms are built on
    first use, so tables made by the hundred (a national file, a benchmark store) cost no
    DataFrame until one is asked for.
    """

    def __init__(self, instrument: Instrument, counts: pd.DataFrame | None = None,
                 respondents: dict[str, int] | None = None,
                 ineligible: dict[str, dict[str, int]] | None = None, *, rows: list[Row] | None = None,
                 dense: tuple[np.ndarray, list[str], list[str], list[str]] | None = None):
        if counts is None and rows is None and dense is None:
            raise ValueError("CountTable needs counts, rows or dense")
        self.instrument = instrument
        self._frame = counts
        self._rows = rows
        self._dense = dense
        self.respondents = dict(respondents or {})
        self.ineligible = ineligible if ineligible is not None else {}  # question -> group -> n
        # Values derived from the counts by other packages (e.g. a benchmark profile), kept
        # while the counts stay the same; replacing the counts empties it.
        self.memo: dict = {}

    @property
    def counts(self) -> pd.DataFrame:
        if self._frame is None:
            cols = list(zip(*self.rows)) or [[], [], [], []]
            self._frame = pd.DataFrame({"question_id": cols[0], "group": cols[1], "label": cols[2],
                                        "n": np.asarray(cols[3], dtype=np.int64)}, columns=COUNT_COLUMNS)
        return self._frame

    @counts.setter
    def counts(self, frame: pd.DataFrame) -> None:
        self._frame, self._rows, self._dense = frame, None, None
        self.memo = {}

    @property
    def rows(self) -> list[Row]:
        if self._rows is None and self._frame is None:
            n, questions, groups, labels = self._dense
            q, g, lbl = np.nonzero(n)
            self._rows = list(zip([questions[i] for i in q.tolist()], [groups[i] for i in g.tolist()],
                                  [labels[i] for i in lbl.tolist()], n[q, g, lbl].tolist()))
        if self._rows is None:
            c = self._frame
            self._rows = list(zip(c["question_id"].tolist(), c["group"].tolist(), c["label"].tolist(),
                                  c["n"].tolist()))
        return self._rows

    def count(self, qid: str, group: str, label: str) -> int:
        if self._dense is not None:
            n, questions, groups, labels = self._dense
            if qid not in questions or group not in groups or label not in labels:
                return 0
            return int(n[questions.index(qid), groups.index(group), labels.index(label)])
        return sum(int(n) for q, g, lbl, n in self.rows if q == qid and g == group and lbl == label)

    def as_nested(self) -> dict[str, dict[str, dict[str, int]]]:
        """question -> group -> label -> n, the shape of facit.json (blanks as "(blank)")."""
        out: dict[str, dict[str, dict[str, int]]] = {}
        for q, g, lbl, n in self.rows:
            if n:
                d = out.setdefault(str(q), {}).setdefault(str(g), {})
                d[str(lbl)] = d.get(str(lbl), 0) + int(n)
        return out


def count_answers(data: SurveyData) -> CountTable:
    """The counts of a whole export (all municipalities in it together)."""
    every = np.zeros(len(data.respondents), dtype=np.int64)
    return _tables(data, every, ["all"])["all"]


def count_by_municipality(data: SurveyData) -> dict[str, CountTable]:
    """One CountTable per municipality for national files with a municipality column.

    Counted straight from the wide answers: one bincount per question over an integer key
    (municipality × group × label), then split: linear in the file size.
    """
    if "municipality" not in data.respondents.columns:
        return {}
    muni = data.respondents["municipality"]
    if not isinstance(muni.dtype, pd.CategoricalDtype):
        muni = muni.astype("category")
    return _tables(data, muni.cat.codes.to_numpy().astype(np.int64), [str(c) for c in muni.cat.categories])


def _tables(data: SurveyData, keys: np.ndarray, names: list[str]) -> dict[str, CountTable]:
    """Count per key (an index into names, -1 = leave out) × question × group × label."""
    inst, ans = data.instrument, data.answers
    qids = list(ans.codes)
    labels = [*ans.labels, BLANK]  # code -1 (blank) becomes the last label
    K, Q, G, L = len(names), len(qids), len(inst.group_ids), len(labels)
    take = keys >= 0
    k = keys[take]
    g = data.respondents["group"].cat.codes.to_numpy().astype(np.int64)[take]
    base = (k * G + g) * L
    n = np.zeros((Q, K * G * L), dtype=np.int64)
    inel = np.zeros((Q, K * G), dtype=np.int64)
    for qi, qid in enumerate(qids):
        lab = ans.codes[qid].astype(np.int64)[take]
        lab[lab < 0] = L - 1
        n[qi] = np.bincount(base + lab, minlength=K * G * L)
        if qid in ans.ineligible:
            inel[qi] = np.bincount((k * G + g)[ans.ineligible[qid][take]], minlength=K * G)
    n = n.reshape(Q, K, G, L).transpose(1, 0, 2, 3)  # key, question, group, label
    inel = inel.reshape(Q, K, G).transpose(1, 0, 2)
    per_group = np.bincount(k * G + g, minlength=K * G).reshape(K, G)
    group_ids = inst.group_ids
    ineligible: list[dict[str, dict[str, int]]] = [{} for _ in names]
    for i, qi, gi in zip(*np.nonzero(inel)):
        ineligible[i].setdefault(qids[qi], {})[group_ids[gi]] = int(inel[i, qi, gi])
    per_group_rows = per_group.tolist()
    return {name: CountTable(inst, None, dict(zip(group_ids, per_group_rows[i])), ineligible[i],
                             dense=(n[i], qids, group_ids, labels))
            for i, name in enumerate(names)}


def counts_from_nested(inst: Instrument, nested: dict[str, dict[str, dict[str, int]]],
                       respondents: dict[str, int]) -> CountTable:
    """Build a CountTable from question -> group -> label -> n (aggregated deliveries)."""
    rows = [(q, g, lbl, int(n)) for q, gs in nested.items() for g, ls in gs.items() for lbl, n in ls.items() if n]
    return CountTable(inst, None, dict(respondents), rows=rows)
