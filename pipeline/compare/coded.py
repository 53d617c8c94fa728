"""Hand-coded framework revisions: read them and place each coded passage on stored sentences.

The development set (``../shared/corpora/frontier-dev/``) codes every traced
commitment of a version pair with its old and new passage and an outcome
(R retained, S strengthened, W weakened, X removed, L relocated, A added).
The quotes are verbatim but may cross page breaks, hyphenation and footnote
markers, so they are matched to sentences by shared word runs, not by equality.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import GovtraceError
from ..records import Record, Sentence

OUTCOMES = ("R", "S", "W", "X", "L", "A")
MATERIAL_OUTCOMES = ("S", "W", "X", "A")


@dataclass(frozen=True)
class CodedChange(Record):
    """One coded commitment trace: its passages, outcome and announcement status."""

    id: str
    outcome: str  # one of OUTCOMES (adjudicated)
    material: bool
    announcement: str  # ANN, ANN-P, SIL, NCL or NA
    old_quote: str | None
    new_quote: str | None
    category: str = ""


@dataclass(frozen=True)
class CodedPair(Record):
    """A version pair with its two texts, the developer's revision account and its coded traces."""

    id: str
    provider: str
    old_path: Path
    new_path: Path
    changelog_path: Path | None
    changes: tuple[CodedChange, ...]

    @property
    def material(self) -> int:
        return sum(c.material for c in self.changes)


def load_coded_pairs(folder: str | Path) -> list[CodedPair]:
    """Read ``pair_documents.csv`` and ``changes.csv`` of a coded revision set.

    Raises:
        GovtraceError: The folder lacks either file.
    """
    folder = Path(folder)
    for name in ("pair_documents.csv", "changes.csv"):
        if not (folder / name).is_file():
            raise GovtraceError(f"{folder / name}: not found; point --frontier at a coded revision set "
                                "with pair_documents.csv and changes.csv")
    with open(folder / "changes.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with open(folder / "pair_documents.csv", encoding="utf-8", newline="") as handle:
        pairs = list(csv.DictReader(handle))
    return [CodedPair(
        id=p["pair_id"], provider=p["provider"],
        old_path=folder / p["old_text"], new_path=folder / p["new_text"],
        changelog_path=folder / p["changelog"] if p.get("changelog") else None,
        changes=tuple(_change(r) for r in rows if r["pair_id"] == p["pair_id"]))
        for p in pairs]


def _change(row: dict[str, str]) -> CodedChange:
    def quote(text: str) -> str | None:
        return None if text.strip().upper() in ("", "NONE") else text

    return CodedChange(
        id=row["commitment_id"], outcome=row["ADJ_outcome"].strip(),
        material=row["ADJ_material"].strip() == "yes",
        announcement=row["ADJ_announcement"].strip(), old_quote=quote(row["v_i_text"]),
        new_quote=quote(row["v_next_text"]), category=row.get("category", ""))


_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lowercased alphanumeric words, with accents, quotes and dashes folded away."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(text)


def _grams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    if len(tokens) < n:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def covered(sentences: list[Sentence], quote: str | None, *, min_share: float = 0.5) -> set[int]:
    """Indices of the sentences that a quoted passage covers.

    A sentence is covered when at least ``min_share`` of its word trigrams occur
    in the quote, or when the quote is a fragment lying mostly inside it.
    """
    if not quote:
        return set()
    quoted = words(quote)
    grams = _grams(quoted, 3)
    found = set()
    for sentence in sentences:
        own = _grams(words(sentence.text), 3)
        if not own:
            continue
        shared = len(own & grams)
        if shared / len(own) >= min_share or (len(grams) >= 3 and shared / len(grams) >= min_share):
            found.add(sentence.index)
    return found
