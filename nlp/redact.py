"""Redaction of personal data in Swedish free text.

Runs on the raw text before anything else sees it.  Finds, in this order (earlier
finds win where they overlap): e-mail addresses, personnummer/samordningsnummer,
Swedish phone numbers and personal names, and replaces each with a typed
placeholder.  Names come from Faker's sv_SE lists plus ``data/names.yaml``; names
that are also words (Maj, Per, Berg, Ek ...) need context: a title before them,
another name part next to them, "på <enhet>" after them (units in names.yaml) or a party letter "(C)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from personnummer import personnummer as pnr_lib
from survey.yamlio import load_yaml

from .results import PiiSpan, Redacted

PLACEHOLDER = {
    "name": "[NAMN]",
    "email": "[E-POST]",
    "phone": "[TELEFON]",
    "personnummer": "[PERSONNUMMER]",
    "samordningsnummer": "[PERSONNUMMER]",
}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# YYMMDD-NNNN, YYYYMMDD-NNNN, "+" for 100+, or the digits run together
PERSONNUMMER = re.compile(r"(?<![\d\w+-])((?:19|20)?\d{6})([-+]?)(\d{4})(?![\d\w])")
# 070-123 45 67, 08-123 456 78, 0470-41 000, +46 70 123 45 67, 0046 8 123 456 78, 0701234567
PHONE = re.compile(
    r"(?<![\d\w+])(?:(?:\+|00)46[ \-]?(?:\(0\)[ \-]?)?|\(?0)"
    r"\d{1,3}\)?(?:(?: ?[-–/] ?| )?\d){5,8}(?![\d\w])"
)
# capitalised words (with hyphenated parts); only these can start a name
CAPITALISED = re.compile(r"(?<![\w-])[^\W\d_a-zåäöéü][^\W\d_]*(?:-[^\W\d_]+)*")
PREVIOUS_WORD = re.compile(r"([^\W\d_]+)[ \t]*$")
SURNAME_SHAPE = re.compile(
    r"(?:sson|son|ström|strom|berg|gren|lund|qvist|kvist|quist|holm|dahl|blom|stedt|löf|"
    r"gård|vall|ling|lin|din|én|ell|man|ander|borg|fors|mark|by|hed|kog)$"
)
PARTY = re.compile(r"\s*\((?:S|M|C|L|V|KD|MP|SD|FI|Fi)\)")


@dataclass(frozen=True)
class NameKnowledge:
    first: frozenset[str]
    last: frozenset[str]
    ambiguous: frozenset[str]
    titles: frozenset[str]
    title_suffixes: tuple[str, ...]
    keep: frozenset[str]
    keep_suffixes: tuple[str, ...]
    units: frozenset[str]


@lru_cache(maxsize=1)
def name_knowledge() -> NameKnowledge:
    from faker.providers.person.sv_SE import Provider

    data = load_yaml(resources.files("nlp").joinpath("data/names.yaml").read_text("utf-8"))
    first = set(Provider.first_names_female) | set(Provider.first_names_male)
    first |= set(data.get("extra_first_names") or [])
    last = set(Provider.last_names) | set(data.get("extra_surnames") or [])
    return NameKnowledge(
        first=frozenset(first),
        last=frozenset(last),
        ambiguous=frozenset(data["ambiguous"]),
        titles=frozenset(t.lower() for t in data["titles"]),
        title_suffixes=tuple(data["title_suffixes"]),
        keep=frozenset(data["keep"]),
        keep_suffixes=tuple(data["keep_suffixes"]),
        units=frozenset(data.get("units") or ()),
    )


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _personnummer_kind(date: str, sep: str, serial: str) -> str | None:
    """'personnummer', 'samordningsnummer' or None when the date part is impossible."""
    month, day = int(date[-4:-2]), int(date[-2:])
    if not 1 <= month <= 12:
        return None
    if 61 <= day <= 91:
        kind = "samordningsnummer"
    elif 1 <= day <= 31:
        kind = "personnummer"
    else:
        return None
    if not sep and len(date) == 6 and date.startswith("0"):
        # ten digits starting with 0 are usually a phone number: only a valid check
        # digit makes them a personnummer
        try:
            number = pnr_lib.Personnummer(date + serial)
        except Exception:
            return None
        return "samordningsnummer" if number.is_coordination_number() else "personnummer"
    return kind


def _find_numbers(text: str, taken: list[tuple[int, int]]) -> list[PiiSpan]:
    spans: list[PiiSpan] = []
    for m in PERSONNUMMER.finditer(text):
        kind = _personnummer_kind(m.group(1), m.group(2), m.group(3))
        if kind and not _overlaps(m.start(), m.end(), taken):
            spans.append(PiiSpan(kind, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in PHONE.finditer(text):
        digits = _digits(m.group())
        if m.group().startswith("+"):
            national = digits[2:]
        elif m.group().startswith("00"):
            national = digits[4:]
        else:
            national = digits[1:]
        if 7 <= len(national) <= 9 and not _overlaps(m.start(), m.end(), taken):
            spans.append(PiiSpan("phone", m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return spans


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'«»(")
    return not before or before[-1] in ".!?:\n–-;/"


def _find_names(text: str, taken: list[tuple[int, int]]) -> list[PiiSpan]:
    k = name_knowledge()
    words = [(m.start(), m.end(), m.group()) for m in CAPITALISED.finditer(text)]

    def parts(w: str) -> list[str]:
        return w.split("-")

    def is_first(w: str) -> bool:
        return all(p in k.first for p in parts(w))

    def is_last(w: str) -> bool:
        return all(p in k.last for p in parts(w))

    def is_capitalised(w: str) -> bool:
        return w[0].isupper() and not w.isupper() and all(p[:1].isupper() for p in parts(w))

    def is_kept(w: str) -> bool:
        lw = w.lower()
        return w in k.keep or lw.endswith(k.keep_suffixes)

    def is_title(w: str) -> bool:
        lw = w.lower()
        return lw in k.titles or lw.endswith(k.title_suffixes)

    spans: list[PiiSpan] = []
    i = 0
    while i < len(words):
        start, end, w = words[i]
        if not is_capitalised(w) or is_kept(w) or _overlaps(start, end, taken):
            i += 1
            continue
        prev = PREVIOUS_WORD.search(text, max(0, start - 40), start)
        titled = prev is not None and is_title(prev.group(1))
        # a run of capitalised name parts separated by single spaces (max three)
        j = i + 1
        while (
            j < len(words) and j - i < 3
            and text[words[j - 1][1]:words[j][0]] == " "
            and is_capitalised(words[j][2]) and not is_kept(words[j][2])
            and (is_last(words[j][2]) or is_first(words[j][2])
                 or SURNAME_SHAPE.search(words[j][2].lower()) is not None)
        ):
            j += 1
        run = words[i:j]
        first_w = run[0][2]
        genitive_first = first_w.endswith("s") and first_w[:-1] in k.first
        known = is_first(first_w) or is_last(first_w) or genitive_first
        after = text[run[-1][1]:run[-1][1] + 40]
        party = PARTY.match(after) is not None
        unit = re.match(r" på ([a-zåäö]+)", after)
        pa_unit = unit is not None and unit.group(1) in k.units
        if len(run) >= 2 and (is_first(first_w) or titled):
            is_name = True
        elif titled:
            is_name = True
        elif known and (party or pa_unit):
            is_name = True
        elif known and first_w not in k.ambiguous and (first_w[:-1] if genitive_first else first_w) not in k.ambiguous:
            # an unambiguous first name anywhere; an unambiguous surname not at a sentence start
            is_name = is_first(first_w) or genitive_first or not _sentence_initial(text, start)
        else:
            is_name = False
        if is_name:
            s, e = run[0][0], run[-1][1]
            spans.append(PiiSpan("name", s, e))
            taken.append((s, e))
            i = j
        else:
            i += 1
    return spans


def find_pii(text: str) -> list[PiiSpan]:
    """Personal data in ``text`` as spans of the original text, in text order."""
    taken: list[tuple[int, int]] = []
    spans = [PiiSpan("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    taken.extend((s.start, s.end) for s in spans)
    spans += _find_numbers(text, taken)
    spans += _find_names(text, taken)
    return sorted(spans, key=lambda s: s.start)


def redact(text: str) -> Redacted:
    """Replace e-mail addresses, phone numbers, personnummer/samordningsnummer and
    personal names in ``text`` with [E-POST], [TELEFON], [PERSONNUMMER] and [NAMN]."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    found = find_pii(text)
    if not found:
        return Redacted(text, [])
    out: list[str] = []
    pos = 0
    for span in found:
        out.append(text[pos:span.start])
        out.append(PLACEHOLDER[span.kind])
        pos = span.end
    out.append(text[pos:])
    return Redacted("".join(out), found)
