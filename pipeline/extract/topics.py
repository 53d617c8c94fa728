"""Governance topics for every finding: a scikit-learn classifier stored as JSON, never pickle.

``govtrace train`` fits TF-IDF (word 1-2 grams) + one-vs-rest logistic
regression on ``corpora/gold/topics.jsonl`` and writes the vocabulary, IDF
weights, coefficients and thresholds to ``models/topics.json``. Loading reads
that JSON into a vectoriser with fixed vocabulary and plain NumPy weights, so
no code is executed from the model file.

Applying the model needs no scikit-learn: :class:`Tfidf` computes the same features as
scikit-learn's ``TfidfVectorizer`` with the stored vocabulary and IDF weights (a test holds them
equal), so an ingest worker does not pay scikit-learn's 0.7 s import.

TF-IDF only knows the words it was trained on, so paraphrase ("development
could be slowed", "not train … unless") slips through. Hand-written word
families (``models/topic_families.json``: stems such as ``paus*``, ``halt*``,
``moratori*``) add one feature each — a regex per family, cheap enough to run
on every finding at ingest. Per-topic scores: :mod:`pipeline.evaluate_topics`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np

from ..records import Claim, Commitment, CommitmentEvent, Extraction, Metric
from ..rules.topics import FORMAT, VECTORIZER, Tfidf, TopicModel, family_pattern, load
from . import finalizer
from .context import DocContext


def read_rows(data: Path) -> list[dict]:
    """Annotated sentences: JSONL rows ``{"text": ..., "topics": [...]}``."""
    return [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_families(path: Path) -> dict[str, list[str]]:
    """Word families (name → glob phrases) from ``models/topic_families.json``; none when absent."""
    if not path.is_file():
        return {}
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def fit(rows: list[dict], *, c: float = 8.0, families: dict[str, list[str]] | None = None) -> dict:
    """Fit the classifier on annotated rows and return it as a JSON-ready payload (see :func:`from_payload`).

    Args:
        rows: ``{"text": ..., "topics": [...]}`` dictionaries.
        c: Inverse regularisation strength of the logistic models.
        families: Word families whose matches become extra features (name → glob phrases).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [r["text"] for r in rows]
    labels = tuple(sorted({t for r in rows for t in r["topics"]}))
    vectorizer = TfidfVectorizer(**VECTORIZER)
    vectorizer.fit(texts)
    families = dict(families or {})
    shell = TopicModel(labels, Tfidf.from_sklearn(vectorizer), np.zeros(0), np.zeros(0),
                       families=tuple((name, family_pattern(p)) for name, p in families.items()))
    features = shell.features(texts)
    coef, intercept = [], []
    for label in labels:
        target = np.array([label in r["topics"] for r in rows], dtype=int)
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(features, target)
        coef.append(model.coef_[0])
        intercept.append(model.intercept_[0])
    return {
        "format": FORMAT, "labels": list(labels), "threshold": 0.5,
        "vectorizer": {k: list(v) if isinstance(v, tuple) else v for k, v in VECTORIZER.items()},
        "vocabulary": {term: int(i) for term, i in vectorizer.vocabulary_.items()},
        "idf": np.round(vectorizer.idf_, 6).tolist(), "families": families,
        "coef": np.round(np.array(coef), 6).tolist(), "intercept": [round(float(b), 6) for b in intercept],
    }


def train(data: Path, out: Path, *, c: float = 8.0, families: Path | None = None) -> TopicModel:
    """Fit the classifier on annotated sentences and write it as JSON.

    Args:
        data: JSONL rows ``{"text": ..., "topics": [...]}``.
        out: Where to write the model.
        c: Inverse regularisation strength of the logistic models.
        families: Word-family file (``models/topic_families.json``); its phrases are copied into
            the model, so ingest reads one file. None trains on TF-IDF alone.

    Returns:
        The fitted model (as it will be loaded back).
    """
    payload = fit(read_rows(data), c=c, families=read_families(families) if families else None)
    out.write_text(json.dumps(payload), encoding="utf-8")
    return load(out)


@finalizer("topics")
def assign_topics(extraction: Extraction, context: DocContext) -> Extraction:
    """Tag every finding with the topics of its sentence (and section heading)."""
    model = context.rules.topics
    by_index = {s.index: s for s in context.sentences}
    groups = (extraction.metrics, extraction.claims, extraction.commitments, extraction.events)
    findings = [f for group in groups for f in group]
    if not findings:
        return extraction
    located = [(by_index.get(f.evidence.sentence_index), f.text) for f in findings]
    texts = [sentence.text if sentence else text for sentence, text in located]
    headings = [sentence.section if sentence else None for sentence, _ in located]
    topics = iter(model.predict(texts, headings=headings))
    # keyword arguments run left to right: the groups take their topics in the order they were listed
    return Extraction(metrics=_tagged(extraction.metrics, topics), claims=_tagged(extraction.claims, topics),
                      commitments=_tagged(extraction.commitments, topics),
                      events=_tagged(extraction.events, topics))


_Finding = TypeVar("_Finding", Metric, Claim, Commitment, CommitmentEvent)


def _tagged(group: tuple[_Finding, ...], topics: Iterator[tuple[str, ...]]) -> tuple[_Finding, ...]:
    return tuple(dataclasses.replace(f, topics=next(topics)) for f in group)
