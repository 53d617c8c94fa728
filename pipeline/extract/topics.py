"""Governance topics for every finding: a scikit-learn classifier stored as JSON, never pickle.

``govtrace train`` fits TF-IDF (word 1-2 grams) + one-vs-rest logistic
regression on ``corpora/gold/topics.jsonl`` and writes the vocabulary, IDF
weights, coefficients and thresholds to ``models/topics.json``. Loading reads
that JSON into a vectoriser with fixed vocabulary and plain NumPy weights, so
no code is executed from the model file.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ..errors import ModelError
from ..records import Extraction
from . import finalizer
from .context import DocContext

VECTORIZER = {"ngram_range": (1, 2), "sublinear_tf": True, "min_df": 1, "lowercase": True, "strip_accents": "unicode"}


@dataclasses.dataclass(frozen=True)
class TopicModel:
    """A fitted topic classifier: TF-IDF features, one logistic model per label."""

    labels: tuple[str, ...]
    vectorizer: TfidfVectorizer
    coef: np.ndarray  # labels × features
    intercept: np.ndarray
    threshold: float = 0.5

    def probabilities(self, texts: list[str]) -> np.ndarray:
        features = self.vectorizer.transform(texts)
        return 1.0 / (1.0 + np.exp(-(features @ self.coef.T + self.intercept)))

    def predict(self, texts: list[str]) -> list[tuple[str, ...]]:
        return [tuple(self.labels[j] for j in np.flatnonzero(row >= self.threshold))
                for row in self.probabilities(texts)]


def train(data: Path, out: Path, *, c: float = 8.0) -> TopicModel:
    """Fit the classifier on annotated sentences and write it as JSON.

    Args:
        data: JSONL rows ``{"text": ..., "topics": [...]}``.
        out: Where to write the model.
        c: Inverse regularisation strength of the logistic models.

    Returns:
        The fitted model (as it will be loaded back).
    """
    from sklearn.linear_model import LogisticRegression

    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    labels = tuple(sorted({t for r in rows for t in r["topics"]}))
    vectorizer = TfidfVectorizer(**VECTORIZER)
    features = vectorizer.fit_transform(texts)
    coef, intercept = [], []
    for label in labels:
        target = np.array([label in r["topics"] for r in rows], dtype=int)
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(features, target)
        coef.append(model.coef_[0])
        intercept.append(model.intercept_[0])
    payload = {
        "format": "govtrace-topics-1", "labels": list(labels), "threshold": 0.5,
        "vectorizer": {k: list(v) if isinstance(v, tuple) else v for k, v in VECTORIZER.items()},
        "vocabulary": {term: int(i) for term, i in vectorizer.vocabulary_.items()},
        "idf": vectorizer.idf_.tolist(), "coef": np.array(coef).tolist(), "intercept": intercept,
    }
    out.write_text(json.dumps(payload), encoding="utf-8")
    return load(out)


def load(path: Path) -> TopicModel:
    """Read a model written by :func:`train`.

    Raises:
        ModelError: The file is missing or not a govtrace topic model.
    """
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
        if payload.get("format") != "govtrace-topics-1":
            raise ValueError("unknown format")
        options = dict(payload["vectorizer"], ngram_range=tuple(payload["vectorizer"]["ngram_range"]))
        vectorizer = TfidfVectorizer(vocabulary=payload["vocabulary"], **options)
        vectorizer.idf_ = np.array(payload["idf"])
        return TopicModel(labels=tuple(payload["labels"]), vectorizer=vectorizer, coef=np.array(payload["coef"]),
                          intercept=np.array(payload["intercept"]), threshold=payload["threshold"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: not a usable topic model ({exc}). Rebuild it with 'govtrace train'.") from exc


@functools.lru_cache(maxsize=4)
def cached(path: Path) -> TopicModel:
    return load(path)


@finalizer("topics")
def assign_topics(extraction: Extraction, context: DocContext) -> Extraction:
    """Tag every finding with the topics of its sentence (and section heading)."""
    path = context.settings.models_dir / "topics.json"
    if not path.is_file():
        raise ModelError(f"{path}: the topic model is missing. Rebuild it with 'govtrace train'.")
    model = cached(path)
    by_index = {s.index: s for s in context.sentences}
    groups = (extraction.metrics, extraction.claims, extraction.commitments, extraction.events)
    findings = [f for group in groups for f in group]
    if not findings:
        return extraction
    texts = [_context_text(by_index.get(f.evidence.sentence_index), f.text) for f in findings]
    topics = iter(model.predict(texts))
    tagged = [tuple(dataclasses.replace(f, topics=next(topics)) for f in group) for group in groups]
    return Extraction(metrics=tagged[0], claims=tagged[1], commitments=tagged[2], events=tagged[3])


def _context_text(sentence, fallback: str) -> str:
    if sentence is None:
        return fallback
    return f"{sentence.text} {sentence.section or ''}".strip()
