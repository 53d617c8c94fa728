"""Comparator: line up what documents state across versions and time, and classify each shift.

Public entry points: :func:`find_series`, :func:`compare_documents`,
:func:`compare_series`, :func:`refresh_shifts` (store every pair's shifts),
:func:`corroborate`, :func:`timeline`, :func:`unannounced`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from ..config import Settings
from ..errors import GovtraceError
from ..records import (
    Change,
    Commitment,
    Comparison,
    Corroboration,
    Document,
    Metric,
    MetricReport,
    Position,
    Sentence,
    StoredFinding,
)
from ..rules import Gazetteer, Rules, TopicModel, rules_for
from ..store import Store
from . import changelog as changelog_lib
from .align import normalise
from .direction import ShiftModel, load_model
from .embed import Memo, encoder
from .passages import align_passages
from .positions import positions
from .series import find_series, series_name
from .shifts import DEFAULT_MIN_CONFIDENCE, evidence, find_shifts


def compare_documents(store: Store, old: Document, new: Document, *, settings: Settings | None = None,
                      rules: Rules | None = None, changelog: Path | None = None,
                      min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                      include_reworded: bool = False) -> list[Change]:
    """Every material shift between two versions, ranked: removed and weakened commitments first.

    Passages are aligned by meaning and wording (:mod:`.passages`), the learned
    direction model judges each difference (:mod:`.direction`), and each shift is
    checked against the revision's changelog (:mod:`.changelog`): the new
    version's own changelog section, the companion CHANGELOG.md stored with it, or ``changelog``.

    Args:
        rules: the run's rules; read from ``settings.models_dir`` when not given.
        min_confidence: leave out shifts the model is less sure of.
        include_reworded: also list passages rewritten without a material change.
    """
    settings = settings or Settings()
    rules = rules or rules_for(settings)
    assert old.id is not None and new.id is not None
    embed = Memo(encoder(settings.embedding_model).encode)
    # each version read once: its sentences and findings serve the passages, the metrics and the audit
    old_sentences, new_sentences = store.sentences(old.id), store.sentences(new.id)
    before, after = store.extraction(old.id), store.extraction(new.id)
    pieces = evidence(align_passages(old_sentences, new_sentences, rules, embed=embed), rules,
                      old_commitments=by_sentence(before.commitments),
                      new_commitments=by_sentence(after.commitments))
    changes = find_shifts(pieces, shift_model(settings.models_dir), rules.compare.cue_groups,
                          old_document=old.path, new_document=new.path, embed=embed,
                          min_confidence=min_confidence, include_reworded=include_reworded)
    changes = [_with_topics(c, before.commitments, after.commitments, rules.topics) for c in changes]
    changes += _metric_changes(old, new, before.metrics, after.metrics, old_sentences, new_sentences)
    log = changelog_lib.entries(new_sentences, changelog, changelogs=changelog_lib.companions(new),
                                date=new.date)
    return rank(changelog_lib.audit(changes, log, embed=embed))


_RANK = {"removed": 0, "weakened": 1, "value_changed": 2, "strengthened": 3, "added": 4, "reworded": 5}


def rank(changes: list[Change]) -> list[Change]:
    """What matters first: removed and weakened commitments, then changed values, strengthened,
    added; the model's confidence orders each group, so a rewording never outranks a dropped pledge."""
    return sorted(changes, key=lambda c: (_RANK.get(c.shift, 9), -(c.confidence or 0.0),
                                          c.old_start if c.old_start is not None else c.new_start or 0))


def commitments_by_sentence(store: Store, document: Document) -> dict[int, Commitment]:
    """The first commitment extracted from each sentence of a document."""
    assert document.id is not None
    return by_sentence(store.extraction(document.id).commitments)


def by_sentence(commitments: tuple[Commitment, ...] | list[Commitment]) -> dict[int, Commitment]:
    found: dict[int, Commitment] = {}
    for commitment in commitments:
        found.setdefault(commitment.evidence.sentence_index, commitment)
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")


def _with_topics(change: Change, old: tuple[Commitment, ...], new: tuple[Commitment, ...],
                 model: TopicModel) -> Change:
    """The topics of the commitments extracted from a shift's sentences (for --topic filters), or,
    where none was extracted (a pledge phrased as a noun: "a public commitment not to train ...
    unless ..."), the topics the topic model reads in the passage itself."""
    topics = {t for commitments, indices in ((old, change.old_sentences), (new, change.new_sentences))
              for c in commitments if c.evidence.sentence_index in indices for t in c.topics}
    if not topics:  # sentence by sentence: a passage's other sentences would dilute a pledge's words
        sentences = [t for t in _SENTENCE_END.split(change.old_text or change.new_text or "") if t.strip()]
        topics = {t for found in model.predict(sentences) for t in found} if sentences else set()
    return dataclasses.replace(change, topics=tuple(sorted(topics))) if topics else change


def shift_model(models_dir: Path) -> ShiftModel:
    """The shipped direction model (models/shift_model.json)."""
    return load_model(models_dir / "shift_model.json")


