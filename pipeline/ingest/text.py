"""Plain text and Markdown: headings, paragraphs, list items and table cells as blocks.

The stored text is exactly what was read (after decoding and newline
normalisation), so every block and sentence offset recovers its words.
The exception is a paginated text (a PDF extraction with page markers or
form feeds): like the PDF reader, we store it cleaned of markers, running
headers, footers and page numbers, with paragraphs rejoined across page
breaks (see :mod:`pipeline.ingest.pages`); offsets index that cleaned text.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from ..config import Settings
from ..errors import UnsupportedFormat
from ..records import Block, Document, ParsedDocument
from ..structure import BULLETS
from . import register, sha256
from .pages import paginate

log = logging.getLogger(__name__)

_WESTERN = ("cp1252", "latin_1", "iso8859_15", "mac_roman")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(rf"^\s*(?:{BULLETS}|\d{{1,3}}[.)]|\(?[a-z]{{1,3}}\))\s+")
# a list marker alone on its line, its item on the lines below (text extracted from PDFs: "●", "4.", "(b)")
_MARKER_LINE = re.compile(rf"^\s*(?:{BULLETS}|\d{{1,3}}[.)]|\(?[a-z]{{1,3}}\)|\(?[ivx]{{1,5}}[.)])\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def _utf16_or_32(data: bytes) -> str | None:
    """The codec of text saved as UTF-16 or UTF-32 (with a byte-order mark, or UTF-16 without one,
    told by the zero bytes of ASCII characters on every other byte), else None."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return codec
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[:len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _mixed_lines(data: bytes) -> str | None:
    """A file whose lines are partly UTF-8 (with accents or symbols) and partly a Western code page
    (a file pasted together from two sources), decoded line by line; None when no line is UTF-8
    beyond ASCII, so the whole file is in one legacy encoding."""
    lines, utf8_beyond_ascii = [], False
    for line in data.split(b"\n"):
        try:
            text = line.decode("utf-8")
            utf8_beyond_ascii |= not line.isascii()
        except UnicodeDecodeError:
            text = line.decode("cp1252", errors="replace")
        lines.append(text)
    return "\n".join(lines).lstrip("\ufeff") if utf8_beyond_ascii else None


def decode(path: Path, data: bytes) -> str:
    """Decode text, detecting legacy encodings; refuse binary content.

    Raises:
        UnsupportedFormat: The bytes are not text in any encoding we can detect.
    """
    wide = _utf16_or_32(data)
    if wide:
        try:
            return data.decode(wide)
        except UnicodeDecodeError:
            pass  # looked wide but is not: judged below like any other bytes
    if _looks_binary(data):
        raise UnsupportedFormat(str(path), "the file holds binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        mixed = _mixed_lines(data)
        if mixed is not None:
            log.warning("%s: mixes UTF-8 with another encoding; lines that are not UTF-8 were read as cp1252",
                        path)
            return mixed
        matches = list(from_bytes(data))
        if not matches:
            raise UnsupportedFormat(str(path), "the text encoding could not be detected") from None
        # ties between single-byte code pages are common on short texts; Western ones are likelier here
        best = min(matches, key=lambda m: (m.chaos, -m.coherence, m.encoding not in _WESTERN))
        return str(best)


@register("text", extensions=(".txt", ".md", ".markdown", ".text", ".rst", ""), sniff=lambda data: False)
def read_text(path: Path, data: bytes, settings: Settings) -> ParsedDocument:
    """Read a plain-text or Markdown file; a paginated one is cleaned of page furniture."""
    text = decode(path, data).replace("\r\n", "\n").replace("\r", "\n")
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    layout = paginate(text)
    if layout is None:
        document = Document(path=str(path), sha256=sha256(data), format=fmt, text=text)
        return ParsedDocument(document=document, blocks=tuple(markdown_blocks(text, plain=fmt == "text")))
    log.debug("%s: %d pages, %d furniture lines removed, %d paragraphs rejoined across page breaks",
              path, layout.pages, layout.removed, layout.joined)
    document = Document(path=str(path), sha256=sha256(data), format=fmt, text=layout.text, pages=layout.pages)
    blocks = tuple(dataclasses.replace(block, page=layout.page_at(block.start))
                   for block in markdown_blocks(layout.text, plain=fmt == "text"))
    return ParsedDocument(document=document, blocks=blocks)


def markdown_blocks(text: str, *, plain: bool = False) -> Iterator[Block]:
    """Yield blocks: headings (ATX and setext), list items, table cells, paragraphs.

    With ``plain`` (a .txt file), a short title-case line between a finished
    sentence and the next paragraph is a heading too ("A Coordinated Pause Option").
    """
    lines = text.split("\n")
    starts = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    section: str | None = None
    paragraph = 0
    run: list[int] = []  # line numbers of the paragraph being collected
    item = False  # the run is a list item: its marker opens its first line or stood alone on the line above

    def flush() -> Iterator[Block]:
        nonlocal paragraph, item
        if run:
            paragraph += 1
            end = starts[run[-1]] + len(lines[run[-1]])
            yield Block(start=starts[run[0]], end=end, kind="list_item" if item else "paragraph",
                        section=section, paragraph=paragraph)
            run.clear()
        item = False

    for number, line in enumerate(lines):
        stripped = line.strip()
        pos = starts[number]
        nxt = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if not stripped:
            if not (plain and run and _runs_on(lines[run[-1]], lines, number)):
                yield from flush()
            continue
        heading = _HEADING.match(stripped)
        setext = not run and nxt and _SETEXT.match(nxt) and not _LIST_ITEM.match(line) and len(stripped) < 120
        if heading or setext:
            yield from flush()
            section = heading.group(2) if heading else stripped
            paragraph += 1
            yield Block(start=pos, end=pos + len(line), kind="heading", section=section, paragraph=paragraph)
            continue
        if _SETEXT.match(stripped) or _TABLE_RULE.match(stripped):
            yield from flush()
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            yield from flush()
            paragraph += 1
            yield from _cells(line, pos, section, paragraph)
            continue
        if _MARKER_LINE.match(line) and nxt and not _MARKER_LINE.match(nxt):
            # the marker stays out of the item's text: the item starts on the next line and runs to a blank
            # line or the next marker
            yield from flush()
            item = True
            continue
        if _LIST_ITEM.match(line):
            # the item runs on over the lines that wrap it (a PDF's text, a hard-wrapped Markdown list)
            yield from flush()
            item = True
            run.append(number)
            continue
        previous = lines[number - 1].strip() if number else ""
        if plain and _plain_heading(stripped, previous, nxt):
            yield from flush()
            section = stripped
            paragraph += 1
            yield Block(start=pos, end=pos + len(line), kind="heading", section=section, paragraph=paragraph)
            continue
        run.append(number)
    yield from flush()


def _runs_on(last: str, lines: list[str], blank: int) -> bool:
    """Whether the sentence of ``last`` runs on past the blank line at ``blank``: text taken from a PDF
    leaves blank lines inside a sentence (a table cell, a page break), and the next line then goes on
    in lower case after a line that ends with no closing punctuation."""
    if last.rstrip()[-1:] in _CLOSERS:
        return False
    following = next((line.strip() for line in lines[blank + 1:] if line.strip()), "")
    return following[:1].islower()


_CLOSERS = set(".!?:;)]”\"'’")

_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on",
                "or", "the", "to", "vs", "with"}


def _plain_heading(line: str, previous: str, following: str) -> bool:
    """A title-case line of at most twelve words, without closing punctuation, after a finished
    sentence (or a blank line) and before a line that starts a sentence."""
    words = line.split()
    if not 1 <= len(words) <= 12 or line[-1] in ".,;:!?" or not line[0].isupper():
        return False
    if previous and previous[-1] not in ".!?:\"”)":
        return False
    if not following or not (following[0].isupper() or following[0] in "\"“"):
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return all(w[0].isupper() or w[0].isdigit() for w in content)


def _cells(line: str, pos: int, section: str | None, paragraph: int) -> Iterator[Block]:
    for match in re.finditer(r"[^|]+", line):
        if match.group().strip():
            yield Block(start=pos + match.start(), end=pos + match.end(), kind="table_cell",
                        section=section, paragraph=paragraph)
