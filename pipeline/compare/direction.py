"""The learned direction of a shift: a logistic model over interpretable features, stored as JSON.

Three heads, one per kind of evidence the alignment leaves:

- ``pair``: an old passage and its new counterpart → retained (R), weakened (W) or strengthened (S);
- ``removed``: old sentences with no counterpart → nothing material, removed (X) or weakened (W);
- ``added``: new sentences with no counterpart → nothing material, added (A), strengthened (S) or
  weakened (W).

A fourth head, ``direction``, says which way a rewritten pair moved once it is judged material
(W or S). It reads only the wording's lean (:func:`~pipeline.compare.features.weaker`) over the
passage, over its paragraph and over its section: with a hundred coded pairs to learn from, the
pair head's forty features guessed the direction at chance, and three features that mean one
thing did better (a revision that hedges one passage tends to hedge the section around it).

Each head is a scikit-learn ``LogisticRegression`` trained on hand-coded
revisions (``govtrace train-shifts``); only its numbers are stored (never a
pickle), and prediction is a few lines of numpy. Every prediction comes with
its probability and the features that pushed it most, in words.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from .features import CueGroup, describe

HEADS = ("pair", "removed", "added")
# a fourth head says how much a sentence reads as a commitment (embedding + cue features)
COMMITMENT = "commitment"
DIRECTION = "direction"
DIRECTION_FEATURES = ("weaker:passage", "weaker:paragraph", "weaker:section")
NOTHING = ("R", "none")


@dataclass(frozen=True)
class Head:
    """One fitted logistic model: feature order, scaling and weights."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # classes × features
    intercept: np.ndarray

    def predict(self, values: dict[str, float]) -> tuple[str, float, np.ndarray]:
        """(class, probability, each feature's push toward that class)."""
        z = (np.array([values.get(f, 0.0) for f in self.features]) - self.mean) / self.scale
        logits = self.coef @ z + self.intercept
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        best = int(probs.argmax())
        return self.classes[best], float(probs[best]), self.coef[best] * z

    def probability(self, values: dict[str, float], label: str) -> float:
        """The probability of one class (0.5 when the head never saw it)."""
        if label not in self.classes:
            return 0.5
        z = (np.array([values.get(f, 0.0) for f in self.features]) - self.mean) / self.scale
        logits = self.coef @ z + self.intercept
        probs = np.exp(logits - logits.max())
        return float(probs[self.classes.index(label)] / probs.sum())

    def to_dict(self) -> dict:
        return {"classes": list(self.classes), "features": list(self.features), "mean": self.mean.tolist(),
                "scale": self.scale.tolist(), "coef": self.coef.tolist(),
                "intercept": self.intercept.tolist()}

    @classmethod
    def from_dict(cls, data: dict) -> Head:
        return cls(tuple(data["classes"]), tuple(data["features"]), np.array(data["mean"]),
                   np.array(data["scale"]), np.array(data["coef"]), np.array(data["intercept"]))


@dataclass(frozen=True)
class ReportRate:
    """How many candidate shifts a document pair reports: the ``per_commitment`` share of its
    evidence pieces that read as commitments (score at least ``min_commitment``), learned by
    cross-validation on the coded pairs. The coders trace a fraction of the passages that differ;
    reporting every difference the heads call material drowns the real shifts (about 2 per coded one)."""

    per_commitment: float
    min_commitment: float

    def count(self, commitment_scores: list[float]) -> int:
        return int(round(self.per_commitment * sum(s >= self.min_commitment for s in commitment_scores)))

    def to_dict(self) -> dict:
        return {"per_commitment": self.per_commitment, "min_commitment": self.min_commitment}


