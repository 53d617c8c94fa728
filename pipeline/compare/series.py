"""Version series: the same policy of the same publisher over time, ordered by date and version."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ..records import Document
from ..store import Store

_NOISE = re.compile(r"^(v?\d+(\.\d+)*|(19|20)\d\d|\d\d|summary|final|draft|latest|current|copy)$", re.I)


def series_name(document: Document) -> str:
    """A stable name for the policy a document is a version of: its file name without dates and versions."""
    words = [w for w in re.split(r"[-_. ]+", Path(document.path).stem.lower()) if w and not _NOISE.match(w)]
    return "-".join(words) or Path(document.path).stem.lower()


def _version_key(document: Document) -> tuple:
    """Date, then version number, then path: files of one date and version (the same policy as
    Markdown, text and PDF) are ordered by name, not by storage order, which under ``--jobs 2``
    follows whichever file finished first. Stored versions of one path follow their storage order."""
    numbers = [int(n) for n in re.findall(r"\d+", document.version or "")] if document.version else []
    return (document.date or "", numbers, document.path, document.id or 0)


def find_series(store: Store, *,
                kinds: tuple[str, ...] = ("policy", "legislation")) -> dict[str, list[Document]]:
    """Group stored documents into version series (two or more versions), oldest first.

    A file whose content changed in place is a series too: each stored
    version of that path is a member.
    """
    groups: dict[str, list[Document]] = defaultdict(list)
    for document in store.documents():
        if document.kind in kinds:
            groups[series_name(document)].append(document)
    return {name: sorted(docs, key=_version_key) for name, docs in sorted(groups.items()) if len(docs) >= 2}
