"""Page furniture in plain text: page markers, running headers and footers, split paragraphs.

Many policy texts reach us as PDF extractions saved as .txt or .md, with a
marker line per page (``[[page 3]]``, ``--- page 3 ---``, a form feed) and
the PDF's running headers, footers and page numbers still in place. This is
the text counterpart of the PDF reader's ``_drop_running_lines`` and
``_assemble``: split the text into pages, drop the lines repeated at the
edges of many pages, and rejoin a paragraph that a page break cut in two.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass

_MARKER = re.compile(
    r"^\s*(?:\[\[\s*page\s+(\d+)\s*\]\]|\[\s*page\s+(\d+)\s*\]|-{2,}\s*page\s+(\d+)\s*-{2,}"
    r"|<!--\s*page\s+(\d+)\s*-->)\s*$",
    re.I,
)
_PAGE_LABEL = re.compile(r"^page\s+\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)
_FOLIO = re.compile(
    r"^[-–—(\[]?\s*(\d{1,4})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$"  # "17", "- 17 -", "3 of 20"
    # "3 | Company", "Company | 3": a short label only, since "2 | Capabilities and risks" is a heading
    r"|^(\d{1,4})\s*\|\s*[^\s|\d]+(?:\s+[^\s|\d]+){0,2}$|^[^\s|\d]+(?:\s+[^\s|\d]+){0,2}\s*\|\s*(\d{1,4})$"
)
_ROMAN_FOLIO = re.compile(r"^[ivxlc]{1,7}$")
_FOOTNOTE = re.compile(r"^\s*(\d{1,3}\s?[A-Z“\"]|https?://)")
_LIST_START = re.compile(r"^\(?[a-z0-9]{1,3}[.)](\s|$)")
# words that cannot end a sentence: a line ending in one runs on, whatever the next page opens with
_RUN_ON = frozenset(
    "a an the of to for in on at by with from into onto than and or nor but our its their these those this "
    "such any each every both which whose whether between among under over via per".split()
)
_EDGE = 4  # non-empty lines at the top and at the bottom of a page where furniture lives
_SHARE = 0.3  # a running line repeats on at least this share of the pages...
_MIN_REPEATS = 3  # ...and on at least this many
_FRONT_MATTER = 30  # printed page numbers may trail the physical page by this much (cover, contents)


@dataclass
class Page:
    """One page of a paginated text: its number and its lines, verbatim."""

    number: int
    lines: list[str]


@dataclass(frozen=True)
class Layout:
    """Cleaned text of a paginated file and where each page's runs of lines start in it."""

    text: str
    starts: list[int]  # offset of each run of lines, ascending
    run_pages: list[int]  # page number of each run
    pages: int
    removed: int  # furniture lines dropped (markers not counted)
    joined: int  # paragraphs rejoined across a page break

    def page_at(self, offset: int) -> int | None:
        """The page on which the run holding ``offset`` starts."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.run_pages[index] if index >= 0 else None


def paginate(text: str) -> Layout | None:
    """Clean a text cut into pages by marker lines or form feeds.

    Args:
        text: The decoded text, newlines normalised to ``\\n``.

    Returns:
        The cleaned layout, or None when the text has no page breaks (it is
        then stored exactly as read).
    """
    pages = split_pages(text)
    if pages is None:
        return None
    count = max((p.number for p in pages), default=0)
    pages, removed = drop_furniture(pages)
    runs, joined = join_runs(pages)
    starts, offset = [], 0
    for _, lines in runs:
        starts.append(offset)
        offset += len("\n".join(lines)) + 2
    text = "\n\n".join("\n".join(lines) for _, lines in runs)
    return Layout(text=text, starts=starts, run_pages=[page for page, _ in runs], pages=count,
                  removed=removed, joined=joined)


def split_pages(text: str) -> list[Page] | None:
    """Split at page-marker lines and form feeds; None when there are none.

    Pages without text are left out; text before the first marker is page 1.
    """
    if "\f" not in text and not any(_MARKER.match(line) for line in text.split("\n")):
        return None
    pages = [Page(1, [])]
    for line in text.split("\n"):
        marker = _MARKER.match(line)
        if marker:
            number = next((int(g) for g in marker.groups() if g), pages[-1].number + 1)
            pages.append(Page(number, []))
            continue
        first, *rest = line.split("\f")
        pages[-1].lines.append(first)
        for part in rest:  # pdftotext starts each page with a form feed, often mid-line
            pages.append(Page(pages[-1].number + 1, [part]))
    return [page for page in pages if any(line.strip() for line in page.lines)]


def drop_furniture(pages: list[Page]) -> tuple[list[Page], int]:
    """Remove running headers, footers and page numbers from the edges of each page.

    Returns:
        The pages without those lines, and how many lines were removed.
    """
    if len(pages) < 3:  # too few pages to tell a running line from a repeated one
        return pages, 0
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_key(page.lines[i]) for i in _edge_lines(page)})
    threshold = max(_MIN_REPEATS, math.ceil(len(pages) * _SHARE))
    running = {key for key, n in counts.items() if n >= threshold and sum(c.isalpha() for c in key) >= 2}
    cleaned, removed = [], 0
    for index, page in enumerate(pages):
        drop = _furniture(page, running, first=index == 0)
        removed += len(drop)
        cleaned.append(Page(page.number, [line for i, line in enumerate(page.lines) if i not in drop]))
    return cleaned, removed


def _key(line: str) -> str:
    """What a running line has in common across pages: case, digits and spacing ignored."""
    line = re.sub(r"\d+", "", line.strip().lstrip("#").lower())
    return re.sub(r"\s+", " ", line).strip()


def _edge_lines(page: Page) -> list[int]:
    filled = [i for i, line in enumerate(page.lines) if line.strip()]
    return filled[:_EDGE] + filled[-_EDGE:]


def _furniture(page: Page, running: set[str], *, first: bool) -> set[int]:
    """Indices of furniture lines on one page.

    The first page keeps repeated lines at its top and in its body: there a
    line matching the running header is the document's title.
    """
    drop = _edge_furniture(page, running, first=first)
    if not first:
        drop |= _isolated_furniture(page, running, drop)
    return drop


def _edge_furniture(page: Page, running: set[str], *, first: bool) -> set[int]:
    """Furniture at the top and the bottom of a page.

    The walk in from each edge stops at the first body line, so a repeated
    phrase inside the text is never touched.
    """
    filled = [i for i, line in enumerate(page.lines) if line.strip()]
    drop: set[int] = set()
    for edge, allow_running in ((filled[:_EDGE], not first), (filled[::-1][:_EDGE], True)):
        for i in edge:
            line = page.lines[i]
            if not (_is_folio(line, page.number) or (allow_running and _key(line) in running)):
                break
            drop.add(i)
    return drop


def _isolated_furniture(page: Page, running: set[str], dropped: set[int]) -> set[int]:
    """Runs of lines made only of running lines and page numbers, inside the page.

    A two-page spread or a figure extracted out of order leaves a header in
    mid-page; a run holding nothing else is furniture wherever it sits.
    """
    drop: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*page.lines, ""]):
        if line.strip():
            run.append(i)
            continue
        live = [page.lines[j] for j in run if j not in dropped]
        if any(_key(text) in running for text in live) and all(
                _key(text) in running or _is_folio(text, page.number) for text in live):
            drop.update(run)
        run = []
    return drop


def looks_like_folio(line: str) -> bool:
    """A line that reads as page furniture wherever it stands: "Page 3 of 20", "Company | 17"."""
    line = line.strip().lstrip("#").strip()
    return bool(_PAGE_LABEL.match(line) or _FOLIO.match(line))


def _is_folio(line: str, page: int) -> bool:
    """A page-number line: "17", "- 17 -", "Page 3 of 20", "3 | Company", "iv"."""
    line = line.strip().lstrip("#").strip()
    if _PAGE_LABEL.match(line) or _ROMAN_FOLIO.match(line):
        return True
    match = _FOLIO.match(line)
    if not match:
        return False
    number = int(next(g for g in match.groups() if g))
    # a bare number far from the page's own is a contents entry or a table cell, not a folio
    return page - _FRONT_MATTER <= number <= page + 2


def join_runs(pages: list[Page]) -> tuple[list[tuple[int, list[str]]], int]:
    """Runs of non-empty lines, with a paragraph cut by a page break made whole again.

    The continuation joins the last body run of the previous page, ahead of
    that page's footnotes, and keeps the previous page's number (as the PDF
    reader does).

    Returns:
        (page number, lines) for each run, and how many page breaks were joined.
    """
    runs: list[tuple[int, list[str]]] = []
    joined = 0
    for page in pages:
        page_runs = _runs(page.lines)
        body = _body_end(runs)
        if page_runs and body is not None and _continues(runs[body][1][-1], page_runs[0][0]):
            # only the rest of the cut sentence moves back; what follows it stays on its own page
            head, rest = _until_sentence_end(page_runs[0])
            runs[body] = (runs[body][0], runs[body][1] + head)
            page_runs[0:1] = [rest] if rest else []
            joined += 1
        runs.extend((page.number, run) for run in page_runs)
    return runs, joined


def _until_sentence_end(run: list[str]) -> tuple[list[str], list[str]]:
    """Split a run after its first line that ends a sentence."""
    for index, line in enumerate(run):
        if _ends_sentence(line):
            return run[:index + 1], run[index + 1:]
    return run, []


def _ends_sentence(line: str) -> bool:
    return line.strip().rstrip("\"'”’)]").endswith((".", "!", "?", ":"))


def _runs(lines: list[str]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            runs[-1].append(line)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _body_end(runs: list[tuple[int, list[str]]]) -> int | None:
    """The last run of the previous page that is body text, skipping its footnotes."""
    if not runs:
        return None
    page = runs[-1][0]
    index = len(runs) - 1
    while index >= 0 and runs[index][0] == page and _FOOTNOTE.match(runs[index][1][0]):
        index -= 1
    return index if index >= 0 and runs[index][0] == page else None


def _continues(previous: str, following: str) -> bool:
    """The previous page stops mid-sentence and the next one carries on."""
    previous, following = previous.strip(), following.strip()
    if previous.startswith(("#", "|")) or following.startswith(("#", "|")) or _LIST_START.match(following):
        return False
    if _ends_sentence(previous):
        return False
    if previous.endswith("-") and previous[-2:-1].isalpha():  # a word hyphenated over the break
        return True
    if previous.split()[-1].lower() in _RUN_ON and (following[0].isalnum() or following[0] in "(“\""):
        return True  # "a security level for each of these" | "CCLs, which ..."
    word = following.split()[0]
    # "xAI's" or "iPhone" may open a new paragraph; a wholly lowercase word carries one on
    return word[0].isalpha() and word == word.lower()
