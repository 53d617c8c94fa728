"""Resolve time expressions to ISO dates, anchored on the document's date."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH = (r"(January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
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


# ---- deadlines ------------------------------------------------------------------------------

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18, "twenty": 20,
                 "thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90, "a": 1, "an": 1}
_AMOUNT = r"(?P<n>\d{1,4}|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")"
_SPAN = _AMOUNT + r"[\s-]+(?P<unit>day|week|month|year)s?"
# the event a relative deadline counts from, when the document itself is that event
_OWN_DATE = re.compile(r"\b(?:the\s+)?(?:date\s+of\s+)?(?:this|the)\s+"
                       r"(?:order|memorandum|directive|proclamation|act|regulation|guidance|plan|policy|framework|code)\b"
                       r"|\b(?:its|the)\s+(?:issuance|signature|publication|signing)\b", re.I)
_RELATIVE = re.compile(
    rf"\b(?:within|no\s+later\s+than|not\s+later\s+than|not\s+more\s+than|in)\s+{_SPAN}\s+"
    r"(?:of|after|from|following)\s+(?P<event>[^,;:().]{3,90})", re.I)
_BY_DATE = re.compile(
    r"\b(?:by|before|no\s+later\s+than|not\s+later\s+than|until|on\s+or\s+before)\s+(?P<when>(?:the\s+end\s+of\s+)?"
    rf"(?:(?:\d{{1,2}}\s+)?{_MONTH}(?:\s+\d{{1,2}},?)?\s+)?(?:19|20)\d\d"
    r"|(?:the\s+end\s+of\s+)?(?:fiscal\s+year|FY)\s*(?:19|20)\d\d)",
    re.I)


def resolve_deadline(text: str, anchor: str | None) -> tuple[str | None, str | None, str | None]:
    """The deadline a sentence sets: (phrase as written, ISO date or None, what the date was resolved from).

    "within 270 days of the date of this order" counts from the document's own
    date (``anchor``); "by the end of 2027" and "by 2 August 2025" are dates
    already. A relative deadline counted from another event ("after the
    threshold is met", "after entry into force" of a text with no date for
    it) keeps its phrase and no date.
    """
    relative = _RELATIVE.search(text)
    if relative:
        phrase = relative.group(0).strip()
        amount = _amount(relative.group("n"))
        unit = relative.group("unit").lower()
        if _OWN_DATE.search(relative.group("event")) and anchor \
                and re.fullmatch(r"\d{4}-\d{2}-\d{2}", anchor):
            resolved = _add(anchor, amount, unit)
            return phrase, resolved, (f"{amount} {unit}{'s' if amount != 1 else ''} after {anchor}, "
                                      "the document's date")
        return phrase, None, None
    dated = _BY_DATE.search(text)
    if dated:
        when = dated.group("when")
        fiscal = re.search(r"(?:fiscal\s+year|FY)\s*((?:19|20)\d\d)", when, re.I)
        if fiscal:  # the US federal fiscal year ends on 30 September
            return dated.group(0).strip(), f"{fiscal.group(1)}-09-30", "end of the US federal fiscal year"
        written = when if re.search(r"\bend\s+of\b", when, re.I) else "by " + when
        due = _last_day(resolve_time(written, anchor) or resolve_time(when, anchor))
        if due:
            return dated.group(0).strip(), due, "the date as written"
    return None, None, None


def _amount(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _add(anchor: str, amount: int, unit: str) -> str:
    day = date.fromisoformat(anchor)
    if unit == "day":
        return (day + timedelta(days=amount)).isoformat()
    if unit == "week":
        return (day + timedelta(weeks=amount)).isoformat()
    months = amount * (12 if unit == "year" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1])).isoformat()


def _last_day(iso: str | None) -> str | None:
    """A deadline given as a year or a month falls due on its last day: "by 2027" is 2027-12-31."""
    if iso is None:
        return None
    if re.fullmatch(r"\d{4}", iso):
        return f"{iso}-12-31"
    if re.fullmatch(r"\d{4}-\d{2}", iso):
        year, month = int(iso[:4]), int(iso[5:])
        return f"{iso}-{calendar.monthrange(year, month)[1]:02d}"
    return iso
