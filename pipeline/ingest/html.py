"""HTML: main content only (trafilatura), kept as Markdown so structure survives.

Navigation, cookie banners, footers and scripts are dropped by trafilatura;
its Markdown output keeps headings, list items and table rows, which the
Markdown block splitter then turns into blocks. Nothing is fetched: the page
is parsed from the bytes we were given.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

from ..config import Settings
from ..errors import CorruptFile, NoMainContent
from ..records import Document, ParsedDocument
from . import register, sha256
from .text import decode, markdown_blocks

log = logging.getLogger(__name__)

_MIN_WORDS = 8
_SNIFF = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<body)",
                    re.I | re.S)


_INVISIBLE = re.compile(r"<(script|style|noscript|template|head)\b.*?</\1\s*>", re.I | re.S)
_BREAK = re.compile(r"<(?:br|hr)\b[^>]*>|</(?:p|div|li|h[1-6]|tr|section|article|blockquote|pre|table)\s*>",
                    re.I)
_TAG = re.compile(r"<[^>]*>")


def _visible_text(markup: str) -> str:
    """The page's text without tags, one paragraph per block element: linear in the markup's length,
    however deep it nests."""
    text = _BREAK.sub("\n\n", _INVISIBLE.sub(" ", markup))
    text = html.unescape(_TAG.sub(" ", text))
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _is_html(data: bytes) -> bool:
    return bool(_SNIFF.match(data[:2048]))


@register("html", extensions=(".html", ".htm", ".xhtml"), sniff=_is_html)
def read_html(path: Path, data: bytes, settings: Settings) -> ParsedDocument:
    """Read the main content and metadata of an HTML page.

    Raises:
        NoMainContent: Boilerplate removal left no article text.
        CorruptFile: The markup cannot be parsed at all.
    """
    # imported here, as docx is: sniffing loads every reader, and trafilatura takes 0.13 s to import
    import trafilatura

    markup = decode(path, data)
    try:
        text = trafilatura.extract(
            markup, output_format="markdown", include_tables=True, include_comments=False,
            include_links=False, include_images=False, favor_recall=True, deduplicate=False,
        )
        meta = trafilatura.extract_metadata(markup)
    except (ValueError, RecursionError, TypeError) as exc:
        raise CorruptFile(str(path), f"the HTML cannot be parsed ({exc.__class__.__name__})") from exc
    if not text or len(text.split()) < _MIN_WORDS:
        # trafilatura gives up on some markup (200,000 nested <div>s); the page's visible text is
        # still better than nothing, so long as there is some
        text = _visible_text(markup)
        if len(text.split()) < _MIN_WORDS:
            raise NoMainContent(str(path), "no main content was found in this HTML page "
                                f"(fewer than {_MIN_WORDS} words after removing navigation and boilerplate)")
        log.info("%s: no main content found; keeping the page's visible text", path)
    text = text.strip() + "\n"
    document = Document(
        path=str(path), sha256=sha256(data), format="html", text=text,
        title=getattr(meta, "title", None) or None,
        publisher=getattr(meta, "sitename", None) or None,
        date=getattr(meta, "date", None) or None,
        source_url=getattr(meta, "url", None) or None,
        authors=tuple(a.strip() for a in re.split(r";|\band\b|,", getattr(meta, "author", None) or "")
                      if a.strip()),
    )
    return ParsedDocument(document=document, blocks=tuple(markdown_blocks(text)))
