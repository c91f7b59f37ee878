"""Learned themes: the rules' evidence and the comment's wording weighed together.

The rules (``nlp/taxonomy.py``) sum term weights per theme; they find what is said and miss
what is implied ("vi fick handlingarna kvällen före" is about decisions without the word
"beslut"), and a word said in passing can fire a theme.  This model reads, for each
informative comment, three things and gives each theme a probability:

- the rules' own score for every theme (clipped to 0…3 and scaled to 0…1), so a theme
  the rules find strongly stays;
- whether the comment's box is one the taxonomy ties to the theme (the box prior);
- character n-grams (3–5, within words) of the comment's lemmas, TF-IDF weighted, which
  also see compound parts ("samverkansgrupp", "budgetuppföljning");
- (version 2, tenth round) the lemmas and lemma pairs themselves, TF-IDF weighted
  ("skjuta beslut", "välja"), which the n-grams see only in pieces.

One logistic regression per theme (scikit-learn, no extra dependency, no embedding: it
costs well under a millisecond a comment).  A comment gets every theme whose probability
reaches the stored threshold, most probable first, at most the taxonomy's ``max_themes``;
a theme the rules find no word of and the box does not imply — an implied theme — needs
the higher ``threshold_new``.
``text_themes`` — what the comment raises in its own words, which the summaries count —
are read by the same model with the box prior switched off.

Trained by ``python -m tillit.nlp.train --themes`` on the labelled sets we may ship; the
weights (``nlp/data/theme_model.json``) carry the training files' SHA-256 and the
accuracy of each set left out in turn.  The model is used only with a taxonomy that has
exactly the themes it was trained on: with an edited theme list the rules alone decide
(its term weights may change freely: they are read as features).  ``result.themes_info``
says which was done.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .classify import LEMMA_WORDS, Classified, lemma_text, stored_tfidf
from .taxonomy import Taxonomy

WEIGHTS = Path(__file__).resolve().parent / "data" / "theme_model.json"
RULE_CLIP = 3.0
VECTORIZER = {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True}
WORD_VECTORIZER = LEMMA_WORDS  # version 2: lemmas and lemma pairs, as the tone model reads them

NOTES = {
    "sv": {
        "learned": "Teman: reglernas träffar och en inlärd modell (orden, ordparen och delar av orden) tillsammans; "
                   "modellen ändrade teman för {changed} av {n} kommentarer.",
        "no_weights": "Teman: enbart ordlistans regler (modellens vikter saknas).",
        "taxonomy": "Teman: enbart ordlistans regler (taxonomin har andra teman än modellen "
                    "tränades på).",
        "off": "Teman: enbart ordlistans regler.",
    },
    "en": {
        "learned": "Themes: the rules' matches and a learned model (the words, word pairs and parts of words) together; "
                   "the model changed the themes of {changed} of {n} comments.",
        "no_weights": "Themes: the lexicon rules alone (the model's weights are missing).",
        "taxonomy": "Themes: the lexicon rules alone (the taxonomy has other themes than the "
                    "model was trained on).",
        "off": "Themes: the lexicon rules alone.",
    },
}


@dataclass(frozen=True, slots=True)
class ThemeInfo:
    """How themes were read in one run; ``note`` is for the reader of the report."""

    method: str  # "rules" or "rules+learned"
    changed: int  # comments whose themes the model changed
    status: str  # "learned", "no_weights", "taxonomy", "off"
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "changed": self.changed, "status": self.status,
                "note": self.note}


def rule_features(results: Sequence[Classified], boxes: Sequence[str | None], taxonomy: Taxonomy,
                  themes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(rule scores, box flags), one row per comment and one column per theme of ``themes``:
    the rules' text score clipped to 0…RULE_CLIP and scaled to 0…1, and 1.0 where the
    comment's box is tied to the theme."""
    scores = np.zeros((len(results), len(themes)))
    flags = np.zeros((len(results), len(themes)))
    for k, (r, box) in enumerate(zip(results, boxes)):
        found = taxonomy.scores(r.doc)
        tied = set(taxonomy.box_themes(box)) if box else set()
        for j, t in enumerate(themes):
            scores[k, j] = min(max(found.get(t, 0.0), 0.0), RULE_CLIP) / RULE_CLIP
            flags[k, j] = float(t in tied)
    return scores, flags


