"""The quality gate: extraction scores on the gold-annotated sample corpus stay above the pinned baseline."""

from __future__ import annotations

import json

import pytest

from pipeline.evaluate import Score, evaluate as run_evaluation, match, same_actor, score
from tests.conftest import GOLD, REPO, SAMPLE, SHARED

BASELINE = json.loads((REPO / "models" / "eval_baseline.json").read_text())


@pytest.fixture(scope="module")
def scores(settings):
    if not GOLD.is_dir():
        pytest.skip("corpora/gold is absent")
    return run_evaluation(SAMPLE, GOLD, settings, peers=True)


def _f1(scores, system, key):
    extractor, field = key.split("/")
    return next(s.f1 for s in scores if (s.system, s.extractor, s.field) == (system, extractor, field))


@pytest.mark.parametrize("key", [k for k in BASELINE if "/" in k and not k.startswith(("real:", "legal:"))])
def test_scores_do_not_fall_below_the_pinned_baseline(scores, key):
    assert _f1(scores, "govtrace", key) >= BASELINE[key], key


@pytest.fixture(scope="module")
def real_scores(settings):
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/corpora/seeds is absent")
    return [s for s in run_evaluation(SAMPLE, GOLD, settings, peers=False, real_corpus=seeds)
            if s.system == "govtrace (real)"]


@pytest.mark.parametrize("key", [k for k in BASELINE if k.startswith("real:")])
def test_real_text_scores_do_not_fall_below_the_pinned_baseline(real_scores, key):
    assert _f1(real_scores, "govtrace (real)", key.removeprefix("real:")) >= BASELINE[key], key


def test_we_beat_the_peers_on_the_same_gold(scores):
    margin = BASELINE["peer_margin"]
    assert _f1(scores, "govtrace", "metrics/value+unit") >= _f1(scores, "quantulum3",
                                                                "metrics/value+unit") + margin
    assert _f1(scores, "govtrace", "claims/with speaker") >= _f1(scores, "textacy",
                                                                 "claims/with speaker") + margin


def test_scorer_counts_exactly():
    gold = [{"document": "a", "sentence": "We will publish", "value": 80.0, "unit": "percent"},
            {"document": "a", "sentence": "It rose", "value": 2.0, "unit": "percent"}]
    pred = [{"document": "a", "sentence": "- We will publish a report.", "value": 80.0, "unit": "percent"},
            {"document": "a", "sentence": "It rose to 3 percent.", "value": 3.0, "unit": "percent"},
            {"document": "b", "sentence": "We will publish", "value": 80.0, "unit": "percent"}]
    result = score("x", "metrics", [dict(g, qualifier=None) for g in gold],
                   [dict(p, qualifier=None) for p in pred])[0]
    assert (result.tp, result.fp, result.fn) == (1, 2, 1)
    assert result.precision == pytest.approx(1 / 3) and result.recall == pytest.approx(0.5)
    assert result.f1 == pytest.approx(0.4)
    assert Score("x", "y", "z", 0, 0, 0).f1 == 0.0


def test_actor_matching():
    assert same_actor("Marina Favaro; Jack Clark", "Jack Clark; Marina Favaro")
    assert same_actor("agency that supervises critical infrastructure",
                      "each agency that supervises critical infrastructure")
    assert not same_actor("Anthropic", "OpenAI")
    assert not same_actor(None, "OpenAI")


def test_matching_is_one_to_one():
    gold = [{"document": "a", "sentence": "x", "actor": "A"}]
    pred = [{"document": "a", "sentence": "x", "actor": "A"},
            {"document": "a", "sentence": "x", "actor": "A"}]
    pairs, fp, fn = match(gold, pred, lambda g, p: g["actor"] == p["actor"])
    assert (len(pairs), fp, fn) == (1, 1, 0)
