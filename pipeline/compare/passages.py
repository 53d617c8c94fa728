"""Line up the passages of two versions by meaning: identical, rewritten, merged, split or moved.

1. Sentences whose normalised text recurs are kept as they are (also when they moved).
2. The rest are scored by meaning (sentence embeddings of all-MiniLM-L6-v2) and
   by wording (TF-IDF over words and characters), and paired one to one by
   optimal assignment, in any order, so a passage moved to another section
   still finds its counterpart.
3. A leftover sentence that says much of what an already paired sentence says
   joins that pair: two sentences merged into one, or one split into two.

The result is a list of :class:`Match` groups (many-to-many) plus the old
sentences with no counterpart and the new ones with no counterpart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from ..records import Sentence
from ..rules import Rules
from .align import normalise
from .changelog import in_changelog
from .embed import Embed

_CONTENTS = re.compile(r"^\W*(?:table of )?contents\W*$", re.I)
_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){3,})\s*\d*\s*$")
_MARKER_ONLY = re.compile(r"^\s*(?:\[\[?page \d+\]?\]|\(?[0-9ivxa-z]{1,4}[.)]?|[-•●○▪*]+)\s*$", re.I)


@dataclass(frozen=True)
class Match:
    """Old sentences and the new sentences that say the same thing, with how close they are."""

    old: tuple[Sentence, ...]
    new: tuple[Sentence, ...]
    similarity: float
    identical: bool = False

    @property
    def old_text(self) -> str:
        return " ".join(s.text for s in self.old)

    @property
    def new_text(self) -> str:
        return " ".join(s.text for s in self.new)


@dataclass
class Alignment:
    """What two versions share and what each has alone."""

    matches: list[Match] = field(default_factory=list)
    removed: list[Sentence] = field(default_factory=list)
    added: list[Sentence] = field(default_factory=list)


def comparable(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences that can carry a statement: no headings, contents lines, markers, fragments or
    changelog."""
    # the revision's own changelog (dated sub-headings included) is audited against, not compared
    changelog = {s.index for s in in_changelog(sentences)}
    kept = []
    for sentence in sentences:
        text = sentence.text.strip()
        if sentence.kind == "heading" or _TOC_LINE.search(text) or _MARKER_ONLY.match(text):
            continue
        if sentence.index in changelog:
            continue
        if sentence.section and _CONTENTS.match(sentence.section):
            continue
        # a list item names a rule in a few words ("Military and warfare"); elsewhere that is a fragment
        if len(normalise(text).split()) < (2 if sentence.kind == "list_item" else 4):
            continue
        kept.append(sentence)
    return kept


def lexical_similarity(old: list[str], new: list[str]) -> np.ndarray:
    """Cosine similarity of every old to every new text: mean of word and character TF-IDF."""
    texts = [normalise(t) for t in old + new]
    scores = []
    for vectorizer in (TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)):
        matrix = vectorizer.fit_transform(texts)
        scores.append(cosine_similarity(matrix[:len(old)], matrix[len(old):]))
    return (scores[0] + scores[1]) / 2


