"""Swedish compound splitting with simplemma's own word list: målarbete → mål + arbete.

Swedish writes compounds as one word, so "Gemensamt målarbete" and "Gemensam mål och
underlag" share no word until "målarbete" is split. A word is split in two where both
parts are words simplemma knows (the first part also with a linking -s or -e dropped:
"visions|dag" → vision + dag); of several such splits the one with the longest second part
(the head) wins, a split at a linking -s first. Parts that are prefixes or function words ("för|troende",
"upp|följning") are never a first part. Nothing is downloaded: the lexicon ships in the
simplemma wheel.
"""

from __future__ import annotations

from functools import lru_cache


from .text import lemmatize, stop_words

MIN_PART = 3  # letters in the first part
MIN_HEAD = 3  # letters in the second part
# a word simplemma knows as a whole is split only into longer parts ("gemensam" is not gem + ensam),
# unless a linking -s marks the seam ("verksamhets|mål")
MIN_PART_KNOWN, MIN_HEAD_KNOWN = 4, 5
MIN_STEM = 5  # letters in a first part that is a stem of its word ("medborgar|")
# first parts that are prefixes or particles, not words of their own in a compound
PREFIXES = frozenset({"för", "sam", "miss", "upp", "ut", "in", "av", "till", "över", "under", "efter", "fram",
                      "bort", "med", "mot", "om", "på", "vid", "åter", "bi", "an", "be", "er", "ur", "all",
                      "gen", "van", "o", "sär", "del", "led", "sin", "men", "samman", "sam"})


# derivational endings that are also words of their own: never the head of a compound
SUFFIXES = frozenset({"ende", "ande", "het", "heten", "ning", "else", "skap", "dom", "ism", "ist", "are", "ing", "ering", "ring"})


def _known(word: str) -> bool:
    from .cache import is_known  # simplemma's answer, remembered across runs

    return is_known(word)


def _first_parts(left: str) -> list[str]:
    """The first part as written, and without a linking -s or -e."""
    out = [left]
    if len(left) > MIN_PART and left[-1] in "se":
        out.append(left[:-1])
    return out


def _modifier_base(left: str, head: str) -> str | None:
    """The base form of a compound's first part, or None when it is no word's stem.

    A first part is often a stem, not the word itself: "medborgar|dialog" (medborgare),
    "medarbetar|enkät" (medarbetare), "kvinno|jour" (kvinna). It is accepted as its own
    lemma, or completed with the -e it lost ("förtroend|evald" is no such seam: the -e is
    there) or with -a for -o."""
    if _known(left) and lemmatize(left) == left:
        return left
    if len(left) < MIN_STEM:
        return None
    lost_e = not (head.startswith("e") and _known(head[1:]))  # "förtroend|evald" is förtroende|vald
    for base in (left + "e" if lost_e else "", left[:-1] + "a" if left.endswith("o") else ""):
        if base and _known(base) and lemmatize(base) == base:
            return base
    return None


@lru_cache(maxsize=100_000)
def split_compound(word: str) -> tuple[str, ...]:
    """Lemmas of the two parts of a compound, or (lemma,) when the word is not one.

    The word's lemma is split (so inflections do not make parts: "verksamheten" is not
    verksam + heten), and both parts are given in their base forms: the first part's stem
    becomes its word ("medborgar|dialog" → medborgare + dialog)."""
    lemma = lemmatize(word.lower())
    whole = lemma
    known = _known(whole)
    min_part = MIN_PART_KNOWN if known else MIN_PART
    min_head = MIN_HEAD
    if len(whole) < min_part + min_head:
        return (whole,)
    stops = stop_words()
    splits = []  # (linking letter dropped, head length, first part, head)
    for i in range(min_part, len(whole) - min_head + 1):
        head = whole[i:]
        if head in SUFFIXES or not _known(head):
            continue
        for left in _first_parts(whole[:i]):
            linked = left != whole[:i]
            if len(left) < min_part or left in PREFIXES or left in stops:
                continue
            base = _modifier_base(left, head)
            if base is None or base in PREFIXES or base in stops or (linked and base != left) or \
                    (known and not linked and len(head) < MIN_HEAD_KNOWN):
                continue  # the first part must be a base form or its stem ("fört|roende" is no compound)
            splits.append((linked, len(head), base, head))
    if not splits:
        return (whole,)
    _, _, left, head = max(splits)  # a linking -s/-e first ("verksamhets|mål"), then the longest head
    # the head of a known lemma is already a base form ("miljö|plan", not "plana")
    # (and an uninflected head stays as it is: "medborgar|panel", not "panela")
    inflected = not known and head.endswith(("ar", "er", "or", "en", "et", "na", "rna", "n"))
    return (left, lemmatize(head) if inflected else head)
