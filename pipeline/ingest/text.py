"""Plain text and Markdown: paragraphs, list items and headings as blocks."""

from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from ..config import Settings
from ..errors import UnsupportedFormat
from ..records import Block, Document, ParsedDocument
from . import register, sha256

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)]|\(?[a-z]\))\s+")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def decode(path: Path, data: bytes) -> str:
    """Decode text, detecting legacy encodings; refuse binary content."""
    if _looks_binary(data):
        raise UnsupportedFormat(str(path), "the file holds binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise UnsupportedFormat(str(path), "the text encoding could not be detected") from None
        return str(best)


@register("text", extensions=(".txt", ".md", ".markdown", ".text", ""), sniff=lambda data: False)
def read_text(path: Path, data: bytes, settings: Settings) -> ParsedDocument:
    text = decode(path, data).replace("\r\n", "\n").replace("\r", "\n")
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    blocks = list(_blocks(text))
    document = Document(path=str(path), sha256=sha256(data), format=fmt, text=text)
    return ParsedDocument(document=document, blocks=tuple(blocks))


def _blocks(text: str):
    """Yield blocks: a heading line, a list item, or a paragraph of consecutive lines."""
    section: str | None = None
    paragraph = 0
    start = None
    offset = 0
    lines = text.split("\n")
    positions = []
    for line in lines:
        positions.append(offset)
        offset += len(line) + 1

    def flush(end: int):
        nonlocal start, paragraph
        if start is not None and text[start:end].strip():
            paragraph += 1
            yield Block(start=start, end=end, kind="paragraph", section=section, paragraph=paragraph)
        start = None

    for line, pos in zip(lines, positions):
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        underline = stripped and set(stripped) <= {"=", "-"} and len(stripped) >= 3
        if not stripped or underline:
            yield from flush(pos)
            continue
        if heading:
            yield from flush(pos)
            section = heading.group(2)
            paragraph += 1
            yield Block(start=pos, end=pos + len(line), kind="heading", section=section, paragraph=paragraph)
            continue
        if _LIST_ITEM.match(line):
            yield from flush(pos)
            paragraph += 1
            yield Block(start=pos, end=pos + len(line), kind="list_item", section=section, paragraph=paragraph)
            continue
        if start is None:
            start = pos
    yield from flush(len(text))
