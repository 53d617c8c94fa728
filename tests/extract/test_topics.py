"""The topic model: trained from annotated sentences, stored as JSON, reloaded exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.errors import ModelError
from pipeline.extract import topics
from tests.conftest import GOLD, REPO


def test_training_writes_json_that_reloads_to_the_same_probabilities(tmp_path):
    out = tmp_path / "topics.json"
    trained = topics.train(GOLD / "topics.jsonl", out)
    data = json.loads(out.read_text())
    assert data["format"] == topics.FORMAT and b"pickle" not in out.read_bytes()
    loaded = topics.load(out)
    texts = ["The lab scrapped its pause pledge.", "Weights are guarded against theft."]
    assert np.allclose(trained.probabilities(texts), loaded.probabilities(texts))


def test_shipped_model_tags_held_out_sentences():
    model = topics.load(REPO / "models" / "topics.json")
    predicted = model.predict(["Investors valued the startup at $40 billion before its stock market listing.",
                               "Don't use our services for warfare."])
    assert "finance_valuation_ipo" in predicted[0]
    assert "military_use" in predicted[1]


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "other"}')
    with pytest.raises(ModelError, match="govtrace train"):
        topics.load(path)


SHIPPED = REPO / "models" / "topics.json"


@pytest.mark.parametrize("sentence", [
    # RSP v2.0 (corpora/sample): a conditional stop is a pause position as well as a safeguard
    "We will not train or deploy models capable of causing catastrophic harm unless we have implemented "
    "safety and security measures that keep risks below acceptable levels.",
    "The company wants a mechanism under which frontier work could be slowed or briefly paused.",
    "Regulators may order labs to halt the training of their largest systems.",
    "Signatories asked for a moratorium on models beyond today's most capable ones.",
    "The firm said it would only stop training if its competitors agreed to do the same.",
    "She called on the industry to slow down AI development until oversight improves.",
    "The lab will never train a new frontier model unless its protections have been shown to work.",
])
def test_the_shipped_model_sees_the_pause_family_however_it_is_phrased(sentence):
    assert "pause_moratorium" in topics.load(SHIPPED).predict([sentence])[0]


def test_the_conditional_pledge_is_both_a_safeguard_and_a_pause():
    predicted = topics.load(SHIPPED).predict(["We will not train a more capable model unless the required "
                                              "safeguards are in place and keep risks acceptably low."])[0]
    assert {"pause_moratorium", "scaling_policy_safeguards"} <= set(predicted)


@pytest.mark.parametrize("sentence", [
    "The company halted the launch of its photo app for a week to fix a crash.",
    "Viewers can pause the stream and pick it up again on another device.",
    "Trading in the shares was stopped for an hour after the announcement.",
])
def test_other_kinds_of_pause_are_not_the_pause_topic(sentence):
    assert "pause_moratorium" not in topics.load(SHIPPED).predict([sentence])[0]


@pytest.mark.parametrize("sentence, topic", [
    ("Agents built by the lab now run most of its machine-learning experiments end to end.",
     "automated_ai_rnd"),
    ("An attacker who copied the model's weights could strip away its safety training.",
     "model_weight_security"),
    ("The startup is raising new money that would value it at $50 billion.", "finance_valuation_ipo"),
    ("Parliament approved rules obliging AI developers to register their largest models.",
     "regulation_legislation"),
    ("Officials from a dozen countries agreed to share test results through a common network.",
     "international_coordination"),
    ("The assistant declined to explain how to make a toxin at home.", "cbrn_cyber_misuse"),
    ("The defence ministry signed up to use the chatbot for planning.", "military_use"),
    ("Independent testers scored the model on a new suite of reasoning tasks.", "evaluations_benchmarks"),
    ("The company will publish a yearly account of the incidents it has found.", "transparency_reporting"),
])
def test_the_shipped_model_tags_paraphrases_of_every_topic(sentence, topic):
    assert topic in topics.load(SHIPPED).predict([sentence])[0]


def test_a_heading_counts_for_less_than_the_sentence_itself():
    model = topics.load(SHIPPED)
    sentence = "The company is reportedly weeks away from listing its shares."
    assert model.predict([sentence], headings=["Calls for a pause"]) == [("finance_valuation_ipo",)]
    # a sentence with no topic of its own still takes its heading's
    assert "automated_ai_rnd" in model.predict(["Each generation arrives faster than the last."],
                                               headings=["Recursive self-improvement"])[0]


def test_word_families_are_globs_with_gaps():
    pattern = topics.family_pattern(["paus*", "stop train*", "not train* … unless", "asl-*"])
    assert pattern.search("we would not train such a model unless it is safe")
    assert pattern.search("pausing") and pattern.search("stop training") and pattern.search("asl-3")
    assert not pattern.search("we will not train it") and not pattern.search("a stopwatch")


def test_a_model_without_families_still_loads(tmp_path):
    out = tmp_path / "plain.json"
    model = topics.train(GOLD / "topics.jsonl", out)
    assert model.families == () and model.predict(["The lab is valued at $300 billion."])


def test_the_features_equal_scikit_learns_without_importing_it():
    from sklearn.feature_extraction.text import TfidfVectorizer

    payload = json.loads((REPO / "models" / "topics.json").read_text(encoding="utf-8"))
    options = dict(payload["vectorizer"], ngram_range=tuple(payload["vectorizer"]["ngram_range"]))
    reference = TfidfVectorizer(vocabulary=payload["vocabulary"], **options)
    reference.idf_ = np.array(payload["idf"])
    texts = [row["text"] for row in topics.read_rows(GOLD / "topics.jsonl")]
    texts += ["Café naïve ÉCOLE — the the the pause", "", "!!!", "A lab's “pause” 2026, 10^26 FLOP."]
    ours = topics.load(REPO / "models" / "topics.json").vectorizer.transform(texts)
    assert np.abs(reference.transform(texts).toarray() - ours).max() < 1e-12


def test_applying_the_topic_model_does_not_import_scikit_learn():
    import subprocess
    import sys

    code = ("import sys; from pipeline.extract import topics, load_extractors; load_extractors(); "
            "m = topics.load(topics.Path('models/topics.json')); m.predict(['We will pause training.']); "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_texts_features_are_the_same_whatever_else_is_asked():
    """Each distinct text (a sentence holding several findings, a heading over its section) is computed
    once and its row repeated, which holds because a row depends on its own text alone."""
    model = topics.load(SHIPPED)
    texts = ["We will pause training.", "", "Labs must report incidents.", "We will pause training.", ""]
    alone = np.vstack([model.features([text]) for text in texts])
    assert (model.features(texts) == alone).all()
    assert (model.features(texts[:3]) == alone[:3]).all()  # no repeats: computed as before
