"""The comparator's rules: the words it sets aside when measuring overlap (``compare_words.json``)
and the cue groups it counts in each side of an aligned pair (``shift_cues.json``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .schema import RuleFile

_LEANS = {"weaker": 1, "stronger": -1, None: 0}


@dataclass(frozen=True)
class CueGroup:
    """Phrases of one kind, compiled into one whole-word pattern."""

    name: str
    says: str
    pattern: re.Pattern[str]
    leans: int = 0  # +1: inserting these words makes a commitment weaker, -1: stronger, 0: neither
    force: bool = False  # the words set a commitment's force or the conditions on it (will, may, if, not)

    def count(self, text: str) -> int:
        return len(self.pattern.findall(text))


@dataclass(frozen=True)
class CompareRules:
    function_words: frozenset[str]
    # a purpose ("rewritten_rule_extra") -> words that say nothing for it, on top of the function words
    extra_words: dict[str, frozenset[str]]
    narrowing_words: frozenset[str]
    cue_groups: tuple[CueGroup, ...]

    @classmethod
    def read(cls, words_path: Path, cues_path: Path) -> CompareRules:
        """Read and check ``compare_words.json`` and ``shift_cues.json``.

        Raises:
            ConfigError: A key is missing or of the wrong type.
        """
        words = RuleFile(words_path)
        extras = {key: frozenset(words.words(key)) for key in words.data if key.endswith("_extra")}
        return cls(function_words=frozenset(words.words("function_words")), extra_words=extras,
                   narrowing_words=frozenset(words.words("narrowing_words")),
                   cue_groups=_cue_groups(RuleFile(cues_path)))

    def ignored(self, purpose: str | None = None) -> frozenset[str]:
        """Words left out when measuring what two statements share: the function words, plus the
        words that say nothing for ``purpose`` ("use" in usage rules that are rewritten)."""
        if purpose is None:
            return self.function_words
        return self.function_words | self.extra_words[purpose]


def _cue_groups(file: RuleFile) -> tuple[CueGroup, ...]:
    groups = []
    for name, group in file.table("groups").items():
        phrases = group.get("phrases")
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases) or not phrases:
            raise file.refuse(f"groups.{name}.phrases", "a non-empty list of strings")
        if not isinstance(group.get("says"), str):
            raise file.refuse(f"groups.{name}.says", "text saying what the group means")
        leans = _LEANS.get(group.get("leans"))
        if leans is None:
            raise file.refuse(f"groups.{name}.leans", "'weaker' or 'stronger', or left out")
        force = group.get("force", False)
        if not isinstance(force, bool):
            raise file.refuse(f"groups.{name}.force", "true or false, or left out")
        parts = [re.escape(p[:-1]) + r"\w*" if p.endswith("*") else re.escape(p) for p in phrases]
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(parts, key=len, reverse=True))
                             + r")(?![\w-])", re.I)
        groups.append(CueGroup(name, group["says"], pattern, leans, force))
    return tuple(groups)
