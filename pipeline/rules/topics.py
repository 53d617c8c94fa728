"""The topic model (``models/topics.json``) as it is applied: TF-IDF and word-family features, one
logistic model per topic, read from JSON (never pickle, so no code runs from the model file).

Training lives in :mod:`pipeline.extract.topics`; applying the model needs no scikit-learn:
:class:`Tfidf` computes the same features as scikit-learn's ``TfidfVectorizer`` with the stored
vocabulary and IDF weights (a test holds them equal), so an ingest worker does not pay
scikit-learn's 0.7 s import.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError

VECTORIZER = {"ngram_range": (1, 2), "sublinear_tf": True, "min_df": 1, "lowercase": True,
              "strip_accents": "unicode"}
FORMAT = "govtrace-topics-2"
_FORMATS = ("govtrace-topics-1", FORMAT)
# how much one word-family hit weighs against a sentence's L2-normalised TF-IDF vector
FAMILY_WEIGHT = 1.0
HEADING_WEIGHT = 0.5
_GAP = r"\W+(?:\w+\W+){0,6}?"  # "…" in a family phrase: up to six words in between


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


@dataclasses.dataclass(frozen=True)
class Tfidf:
    """TF-IDF features over a fixed vocabulary, as scikit-learn's ``TfidfVectorizer`` computes them
    with the options in :data:`VECTORIZER` (lowercase, accents stripped, word 1-2 grams, sublinear tf,
    L2-normalised rows)."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    ngram_range: tuple[int, int] = (1, 2)
    sublinear_tf: bool = True

    @classmethod
    def from_sklearn(cls, vectorizer: Any) -> Tfidf:
        return cls(dict(vectorizer.vocabulary_), np.asarray(vectorizer.idf_), tuple(vectorizer.ngram_range),
                   bool(vectorizer.sublinear_tf))

    def transform(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        rows = np.zeros((len(texts), len(self.vocabulary)))
        low, high = self.ngram_range
        for row, text in enumerate(texts):
            tokens = _TOKEN.findall(_strip_accents(text.lower()))
            counts: dict[int, int] = {}
            for n in range(low, high + 1):
                for i in range(len(tokens) - n + 1):
                    column = self.vocabulary.get(" ".join(tokens[i:i + n]))
                    if column is not None:
                        counts[column] = counts.get(column, 0) + 1
            for column, count in counts.items():
                rows[row, column] = (1 + math.log(count) if self.sublinear_tf else count) * self.idf[column]
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1.0, norms)


def _strip_accents(text: str) -> str:
    """scikit-learn's ``strip_accents_unicode``."""
    normalized = unicodedata.normalize("NFKD", text)
    if normalized == text:
        return text
    return "".join(c for c in normalized if not unicodedata.combining(c))


@dataclasses.dataclass(frozen=True)
class TopicModel:
    """A fitted topic classifier: TF-IDF and word-family features, one logistic model per label."""

    labels: tuple[str, ...]
    vectorizer: Tfidf
    coef: np.ndarray  # labels × features
    intercept: np.ndarray
    threshold: float = 0.5
    families: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def features(self, texts: list[str]):
        """TF-IDF columns, then one column per word family (FAMILY_WEIGHT where it matches).

        Each distinct text is computed once (a sentence holding several findings, a heading over a whole
        section, the empty heading) and its row repeated: every row depends on its own text alone.
        """
        distinct = list(dict.fromkeys(texts))
        if len(distinct) < len(texts):
            row = {text: i for i, text in enumerate(distinct)}
            return self.features(distinct)[[row[text] for text in texts]]
        tfidf = self.vectorizer.transform(texts)
        if not self.families:
            return tfidf
        lowered = [text.lower() for text in texts]
        hits = np.array([[FAMILY_WEIGHT if pattern.search(text) else 0.0 for _, pattern in self.families]
                         for text in lowered]).reshape(len(texts), len(self.families))
        return np.hstack([tfidf, hits])

    def probabilities(self, texts: list[str], *, headings: list[str | None] | None = None) -> np.ndarray:
        """Per-label probabilities for each text, with its section heading (if any) as weaker evidence."""
        features = self.features(texts)
        if headings is not None and any(headings):
            # a heading speaks for every sentence below it, so it counts for less than the sentence
            # itself: a heading "Calls for a pause" should not make every sentence of its section a pause
            own = [h if h and h.strip() != t.strip() else "" for t, h in zip(texts, headings, strict=True)]
            features = features + HEADING_WEIGHT * self.features(own)
        return 1.0 / (1.0 + np.exp(-(features @ self.coef.T + self.intercept)))

    def predict(self, texts: list[str], *, headings: list[str | None] | None = None) -> list[tuple[str, ...]]:
        """The labels whose probability reaches the threshold, per text (see :meth:`probabilities`)."""
        return [tuple(self.labels[j] for j in np.flatnonzero(row >= self.threshold))
                for row in self.probabilities(texts, headings=headings)]


def family_pattern(phrases: list[str]) -> re.Pattern[str]:
    """One regex for a word family written as globs: ``paus*``, ``stop train*``, ``not train* … unless``.

    ``*`` ends a stem, a space is any run of non-word characters, ``…`` (or ``...``) allows up to six
    words in between; matching starts at a word boundary and expects lower-cased text. Phrases that
    share what comes before their first ``…`` share one branch, so a family of many pairs
    ("paus* … train*", "paus* … model*", ...) stays a short alternation.
    """
    def words(part: str) -> str:
        return r"\W+".join(re.escape(w.lower()).replace(r"\*", r"\w*") for w in part.split())

    branches: dict[str, list[str]] = {}
    for phrase in phrases:
        head, *rest = re.split(r"\s*(?:…|\.\.\.)\s*", phrase.strip())
        branches.setdefault(words(head), []).append(_GAP.join(words(part) for part in rest))
    alternatives = []
    for head, tails in branches.items():
        gapped = [t for t in tails if t]
        tail = "(?:" + _GAP + "(?:" + "|".join(gapped) + "))" if gapped else ""
        alternatives.append(head + (tail + "?" if gapped and "" in tails else tail))
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def from_payload(payload: dict) -> TopicModel:
    """A model from the JSON written by :func:`train` (no code is executed)."""
    if payload.get("format") not in _FORMATS:
        raise ValueError("unknown format")
    options = payload["vectorizer"]
    if {k: options.get(k) for k in ("lowercase", "strip_accents", "min_df")} != {
            "lowercase": True, "strip_accents": "unicode", "min_df": 1}:
        raise ValueError(f"vectorizer options {options} are not the ones this reader computes")
    vectorizer = Tfidf(payload["vocabulary"], np.array(payload["idf"]), tuple(options["ngram_range"]),
                       bool(options.get("sublinear_tf", False)))
    families = tuple((name, family_pattern(p)) for name, p in payload.get("families", {}).items())
    return TopicModel(labels=tuple(payload["labels"]), vectorizer=vectorizer, coef=np.array(payload["coef"]),
                      intercept=np.array(payload["intercept"]), threshold=payload["threshold"],
                      families=families)


def load(path: Path) -> TopicModel:
    """Read a model written by :func:`train`.

    Raises:
        ModelError: The file is missing or not a govtrace topic model.
    """
    try:
        return from_payload(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise ModelError(f"{path}: not a usable topic model ({exc}). "
                         "Rebuild it with 'govtrace train'.") from exc
