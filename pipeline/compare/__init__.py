"""Comparator: line up what documents state across versions and time, and classify each shift.

Public entry points: :func:`find_series`, :func:`compare_documents`,
:func:`compare_series`, :func:`corroborate`, :func:`timeline`,
:func:`changelog_audit`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import GovtraceError
from ..records import Change, Document
from ..store import Store
from .align import Statement, align, ignored_words, normalise
from .classify import classify
from .series import find_series, series_name

_RULE_CUE = re.compile(r"\b(must|shall|will|should|may|never|don't|do not|prohibit|commit|aim|plan)\b", re.I)


def statements(store: Store, document: Document) -> list[Statement]:
    """A document's comparable statements: its commitments, else its rule-like sentences and list items."""
    assert document.id is not None
    sentences = {s.index: s for s in store.sentences(document.id)}
    found = [
        Statement(text=c.text, document=document.path, page=c.evidence.page, start=c.evidence.start,
                  strength=c.strength, polarity=c.polarity, condition=c.condition, kind=c.kind, topics=c.topics)
        for c in store.extraction(document.id).commitments
    ]
    if found:
        return found
    return [Statement(text=s.text, document=document.path, page=s.page, start=s.start)
            for s in sentences.values() if s.kind == "list_item" or _RULE_CUE.search(s.text)]


def compare_documents(store: Store, old: Document, new: Document) -> list[Change]:
    """Every shift between two versions, removed prohibitions and commitments flagged as important."""
    new_statements = statements(store, new)
    pairs, removed, added = align(statements(store, old), new_statements)
    changes: list[Change] = []
    for before, after, score in pairs:
        found = classify(before, after)
        if found:
            changes.append(_change(found[0], found[1], before, after, score))
    for before in list(removed):
        broader = _covering(before, new_statements)
        if broader is not None:  # a list item folded into a broader rule is kept, in other words
            removed.remove(before)
            changes.append(_change("reworded", "now covered by a broader rule", before, broader, None))
    for before in removed:
        important = before.kind in ("prohibition", "pledge", "conditional") or before.polarity == "negative"
        changes.append(_change("removed", "no counterpart in the newer version", before, None, None, important))
    for after in added:
        changes.append(_change("added", "no counterpart in the older version", None, after, None))
    changes += _metric_changes(store, old, new)
    return sorted(changes, key=lambda c: (c.old_start if c.old_start is not None else 1e12, c.new_start or 0))


def _metric_changes(store: Store, old: Document, new: Document) -> list[Change]:
    """value_changed: the same measured thing (unit, entity, subject, sentence) with another value."""
    assert old.id is not None and new.id is not None
    before, after = store.extraction(old.id).metrics, store.extraction(new.id).metrics
    if not before or not after:
        return []
    old_sentences = {s.index: s.text for s in store.sentences(old.id)}
    new_sentences = {s.index: s.text for s in store.sentences(new.id)}
    changes, used = [], set()
    for a in before:
        for j, b in enumerate(after):
            if j in used or a.unit != b.unit or a.time_unit != b.time_unit or a.value == b.value:
                continue
            same_place = _overlap(old_sentences[a.evidence.sentence_index], new_sentences[b.evidence.sentence_index]) >= 0.6
            if same_place and _same_subject(a.subject or "", b.subject or ""):
                used.add(j)
                changes.append(Change(
                    shift="value_changed", item_type="metric", reason=f"{a.text} → {b.text}",
                    old_text=old_sentences[a.evidence.sentence_index], new_text=new_sentences[b.evidence.sentence_index],
                    old_document=old.path, new_document=new.path, old_page=a.evidence.page, new_page=b.evidence.page,
                    old_start=a.evidence.start, new_start=b.evidence.start, old_value=a.value, new_value=b.value,
                    topics=tuple(sorted(set(a.topics) | set(b.topics)))))
                break
    return changes


def _overlap(a: str, b: str) -> float:
    words_a, words_b = set(normalise(a).split()), set(normalise(b).split())
    return len(words_a & words_b) / max(len(words_a | words_b), 1)


def _stems(text: str) -> set[str]:
    return {w[:5] for w in normalise(text).split() if w not in ignored_words("covering_rule_extra")}


def _covering(statement: Statement, candidates: list[Statement], *, min_share: float = 0.7) -> Statement | None:
    """A newer statement containing nearly all of a short removed rule's distinctive words."""
    words = _stems(statement.text)
    if not words or len(words) > 8:
        return None
    best = max(candidates, key=lambda c: len(words & _stems(c.text)), default=None)
    if best is not None and len(words & _stems(best.text)) / len(words) >= min_share:
        return best
    return None


def _change(shift: str, reason: str, old: Statement | None, new: Statement | None, score: float | None,
            important: bool = False) -> Change:
    return Change(
        shift=shift, item_type="commitment", reason=reason,
        old_text=old.text if old else None, new_text=new.text if new else None,
        old_document=old.document if old else None, new_document=new.document if new else None,
        old_page=old.page if old else None, new_page=new.page if new else None,
        old_start=old.start if old else None, new_start=new.start if new else None,
        similarity=round(score, 3) if score is not None else None,
        important=important or shift in ("weakened",) and bool(old and old.kind == "prohibition"),
        topics=tuple(sorted(set((old.topics if old else ()) + (new.topics if new else ())))),
    )