class ThemeModel:
    """Fitted weights: a TF-IDF vocabulary and one logistic regression per theme."""

    def __init__(self, weights: dict[str, Any]):
        self.themes: list[str] = list(weights["themes"])
        self.threshold = float(weights["threshold"])
        # a theme the rules find no word of, and the box does not imply, needs a surer model
        self.threshold_new = max(self.threshold, float(weights.get("threshold_new", self.threshold)))
        self.vectorizer = stored_tfidf(weights["vocabulary"], weights["idf"], **VECTORIZER)
        words = weights.get("word_vocabulary") or []
        self.words = stored_tfidf(words, weights["word_idf"], **WORD_VECTORIZER) if words else None
        self.coef = np.asarray(weights["coef"], dtype=np.float64)  # themes × features
        self.intercept = np.asarray(weights["intercept"], dtype=np.float64)
        if self.coef.shape != (len(self.themes), len(weights["vocabulary"]) + len(words) + 2 * len(self.themes)):
            raise ValueError("temamodellens vikter har fel form")

    def probabilities(self, lemmas: Sequence[str], scores: np.ndarray, flags: np.ndarray) -> np.ndarray:
        """One probability per comment and theme."""
        from scipy import sparse

        lemmas = list(lemmas)
        words = [self.words.transform(lemmas)] if self.words is not None else []
        X = sparse.hstack([self.vectorizer.transform(lemmas), *words, scores, flags]).tocsr()
        z = X @ self.coef.T + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def cuts(evidence: np.ndarray, threshold: float, threshold_new: float) -> np.ndarray:
    """The probability each comment × theme needs: ``threshold`` where the rules found a word
    of the theme (or the box implies it), the higher ``threshold_new`` elsewhere."""
    return np.where(evidence, threshold, max(threshold, threshold_new))


def pick(p: np.ndarray, themes: Sequence[str], cut: np.ndarray, most: int,
         ruled: Sequence[bool] | np.ndarray = ()) -> tuple[str, ...]:
    """Themes at or above their cut, most probable first, at most ``most``.  A comment the
    rules gave a theme (``ruled``, one flag per theme) is never left with none: then the
    most probable of the rules' themes stays ("Målen saknar förankring i verksamheterna."
    keeps *mål* though the model gives it 0.29)."""
    order = sorted(range(len(themes)), key=lambda j: (-p[j], j))
    chosen = tuple(themes[j] for j in order if p[j] >= cut[j])[:most]
    if not chosen and any(ruled):
        chosen = (themes[next(j for j in order if ruled[j])],)
    return chosen


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> ThemeModel | None:
    """The shipped (or given) weights, or None when the file is missing or unreadable."""
    try:
        return ThemeModel(json.loads(Path(path or WEIGHTS).read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def refine(results: Sequence[Classified], boxes: Sequence[str | None], taxonomy: Taxonomy, *,
           enabled: bool = True, lang: str = "sv",
           weights: str | Path | None = None) -> tuple[list[Classified], ThemeInfo]:
    """The informative comments' themes (and text themes) as the model reads them; the
    rules' themes unchanged when the model is off, missing or trained on other themes."""
    notes = NOTES.get(lang, NOTES["sv"])
    results = list(results)
    if not enabled:
        return results, ThemeInfo("rules", 0, "off", notes["off"])
    model = load_model(str(weights) if weights else None)
    if model is None:
        return results, ThemeInfo("rules", 0, "no_weights", notes["no_weights"])
    if set(model.themes) != set(taxonomy.themes):
        return results, ThemeInfo("rules", 0, "taxonomy", notes["taxonomy"])
    rows = [i for i, r in enumerate(results) if r.informative]
    if not rows:
        return results, ThemeInfo("rules+learned", 0, "learned", notes["learned"].format(changed=0, n=0))
    chosen = [results[i] for i in rows]
    lemmas = [lemma_text(r) for r in chosen]
    scores, flags = rule_features(chosen, [boxes[i] for i in rows], taxonomy, model.themes)
    with_box = model.probabilities(lemmas, scores, flags)
    text_only = model.probabilities(lemmas, scores, np.zeros_like(flags))
    cut_box = cuts((scores > 0) | (flags > 0), model.threshold, model.threshold_new)
    cut_text = cuts(scores > 0, model.threshold, model.threshold_new)
    changed = 0
    for k, i in enumerate(rows):
        r = results[i]
        themes = pick(with_box[k], model.themes, cut_box[k], taxonomy.max_themes,
                      [t in r.themes for t in model.themes])
        text_themes = pick(text_only[k], model.themes, cut_text[k], taxonomy.max_themes,
                           [t in r.text_themes for t in model.themes])
        if boxes[i] is None:
            themes = text_themes
        if set(themes) != set(r.themes):
            changed += 1
        results[i] = replace(r, themes=themes, text_themes=text_themes)
    return results, ThemeInfo("rules+learned", changed, "learned",
                              notes["learned"].format(changed=changed, n=len(rows)))
