"""Per-topic scores of the topic classifier stay above the pinned baseline (cross-validated, real news)."""

from __future__ import annotations

import json

import pytest

from pipeline.evaluate import Score
from pipeline.evaluate_topics import (
    cross_validate,
    evaluate_topics,
    format_summary,
    macro_f1,
    score_real,
    score_topics,
)
from pipeline.extract import topics
from tests.conftest import GOLD, REPO, SHARED

BASELINE = json.loads((REPO / "models" / "eval_baseline.json").read_text())
FAMILIES = REPO / "models" / "topic_families.json"


@pytest.fixture(scope="module")
def cv_scores():
    return cross_validate(GOLD / "topics.jsonl", families=FAMILIES)


@pytest.fixture(scope="module")
def real_scores(settings):
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/corpora/seeds is absent")
    return score_real(GOLD / "real" / "topics.jsonl", seeds, topics.load(REPO / "models" / "topics.json"),
                      settings)


def test_every_topic_is_in_the_gold_with_paraphrases(cv_scores):
    labels = json.loads((REPO / "models" / "topic_labels.json").read_text())
    assert {s.field for s in cv_scores} == set(labels)
    assert all(s.tp + s.fn >= 20 for s in cv_scores), [(s.field, s.tp + s.fn) for s in cv_scores]


def test_cross_validated_scores_do_not_fall_below_the_pinned_baseline(cv_scores):
    assert macro_f1(cv_scores) >= BASELINE["topics:cv_macro_f1"]
    worst = {s.field: (round(s.precision, 3), round(s.recall, 3)) for s in cv_scores
             if min(s.precision, s.recall) < BASELINE["topics:cv_min_precision_recall"]}
    assert not worst, worst


def test_real_news_scores_do_not_fall_below_the_pinned_baseline(real_scores):
    assert macro_f1(real_scores) >= BASELINE["topics:real_macro_f1"]
    by_topic = {s.field: s for s in real_scores}
    assert by_topic["pause_moratorium"].recall >= BASELINE["topics:real_pause_recall"]


def test_every_real_gold_sentence_is_found(real_scores, settings, caplog):
    # the splitter still produces each annotated sentence, so nothing is scored as missed by accident
    score_real(GOLD / "real" / "topics.jsonl", SHARED / "seeds", topics.load(REPO / "models" / "topics.json"),
               settings)
    assert "not among the document's sentences" not in caplog.text


def test_real_scores_are_skipped_without_the_articles(settings, tmp_path):
    scores = evaluate_topics(GOLD, settings, real_corpus=tmp_path)
    assert scores and {s.system for s in scores} == {"govtrace (cv)"}


def test_scoring_counts_per_topic():
    scores = score_topics("x", ["a", "b"], [["a"], ["a", "b"], []], [["a", "b"], ["a"], ["b"]])
    assert [(s.field, s.tp, s.fp, s.fn) for s in scores] == [("a", 2, 0, 0), ("b", 0, 2, 1)]
    # a topic absent from gold and predictions says nothing and is left out of the mean
    assert macro_f1(scores + [Score("x", "topics", "c", 0, 0, 0)]) == pytest.approx(0.5)


def test_summary_line_names_each_system():
    line = format_summary([Score("govtrace (cv)", "topics", "a", 1, 0, 0),
                           Score("other", "metrics", "v", 1, 1, 1)])
    assert line == "topics macro-F1: govtrace (cv) 1.000\n"
    assert format_summary([]) == ""
