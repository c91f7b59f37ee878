"""Turn a read export into the tidy model: one row per respondent × question.

Columns are matched to the instrument by normalised question text, variable name or
variable label; answers by normalised label or by code through value labels (SPSS) or a
codebook. Everything that is not in the instrument is dropped here and reported, so that
names, e-mail addresses or party never travel further than this module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property
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
class Answers:
    """The answers in wide form, aligned row by row with ``SurveyData.respondents``.

    labels: every canonical answer label of the instrument's scales, in scale order;
    codes: question id -> one int16 code per respondent, an index into ``labels`` or -1 for
    a blank cell; ineligible: question id -> bool per respondent, only for conditional
    questions that someone answered without qualifying. Counting works from this form
    directly (one bincount per question), without the long table.
    """

    labels: list[str]
    codes: dict[str, np.ndarray]
    ineligible: dict[str, np.ndarray] = field(default_factory=dict)

    def ineligible_of(self, qid: str) -> np.ndarray:
        hit = self.ineligible.get(qid)
        return hit if hit is not None else np.zeros(len(self.codes[qid]), dtype=bool)


@dataclass
class SurveyData:
    """The tidy model of one export.

    respondents: respondent_id, group (categorical over the instrument's group ids)
        [, municipality] [, kept columns].
    answers: the answers in wide form (see :class:`Answers`).
    responses: the same answers as the long table, one row per respondent × question:
        respondent_id, group, question_id, label (canonical, NA when blank), value (float,
        NA unless a scale step), dont_know (bool), blank (bool), ineligible (bool: answered
        a conditional question without qualifying). Built on first use.
    comments: comment_id, respondent_id, group, box_id, text (raw: redact before showing).
    """

    instrument: Instrument
    respondents: pd.DataFrame
    comments: pd.DataFrame
    source: SourceInfo
    answers: Answers

    def respondents_per_group(self) -> dict[str, int]:
        counts = self.respondents["group"].value_counts()
        return {g: int(counts.get(g, 0)) for g in self.instrument.group_ids}

    def municipalities(self) -> list[str]:
        """The municipalities named in the file's municipality column, sorted (none without one)."""
        if "municipality" not in self.respondents.columns:
            return []
        return sorted({str(m) for m in self.respondents["municipality"].dropna().unique() if str(m).strip()})

    def municipality_name(self, wanted: str) -> str:
        """The file's spelling of `wanted` (case and spacing forgiven); a clear error if absent."""
        found = self.municipalities()
        source = Path(self.source.path).name
        if not found:
            raise ExportMappingError("Filen har ingen kommunkolumn, så en kommun kan inte väljas ur den.", source=source,
                                     hint="Utelämna --municipality för `tillit results`: hela filen gäller en kommun.")
        by_key = {" ".join(m.split()).casefold(): m for m in found}
        hit = by_key.get(" ".join(str(wanted).split()).casefold())
        if hit is None:
            near = closest(str(wanted), found)
            raise ExportMappingError(f"Kommunen '{wanted}' finns inte i filen.", source=source,
                                     hint=(f"Menar du '{near}'? " if near else "")
                                     + f"Filen innehåller {len(found)} kommuner; `tillit inspect` listar dem.")
        return hit

    def only(self, municipality: str) -> SurveyData:
        """The respondents of one municipality of a file with a municipality column.

        Its `source.sha256` names this part of the file (the file's hash and the
        municipality), so that each municipality of one file is its own import.
        """
        name = self.municipality_name(municipality)
        keep = (self.respondents["municipality"] == name).to_numpy(dtype=bool)
        respondents = self.respondents[keep].reset_index(drop=True)
        ids = set(respondents["respondent_id"].tolist())
        comments = self.comments[self.comments["respondent_id"].isin(ids)].reset_index(drop=True)
        answers = Answers(list(self.answers.labels), {q: c[keep] for q, c in self.answers.codes.items()},
                          {q: m[keep] for q, m in self.answers.ineligible.items() if m[keep].any()})
        part = hashlib.sha256(f"{self.source.sha256}:{name}".encode()).hexdigest()
        whole_file = set(_ineligible_warnings(self.instrument, self.answers))  # recounted for this part
        warnings = [w for w in self.source.warnings if w not in whole_file] + _ineligible_warnings(self.instrument, answers)
        source = replace(self.source, sha256=part, warnings=warnings,
                         notes=[*self.source.notes, f"Bara {name} ({len(respondents)} av {len(self.respondents)} svarande)"])
        return SurveyData(self.instrument, respondents, comments, source, answers)

    @cached_property
    def responses(self) -> pd.DataFrame:
        inst, ans = self.instrument, self.answers
        qids = list(ans.codes)
        n = len(self.respondents)
        step_value = np.full(len(ans.labels) + 1, np.nan)  # the last slot answers code -1 (blank)
        is_dk = np.zeros(len(ans.labels) + 1, dtype=bool)
        for qid in qids:
            scale = inst.scale_of(qid)
            for st in scale.steps:
                step_value[ans.labels.index(st.label)] = st.value
            for d in scale.dont_know:
                is_dk[ans.labels.index(d.label)] = True
        codes = np.concatenate([ans.codes[q] for q in qids]).astype(np.int64) if qids else np.zeros(0, np.int64)
        return pd.DataFrame({
            "respondent_id": np.tile(self.respondents["respondent_id"].to_numpy(dtype=object), len(qids)),
            "group": pd.Categorical.from_codes(np.tile(self.respondents["group"].cat.codes.to_numpy(), len(qids)),
                                               categories=inst.group_ids),
            "question_id": pd.Categorical.from_codes(np.repeat(np.arange(len(qids)), n), categories=qids),
            "label": pd.Categorical.from_codes(codes, categories=ans.labels),
            "value": pd.array(step_value[codes], dtype="Float64"),
            "dont_know": is_dk[codes],
            "blank": codes < 0,
            "ineligible": (np.concatenate([ans.ineligible_of(q) for q in qids]) if qids else np.zeros(0, dtype=bool)),
        })


def read_export(path: str | Path, *, instrument: Instrument | str | Path | None = None,
                codebook: str | Path | None = None, sheet: str | None = None,
                keep_columns: tuple[str, ...] = ()) -> SurveyData:
    """Read any supported export into the tidy model (the one entry point for files)."""
    inst = instrument if isinstance(instrument, Instrument) else load_instrument(instrument)
    var_labels, val_labels = read_codebook(codebook) if codebook is not None else ({}, {})
    targets = _targets(inst)

    def coded(column: str) -> bool:  # an answer, group or municipality column: few distinct values
        role = targets.get(normalise(var_labels.get(column, column))) or targets.get(normalise(column), "")
        return role.startswith("question:") or role in ("group", "municipality")

    table = read_table(path, sheet=sheet, categorical=coded)
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


def _map_codes(col: str, values: pd.Series, lookup: dict[str, str], value_labels: dict[str, str] | None,
               codes: dict[str, str], targets: list[str], what: str, path: Path, known: list[str]) -> np.ndarray:
    """Map raw cells to positions in ``targets``, the canonical values (-1 for a blank cell).

    Each distinct cell is looked up once (pandas.factorize), so a national file costs one
    pass per column whatever its length.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # parsed as categorical by the reader: codes are ready
        cell_codes, uniques = values.cat.codes.to_numpy(), list(values.cat.categories)
    else:
        cell_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    position = {label: i for i, label in enumerate(targets)}
    lut = np.full(len(uniques) + 1, -1, dtype=np.int16)  # the last slot answers code -1 (blank)
    unknown: list[str] = []
    all_numeric = len(uniques) > 0 and all(_normalise_code(u).lstrip("-").isdigit() for u in uniques)
    for i, u in enumerate(uniques):
        text = str(u)
        if value_labels is not None:
            text = value_labels.get(_normalise_code(text), text)
        hit = lookup.get(normalise(text))
        if hit is None and value_labels is None and all_numeric:
            hit = codes.get(_normalise_code(text))
        if hit is None:
            unknown.append(str(u))
        else:
            lut[i] = position[hit]
    if unknown:
        rows = []
        for u in unknown[:5]:
            row = next((i + 2 for i, v in enumerate(values.tolist()) if str(v) == u), "?")  # after the header
            guess = closest(u, known)
            rows.append(f"'{u}' (rad {row}" + (f", närmast känd: '{guess}')" if guess else ")"))
        raise ExportMappingError(
            f"Okända svar i kolumnen '{col[:80]}' ({what}): " + "; ".join(rows)
            + (f" och {len(unknown) - 5} till" if len(unknown) > 5 else "") + ".", source=path,
            hint=f"Kända svar: {', '.join(known)}. Rätta svaren i filen, ange kodboken med --codebook, "
                 "eller lägg till stavningen under svarets `aliases` i en kopia av instrumentet.")
    return lut[cell_codes]


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
    group_codes = _map_codes(gcol, frame[gcol], g_lookup, table.value_labels.get(gcol), g_codes, inst.group_ids,
                             "grupp", path, [g.answers[0] for g in inst.groups])
    no_group = group_codes < 0
    if no_group.all():
        raise ExportMappingError(f"Grupp-kolumnen '{gcol}' är tom på alla rader.", source=path,
                                 hint="Utan grupp kan svaren inte redovisas; kontrollera exporten.")
    if no_group.any():
        warnings.append(f"{int(no_group.sum())} svarande saknar grupp och räknas inte (rader "
                        f"{', '.join(str(i + 2) for i in np.flatnonzero(no_group)[:10])}).")
    keep_rows = ~no_group

    # Respondent ids: the export's own, else the row number.
    rid = None
    if "respondent_id" in role_to_col:
        rid = _stripped(frame[role_to_col["respondent_id"]].to_numpy(dtype=object)[keep_rows])
        missing_ids = pd.isna(rid) | (rid == "")
        if missing_ids.any() or len(set(rid.tolist())) < len(rid):
            dup = pd.Series(rid).duplicated(keep=False).to_numpy() & ~missing_ids
            shown = pd.unique(rid[dup])[:5]
            warnings.append("Svars-id saknas eller förekommer flera gånger"
                            + (f" ({', '.join(map(str, shown))})" if len(shown) else "") + "; radnummer används i stället.")
            rid = None
    if rid is None:
        rid = (np.flatnonzero(keep_rows) + 1).astype(str).astype(object)
    respondents = pd.DataFrame({"respondent_id": pd.Series(rid, dtype=object),
                                "group": pd.Categorical.from_codes(group_codes[keep_rows], categories=inst.group_ids)})
    if "municipality" in role_to_col:
        respondents["municipality"] = _municipalities(frame[role_to_col["municipality"]], keep_rows)
    kept_sensitive = []
    for col, role in mapping.items():
        if role.startswith("keep:"):
            respondents[col] = frame.loc[keep_rows, col].to_numpy()
            kept_sensitive.append(col)

    # Answers, question by question: one label code per respondent (the wide form).
    qids = [q.id for q in inst.questions if f"question:{q.id}" in role_to_col]
    missing_q = [q.id for q in inst.questions if q.id not in qids]
    if missing_q:
        warnings.append(f"Frågor i instrumentet som saknas i filen: {', '.join(missing_q)}.")
    all_labels: list[str] = []
    for qid in qids:
        for lbl in inst.scale_of(qid).all_labels:
            if lbl not in all_labels:
                all_labels.append(lbl)
    codes: dict[str, np.ndarray] = {}
    for qid in qids:
        col = role_to_col[f"question:{qid}"]
        scale = inst.scale_of(qid)
        own = _map_codes(col, frame[col], _label_lookup(scale), table.value_labels.get(col), _code_lookup(scale),
                         scale.all_labels, qid, path, scale.all_labels)[keep_rows]
        to_all = np.array([all_labels.index(lbl) for lbl in scale.all_labels] + [-1], dtype=np.int16)
        codes[qid] = to_all[own]
    ineligible: dict[str, np.ndarray] = {}
    for qid in qids:
        q = inst.question(qid)
        if q.conditional_on and q.conditional_on[0] in codes:
            allowed = [all_labels.index(lbl) for lbl in q.conditional_on[1] if lbl in all_labels]
            inel = (codes[qid] >= 0) & ~np.isin(codes[q.conditional_on[0]], allowed)
            if inel.any():
                ineligible[qid] = inel
    answers = Answers(all_labels, codes, ineligible)
    warnings += _ineligible_warnings(inst, answers)

    # Comments (raw text; the nlp package redacts before anything is shown or stored).
    rows, boxes, texts, ids = [], [], [], []
    rid_all = respondents["respondent_id"].to_numpy(dtype=object)
    box_ids = [b.id for b in inst.comment_boxes]
    for bi, b in enumerate(inst.comment_boxes):
        col = role_to_col.get(f"comment:{b.id}")
        if col is None:
            continue
        raw = frame[col].to_numpy(dtype=object)[keep_rows]
        has = np.flatnonzero(~pd.isna(raw))
        text = _stripped(raw[has])
        keep = text != ""
        rows.append(has[keep])
        boxes.append(np.full(int(keep.sum()), bi, dtype=np.int16))
        texts.append(text[keep])
        ids.append(rid_all[has[keep]] + f":{b.id}")
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    comments = pd.DataFrame({
        "comment_id": pd.Series(np.concatenate(ids) if ids else [], dtype=object),
        "respondent_id": pd.Series(rid_all[row], dtype=object),
        "group": pd.Categorical.from_codes(respondents["group"].cat.codes.to_numpy()[row], categories=inst.group_ids),
        "box_id": pd.Categorical.from_codes(np.concatenate(boxes) if boxes else np.zeros(0, np.int16), categories=box_ids),
        "text": pd.Series(np.concatenate(texts) if texts else [], dtype=object),
    })

    source = SourceInfo(
        path=str(path), format=table.format, sha256=table.sha256, encoding=table.encoding,
        delimiter=table.delimiter, sheet=table.sheet, codebook=codebook,
        column_map={c: r for c, r in mapping.items()}, dropped=dropped, kept_sensitive=kept_sensitive,
        warnings=warnings, notes=list(table.notes))
    return SurveyData(inst, respondents, comments, source, answers)


def _ineligible_warnings(inst: Instrument, answers: Answers) -> list[str]:
    out = []
    for qid, flags in answers.ineligible.items():
        cond_q, cond_answers = inst.question(qid).conditional_on
        out.append(f"{int(flags.sum())} svar på '{qid}' kommer från svarande som inte svarade "
                   f"{'/'.join(cond_answers)} på '{cond_q}'; de redovisas som lämnade och flaggas.")
    return out


def _stripped(cells: np.ndarray) -> np.ndarray:
    """Cells as trimmed text (missing cells stay None), as an object array."""
    try:  # every reader gives text cells: the fast path
        return np.fromiter(map(str.strip, cells), dtype=object, count=len(cells))
    except TypeError:
        return np.array([None if pd.isna(c) else str(c).strip() for c in cells], dtype=object)


def _municipalities(column: pd.Series, keep_rows: np.ndarray) -> pd.Categorical:
    """The municipality of each kept row, trimmed, as a categorical (blank cells are missing)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = column.cat.codes.to_numpy(), list(column.cat.categories)
    else:
        codes, uniques = pd.factorize(column)
    names = [str(u).strip() for u in uniques]
    categories = sorted({nm for nm in names if nm})
    where = {nm: i for i, nm in enumerate(categories)}
    lut = np.array([where.get(nm, -1) for nm in names] + [-1], dtype=np.int32)
    return pd.Categorical.from_codes(lut[codes[keep_rows]], categories=categories)
