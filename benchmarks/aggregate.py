"""Read a file of aggregated counts (waves delivered only as counts) and check it.

The shape is that of ``jamforelsekommuner_aggregerat.csv``: one row per municipality ×
year × question × group × answer, with the columns ``kommun, ar, fraga, grupp,
svarsalternativ, antal`` and optionally ``svarande`` (the group's respondents in that
wave, repeated on its rows). Questions may be given by id or text, groups by id or by one
of their answers, answers by label or alias: all matched against the instrument. Blanks
may be given as ``(blank)``. Without ``svarande`` the number of respondents per group is
taken to be the largest number of answers to any one question; either way the rest of
each question counts as blank. Pure: no database here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tillit.survey import BLANK, Instrument
from tillit.survey.readers import read_table
from tillit.survey.textnorm import closest, normalise

from .errors import AggregateFileError

COLUMNS = ["kommun", "ar", "fraga", "grupp", "svarsalternativ", "antal"]
RESPONDENTS = "svarande"  # optional: respondents of the group in the wave
RESPONDENTS_ALIASES = (RESPONDENTS, "antal_svarande", "antal svarande", "respondents")
MAX_PROBLEMS = 10


@dataclass
class AggregateWave:
    municipality: str
    year: int
    counts: dict[str, dict[str, dict[str, int]]]  # question -> group -> label -> n, blanks included
    respondents: dict[str, int]
    notes: list[str] = field(default_factory=list)


def read_aggregate(path: str | Path, instrument: Instrument) -> list[AggregateWave]:
    """All waves of the file, checked against the instrument (AggregateFileError otherwise)."""
    table = read_table(path)
    frame = table.frame
    name = Path(path).name
    by_norm = {normalise(c): c for c in frame.columns}
    missing = [c for c in COLUMNS if c not in by_norm]
    if missing:
        raise AggregateFileError(
            f"Kolumner saknas: {', '.join(missing)} (kolumner i filen: {', '.join(map(str, frame.columns))}).",
            source=name, hint=f"Filen ska ha kolumnerna {', '.join(COLUMNS)} – en rad per kommun, år, fråga, grupp och svar.")
    resp_col = next((by_norm[normalise(a)] for a in RESPONDENTS_ALIASES if normalise(a) in by_norm), None)
    frame = frame.rename(columns={by_norm[c]: c for c in COLUMNS} | ({resp_col: RESPONDENTS} if resp_col else {}))
    frame = frame[COLUMNS + ([RESPONDENTS] if resp_col else [])]
    if frame.empty:
        raise AggregateFileError("Filen innehåller inga rader.", source=name)
    matcher = _Matcher(instrument)
    problems: list[str] = []
    nested: dict[tuple[str, int], dict[str, dict[str, dict[str, int]]]] = {}
    given: dict[tuple[str, int], dict[str, tuple[int, int]]] = {}  # wave -> group -> (respondents, row)
    for i, row in enumerate(frame.itertuples(index=False), start=2):  # row 1 is the header
        try:
            key, qid, gid, label, n = _parse_row(row, matcher)
            stated = _respondents(row) if resp_col else None
        except ValueError as exc:
            problems.append(f"rad {i}: {exc}")
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        cell = nested.setdefault(key, {}).setdefault(qid, {}).setdefault(gid, {})
        if label in cell:
            problems.append(f"rad {i}: '{label}' för {key[0]} {key[1]}, {qid}, {gid} förekommer redan på en tidigare rad.")
        cell[label] = n
        if stated is not None:
            before = given.setdefault(key, {}).setdefault(gid, (stated, i))
            if before[0] != stated:
                problems.append(f"rad {i}: svarande {stated} för {key[0]} {key[1]}, {gid} skiljer sig från "
                                f"{before[0]} på rad {before[1]}.")
    if problems:
        more = " (fler fel kan finnas)" if len(problems) >= MAX_PROBLEMS else ""
        raise AggregateFileError("Filen stämmer inte med instrumentet:\n  " + "\n  ".join(problems) + more,
                                 source=name, hint="Rätta raderna ovan. Giltiga frågor: "
                                 f"{', '.join(instrument.question_ids)}; grupper: {', '.join(instrument.group_ids)}.")
    return [_complete(muni, year, counts, instrument, given.get((muni, year), {}), name)
            for (muni, year), counts in nested.items()]


class _Matcher:
    def __init__(self, inst: Instrument):
        self.inst = inst
        self.questions: dict[str, str] = {}
        for q in inst.questions:
            for text in (q.id, q.text, *q.aliases):
                self.questions.setdefault(normalise(text), q.id)
        self.groups: dict[str, str] = {}
        for g in inst.groups:
            for text in (g.id, g.label_sv, g.label_en, *g.answers):
                self.groups.setdefault(normalise(text), g.id)
        self.labels: dict[str, dict[str, str]] = {}
        for sid, scale in inst.scales.items():
            m = {normalise(BLANK): BLANK}
            for s in (*scale.steps, *scale.dont_know):
                for text in (s.label, *s.aliases):
                    m.setdefault(normalise(text), s.label)
            self.labels[sid] = m


def _parse_row(row, m: _Matcher) -> tuple[tuple[str, int], str, str, str, int]:
    muni = "" if pd.isna(row.kommun) else " ".join(str(row.kommun).split())
    if not muni:
        raise ValueError("kommun saknas.")
    year = _int(row.ar, "ar")
    if not 1900 <= year <= 2200:
        raise ValueError(f"året '{row.ar}' är inte ett rimligt år.")
    qid = m.questions.get(normalise(row.fraga))
    if qid is None:
        near = closest(str(row.fraga), m.inst.question_ids)
        raise ValueError(f"okänd fråga '{row.fraga}'" + (f" – menar du '{near}'?" if near else "."))
    gid = m.groups.get(normalise(row.grupp))
    if gid is None:
        raise ValueError(f"okänd grupp '{row.grupp}' (giltiga: {', '.join(m.inst.group_ids)}).")
    scale = m.inst.scale_of(qid)
    label = m.labels[scale.id].get(normalise(row.svarsalternativ))
    if label is None:
        raise ValueError(f"svarsalternativet '{row.svarsalternativ}' finns inte på skalan för {qid} "
                         f"(giltiga: {', '.join(scale.all_labels)}, {BLANK}).")
    n = _int(row.antal, "antal")
    if n < 0:
        raise ValueError(f"antal är negativt ({n}).")
    return (muni, year), qid, gid, label, n


def _respondents(row) -> int | None:
    if pd.isna(row.svarande) or not str(row.svarande).strip():
        return None
    n = _int(row.svarande, RESPONDENTS)
    if n < 0:
        raise ValueError(f"svarande är negativt ({n}).")
    return n


def _int(value, column: str) -> int:
    text = "" if pd.isna(value) else str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text.endswith((".0", ",0")):
        text = text[:-2]
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{column} ska vara ett heltal, inte '{value}'.") from None


def _complete(muni: str, year: int, counts: dict, inst: Instrument, given: dict[str, tuple[int, int]],
              source: str) -> AggregateWave:
    """Respondents per group (as stated, else inferred) and the blanks the file leaves implicit."""
    respondents: dict[str, int] = {}
    notes: list[str] = []
    for g in inst.group_ids:
        totals = {qid: sum(gs.get(g, {}).values()) for qid, gs in counts.items()}
        most = max(totals.values(), default=0)
        if g in given:
            stated, row = given[g]
            if stated < most:
                qid = max(totals, key=totals.get)
                raise AggregateFileError(
                    f"rad {row}: svarande {stated} för {muni} {year}, {g} är färre än de {most} svaren på {qid}.",
                    source=source, hint="Rätta antalet svarande, eller antalen för frågan.")
            respondents[g] = stated
        else:
            respondents[g] = most
    for qid, gs in counts.items():
        for g, n in respondents.items():
            cell = gs.setdefault(g, {})
            blanks = n - sum(cell.values())
            if blanks > 0:
                cell[BLANK] = cell.get(BLANK, 0) + blanks
            cell_clean = {lbl: k for lbl, k in cell.items() if k > 0}
            if cell_clean:
                gs[g] = cell_clean
            else:
                del gs[g]
    inferred = [g for g in inst.group_ids if g not in given]
    if inferred:
        notes.append("Antal svarande per grupp är det största antalet svar (inklusive blanka) på någon fråga; "
                     "övriga svar räknas som blanka. Ange kolumnen svarande för exakta antal.")
    return AggregateWave(muni, year, counts, respondents, notes)
