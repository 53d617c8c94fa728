"""Document metadata from sidecars, manifests, the file, its text and its name.

Sources, most trusted first: ``NAME.meta.json`` beside the file or a
``manifest.csv`` row in its folder; the file's own metadata (set by the
format reader: PDF info, DOCX core properties, HTML meta tags); what the
text states ("Version 3.0", "Effective February 24, 2026", "Updated March
23, 2023", a news dateline); the file name. Each field records its source in
``Document.provenance``.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import logging
import re
from pathlib import Path
from typing import Any

from ..dates import resolve_time
from ..errors import IngestError
from ..records import DOCUMENT_KINDS, ParsedDocument
from ..rules.kinds import DocumentKindRules

log = logging.getLogger(__name__)

FIELDS = ("title", "publisher", "date", "kind", "version", "source_url", "authors")
RANK = {"sidecar": 0, "manifest": 0, "file": 1, "text": 2, "filename": 3}

_FILENAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:-(\d\d))?(?:-(\d\d))?(?!\d)")
_FILENAME_VERSION = re.compile(r"(?:^|[-_ ])v(\d+(?:\.\d+)*)(?=[-_. ]|$)", re.I)
# a document states its own version on a line of its own ("Version 2.0 / Effective ..."); "Version 3.0
# of the policy" inside a sentence is about another document
_TEXT_VERSION = re.compile(r"^[#*_>\s-]*Version\s+(\d+(?:\.\d+)*(?!\.?\d)|beta|alpha|draft)\b(?!\s+of\b)",
                           re.I | re.M)
_DATE_WORDS = r"(?:Effective(?: date)?|Last updated|Updated|Published|Last modified|Dated|Date)"
_TEXT_DATE = re.compile(_DATE_WORDS + r"[:\s]*(?:on\s+)?"
                        r"([A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]+ \d{4}|\d{4}-\d{2}-\d{2})")
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40},\s+([A-Z][a-z]+\.? \d{1,2},? \d{4})\s*[—–-]", re.M)


def sidecar(path: Path) -> dict[str, Any]:
    """The ``NAME.meta.json`` beside a file, if any.

    Raises:
        IngestError: The sidecar exists but is not valid JSON.
    """
    meta = path.with_name(path.name + ".meta.json")
    try:
        if not meta.is_file():
            return {}
    except OSError:
        # the file's own name is so long that NAME.meta.json passes the system's limit: none can exist
        return {}
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IngestError(str(meta), f"the metadata sidecar is not valid JSON ({exc})",
                          "Fix or remove the .meta.json file.") from exc
    return _url_alias(data) if isinstance(data, dict) else {}


def _url_alias(row: dict[str, Any]) -> dict[str, Any]:
    """'url', 'link' or 'source' holding a web address is the document's source_url."""
    if not row.get("source_url"):
        for key in ("url", "link", "source"):
            value = row.get(key)
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                row = {k: v for k, v in row.items() if k != key}
                row["source_url"] = value
                break
    return row


def manifest_row(path: Path) -> dict[str, Any]:
    """The row for a file in ``manifest.csv`` in its folder, if any."""
    return manifest_rows(path.parent).get(path.name, {})


def manifest_rows(folder: Path) -> dict[str, dict[str, Any]]:
    """Every row of ``folder/manifest.csv`` by file name (empty when there is none)."""
    manifest = folder / "manifest.csv"
    if not manifest.is_file():
        return {}
    return _manifest(manifest, manifest.stat().st_mtime)


@functools.lru_cache(maxsize=64)
def _manifest(manifest: Path, mtime: float) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    data = manifest.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # spreadsheets often save CSV in their Western code page
        log.warning("%s: not UTF-8; read as cp1252", manifest)
        text = data.decode("cp1252", errors="replace")
    with io.StringIO(text, newline="") as handle:
        for row in csv.DictReader(handle):
            row = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
            if "authors" in row:
                row["authors"] = [a.strip() for a in row["authors"].split(";") if a.strip()]
            if "file" in row:
                rows[row.pop("file")] = _url_alias(row)
    return rows


