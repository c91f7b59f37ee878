"""Turn a read export into the tidy model: one row per respondent × question.

Columns are matched to the instrument by normalised question text, variable name or
variable label; answers by normalised label or by code through value labels (SPSS) or a
codebook. Everything that is not in the instrument is dropped here and reported, so that
names, e-mail addresses or party never travel further than this module.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ExportMappingError
from .instrument import Instrument, Scale, load_instrument
from .readers import RawTable, code_text, read_codebook, read_table
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
    code_maps: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> code -> label (how codes were read)
    codes: str | None = None  # "instrument" when the user chose the instrument's own codes


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
        by_key = {unicodedata.normalize("NFC", " ".join(m.split())).casefold(): m for m in found}
        hit = by_key.get(unicodedata.normalize("NFC", " ".join(str(wanted).split())).casefold())
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


CODES_CHOICES = ("instrument",)


def read_export(path: str | Path, *, instrument: Instrument | str | Path | None = None,
                codebook: str | Path | None = None, sheet: str | None = None,
                keep_columns: tuple[str, ...] = (), codes: str | None = None) -> SurveyData:
    """Read any supported export into the tidy model (the one entry point for files).

    Numeric answer codes are read only when their meaning is declared: value labels in the
    file (SPSS), a ``codebook``, or ``codes="instrument"`` (the user says the file uses the
    instrument's own codes). Otherwise the export is refused, naming the columns and codes.
    """
    if codes is not None and codes not in CODES_CHOICES:
        raise ExportMappingError(f"Okänt värde för --codes: '{codes}'.", source=str(path),
                                 hint="Använd --codes instrument, eller ange en kodbok med --codebook.")
    inst = instrument if isinstance(instrument, Instrument) else load_instrument(instrument)
    var_labels, val_labels = read_codebook(codebook) if codebook is not None else ({}, {})
    targets = _targets(inst)

    def coded(column: str) -> bool:  # an answer, group or municipality column: few distinct values
        role = targets.get(normalise(var_labels.get(column, column))) or targets.get(normalise(column), "")
        return role.startswith("question:") or role in ("group", "municipality")

    table = read_table(path, sheet=sheet, categorical=coded)
    table.variable_labels = {**table.variable_labels, **var_labels}
    table.value_labels = {**table.value_labels, **val_labels}
    return tidy(table, inst, codebook=str(codebook) if codebook else None, keep_columns=keep_columns, codes=codes)


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


_CODE_PREFIX = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.):]?|[\w\[\]\-]{1,30}[.):])\s+")
_BRACKETS = re.compile(r"^(.*?)\s*\[([^\[\]]+)\]\s*$")
_TRUNCATED_MIN = 25  # a header cut by the exporting tool names a question when this long and unique


def _variants(text: str) -> list[str]:
    """Ways a tool may dress a question text: "2. Text" (Netigate), "q1. Text" (LimeSurvey),
    "Grid title [Statement]" (Google Forms, LimeSurvey arrays)."""
    out = [text]
    bare = _CODE_PREFIX.sub("", text, count=1)
    if bare != text and bare.strip():
        out.append(bare)
    for t in list(out):
        m = _BRACKETS.match(t)
        if m:
            out += [m.group(2), m.group(1)]
    for t in list(out):
        if " - " in t:  # "Grid title - Statement" (Qualtrics matrix rows, also when trimmed by hand)
            out.append(t.split(" - ")[-1])
    return out


def _texts_of(table: RawTable, col: str) -> list[str]:
    label = table.variable_labels.get(col)
    return [t for t in ([label] if label else []) + [col] + table.match_texts.get(col, []) if t]


def _match(texts: list[str], targets: dict[str, str]) -> tuple[str | None, str | None]:
    """(role, note) for a column named by ``texts``: exact on a variant, else a unique truncated prefix."""
    for text in texts:
        for v in _variants(text):
            role = targets.get(normalise(v))
            if role:
                return role, None
    matchable = {k: r for k, r in targets.items() if r.startswith(("question:", "comment:")) or r == "group"}
    for text in texts:
        for v in _variants(text):
            key = normalise(v)
            if len(key) < _TRUNCATED_MIN:
                continue
            roles = {r for k, r in matchable.items() if k.startswith(key)}
            if len(roles) == 1:
                role = roles.pop()
                return role, f"Rubriken '{text[:60]}…' är avkortad och tolkas som {_role_text(role)}."
    return None, None


def _role_text(role: str) -> str:
    if role.startswith("question:"):
        return f"frågan '{role.split(':', 1)[1]}'"
    if role.startswith("comment:"):
        return f"kommentarsrutan '{role.split(':', 1)[1]}'"
    return "gruppfrågan" if role == "group" else role


_COMMENT_WORDS = ("komment", "synpunkt", "övrig", "ovrig", "fritext", "comment", "remark")


def map_columns(table: RawTable, inst: Instrument, keep_columns: tuple[str, ...] = (),
                notes: list[str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Return (column -> role, dropped column -> reason)."""
    targets = _targets(inst)
    sensitive = {normalise(c) for c in inst.sensitive_columns}
    keep = {normalise(c) for c in keep_columns}
    mapping: dict[str, str] = {}
    dropped: dict[str, str] = {}
    for col in table.frame.columns:
        label = table.variable_labels.get(col)
        role, note = _match(_texts_of(table, col), targets)
        if role:
            mapping[col] = role
            if note and notes is not None:
                notes.append(note)
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
    found_b = {r.split(":", 1)[1] for r in by_role if r.startswith("comment:")}
    missing_boxes = [b for b in inst.comment_boxes if b.id not in found_b]
    problems = []
    for col, reason in list(dropped.items()):
        if "instrumentet" not in reason:
            continue
        texts = _texts_of(table, col)
        text = texts[0]
        guess = closest(text, [q.text for q in missing])
        if guess and len(normalise(text)) > 15:
            qid = next(q.id for q in missing if q.text == guess)
            problems.append(f"kolumnen '{col}' liknar frågan '{qid}' ({guess!r})")
            continue
        box, near_miss = _near_box(texts, missing_boxes)
        if near_miss:
            problems.append(f"kolumnen '{col}' liknar kommentarsrutan '{box.id}' ({box.text!r})")
        elif box is not None and notes is not None:
            notes.append(f"Kolumnen '{col[:60]}' ser ut att vara kommentarer men motsvarar ingen kommentarsruta och tas "
                         f"bort (närmast: '{box.id}', {box.text!r}); lägg till rubriken under den rutans `aliases` i en "
                         "kopia av instrumentet om den ska läsas.")
        elif notes is not None and _looks_like_free_text(table.frame[col]):
            notes.append(f"Kolumnen '{col[:60]}' innehåller fritext men motsvarar ingen kommentarsruta i instrumentet "
                         "och tas bort; lägg till rubriken under en kommentarsrutas `aliases` om den ska läsas.")
    if problems:
        raise ExportMappingError(
            "Kolumner kunde inte kopplas till frågor eller kommentarsrutor: " + "; ".join(problems) + ".",
            source=table.path,
            hint="Rätta rubriken i filen, eller lägg till rubriken under frågans eller kommentarsrutans `aliases` i en "
                 "kopia av instrumentet (`tillit instrument show > mitt.yaml`, sedan --instrument mitt.yaml).")
    return mapping, dropped


def _looks_like_free_text(column: pd.Series) -> bool:
    """Sentences written by respondents: mostly distinct cells of several words (judged on the first rows)."""
    cells = [c for c in (str(v).strip() for v in column.head(300).dropna().tolist()) if c]
    if len(cells) < 2:
        return False
    def prose(c: str) -> bool:  # a sentence, not a timestamp or a code: mostly letters, several words
        letters = sum(ch.isalpha() for ch in c)
        return len(c) >= 20 and len(c.split()) >= 4 and letters >= 0.6 * len(c.replace(" ", ""))
    wordy = sum(prose(c) for c in cells)
    return wordy >= 0.5 * len(cells) and len(set(cells)) >= 0.7 * len(cells)


def _near_box(texts: list[str], boxes) -> tuple[object | None, bool]:
    """(the comment box a header almost names, whether it is a near miss) or (None, False).

    A near miss ("Kommentar om roller, ansvar och tillit") is close in text to a box and is
    refused; a header that only speaks of comments ("Kommentar", "Synpunkter") is a weaker
    hint: the closest box is named in a warning.
    """
    if not boxes:
        return None, False
    for text in texts:
        for v in _variants(text):
            key = normalise(v)
            if len(key) < 4:
                continue
            guess = closest(v, [b.text for b in boxes] + [a for b in boxes for a in b.aliases])
            if guess and len(key) > 10:
                return next(b for b in boxes if guess == b.text or guess in b.aliases), True
            if any(w in key for w in _COMMENT_WORDS):
                words = {w[:5] for w in key.split() if len(w) > 3}
                # ties go to the last box (the general "Övriga kommentarer" in the default instrument)
                return max(reversed(boxes), key=lambda b: len(words & {w[:5] for w in normalise(b.text).split()
                                                                        if len(w) > 3})), False
    return None, False


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


_normalise_code = code_text


# Answers that say no answer was given: blanks (counted apart from "Vet ej", which is an answer).
_NO_ANSWER = {"ej svar", "inget svar", "svar saknas", "uteblivet svar", "vill ej svara", "vill inte svara",
              "no answer", "not answered", "missing"}


@dataclass
class _Reading:
    """What mapping the cells of one export learns along the way."""

    table: RawTable
    instrument_codes: bool
    undeclared: list[tuple[str, list[str]]] = field(default_factory=list)  # column, numeric codes without meaning
    code_maps: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _map_codes(col: str, values: pd.Series, lookup: dict[str, str], codes: dict[str, str], targets: list[str],
               what: str, known: list[str], r: _Reading) -> np.ndarray:
    """Map raw cells to positions in ``targets``, the canonical values (-1 for a blank cell).

    Each distinct cell is looked up once (pandas.factorize), so a national file costs one
    pass per column whatever its length. A numeric code is read only through the column's
    value labels (SPSS, codebook) or, when the user chose them, the instrument's own codes;
    a column of undeclared codes is recorded in ``r.undeclared`` and refused by the caller.
    """
    table = r.table
    value_labels = table.value_labels.get(col)
    missing = table.missing_codes.get(col, set())
    if isinstance(values.dtype, pd.CategoricalDtype):  # parsed as categorical by the reader: codes are ready
        cell_codes, uniques = values.cat.codes.to_numpy(), list(values.cat.categories)
    else:
        cell_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    position = {label: i for i, label in enumerate(targets)}
    lut = np.full(len(uniques) + 1, -1, dtype=np.int16)  # the last slot answers code -1 (blank)
    unknown: list[tuple[int, str]] = []
    as_missing: list[tuple[int, str]] = []
    numeric = {i for i, u in enumerate(uniques) if _normalise_code(u).lstrip("-").isdigit()}
    undeclared: list[str] = []
    used: dict[str, str] = {}
    for i, u in enumerate(uniques):
        text = str(u)
        if not normalise(text):  # a cell of only spaces or punctuation is a blank
            continue
        code = _normalise_code(text)
        label = value_labels.get(code) if value_labels is not None else None
        if label is not None:
            hit = lookup.get(normalise(label))
            if hit is None and code in missing:  # SPSS user-missing without a known answer: a blank
                as_missing.append((i, f"koden {code} '{label}' är ett användardefinierat saknat värde"))
                continue
            if hit is None and normalise(label) in _NO_ANSWER:
                as_missing.append((i, f"koden {code} '{label}' betyder uteblivet svar"))
                continue
            if hit is None:
                unknown.append((i, f"{text} ('{label}')"))
                continue
            used[code] = hit
            lut[i] = position[hit]
            continue
        if code in missing:
            as_missing.append((i, f"koden {code} är ett användardefinierat saknat värde"))
            continue
        hit = lookup.get(normalise(text))
        if hit is None and normalise(text) in _NO_ANSWER:
            as_missing.append((i, f"'{text}' betyder uteblivet svar"))
            continue
        if hit is None and value_labels is None and i in numeric:  # a number that is not an answer text: a code
            if r.instrument_codes:
                hit = codes.get(code)
                if hit is not None:
                    used[code] = hit
            else:
                undeclared.append(code)
                continue
        if hit is None:
            unknown.append((i, text))
        else:
            lut[i] = position[hit]
    if undeclared:
        r.undeclared.append((col, sorted(set(undeclared), key=lambda c: (len(c), c))))
        return lut[cell_codes]
    if used:
        r.code_maps[col] = dict(sorted(used.items(), key=lambda kv: (len(kv[0]), kv[0])))
    if as_missing:
        n = np.bincount(cell_codes[cell_codes >= 0], minlength=len(uniques))
        for i, shown in as_missing:
            r.warnings.append(f"Kolumnen '{col[:60]}': {shown} och räknas som blank ({int(n[i])} svar).")
    if unknown:
        rows = []
        for i, u in unknown[:5]:
            row = table.rows_of([int(np.flatnonzero(cell_codes == i)[0])])[0]
            guess = closest(u, known)
            rows.append(f"'{u}' (rad {row}" + (f", närmast känd: '{guess}')" if guess else ")"))
        raise ExportMappingError(
            f"Okända svar i kolumnen '{col[:80]}' ({what}): " + "; ".join(rows)
            + (f" och {len(unknown) - 5} till" if len(unknown) > 5 else "") + ".", source=table.path,
            hint=f"Kända svar: {', '.join(known)}. Rätta svaren i filen, ange kodboken med --codebook, "
                 "eller lägg till stavningen under svarets `aliases` i en kopia av instrumentet.")
    return lut[cell_codes]


def _refuse_undeclared(r: _Reading, inst: Instrument) -> None:
    cols = "; ".join(f"'{c[:50]}' (koder {', '.join(codes[:8])}{' …' if len(codes) > 8 else ''})"
                     for c, codes in r.undeclared[:6])
    more = f" och {len(r.undeclared) - 6} kolumner till" if len(r.undeclared) > 6 else ""
    scale = inst.scales[inst.questions[0].scale]
    own = ", ".join(f"{x.code} = {x.label}" for x in (*scale.steps, *scale.dont_know) if x.code is not None)
    groups = ", ".join(f"{g.code} = {g.answers[0]}" for g in inst.groups if g.code is not None)
    raise ExportMappingError(
        f"Kolumnerna innehåller sifferkoder vars betydelse filen inte anger: {cols}{more}. "
        "Tillit gissar inte vad koderna betyder – samma siffra kan betyda 'Nej' i en fil och 'Till stor del' i en annan.",
        source=r.table.path,
        hint="Två sätt: (1) ange kodboken som hör till exporten med --codebook kodbok.csv (variabel;etikett;kod;varde; "
             "för Qualtrics går enkätens .qsf-fil också), eller exportera med svarstexter i stället för siffror; "
             "(2) om filen följer instrumentets egna koder "
             f"({own}; grupp {groups}), ange --codes instrument.")


_SUMMARY = re.compile(r"\s*(?:total|totalt|totals|totalsumma|summa|sum|summering|delsumma|subtotal|medel|medelvärde|"
                      r"medelvarde|genomsnitt|average|mean|antal|count|samtliga|alla|grand)(?![\w])", re.IGNORECASE)


def _summary_rows(frame: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """Rows whose id, first or group cell says Total/Summa/Medel…: a summary line, not a respondent."""
    bad = np.zeros(len(frame), dtype=bool)
    for col in dict.fromkeys(cols):
        values = frame[col]
        if isinstance(values.dtype, pd.CategoricalDtype):  # few distinct cells: look at each once
            hits = [i for i, u in enumerate(values.cat.categories.tolist()) if isinstance(u, str) and _SUMMARY.match(u)]
            if hits:
                bad |= np.isin(values.cat.codes.to_numpy(), hits)
            continue
        # ids are mostly numbers: only a cell that starts with a letter (or a space) can be a summary word
        rows = [i for i, v in enumerate(values.tolist())
                if v.__class__ is str and (v[:1].isalpha() or v[:1] == " ") and _SUMMARY.match(v)]
        bad[rows] = True
    return bad


def _drop_rows(table: RawTable, drop: np.ndarray) -> None:
    keep = ~drop
    table.frame = table.frame[keep].reset_index(drop=True)
    table.row_numbers = table.row_numbers[keep] if table.row_numbers is not None else None
    for c in table.frame.columns:
        if isinstance(table.frame[c].dtype, pd.CategoricalDtype):
            table.frame[c] = table.frame[c].cat.remove_unused_categories()


def _rows_text(rows: list[int], limit: int = 10) -> str:
    return ", ".join(str(r) for r in rows[:limit]) + (f" och {len(rows) - limit} till" if len(rows) > limit else "")


def _cell_keys(frame: pd.DataFrame, cols: list[str], positions: np.ndarray) -> list[tuple]:
    """The answer cells of some rows, trimmed, for comparing rows (blank and spaces are equal)."""
    sub = frame.iloc[positions][cols].astype(object)
    return [tuple("" if pd.isna(v) else normalise(v) for v in row) for row in sub.itertuples(index=False)]


# --------------------------------------------------------------------------- tidy


def tidy(table: RawTable, inst: Instrument, *, codebook: str | None = None,
         keep_columns: tuple[str, ...] = (), codes: str | None = None) -> SurveyData:
    if table.row_numbers is None:
        table.row_numbers = np.arange(len(table.frame), dtype=np.int64) + 2
    notes = list(table.notes)
    warnings: list[str] = list(table.warnings)
    mapping, dropped = map_columns(table, inst, keep_columns, warnings)
    path = table.path
    role_to_col = {role: col for col, role in mapping.items()}
    gcol = role_to_col["group"]
    idcol = role_to_col.get("respondent_id")
    answer_cols = [c for c, r in mapping.items() if r.startswith(("question:", "comment:")) or r in ("group", "municipality")]

    # Summary lines (Total, Summa, Medelvärde …) are not respondents.
    first = table.frame.columns[0]
    probe = [c for c in (idcol, gcol, role_to_col.get("municipality"), first if first not in answer_cols else None)
             if c is not None]
    summary = _summary_rows(table.frame, probe)
    if summary.any():
        rows = table.rows_of(np.flatnonzero(summary))
        warnings.append(f"{len(rows)} summerings- eller totalrad(er) räknas inte som svarande (rad {_rows_text(rows)}).")
        _drop_rows(table, summary)
    frame = table.frame
    r = _Reading(table, instrument_codes=codes == "instrument")

    # Groups.
    g_lookup: dict[str, str] = {}
    for g in inst.groups:
        for text in (g.id, g.label_sv, g.label_en, g.singular_sv, g.singular_en, *g.answers):
            g_lookup.setdefault(normalise(text), g.id)
    g_codes = {str(g.code): g.id for g in inst.groups if g.code is not None}
    group_codes = _map_codes(gcol, frame[gcol], g_lookup, g_codes, inst.group_ids, "grupp",
                             [g.answers[0] for g in inst.groups], r)
    if gcol in r.code_maps:  # shown as the group's answer text, not its id
        r.code_maps[gcol] = {c: inst.group(gid).answers[0] for c, gid in r.code_maps[gcol].items()}

    # Answers, question by question: one label code per respondent (the wide form).
    qids = [q.id for q in inst.questions if f"question:{q.id}" in role_to_col]
    all_labels: list[str] = []
    for qid in qids:
        for lbl in inst.scale_of(qid).all_labels:
            if lbl not in all_labels:
                all_labels.append(lbl)
    own_codes: dict[str, np.ndarray] = {}
    for qid in qids:
        col = role_to_col[f"question:{qid}"]
        scale = inst.scale_of(qid)
        own_codes[qid] = _map_codes(col, frame[col], _label_lookup(scale), _code_lookup(scale), scale.all_labels, qid,
                                    scale.all_labels, r)
    if r.undeclared:
        _refuse_undeclared(r, inst)
    if r.instrument_codes and r.code_maps:
        warnings.append(f"Sifferkoder tolkas enligt instrumentets egna koder (--codes instrument) i {len(r.code_maps)} "
                        "kolumner; `tillit inspect` visar kod → svar för varje kolumn.")
    warnings += r.warnings

    no_group = group_codes < 0
    if no_group.all():
        raise ExportMappingError(f"Grupp-kolumnen '{gcol}' är tom på alla rader.", source=path,
                                 hint="Utan grupp kan svaren inte redovisas; kontrollera exporten.")
    keep_rows = ~no_group
    if no_group.any():
        blank_rows = np.flatnonzero(no_group)
        empty = frame.iloc[blank_rows].map(lambda v: pd.isna(v) or not str(v).strip()).all(axis=1).to_numpy()
        if empty.any():
            notes.append(f"{int(empty.sum())} tomma rader hoppades över.")
        lacking = blank_rows[~empty]
        if len(lacking):
            warnings.append(f"{len(lacking)} svarande saknar grupp och räknas inte (rad "
                            f"{_rows_text(table.rows_of(lacking))}).")

    # Respondent ids: the export's own, else the row number. One respondent twice: counted once
    # when the answers are identical, refused when they differ.
    municipality_col = role_to_col.get("municipality")
    rid = None
    if idcol is not None:
        all_ids = _stripped(frame[idcol].to_numpy(dtype=object))
        missing_ids = (pd.isna(all_ids) | (all_ids == "")) & keep_rows
        usable = keep_rows & ~missing_ids
        key = all_ids
        dup_any = pd.Series(all_ids).duplicated(keep=False).to_numpy() & usable
        if dup_any.any():  # the rare path: count only rows that are respondents
            dup_any = pd.Series(all_ids).where(usable).duplicated(keep=False).to_numpy() & usable
        if dup_any.any() and municipality_col is not None:  # ids may be unique per municipality only
            muni = frame[municipality_col].astype(object).map(
                lambda v: "" if pd.isna(v) else unicodedata.normalize("NFC", " ".join(str(v).split())))
            key = (muni + "\x00" + pd.Series(all_ids).astype(str)).to_numpy(dtype=object)
            dup_any = pd.Series(key).where(usable).duplicated(keep=False).to_numpy() & usable
        if dup_any.any():
            positions = np.flatnonzero(dup_any)
            rows_cells = _cell_keys(frame, [c for c in answer_cols], positions)
            by_id: dict[object, list[tuple[int, tuple]]] = {}
            for pos, cells in zip(positions, rows_cells):
                by_id.setdefault(key[pos], []).append((int(pos), cells))
            differing = {k: v for k, v in by_id.items() if len({c for _, c in v}) > 1}
            if differing:
                k, v = next(iter(differing.items()))
                rows = table.rows_of([p for p, _ in v])
                cols = [c for j, c in enumerate(answer_cols) if len({cells[j] for _, cells in v}) > 1]
                raise ExportMappingError(
                    f"Svars-id '{all_ids[v[0][0]]}' förekommer på rad {_rows_text(rows)} med olika svar "
                    f"(t.ex. i kolumnen '{cols[0][:60]}')" + (f"; {len(differing) - 1} id till har samma problem"
                                                              if len(differing) > 1 else "") + ".",
                    source=path, hint="Samma svarande kan inte räknas två gånger med olika svar. Ta bort den felaktiga "
                                      "raden, eller ge raderna olika svars-id om de är olika svarande.")
            later = np.array([p for v in by_id.values() for p, _ in v[1:]], dtype=np.int64)
            keep_rows[later] = False
            shown = [str(all_ids[v[0][0]]) for v in by_id.values()][:5]
            warnings.append(f"{len(later)} rad(er) upprepar en svarande med samma svars-id och identiska svar "
                            f"({', '.join(shown)}; rad {_rows_text(table.rows_of(later))}) och räknas en gång.")
        if missing_ids.any():
            warnings.append(f"Svars-id saknas på {int(missing_ids.sum())} rad(er) (rad "
                            f"{_rows_text(table.rows_of(np.flatnonzero(missing_ids)))}); radnummer används som id.")
        rid = all_ids[keep_rows].copy()
        rid_missing = missing_ids[keep_rows]
        if rid_missing.any():
            rid[rid_missing] = ["rad " + str(n) for n in table.row_numbers[keep_rows][rid_missing]]
        if len(set(rid.tolist())) < len(rid):  # national files: ids unique per municipality only
            rid = None
    else:
        cells = frame[answer_cols].astype(object)
        same = cells.duplicated(keep=False).to_numpy() & keep_rows
        if same.any():
            rows = table.rows_of(np.flatnonzero(same))
            warnings.append(f"{len(rows)} rader har exakt samma svar som en annan rad (rad {_rows_text(rows)}). Filen "
                            "saknar svars-id, så de räknas som olika svarande; kontrollera att exporten inte "
                            "innehåller samma svar två gånger.")
    if rid is None:
        rid = table.row_numbers[keep_rows].astype(str).astype(object)
    respondents = pd.DataFrame({"respondent_id": pd.Series(rid, dtype=object),
                                "group": pd.Categorical.from_codes(group_codes[keep_rows], categories=inst.group_ids)})
    if municipality_col is not None:
        respondents["municipality"] = _municipalities(frame[municipality_col], keep_rows)
    kept_sensitive = []
    for col, role in mapping.items():
        if role.startswith("keep:"):
            respondents[col] = frame.loc[keep_rows, col].to_numpy()
            kept_sensitive.append(col)

    missing_q = [q.id for q in inst.questions if q.id not in qids]
    if missing_q:
        warnings.append(f"Frågor i instrumentet som saknas i filen: {', '.join(missing_q)}.")
    codes_by_q: dict[str, np.ndarray] = {}
    for qid in qids:
        scale = inst.scale_of(qid)
        to_all = np.array([all_labels.index(lbl) for lbl in scale.all_labels] + [-1], dtype=np.int16)
        codes_by_q[qid] = to_all[own_codes[qid][keep_rows]]
    ineligible: dict[str, np.ndarray] = {}
    for qid in qids:
        q = inst.question(qid)
        if q.conditional_on and q.conditional_on[0] in codes_by_q:
            allowed = [all_labels.index(lbl) for lbl in q.conditional_on[1] if lbl in all_labels]
            inel = (codes_by_q[qid] >= 0) & ~np.isin(codes_by_q[q.conditional_on[0]], allowed)
            if inel.any():
                ineligible[qid] = inel
    answers = Answers(all_labels, codes_by_q, ineligible)
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
        warnings=warnings, notes=notes, code_maps=r.code_maps, codes=codes)
    return SurveyData(inst, respondents, comments, source, answers)


def _ineligible_warnings(inst: Instrument, answers: Answers) -> list[str]:
    out = []
    for qid, flags in answers.ineligible.items():
        cond_q, cond_answers = inst.question(qid).conditional_on
        out.append(f"{int(flags.sum())} svar på ”{inst.question(qid).short('sv')}” ({qid}) kommer från "
                   f"svarande som inte svarade {'/'.join(cond_answers)} på ”{inst.question(cond_q).short('sv')}” "
                   f"({cond_q}); de redovisas som lämnade och flaggas.")
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
    names = [unicodedata.normalize("NFC", " ".join(str(u).split())) for u in uniques]
    categories = sorted({nm for nm in names if nm})
    where = {nm: i for i, nm in enumerate(categories)}
    lut = np.array([where.get(nm, -1) for nm in names] + [-1], dtype=np.int32)
    return pd.Categorical.from_codes(lut[codes[keep_rows]], categories=categories)
