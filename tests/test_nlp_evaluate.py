"""Quality targets on the labelled public data (skipped when ../shared is absent)."""

from pathlib import Path

import pytest

from nlp.evaluate import evaluate

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

pytestmark = pytest.mark.skipif(not (DATA / "comments_public.csv").exists(),
                                reason="shared/data is not next to the repository")


@pytest.fixture(scope="module")
def report():
    return evaluate(DATA)


def test_pii_targets(report):
    assert report.pii_recall >= 0.97
    assert report.pii_precision >= 0.90


def test_theme_target(report):
    assert report.theme_micro_f1 >= 0.80
    assert set(report.theme_f1) == {"tillit", "roller", "samverkan", "kompetens", "resurser",
                                    "mal", "ekonomi", "kvalitet", "beslut", "politik"}


def test_theme_target_without_box_prior():
    assert evaluate(DATA, box_prior=False).theme_micro_f1 >= 0.80


def test_sentiment_target(report):
    assert report.sentiment_accuracy >= 0.75


def test_non_informative_and_dialogue(report):
    assert report.noninformative_accuracy >= 0.95
    assert report.dialogue_kind_accuracy is not None and report.dialogue_kind_accuracy >= 0.8
