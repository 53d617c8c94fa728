"""Interpretable features of a passage and of an aligned pair of passages.

Each feature has a name and words a reader understands: the direction model
(``models/shift_model.json``) weighs them, and a shift's reason names the
features that pushed it most. Cue groups (binding, permissive, discretion,
conditions, cadence, outside parties, ...) are data in ``models/shift_cues.json``.
"""

from __future__ import annotations

import difflib
import math
import re

from ..rules import CueGroup

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s?%)?")
_SECTION_NUMBER = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.?|\(?(?:[0-9]{1,3}|[ivx]{1,4}|[a-z])\))\s+")
# numbers that point elsewhere in the document: a footnote marker glued to a word or its punctuation
# ("exploitation.4", "guidance”12"), or a cross-reference ("section 2.1.2", "Table 3", "Appendix B.1",
# "Article 55(1)", "§ 4")
_REFERENCE = re.compile(r"(?<=[a-z][.,;:)”\"’])\d{1,2}\b"
                        r"|(?:\b(?:sections?|sec\.|tables?|figures?|appendix|appendices|annex(?:es)?|pages?"
                        r"|footnotes?|chapters?|parts?|articles?|recitals?|paragraphs?|clauses?|subsections?)"
                        r"|§§?)\s*[a-z]?\d+(?:\.\d+)*[a-z]?\b(?:\(\w{1,4}\))*", re.IGNORECASE)
# the future auxiliary: "we will conduct" and "we conduct" state one standing commitment (codebook 11.1)
_FUTURE = re.compile(r"\b(?:will|shall)\b(?!\s+not\b)", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9']+")
_TOKEN = re.compile(r"[a-z][a-z'-]*|\d+(?:[.,]\d+)*")


def strip_section_number(text: str) -> str:
    """The passage without its leading list or section number ('4.2.4', '(iii)', 'b)')."""
    return _SECTION_NUMBER.sub("", text)


def strip_references(text: str) -> str:
    """The passage without the numbers that only point elsewhere: its leading list or section number,
    footnote markers and cross-references. Renumbering one of them is not a threshold moved."""
    return _REFERENCE.sub(" ", strip_section_number(text))


def numbers(text: str) -> list[str]:
    """Numbers written in a passage, leaving out list, section, footnote and cross-reference numbers."""
    return _NUMBER.findall(strip_references(text))


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 3}


def passage_features(text: str, groups: tuple[CueGroup, ...]) -> dict[str, float]:
    """What one passage holds: cue counts (log-scaled), numbers and length."""
    found = {f"has:{g.name}": math.log1p(g.count(text)) for g in groups}
    found["has:numbers"] = math.log1p(len(numbers(text)))
    found["length"] = math.log1p(len(text.split()))
    return found


def edits(old: str, new: str) -> tuple[str, str, float]:
    """The words a rewrite deleted and inserted (word-level diff), and the share of words changed."""
    before, after = _TOKEN.findall(old.lower()), _TOKEN.findall(new.lower())
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    deleted, inserted = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            deleted.append(" ".join(before[i1:i2]))
            inserted.append(" ".join(after[j1:j2]))
    changed = sum(len(d.split()) for d in deleted) + sum(len(i.split()) for i in inserted)
    return " | ".join(d for d in deleted if d), " | ".join(i for i in inserted if i), changed / max(
        len(before) + len(after), 1)


def pair_features(old: str, new: str, groups: tuple[CueGroup, ...], *, similarity: float) -> dict[str, float]:
    """How a new passage differs from its old counterpart.

    ``in:X`` and ``out:X`` count cue group X among the words the rewrite inserted
    and deleted (a word-level diff); ``lost:numbers`` and ``gained:numbers`` count
    the figures (thresholds, deadlines, cadences) that disappeared or appeared.
    """
    deleted, inserted, changed = edits(old, new)
    found: dict[str, float] = {}
    for group in groups:
        found[f"in:{group.name}"] = math.log1p(group.count(inserted))
        found[f"out:{group.name}"] = math.log1p(group.count(deleted))
    old_numbers, new_numbers = set(numbers(old)), set(numbers(new))
    found["lost:numbers"] = math.log1p(len(old_numbers - new_numbers))
    found["gained:numbers"] = math.log1p(len(new_numbers - old_numbers))
    found["changed:share"] = changed
    found["length:ratio"] = math.log((len(new.split()) + 1) / (len(old.split()) + 1))
    found["similarity"] = similarity
    return found


