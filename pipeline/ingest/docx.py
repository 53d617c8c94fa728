"""DOCX (python-docx): headings, list paragraphs and table cells as blocks.

The archive is checked before parsing: a member that would expand past the
file-size limit (a decompression bomb) is refused.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..config import Settings
from ..errors import CorruptFile
from ..records import Block, Document, ParsedDocument
from . import register, sha256


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


@register("docx", extensions=(".docx",), sniff=_is_docx)
def read_docx(path: Path, data: bytes, settings: Settings) -> ParsedDocument:
    """Read a Word document into blocks with its core properties as metadata.

    Raises:
        CorruptFile: The archive is damaged or would expand past the size limit.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml import etree

    _check_archive(path, data, settings.max_file_size)
    try:
        word = docx.Document(io.BytesIO(data))
    except etree.LxmlError as exc:
        # an entity bomb or broken XML inside the archive; entities are never expanded
        raise CorruptFile(str(path), "the DOCX holds XML that cannot be read safely "
                                     f"({exc.__class__.__name__}: {str(exc)[:120]})") from exc
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CorruptFile(str(path), f"the DOCX cannot be opened ({exc.__class__.__name__})") from exc
    parts: list[str] = []
    blocks: list[Block] = []
    section: str | None = None
    offset = 0
    styles: dict[str | None, str] = {}

    def add(text: str, kind: str) -> None:
        nonlocal offset
        text = text.strip()
        if not text:
            return
        blocks.append(Block(start=offset, end=offset + len(text), kind=kind, section=section,
                            paragraph=len(blocks) + 1))
        parts.append(text)
        offset += len(text) + 2

    for item in _body_items(word):
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    add(cell.text, "table_cell")
            continue
        style_id = item._p.style  # python-docx scans every style to resolve the default one, so once per id
        if style_id not in styles:
            styles[style_id] = (item.style.name or "").lower() if item.style is not None else ""
        style = styles[style_id]
        if style.startswith(("heading", "title")):
            section = item.text.strip() or section
            add(item.text, "heading")
        elif "list" in style or item._p.pPr is not None and item._p.pPr.numPr is not None:
            add(item.text, "list_item")
        else:
            add(item.text, "paragraph")
    props = word.core_properties
    # files written from python-docx's default template keep its author and creation time
    template = (props.author == "python-docx" and props.created is not None
                and props.created.timetuple()[:5] == (2013, 12, 23, 23, 15))
    document = Document(
        path=str(path), sha256=sha256(data), format="docx", text="\n\n".join(parts),
        title=(props.title or "").strip() or None,
        authors=() if template else tuple(a.strip() for a in (props.author or "").split(";") if a.strip()),
        date=props.created.date().isoformat() if props.created and props.created.year > 1990
            and not template else None,
    )
    return ParsedDocument(document=document, blocks=tuple(blocks))


def _body_items(word):
    """Paragraphs and tables in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in word.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, word)
        elif tag == "tbl":
            yield Table(child, word)


def _check_archive(path: Path, data: bytes, limit: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            if total > limit:
                raise CorruptFile(str(path), f"the DOCX would expand to {total:,} bytes, over the "
                                  f"{limit:,}-byte limit (a decompression bomb?)")
            bad = archive.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise CorruptFile(str(path), f"the DOCX archive is damaged ({exc})") from exc
    if bad is not None:
        raise CorruptFile(str(path), f"the DOCX archive member {bad} is damaged")
