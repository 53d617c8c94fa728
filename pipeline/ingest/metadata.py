"""Document metadata from sidecars, manifests, the file, its text and its name.

Sources, most trusted first: ``NAME.meta.json`` beside the file or a
``manifest.csv`` row in its folder; the file's own metadata (set by the
format reader); dates and versions stated in the text; the file name.
Each field records where it came from in ``Document.provenance``.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from pathlib import Path

from ..records import DOCUMENT_KINDS, Document, ParsedDocument

FIELDS = ("title", "publisher", "date", "kind", "version", "source_url", "authors")
_FILENAME_DATE = re.compile(r"(20\d\d|19\d\d)-(\d\d)(?:-(\d\d))?")
_FILENAME_VERSION = re.compile(r"(?:^|[-_])v(\d+(?:\.\d+)*)(?=[-_.]|$)")


def sidecar(path: Path) -> dict:
    meta = path.with_name(path.name + ".meta.json")
    if meta.is_file():
        return json.loads(meta.read_text(encoding="utf-8"))
    return {}


def manifest_row(path: Path) -> dict:
    manifest = path.parent / "manifest.csv"
    if not manifest.is_file():
        return {}
    with manifest.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("file") == path.name:
                row = {k: v for k, v in row.items() if v not in (None, "")}
                if "authors" in row:
                    row["authors"] = [a.strip() for a in row["authors"].split(";") if a.strip()]
                return row
    return {}


def from_filename(path: Path) -> dict:
    found: dict = {}
    match = _FILENAME_DATE.search(path.name)
    if match:
        found["date"] = "-".join(g for g in match.groups() if g)
    version = _FILENAME_VERSION.search(path.stem)
    if version:
        found["version"] = version.group(1)
    return found


def complete_metadata(parsed: ParsedDocument, path: Path, data: bytes) -> ParsedDocument:
    """Fill metadata fields from the trusted sources in order, recording each source."""
    document = parsed.document
    values = {f: getattr(document, f) for f in FIELDS}
    provenance = dict(document.provenance)
    for field, value in values.items():
        if value not in (None, "", ()) and field not in provenance:
            provenance[field] = "file"
    for source, found in (("sidecar", sidecar(path)), ("manifest", manifest_row(path)), ("filename", from_filename(path))):
        for field in FIELDS:
            value = found.get(field)
            if value in (None, "", []):
                continue
            if provenance.get(field) in (None, "file", "text", "filename") and _ranks(source) < _ranks(provenance.get(field)):
                values[field] = tuple(value) if field == "authors" else str(value)
                provenance[field] = source
    if values.get("kind") not in DOCUMENT_KINDS:
        values["kind"] = "other"
    document = dataclasses.replace(document, provenance=provenance, **values)
    return dataclasses.replace(parsed, document=document)


_RANK = {"sidecar": 0, "manifest": 0, "file": 1, "text": 2, "filename": 3, None: 9}


def _ranks(source: str | None) -> int:
    return _RANK.get(source, 9)
