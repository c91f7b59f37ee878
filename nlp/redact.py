"""Redaction of personal data in Swedish free text.

Runs on the raw text before anything else sees it.  Finds, in this order (earlier
finds win where they overlap): e-mail addresses (also disguised: "anna(at)kommun.se",
"anna punkt svensson at kommun punkt se"), personnummer/samordningsnummer, Swedish
phone numbers, street addresses, personal names and party letters ("(S)", "(SD)"),
and replaces each with a typed placeholder.  Names come from Faker's sv_SE lists plus
``data/names.yaml``; names that are also words (Maj, Per, Berg, Ek ...) and names in
lower case need context: a title before them, another name part next to them, a unit
after them ("på ekonomi", "i ekonomiutskottet") or a party letter "(C)".

Names in no list are found by their shape: two or more capitalised words in a row (with
particles such as "van der", "af", "bin" between them) none of which is a Swedish or
English word (simplemma's dictionaries, Swedish compounds included), a place or body
(``data/places.yaml``, Faker's Swedish country and city names) or a kept word; one
known name part among them is enough ("Olusegun Adeyemi", "Siosaia Fifita"). In lower
case two such non-words in a row are a name after a title or a contact verb ("fråga",
"ring") or before a unit or party letter ("shirin moradi i kommunstyrelsen").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from personnummer import personnummer as pnr_lib
from tillit.survey.yamlio import load_yaml

from .cache import in_dictionary, while_waiting_for_dictionaries
from .results import PiiSpan, Redacted

PLACEHOLDER = {
    "name": "[NAMN]",
    "email": "[E-POST]",
    "phone": "[TELEFON]",
    "personnummer": "[PERSONNUMMER]",
    "samordningsnummer": "[PERSONNUMMER]",
    "party": "[PARTI]",
    "address": "[ADRESS]",
}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# disguised addresses: anna(at)kommun.se, anna [at] kommun.se, anna snabel-a kommun.se,
# "anna punkt svensson at kommun punkt se"; the domain must end in a top-level domain
_DOT = r"(?:\.|\s*[(\[{]\s*(?:dot|punkt)\s*[)\]}]\s*|\s+(?:dot|punkt)\s+)"
_AT = r"(?:\s*[(\[{]\s*(?:at|a|snabel-?a)\s*[)\]}]\s*|\s+(?:at|snabel-?a)\s+|\s*@\s*)"
_TLD = r"(?:se|nu|com|org|net|eu|info|io|biz|fi|no|dk|de)"
OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}{_TLD}(?![\w])",
    re.IGNORECASE,
)
# a street address: Storgatan 12, Björkvägen 7 B, Lilla torget 3, with an optional
# postcode and town ("Storgatan 12, 123 45 Växjö")
STREET = (r"(?:gatan|gata|vägen|väg|gränd|gränden|torget|torg|stigen|allén|allé|backen|"
          r"gången|platsen|plan|leden|slingan|parken|kajen|esplanaden|bågen|raden|liden)")
ADDRESS_HINT = re.compile(rf"{STREET} \d")  # cheap pre-check before ADDRESS
OBFUSCATED_HINT = re.compile(r"(?i)[\s(\[{](?:at|snabel-?a)[\s)\]}]|\(a\)|\s@|@\s")
ADDRESS = re.compile(
    rf"(?<![\w-])(?:(?:(?:Östra|Västra|Norra|Södra|Stora|Lilla|Gamla|Nya|Övre|Nedre|Sankt|S:t) )?"
    rf"[^\W\d_][^\W\d_-]*{STREET}|[^\W\d_a-zåäö][^\W\d_]+ {STREET})"
    # a year is no house number: "från Linnétorget 2029" (set 23)
    r" (?!(?:19|20)\d\d(?![\w]))\d{1,4}(?: ?[A-Ha-h](?![\w]))?(?:,? \d{3} ?\d{2}(?: [^\W\d_]+)?)?(?![\w])",
)
# YYMMDD-NNNN, YYYYMMDD-NNNN, "+" for 100+, or the digits run together
PERSONNUMMER = re.compile(r"(?<![\d\w+-])((?:19|20)?\d{6})([-+–—‐ ]?)(\d{4})(?![\d\w])")
# 070-123 45 67, 08-123 456 78, 0470-41 000, +46 70 123 45 67, 0046 8 123 456 78, 0701234567
PHONE = re.compile(
    r"(?<![\d\w+])(?:(?:\+|00)46[ \-]?(?:\(0\)[ \-]?)?|\(?0)"
    r"\d{1,3}\)?(?:(?: ?[-–/.] ?| )?\d){5,8}(?![\d\w])"
)
DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
# another country's number: +44 7700 900123, +358 40 123 4567, 0047 22 12 34 56
FOREIGN_PHONE = re.compile(
    r"(?<![\d\w+])(?:\+|00)(?!46)[1-9]\d{0,2}(?:[ \-]?\(0\))?(?:[ \-.]?\d){6,13}(?![\d\w])"
)
# capitalised words (with hyphenated parts); only these can start a name
CAPITALISED = re.compile(r"(?<![\w-])[^\W\d_a-zåäöéü](?:'(?=[^\W\d_]))?[^\W\d_]*(?:-[^\W\d_]+)*")
PREVIOUS_WORD = re.compile(r"([^\W\d_]+)[ \t]*$")
THANKS_BEFORE = re.compile(r"(?<![\w-])(?:tack(?:a|ar|ade)?(?:[ \t]+till)?|tack[ \t]+vare)[ \t]+$", re.IGNORECASE)
TITLE_BEFORE = re.compile(r"([^\W\d_]+),?[ \t]*$")  # a title, also with a comma after it
# particles after a lower-case first name, then the surname ("jonna van der meer")
PARTICLES_NEXT = re.compile(r"((?: (?:van|von|der|den|de|af|bin|binti|ibn|al|el|da|dos|di|ter|ten|zu|le|la|del|du))+) "
                            r"([^\W\d_]+(?:-[^\W\d_]+)*)(?![\w-])")
SURNAME_SHAPE = re.compile(
    r"(?:sson|son|ström|strom|berg|gren|lund|qvist|kvist|quist|holm|dahl|blom|stedt|löf|"
    r"gård|vall|ling|lin|din|én|ell|man|ander|borg|fors|mark|by|hed|kog|"
    # surnames from other languages common in Sweden
    r"ić|vić|ović|ovic|evic|sen|nen|ez|escu|oglu|oğlu|yan|ian|ski|wicz|ova|enko|idis|"
    r"opoulos|ashvili|ov|ev|ova|eva|yev|iyev)$"
)
LOWER_WORDS = re.compile(r"[^\W\d_]+")  # any letters: only lower-case ones are looked up
LOWER_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+)*(?![\w-])")
NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+(?:-[^\W\d_]+)*)")
UNIT_AFTER = re.compile(r" (?:på|i|från|vid) ([^\W\d_]+)")
UNIT_FROM_AFTER = re.compile(r" (?:på|från) ")
# particles inside a name ("Jan van der Berg", "Ebba af Klercker", "Ahmad bin Yusof");
# only these may stand between two capitalised name parts
PARTICLES = ("van", "von", "der", "den", "de", "af", "bin", "binti", "ibn", "al", "el", "da", "dos",
             "di", "ter", "ten", "zu", "le", "la", "del", "du")
FIRM_AFTER = re.compile(r"\s*&\s*([A-ZÅÄÖ][^\W\d_]*)")
FIRM_BEFORE = re.compile(r"([A-ZÅÄÖ][^\W\d_]*)\s*&\s*$")
INITIALS_GAP = re.compile(r" (?:[A-ZÅÄÖ]\. )+")
PARTICLE_GAP = re.compile(rf" (?:(?:{'|'.join(PARTICLES)}) )+", re.IGNORECASE)
# first parts of a hyphenated name that are articles or kinship words ("al-Amin", "abu-Bakr")
NAME_PREFIXES = frozenset({"al", "el", "abu", "abd", "ben", "bin", "ibn", "bint", "ould"})
# verbs that put a person right after them ("fråga shirin moradi", "ring gärna anna")
CONTACT_VERBS = frozenset({"fråga", "frågade", "frågar", "ring", "ringa", "ringde", "ringer", "kontakta",
                           "kontaktade", "mejla", "maila", "mejlade", "mailade", "med", "till", "hos"})
# Riksdag parties and common local ones, as written in parentheses after a name or alone
PARTY_LETTERS = r"(?:S|s|M|m|C|c|L|l|V|v|KD|kd|MP|mp|SD|sd|FI|Fi|fi)"
PARTY = re.compile(rf"\s*\({PARTY_LETTERS}\)")
PARTY_MENTION = re.compile(rf"(?<![\w(])\({PARTY_LETTERS}\)(?![\w)])")
# Party letters that name the party, not a person's affiliation: letters that open a clause
# (at the text's start or after . ! ? : ; , –) and no name before them, and letters joined to
# such letters by "och", "eller", "samt" or a comma ("…, (M) och (KD) vill behålla den").
# After a word ("Vi i (SD)", "sitter för (V)", "Kommunalrådet (S)") they stay personal data.
PARTY_OPENS_CLAUSE = re.compile(
    r"(?:(?:^|[.!?:;,–])[ \t]*(?:(?:[Aa]tt|[Nn]är|[Oo]m|[Dd]å|[Ee]ftersom|[Ss]edan|[Mm]en|[Mm]edan|[Ii]nnan)[ \t]+)?"
    r"|(?<![\w-])mellan[ \t]+"  # "Att (C) och (S) har styrt", "samarbetet mellan (C), (S) och (M)" (set 27)
    r"|(?<![\w-])(?:att|eftersom|sedan|medan|innan)[ \t]+)$")  # "bättre sedan (S) och (C) gjorde upp" (training q)
PARTY_JOINED = re.compile(r"[ \t]*(?:,|och|eller|samt)[ \t]*$")
# ... or letters followed by what a party, not a person, does ("år med (S) vid makten")
PARTY_RULES_AFTER = re.compile(r"[ \t]+(?:vid makten|i majoritet|i minoritet|i opposition)\b", re.IGNORECASE)
# ... or the ends of a range of parties ("alla partier från (V) till (SD)", set 24)
PARTY_RANGE = re.compile(rf"(?<![\w-])från[ \t]+\({PARTY_LETTERS}\)[ \t]+till[ \t]+\({PARTY_LETTERS}\)")
# letters of a local party (two to four, two capitals at least: "(SkP)", "(KiL)"); redacted only
# right after a person's name
LOCAL_PARTY = re.compile(r"(?<![\w(])\([A-ZÅÄÖ](?=[a-zåäö]?[A-ZÅÄÖ])[A-Za-zÅÄÖåäö]{1,3}\)(?![\w)])")


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
    unit_suffixes: tuple[str, ...]
    not_names: frozenset[str]
    first_lower: frozenset[str]  # first names (and their hyphen parts) in lower case
    # names of many origins (data/names_world.txt, built by nlp.names_build from Faker's
    # lists minus Swedish and English words): name parts only next to another name part
    world: frozenset[str] = frozenset()
    world_lower: frozenset[str] = frozenset()
    last_lower: frozenset[str] = frozenset()  # surnames in lower case
    # words of place and body names (data/places.yaml, Faker's Swedish countries and
    # cities): never a part of a name found by its shape alone
    places: frozenset[str] = frozenset()
    # firms that are people's names ("Arthur D. Little"): found as a whole, never redacted
    keep_phrases: re.Pattern[str] | None = None
    keep_heads: tuple[str, ...] = ()  # their first words: most texts contain none, so no regex runs


@lru_cache(maxsize=1)
def name_knowledge() -> NameKnowledge:
    from faker.providers.person.sv_SE import Provider

    data = load_yaml(resources.files("tillit.nlp").joinpath("data/names.yaml").read_text("utf-8"))
    first = set(Provider.first_names_female) | set(Provider.first_names_male)
    first |= set(data.get("extra_first_names") or [])
    last = set(Provider.last_names) | set(data.get("extra_surnames") or [])
    world = set(resources.files("tillit.nlp").joinpath("data/names_world.txt").read_text("utf-8").split())
    from faker.providers.address.sv_SE import Provider as Address

    place_data = load_yaml(resources.files("tillit.nlp").joinpath("data/places.yaml").read_text("utf-8"))
    place_names = [str(n) for names in place_data.values() for n in names or ()]
    place_names += list(Address.countries) + list(Address.cities)
    places = {w for n in place_names for w in n.split() if w[:1].isupper()}
    places |= {w + "s" for w in places if not w.endswith("s")}  # genitive: "Upplands Väsby"
    return NameKnowledge(
        first=frozenset(first),
        last=frozenset(last),
        ambiguous=frozenset(data["ambiguous"]),
        titles=frozenset(t.lower() for t in data["titles"]),
        title_suffixes=tuple(data["title_suffixes"]),
        keep=frozenset(data["keep"]),
        keep_suffixes=tuple(data["keep_suffixes"]),
        units=frozenset(data.get("units") or ()),
        unit_suffixes=tuple(data.get("unit_suffixes") or ()),
        not_names=frozenset(data.get("not_names") or ()),
        first_lower=frozenset(f.lower() for f in first),
        world=frozenset(world),
        world_lower=frozenset(w.lower() for w in world),
        last_lower=frozenset(w.lower() for w in last),
        places=frozenset(places),
        keep_phrases=re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(str(p)) for p in phrases)})(?![\w-])")
        if (phrases := data.get("keep_phrases")) else None,
        keep_heads=tuple(sorted({str(p).split()[0] for p in data.get("keep_phrases") or ()})),
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
    if (not sep and len(date) == 6 and date.startswith("0")) or sep == " ":
        # ten digits starting with 0 are usually a phone number, and digits split by a
        # space may be any number: only a valid check digit makes them a personnummer
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
        # a trunk zero written in parentheses after the country code ("+46 (0)70 …") is
        # not dialled, so it is not part of the national number
        digits = _digits(m.group().replace("(0)", "", 1))
        if m.group().startswith("+"):
            national = digits[2:]
        elif m.group().startswith("00"):
            national = digits[4:]
        else:
            national = digits[1:]
        if "." in m.group() and DATE_LIKE.fullmatch(m.group()):
            continue  # 01.02.2024 is a date
        if 7 <= len(national) <= 9 and not _overlaps(m.start(), m.end(), taken):
            spans.append(PiiSpan("phone", m.start(), m.end()))
            taken.append((m.start(), m.end()))
    if "+" in text or "00" in text:
        for m in FOREIGN_PHONE.finditer(text):
            digits = _digits(m.group().replace("(0)", "", 1))
            if 8 <= len(digits) - (2 if m.group().startswith("00") else 0) <= 15 \
                    and not _overlaps(m.start(), m.end(), taken):
                spans.append(PiiSpan("phone", m.start(), m.end()))
                taken.append((m.start(), m.end()))
    return spans


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'«»(")
    return not before or before[-1] in ".!?:\n–-;/"


def _function_word(w: str) -> bool:
    return w.lower() in _stop_words()


@lru_cache(maxsize=100_000)
def is_word(word: str) -> bool:
    """``word`` (any case) is a Swedish or English word: in simplemma's dictionaries, as
    a genitive in -s, or as a Swedish compound of two known words; hyphenated, when
    every part is one.  Loaded on first use: only texts with two capitalised words in a
    row, or a lower-case word after a title, get here."""
    from .compounds import split_compound

    lower = word.lower()
    if "-" in lower:
        first = lower.split("-")[0]
        if first in NAME_PREFIXES:  # "al-amin", "abu-bakr"
            return False
        return all(is_word(p) for p in lower.split("-") if p)
    if len(lower) < 2 or any(in_dictionary(lower, lang) for lang in LANGS):
        return True
    if lower.endswith("s") and any(in_dictionary(lower[:-1], lang) for lang in LANGS):
        return True
    return len(lower) >= 8 and len(split_compound(lower)) == 2


LANGS = ("sv", "en")  # simplemma's dictionaries a word is looked up in (through nlp.cache: a
# run whose words were all seen before does not decode them; a name in them is stored
# capitalised, "Gunilla", "Stockholm", so the lower-case look-up does not find it)


def _joined(text: str, end: int, start: int) -> bool:
    """Two words at ``end`` and ``start`` are next to each other in a name: one space, or
    particles between them ("van der")."""
    gap = text[end:start]
    return gap == " " or PARTICLE_GAP.fullmatch(gap) is not None or INITIALS_GAP.fullmatch(gap) is not None


def _find_names(text: str, taken: list[tuple[int, int]]) -> list[PiiSpan]:
    k = name_knowledge()
    # a middle initial ("Anna K. Berglund") is left out of the words; _joined lets it
    # stand between two name parts
    words = [(m.start(), m.end(), m.group()) for m in CAPITALISED.finditer(text)
             if not (len(m.group()) == 1 and text[m.end():m.end() + 2] == ". ")]

    def parts(w: str) -> list[str]:
        return w.split("-")

    def is_first(w: str) -> bool:
        return w not in k.not_names and all(p in k.first for p in parts(w))

    def is_last(w: str) -> bool:
        return w not in k.not_names and all(p in k.last for p in parts(w))

    def is_capitalised(w: str) -> bool:
        # later parts of a hyphenated name may be short and in lower case ("Ji-woo")
        return w[0].isupper() and not w.isupper() and all(
            p[:1].isupper() or (n > 0 and len(p) <= 3) for n, p in enumerate(parts(w)))

    def is_kept(w: str) -> bool:
        lw = w.lower()
        return w in k.keep or w in k.not_names or lw.endswith(k.keep_suffixes)

    def is_title(w: str) -> bool:
        lw = w.lower()
        return lw in k.titles or lw.endswith(k.title_suffixes)

    def name_part(w: str) -> bool:
        """A first name or surname of any origin that is not also a word."""
        return w not in k.not_names and w not in k.ambiguous and w not in k.places and all(
            p in k.first or p in k.last or p in k.world for p in parts(w))

    def surname_like(w: str) -> bool:
        """A listed surname, or a word shaped like one that is no Swedish or English word
        ("Petrović", "Öberg-Lind"; not "Unionen", "Stockholm")."""
        if is_last(w):
            return True
        if w in k.places:
            return False
        if _sson_surname(w):
            return True  # "Alvarsson" splits into two words, but no Swedish word ends so (set 27)
        shaped = (SURNAME_SHAPE.search(w.lower()) is not None or "'" in w  # O'Brien, D'Souza
                  or (len(parts(w)) > 1 and all(p[:1].isupper() for p in parts(w))))
        return shaped and not is_word(w)

    def unlisted_part(w: str) -> bool:
        """Could be a part of a name found by its shape: a capitalised word that is a name
        part, or no word, place or body at all."""
        if not is_capitalised(w) or is_kept(w) or is_title(w) or w in k.places or _function_word(w):
            return False
        if name_part(w) or is_first(w) or is_last(w) or w in k.ambiguous:
            return True
        return not is_word(w)

    def shaped_run(i: int) -> int:
        """End (exclusive) of a name at ``words[i]`` found by its shape alone, or ``i``."""
        if i + 1 >= len(words) or not _joined(text, words[i][1], words[i + 1][0]):
            return i  # most capitalised words stand alone: no lexicon look-up
        j = i
        while j < len(words) and j - i < 4 and unlisted_part(words[j][2]) and (
                j == i or _joined(text, words[j - 1][1], words[j][0])):
            j += 1
        if j - i < 2:
            return i
        # after two parts that are no words, a third capitalised word joins even if it is
        # one ("Nguyen Thi Lan")
        if (j - i == 2 and j < len(words) and not any(is_word(w) for _, _, w in words[i:j])
                and _joined(text, words[j - 1][1], words[j][0]) and is_capitalised(words[j][2])
                and not (is_kept(words[j][2]) or is_title(words[j][2]) or words[j][2] in k.places
                         or _function_word(words[j][2]))):
            j += 1
        # at least one part that is no word at all or an unambiguous name part
        strong = [w for _, _, w in words[i:j] if w not in k.ambiguous
                  and (name_part(w) or is_first(w) or is_last(w) or not is_word(w))]
        return j if strong else i

    spans: list[PiiSpan] = []
    i = 0
    while i < len(words):
        start, end, w = words[i]
        if not is_capitalised(w) or is_kept(w) or _overlaps(start, end, taken):
            i += 1
            continue
        if is_title(w):  # "Handläggaren Li Na": the title is not a part of the name
            i += 1
            continue
        j = shaped_run(i)
        if j > i:
            s, e = start, words[j - 1][1]
            spans.append(PiiSpan("name", s, e))
            taken.append((s, e))
            i = j
            continue
        prev = PREVIOUS_WORD.search(text, max(0, start - 40), start)
        # a title before it, or thanks ("Tack till Vilja som drev det"): a name that is also a
        # word is a name here
        titled = (prev is not None and is_title(prev.group(1))) or THANKS_BEFORE.search(
            text, max(0, start - 20), start) is not None
        # a first name that is also a place ("Nora", "Vilhelmina") needs context like an
        # ambiguous one
        first_known = is_first(w) and w not in k.ambiguous and w not in k.places
        # a run of capitalised name parts separated by single spaces (max three); after
        # an unambiguous first name any capitalised word is taken as the surname
        j = i + 1
        while (
            j < len(words) and j - i < 3
            and _joined(text, words[j - 1][1], words[j][0])
            and is_capitalised(words[j][2]) and not is_kept(words[j][2])
            and not is_title(words[j][2])
            # a function word ends the name, unless it is a particle ("Carl-Johan De Geer")
            and (not _function_word(words[j][2]) or words[j][2].lower() in PARTICLES)
            and (first_known or titled or is_first(words[j][2]) or surname_like(words[j][2])
                 # two name parts of any origin, in either order ("Nguyen Thi"), and a
                 # third capitalised word after them ("Nguyen Thi Lan")
                 or (name_part(words[j - 1][2]) and name_part(words[j][2]))
                 or (j - i == 2 and name_part(words[i][2]) and name_part(words[i + 1][2])))
        ):
            j += 1
        run = words[i:j]
        first_w = run[0][2]
        base = first_w[:-1] if first_w.endswith("s") else ""
        genitive_first = len(base) > 2 and base in k.first and first_w not in k.not_names
        known = is_first(first_w) or is_last(first_w) or genitive_first
        after = text[run[-1][1]:run[-1][1] + 40]
        party = PARTY.match(after) is not None
        in_unit = _unit_after(after, k)
        only_places = all(w in k.places for _, _, w in run)
        # after a title, a run of ordinary words is no name ("Controllern Går Igenom" in
        # Title Case): one part must be a listed name or no word at all
        name_like = any(is_first(w) or is_last(w) or name_part(w) or w in k.ambiguous or not is_word(w)
                        or any(p.islower() for p in parts(w)[1:])  # "Ji-woo"
                        for _, _, w in run)
        if (party and not _function_word(first_w)) or (titled and name_like):
            is_name = True  # not "Att (C) och (S) har kunnat styra" (set 27)
        elif len(run) == 1 and known and in_unit and UNIT_FROM_AFTER.match(after) is not None:
            # a listed name before "på"/"från" a unit is a person even if it is a place or a
            # word too: "Berg på tekniska sa …" (set 22), "Lund från ekonomi"
            is_name = True
        elif only_places:  # "Nora Örebro", "Ljusnarsberg Nora": places side by side
            is_name = False
        elif len(run) >= 2 and is_first(first_w):
            is_name = True
        elif (len(run) >= 2 and not _function_word(first_w) and surname_like(run[-1][2])
              and (is_first(first_w) or is_last(first_w) or name_part(first_w) or not is_word(first_w)
                   # a surname by shape that is no word ("Bolat Nurlanov"); a listed surname
                   # that is also a word or place needs a name before it ("Gröna Lund")
                   or (not is_last(run[-1][2]) and first_w not in k.places))):
            # two capitalised words, the last shaped like a surname: "Dragana Petrović"
            is_name = True
        elif len(run) >= 2 and not _function_word(first_w) and name_part(first_w) and name_part(run[1][2]):
            # two name parts of any origin: "Olusegun Adeyemi", "Nguyen Thi Lan"
            is_name = True
        elif (known or (first_w not in k.places and not _function_word(first_w) and not is_word(first_w)
                        and (not _sentence_initial(text, start)
                             or (in_unit and UNIT_FROM_AFTER.match(after) is not None)))) \
                and (party or in_unit or CONTACT_BEFORE.search(text, max(0, start - 24), start) is not None):
            # a listed name, or a capitalised word inside a sentence that is no word at
            # all, before "på kansliet", "i nämnden" or "(S)", or after "fråga efter" (set 28:
            # "fråga efter Phuong"); at a sentence's start only before "från"/"på" a unit
            # ("Dragana från kulturförvaltningen")
            is_name = True
        elif (known and first_w not in k.ambiguous and (base if genitive_first else first_w) not in k.ambiguous
              and (base if genitive_first else first_w) not in k.places):
            # an unambiguous first name anywhere; an unambiguous surname not at a sentence start
            # or after an initial ("/E. Sundqvist")
            is_name = (is_first(first_w) or genitive_first or not _sentence_initial(text, start)
                       or (is_last(first_w) and INITIALS_BEFORE.search(text, max(0, start - 12), start) is not None))
        elif (len(run) == 1 and (is_first(first_w) or is_last(first_w)) and first_w in k.ambiguous
              and first_w not in k.places and first_w not in MONTHS_AND_DAYS
              and ((not _sentence_initial(text, start) and not _capitalised_before(text, start)
                    and ARTICLE_BEFORE.search(text, max(0, start - 8), start) is None
                    and (_lower_next(text, end) or COMMA_LOWER_NEXT.match(text, end) is not None))
                   or _titled_apposition(text, end, is_title) or _with_pronoun(text, start, end))):
            # a name that is also a word, capitalised inside a sentence between lower-case words,
            # where the word would not be: "Sedan Mats slutade i mars" (set 20), "Sedan Björk
            # kom", "Ordföranden i nämnden, Sten, ringer" (training m), "Nu senast Dag, som
            # slutade" (set 25); followed by a title in apposition: "Björk, den politiska
            # sekreteraren, sitter med" (training n); or joined to "jag": "Sten och jag har"
            is_name = True
        elif len(run) == 1 and SIGNATURE_BEFORE.search(text, max(0, start - 16), start) \
                and SIGNATURE_END.match(text, end) and first_w not in k.places and not is_title(first_w) \
                and (name_part(first_w) or is_first(first_w) or is_last(first_w) or not is_word(first_w)):
            # a name signing the comment: "… mer tydlig hierarki. /Mirela" (training n)
            is_name = True
        elif (len(run) == 1 and name_part(first_w) and not is_word(first_w) and not is_kept(first_w)
              and first_w not in MONTHS_AND_DAYS
              and ((not _sentence_initial(text, start) and not _capitalised_before(text, start))
                   or _lower_next(text, end))):
            # a first name or surname of another origin, alone inside a sentence, that is no
            # word, place or body: "Han som gjorde alla jämförelser, Wojciech, gick" (set 30)
            is_name = True
        else:
            is_name = False
        if is_name and len(run) == 1:
            # one name joined by "&" to a capitalised word that is no first name is a
            # firm ("Ernst & Young", "Johnson & Johnson"); "Anna & Per Svensson" are people
            firm = FIRM_AFTER.match(after) or FIRM_BEFORE.search(text, max(0, start - 40), start)
            if firm is not None and not is_first(firm.group(1)):
                is_name = False
        if is_name:
            s, e = run[0][0], run[-1][1]
            spans.append(PiiSpan("name", s, e))
            taken.append((s, e))
            i = j
        else:
            i += 1
    spans += _find_lowercase_names(text, taken)
    spans += _find_unlisted_lowercase_names(text, taken)
    spans += _find_lone_lowercase_first_names(text, taken)
    return spans


def _find_lone_lowercase_first_names(text: str, taken: list[tuple[int, int]]) -> list[PiiSpan]:
    """A lower-case first name standing alone that is no word at all, nor a place: "enligt
    margareta", "när åsa är sjuk", "/stina".  One that is a word ("per", "bo", "sten",
    "vilja") still needs context: signing the comment ("/stig"), a title after it ("när lasse
    slutar som ordförande"), or that of :func:`_find_lowercase_names`.  Runs last, so that a
    longer name ("nguyen thi lan") is found whole first."""
    k = name_knowledge()
    lower_words = LOWER_WORDS.findall(text)
    if k.first_lower.isdisjoint(lower_words) and k.world_lower.isdisjoint(lower_words):
        return []
    spans: list[PiiSpan] = []
    found_before = list(taken)
    for m in LOWER_WORD.finditer(text):
        start, end, w = m.start(), m.end(), m.group()
        if (len(w) < 3 or not w.islower() or _overlaps(start, end, taken)
                or w in _stop_words() or w.capitalize() in k.places):
            continue
        apposition = text[max(0, start - 2):start] == ", " and text[end:end + 1] == ","
        if w not in k.first_lower:
            # a name of another origin, no word, between commas or after a title: "från en
            # anhörig, tuula, som ringde" (set 31); the cheap tests first
            if not (w in k.world_lower and (apposition or _titled_before(text, start, k)) and not is_word(w)):
                continue
        elif is_word(w) and not (SIGNATURE_BEFORE.search(text, max(0, start - 16), start)
                                 or _title_after(text, end, k) or apposition):
            continue  # a first name that is a word ("stig", "lasse") only signing or before "som ordförande"
        if any(e == start - 1 and text[e] == " " for _, e in found_before):
            continue  # right after a name found before ("nguyen thi"): _complete_names takes it whole
        if spans and text[spans[-1].end:start] == " ":  # "amina yusuf": one name of two parts
            start = spans.pop().start
            taken.pop()
        spans.append(PiiSpan("name", start, end))
        taken.append((start, end))
    return spans


def _unit_after(after: str, k: NameKnowledge) -> bool:
    """``after`` opens with "på ekonomi", "i ekonomiutskottet", "från kansliet" ..."""
    m = UNIT_AFTER.match(after)
    if m is None:
        return False
    unit = m.group(1).lower()
    return unit in k.units or unit.endswith(k.unit_suffixes)


MONTHS_AND_DAYS = frozenset({"Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti",
                             "September", "Oktober", "November", "December", "Måndag", "Tisdag",
                             "Onsdag", "Torsdag", "Fredag", "Lördag", "Söndag"})
LOWER_NEXT = re.compile(r"[ \t]+[a-zåäöéü]")
COMMA_LOWER_NEXT = re.compile(r",[ \t]+[a-zåäöéü]")  # "Nu senast Dag, som slutade"
CONTACT_BEFORE = re.compile(r"(?<![\w-])(?:fråga|frågar|frågade|sök|söka)[ \t]+efter[ \t]+$", re.IGNORECASE)
ARTICLE_BEFORE = re.compile(r"(?<![\w-])(?:en|ett|den|det|min|vår|er)[ \t]+$", re.IGNORECASE)  # "en Björk": a noun


def _lower_next(text: str, end: int) -> bool:
    """The next word is in lower case."""
    return LOWER_NEXT.match(text, end) is not None


APPOSITION = re.compile(r",[ \t]+((?:[^\W\d_]+[ \t]+){0,3}[^\W\d_]+)")
SIGNATURE_BEFORE = re.compile(r"(?:(?<![\w/])/|(?<![\w-])(?:[Mm]vh|MVH|[Hh]älsningar|[Hh]älsning)[,:]?)[ \t]*$")
SIGNATURE_END = re.compile(r"[ \t.!]*$")


AS_TITLE_AFTER = re.compile(r"[ \t]+(?:[^\W\d_]+[ \t]+)?som[ \t]+([^\W\d_]+)")
WITH_PRONOUN_AFTER = re.compile(r"[ \t]+och[ \t]+(?:jag|mig|vi)(?![\w-])")
WITH_PRONOUN_BEFORE = re.compile(r"(?<![\w-])(?:[Jj]ag|[Mm]ig|[Vv]i)[ \t]+och[ \t]+$")


def _title_after(text: str, end: int, k: NameKnowledge) -> bool:
    """A title follows as "som <title>", one word between at most: "lasse slutar som ordförande"."""
    m = AS_TITLE_AFTER.match(text, end)
    return m is not None and (m.group(1).lower() in k.titles or m.group(1).lower().endswith(k.title_suffixes))


def _with_pronoun(text: str, start: int, end: int) -> bool:
    """Joined to "jag", "mig" or "vi" by "och": "Sten och jag har begärt" (set 25)."""
    return (WITH_PRONOUN_AFTER.match(text, end) is not None
            or WITH_PRONOUN_BEFORE.search(text, max(0, start - 12), start) is not None)


def _titled_apposition(text: str, end: int, is_title) -> bool:
    """A title follows in apposition, within four words after a comma: "Björk, den politiska
    sekreteraren"."""
    m = APPOSITION.match(text, end)
    return m is not None and any(is_title(w) for w in m.group(1).split())


def _capitalised_before(text: str, start: int) -> bool:
    """The word before is capitalised and not the first of its sentence ("Plan För Mats")."""
    prev = PREVIOUS_WORD.search(text, max(0, start - 40), start)
    return prev is not None and prev.group(1)[:1].isupper() and not _sentence_initial(text, prev.start(1))


def _find_lowercase_names(text: str, taken: list[tuple[int, int]]) -> list[PiiSpan]:
    """Names written in lower case ("lena på ekonomi", "karl-johan", "anna svensson").

    Lower-case first names are ordinary words too often to be taken alone, so one is a
    name only with context: a double first name, a surname after it, a title before
    it, a unit or a party letter after it."""
    k = name_knowledge()
    spans: list[PiiSpan] = []
    lower_words = LOWER_WORDS.findall(text)
    if (k.first_lower.isdisjoint(lower_words) and k.world_lower.isdisjoint(lower_words)
            and k.last_lower.isdisjoint(lower_words)):
        return spans  # most texts: no lower-case word is a name
    for m in LOWER_WORD.finditer(text):
        start, end, w = m.start(), m.end(), m.group()
        if not w.islower() or _overlaps(start, end, taken):
            continue
        parts = [p.capitalize() for p in w.split("-")]
        if len(w) < 3:
            continue
        swedish_first = all(p in k.first for p in parts)
        if not swedish_first and not all(p in k.world for p in parts):
            if all(p in k.last for p in parts) and parts[0] not in k.ambiguous and (
                    (not is_word(w) and _lowercase_surname_context(text, start, end, k))
                    or (_sson_surname(w)  # "utom från svensson" (training p),
                        and not COMMON_SVENSSON.search(text, max(0, start - 12), start))):  # not "en vanlig svensson"
                spans.append(PiiSpan("name", start, end))  # "förtroendet för lundgren på ekonomi"
                taken.append((start, end))
            continue
        nxt = NEXT_WORD.match(text, end)
        nxt_cap = nxt.group(1).capitalize() if nxt is not None else ""
        surname = nxt is not None and nxt_cap in k.last and nxt_cap not in k.ambiguous
        # a second name part of any origin ("amina yusuf", "fatima ali"), or a word that is
        # no Swedish or English word ("hamid rezaei")
        second = (nxt is not None and nxt.group(1).islower() and nxt_cap not in k.ambiguous
                  and (nxt_cap in k.last or nxt_cap in k.world or nxt_cap in k.first
                       or (nxt.group(1) not in _stop_words() and not is_word(nxt.group(1)))))
        titled = _titled_before(text, start, k)
        after = text[end:end + 40]
        after_pair = text[nxt.end():nxt.end() + 40] if second else ""
        pair_context = second and (titled or PARTY.match(after_pair) is not None
                                   or _unit_after(after_pair, k)
                                   or SIGNATURE_BEFORE.search(text, max(0, start - 16), start) is not None)  # "/juha virtanen"
        if swedish_first:
            context = (len(parts) > 1 or surname or titled or PARTY.match(after) is not None
                       or _unit_after(after, k) or pair_context)
        else:
            # a name of another origin in lower case needs two name parts and a title
            # before them or a unit or party letter after them ("fatima ali på hr")
            context = pair_context
        if not context or (len(parts) == 1 and parts[0] in k.ambiguous and not surname):
            continue
        if surname or pair_context:
            end = nxt.end()
        else:
            # particles and a surname after a first name taken with context ("jonna van der meer")
            particle = PARTICLES_NEXT.match(text, end)
            if particle is not None and particle.group(2).islower() and particle.group(2) not in _stop_words():
                end = particle.end()
        spans.append(PiiSpan("name", start, end))
        taken.append((start, end))
    return spans


def _titled_before(text: str, start: int, k: NameKnowledge) -> bool:
    """A title ends right before ``start`` ("ekonomichef", "handläggaren,")."""
    prev = TITLE_BEFORE.search(text, max(0, start - 40), start)
    lw_prev = prev.group(1).lower() if prev else ""
    return bool(lw_prev) and (lw_prev in k.titles or lw_prev.endswith(k.title_suffixes))


def _lowercase_surname_context(text: str, start: int, end: int, k: NameKnowledge) -> bool:
    """A listed surname in lower case is a name before a unit or party letter ("lundgren på
    ekonomi", "lundgren (m)") or after a title ("ekonomichef sjödin")."""
    after = text[end:end + 40]
    return _titled_before(text, start, k) or PARTY.match(after) is not None or _unit_after(after, k)


@lru_cache(maxsize=200_000)
def _could_be_lowercase_name(word: str) -> bool:
    """A lower-case word that is not a stop word, title or ambiguous name: it may be part of
    an unlisted name (the rest is decided by its neighbour and context). Remembered per word."""
    k = name_knowledge()
    return not (len(word) < 2 or word in _stop_words() or word in k.titles or word.endswith(k.title_suffixes)
                or word.capitalize() in k.ambiguous)


def _find_unlisted_lowercase_names(text: str, taken: list[tuple[int, int]]) -> list[PiiSpan]:
    """Two lower-case words in a row that are neither words nor stop words, right after
    a title or a contact verb ("samordnare mohammed al-amin", "fråga shirin moradi") or
    right before a unit or party letter ("… i kommunstyrelsen", "… (s)")."""
    k = name_knowledge()
    spans: list[PiiSpan] = []
    words = [m for m in LOWER_WORD.finditer(text) if m.group().islower() and m.group() not in PARTICLES]
    could = [_could_be_lowercase_name(m.group()) for m in words]  # most pairs end here, word by word
    for i, (a, b) in enumerate(zip(words, words[1:])):
        if not (could[i] and could[i + 1]):
            continue
        first, second = a.group(), b.group()
        if not _joined(text, a.end(), b.start()) or _overlaps(a.start(), b.end(), taken):
            continue
        prev = TITLE_BEFORE.search(text, max(0, a.start() - 40), a.start())
        lw_prev = prev.group(1).lower() if prev else ""
        if prev is not None and lw_prev == "gärna":  # "ring gärna …"
            prev = PREVIOUS_WORD.search(text, max(0, prev.start() - 40), prev.start())
            lw_prev = prev.group(1).lower() if prev else ""
        after = text[b.end():b.end() + 40]
        context = (lw_prev in k.titles or lw_prev.endswith(k.title_suffixes) or lw_prev in CONTACT_VERBS
                   or PARTY.match(after) is not None or _unit_after(after, k))
        if not context or is_word(first) or is_word(second):
            continue
        spans.append(PiiSpan("name", a.start(), b.end()))
        taken.append((a.start(), b.end()))
    return spans


# Initials joined by a hyphen before a name ("J-O Lindh", "K-G Svensson", "P.-O. Ek"), or one
# initial with its full stop ("E. Sundqvist").
INITIALS_BEFORE = re.compile(r"(?<![\w-])[A-ZÅÄÖ](?:\.?(?:-[A-ZÅÄÖ]\.?)+|\.)[ \t]+$")
# A room, hall, vessel, tram or train named after a person ("i rummet Linnea", "konferensrummet
# Tor", "sal Ebba", "linfärjan Elsa", "M/S Selma Lagerlöf", "bogserbåten Hedvig", "HMS Gustav
# Vasa", "Spårvagnen Anders Celsius"), or a royal ("Drottning Kristinas väg"): the word before the
# name says it is no person who could be identified.
NAMESAKE_BEFORE = re.compile(r"(?<![\w-])(?:\w*rummet|\w*salen|\w*lokalen|rum|sal|\w*färjan|färja|\w*båten|\w*fartyget|"
                             r"skeppet|\w*bussen|\w*vagnen|\w*tåget|M/[SFT]|HMS|drottning|drottningen|kung|kungen|"
                             r"konung|prins|prinsessa|prinsessan|villa|villan|sankt|s:t)[ \t]+$", re.IGNORECASE)  # "Villa Fanny",
# "Sankt Olofs skola" (training q)
# A name that is the first part of an institution's name ("Ebba Brahe-skolan", "Ebba-skolan").
INSTITUTION = ("skolan", "skola", "förskolan", "gymnasiet", "gymnasium", "huset", "hallen", "salen", "parken",
               "sjukhuset", "vägen", "gatan", "torget", "platsen", "stranden", "backen", "hamnen", "kajen",
               "allén", "bryggan", "udden", "stiftelsen", "institutet", "priset", "rapporten",
               "dagen", "museet", "muséet", "biblioteket", "kyrkan", "centret", "centrum", "gården", "hemmet",
               "boendet", "akademin", "modellen", "metoden", "rummet")
# A full name in the genitive before an indefinite institution noun names the institution
# ("Astrid Lindgrens förskola", "Selma Lagerlöfs gymnasium"); one word ("Eriks förskola") may be a person's.
GENITIVE_INSTITUTION = ("förskola", "skola", "grundskola", "gymnasium", "sjukhus", "äldreboende", "boende",
                        "park", "väg", "gata", "torg", "plats", "gård", "hem", "hus", "hall", "bibliotek",
                        "museum", "kyrka", "stiftelse", "pris", "värld", "center", "akademi", "minne",
                        "strand", "backe", "hamn", "kaj", "allé", "brygga", "udde")  # "Ellen Keys Strand" (set 31)
GENITIVE_INSTITUTION_AFTER = re.compile(rf"[ \t]+(?:{'|'.join(GENITIVE_INSTITUTION)})\b", re.IGNORECASE)
# A surname given as its initial after a first name ("Jonas L.", "Jonas L sa"); not a middle initial.
TRAILING_INITIAL = re.compile(r"[ \t]+[A-ZÅÄÖ]\.?(?![\w-])(?![ \t]+[A-ZÅÄÖ][a-zåäö])")
def _sson_surname(word: str) -> bool:
    """A "-sson" surname: no Swedish word ends so, though the dictionary splits some into two
    words ("Alvarsson") or lists one as a word ("svensson", an average Swede)."""
    return len(word) > 6 and word.lower().endswith("sson")


COMMON_SVENSSON = re.compile(r"(?<![\w-])(?:en|vanlig|vanliga)[ \t]+$", re.IGNORECASE)
FIRM_FORM_AFTER = re.compile(r"[ \t]+(?:AB|HB|KB)(?![\w-])")  # "Bengt Dahlgren AB" (training p): a firm
LEX_BEFORE = re.compile(r"(?<![\w-])[Ll]ex[ \t]+$")  # "lex Sarah", "Lex Maria" (Swedish laws named after people)
INSTITUTION_AFTER = re.compile(rf"(?:[ \t]+[A-ZÅÄÖ][^\W\d_]*)?-(?:{'|'.join(INSTITUTION)})s?\b", re.IGNORECASE)
# ... or is followed by one capitalised compound ending in an institution noun ("Selma Lagerlöfskolan")
INSTITUTION_WORD_AFTER = re.compile(rf"[ \t]+[A-ZÅÄÖ][^\W\d_]{{2,}}?(?:{'|'.join(INSTITUTION)})s?\b")  # also "…skolans"


def _complete_names(text: str, spans: list[PiiSpan]) -> list[PiiSpan]:
    """Name spans made whole: hyphenated initials before a name join it; a lower-case name
    goes on while the next lower-case word is a name part ("nguyen thi lan", "anna lind"
    after a title); a surname initial after a name joins it ("Jonas L."); a first name that
    begins an institution's name ("Ebba Brahe-skolan", "Astrid Lindgrens förskola", "Sara
    Lidmangården"), or follows "lex", is no person's name."""
    k = name_knowledge()
    out: list[PiiSpan] = []
    for span in spans:
        if span.kind != "name":
            out.append(span)
            continue
        start, end = span.start, span.end
        if (INSTITUTION_AFTER.match(text, end) or INSTITUTION_WORD_AFTER.match(text, end)
                or FIRM_FORM_AFTER.match(text, end)
                or LEX_BEFORE.search(text, max(0, start - 8), start)
                or NAMESAKE_BEFORE.search(text, max(0, start - 30), start)):
            continue  # "Ebba Brahe-skolan", "Selma Lagerlöfskolan": schools; "lex Sarah", "Lex Maria": laws;
            # "i rummet Linnea": a meeting room; "linfärjan Elsa": a ferry
        words = text[start:end].split()
        if len(words) >= 2 and text[end - 1] == "s" and text[start:end].istitle() \
                and GENITIVE_INSTITUTION_AFTER.match(text, end):
            continue  # "Astrid Lindgrens förskola"
        if len(words) >= 3 and words[-2].endswith("s") and words[-1].lower() in GENITIVE_INSTITUTION:
            continue  # "Ellen Keys Strand", "Gustaf Adolfs Torg": the place noun taken into the name (set 31)
        if len(words) >= 2 and any(words[-1].lower().endswith(suffix) and len(words[-1]) > len(suffix) + 2
                                   for suffix in INSTITUTION):
            continue  # "Sara Lidmangården", "Ellen Keyskolan": a place named after a person, in the definite
        if (trailing := TRAILING_INITIAL.match(text, end)) is not None and text[start:end].istitle():
            end = trailing.end()  # "Jonas L."
        initials = INITIALS_BEFORE.search(text, max(0, start - 12), start)
        if initials is not None:
            start = initials.start()
        if len(text[start:end].split()) == 1 and (prev := PREVIOUS_WORD.search(text, max(0, start - 40), start)):
            w = prev.group(1)
            if (text[prev.end(1):start] == " " and w[:1].isupper() and not w.isupper()
                    and (w in k.first or w in k.world) and w not in k.not_names):
                start = prev.start(1)  # "Per Strömbäck (M)": a first name that is also a word, too
        nxt = NEXT_WORD.match(text, end)
        if (nxt is not None and text[span.start:end][:1].isupper() and nxt.group(1)[:1].isupper()
                and nxt.group(1) in k.last):
            end = nxt.end()  # "Alex Sarah" + "Berg": a surname that is also a word ("berg") still belongs
        if text[span.start:end].islower():
            while (nxt := NEXT_WORD.match(text, end)) is not None:
                word = nxt.group(1)
                cap = word.capitalize()
                after = text[nxt.end():nxt.end() + 40]
                third_part = (len(text[start:end].split()) >= 2  # "nguyen thi" + "lan" + " i socialnämnden"
                              and (PARTY.match(after) is not None or _unit_after(after, k)))
                if not (word.islower() and len(word) >= 2 and word not in _stop_words()
                        and (cap in k.last or cap in k.world or cap in k.first or not is_word(word) or third_part)):
                    break
                end = nxt.end()
        out.append(PiiSpan(span.kind, start, end) if (start, end) != (span.start, span.end) else span)
    return out


COORDINATED_AFTER = re.compile(r"[ \t]*(?:,|och|eller|samt)[ \t]+([^\W\d_][^\W\d_]*(?:-[^\W\d_]+)*)(?![\w-])")
COORDINATED_BEFORE = re.compile(r"(?<![\w-])([^\W\d_][^\W\d_]*(?:-[^\W\d_]+)*)[ \t]*(?:,|och|eller|samt)[ \t]+$")


def _coordinated_names(text: str, spans: list[PiiSpan], taken: list[tuple[int, int]]) -> list[PiiSpan]:
    """A capitalised word joined by "och", "eller", "samt" or a comma to a found name is a
    name too when it is a name part (even one that is also a word) or no word at all:
    "Eriksson och Pekkari", "Sten och Britt i ledningen".  Places, bodies, titles and
    function words are not ("Eriksson och Socialstyrelsen")."""
    k = name_knowledge()
    out: list[PiiSpan] = []
    for span in [s for s in spans if s.kind == "name"]:
        for m in (COORDINATED_AFTER.match(text, span.end),
                  COORDINATED_BEFORE.search(text, max(0, span.start - 40), span.start)):
            if m is None:
                continue
            w = m.group(1)
            if (not w[:1].isupper() or w.isupper() or _overlaps(m.start(1), m.end(1), taken)
                    or w in k.keep or w in k.not_names or w.lower().endswith(k.keep_suffixes)
                    or w.lower() in k.titles or w.lower().endswith(k.title_suffixes)
                    or w in k.places or _function_word(w)):
                continue
            if w in k.first or w in k.last or w in k.world or w in k.ambiguous or not is_word(w):
                out.append(PiiSpan("name", m.start(1), m.end(1)))
                taken.append((m.start(1), m.end(1)))
    return out


def find_pii(text: str, *, party: bool = True) -> list[PiiSpan]:
    """Personal data in ``text`` as spans of the original text, in text order.

    ``party=False`` keeps party letters such as "(S)"; by default they are redacted
    (party affiliation is sensitive personal data)."""
    taken: list[tuple[int, int]] = []
    spans = [PiiSpan("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    taken.extend((s.start, s.end) for s in spans)
    if OBFUSCATED_HINT.search(text):
        for m in OBFUSCATED_EMAIL.finditer(text):
            if not _overlaps(m.start(), m.end(), taken):
                spans.append(PiiSpan("email", m.start(), m.end()))
                taken.append((m.start(), m.end()))
    spans += _find_numbers(text, taken)
    k = name_knowledge()
    if k.keep_phrases is not None and any(head in text for head in k.keep_heads):
        taken.extend(m.span() for m in k.keep_phrases.finditer(text))  # "Arthur D. Little": a firm
    if ADDRESS_HINT.search(text):
        for m in ADDRESS.finditer(text):
            if not _overlaps(m.start(), m.end(), taken):
                spans.append(PiiSpan("address", m.start(), m.end()))
                taken.append((m.start(), m.end()))
    spans = _complete_names(text, spans + _find_names(text, taken))
    spans += _coordinated_names(text, spans, taken)
    if party and "(" in text:
        as_party_end = -1  # end of the last letters that named the party
        ranges = [r.span() for r in PARTY_RANGE.finditer(text)]  # "alla partier från (V) till (SD)"
        for m in LOCAL_PARTY.finditer(text):
            # a local party's letters right after a name: "Kjell-Åke Lundberg (SkP)" (set 24)
            if _name_before(text, m.start(), spans) and not _overlaps(m.start(), m.end(), taken):
                spans.append(PiiSpan("party", m.start(), m.end()))
                taken.append((m.start(), m.end()))
        for m in PARTY_MENTION.finditer(text):
            if any(a <= m.start() < b for a, b in ranges):
                continue
            if not _name_before(text, m.start(), spans) and (
                    PARTY_OPENS_CLAUSE.search(text, max(0, m.start() - 20), m.start())
                    or PARTY_RULES_AFTER.match(text, m.end())
                    or (as_party_end >= 0 and PARTY_JOINED.fullmatch(text[as_party_end:m.start()]))):
                as_party_end = m.end()
                continue  # "(M) och (KD) vill behålla den": the parties, no person's affiliation
            if not _overlaps(m.start(), m.end(), taken):
                spans.append(PiiSpan("party", m.start(), m.end()))
                taken.append((m.start(), m.end()))
    return sorted(spans, key=lambda s: s.start)


def _name_before(text: str, start: int, spans: list[PiiSpan]) -> bool:
    """A name span ends right before ``start`` (only blanks between)."""
    return any(s.kind == "name" and not text[s.end:start].strip() for s in spans if s.end <= start)


def redact(text: str, *, party: bool = True) -> Redacted:
    """Replace e-mail addresses (also disguised ones), phone numbers,
    personnummer/samordningsnummer, street addresses, personal names and party letters
    in ``text`` with [E-POST], [TELEFON], [PERSONNUMMER], [ADRESS], [NAMN] and [PARTI]."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    redacted, found = _redact(text, party)
    return Redacted(redacted, list(found))


@lru_cache(maxsize=200_000)
def _redact(text: str, party: bool) -> tuple[str, tuple[PiiSpan, ...]]:
    """``redact`` remembered per text for the life of the process (in memory only): the
    analysis redacts the comments the store has just redacted, and a text in which nothing
    was found comes back as it was, so its second redaction is a look-up (at 100,000
    comments about a quarter of `tillit analyse`'s time)."""
    found = find_pii(text, party=party)
    if not found:
        return text, ()
    out: list[str] = []
    pos = 0
    for span in found:
        out.append(text[pos:span.start])
        out.append(PLACEHOLDER[span.kind])
        pos = span.end
    out.append(text[pos:])
    return "".join(out), tuple(found)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """spaCy's Swedish stop words, imported on first use (spaCy stays out of `tillit --help`)."""
    from spacy.lang.sv.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


# Names are looked up in simplemma's dictionaries and spaCy's stop words: when the dictionaries
# are still being written by another process (a first run), spaCy's import (0.5 s) is done while waiting.
while_waiting_for_dictionaries(_stop_words)
