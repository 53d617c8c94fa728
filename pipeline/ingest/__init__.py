"""Ingesters: one module per format, chosen by sniffing content, then extension.

Each ingester module registers a reader with :func:`register`; :func:`read`
sniffs the file, picks the reader, and adds metadata from sidecars,
manifests, the text and the file name (see :mod:`pipeline.ingest.metadata`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import EmptyDocument, FileTooLarge, UnreadableFile, UnsupportedFormat
from ..records import ParsedDocument
from ..rules.kinds import DocumentKindRules
from .changelogs import companion_changelogs

log = logging.getLogger(__name__)

# reader(path, data, settings) -> ParsedDocument (metadata not yet merged)
Reader = Callable[[Path, bytes, Settings], ParsedDocument]


@dataclass(frozen=True)
class Format:
    name: str
    reader: Reader
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool]


FORMATS: dict[str, Format] = {}


def register(name: str, *, extensions: tuple[str, ...],
             sniff: Callable[[bytes], bool]) -> Callable[[Reader], Reader]:
    """Decorator registering a reader for a format."""

    def wrap(reader: Reader) -> Reader:
        FORMATS[name] = Format(name, reader, extensions, sniff)
        return reader

    return wrap


def read_bytes(path: Path, settings: Settings) -> bytes:
    """Read a file, refusing what is missing, unreadable, empty or too large."""
    try:
        size = path.stat().st_size
        if size > settings.max_file_size:
            raise FileTooLarge(str(path),
                               f"file is {size:,} bytes, over the limit of {settings.max_file_size:,}")
        data = path.read_bytes()
    except (FileNotFoundError, PermissionError, IsADirectoryError, OSError) as exc:
        if isinstance(exc, FileTooLarge):
            raise
        reason = f"{exc.__class__.__name__}: {exc.strerror or exc}"
        raise UnreadableFile(str(path), f"cannot read the file ({reason})") from exc
    if not data.strip():
        raise EmptyDocument(str(path), "the file is empty")
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_format(path: Path, data: bytes) -> Format:
    """Pick a format by content first (magic bytes), then by extension.

    Raises:
        UnsupportedFormat: No registered format fits.
    """
    _load_builtin()
    for fmt in FORMATS.values():
        if fmt.sniff(data):
            return fmt
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    raise UnsupportedFormat(str(path), f"unrecognised format (extension '{suffix or 'none'}')")


def read(path: str | Path, settings: Settings | None = None, *,
         kinds: DocumentKindRules | None = None) -> ParsedDocument:
    """Read one file into a parsed document with merged metadata and its companion changelogs.

    Args:
        path: The file.
        settings: Run settings (limits).
        kinds: The file-name words that set a document's kind and publisher; read from
            ``settings.models_dir`` when not given.

    Returns:
        The document and its blocks.

    Raises:
        IngestError: A subclass naming the file, the reason and what to do.
    """
    from .metadata import complete_metadata

    settings = settings or Settings()
    path = Path(path)
    data = read_bytes(path, settings)
    fmt = detect_format(path, data)
    parsed = fmt.reader(path, data, settings)
    if not parsed.document.text.strip():
        raise EmptyDocument(str(path), f"no text could be read from this {fmt.name} file")
    if kinds is None:
        kinds = DocumentKindRules.read(settings.models_dir / "document_kinds.json")
    parsed = complete_metadata(parsed, path, data, kinds)
    changelogs = companion_changelogs(path, max_size=settings.max_file_size)
    return dataclasses.replace(parsed, document=dataclasses.replace(parsed.document, changelogs=changelogs))


def _load_builtin() -> None:
    # Import for their @register side effect; order sets sniffing priority.
    from . import docx, html, pdf, text  # noqa: F401
