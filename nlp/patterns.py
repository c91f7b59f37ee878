"""Lemma patterns shared by the theme taxonomy and the sentiment lexicon.

A pattern is one or more space-separated elements; each element is matched against a
token's lemma and its lower-cased form:

* ``mål``   the exact form
* ``mål*``  a form starting with ``mål`` (målen, målstyrning)
* ``*mål``  a form ending with ``mål`` (compounds such as verksamhetsmål)
* ``*kvalitet*`` a form containing ``kvalitet``

Several elements match tokens in a row ("brist på", "vem gör vad").

An *exception* (one element, same syntax) names forms a key's single-word patterns must
not match: with the exception ``förtroendevald*`` for tillit, ``förtroende*`` no longer
fires on "förtroendevalda".  Phrases are not affected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Hit:
    """A pattern that matched tokens ``start:end`` and yields ``weight`` for ``key``."""

    start: int
    end: int
    key: Hashable
    weight: float


def _element_test(element: str):
    """Return a predicate on a single form for one pattern element."""
    if element.startswith("*") and element.endswith("*") and len(element) > 2:
        core = element[1:-1]
        return lambda form: core in form
    if element.endswith("*"):
        core = element[:-1]
        return lambda form: form.startswith(core)
    if element.startswith("*"):
        core = element[1:]
        return lambda form: form.endswith(core)
    return lambda form: form == element


class PatternMatcher:
    """Finds weighted pattern hits in a token sequence (greedy, longest phrase first)."""

    def __init__(self, entries: Iterable[tuple[str, Hashable, float]],
                 exceptions: Iterable[tuple[str, Hashable]] = ()):
        self._not = [(_element_test(e.lower()), key) for e, key in exceptions]
        self._exact: dict[str, list[tuple[Hashable, float]]] = defaultdict(list)
        self._wild: list[tuple[object, Hashable, float]] = []
        # phrases indexed by their first element (exact) or kept in a scan list
        self._phrases_exact: dict[str, list[tuple[tuple, Hashable, float]]] = defaultdict(list)
        self._phrases_wild: list[tuple[object, tuple, Hashable, float]] = []
        for pattern, key, weight in entries:
            elements = pattern.lower().split()
            if not elements:
                continue
            if len(elements) == 1:
                element = elements[0]
                if "*" in element:
                    self._wild.append((_element_test(element), key, float(weight)))
                else:
                    self._exact[element].append((key, float(weight)))
                continue
            rest = tuple(_element_test(e) for e in elements[1:])
            first = elements[0]
            if "*" in first:
                self._phrases_wild.append((_element_test(first), rest, key, float(weight)))
            else:
                self._phrases_exact[first].append((rest, key, float(weight)))
        self.single = lru_cache(maxsize=200_000)(self._single)
        self._phrase_candidates = lru_cache(maxsize=200_000)(self._phrase_candidates_uncached)
        self._token_cached = lru_cache(maxsize=200_000)(self._token)

    def _single(self, word: str, lemma: str) -> tuple[tuple[Hashable, float], ...]:
        """Hits of single-token patterns on one token, strongest weight per key."""
        best: dict[Hashable, float] = {}
        forms = (lemma,) if lemma == word else (lemma, word)
        for form in forms:
            for key, weight in self._exact.get(form, ()):
                if key not in best or abs(weight) > abs(best[key]):
                    best[key] = weight
            for test, key, weight in self._wild:
                if test(form) and (key not in best or abs(weight) > abs(best[key])):
                    best[key] = weight
        if best and self._not:
            for test, key in self._not:
                if key in best and any(test(form) for form in forms):
                    del best[key]
        return tuple(best.items())

    def _phrase_candidates_uncached(self, word: str, lemma: str) -> tuple:
        found = list(self._phrases_exact.get(lemma, ()))
        if word != lemma:
            found += self._phrases_exact.get(word, ())
        for test, rest, key, weight in self._phrases_wild:
            if test(lemma) or test(word):
                found.append((rest, key, weight))
        return tuple(found)

    def _token(self, word: str, lemma: str) -> tuple[tuple, tuple]:
        """(phrase candidates starting here, single-token hits), cached per form pair."""
        return self._phrase_candidates(word, lemma), self.single(word, lemma)

    def find(self, words: Sequence[str], lemmas: Sequence[str]) -> list[Hit]:
        """All hits in the sequence; phrases win over the single words they cover."""
        hits: list[Hit] = []
        token = self._token_cached
        n = len(words)
        i = 0
        while i < n:
            phrases, singles = token(words[i], lemmas[i])
            longest = 0
            for rest, key, weight in phrases:
                end = i + 1 + len(rest)
                if end <= n and all(test(lemmas[j]) or test(words[j])
                                    for test, j in zip(rest, range(i + 1, end))):
                    hits.append(Hit(i, end, key, weight))
                    longest = max(longest, end - i)
            if longest:
                i += longest
                continue
            for key, weight in singles:
                hits.append(Hit(i, i + 1, key, weight))
            i += 1
        return hits


def parse_term(term: object) -> tuple[str, float]:
    """A YAML term is either ``"pattern"`` or ``{"pattern": weight}``."""
    if isinstance(term, str):
        return term, 1.0
    if isinstance(term, dict) and len(term) == 1:
        (pattern, weight), = term.items()
        return str(pattern), float(weight)
    raise ValueError(f"Ogiltig term i taxonomin: {term!r} (skriv 'ord' eller 'ord: vikt')")
