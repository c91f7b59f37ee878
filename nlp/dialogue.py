"""Workshop notes: merge near-duplicates, type them, rank the actions.

Notes are grouped per (prompt, kind) and merged by single-linkage over a similarity
of lemma sets (overlap of content lemmas, with compounds matching their parts:
"Visionsdag" ≈ "Gemensam visionsdag för KS"), character n-grams and agreement of
taxonomy themes.  Nothing is
fitted, so it behaves the same on 1 note as on 200, and live as notes are typed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd
from survey.yamlio import load_yaml

from .errors import CommentInputError
from .patterns import PatternMatcher
from .redact import redact
from .results import DialogueAnalysis, NoteCluster, NoteKind
from .taxonomy import load_taxonomy
from .text import Processed, process, stop_words

MERGE_AT = 0.5  # similarity at which two notes are the same idea
LEXICAL_WEIGHT = 0.6  # share of word overlap (vs theme agreement) in the similarity


@dataclass(frozen=True)
class _Rules:
    question_words: frozenset[str]
    proposal_verbs: frozenset[str]
    proposal: PatternMatcher
    problem: PatternMatcher


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_yaml(resources.files("nlp").joinpath("data/dialogue.yaml").read_text("utf-8"))
    return _Rules(
        frozenset(data["question_words"]),
        frozenset(data["proposal_verbs"]),
        PatternMatcher((w, "p", 1.0) for w in data["proposal_words"]),
        PatternMatcher((w, "x", 1.0) for w in data["problem_words"]),
    )


def note_kind(doc: Processed) -> NoteKind:
    """'fraga', 'atgard' or 'problem' for one processed note."""
    rules = _rules()
    words, lemmas = doc.words, doc.lemmas
    if "?" in doc.text:
        return "fraga"
    # clause starts: the first word and words after ':', '–', '-', ',', '!', ';'
    starts = [i for i, w in enumerate(words)
              if doc.is_word[i] and (i == 0 or words[i - 1] in {":", "–", "-", ",", "!", ";", "."})]
    for i in starts:
        word, lemma = words[i], lemmas[i]
        imperative = word == lemma or (lemma.endswith("a") and word == lemma[:-1])
        if lemma in rules.proposal_verbs and (imperative or word.endswith("as")):
            return "atgard"
    if starts and words[starts[0]] in rules.question_words and len(words) <= 6:
        return "fraga"
    if rules.problem.find(words, lemmas):
        return "problem"
    if rules.proposal.find(words, lemmas):
        return "atgard"
    # a finite present-tense verb after the first word describes a state: a problem
    for i in range(1, len(words)):
        w, lemma = words[i], lemmas[i]
        if doc.is_word[i] and w != lemma and w.endswith("r") and lemma.endswith("a") \
                and lemma not in stop_words():
            return "problem"
    return "atgard"


def _features(doc: Processed) -> frozenset[str]:
    stops = stop_words()
    return frozenset(doc.content_lemmas(stops))


def _lemma_match(a: str, b: str) -> bool:
    """Same lemma, or one is a compound part of the other (min 4 letters)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and (long_.startswith(short) or long_.endswith(short))


def _trigrams(text: str) -> frozenset[str]:
    t = f"  {text.lower()}  "
    return frozenset(t[i:i + 3] for i in range(len(t) - 2))


def similarity(a: Processed, b: Processed, themes_a: frozenset[str] = frozenset(),
               themes_b: frozenset[str] = frozenset()) -> float:
    """0..1: overlap of content lemmas (relative to the shorter note; character
    trigrams catch spelling variants), blended with agreement of taxonomy themes when
    the notes have any: same idea in other words ("Gemensam utbildning om roller" ≈
    "Rollutbildning för nya ledamöter") scores high, a shared word alone does not."""
    lexical = _lexical(a, b)
    if not themes_a and not themes_b:
        return lexical
    agreement = len(themes_a & themes_b) / len(themes_a | themes_b)
    return max(lexical, LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * agreement)


