"""Quality targets on the labelled public data (skipped when ../shared is absent)."""

from pathlib import Path

import pytest

from nlp.evaluate import evaluate

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


def test_invented_held_out_comments():
    """Comments written after the lexicons were, labelled before the first run: a check
    that the rules carry over to text they were not written against."""
    import pandas as pd

    from nlp.evaluate import evaluate_comments, evaluate_pii

    df = pd.read_csv(INVENTED, dtype=str, keep_default_na=False)
    recall, precision, _, _ = evaluate_pii(df)
    assert recall >= 0.97 and precision >= 0.9
    micro, _, _, _, sentiment, _, _ = evaluate_comments(df)
    assert micro >= 0.8
    assert sentiment >= 0.75


@pytest.mark.parametrize("name,theme_floor,sentiment_floor", [
    ("invented_comments_2.csv", 0.85, 0.75),  # the development set: what the lexicon changes reached
    ("invented_comments_3.csv", 0.75, 0.55),  # held out: below the targets, recorded so it cannot slip
])
def test_later_invented_sets(name, theme_floor, sentiment_floor):
    """Personal data is always found; themes and tone must not fall below what was measured
    (docs/nlp.md: set 3 is below the 0.80 / 0.75 targets, and says so)."""
    import pandas as pd

    from nlp.evaluate import evaluate_comments, evaluate_pii

    df = pd.read_csv(INVENTED.parent / name, dtype=str, keep_default_na=False)
    recall, precision, _, _ = evaluate_pii(df)
    assert recall == 1.0 and precision == 1.0
    micro, _, _, _, sentiment, _, _ = evaluate_comments(df)
    assert micro >= theme_floor and sentiment >= sentiment_floor
