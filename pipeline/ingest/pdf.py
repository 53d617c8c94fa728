"""PDF: pypdfium2 text boxes, columns read in order, running headers and footers removed.

pypdfium2 (PDFium, already a dependency of pdfplumber) gives each text run
with its box about 40 times faster than pdfplumber's ``extract_text``; we
group the boxes into lines and columns ourselves, which is what keeps a
Federal Register page in reading order. pdfplumber is the fallback for files
PDFium cannot open. See README for the measurement.
"""

from __future__ import annotations

import logging
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from ..config import Settings
from ..errors import CorruptFile, EncryptedPdf, NoTextLayer
from ..records import Block, Document, ParsedDocument
from . import register, sha256

log = logging.getLogger(__name__)

_SOFT_HYPHENS = "\x02\ufffe\u00ad"
_LIST_START = re.compile(r"^(\(?[a-zA-Z0-9]{1,4}[.)]|[-•*–]|Sec(tion)?\.?\s+\d|\d+(\.\d+)*\.?\s)\s*")
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)
_MARGIN = 0.08  # top/bottom share of the page where running headers and footers live


@dataclass
class Line:
    text: str
    left: float
    top: float
    bottom: float
    right: float
    in_margin: bool = False  # in the top or bottom band of the physical page
    column: int = 0  # which column (or band of a column) of its page it was read in


@register("pdf", extensions=(".pdf",), sniff=lambda data: data[:1024].lstrip().startswith(b"%PDF-"))
def read_pdf(path: Path, data: bytes, settings: Settings) -> ParsedDocument:
    """Read a PDF into page-numbered paragraph blocks.

    Raises:
        EncryptedPdf: It needs a password.
        CorruptFile: PDFium cannot parse it.
        NoTextLayer: It holds no extractable text (a scan).
    """
    _check_streams(path, data, settings.max_pdf_stream_bytes)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdf(str(path), "the PDF is encrypted and needs a password") from exc
        log.info("%s: PDFium cannot open it (%s); trying pdfplumber", path, exc)
        pages, meta = _plumber_pages(path, data)
    else:
        try:
            pages = [_page_lines(pdf[i]) for i in range(len(pdf))]
            meta = pdf.get_metadata_dict(skip_empty=True)
        except pdfium.PdfiumError as exc:
            raise CorruptFile(str(path), f"the PDF is damaged ({exc})") from exc
        finally:
            pdf.close()
    chars = sum(len(line.text) for page in pages for line in page)
    if chars < settings.min_chars_per_page * max(len(pages), 1):
        raise NoTextLayer(str(path), f"its {len(pages)} page(s) hold no text layer (scanned images?)")
    title = _meaningful_title(meta.get("Title")) or _title_block(pages[0] if pages else [])
    pages = _drop_running_lines(pages)
    text, blocks = _assemble(pages)
    document = Document(
        path=str(path), sha256=sha256(data), format="pdf", text=text, pages=len(pages),
        title=title,
        authors=tuple(a.strip() for a in re.split(r"[;,]", meta.get("Author", "")) if a.strip()),
    )
    return ParsedDocument(document=document, blocks=tuple(blocks))


_JUNK_TITLE = re.compile(r"^(untitled|microsoft (word|powerpoint)\b|document\d*$|slide "
                         r"\d|.*\.(docx?|pdf|indd|pptx?)$)", re.I)


_STREAM = re.compile(rb">>\s*stream\r?\n")


def _check_streams(path: Path, data: bytes, limit: int) -> None:
    """Refuse a PDF whose compressed streams expand past ``limit`` bytes in all (a decompression bomb:
    600 KB that PDFium would inflate to gigabytes), before PDFium reads it. Inflates each Flate
    stream in 1 MB steps, counting, and stops at the limit; a real report stays far below it
    (the NIST AI RMF, 136 streams with images: 105 MB).

    Raises:
        CorruptFile: The streams expand past the limit.
    """
    total = 0
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - 400):match.start()]
        if b"/FlateDecode" not in head[head.rfind(b"<<"):]:
            continue
        end = data.find(b"endstream", match.end())
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(data[match.end():end if end > 0 else len(data)], 1 << 20)
            total += len(out)
            while inflater.unconsumed_tail and out and total <= limit:
                out = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
                total += len(out)
        except zlib.error:
            continue  # PDFium judges a broken stream itself
        if total > limit:
            raise CorruptFile(str(path), f"its compressed streams expand past {limit:,} bytes (a "
                                         "decompression "
                                         "bomb?)",
                              "If the file is trusted, raise max_pdf_stream_bytes in a settings "
                                         "file; otherwise leave it out.")


