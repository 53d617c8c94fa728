"""Section paths: where a sentence sits in a law's or a policy's numbering.

E.g. "Art. 53(1)(b)", "Sec. 4.2(a)(i)".

A citation a reader can check needs the article or section, the numbered
paragraph and the lettered and roman items. We read them from the text
itself, in order: headings and openings such as "Article 53", "Sec. 4.",
"4.2." set the root; "1." opens a numbered paragraph under it; "(a)", "(i)"
and "(A)" open items, each level under the one before. A lettered "(i)"
after "(h)" is the ninth letter; after any other letter it opens a roman sub-item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .records import Sentence

# the marks that open a list item (Markdown's "-", "*", "+" and the bullets of text taken from PDFs
# and web pages), as a regex character class: ingest, the extractors and the comparator read lists
# by the same marks
BULLETS = r"[-*+•●○▪◦]"

_ROOT = re.compile(
    r"^\s*(?:(?P<article>Article|Art\.)\s+(?P<a>\d{1,3}[a-z]?)\b"
    r"|(?P<section>Section|Sec\.|§)\s*(?P<s>\d{1,3}(?:\.\d{1,3})*)\.?(?=\s|$)"
    r"|(?P<measure>Measure|Commitment|Appendix|Annex|Chapter|Part)\s+(?P<m>[IVXLC]+|\d{1,3}(?:\.\d{1,3})*)\b"
    r"|(?P<dotted>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s*(?=[A-Z][a-z]|$))")
_PARAGRAPH = re.compile(r"^\s*(?P<n>\d{1,2})\.\s+(?=\S)")
_ITEM = re.compile(r"^\s*[•\-–*]?\s*(?:\((?P<i>[a-z]{1,5}|[A-Z]|\d{1,2})|(?P<j>[a-z]{1,2}))\)\s*")
_ROMAN = re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii|xiv|xv|xvi|xvii|xviii|xix|xx)$")
_LABELS = {"article": "Art.", "section": "Sec.", "measure": None, "dotted": "Sec."}


def section_paths(sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences with ``section_path`` set wherever the text numbers its parts."""
    root: str | None = None
    paragraph: str | None = None
    items: list[tuple[str, str]] = []  # (level kind, marker): "letter", "roman", "upper", "number"
    out = []
    for sentence in sentences:
        text = sentence.text
        found = _ROOT.match(text)
        if found and (sentence.kind == "heading" or len(text) < 120 or found.group("article")
                      or found.group("dotted")):
            root, paragraph, items = _root(found), None, []
            text = text[found.end():]
        number = _PARAGRAPH.match(text)
        if number and root is not None and not _ROOT.match(text):
            paragraph, items = number.group("n"), []
        else:
            item = _ITEM.match(text)
            if item and root is not None:
                items = _push(items, item.group("i") or item.group("j"))
        out.append(replace(sentence, section_path=_path(root, paragraph, items)))
    return out


def _root(found: re.Match[str]) -> str:
    if found.group("article"):
        return f"Art. {found.group('a')}"
    if found.group("section"):
        return f"Sec. {found.group('s')}"
    if found.group("measure"):
        return f"{found.group('measure')} {found.group('m')}"
    return f"Sec. {found.group('dotted')}"


def _kind(marker: str, items: list[tuple[str, str]]) -> str:
    if marker.isdigit():
        return "number"
    if marker.isupper():
        return "upper"
    if _ROMAN.match(marker):
        last_letter = next((m for k, m in reversed(items) if k == "letter"), None)
        in_roman = any(k == "roman" for k, _ in items)
        if in_roman or (last_letter is not None and not (marker == "i" and last_letter == "h")
                        and not (marker == "v" and last_letter == "u")
                        and not (marker == "x" and last_letter == "w")):
            return "roman"
        if last_letter is None and marker != "i":
            return "roman" if len(marker) > 1 else "letter"
    return "letter"


def _push(items: list[tuple[str, str]], marker: str) -> list[tuple[str, str]]:
    """A new item: it replaces the item of its own kind and closes any deeper ones."""
    kind = _kind(marker, items)
    for depth, (existing, _) in enumerate(items):
        if existing == kind:
            return [*items[:depth], (kind, marker)]
    return [*items, (kind, marker)]


def _path(root: str | None, paragraph: str | None, items: list[tuple[str, str]]) -> str | None:
    if root is None:
        return None
    return root + (f"({paragraph})" if paragraph else "") + "".join(f"({m})" for _, m in items)