def _lexical(a: Processed, b: Processed) -> float:
    fa, fb = _features(a), _features(b)
    if fa and fb:
        matched = sum(1 for x in fa if any(_lemma_match(x, y) for y in fb))
        overlap = matched / min(len(fa), len(fb))
        # a single shared word between long notes is weaker evidence
        if matched == 1 and min(len(fa), len(fb)) > 1:
            overlap *= 0.8
    else:
        overlap = 0.0
    ta, tb = _trigrams(a.text), _trigrams(b.text)
    jaccard = len(ta & tb) / len(ta | tb) if ta and tb else 0.0
    return max(overlap * 0.85 + jaccard * 0.15, jaccard)


def _clusters(docs: list[Processed], themes: list[frozenset[str]]) -> list[list[int]]:
    """Single-linkage groups of notes whose similarity reaches MERGE_AT."""
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            if similarity(docs[i], docs[j], themes[i], themes[j]) >= MERGE_AT:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(docs)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _label(members: list[int], docs: list[Processed], themes: list[frozenset[str]]) -> int:
    """Index of the most central note (ties: the shortest)."""
    if len(members) == 1:
        return members[0]
    def centrality(i: int) -> tuple[float, int]:
        return (sum(similarity(docs[i], docs[j], themes[i], themes[j])
                    for j in members if j != i),
                -len(docs[i].text))
    return max(members, key=centrality)


def analyse_dialogue(notes: pd.DataFrame, *, lang: str = "sv") -> DialogueAnalysis:
    """Cluster, type and rank workshop notes (columns id, prompt_id, note).

    Works from a single note upwards.  Texts are redacted before anything else."""
    missing = [c for c in ("id", "note") if c not in notes.columns]
    if missing:
        raise CommentInputError(
            f"Lapparna saknar kolumnen {', '.join(missing)}. "
            "Det behövs kolumnerna id, prompt_id och note."
        )
    ids = [str(x) for x in notes["id"]]
    prompts = [str(x) for x in notes["prompt_id"]] if "prompt_id" in notes.columns \
        else [""] * len(ids)
    texts = [redact("" if pd.isna(t) else str(t)).text.strip() for t in notes["note"]]
    keep = [i for i, t in enumerate(texts) if t]
    docs_all = list(process([texts[i] for i in keep]))
    kinds = [note_kind(d) for d in docs_all]
    taxonomy = load_taxonomy()
    themes_all = [frozenset(taxonomy.assign(d)) for d in docs_all]
    by_key: dict[tuple[str, str], list[int]] = {}
    for pos, i in enumerate(keep):
        by_key.setdefault((prompts[i], kinds[pos]), []).append(pos)
    clusters: list[NoteCluster] = []
    for (prompt, kind), positions in by_key.items():
        docs = [docs_all[p] for p in positions]
        themes = [themes_all[p] for p in positions]
        for members in _clusters(docs, themes):
            centre = _label(members, docs, themes)
            orig = [keep[positions[m]] for m in members]
            clusters.append(NoteCluster(
                label=texts[keep[positions[centre]]],
                kind=kind, prompt_id=prompt,
                note_ids=tuple(ids[i] for i in orig),
                notes=tuple(texts[i] for i in orig),
                rank=None,
            ))
    # order: by prompt as first seen, then size; rank actions by size across prompts
    prompt_order = {p: n for n, p in enumerate(dict.fromkeys(prompts))}
    first_seen = {c.note_ids[0]: n for n, c in enumerate(clusters)}
    clusters.sort(key=lambda c: (prompt_order[c.prompt_id], -c.count, first_seen[c.note_ids[0]]))
    actions = sorted((c for c in clusters if c.kind == "atgard"),
                     key=lambda c: (-c.count, prompt_order[c.prompt_id], first_seen[c.note_ids[0]]))
    rank = {id(c): n for n, c in enumerate(actions, start=1)}
    ranked = tuple(
        NoteCluster(c.label, c.kind, c.prompt_id, c.note_ids, c.notes, rank.get(id(c)))
        for c in clusters
    )
    return DialogueAnalysis(ranked)


def kind_counts(analysis: DialogueAnalysis) -> Counter:
    return Counter({k: sum(c.count for c in analysis.clusters if c.kind == k)
                    for k in ("atgard", "problem", "fraga")})
