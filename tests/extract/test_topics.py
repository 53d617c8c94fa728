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
    assert data["format"] == "govtrace-topics-1" and b"pickle" not in out.read_bytes()
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
