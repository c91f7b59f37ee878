"""The survey instrument as data: questions, scales, groups and comment boxes.

An instrument is loaded from a YAML file (the default one ships inside the package) and
validated on load. Nothing about the questionnaire is hard-coded elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import InstrumentError
from .textnorm import normalise
from .yamlio import load_yaml

DEFAULT_INSTRUMENT = "samspel.yaml"


@dataclass(frozen=True)
class Step:
    label: str
    en: str
    code: int | None
    value: float
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DontKnow:
    label: str
    en: str
    code: int | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    id: str
    name_sv: str
    name_en: str
    steps: tuple[Step, ...]
    dont_know: tuple[DontKnow, ...]
    positive: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        """Scale labels in display order."""
        return [s.label for s in self.steps]

    @property
    def all_labels(self) -> list[str]:
        return self.labels + [d.label for d in self.dont_know]

    @property
    def min_value(self) -> float:
        return min(s.value for s in self.steps)

    @property
    def max_value(self) -> float:
        return max(s.value for s in self.steps)

    def value_of(self, label: str) -> float:
        return next(s.value for s in self.steps if s.label == label)

    def english(self, label: str) -> str:
        for s in (*self.steps, *self.dont_know):
            if s.label == label:
                return s.en
        return label

    @cached_property
    def signature(self) -> tuple:
        """Two scales with the same signature can be compared answer by answer."""
        return tuple((s.label, s.value) for s in self.steps)


@dataclass(frozen=True)
class Group:
    id: str
    label_sv: str
    label_en: str
    singular_sv: str
    singular_en: str
    answers: tuple[str, ...]
    code: int | None

    def label(self, lang: str = "sv") -> str:
        return self.label_en if lang == "en" else self.label_sv


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    en: str
    short_sv: str
    short_en: str
    dimension: str
    scale: str
    aliases: tuple[str, ...] = ()
    conditional_on: tuple[str, tuple[str, ...]] | None = None

    def short(self, lang: str = "sv") -> str:
        return self.short_en if lang == "en" else self.short_sv

    def full_text(self, lang: str = "sv") -> str:
        return self.en if lang == "en" else self.text


@dataclass(frozen=True)
class Dimension:
    id: str
    label_sv: str
    label_en: str

    def label(self, lang: str = "sv") -> str:
        return self.label_en if lang == "en" else self.label_sv


@dataclass(frozen=True)
class CommentBox:
    id: str
    text: str
    en: str
    dimensions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "sv") -> str:
        return self.en if lang == "en" else self.text


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    name_sv: str
    name_en: str
    scales: dict[str, Scale]
    group_question: str
    group_aliases: tuple[str, ...]
    groups: tuple[Group, ...]
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    comment_boxes: tuple[CommentBox, ...]
    respondent_id_columns: tuple[str, ...] = ()
    municipality_columns: tuple[str, ...] = ()
    sensitive_columns: tuple[str, ...] = ()
    source: str = field(default="", compare=False)
    raw_text: str = field(default="", compare=False, repr=False)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def scale_of(self, qid: str) -> Scale:
        return self.scales[self.question(qid).scale]

    def group(self, gid: str) -> Group:
        for g in self.groups:
            if g.id == gid:
                return g
        raise KeyError(gid)

    def dimension(self, did: str) -> Dimension:
        for d in self.dimensions:
            if d.id == did:
                return d
        raise KeyError(did)

    @property
    def group_ids(self) -> list[str]:
        return [g.id for g in self.groups]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def group_labels(self, lang: str = "sv") -> dict[str, str]:
        return {g.id: g.label(lang) for g in self.groups}

    def group_words(self, lang: str = "sv") -> dict[str, str]:
        """Group labels as used inside a sentence: "7 av 12 tjänstepersoner"."""
        return {g.id: g.label(lang).lower() if lang == "sv" else g.label(lang) for g in self.groups}


# --------------------------------------------------------------------------- loading


def load_instrument(path: str | Path | None = None) -> Instrument:
    """Load and validate an instrument; the default one when `path` is None."""
    if path is None:
        text = resources.files("tillit.survey.data").joinpath(DEFAULT_INSTRUMENT).read_text("utf-8")
        source = f"<inbyggt instrument {DEFAULT_INSTRUMENT}>"
    else:
        p = Path(path)
        try:
            text = p.read_text("utf-8-sig")
        except FileNotFoundError:
            raise InstrumentError("Instrumentfilen finns inte.", source=p,
                                  hint="Kontrollera sökvägen, eller skapa en kopia med `tillit instrument show > mitt.yaml`.") from None
        except UnicodeDecodeError:
            raise InstrumentError("Instrumentfilen är inte UTF-8-kodad text.", source=p,
                                  hint="Spara filen som UTF-8 i din texteditor.") from None
        source = str(p)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (rad {mark.line + 1}, kolumn {mark.column + 1})" if mark else ""
        raise InstrumentError(f"Instrumentfilen är inte giltig YAML{where}: {getattr(exc, 'problem', exc)}",
                              source=source, hint="Jämför med `tillit instrument show`; kontrollera indrag och kolon.") from None
    inst = _build(data, source)
    object.__setattr__(inst, "raw_text", text)
    return inst


def _need(d: Any, key: str, where: str, source: str, kind: type = str) -> Any:
    if not isinstance(d, dict) or key not in d or d[key] in (None, ""):
        raise InstrumentError(f"Fältet '{key}' saknas i {where}.", source=source,
                              hint="Se den inbyggda mallen: `tillit instrument show`.")
    value = d[key]
    if kind is str and not isinstance(value, str | int | float):
        raise InstrumentError(f"Fältet '{key}' i {where} ska vara text.", source=source)
    if kind is list and not isinstance(value, list):
        raise InstrumentError(f"Fältet '{key}' i {where} ska vara en lista.", source=source)
    if kind is dict and not isinstance(value, dict):
        raise InstrumentError(f"Fältet '{key}' i {where} ska vara en tabell (nyckel: värde).", source=source)
    return value


def _sv_en(value: Any, fallback: str) -> tuple[str, str]:
    if isinstance(value, dict):
        sv = str(value.get("sv") or fallback)
        return sv, str(value.get("en") or sv)
    if value:
        return str(value), str(value)
    return fallback, fallback


def _unique(ids: list[str], what: str, source: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise InstrumentError(f"{what} '{i}' förekommer två gånger.", source=source,
                                  hint="Varje id måste vara unikt.")
        seen.add(i)


def _build(data: Any, source: str) -> Instrument:
    if not isinstance(data, dict):
        raise InstrumentError("Instrumentfilen ska vara en YAML-tabell med fälten id, scales, groups, questions.",
                              source=source, hint="Utgå från `tillit instrument show`.")
    scales: dict[str, Scale] = {}
    for sid, s in _need(data, "scales", "instrumentet", source, dict).items():
        where = f"skalan '{sid}'"
        steps = []
        for i, st in enumerate(_need(s, "steps", where, source, list)):
            label = str(_need(st, "label", f"steg {i + 1} i {where}", source))
            value = st.get("value", i + 1)
            if not isinstance(value, int | float):
                raise InstrumentError(f"'value' för '{label}' i {where} ska vara ett tal.", source=source)
            steps.append(Step(label, str(st.get("en", label)), _code(st, where, source), float(value),
                              tuple(str(a) for a in st.get("aliases") or [])))
        if len(steps) < 2:
            raise InstrumentError(f"{where} behöver minst två steg.", source=source)
        dks = tuple(DontKnow(str(_need(d, "label", where, source)), str(d.get("en", d["label"])), _code(d, where, source),
                             tuple(str(a) for a in d.get("aliases") or []))
                    for d in (s.get("dont_know") or []))
        labels = [st.label for st in steps] + [d.label for d in dks]
        _unique([normalise(x) for x in labels], f"Svarsalternativet i {where}", source)
        positive = tuple(str(x) for x in (s.get("positive") or [st.label for st in sorted(steps, key=lambda x: x.value)[-2:]]))
        for p in positive:
            if p not in labels[: len(steps)]:
                raise InstrumentError(f"'positive' i {where} nämner '{p}', som inte är ett steg på skalan.", source=source,
                                      hint=f"Välj bland: {', '.join(st.label for st in steps)}.")
        sv, en = _sv_en(s.get("name"), sid)
        scales[str(sid)] = Scale(str(sid), sv, en, tuple(steps), dks, positive)

    gdata = _need(data, "groups", "instrumentet", source, dict)
    gq = _need(gdata, "question", "groups", source, dict)
    groups = []
    for g in _need(gdata, "values", "groups", source, list):
        gid = str(_need(g, "id", "en grupp", source))
        lsv, len_ = _sv_en(g.get("label"), gid)
        ssv, sen = _sv_en(g.get("singular"), lsv)
        answers = tuple(str(a) for a in (g.get("answers") or [lsv]))
        groups.append(Group(gid, lsv, len_, ssv, sen, answers, _code(g, f"gruppen '{gid}'", source)))
    _unique([g.id for g in groups], "Gruppen", source)
    if len(groups) < 1:
        raise InstrumentError("Minst en grupp behövs under groups.values.", source=source)

    dims = []
    for d in data.get("dimensions") or []:
        did = str(_need(d, "id", "en dimension", source))
        sv, en = _sv_en(d.get("label"), did)
        dims.append(Dimension(did, sv, en))
    _unique([d.id for d in dims], "Dimensionen", source)
    dim_ids = {d.id for d in dims}

    questions = []
    for q in _need(data, "questions", "instrumentet", source, list):
        qid = str(_need(q, "id", "en fråga", source))
        where = f"frågan '{qid}'"
        text = str(_need(q, "text", where, source))
        scale = str(_need(q, "scale", where, source))
        if scale not in scales:
            raise InstrumentError(f"{where} använder skalan '{scale}', som inte finns.", source=source,
                                  hint=f"Definierade skalor: {', '.join(scales)}.")
        dim = str(q.get("dimension") or "")
        if dim and dim_ids and dim not in dim_ids:
            raise InstrumentError(f"{where} hör till dimensionen '{dim}', som inte finns.", source=source,
                                  hint=f"Definierade dimensioner: {', '.join(sorted(dim_ids))}.")
        cond = None
        if q.get("conditional_on"):
            c = q["conditional_on"]
            cond = (str(_need(c, "question", f"conditional_on i {where}", source)),
                    tuple(str(a) for a in _need(c, "answers", f"conditional_on i {where}", source, list)))
        ssv, sen = _sv_en(q.get("short"), text)
        questions.append(Question(qid, text, str(q.get("en") or text), ssv, sen, dim, scale,
                                  tuple(str(a) for a in q.get("aliases") or []), cond))
    if not questions:
        raise InstrumentError("Instrumentet har inga frågor.", source=source)
    _unique([q.id for q in questions], "Frågan", source)
    qids = {q.id for q in questions}
    for q in questions:
        if q.conditional_on and q.conditional_on[0] not in qids:
            raise InstrumentError(f"Frågan '{q.id}' är villkorad av '{q.conditional_on[0]}', som inte finns.", source=source)

    boxes = []
    for b in data.get("comment_boxes") or []:
        bid = str(_need(b, "id", "en kommentarsruta", source))
        text = str(_need(b, "text", f"kommentarsrutan '{bid}'", source))
        boxes.append(CommentBox(bid, text, str(b.get("en") or text), tuple(b.get("dimensions") or []),
                                tuple(str(a) for a in b.get("aliases") or [])))
    _unique([b.id for b in boxes], "Kommentarsrutan", source)

    nsv, nen = _sv_en(data.get("name"), str(data.get("id", "instrument")))
    return Instrument(
        id=str(_need(data, "id", "instrumentet", source)),
        version=int(data.get("version", 1)),
        name_sv=nsv,
        name_en=nen,
        scales=scales,
        group_question=str(_need(gq, "text", "groups.question", source)),
        group_aliases=tuple(str(a) for a in gq.get("aliases") or []),
        groups=tuple(groups),
        dimensions=tuple(dims),
        questions=tuple(questions),
        comment_boxes=tuple(boxes),
        respondent_id_columns=tuple(str(c) for c in data.get("respondent_id_columns") or []),
        municipality_columns=tuple(str(c) for c in data.get("municipality_columns") or []),
        sensitive_columns=tuple(str(c) for c in data.get("sensitive_columns") or []),
        source=source,
    )


def _code(d: dict, where: str, source: str) -> int | None:
    code = d.get("code")
    if code is None:
        return None
    try:
        return int(code)
    except (TypeError, ValueError):
        raise InstrumentError(f"'code' i {where} ska vara ett heltal, inte '{code}'.", source=source) from None
