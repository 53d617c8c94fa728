"""Companion changelogs: the file beside a document in which its publisher lists what changed.

Read at ingest and stored with the document (:attr:`pipeline.records.Document.changelogs`), so that
the changelog audit (:mod:`pipeline.compare.changelog`) reads the store, not whatever lies on the
disk when a report is written.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..records import Changelog

log = logging.getLogger(__name__)

# the names a companion changelog goes by, in the order they are read
COMPANIONS = ("CHANGELOG.md", "CHANGELOG.txt", "CHANGES.md", "CHANGELOG")


def companion_changelogs(path: str | Path, *, max_size: int | None = None) -> tuple[Changelog, ...]:
    """The changelogs kept beside a file, in :data:`COMPANIONS` order (the file itself is not its own).

    Args:
        path: The document's file.
        max_size: Leave out, with a warning, a changelog larger than this many bytes.

    Returns:
        Each changelog found, with its file name and text (decoded as UTF-8, bad bytes replaced).
    """
    path = Path(path)
    found = []
    for name in COMPANIONS:
        candidate = path.with_name(name)
        if candidate.name == path.name or not candidate.is_file():
            continue
        try:
            if max_size is not None and candidate.stat().st_size > max_size:
                log.warning("%s: left out as the changelog of %s: over the limit of %s bytes",
                            candidate, path.name, max_size)
                continue
            text = candidate.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            log.warning("%s: cannot read it as the changelog of %s (%s)", candidate, path.name, exc)
            continue
        found.append(Changelog(name=name, text=text))
    return tuple(found)