def from_filename(path: Path, kinds: DocumentKindRules) -> dict[str, Any]:
    """Date, version, publisher and kind suggested by a file name."""
    name = path.name.lower()
    words = set(re.split(r"[-_. ]+", path.stem.lower()))
    found: dict[str, Any] = {}
    match = _FILENAME_DATE.search(name)
    if match:
        found["date"] = "-".join(g for g in match.groups() if g)
    version = _FILENAME_VERSION.search(path.stem)
    if version:
        found["version"] = version.group(1)
    for prefix, publisher in kinds.publishers:
        if name.startswith(prefix + "-"):
            found["publisher"] = publisher
            break
    for kind, cues in kinds.kinds:
        if words & cues:
            found["kind"] = kind
            break
    return found


def from_text(text: str, anchor: str | None = None) -> dict[str, Any]:
    """Title, version and date stated near the top of the text."""
    head = text[:3000]
    found: dict[str, Any] = {}
    for line in head.split("\n"):
        line = re.sub(r"\s*\{#[^}]*\}\s*$", "", line.strip().lstrip("#").strip())
        if line and not _TEXT_DATE.search(line):
            if len(line) <= 150:
                found["title"] = line
            break
    dateline = _DATELINE.search(head)
    version = _TEXT_VERSION.search(head)
    if version and not dateline:  # news reports on versions; it has none
        found["version"] = version.group(1)
    if dateline:
        found["kind"] = "news"
    date = _TEXT_DATE.search(head.replace("Updated", "Updated ")) or dateline
    if date:
        resolved = resolve_time(date.group(1), anchor)
        if resolved:
            found["date"] = resolved
    return found


def complete_metadata(parsed: ParsedDocument, path: Path, data: bytes,
                      kinds: DocumentKindRules) -> ParsedDocument:
    """Fill metadata fields from the trusted sources in order, recording each source."""
    document = parsed.document
    values: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    candidates = [
        ("sidecar", sidecar(path)),
        ("manifest", manifest_row(path)),
        ("file", {f: getattr(document, f) for f in FIELDS if f != "kind" or document.kind != "other"}),
        ("text", from_text(document.text)),
        ("filename", from_filename(path, kinds)),
    ]
    for source, found in candidates:
        for field in FIELDS:
            value = found.get(field)
            if field in values or value in (None, "", [], ()):
                continue
            if field == "authors":
                value = _authors(value)
                if not value:
                    continue
            values[field] = value if field == "authors" else str(value)
            provenance[field] = source
    if "title" not in values and document.text.strip():
        # no source names it: its opening words, marked as such
        values["title"] = _opening(document.text)
        provenance["title"] = "first sentence"
    extra = {key: value for source in (candidates[1][1], candidates[0][1]) for key, value in source.items()
             if key not in FIELDS and value not in (None, "")}  # the sidecar wins over the manifest
    if extra:
        values["extra"] = extra
    if values.get("kind") not in DOCUMENT_KINDS:
        values["kind"] = "other"
        provenance["kind"] = "default"
    values.setdefault("authors", ())
    return dataclasses.replace(parsed,
                               document=dataclasses.replace(document, provenance=provenance, **values))


def _opening(text: str, limit: int = 90) -> str:
    """The first sentence, cut at a word to ``limit`` characters with an ellipsis."""
    first = re.split(r"(?<=[.!?])\s+", " ".join(text.split()[:60]), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _authors(value: Any) -> tuple[str, ...]:
    """Authors as names: a list of names, or one string of names separated by ';' (a single name
    stays whole, never split into letters); anything else is ignored."""
    if isinstance(value, str):
        return tuple(name.strip() for name in value.split(";") if name.strip())
    if isinstance(value, (list, tuple)):
        return tuple(str(name).strip() for name in value if isinstance(name, str) and name.strip())
    log.warning("authors should be a name or a list of names, not %r; ignored", value)
    return ()
