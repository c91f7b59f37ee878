"""Recognising comments that say nothing ("-", "Vet ej", "se ovan", "Inga kommentarer")."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from tillit.survey.yamlio import load_yaml


_PUNCT = re.compile(r"[^\w\s/?-]+")


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern, re.Pattern, int]:
    data = load_yaml(
        resources.files("tillit.nlp").joinpath("data/noninformative.yaml").read_text("utf-8")
    )
    exact = re.compile("|".join(f"(?:{p})" for p in data["exact"]))
    short = re.compile("|".join(f"(?:{p})" for p in data["short"]))
    return exact, short, int(data.get("short_max_words", 12))


def normalise(text: str) -> str:
    text = _PUNCT.sub(" ", text.lower())
    return " ".join(text.split()).strip(" .?!-")


def is_informative(text: str, *, has_theme: bool = False) -> bool:
    """False for empty and stock answers; short 'vet inte ...' answers count as
    non-informative only when no theme term was found in them."""
    exact, short, max_words = _rules()
    norm = normalise(text)
    if exact.fullmatch(norm):
        return False
    if not has_theme and len(norm.split()) <= max_words and short.match(norm):
        return False
    return True