def _meaningful_title(title: str | None) -> str | None:
    """The PDF's own Title entry, unless it is a placeholder ("TA", "Microsoft Word - draft.docx")."""
    title = " ".join((title or "").split())
    if len(re.findall(r"[A-Za-z]{2,}", title)) < 2 or _JUNK_TITLE.match(title):
        return None
    return title


def _title_block(lines: list[Line]) -> str | None:
    """The title printed on the first page: its largest lines, top to bottom.

    Lines at least 70% of the tallest line's height with words in them (not a
    code such as "P9_TA(2024)0138") make the title; more than four such lines
    or 200 characters means the page has no title block (a Federal Register page).
    """
    worded = [ln for ln in lines if len(re.findall(r"[A-Za-z]{2,}", ln.text)) >= 1 and " " in ln.text.strip()]
    if not worded:
        return None
    tallest = max(ln.top - ln.bottom for ln in worded)
    big = sorted((ln for ln in worded if ln.top - ln.bottom >= 0.7 * tallest), key=lambda ln: -ln.top)
    title = re.sub(r"\s+-\s+", "-", " ".join(" ".join(ln.text.split()) for ln in big))
    if len(big) > 4 or len(title) > 200:
        return _title_above_body(worded)
    return title


def _title_above_body(lines: list[Line]) -> str | None:
    """A page whose largest lines include body-size text (a Federal Register page: masthead, running
    head, then the order's title): the title is the run of lines set clearly larger than the body
    text that holds the most words ("Presidential Documents" is a masthead; "Safe, Secure, and
    Trustworthy Development and Use of Artificial Intelligence" is the title)."""
    body = Counter(round(ln.top - ln.bottom, 1) for ln in lines).most_common(1)[0][0]
    tall = sorted((ln for ln in lines if ln.top - ln.bottom >= 1.15 * body), key=lambda ln: -ln.top)
    runs: list[list[Line]] = []
    for line in tall:
        last = runs[-1][-1] if runs else None
        height = line.top - line.bottom
        if (last is not None and abs(height - (last.top - last.bottom)) <= 0.1 * height
                and last.bottom - line.top < 1.5 * height):
            runs[-1].append(line)
        else:
            runs.append([line])
    texts = [_joined(run) for run in runs]
    best = max(texts, key=lambda t: len(t.split()), default="")
    return best if 3 <= len(best.split()) and len(best) <= 200 else None


def _joined(run: list[Line]) -> str:
    """Lines of one title, joined as paragraph lines are (:func:`_join`: a word hyphenated across
    them made whole)."""
    text = ""
    for line in run:
        text = _join(text, " ".join(line.text.split()))
    return text.translate({ord(c): None for c in _SOFT_HYPHENS})


