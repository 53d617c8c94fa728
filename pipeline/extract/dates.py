"""Resolve time expressions to ISO dates, anchored on the document's date."""

from __future__ import annotations

import calendar
import re

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})\b", re.I), "dmy"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "iso"),
    (re.compile(rf"\bend\s+of\s+{_MONTH}\s+(\d{{4}})\b", re.I), "end_month"),
    (re.compile(r"\b(?:the\s+)?end\s+of\s+(\d{4})\b", re.I), "end_year"),
    (re.compile(r"\b(early|mid|late)[- ](\d{4})\b", re.I), "part_year"),
    (re.compile(r"\b(?:Q([1-4])|(first|second|third|fourth) quarter(?: of)?)\s+(\d{4})\b", re.I), "quarter"),
    (re.compile(rf"\b{_MONTH}\s+(\d{{4}})\b", re.I), "month_year"),
    (re.compile(rf"\b(?:as of|in|since|by|until|through)\s+{_MONTH}(?!\s+\d)", re.I), "month_only"),
    (re.compile(r"\b(?:in|by|since|until|as of|before|after|through)\s+((?:19|20)\d\d)\b", re.I), "year"),
]
_PARTS = {"early": "03", "mid": "06", "late": "12"}
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def resolve_time(text: str, anchor: str | None = None) -> str | None:
    """Return the first time expression in ``text`` as an ISO (partial) date.

    Args:
        text: Words that may hold a date ("by the end of 2028", "as of May").
        anchor: The document's ISO date, used when the text omits the year.

    Returns:
        "2028-12-31", "2026-05", "2023" ... or None when nothing is found.
    """
    for pattern, kind in _PATTERNS:
        match = pattern.search(text)
        if match:
            resolved = _resolve(kind, match.groups(), anchor)
            if resolved:
                return resolved
    return None


def _resolve(kind: str, g: tuple, anchor: str | None) -> str | None:
    if kind == "mdy":
        return f"{int(g[2]):04d}-{MONTHS[g[0].lower()]:02d}-{int(g[1]):02d}"
    if kind == "dmy":
        return f"{int(g[2]):04d}-{MONTHS[g[1].lower()]:02d}-{int(g[0]):02d}"
    if kind == "iso":
        return f"{g[0]}-{g[1]}-{g[2]}"
    if kind == "end_month":
        year, month = int(g[1]), MONTHS[g[0].lower()]
        return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    if kind == "end_year":
        return f"{g[0]}-12-31"
    if kind == "part_year":
        return f"{g[1]}-{_PARTS[g[0].lower()]}"
    if kind == "quarter":
        quarter = int(g[0]) if g[0] else _QUARTERS[g[1].lower()]
        return f"{g[2]}-{quarter * 3:02d}"
    if kind == "month_year":
        return f"{g[1]}-{MONTHS[g[0].lower()]:02d}"
    if kind == "month_only":
        if not anchor or not anchor[:4].isdigit():
            return None
        return f"{anchor[:4]}-{MONTHS[g[0].lower()]:02d}"
    if kind == "year":
        return g[0]
    return None
