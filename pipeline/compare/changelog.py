"""Changelog audit: does the developer's own account of a revision announce each shift?

Changelogs are found in the newer version's own text (a section headed
"Changelog", "Change log", "Version history", "Past updates and changes",
"Summary of changes", "What's new", "Revision history", in plain text as well
as Markdown), in a companion ``CHANGELOG.md`` / ``CHANGES.md`` that lay beside it
when it was ingested (stored with the document, see :mod:`pipeline.ingest.changelogs`),
or in a file the user names. Each entry is one bullet or sentence of the account.

A shift counts as announced when one entry is about it: close in meaning
(sentence embeddings) and sharing its distinctive words, and specific enough
to name it (an entry that fits a large share of the revision's shifts is a
generic line, which announces none of them).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..ingest.changelogs import COMPANIONS as COMPANIONS, companion_changelogs  # COMPANIONS: re-exported
from ..ingest.pages import looks_like_folio
from ..records import Change, Changelog, Document, Sentence
from .coded import words
from .embed import Embed

LOG_SECTION = re.compile(
    r"change ?log|change history|version history|revision history|document history|past updates|"
    r"updates and changes|summary of (?:the )?(?:changes|updates|revisions)|what'?s new|release notes|"
    r"changes (?:from|since|in this) |key changes|record of changes", re.I)
log = logging.getLogger(__name__)
_BULLET = re.compile(r"^\s*(?:[-*+•●○▪◦‣]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s*")
# words that do not say what changed: log verbs, filler, months and version-list words
_LOG_WORDS = {"added", "add", "adds", "replaced", "removed", "remove", "updated", "update", "updates",
              "changed", "change", "changes", "clarified", "clarify", "revised", "introduced", "introduce",
              "moved", "renamed", "version", "section", "new", "now", "also", "more", "detail", "details",
              "include", "included", "includes", "described", "description", "outlined", "the", "and", "of",
              "to", "a", "an", "in", "for", "our", "we", "on", "with", "that", "this", "is", "are", "be",
              "by", "as", "from", "it", "its",
              "january", "february", "march", "april", "june", "july", "august", "september", "october",
              "november", "december", "past", "versions", "previous"}


def entries(new: list[Sentence], path: Path | None = None, *, changelogs: Sequence[Changelog] = (),
            companion_of: Path | None = None, date: str | None = None) -> list[str]:
    """The changelog entries of a revision: its in-text changelog (cut to the entries of the
    version dated ``date`` when it keeps every version's), a file the user names (``path``), its
    stored companion changelogs (``changelogs``, see :func:`companions`), and the companion files
    beside ``companion_of`` on disk."""
    found = [_BULLET.sub("", s.text).strip() for s in in_changelog(new, year=(date or "")[:4] or None)]
    if path is not None and path.is_file():
        found += file_entries(path.read_text(encoding="utf-8", errors="replace"))
    if companion_of is not None:
        changelogs = (*changelogs, *companion_changelogs(companion_of))
    for changelog in changelogs:
        found += file_entries(changelog.text)
    return [e for e in found if len(distinctive(e)) >= 2 and not looks_like_folio(e) and not version_label(e)]


def version_label(text: str) -> bool:
    """A version's date line, with at most its name in brackets ("April 7, 2026 (Framework v2.0)"):
    it heads the entries of a version and announces no change itself."""
    match = _DATED.search(text)
    if not match:
        return False
    rest = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text[:match.start()] + text[match.end():])
    return len(re.findall(r"[A-Za-z]{2,}", rest)) < 2


def companions(document: Document) -> tuple[Changelog, ...]:
    """The companion changelogs stored with a document at ingest.

    A document stored before changelogs were kept has none stored (``changelogs`` is None): the
    files beside it are read instead while it is still there, and the log says so.
    """
    if document.changelogs is not None:
        return document.changelogs
    if not Path(document.path).is_file():
        log.warning("%s was stored before companion changelogs were kept and is no longer on disk: its "
                    "changes are audited without one; ingest it again with --force to keep it", document.path)
        return ()
    log.info("%s was stored before companion changelogs were kept: reading them from beside the file; "
             "ingest it again with --force to store them", document.path)
    return companion_changelogs(document.path)


_DATED = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}\b"
    r"|\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}\b"
    r"|^\W*(?:version|v)\s?\d|^\W*\d{4}(?:-\d{2}){0,2}\W*$", re.I)


def in_changelog(sentences: list[Sentence], *, year: str | None = None) -> list[Sentence]:
    """The sentences under a changelog heading, including its dated or versioned sub-headings
    ("## Changelog" / "## October 15, 2024" / "RSP-2024: ..."), until the next other heading.

    A changelog that keeps the history of every version is cut to the entries under the last
    sub-heading naming ``year`` (the newer version's year), when one does.
    """
    blocks: list[tuple[str, list[Sentence]]] = []
    inside = False
    for sentence in sentences:
        if sentence.kind == "heading":
            heading = sentence.text.strip("#* ")
            inside = bool(LOG_SECTION.search(heading)) or (inside and bool(_DATED.search(heading)))
            if inside:
                blocks.append((heading, []))
        elif inside:
            blocks[-1][1].append(sentence)
        elif sentence.section and LOG_SECTION.search(sentence.section):
            blocks.append((sentence.section, [sentence]))
    current = [b for b in blocks if year and year in b[0] and _DATED.search(b[0])]
    return current[-1][1] if current else [s for _, block in blocks for s in block]


def file_entries(text: str) -> list[str]:
    """Bullets and sentences of a changelog file; headings and bare version/date lines are left out."""
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if (not stripped or stripped.startswith("#")
                or _BULLET.match(line) and not _BULLET.sub("", line).strip()):
            blocks.append(" ".join(current))
            current = []
            continue
        if _BULLET.match(line):
            blocks.append(" ".join(current))
            current = [_BULLET.sub("", line).strip()]
        else:
            current.append(stripped)
    blocks.append(" ".join(current))
    return [s.strip() for block in blocks for s in re.split(r"(?<=[.;!?])\s+(?=[A-Z])", block)
            if len(s.split()) >= 4]


def distinctive(text: str) -> set[str]:
    """Stems of the words that say what changed (not log verbs, months, numbers)."""
    return {w[:6] for w in words(text) if w not in _LOG_WORDS and len(w) > 2 and not w.isdigit()}


def audit(changes: list[Change], log: list[str], *, embed: Embed | None = None, min_score: float = 0.55
          ) -> list[Change]:
    """Mark each material shift announced or not, quoting the entry that announces it.

    An entry announces a shift when it is close to either side of it (a changelog names the old
    rule or the new one): half cosine similarity of the embeddings, half the share of the entry's
    distinctive words the passage holds, at least ``min_score`` (chosen on the development set's
    four pairs with a published account). An entry that fits so many of the shifts that it names
    none of them (``GENERIC_SHARE``, ``GENERIC_FLOOR``) announces nothing. With no changelog
    entries the shifts are returned as they are (``announced`` None: nothing to audit).
    """
    if not log or not changes:
        return changes
    log_stems = [distinctive(e) for e in log]
    all_sides = [[t for t in (change.old_text, change.new_text) if t] for change in changes]
    # one call for every side and entry: the encoder is fast on full batches, slow on pairs of texts
    texts = list(dict.fromkeys(t for sides in all_sides for t in sides))
    vectors = dict(zip(texts + log, embed(texts + log))) if embed is not None else {}
    log_vectors = np.array([vectors[e] for e in log]) if vectors else None
    rows = []
    for sides in all_sides:
        scores = np.array([[shared(distinctive(t), stems) for stems in log_stems] for t in sides])
        if log_vectors is not None:
            scores = 0.5 * (np.array([vectors[t] for t in sides]) @ log_vectors.T) + 0.5 * scores
        rows.append(scores.max(axis=0))
    fits = np.array(rows) >= min_score  # shifts × entries
    fitted = fits.sum(axis=0)  # how many shifts each entry fits
    specific = fitted <= max(GENERIC_FLOOR, GENERIC_SHARE * len(changes))
    audited = []
    for change, row, fit in zip(changes, rows, fits):
        candidates = np.flatnonzero(fit & specific)
        best = int(candidates[row[candidates].argmax()]) if len(candidates) else None
        reason = change.reason
        generic = np.flatnonzero(fit & ~specific)
        if best is None and len(generic):
            # say why a changelog line that fits the shift does not announce it
            line = int(generic[row[generic].argmax()])
            reason += (f"; the changelog's “{log[line]}” fits it and {int(fitted[line]) - 1} other "
                       "shifts, too general to announce any one of them")
        audited.append(dataclasses.replace(change, announced=best is not None, reason=reason,
                                           changelog_entry=log[best] if best is not None else None))
    return audited


# an entry that fits more than this share of a revision's shifts (and more than GENERIC_FLOOR of them)
# names no one change: "Updated risk threshold language", "Included more detail on our risk
# management process", a version's date line (codebook §6: generic lines do not announce)
GENERIC_SHARE = 0.1
GENERIC_FLOOR = 3


def shared(text: set[str], entry: set[str]) -> float:
    """Share of the entry's distinctive stems that the shift's text holds."""
    return len(entry & text) / len(entry) if entry else 0.0
