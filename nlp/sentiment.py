"""Comment sentiment (neg/neu/pos) from a lemma lexicon with Swedish negation.

The lexicon and its settings live in ``data/sentiment.yaml``.  Scoring, per sentence:
sum the weights of lexicon words; a negator ("inte", "ingen", "utan" ...) flips the
sign of a sentiment word within the next few tokens (a negated negative counts half:
"inget problem" is mild); a negator with nothing to flip is itself a weak negative
("ingen möjlighet", "har inte tid"); a sentence with both signs and a contrast word
("men") is read by its final direction, as a reader does: what comes before the contrast
counts ``contrast_before`` times ("Rapporterna håller god kvalitet, men politikerna läser dem
inte" is criticism), and a sentence opening with one ("Men …", "Däremot …") after earlier
sentences of the other sign weighs those sentences the same way; positive words in a
sentence with a suggestion marker ("borde", "skulle", "vore bra") count little, since a
wish is not praise.  A change told as a past sentence
("Förr …") and a later present one ("Nu …") reads as an improvement unless the past was
better ("Förr kom bokslutet i april. I år i februari." is praise).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from tillit.survey.yamlio import load_yaml


from .patterns import PatternMatcher
from .results import Sentiment
from .text import Processed

_NEGATOR = "__neg__"
_SUGGEST = "__sug__"
_CONTRAST = "__contrast__"


@dataclass(frozen=True)
class Lexicon:
    matcher: PatternMatcher
    window: int
    suggestion_factor: float
    suggestion_negative_factor: float
    positive_at: float
    negator_weight: float
    contrast_factor: float
    negative_at: float
    past: tuple[tuple[str, ...], ...] = ()  # sentence openings that tell of the past
    present: tuple[tuple[str, ...], ...] = ()  # … and of the present
    solved_factor: float = 0.5
    change_weight: float = 1.0
    contrast_before: float | None = None  # None: the whole mixed sentence counts contrast_factor


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load_yaml(
        resources.files("tillit.nlp").joinpath("data/sentiment.yaml").read_text("utf-8")
    )
    entries = [(p, "w", float(w)) for p, w in (data.get("positive") or {}).items()]
    entries += [(p, "w", float(w)) for p, w in (data.get("negative") or {}).items()]
    entries += [(p, _NEGATOR, 0.0) for p in data.get("negators") or ()]
    entries += [(p, _SUGGEST, 0.0) for p in data.get("suggestion_markers") or ()]
    entries += [(p, _CONTRAST, 0.0) for p in data.get("contrast_markers") or ()]
    change = data.get("change") or {}
    return Lexicon(
        matcher=PatternMatcher(entries),
        window=int(data.get("negation_window", 3)),
        suggestion_factor=float(data.get("suggestion_factor", 0.0)),
        suggestion_negative_factor=float(data.get("suggestion_negative_factor", 0.5)),
        positive_at=float(data.get("positive_at", 1.0)),
        negator_weight=float(data.get("negator_weight", -1.0)),
        contrast_factor=float(data.get("contrast_factor", 0.5)),
        contrast_before=(None if data.get("contrast_before") is None else float(data["contrast_before"])),
        negative_at=float(data.get("negative_at", -1.0)),
        past=tuple(tuple(p.lower().split()) for p in change.get("past") or ()),
        present=tuple(tuple(p.lower().split()) for p in change.get("present") or ()),
        solved_factor=float(change.get("solved_factor", 0.5)),
        change_weight=float(change.get("change_weight", 1.0)),
    )


def _opens_with(words: tuple[str, ...], openings: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the words begin with one of the openings ("*" is any one word)."""
    return any(len(words) > len(o) and all(e == "*" or e == w for e, w in zip(o, words)) for o in openings)


def _change(sentences: list[float], past: list[bool], present: list[bool], lex: Lexicon) -> list[float]:
    """Sentence scores with a past → present change read as improvement or decline."""
    i = next((k for k, p in enumerate(past) if p), None)
    j = next((k for k, p in enumerate(present) if p and i is not None and k > i), None)
    if i is None or j is None:
        return sentences
    out = list(sentences)
    then, now = sentences[i], sentences[j]
    if then <= 0 <= now:  # a problem solved, or a change told in plain words
        out[i] = -then * lex.solved_factor + lex.change_weight
    elif then > 0 >= now:  # it was better before
        out[i] = -then
    return out


def _turn(sentences: list[float], turns: list[bool], lex: Lexicon) -> list[float]:
    """Sentence scores with a turn read by its final direction: a sentence opening with a
    contrast marker ("Men …", "Däremot …") whose sign differs from that of the sentences
    before it weighs them ``contrast_before`` times."""
    if lex.contrast_before is None:
        return sentences
    out = list(sentences)
    for k in range(1, len(out)):
        before = sum(out[:k])
        if turns[k] and before * out[k] < 0:
            out[:k] = [v * lex.contrast_before for v in out[:k]]
    return out