def align_passages(old: list[Sentence], new: list[Sentence], rules: Rules, *, embed: Embed | None = None,
                   min_similarity: float = 0.5, min_join: float = 0.62) -> Alignment:
    """Pair the comparable sentences of two versions (see the module docstring).

    Args:
        old, new: the stored sentences of each version, in document order.
        rules: the run's rules (the words that say nothing when short rules are paired).
        embed: turns texts into unit vectors; without it only wording counts.
        min_similarity: the lowest combined score at which two sentences are paired.
        min_join: the lowest score at which a leftover sentence joins an existing pair.
    """
    old, new = comparable(old), comparable(new)
    result = Alignment()
    rest_old, rest_new = _identical(old, new, result)
    if not rest_old or not rest_new:
        result.removed, result.added = rest_old, rest_new
        return result
    scores = _scores(rest_old, rest_new, embed)
    rows, cols = linear_sum_assignment(-scores)
    paired = {r: c for r, c in zip(rows, cols) if scores[r, c] >= min_similarity}
    groups: dict[int, tuple[set[int], set[int]]] = {r: ({r}, {c}) for r, c in paired.items()}
    new_owner = {c: r for r, c in paired.items()}
    for r in range(len(rest_old)):
        if r in paired:
            continue
        c = int(scores[r].argmax())
        if scores[r, c] >= min_join and c in new_owner:
            groups[new_owner[c]][0].add(r)
    for c in range(len(rest_new)):
        if c in new_owner:
            continue
        r = int(scores[:, c].argmax())
        if scores[r, c] >= min_join and r in paired:
            groups[r][1].add(c)
    used_old = {r for rs, _ in groups.values() for r in rs}
    used_new = {c for _, cs in groups.values() for c in cs}
    for rs, cs in groups.values():
        best = max(scores[r, c] for r in rs for c in cs)
        result.matches.append(Match(tuple(rest_old[r] for r in sorted(rs)),
                                    tuple(rest_new[c] for c in sorted(cs)), round(float(best), 3)))
    removed = [s for i, s in enumerate(rest_old) if i not in used_old]
    added = [s for i, s in enumerate(rest_new) if i not in used_new]
    ignored = rules.compare.ignored("rewritten_rule_extra")
    for before, after, share in _rewritten_rules(removed, added, ignored):
        result.matches.append(Match((before,), (after,), share))
        removed.remove(before)
        added.remove(after)
    result.removed, result.added = removed, added
    result.matches.sort(key=lambda m: m.old[0].index)
    return result


def _short_rule(sentence: Sentence) -> bool:
    return len(sentence.text.split()) <= 14


def _rewritten_rules(removed: list[Sentence], added: list[Sentence],
                     ignored: frozenset[str]) -> list[tuple[Sentence, Sentence, float]]:
    """A short rule rewritten around the same core words ('campaigning or lobbying' → 'lobbying that ...'),
    which neither meaning nor wording scores as close: pair leftovers whose distinctive words recur, best
    first."""
    def words(sentence: Sentence) -> set[str]:
        return set(normalise(sentence.text).split()) - ignored

    added_words = [(b, words(b)) for b in filter(_short_rule, added)]
    candidates = []
    for a in filter(_short_rule, removed):
        words_a = words(a)
        for b, words_b in added_words:
            shared = words_a & words_b
            if shared and len(shared) / min(len(words_a), len(words_b)) >= 0.3:
                candidates.append((len(shared) / min(len(words_a), len(words_b)), a, b))
    pairs, used = [], set()
    for share, a, b in sorted(candidates, key=lambda c: -c[0]):
        if id(a) not in used and id(b) not in used:
            used |= {id(a), id(b)}
            pairs.append((a, b, round(share, 3)))
    return pairs


def same_text(text: str) -> str:
    """What two sentences must share to count as the same: words and numbers in order, with
    spacing, line breaks, list markers, quotes and dashes left out ('review our' = 'reviewour',
    as PDF extraction often drops or adds a space)."""
    return "".join(normalise(text).replace("-", "").split())


def _identical(old: list[Sentence], new: list[Sentence],
               result: Alignment) -> tuple[list[Sentence], list[Sentence]]:
    """Pair sentences whose normalised text recurs; repeats on one side all count as kept."""
    new_by_text: dict[str, list[Sentence]] = {}
    for sentence in new:
        new_by_text.setdefault(same_text(sentence.text), []).append(sentence)
    old_texts = {same_text(s.text) for s in old}
    rest_old = []
    for sentence in old:
        same = new_by_text.get(same_text(sentence.text))
        if same:
            result.matches.append(Match((sentence,), (same[0],), 1.0, identical=True))
        else:
            rest_old.append(sentence)
    rest_new = [s for s in new if same_text(s.text) not in old_texts]
    return rest_old, rest_new


def _scores(old: list[Sentence], new: list[Sentence], embed: Embed | None) -> np.ndarray:
    lexical = lexical_similarity([s.text for s in old], [s.text for s in new])
    if embed is None:
        return lexical
    vectors = embed([s.text for s in old] + [s.text for s in new])
    semantic = vectors[:len(old)] @ vectors[len(old):].T
    # embeddings see paraphrase, wording sees the exact terms (thresholds, names) that embeddings blur
    return 0.6 * semantic + 0.4 * lexical