def _page_lines(page: pdfium.PdfPage) -> list[Line]:
    """Text lines of one page, column by column, top to bottom."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    boxes = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        if top - bottom > 20 and top - bottom > 3 * (right - left):  # rotated margin text (a print stamp)
            continue
        text = textpage.get_text_bounded(left, bottom, right, top)
        if text.strip():
            boxes.append(Line(text.replace("\r", "").replace("\n", " "), left, top, bottom, right))
    textpage.close()
    page.close()
    return _layout(boxes, width, height)


def _layout(boxes: list[Line], width: float, height: float) -> list[Line]:
    """Text runs of one page → lines, column by column, top to bottom, margins marked."""
    lines = _merge_runs(boxes)
    for line in lines:
        line.in_margin = line.top > (1 - _MARGIN) * height or line.bottom < _MARGIN * height
    columns = _columns(lines, width, height)
    for number, column in enumerate(columns):
        for line in column:
            line.column = number
    return [line for column in columns for line in _rows(column)]


def _plumber_pages(path: Path, data: bytes) -> tuple[list[list[Line]], dict[str, str]]:
    """The fallback reader: pdfplumber's words (pdfminer parses some files PDFium refuses).

    Raises:
        CorruptFile: pdfplumber cannot read it either.
    """
    import io

    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = []
            for page in pdf.pages:
                words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
                boxes = [Line(w["text"], w["x0"], page.height - w["top"], page.height - w["bottom"], w["x1"])
                         for w in words]
                pages.append(_layout(boxes, page.width, page.height))
            meta = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, bytes))}
    except Exception as exc:  # pdfminer raises many private exception types on broken files
        raise CorruptFile(str(path), "the PDF cannot be parsed by PDFium or pdfplumber "
                                     f"({exc.__class__.__name__})") from exc
    return pages, meta


def _rows(boxes: list[Line]) -> list[Line]:
    """Order runs row by row: runs whose vertical middles are close share a row."""
    boxes = sorted(boxes, key=lambda b: -b.top)
    rows: list[list[Line]] = []
    for box in boxes:
        middle = (box.top + box.bottom) / 2
        # a raised or lowered run (an exponent, a footnote mark) may come after a run from another
        # column has opened a new row, so the last few rows are candidates, not only the last
        height = box.top - box.bottom
        row = next((row for row in rows[-1:-4:-1] if abs(middle - (row[0].top + row[0].bottom) / 2)
                    < max(2.0, max(row[0].top - row[0].bottom, height) * 0.45)), None)
        if row is None:
            rows.append([box])
        elif height > row[0].top - row[0].bottom:
            row.insert(0, box)  # the tallest run of a row is what other runs are measured against
        else:
            row.append(box)
    return [box for row in rows for box in sorted(row, key=lambda b: b.left)]


def _merge_runs(boxes: list[Line]) -> list[Line]:
    """Join text runs that sit on the same row and touch into one line."""
    merged: list[Line] = []
    for box in _rows(boxes):
        last = merged[-1] if merged else None
        same_row = last and abs((last.top + last.bottom) - (box.top + box.bottom)) / 2 \
            < max(2.0, (last.top - last.bottom) * 0.45)
        if last and same_row and -1 <= box.left - last.right < 12:
            joiner = "" if last.text.endswith(" ") or box.text[:1] in ".,;:)" else " "
            text = box.text.lstrip() if last.text.endswith(" ") else box.text
            shift = _shifted(last, box)
            if shift == "raised" and _POWER_OF_TEN.search(last.text) and _EXPONENT.match(text):
                joiner = "^"  # 10^26: the text layer alone reads "10 26"
                last.text = last.text.rstrip()
            elif shift == "raised" and _EXPONENT.match(text) and _is_mark(last, box):
                # a footnote mark: "change.6" is "change."
                joiner, text = "", " " if text.endswith(" ") else ""
            elif shift and _ATTACHED.match(text) and last.text[-1:].isalnum():
                joiner = ""  # "45th", "CO2"
            merged[-1] = Line(last.text + joiner + text, last.left, max(last.top, box.top),
                              min(last.bottom, box.bottom), box.right)
        else:
            merged.append(box)
    return merged


_POWER_OF_TEN = re.compile(r"(?<![\d.,])10\s*$")
_EXPONENT = re.compile(r"^[-−]?\d{1,3}\s*$")
_ATTACHED = re.compile(r"^(?:\d{1,2}|st|nd|rd|th|er|e|re)\s*$")


def _shifted(base: Line, run: Line) -> str | None:
    """'raised' or 'lowered' for a run set smaller above or below the base line (superscript,
    subscript), else None. Such a run is at most 80% of the base's height and moved by a fifth of it."""
    base_height = base.top - base.bottom
    if base_height <= 0 or run.top - run.bottom > 0.8 * base_height:
        return None
    if run.bottom >= base.bottom + 0.2 * base_height:
        return "raised"
    if run.top <= base.top - 0.2 * base_height:
        return "lowered"
    return None


def _is_mark(base: Line, run: Line) -> bool:
    """A footnote mark: well under the base's size, well above its line, after a word or a full stop.

    Stricter than :func:`_shifted`: a figure set smaller inside brackets ("[12 months", an
    amended text's placeholder) is text, not a mark.
    """
    base_height = base.top - base.bottom
    return (run.top - run.bottom <= 0.7 * base_height and run.bottom >= base.bottom + 0.3 * base_height
            and base.text.rstrip()[-1:] not in "([{-–/")