def _metric_changes(old: Document, new: Document, before: Sequence[Metric], after: Sequence[Metric],
                    old_sentences: list[Sentence], new_sentences: list[Sentence]) -> list[Change]:
    """value_changed: the same measured thing (unit, entity, subject, sentence) with another value."""
    if not before or not after:
        return []
    old_texts = {s.index: s.text for s in old_sentences}
    new_texts = {s.index: s.text for s in new_sentences}
    changes, used = [], set()
    for a in before:
        for j, b in enumerate(after):
            if j in used or a.unit != b.unit or a.time_unit != b.time_unit or a.value == b.value:
                continue
            same_place = _overlap(old_texts[a.evidence.sentence_index],
                                  new_texts[b.evidence.sentence_index]) >= 0.6
            if same_place and _same_subject(a.subject or "", b.subject or ""):
                used.add(j)
                changes.append(Change(
                    shift="value_changed", item_type="metric", reason=f"{a.text} → {b.text}",
                    old_text=old_texts[a.evidence.sentence_index],
                    new_text=new_texts[b.evidence.sentence_index],
                    old_document=old.path, new_document=new.path,
                    old_page=a.evidence.page, new_page=b.evidence.page,
                    old_start=a.evidence.start, new_start=b.evidence.start,
                    old_value=a.value, new_value=b.value,
                    topics=tuple(sorted(set(a.topics) | set(b.topics)))))
                break
    return changes


def _overlap(a: str, b: str) -> float:
    words_a, words_b = set(normalise(a).split()), set(normalise(b).split())
    return len(words_a & words_b) / max(len(words_a | words_b), 1)


def unannounced(changes: tuple[Change, ...] | list[Change]) -> tuple[Change, ...]:
    """Material shifts that the revision's changelog does not announce (empty without a changelog)."""
    return tuple(c for c in changes if c.announced is False and c.shift != "reworded")


def compare_series(store: Store, name: str, *, settings: Settings | None = None,
                   rules: Rules | None = None) -> list[Comparison]:
    """Compare each consecutive pair of versions in a series (by ``rules``, read from
    ``settings.models_dir`` when not given).

    Raises:
        GovtraceError: No series has that name.
    """
    series = find_series(store)
    if name not in series:
        raise GovtraceError(f"no version series named '{name}'; list them with 'govtrace series'")
    documents = series[name]
    rules = rules or rules_for(settings or Settings())
    steps = []
    for old, new in zip(documents, documents[1:]):
        changes = tuple(compare_documents(store, old, new, settings=settings, rules=rules))
        steps.append(Comparison(name, old, new, changes, unannounced(changes)))
    return steps


def refresh_shifts(store: Store, *, settings: Settings | None = None,
                   progress: Callable[[str], None] | None = None,
                   ) -> list[tuple[str, Document, Document, int]]:
    """Compare every consecutive pair of versions not yet compared, and store their shifts.

    Run after an ingest (a new version arrived) or a re-extraction (findings changed; the
    store's comparisons were forgotten first). A pair already compared is left alone.

    Returns:
        (series, old, new, number of shifts) for each pair compared now.
    """
    done = store.compared()
    rules = rules_for(settings or Settings())
    compared = []
    for name, documents in find_series(store).items():
        for old, new in zip(documents, documents[1:]):
            if (old.id, new.id) in done:
                continue
            if progress:
                progress(f"comparing {Path(old.path).name} -> {Path(new.path).name}")
            changes = compare_documents(store, old, new, settings=settings, rules=rules)
            compared.append((name, old, new, store.save_comparison(name, old, new, changes)))
    return compared


def corroborate(store: Store, *, tolerance: float = 0.05) -> list[Corroboration]:
    """Link the same metric (entity, unit, subject) reported by different documents.

    Returns:
        One record per pair of reports: both values, their documents and sentences, and
        ``consistent`` (relative difference within ``tolerance``).
    """
    metrics = store.findings(Metric, current_only=True)
    links = []
    for i, a in enumerate(metrics):
        for b in metrics[i + 1:]:
            x, y = a.finding, b.finding
            if a.document.path == b.document.path or x.unit != y.unit or x.entity != y.entity or not x.entity:
                continue
            if x.unit in ("duration", "count") or not _same_subject(x.subject, y.subject):
                continue
            difference = abs(x.value - y.value) / max(abs(x.value), abs(y.value), 1e-9)
            links.append(Corroboration(entity=x.entity, unit=x.unit, subject=x.subject,
                                       consistent=difference <= tolerance, difference=round(difference, 4),
                                       reports=(_reported(a), _reported(b))))
    return links


def _reported(stored: StoredFinding[Metric]) -> MetricReport:
    return MetricReport(value=stored.finding.value, text=stored.finding.text,
                        path=stored.document.path, date=stored.document.date,
                        sentence=stored.sentence.text)


def _same_subject(a: str | None, b: str | None) -> bool:
    words_a, words_b = set(normalise(a or "").split()), set(normalise(b or "").split())
    return bool(words_a and words_b) and len(words_a & words_b) / min(len(words_a), len(words_b)) >= 0.5


def timeline(store: Store, actor: str, *, topic: str | None = None, since: str | None = None,
             gazetteer: Gazetteer | None = None) -> list[Position]:
    """An actor's positions and their changes in date order: its policies' commitments (each once, at
    the first version that states it), the shifts between versions, and what the news reports, each
    with its source sentence and the links between news and policy text (see :mod:`.positions`)."""
    return positions(store, actor, topic=topic, since=since, gazetteer=gazetteer)


__all__ = ["Comparison", "compare_documents", "rank", "unannounced",
           "compare_series", "corroborate", "find_series", "series_name", "timeline"]
