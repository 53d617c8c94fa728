"""What two statements share once cosmetics are set aside: the normalised text and the words to ignore.

Cosmetic differences (list markers and numbering, Markdown emphasis,
punctuation, quotes and dashes, date formats, whitespace) are normalised away
before comparing, so they never show up as changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import resolve_time
from ..structure import BULLETS

# list markers, also nested ("* c. ", "- 2) ") and the bullets of text taken from PDFs
_MARKER = re.compile(rf"^\s*(?:(?:{BULLETS}|\(?\d{{1,3}}[.)]|\(?[a-z]{{1,3}}[.)])\s+)+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# what a page prints for screen readers beside a link: not part of the rule
_LINK_HINT = re.compile(r"\(opens in a new (?:window|tab)\)", re.I)
_URL = re.compile(r"https?://\S+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
# polarity is compared from the extracted records; the words themselves are wording
_NEGATION_WORDS = re.compile(r"\b(?:don't|do not)\b")
_DATE = re.compile(
    r"\b(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4})\b")


@dataclass(frozen=True)
class Statement:
    """One comparable unit: a commitment (or rule-like sentence) with where it came from."""

    text: str
    document: str
    page: int | None
    start: int
    strength: int | None = None
    polarity: str | None = None
    condition: str | None = None
    kind: str | None = None
    topics: tuple[str, ...] = ()
    modal: str | None = None  # the word that set the strength, when the extractor recorded it


def normalise(text: str) -> str:
    """The text with cosmetic variation removed."""
    text = _INVISIBLE.sub("", text)
    text = _MARKER.sub("", _URL.sub("", _LINK.sub(r"\1", _LINK_HINT.sub("", text))))
    text = _DATE.sub(lambda m: resolve_time(m.group(0)) or m.group(0), text)
    text = re.sub(r"[*_`]+", "", text)
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", " - ").replace("–", " - ")
    text = _NEGATION_WORDS.sub(" ", text.lower())
    text = re.sub(r"[^\w\s'^.-]", " ", text)
    text = re.sub(r"(?<!\d)\.(?!\d)", " ", text)
    text = re.sub(r"(?<!\w)-|-(?!\w)", " ", text)  # dashes, not hyphens inside words
    return " ".join(text.split())
