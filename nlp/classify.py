"""The per-comment pass: redaction, then one spaCy pass, then themes, sentiment and
informativeness.  This is the part measured by ``perf/nlp_throughput.py``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import sentiment as sentiment_mod
from .informative import is_informative
from .redact import redact
from .results import Sentiment
from .taxonomy import Taxonomy, load_taxonomy
from .text import Processed, process


@dataclass(frozen=True, slots=True)
class Classified:
    text: str  # redacted
    doc: Processed
    themes: tuple[str, ...]  # from the text, plus the box prior
    text_themes: tuple[str, ...]  # from the text alone: what the comment raises
    sentiment: Sentiment
    informative: bool
    sentiment_score: float = 0.0  # the rules' signed score (|score| <= 1: one word decided)


def lemma_text(result: Classified) -> str:
    """The comment's word lemmas, lower case, space separated: what the learned models'
    word features (``theme_model``, ``tone``) are read from."""
    doc = result.doc
    return " ".join(lemma.lower() for lemma, word in zip(doc.lemmas, doc.is_word) if word)


# the word features of the learned models (tone since version 5, themes since version 2): the
# TF-IDF of a comment's lemmas and lemma pairs
LEMMA_WORDS = {"ngram_range": (1, 2), "sublinear_tf": True}


def stored_tfidf(vocabulary: Sequence[str], idf: Any, **params: Any) -> Any:
    """A fitted TF-IDF vectorizer rebuilt from stored weights (the vocabulary in column order
    and its idf): how the learned models read their word features at run time."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(**params, vocabulary=list(vocabulary))
    vec.idf_ = np.asarray(idf, dtype=np.float64)
    return vec


def classify_texts(
    texts: Sequence[str],
    boxes: Sequence[str | None] | None = None,
    *,
    taxonomy: Taxonomy | None = None,
) -> list[Classified]:
    """Redact and classify raw texts; ``boxes`` (same length) enables the box prior."""
    taxonomy = taxonomy or load_taxonomy()
    boxes = boxes if boxes is not None else [None] * len(texts)
    redacted = [redact(t).text for t in texts]
    out: list[Classified] = []
    for text, box, doc in zip(redacted, boxes, process(redacted)):
        scores = taxonomy.scores(doc)
        text_themes = taxonomy.pick(scores)
        # nothing but placeholders and punctuation says nothing either
        informative = any(doc.is_word) and is_informative(text, has_theme=bool(text_themes))
        if informative:
            themes = taxonomy.pick(scores, box) if box else text_themes
            polarity_score = sentiment_mod.score(doc)
            polarity = sentiment_mod.label(polarity_score)
        else:
            themes, text_themes, polarity, polarity_score = (), (), "neu", 0.0
        out.append(Classified(text, doc, themes, text_themes, polarity, informative, polarity_score))
    return out
