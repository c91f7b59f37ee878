"""The raw downloads of real survey tools: where the header is and what its extra rows mean.

A tool's download is a grid of text cells. Before it is a table of respondents, this
module finds the header row (title rows above it are skipped), recognises the extra
header rows of Qualtrics (export tags, question texts, ImportId JSON) and SurveyMonkey
(question texts with merged cells, then "Response" or the matrix statements), and leaves
out the rows that are not respondents (Qualtrics previews, tests and spam). Every change
is reported as a note; nothing is dropped silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .textnorm import normalise

_UNNAMED = re.compile(r"^Unnamed: \d+$")
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:')
# SurveyMonkey's second header row for a single answer column (English and Swedish UI).
_SM_SINGLE = {"response", "open ended response", "svar", "öppet svar", "oppet svar", "open-ended response"}
_SM_ID = {"respondent id", "respondentid", "respondent-id"}
_QUALTRICS_ID = {"responseid", "response id", "_recordid"}
# Qualtrics' "Response Type" (column Status): the rows that are not real respondents.
_QUALTRICS_NOT_RESPONDENT_TEXT = ("preview", "test", "spam")
_QUALTRICS_NOT_RESPONDENT_CODES = {"1", "2", "8", "9", "12", "17"}
# A Qualtrics question text carries the part of the question a column holds after " - ".
_QUALTRICS_SUFFIXES = (" - Selected Choice", " - Valt alternativ", " - Markerat val")


@dataclass
class Shape:
    """What was found about the layout: column names, extra match texts, notes."""

    columns: list[str]
    match_texts: dict[str, list[str]] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)  # SurveyMonkey: column -> its question (merged cell)
    notes: list[str] = field(default_factory=list)
    tool: str | None = None


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or not str(v).strip()


def header_index(rows: list[list[object]]) -> int:
    """The index of the header row among the first rows of a grid (title rows skipped).

    A title row ("Rapport: …", "Exporterad 2025-03-01") has one or two filled cells; the
    header is the first row with at least half as many filled cells as the fullest row.
    """
    filled = [sum(not is_blank(v) for v in r) for r in rows]
    if not filled:
        return 0
    for i, r in enumerate(rows):  # a tool's own header row, even when merged cells leave it half empty
        keys = {normalise(v) for v in r if not is_blank(v)}
        below = rows[i + 1] if i + 1 < len(rows) else []
        if keys & (_SM_ID | _QUALTRICS_ID) or sum(normalise(v) in _SM_SINGLE for v in below if not is_blank(v)) >= 2:
            return i
    most = max(filled)
    for i, n in enumerate(filled):
        if n >= max(2, (most + 1) // 2) or (most < 2 and n == most):
            return i
    return 0


def title_note(rows: list[list[object]], n: int) -> str:
    shown = [" ".join(str(v).strip() for v in r if not is_blank(v))[:60] for r in rows[:n]]
    shown = [s for s in shown if s]
    return (f"{n} rad(er) ovanför rubrikraden hoppades över"
            + (f" ({'; '.join(repr(s) for s in shown[:3])})" if shown else "") + ".")


def _name(v: object) -> str:
    if is_blank(v) or _UNNAMED.match(str(v)):
        return ""
    return str(v).strip()


def detect(columns: list[str], frame: pd.DataFrame) -> tuple[Shape | None, int]:
    """Recognise a Qualtrics or SurveyMonkey download from the header and the first rows.

    Returns the new shape and the number of leading rows of ``frame`` that are header rows,
    or (None, 0) for a plain one-header table.
    """
    head = [_name(c) for c in columns]
    keys = {normalise(c) for c in head}
    if len(frame) == 0:
        return None, 0
    first = [_name(v) for v in frame.iloc[0].tolist()]
    second = [_name(v) for v in frame.iloc[1].tolist()] if len(frame) > 1 else [""] * len(head)
    if sum(bool(_IMPORT_ID.match(v)) for v in second) >= max(1, sum(bool(v) for v in second) // 2):
        return _qualtrics(head, first, second), 2
    first_keys = {normalise(v) for v in first}
    if (keys & _QUALTRICS_ID and first_keys & {"response id", "responseid", "start date", "response type"}) or \
            (first_keys & {"responseid", "response id"} and first_keys & {"startdate", "start date", "responseset"}):
        return _qualtrics(head, first, None), 1  # two header rows (the legacy export: V1, V2 … over the names)
    single = sum(normalise(v) in _SM_SINGLE for v in first)
    if (keys & _SM_ID and single) or single >= max(2, sum(bool(v) for v in first) // 3):
        return _surveymonkey(head, first), 1
    return None, 0


def _qualtrics(tags: list[str], texts: list[str], import_ids: list[str] | None) -> Shape:
    columns, match = [], {}
    for i, (tag, text) in enumerate(zip(tags, texts)):
        name = tag or text or f"kolumn {i + 1}"
        columns.append(name)
        alts = []
        if text:
            clean = text
            for suffix in _QUALTRICS_SUFFIXES:
                if clean.endswith(suffix):
                    clean = clean[: -len(suffix)]
            alts.append(clean)
            if " - " in clean:  # a matrix row: "Question - Statement"
                alts.append(clean.split(" - ")[-1].strip())
        if import_ids and import_ids[i]:
            try:
                qid = json.loads(import_ids[i]).get("ImportId")
                if qid:
                    alts.append(str(qid))
            except (ValueError, AttributeError):
                pass
        if alts:
            match[name] = alts
    rows = "tre rubrikrader (exporttagg, frågetext, ImportId)" if import_ids else "två rubrikrader (exporttagg, frågetext)"
    return Shape(columns, match, {}, [f"Qualtrics-export med {rows}"], tool="qualtrics")


def _surveymonkey(questions: list[str], subs: list[str]) -> Shape:
    columns, match, parent = [], {}, {}
    current = ""
    for i, (q, sub) in enumerate(zip(questions, subs)):
        if q:
            current = q
        single = not sub or normalise(sub) in _SM_SINGLE
        if single:
            name = current or f"kolumn {i + 1}"
            alts = []
        else:  # a matrix statement or a choice of a multi-answer question, under a merged question cell
            name = f"{current} - {sub}" if current else sub
            alts = [sub]
            if current:
                parent[name] = current
        columns.append(name)
        if alts:
            match[name] = alts
    return Shape(columns, match, parent, ["SurveyMonkey-export med två rubrikrader (fråga, svar)"], tool="surveymonkey")


def merge_choice_columns(frame: pd.DataFrame, shape: Shape) -> tuple[pd.DataFrame, list[str]]:
    """SurveyMonkey multi-answer questions: one column per choice holding the choice text.

    A group of columns under one question where every filled cell repeats its own column's
    choice becomes one column with the chosen answer; two choices in one row are kept
    together ("A; B") so that the answer check refuses them by row.
    """
    notes: list[str] = []
    groups: dict[str, list[str]] = {}
    for col in frame.columns:
        if col in shape.parent:
            groups.setdefault(shape.parent[col], []).append(col)
    for question, cols in groups.items():
        if len(cols) < 2 or question in set(frame.columns) - set(cols):
            continue
        choice_of = {c: shape.match_texts[c][0] for c in cols}
        if not all(frame[c].dropna().map(lambda v, c=c: normalise(v) in ("", normalise(choice_of[c]))).all()
                   for c in cols):
            continue  # a matrix: each column is its own question
        values = []
        for row in frame[cols].itertuples(index=False):
            chosen = [str(v).strip() for v in row if not is_blank(v)]
            values.append("; ".join(chosen) if chosen else pd.NA)
        at = list(frame.columns).index(cols[0])
        frame = frame.drop(columns=cols)
        frame.insert(at, question, pd.Series(values, index=frame.index, dtype=object))
        for c in cols:
            shape.match_texts.pop(c, None)
        notes.append(f"Flervalsfrågan '{question[:60]}' ({len(cols)} kolumner, en per alternativ) lästes som en kolumn")
    return frame, notes


def not_respondents(frame: pd.DataFrame, row_numbers: np.ndarray, tool: str | None,
                    match_texts: dict[str, list[str]] | None = None) -> tuple[np.ndarray, list[str]]:
    """Rows that are not respondents: Qualtrics previews, tests and spam (by Status/DistributionChannel)."""
    keep = np.ones(len(frame), dtype=bool)
    notes: list[str] = []
    cols: dict[str, str] = {}
    for c in frame.columns:
        for text in [c, *(match_texts or {}).get(c, [])]:
            cols.setdefault(normalise(text), c)
    is_qualtrics = tool == "qualtrics" or bool(set(cols) & _QUALTRICS_ID)
    if not is_qualtrics:
        return keep, notes
    for key in ("status", "response type", "distributionchannel", "distribution channel"):
        col = cols.get(key)
        if col is None:
            continue
        cells = frame[col].astype(object).map(lambda v: "" if is_blank(v) else str(v).strip()).to_numpy(dtype=object)
        bad = np.array([any(w in c.casefold() for w in _QUALTRICS_NOT_RESPONDENT_TEXT)
                        or (key in ("status", "response type") and c in _QUALTRICS_NOT_RESPONDENT_CODES) for c in cells], dtype=bool)
        bad &= keep
        if bad.any():
            kinds = sorted({cells[i] for i in np.flatnonzero(bad)})
            rows = ", ".join(str(r) for r in row_numbers[bad][:10])
            notes.append(f"{int(bad.sum())} rad(er) är förhandsvisningar, testsvar eller skräppost enligt kolumnen "
                         f"'{col}' ({', '.join(kinds)}) och räknas inte (rad {rows}).")
            keep &= ~bad
    return keep, notes