def _columns(lines: list[Line], width: float, height: float) -> list[list[Line]]:
    """Split body lines into columns at vertical gutters no line crosses (or, where a line spans
    the page, in bands between such lines: :func:`_banded`)."""
    body = [ln for ln in lines if _MARGIN * height < ln.top < (1 - _MARGIN) * height]
    # a column of footnote numbers or bullets beside the text is no column of its own
    edges = sorted((ln.left, ln.right) for ln in body if ln.right - ln.left >= _TEXT_WIDTH)
    gutters: list[float] = []
    reach = None
    for left, right in edges:
        if reach is not None and left - reach >= 12:
            gutters.append((reach + left) / 2)
        reach = right if reach is None else max(reach, right)
    middle = height / 2
    header = [ln for ln in lines if ln not in body and ln.top >= middle]
    footer = [ln for ln in lines if ln not in body and ln.top < middle]
    if not gutters:
        return [header, *_banded(body), footer]
    bounds = [0.0, *gutters, width + 1]
    columns: list[list[Line]] = [[] for _ in range(len(bounds) - 1)]
    for line in body:
        for i in range(len(bounds) - 1):
            if bounds[i] <= line.left < bounds[i + 1]:
                columns[i].append(line)
                break
    return [header, *columns, footer]


# the least lines of text (at least _TEXT_WIDTH points wide) a band needs on each side of a gutter
# to be read as two columns
_BAND_LINES = 2
_TEXT_WIDTH = 40.0


def _banded(lines: list[Line], depth: int = 2) -> list[list[Line]]:
    """Columns under or between lines that span the page: a table, or two columns below a title.

    Where a full-width line crosses every gutter, :func:`_columns` finds none, and rows mix the
    columns' lines ("risks of in-" beside "place to address"). The gutter is then the place fewest
    lines cross with at least three lines wholly on each side of it; the lines that cross it cut
    the page into bands, and a band with lines on both sides is read left column first. Each side
    is searched again for a further gutter (a table of three columns), ``depth`` times at most.
    """
    if len(lines) < 2 * (_BAND_LINES + 1) or depth == 0:
        return [lines]
    left = np.array([ln.left for ln in lines])
    right = np.array([ln.right for ln in lines])
    xs = np.arange(left.min() + 12, right.max() - 12, 2.0)
    if not len(xs):
        return [lines]
    crossing = ((left[:, None] < xs) & (right[:, None] > xs)).sum(axis=0)
    # lines of text wholly left or right of a 12-point gutter (a bullet or a mark alone is no column)
    text = (right - left >= _TEXT_WIDTH)[:, None]
    before = ((right[:, None] <= xs - 6) & text).sum(axis=0)
    after = ((left[:, None] >= xs + 6) & text).sum(axis=0)
    possible = (before >= 3) & (after >= 3) & (crossing < (before + after) / 2)
    if not possible.any():
        return [lines]
    fewest = crossing[possible].min()
    chosen = xs[possible & (crossing == fewest)]
    gutter = float(np.median(chosen))
    groups: list[list[Line]] = []
    band: list[Line] = []

    def close() -> None:
        sides = ([ln for ln in band if ln.right <= gutter], [ln for ln in band if ln.right > gutter])
        if min(sum(ln.right - ln.left >= _TEXT_WIDTH for ln in side) for side in sides) >= _BAND_LINES:
            groups.extend(g for side in sides for g in _banded(side, depth - 1))
        elif band:
            groups.append(list(band))
        band.clear()

    spanning = False  # the last group holds lines that cross the gutter
    for line in sorted(lines, key=lambda ln: -ln.top):
        if line.left < gutter < line.right:
            if band:
                close()
                spanning = False
            if spanning:
                groups[-1].append(line)
            else:
                groups.append([line])
                spanning = True
        else:
            band.append(line)
    close()
    return groups


