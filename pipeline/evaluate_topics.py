"""Per-topic precision, recall and F1 of the topic classifier.

Two views, side by side in ``govtrace evaluate``:

* cross-validated on the training gold (``corpora/gold/topics.jsonl``): k folds
  with a fixed seed, each fold scored by a model fitted on the others, with the
  same word families the shipped model uses;
* held out on real text: ``corpora/gold/real/topics.jsonl`` names each sentence
  of the real news articles by its hash (:func:`pipeline.evaluate.sentence_key`),
  never its text, and the topics it is about. The shipped model is scored on the
  text it sees at ingest (sentence, with its section heading as weaker evidence). Skipped when the
  articles are absent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .config import Settings
from .evaluate import Score, sentence_key
from .extract import topics as topic_model
from .rules import TopicModel, rules_for
from .rules.topics import from_payload

log = logging.getLogger(__name__)

CV_SYSTEM = "govtrace (cv)"
REAL_SYSTEM = "govtrace (real)"


def score_topics(system: str, labels: Iterable[str], gold: Sequence[Iterable[str]],
                 predicted: Sequence[Iterable[str]]) -> list[Score]:
    """One score per label over parallel lists of gold and predicted topic sets."""
    scores = []
    for label in labels:
        pairs = [(label in g, label in p) for g, p in zip(gold, predicted, strict=True)]
        scores.append(Score(system, "topics", label, tp=sum(g and p for g, p in pairs),
                            fp=sum(p and not g for g, p in pairs), fn=sum(g and not p for g, p in pairs)))
    return scores


def macro_f1(scores: Iterable[Score]) -> float:
    """Mean F1 over the topics that occur in the gold or the predictions (empty ones carry no signal)."""
    values = [s.f1 for s in scores if s.tp + s.fp + s.fn]
    return sum(values) / len(values) if values else 0.0


def cross_validate(data: Path, *, families: Path | None = None, folds: int = 5, seed: int = 0,
                   c: float = 8.0) -> list[Score]:
    """Per-topic scores of models fitted on k-1 folds and applied to the k-th.

    Args:
        data: Topic gold (JSONL rows ``{"text": ..., "topics": [...]}``).
        families: Word-family file, as ``govtrace train`` uses it; None for TF-IDF alone.
        folds: Number of folds.
        seed: Shuffling seed, fixed so the figures are reproducible.
        c: Inverse regularisation strength, as in :func:`pipeline.extract.topics.fit`.

    Returns:
        One score per topic, counts summed over the folds.
    """
    from sklearn.model_selection import KFold

    rows = topic_model.read_rows(data)
    family_map = topic_model.read_families(families) if families else None
    labels = sorted({t for r in rows for t in r["topics"]})
    predicted: list[tuple[str, ...]] = [()] * len(rows)
    splits = KFold(n_splits=folds, shuffle=True, random_state=seed).split(np.arange(len(rows)))
    for train_idx, test_idx in splits:
        payload = topic_model.fit([rows[i] for i in train_idx], c=c, families=family_map)
        model = from_payload(payload)
        for i, topics in zip(test_idx, model.predict([rows[i]["text"] for i in test_idx])):
            predicted[i] = topics
    return score_topics(CV_SYSTEM, labels, [r["topics"] for r in rows], predicted)


def score_real(gold: Path, corpus: Path, model: TopicModel, settings: Settings) -> list[Score]:
    """Per-topic scores of ``model`` on real documents annotated by sentence hash.

    A gold sentence the splitter no longer produces counts as missed on all its topics (and is
    logged), so a change in sentence splitting shows up as lost recall rather than vanishing.
    """
    from .ingest import read
    from .nlp import split_sentences

    rows = topic_model.read_rows(gold)
    located: dict[tuple[str, str], tuple[str, str | None]] = {}
    for name in sorted({r["document"] for r in rows}):
        for sentence in split_sentences(read(corpus / name, settings)):
            located.setdefault((name, sentence_key(sentence.text)), (sentence.text, sentence.section))
    missing = [r for r in rows if (r["document"], r["sentence_sha1"]) not in located]
    for r in missing:
        log.warning("topic gold sentence %s of %s is not among the document's sentences; counted as missed",
                    r["sentence_sha1"], r["document"])
    found = [located[r["document"], r["sentence_sha1"]] for r in rows if r not in missing]
    predicted = model.predict([t for t, _ in found], headings=[h for _, h in found]) if found else []
    predicted += [()] * len(missing)
    gold_topics = [r["topics"] for r in rows if r not in missing] + [r["topics"] for r in missing]
    scores = score_topics(REAL_SYSTEM, model.labels, gold_topics, predicted)
    return [s for s in scores if s.tp + s.fp + s.fn]  # topics the articles never touch say nothing


def evaluate_topics(gold_dir: Path, settings: Settings, *, real_corpus: Path | None = None) -> list[Score]:
    """Cross-validated scores on ``gold_dir/topics.jsonl`` and, when ``real_corpus`` holds the
    documents ``gold_dir/real/topics.jsonl`` describes, the shipped model's scores on them.

    Returns:
        Scores with system "govtrace (cv)" and "govtrace (real)", extractor "topics", field = topic;
        empty when the gold file is absent.
    """
    scores: list[Score] = []
    data = gold_dir / "topics.jsonl"
    if data.is_file():
        scores += cross_validate(data, families=settings.models_dir / "topic_families.json")
    real_gold = gold_dir / "real" / "topics.jsonl"
    if real_corpus is not None and real_gold.is_file() and _holds_documents(real_corpus, real_gold):
        model = rules_for(settings).topics
        scores += score_real(real_gold, real_corpus, model, settings)
    return scores


def _holds_documents(corpus: Path, gold: Path) -> bool:
    names = {row["document"] for row in topic_model.read_rows(gold)}
    present = {name for name in names if (corpus / name).is_file()}
    if present and present != names:
        log.warning("%s lacks %s; real-text topic scores skipped", corpus, ", ".join(sorted(names - present)))
    return present == names


def format_summary(scores: Iterable[Score]) -> str:
    """One line with the topic macro-F1 per system, for the end of the evaluation table."""
    by_system: dict[str, list[Score]] = {}
    for s in scores:
        if s.extractor == "topics":
            by_system.setdefault(s.system, []).append(s)
    if not by_system:
        return ""
    parts = [f"{system} {macro_f1(rows):.3f}" for system, rows in by_system.items()]
    return "topics macro-F1: " + ", ".join(parts) + "\n"
