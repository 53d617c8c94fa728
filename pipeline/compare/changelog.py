"""Changelog audit: does the developer's own account of a revision announce each shift?

Changelogs are found in the newer version's own text (a section headed
"Changelog", "Change log", "Version history", "Past updates and changes",
"Summary of changes", "What's new", "Revision history", in plain text as well
as Markdown), in a companion ``CHANGELOG.md`` / ``CHANGES.md`` beside it, or in
a file the user names. Each entry is one bullet or sentence of the account.

A shift counts as announced when one entry is about it: close in meaning
(sentence embeddings) and sharing its distinctive words.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Callable

import numpy as np

from ..records import Change, Sentence
from .coded import words

Embed = Callable[[list[str]], np.ndarray]

LOG_SECTION = re.compile(
    r"change ?log|change history|version history|revision history|document history|past updates|"
    r"updates and changes|summary of (?:the )?(?:changes|updates|revisions)|what'?s new|release notes|"
    r"changes (?:from|since|in this) |key changes|record of changes", re.I)
COMPANIONS = ("CHANGELOG.md", "CHANGELOG.txt", "CHANGES.md", "CHANGELOG")
_BULLET = re.compile(r"^\s*(?:[-*+•●○▪◦‣]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s*")
_LOG_WORDS = {"added", "add", "adds", "replaced", "removed", "remove", "updated", "update", "updates", "changed",
              "change", "changes", "clarified", "clarify", "revised", "introduced", "introduce", "moved", "renamed",
              "version", "section", "new", "now", "also", "more", "detail", "details", "include", "included",
              "includes", "described", "description", "outlined", "the", "and", "of", "to", "a", "an", "in", "for",
              "our", "we", "on", "with", "that", "this", "is", "are", "be", "by", "as", "from", "it", "its"}


def entries(new: list[Sentence], path: Path | None = None, *, companion_of: Path | None = None) -> list[str]:
    """The changelog entries of a revision: its in-text changelog, a companion file, a named file."""
    found = [s.text for s in new if s.kind != "heading" and s.section and LOG_SECTION.search(s.section)]
    candidates = [path] if path else []
    if companion_of is not None:
        candidates += [companion_of.with_name(name) for name in COMPANIONS]
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            found += file_entries(candidate.read_text(encoding="utf-8", errors="replace"))
    return [e for e in found if len(_distinctive(e)) >= 2]


def file_entries(text: str) -> list[str]:
    """Bullets and sentences of a changelog file; headings and bare version/date lines are left out."""
    blocks, current = [], []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _BULLET.match(line) and not _BULLET.sub("", line).strip():
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


def _distinctive(text: str) -> set[str]:
    return {w[:6] for w in words(text) if w not in _LOG_WORDS and len(w) > 2}


def audit(changes: list[Change], log: list[str], *, embed: Embed | None = None, min_score: float = 0.45
          ) -> list[Change]:
    """Mark each material shift announced or not, quoting the entry that announces it.

    With no changelog entries the shifts are returned as they are (``announced`` None: nothing to audit).
    """
    if not log or not changes:
        return changes
    texts = [c.new_text or c.old_text or "" for c in changes]
    lexical = np.array([[_shared(t, e) for e in log] for t in texts])
    if embed is not None:
        vectors = embed(texts + log)
        scores = 0.5 * (vectors[:len(texts)] @ vectors[len(texts):].T) + 0.5 * lexical
    else:
        scores = lexical
    audited = []
    for change, row in zip(changes, scores):
        best = int(row.argmax())
        announced = bool(row[best] >= min_score)
        audited.append(dataclasses.replace(change, announced=announced,
                                           changelog_entry=log[best] if announced else None))
    return audited


def _shared(text: str, entry: str) -> float:
    """Share of the entry's distinctive words (stems) that the shift's text holds."""
    own = _distinctive(entry)
    return len(own & _distinctive(text)) / len(own) if own else 0.0
