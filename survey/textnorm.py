"""Forgiving text normalisation used to match export headers and answer labels."""

from __future__ import annotations

import difflib
import re
import unicodedata

_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


def normalise(text: object) -> str:
    """Lower-case, unify Unicode, drop punctuation and collapse whitespace.

    "Anser du att … tjänstepersoner? " and "anser du att ... tjänstepersoner" become equal.
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ").casefold()
    s = _PUNCT.sub(" ", s)
    return " ".join(s.split())


def closest(candidate: str, known: list[str]) -> str | None:
    """The known text most like `candidate`, or None when nothing is close."""
    by_norm = {normalise(k): k for k in known}
    hits = difflib.get_close_matches(normalise(candidate), list(by_norm), n=1, cutoff=0.5)
    return by_norm[hits[0]] if hits else None
