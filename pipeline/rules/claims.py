"""The claims extractor's rules (``models/claim_cues.json``): reporting cues, hedges, claim types."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .schema import RuleFile

_WORD = re.compile(r"\w+")


def _whole_words(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the phrases, as whole words, longest first."""
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, phrases), key=len, reverse=True)) + r")\b")


def inflections(verb: str) -> tuple[str, str]:
    """The forms of a cue verb that report in the present: third person and participle ("argue" ->
    "argues", "arguing": "she argues that", "..., warning that"). Past forms, regular or not ("argued",
    "said"), are listed under ``cue_forms``: English doubles some final consonants ("admitted")."""
    participle = (verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb) + "ing"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies", participle
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z")) else "s"), participle


@dataclass(frozen=True)
class ClaimRules:
    """Cue verbs and their forms, the words that type a claim, and how hedges weigh."""

    cue_verbs: frozenset[str]
    # every single word the cheap pass accepts: cue verbs, their participles ("warning that") and forms
    cue_words: frozenset[str]
    not_cues: re.Pattern[str]  # names that hold a cue form ("states" in "United States")
    negating_cues: frozenset[str]
    hedges: dict[str, float]
    speaker_titles: tuple[str, ...]  # longest first
    title_cues: frozenset[str]
    # claim type -> its words as one whole-word pattern, in the order the types are tested
    type_words: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def read(cls, path: Path) -> ClaimRules:
        """Read and check ``claim_cues.json``.

        Raises:
            ConfigError: A key is missing or of the wrong type, or a cue is not one word.
        """
        file = RuleFile(path)
        verbs = tuple(v.lower() for v in file.words("cue_verbs"))
        words = frozenset((*verbs, *(form for v in verbs for form in inflections(v)),
                           *(w.lower() for w in file.words("cue_forms"))))
        phrases = sorted(w for w in words if not _WORD.fullmatch(w))
        if phrases:
            raise file.refuse("cue_verbs", f"single words (put phrases under another key), not {phrases}")
        return cls(
            cue_verbs=frozenset(verbs), cue_words=words,
            not_cues=re.compile(r"\b(?:" + "|".join(re.escape(n) for n in file.words("not_cues")) + r")\b"),
            negating_cues=frozenset(file.words("negating_cues")), hedges=file.numbers("hedges"),
            speaker_titles=tuple(sorted(file.words("speaker_titles"), key=len, reverse=True)),
            title_cues=frozenset(file.words("title_cues")),
            type_words=tuple((kind, _whole_words(file.words(f"{kind}_words")))
                             for kind in ("normative", "evaluative", "forecast")),
        )
