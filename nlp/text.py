"""The one spaCy pass: tokens, lower-cased words, lemmas and sentences.

By default a blank Swedish pipeline (``spacy.blank("sv")``, sentences split on
. ! ? like spaCy's sentencizer) with lemmas from ``simplemma``; nothing is downloaded.  A bigger pipeline installed as a
Python package can be plugged in with ``TILLIT_SPACY_MODEL=<package name>`` or
``use_pipeline(...)``: its own lemmatizer and sentence boundaries are then used.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from tillit import settings

if TYPE_CHECKING:
    from spacy.language import Language

# spaCy and simplemma (with its Swedish lemma dictionary) load on the first comment, not on
# import: commands that never see a comment (`tillit --help`, `results`, `compare`) skip them.

MODEL_ENV = settings.env("spacy_model")
SENTENCE_END = frozenset({".", "!", "?", "…", "!!", "?!", "...", "\n", "\n\n"})
PLACEHOLDERS = ("[NAMN]", "[E-POST]", "[TELEFON]", "[PERSONNUMMER]", "[ADRESS]", "[PARTI]")


@dataclass(frozen=True, slots=True)
class Processed:
    """One text after tokenisation: parallel word/lemma tuples and sentence spans."""

    text: str
    words: tuple[str, ...]  # lower-cased token texts
    lemmas: tuple[str, ...]  # lower-cased lemmas (punctuation kept as is)
    is_word: tuple[bool, ...]  # alphabetic token, not a placeholder
    sentences: tuple[tuple[int, int, str], ...]  # (token start, token end, text)

    def content_lemmas(self, stop_words: frozenset[str]) -> list[str]:
        return [
            lemma
            for lemma, ok in zip(self.lemmas, self.is_word)
            if ok and len(lemma) > 2 and lemma not in stop_words
        ]


@lru_cache(maxsize=300_000)
def lemmatize(word: str) -> str:
    """Lower-cased simplemma lemma of a lower-cased Swedish word (cached)."""
    from .cache import lemmatize as simplemma_lemma  # simplemma's answer, remembered across runs

    return simplemma_lemma(word).lower()


_pipeline: Language | None = None


def use_pipeline(pipeline: Language | str | None) -> Language:
    """Set the pipeline used by :func:`process` (a Language, an installed package name,
    or None for the blank default) and return it."""
    global _pipeline
    import spacy
    from spacy.symbols import ORTH

    if pipeline is None:
        nlp = spacy.blank("sv")  # sentences are split in process(): faster than a sentencizer
    elif isinstance(pipeline, str):
        nlp = spacy.load(pipeline)  # an installed package; never downloads
    else:
        nlp = pipeline
    if nlp.pipe_names and not ({"parser", "senter", "sentencizer"} & set(nlp.pipe_names)):
        nlp.add_pipe("sentencizer")
    for placeholder in PLACEHOLDERS:
        nlp.tokenizer.add_special_case(placeholder, [{ORTH: placeholder}])
    _pipeline = nlp
    return nlp


def get_pipeline() -> Language:
    if _pipeline is None:
        return use_pipeline(os.environ.get(MODEL_ENV) or None)
    return _pipeline


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's Swedish stop words plus forms it lacks (lower-cased)."""
    from spacy.util import get_lang_class  # the Swedish defaults, without building a pipeline

    extra = {"är", "var", "vara", "ha", "bli", "få", "finnas", "kunna", "skola", "vilja",
             "göra", "säga", "mycket", "också", "bara", "lite", "där", "vad", "hur",
             "namn", "komma", "gå", "ta", "ska", "the", "and", "of"}
    return frozenset(get_lang_class("sv").Defaults.stop_words | extra)


def process(texts: Iterable[str], *, batch_size: int = 256) -> Iterator[Processed]:
    """Run the pipeline once over ``texts`` (batched) and yield :class:`Processed`."""
    from spacy.attrs import IDX, IS_ALPHA, LENGTH, LOWER, SENT_START

    nlp = get_pipeline()
    use_own_lemmas = "lemmatizer" in nlp.pipe_names
    own_sentences = not nlp.pipe_names  # the blank default: split on . ! ? ourselves
    strings = nlp.vocab.strings
    names: dict[int, str] = {}  # hash -> lower-cased text, cached across docs
    texts = list(texts)
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size)):
        if use_own_lemmas:
            words = tuple(t.lower_ for t in doc)
            is_word = tuple(t.is_alpha for t in doc)
            lemmas = tuple(t.lemma_.lower() or w for t, w in zip(doc, words))
            sentences = tuple((s.start, s.end, s.text.strip()) for s in doc.sents)
            yield Processed(text, words, lemmas, is_word, sentences)
            continue
        # column access avoids creating a Token object per token (the slow part)
        arr = doc.to_array([LOWER, IS_ALPHA, SENT_START, IDX, LENGTH]).tolist()
        if not arr:
            yield Processed(text, (), (), (), ())
            continue
        words_l = []
        for row in arr:
            h = row[0]
            w = names.get(h)
            if w is None:
                w = names[h] = strings[h]
            words_l.append(w)
        words = tuple(words_l)
        is_word = tuple(bool(row[1]) for row in arr)
        lemmas = tuple(lemmatize(w) if ok else w for w, ok in zip(words, is_word))
        if own_sentences:
            starts = [0] + [i for i in range(1, len(words)) if words[i - 1] in SENTENCE_END
                            and words[i] not in SENTENCE_END]
        else:
            starts = [i for i, row in enumerate(arr) if row[2] == 1 or i == 0]
        bounds = starts[1:] + [len(arr)]
        sentences = tuple(
            (a, b, text[arr[a][3]:arr[b - 1][3] + arr[b - 1][4]].strip())
            for a, b in zip(starts, bounds) if b > a
        )
        yield Processed(text, words, lemmas, is_word, sentences)