def _drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Remove page numbers and lines repeated in the margins of many pages."""
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.strip().lower())

    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({key(ln.text) for ln in _margin_lines(page)})
    threshold = max(2, int(len(pages) * 0.4))
    result = []
    for page in pages:
        margins = {id(ln) for ln in _margin_lines(page)}
        kept = []
        for line in page:
            text = line.text.strip()
            if id(line) in margins and (counts[key(text)] >= threshold or _PAGE_NUMBER.match(text)):
                continue
            kept.append(line)
        result.append(kept)
    return result


def _margin_lines(page: list[Line]) -> list[Line]:
    return [line for line in page if line.in_margin]


def _assemble(pages: list[list[Line]]) -> tuple[str, list[Block]]:
    """Join lines into paragraphs (hyphenation repaired) and lay them out as stored text."""
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    paragraph = 0
    section: str | None = None
    for number, page in enumerate(pages, start=1):
        paras = _paragraphs(page)
        if paras and parts and _continues(parts[-1], paras[0]):
            # a paragraph running over the page break stays one block, on its first page
            parts[-1] = _join(parts[-1], paras.pop(0))
            last = blocks[-1]
            offset = last.start + len(parts[-1]) + 2
            blocks[-1] = Block(start=last.start, end=last.start + len(parts[-1]), kind=last.kind,
                               page=last.page, section=last.section, paragraph=last.paragraph)
        for para in paras:
            paragraph += 1
            kind = _kind(para)
            if kind == "heading":
                section = para
            blocks.append(Block(start=offset, end=offset + len(para), kind=kind, page=number,
                                section=section, paragraph=paragraph))
            parts.append(para)
            offset += len(para) + 2
    return "\n\n".join(parts), blocks


def _kind(para: str) -> str:
    """Short unpunctuated lines are headings; numbered or bulleted ones list items."""
    if len(para) < 80 and len(para.split()) <= 10 and not para.rstrip().endswith((".", ",", ":",
                                                                                  ";", "?", "!")):
        return "heading"
    return "list_item" if _LIST_START.match(para) and len(para) < 600 else "paragraph"


def _continues(previous: str, following: str) -> bool:
    return not previous.rstrip().endswith((".", ":", ";", "?", "!", '"', "”")) and following[:1].islower()


def _paragraphs(lines: list[Line]) -> list[str]:
    if not lines:
        return []
    spacing = _line_spacing(lines)
    paragraphs: list[str] = []
    current = ""
    previous: Line | None = None
    for number, line in enumerate(lines):
        text = line.text.strip()
        new = (previous is None or (previous.bottom - line.top) > spacing[number] + 4
               or line.top > previous.top + 2)
        new = new or _ends_short(previous, lines)
        new = new or bool(_LIST_START.match(text) and current.rstrip().endswith((".", ":", ";")))
        if new and current:
            paragraphs.append(current.strip())
            current = ""
        current = _join(current, text)
        previous = line
    if current.strip():
        paragraphs.append(current.strip())
    return [p for p in paragraphs if p]


def _line_spacing(lines: list[Line], reach: int = 4) -> list[float]:
    """The usual gap above each line: the page's median gap or, where the lines around it are set
    wider, the lower quartile of the gaps in its run of lines within ``reach`` lines of it (the
    quartile, so that a list's wider gaps nearby do not make the gap under a heading look usual).
    A page mixes spacings (double-spaced body text over single-spaced footnotes, as in the
    Parliament's text of the AI Act): one median for the page would end a paragraph at every line
    of the wider-spaced text."""
    # a line below the one before it, and close: the next column (which starts higher up) or a jump
    # down the page starts a new run; the top band and the body below it are one run
    gaps = [a.bottom - b.top if 0 < a.bottom - b.top < 40 else None for a, b in zip(lines, lines[1:])]
    page = statistics.median([g for g in gaps if g is not None] or [2.0])
    spacing = [page]
    for number in range(1, len(lines)):
        near = _run_around(gaps, number - 1, reach)
        spacing.append(max(page, _lower_quartile(near)) if len(near) >= 2 else page)
    return spacing


def _run_around(gaps: list[float | None], at: int, reach: int) -> list[float]:
    """The gaps within ``reach`` of gap ``at`` that belong to the same run of lines (no move to the
    next column or jump down the page between)."""
    if gaps[at] is None:
        return []
    start = at
    while start > max(0, at - reach) and gaps[start - 1] is not None:
        start -= 1
    end = at
    while end < min(len(gaps) - 1, at + reach) and gaps[end + 1] is not None:
        end += 1
    return [g for g in gaps[start:end + 1] if g is not None]


def _lower_quartile(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 4]


def _ends_short(line: Line | None, lines: list[Line]) -> bool:
    """A line that stops short of its column's right edge ends its paragraph.

    Ragged-right text makes "short" unreliable, so a moderately short line must
    also end a sentence; only a very short line (a heading) ends one by itself.
    """
    if line is None:
        return False
    peers = [ln.right for ln in lines if ln.column == line.column and abs(ln.left - line.left) < 40]
    column_right = max(peers, default=line.right)
    width = max(column_right - line.left, 1)
    if len(peers) <= 2:
        return False
    text = line.text.rstrip()
    very_short = line.right < column_right - 0.5 * width
    return very_short or (line.right < column_right - 0.2 * width
                          and text.endswith((".", ":", "?", "!", ";")))


def _join(current: str, text: str) -> str:
    if not current:
        return text
    if current[-1] in _SOFT_HYPHENS:
        return current[:-1] + text
    if current.endswith("-") and len(current) > 1 and current[-2].islower() and text[:1].islower():
        return current[:-1] + text
    return current + " " + text
