"""Turn a read export into the tidy model: one row per respondent × question.

Columns are matched to the instrument by normalised question text, variable name or
variable label; answers by normalised label or by code through value labels (SPSS) or a
codebook. Everything that is not in the instrument is dropped here and reported, so that
names, e-mail addresses or party never travel further than this module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ExportMappingError
from .instrument import Instrument, Scale, load_instrument
from .readers import RawTable, read_codebook, read_table
from .textnorm import closest, normalise

BLANK = "(blank)"


@dataclass
class SourceInfo:
    """Where the data came from and what reading it did (shown by `tillit inspect`)."""

    path: str
    format: str
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    codebook: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)  # export column -> role ("question:tillit", "group", ...)
    dropped: dict[str, str] = field(default_factory=dict)  # export column -> reason
    kept_sensitive: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class SurveyData:
    """The tidy model of one export.

    responses: respondent_id, group, question_id, label (canonical, NA when blank),
        value (float, NA unless a scale step), dont_know (bool), blank (bool),
        ineligible (bool: answered a conditional question without qualifying).
    respondents: respondent_id, group [, municipality] [, kept columns].
    comments: comment_id, respondent_id, group, box_id, text (raw: redact before showing).
    """

    instrument: Instrument
    responses: pd.DataFrame
    respondents: pd.DataFrame
    comments: pd.DataFrame
    source: SourceInfo

    def respondents_per_group(self) -> dict[str, int]:
        counts = self.respondents["group"].value_counts()
        return {g: int(counts.get(g, 0)) for g in self.instrument.group_ids}


def read_export(path: str | Path, *, instrument: Instrument | str | Path | None = None,
                codebook: str | Path | None = None, sheet: str | None = None,
                keep_columns: tuple[str, ...] = ()) -> SurveyData:
    """Read any supported export into the tidy model (the one entry point for files)."""
    inst = instrument if isinstance(instrument, Instrument) else load_instrument(instrument)
    table = read_table(path, sheet=sheet)
    if codebook is not None:
        var_labels, val_labels = read_codebook(codebook)
        table.variable_labels = {**table.variable_labels, **var_labels}
        table.value_labels = {**table.value_labels, **val_labels}
    return tidy(table, inst, codebook=str(codebook) if codebook else None, keep_columns=keep_columns)


# --------------------------------------------------------------------------- column mapping


def _targets(inst: Instrument) -> dict[str, str]:
    """Normalised text -> role, for every way an export may name an instrument column."""
    t: dict[str, str] = {}

    def add(text: str, role: str) -> None:
        key = normalise(text)
        if key and key not in t:
            t[key] = role

    add(inst.group_question, "group")
    for a in inst.group_aliases:
        add(a, "group")
    for q in inst.questions:
        for text in (q.text, q.id, *q.aliases):
            add(text, f"question:{q.id}")
    for b in inst.comment_boxes:
        for text in (b.text, b.id, *b.aliases):
            add(text, f"comment:{b.id}")
    for c in inst.respondent_id_columns:
        add(c, "respondent_id")
    for c in inst.municipality_columns:
        add(c, "municipality")
    return t


def map_columns(table: RawTable, inst: Instrument, keep_columns: tuple[str, ...] = ()) -> tuple[dict[str, str], dict[str, str]]:
    """Return (column -> role, dropped column -> reason)."""
    targets = _targets(inst)
    sensitive = {normalise(c) for c in inst.sensitive_columns}
    keep = {normalise(c) for c in keep_columns}
    mapping: dict[str, str] = {}
    dropped: dict[str, str] = {}
    for col in table.frame.columns:
        label = table.variable_labels.get(col)
        role = None
        for text in ([label] if label else []) + [col]:
            role = targets.get(normalise(text))
            if role:
                break
        if role:
            mapping[col] = role
        elif normalise(col) in keep:
            mapping[col] = f"keep:{col}"
        elif normalise(col) in sensitive or (label and normalise(label) in sensitive):
            dropped[col] = "personuppgift eller känslig uppgift – tas bort"
        else:
            dropped[col] = "finns inte i instrumentet – tas bort"
    by_role: dict[str, list[str]] = {}
    for col, role in mapping.items():
        by_role.setdefault(role, []).append(col)
    clashes = {r: cols for r, cols in by_role.items() if len(cols) > 1}
    if clashes:
        role, cols = next(iter(clashes.items()))
        raise ExportMappingError(
            f"Flera kolumner motsvarar samma sak ({role}): {', '.join(repr(c) for c in cols)}.",
            source=table.path, hint="Ta bort eller döp om den överflödiga kolumnen i exporten.")
    if "group" not in by_role:
        raise ExportMappingError(
            f"Kolumnen för grupp saknas: ingen kolumn heter '{inst.group_question}' "
            f"(kolumner i filen: {_list(table.frame.columns)}).", source=table.path,
            hint="Döp om grupp-kolumnen till frågans text, eller lägg till dess namn under groups.question.aliases i instrumentet.")
    found_q = {r.split(":", 1)[1] for r in by_role if r.startswith("question:")}
    if not found_q:
        raise ExportMappingError(
            f"Ingen kolumn motsvarar någon av instrumentets frågor (kolumner i filen: {_list(table.frame.columns)}).",
            source=table.path,
            hint="Kontrollera att rätt instrument används (--instrument) och att frågetexterna finns som kolumnrubriker; "
                 "för kodade filer (q1, q2 …) ange kodboken med --codebook.")
    missing = [q for q in inst.questions if q.id not in found_q]
    problems = []
    for col, reason in list(dropped.items()):
        if "instrumentet" not in reason:
            continue
        guess = closest(table.variable_labels.get(col) or col, [q.text for q in missing])
        if guess and len(normalise(col)) > 15:
            qid = next(q.id for q in missing if q.text == guess)
            problems.append(f"kolumnen '{col}' liknar frågan '{qid}' ({guess!r})")
    if problems:
        raise ExportMappingError(
            "Kolumner kunde inte kopplas till frågor: " + "; ".join(problems) + ".", source=table.path,
            hint="Rätta rubriken i filen, eller lägg till rubriken under frågans `aliases` i en kopia av instrumentet "
                 "(`tillit instrument show > mitt.yaml`, sedan --instrument mitt.yaml).")
    return mapping, dropped


def _list(cols) -> str:
    cols = [str(c) for c in cols]
    return ", ".join(f"'{c[:40]}'" for c in cols[:12]) + (" …" if len(cols) > 12 else "")


# --------------------------------------------------------------------------- answers


def _label_lookup(scale: Scale) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for s in scale.steps:
        for text in (s.label, s.en, *s.aliases):
            lookup.setdefault(normalise(text), s.label)
    for d in scale.dont_know:
        for text in (d.label, d.en, *d.aliases):
            lookup.setdefault(normalise(text), d.label)
    return lookup


def _code_lookup(scale: Scale) -> dict[str, str]:
    return {str(x.code): x.label for x in (*scale.steps, *scale.dont_know) if x.code is not None}


def _normalise_code(v: str) -> str:
    s = str(v).strip().replace(",", ".")
    try:
        f = float(s)
        return str(int(f)) if f.is_integer() else s
    except ValueError:
        return s


def _map_values(col: str, values: pd.Series, lookup: dict[str, str], value_labels: dict[str, str] | None,
                codes: dict[str, str], what: str, path: Path, known: list[str]) -> pd.Series:
    """Map raw cells to canonical labels through the unique values only (fast on big files)."""
    uniques = pd.unique(values.dropna())
    mapping: dict[object, str] = {}
    unknown: list[str] = []
    all_numeric = len(uniques) > 0 and all(_normalise_code(u).lstrip("-").isdigit() for u in uniques)
    for u in uniques:
        text = str(u)
        if value_labels is not None:
            text = value_labels.get(_normalise_code(text), text)
        hit = lookup.get(normalise(text))
        if hit is None and value_labels is None and all_numeric:
            hit = codes.get(_normalise_code(text))
        if hit is None:
            unknown.append(str(u))
        else:
            mapping[u] = hit
    if unknown:
        rows = []
        for u in unknown[:5]:
            row = next((i + 2 for i, v in enumerate(values.tolist()) if v == u), "?")  # after the header
            guess = closest(u, known)
            rows.append(f"'{u}' (rad {row}" + (f", närmast känd: '{guess}')" if guess else ")"))
        raise ExportMappingError(
            f"Okända svar i kolumnen '{col[:80]}' ({what}): " + "; ".join(rows)
            + (f" och {len(unknown) - 5} till" if len(unknown) > 5 else "") + ".", source=path,
            hint=f"Kända svar: {', '.join(known)}. Rätta svaren i filen, ange kodboken med --codebook, "
                 "eller lägg till stavningen under svarets `aliases` i en kopia av instrumentet.")
    return values.map(mapping)


# --------------------------------------------------------------------------- tidy


def tidy(table: RawTable, inst: Instrument, *, codebook: str | None = None,
         keep_columns: tuple[str, ...] = ()) -> SurveyData:
    mapping, dropped = map_columns(table, inst, keep_columns)
    frame = table.frame
    path = table.path
    role_to_col = {role: col for col, role in mapping.items()}
    warnings: list[str] = []

    # Groups.
    gcol = role_to_col["group"]
    g_lookup: dict[str, str] = {}
    for g in inst.groups:
        for text in (g.id, g.label_sv, g.label_en, g.singular_sv, g.singular_en, *g.answers):
            g_lookup.setdefault(normalise(text), g.id)
    g_codes = {str(g.code): g.id for g in inst.groups if g.code is not None}
    groups = _map_values(gcol, frame[gcol], g_lookup, table.value_labels.get(gcol), g_codes,
                         "grupp", path, [g.answers[0] for g in inst.groups])
    no_group = groups.isna()
    if no_group.all():
        raise ExportMappingError(f"Grupp-kolumnen '{gcol}' är tom på alla rader.", source=path,
                                 hint="Utan grupp kan svaren inte redovisas; kontrollera exporten.")
    if no_group.any():
        warnings.append(f"{int(no_group.sum())} svarande saknar grupp och räknas inte (rader "
                        f"{', '.join(str(i + 2) for i in frame.index[no_group][:10])}).")

    # Respondent ids: the export's own, else the row number.
    if "respondent_id" in role_to_col:
        raw_ids = frame[role_to_col["respondent_id"]].to_numpy(dtype=object, na_value=None)
        rid = pd.Series([None if v is None else str(v).strip() for v in raw_ids], index=frame.index, dtype=object)
        if rid.isna().any() or rid.duplicated().any():
            dup = rid[rid.duplicated(keep=False)].dropna().unique()[:5]
            warnings.append("Svars-id saknas eller förekommer flera gånger"
                            + (f" ({', '.join(map(str, dup))})" if len(dup) else "") + "; radnummer används i stället.")
            rid = pd.Series([str(i + 1) for i in range(len(frame))], index=frame.index, dtype="string")
    else:
        rid = pd.Series([str(i + 1) for i in range(len(frame))], index=frame.index, dtype="string")
    keep_rows = ~no_group
    respondents = pd.DataFrame({"respondent_id": rid[keep_rows].to_numpy(),
                                "group": groups[keep_rows].to_numpy()})
    if "municipality" in role_to_col:
        respondents["municipality"] = frame.loc[keep_rows, role_to_col["municipality"]].astype("string").str.strip().to_numpy()
    kept_sensitive = []
    for col, role in mapping.items():
        if role.startswith("keep:"):
            respondents[col] = frame.loc[keep_rows, col].to_numpy()
            kept_sensitive.append(col)
    n = len(respondents)

    # Answers, question by question, vectorised.
    labels_by_q: dict[str, pd.Series] = {}
    for q in inst.questions:
        col = role_to_col.get(f"question:{q.id}")
        if col is None:
            continue
        scale = inst.scales[q.scale]
        labels = _map_values(col, frame[col], _label_lookup(scale), table.value_labels.get(col),
                             _code_lookup(scale), q.id, path, scale.all_labels)[keep_rows]
        labels_by_q[q.id] = labels
    missing_q = [q.id for q in inst.questions if q.id not in labels_by_q]
    if missing_q:
        warnings.append(f"Frågor i instrumentet som saknas i filen: {', '.join(missing_q)}.")
    # Build the long table from numpy arrays in one go (no per-question DataFrames).
    qids = list(labels_by_q)
    all_labels: list[str] = []
    for qid in qids:
        for lbl in inst.scale_of(qid).all_labels:
            if lbl not in all_labels:
                all_labels.append(lbl)
    label_code = {lbl: i for i, lbl in enumerate(all_labels)}
    codes, values, dont_know, ineligible = [], [], [], []
    for qid in qids:
        q = inst.question(qid)
        scale = inst.scales[q.scale]
        # canonical label -> position in all_labels (-1 = blank), then per-question lookups
        lab_codes = labels_by_q[qid].map(label_code).fillna(-1).to_numpy(dtype=np.int64)
        step_value = np.full(len(all_labels) + 1, np.nan)
        is_dk = np.zeros(len(all_labels) + 1, dtype=bool)
        for st in scale.steps:
            step_value[label_code[st.label]] = st.value
        for d in scale.dont_know:
            is_dk[label_code[d.label]] = True
        codes.append(lab_codes)
        values.append(step_value[lab_codes])  # index -1 hits the trailing NaN / False
        dont_know.append(is_dk[lab_codes])
        inel = np.zeros(n, dtype=bool)
        if q.conditional_on and q.conditional_on[0] in labels_by_q:
            cond = labels_by_q[q.conditional_on[0]].isin(q.conditional_on[1]).to_numpy(dtype=bool)
            inel = (lab_codes >= 0) & ~cond
        ineligible.append(inel)
    all_codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
    responses = pd.DataFrame({
        "respondent_id": np.tile(respondents["respondent_id"].to_numpy(dtype=object), len(qids)),
        "group": pd.Categorical(np.tile(respondents["group"].to_numpy(dtype=object), len(qids)),
                                categories=inst.group_ids),
        "question_id": pd.Categorical.from_codes(np.repeat(np.arange(len(qids)), n), categories=qids),
        "label": pd.Categorical.from_codes(all_codes, categories=all_labels),
        "value": pd.array(np.concatenate(values) if values else [], dtype="Float64"),
        "dont_know": np.concatenate(dont_know) if dont_know else np.zeros(0, dtype=bool),
        "blank": all_codes < 0,
        "ineligible": np.concatenate(ineligible) if ineligible else np.zeros(0, dtype=bool),
    })
    for qid in labels_by_q:
        q = inst.question(qid)
        if q.conditional_on:
            k = int(ineligible[qids.index(qid)].sum())
            if k:
                warnings.append(f"{k} svar på '{qid}' kommer från svarande som inte svarade "
                                f"{'/'.join(q.conditional_on[1])} på '{q.conditional_on[0]}'; de redovisas som lämnade och flaggas.")

    # Comments (raw text; the nlp package redacts before anything is shown or stored).
    cparts = []
    for b in inst.comment_boxes:
        col = role_to_col.get(f"comment:{b.id}")
        if col is None:
            continue
        raw = frame.loc[keep_rows, col].to_numpy(dtype=object)
        has = ~pd.isna(raw)
        texts = np.array([str(t).strip() for t in raw[has]], dtype=object)
        keep = texts != ""
        c = pd.DataFrame({"respondent_id": respondents["respondent_id"].to_numpy(dtype=object)[has][keep],
                          "group": respondents["group"].to_numpy(dtype=object)[has][keep], "box_id": b.id,
                          "text": texts[keep]})
        cparts.append(c)
    comments = (pd.concat(cparts, ignore_index=True) if cparts
                else pd.DataFrame(columns=["respondent_id", "group", "box_id", "text"]))
    comments.insert(0, "comment_id", [f"{r}:{b}" for r, b in zip(comments["respondent_id"].tolist(),
                                                                  comments["box_id"].tolist())])

    source = SourceInfo(
        path=str(path), format=table.format, sha256=_sha256(path), encoding=table.encoding,
        delimiter=table.delimiter, sheet=table.sheet, codebook=codebook,
        column_map={c: r for c, r in mapping.items()}, dropped=dropped, kept_sensitive=kept_sensitive,
        warnings=warnings, notes=list(table.notes))
    return SurveyData(inst, responses, respondents, comments, source)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