def score(doc: Processed, negator_weight: float | None = None) -> float:
    """Signed sentiment score of a processed text.  ``negator_weight`` replaces the
    lexicon's weight of a negator that flips nothing (the learned tone model of version 7
    reads the score with a lighter one: "Det händer inte längre" is praise as often as not)."""
    lex = lexicon()
    lone_negator = lex.negator_weight if negator_weight is None else negator_weight
    sentence_scores: list[float] = []
    past: list[bool] = []
    present: list[bool] = []
    turns: list[bool] = []
    all_hits = lex.matcher.find(doc.words, doc.lemmas)  # one pass, split by sentence
    k = 0
    for s_start, s_end, _ in doc.sentences:
        opening = tuple(w for w, ok in zip(doc.words[s_start:s_end], doc.is_word[s_start:s_end]) if ok)[:5]
        past.append(_opens_with(opening, lex.past))
        present.append(_opens_with(opening, lex.present))
        hits = []
        while k < len(all_hits) and all_hits[k].start < s_end:
            hits.append(all_hits[k])
            k += 1
        first_word = next((i for i in range(s_start, s_end) if doc.is_word[i]), s_start)
        turns.append(any(h.key == _CONTRAST and h.start == first_word for h in hits))
        contrast_at = min((h.start for h in hits if h.key == _CONTRAST and h.start > first_word), default=None)
        # A wish ("borde", "behöver") colours what follows it in the sentence, not what came before:
        # "Samrådet var bra och borde bli en rutin" still praises the samråd.
        # After a "men" ("bra i teorin, men vi behöver ...") the wish weighs on the whole sentence.
        suggestion_at = min((h.start for h in hits if h.key == _SUGGEST), default=None)
        suggestion = suggestion_at is not None
        if suggestion and any(h.key == _CONTRAST and h.start < suggestion_at for h in hits):
            suggestion_at = -1
        negator_at = -10
        pending_negator = 0.0  # weight of a negator that found nothing to flip
        negating = False  # a negator waits for a word to flip
        positive = negative = 0.0
        before = 0.0  # the part of the score before a contrast marker inside the sentence
        last_end, last_positive = -1, 0.0  # the previous sentiment word, if positive
        for hit in hits:
            if hit.key in (_SUGGEST, _CONTRAST):
                continue
            if hit.key == _NEGATOR:
                negative += pending_negator
                negator_at, pending_negator, negating = hit.end, lone_negator, True
                if last_end == hit.start and last_positive:
                    # "fungerar inte", "är tydlig inte": the negator follows the word
                    positive -= last_positive
                    negative -= last_positive
                    if contrast_at is not None and hit.start < contrast_at:
                        before -= 2 * last_positive
                    last_positive = 0.0
                continue
            weight = hit.weight
            if hit.start - negator_at < lex.window and negating:
                weight = -weight if weight > 0 else -0.5 * weight
                pending_negator, negating = 0.0, False
            if suggestion and hit.start > suggestion_at:
                weight *= lex.suggestion_factor if weight > 0 else lex.suggestion_negative_factor
            if weight > 0:
                positive += weight
            else:
                negative += weight
            if contrast_at is not None and hit.start < contrast_at:
                before += weight
            last_end, last_positive = hit.end, max(weight, 0.0)
        negative += pending_negator * (lex.suggestion_negative_factor if suggestion else 1.0)
        sentence_score = positive + negative
        if positive and negative and any(h.key == _CONTRAST for h in hits):
            if lex.contrast_before is None or contrast_at is None:
                sentence_score *= lex.contrast_factor
            else:  # read by its final direction: the part before "men" counts less
                sentence_score -= before * (1.0 - lex.contrast_before)
        sentence_scores.append(sentence_score)
    return sum(_change(_turn(sentence_scores, turns, lex), past, present, lex))


CUES = ("positive", "negative", "negators", "contrast", "suggestion", "question")


def cues(doc: Processed) -> tuple[float, ...]:
    """What the lexicon sees in a comment, for the learned tone model (``tone``), in the
    order of :data:`CUES`: the sums of its positive and negative weights (clipped to ±3 and
    scaled to ±1), its negators (up to 3, scaled to 1), and whether it has a contrast
    ("men"), a suggestion ("borde") and a question mark.  Not a tone: the signs of these
    are for the model to weigh (a lone negator is criticism in "ingen har frågat" and
    praise in "ingen har behövt höra av sig")."""
    lex = lexicon()
    hits = lex.matcher.find(doc.words, doc.lemmas)
    weights = [h.weight for h in hits if h.key not in (_NEGATOR, _SUGGEST, _CONTRAST)]
    return (min(sum(w for w in weights if w > 0), 3.0) / 3.0,
            max(sum(w for w in weights if w < 0), -3.0) / 3.0,
            min(sum(1 for h in hits if h.key == _NEGATOR), 3) / 3.0,
            float(any(h.key == _CONTRAST for h in hits)),
            float(any(h.key == _SUGGEST for h in hits)),
            float("?" in doc.text))


def classify(doc: Processed) -> Sentiment:
    return label(score(doc))


def label(s: float) -> Sentiment:
    """The tone of a score from :func:`score`."""
    lex = lexicon()
    if s >= lex.positive_at:
        return "pos"
    if s <= lex.negative_at:
        return "neg"
    return "neu"