@dataclass(frozen=True)
class ShiftModel:
    """The three heads, the report rate and what they were trained on."""

    heads: dict[str, Head]
    trained_on: tuple[str, ...] = ()
    report: ReportRate | None = None  # None: report every material verdict at or above the confidence asked

    def judge(self, head: str, values: dict[str, float],
              groups: tuple[CueGroup, ...]) -> tuple[str, float, str]:
        """(class, probability, reason in words) for one piece of evidence."""
        label, probability, push = self.heads[head].predict(values)
        if label in NOTHING:
            return label, probability, ""
        features = self.heads[head].features
        top = [i for i in np.argsort(-push)[:3] if push[i] > 0.05]
        reason = "; ".join(describe(features[i], values.get(features[i], 0.0), groups) for i in top)
        return label, probability, reason

    def direction(self, values: dict[str, float]) -> str:
        """W or S for a rewritten pair judged material; without a direction head, the pair head's
        more probable of the two."""
        head = self.heads.get(DIRECTION) or self.heads["pair"]
        return "W" if head.probability(values, "W") >= head.probability(values, "S") else "S"

    def commitment(self, values: dict[str, float]) -> float:
        """Probability that a sentence is a commitment (0.5 when the model has no commitment head)."""
        head = self.heads.get(COMMITMENT)
        if head is None:
            return 0.5
        return head.probability(values, "yes")

    def save(self, path: Path) -> None:
        payload = {"format": "govtrace-shift-model/1", "trained_on": list(self.trained_on),
                   "heads": {name: head.to_dict() for name, head in self.heads.items()}}
        if self.report is not None:
            payload["report"] = self.report.to_dict()
        path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


def load_model(path: Path) -> ShiftModel:
    """Read a shift model file.

    Raises:
        ConfigError: The file is missing or not a shift model; says how to rebuild it.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        heads = {name: Head.from_dict(head) for name, head in data["heads"].items()}
        report = ReportRate(**data["report"]) if "report" in data else None
        missing = set(HEADS) - set(heads)
        if missing:
            raise KeyError(", ".join(sorted(missing)))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a readable shift model ({exc}); rebuild it with "
                          "'govtrace train-shifts --frontier DIR'") from None
    return ShiftModel(heads, tuple(data.get("trained_on", ())), report)


def fit_head(rows: list[tuple[dict[str, float], str]], *, c: float = 0.5, min_rows: int = 3) -> Head:
    """Fit one head (scikit-learn logistic regression, balanced classes) on labelled feature rows.

    Features seen in fewer than ``min_rows`` rows (rare words) are left out.
    """
    from sklearn.linear_model import LogisticRegression

    seen = Counter(f for values, _ in rows for f, v in values.items() if v)
    features = tuple(sorted(f for f, n in seen.items() if n >= min_rows))
    x = np.array([[values.get(f, 0.0) for f in features]
                  for values, _ in rows]).reshape(len(rows), len(features))
    y = np.array([label for _, label in rows])
    mean, scale = ((x.mean(axis=0), x.std(axis=0)) if rows
                   else (np.zeros(len(features)), np.ones(len(features))))
    scale[scale == 0] = 1.0
    classes = sorted(set(y))
    if len(classes) < 2 or not features:  # nothing to learn: the one label seen, or every label alike
        classes = classes or ["none"]
        return Head(tuple(classes), features, mean, scale, np.zeros((len(classes), len(features))),
                    np.zeros(len(classes)))
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    model.fit((x - mean) / scale, y)
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes
        coef, intercept = (np.vstack([-coef[0] / 2, coef[0] / 2]),
                           np.array([-intercept[0] / 2, intercept[0] / 2]))
    return Head(tuple(model.classes_), features, mean, scale, coef, intercept)


def fit(examples: dict[str, list[tuple[dict[str, float], str]]], *, trained_on: tuple[str, ...] = (),
        c: float = 0.5, direction_c: float = 0.01, commitment: Head | None = None) -> ShiftModel:
    """Fit the three heads and the direction head on labelled feature rows; keep the commitment head given.

    The direction head is regularised hard (``direction_c``): it should follow the lean of the
    wording, and a hundred pairs cannot teach it much more than how far to trust it.
    """
    heads = {name: fit_head([(_without(values, DIRECTION_FEATURES), code)
                             for values, code in examples.get(name, [])], c=c)
             for name in HEADS}
    turned = [({f: values.get(f, 0.0) for f in DIRECTION_FEATURES}, code)
              for values, code in examples.get("pair", []) if code in ("W", "S")]
    if turned:
        heads[DIRECTION] = fit_head(turned, c=direction_c, min_rows=1)
    if commitment is not None:
        heads[COMMITMENT] = commitment
    return ShiftModel(heads, trained_on)


def _without(values: dict[str, float], names: tuple[str, ...]) -> dict[str, float]:
    return {k: v for k, v in values.items() if k not in names}


def embedding_features(vector: np.ndarray) -> dict[str, float]:
    """A sentence embedding as named features (``e0`` … ``e383``) for the commitment head."""
    return {f"e{i}": float(v) for i, v in enumerate(vector)}
