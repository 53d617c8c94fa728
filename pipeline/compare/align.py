"""Align statements between two versions: TF-IDF over words and characters, optimal one-to-one assignment.

Cosmetic differences (list markers and numbering, Markdown emphasis,
punctuation, quotes and dashes, date formats, whitespace) are normalised away
before comparing, so they never show up as changes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from ..config import model_data
from ..extract.dates import resolve_time

_MARKER = re.compile(r"^\s*(?:[-*+•]|\(?\d{1,3}[.)]|\(?[a-z]{1,3}[.)])\s+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
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


def normalise(text: str) -> str:
    """The text with cosmetic variation removed."""
    text = _INVISIBLE.sub("", text)
    text = _MARKER.sub("", _URL.sub("", _LINK.sub(r"\1", text)))
    text = _DATE.sub(lambda m: resolve_time(m.group(0)) or m.group(0), text)
    text = re.sub(r"[*_`]+", "", text)
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", " - ").replace("–", " - ")
    text = _NEGATION_WORDS.sub(" ", text.lower())
    text = re.sub(r"[^\w\s'^.-]", " ", text)
    text = re.sub(r"(?<!\d)\.(?!\d)", " ", text)
    text = re.sub(r"(?<!\w)-|-(?!\w)", " ", text)  # dashes, not hyphens inside words
    return " ".join(text.split())


def similarity(old: list[str], new: list[str]) -> np.ndarray:
    """Cosine similarity of every old to every new text: mean of word and character TF-IDF."""
    texts = [normalise(t) for t in old + new]
    scores = []
    for vectorizer in (TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)):
        matrix = vectorizer.fit_transform(texts)
        scores.append(cosine_similarity(matrix[:len(old)], matrix[len(old):]))
    return (scores[0] + scores[1]) / 2


def align(old: list[Statement], new: list[Statement], *, min_similarity: float = 0.45
          ) -> tuple[list[tuple[Statement, Statement, float]], list[Statement], list[Statement]]:
    """Pair old and new statements one to one.

    Returns:
        (pairs with their similarity, removed old statements, added new statements).
    """
    if not old or not new:
        return [], list(old), list(new)
    scores = similarity([s.text for s in old], [s.text for s in new])
    rows, cols = linear_sum_assignment(-scores)
    pairs = [(old[r], new[c], float(scores[r, c])) for r, c in zip(rows, cols) if scores[r, c] >= min_similarity]
    removed = [s for s in old if id(s) not in {id(p[0]) for p in pairs}]
    added = [s for s in new if id(s) not in {id(p[1]) for p in pairs}]
    pairs += _pair_rewritten(removed, added)
    paired_old = {id(p[0]) for p in pairs}
    paired_new = {id(p[1]) for p in pairs}
    return pairs, [s for s in old if id(s) not in paired_old], [s for s in new if id(s) not in paired_new]


@functools.lru_cache(maxsize=4)
def ignored_words(extra: str | None = None) -> frozenset[str]:
    """Words left out when measuring what two statements share: the function words of
    models/compare_words.json, plus its list ``extra`` (words that say nothing for one purpose:
    "use" in usage rules that are rewritten, "not" in a rule folded into a broader one)."""
    words = model_data("compare_words.json")
    return frozenset(words["function_words"]) | frozenset(words[extra] if extra else ())


def _short_rule(statement: Statement) -> bool:
    """List-style rules (prohibitions, bare list items) are the ones rewritten around a core word."""
    return statement.kind in ("prohibition", None) and len(statement.text.split()) <= 14


def _pair_rewritten(removed: list[Statement], added: list[Statement]) -> list[tuple[Statement, Statement, float]]:
    """Second pass: a rule rewritten around the same core words ('campaigning or lobbying' → 'lobbying that ...').

    Pairs short leftover rules whose distinctive words recur, best first.
    """
    def words(statement: Statement) -> set[str]:
        return set(normalise(statement.text).split()) - ignored_words("rewritten_rule_extra")

    added_words = [(b, words(b)) for b in added]
    candidates = []
    for a in removed:
        words_a = words(a)
        for b, words_b in added_words:
            if not words_a or not words_b or not _short_rule(a) or not _short_rule(b):
                continue
            shared = len(words_a & words_b) / min(len(words_a), len(words_b))
            if shared >= 0.3 and len(words_a & words_b) >= 1:
                candidates.append((shared, a, b))
    pairs, used = [], set()
    for shared, a, b in sorted(candidates, key=lambda c: -c[0]):
        if id(a) not in used and id(b) not in used:
            used |= {id(a), id(b)}
            pairs.append((a, b, round(shared, 3)))
    return pairs