@dataclass(frozen=True)
class Comparison:
    """One step of a series: two consecutive versions and the shifts between them."""

    series: str
    old: Document
    new: Document
    changes: tuple[Change, ...]
    unmentioned: tuple[Change, ...] = ()


def compare_series(store: Store, name: str) -> list[Comparison]:
    """Compare each consecutive pair of versions in a series.

    Raises:
        GovtraceError: No series has that name.
    """
    series = find_series(store)
    if name not in series:
        raise GovtraceError(f"no version series named '{name}'; list them with 'govtrace series'")
    documents = series[name]
    steps = []
    for old, new in zip(documents, documents[1:]):
        changes = tuple(compare_documents(store, old, new))
        steps.append(Comparison(name, old, new, changes, tuple(changelog_audit(store, new, changes))))
    return steps


def changelog_audit(store: Store, new: Document, changes: tuple[Change, ...] | list[Change]) -> list[Change]:
    """Material changes that the newer version's own changelog does not mention.

    Returns an empty list when the document has no changelog section (nothing to audit).
    """
    assert new.id is not None
    log = [s.text for s in store.sentences(new.id) if re.search(r"change ?log|what'?s new|changes", s.section or "", re.I)
           and s.kind != "heading"]
    companion = Path(new.path).with_name("CHANGELOG.md")
    if companion.is_file():
        log += [line for line in companion.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    if not log:
        return []
    entries = [_stems(line) - _LOG_VERBS for line in log]
    missing = []
    for change in changes:
        if change.shift == "reworded":
            continue
        text = _stems(change.new_text or change.old_text or "")
        # an entry mentions a change when most of the entry's own words are about it
        if not any(len(text & entry) >= 2 and len(text & entry) / len(entry) >= 0.5 for entry in entries if entry):
            missing.append(change)
    return missing


_LOG_VERBS = {"added", "adde", "repla", "remov", "updat", "chang", "clari", "revis", "intro", "moved", "renam"}


def corroborate(store: Store, *, tolerance: float = 0.05) -> list[dict]:
    """Link the same metric (entity, unit, subject) reported by different documents.

    Returns:
        One row per pair of reports: both values, their documents and sentences, and
        ``consistent`` (relative difference within ``tolerance``).
    """
    rows = list(store.rows(
        "SELECT m.value, m.unit, m.currency, m.subject, m.entity, m.text, m.time, d.path, d.date, s.text AS sentence "
        "FROM metrics m JOIN documents d ON d.id = m.document_id "
        "JOIN sentences s ON s.document_id = m.document_id AND s.idx = m.sentence_idx WHERE d.is_current = 1"))
    links = []
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if a["path"] == b["path"] or a["unit"] != b["unit"] or a["entity"] != b["entity"] or not a["entity"]:
                continue
            if a["unit"] in ("duration", "count") or not _same_subject(a["subject"], b["subject"]):
                continue
            difference = abs(a["value"] - b["value"]) / max(abs(a["value"]), abs(b["value"]), 1e-9)
            links.append({"entity": a["entity"], "unit": a["unit"], "subject": a["subject"], "a": a, "b": b,
                          "difference": round(difference, 4), "consistent": difference <= tolerance})
    return links


def _same_subject(a: str | None, b: str | None) -> bool:
    words_a, words_b = set(normalise(a or "").split()), set(normalise(b or "").split())
    return bool(words_a and words_b) and len(words_a & words_b) / min(len(words_a), len(words_b)) >= 0.5


def timeline(store: Store, actor: str, *, topic: str | None = None, since: str | None = None) -> list[dict]:
    """An actor's dated positions: commitments, claims and events, with their sentences and documents.

    Entries where the position moved (an event on a commitment, a dropped or
    weakened status, a change of kind or polarity on the same topic) carry ``shift``.
    """
    from ..query import find

    entries = []
    for kind in ("commitments", "events", "claims"):
        frame = find(store, kind, actor=actor, topic=topic, since=since)
        for row in frame.to_dict(orient="records"):
            entries.append({
                "date": row["date"], "kind": kind[:-1], "document": Path(row["document_path"]).name,
                "page": row.get("page"), "sentence": row["sentence"],
                "label": row.get("kind") or row.get("event_type") or row.get("claim_type"),
                "status": row.get("status"), "topics": row.get("topics") or [],
                "shift": kind == "events" or row.get("status") in ("dropped", "weakened", "replaced"),
            })
    entries.sort(key=lambda e: (e["date"] or "", e["kind"] != "events"))
    return entries


__all__ = ["Comparison", "Statement", "align", "changelog_audit", "classify", "compare_documents",
           "compare_series", "corroborate", "find_series", "series_name", "timeline"]