def lean(found: dict[str, float], groups: tuple[CueGroup, ...]) -> float:
    """How much weaker a rewrite reads, from its :func:`pair_features` (negative: stronger).

    Words of a group that leans weaker (may, aim to, where feasible, if) count up when
    inserted and down when deleted; words of a group that leans stronger (will, every,
    annually, third parties) the other way; a figure lost counts up, a figure gained down.
    """
    score = sum(g.leans * (found[f"in:{g.name}"] - found[f"out:{g.name}"]) for g in groups)
    return score + found["lost:numbers"] - found["gained:numbers"]


def force_moved(old: str, new: str, groups: tuple[CueGroup, ...]) -> bool:
    """Whether a rewrite inserted or deleted, on balance, words that set a commitment's force or its
    conditions ("will" → "must" is a balance, "will" → "may" is not).

    The future auxiliary is left out: in a policy the descriptive present is the standing-commitment
    register, so "we will conduct" → "we conduct" moves no force, while "will" → "may" still inserts
    a permissive word.
    """
    deleted, inserted, _ = edits(_FUTURE.sub(" ", old), _FUTURE.sub(" ", new))
    return any(g.count(deleted) != g.count(inserted) for g in groups if g.force)


def weaker(old: str, new: str, groups: tuple[CueGroup, ...]) -> float:
    """How much weaker ``new`` reads than ``old`` by its wording alone (see :func:`lean`)."""
    return lean(pair_features(old, new, groups, similarity=0.0), groups)


# words for the reason of a shift, by feature and by the sign of its push
def describe(feature: str, value: float, groups: tuple[CueGroup, ...]) -> str:
    """A feature's value in words, e.g. 'less binding language (must, will, ...)'."""
    says = {g.name: g.says for g in groups}
    kind, _, name = feature.partition(":")
    if kind == "reads":
        return "reads as a commitment" if value > 0 else "reads as description, not a commitment"
    if kind in ("in", "out"):
        return f"{'inserts' if kind == 'in' else 'deletes'} {says.get(name, name)}"
    if kind == "has":
        return says.get(name, name if name != "numbers" else "specific figures")
    return {
        "lost:numbers": "figures dropped (thresholds, deadlines, cadences)",
        "gained:numbers": "figures added (thresholds, deadlines, cadences)",
        "changed:share": "much of the wording changed" if value > 0 else "little of the wording changed",
        "length:ratio": "passage longer" if value > 0 else "passage shorter",
        "similarity": "close in meaning" if value > 0 else "far in meaning",
        "weaker:passage": "the rewrite hedges, conditions or drops specifics" if value > 0
        else "the rewrite binds, widens or adds specifics",
        "weaker:paragraph": "its paragraph as a whole hedges, conditions or drops specifics" if value > 0
        else "its paragraph as a whole binds, widens or adds specifics",
        "weaker:section": "its section as a whole hedges, conditions or drops specifics" if value > 0
        else "its section as a whole binds, widens or adds specifics",
        "length": "long passage" if value > 0 else "short passage",
        "context:matched": "the rest of its paragraph is kept" if value > 0
        else "its whole paragraph or list item is gone",
        "context:list_item": "a list item",
        "context:sentences": "several sentences",
        "rule:weakened": "the extracted commitment binds less",
        "rule:strengthened": "the extracted commitment binds more",
        "rule:reworded": "the extracted commitment says the same in other words",
        "rule:same": "the extracted commitment is unchanged",
        "rule:none": "no commitment extracted on both sides",
    }.get(feature, feature)
