"""The commitments extractor's rules (``models/modals.json``): one ordered scale of commitment
strength (3 binds hardest) over modals, verbs and phrases, and the cue words around it. The
comparator reads the same scale, so a modal added here is a modal in both."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .schema import RuleFile


@dataclass(frozen=True)
class ModalRules:
    labels: dict[int, str]  # strength -> "strong", "moderate", "weak"
    aux: dict[str, int]
    verbs: dict[str, int]
    phrases: dict[str, int]
    proposal_verbs: frozenset[str]
    negative_starts: tuple[str, ...]
    conditions: tuple[tuple[str, re.Pattern[str]], ...]  # (word, whole-word pattern), in file order
    policy_nouns: frozenset[str]
    negative_lead_ins: tuple[str, ...]
    national_subjects: tuple[str, ...]
    rhetoric_modals: frozenset[str]
    obliging_verbs: frozenset[str]
    action_verbs: frozenset[str]
    product_nouns: frozenset[str]
    # for the cheap pass: modals as whole words, commitment verbs in the forms the extractor accepts
    # (base and present tense), proposal verbs as word starts (without a final "e", so that "urging"
    # counts as "urge"), and phrases and negative cues matched anywhere
    modal_words: frozenset[str]
    verb_forms: frozenset[str]
    proposal_stems: tuple[str, ...]
    anywhere: tuple[str, ...]

    @classmethod
    def read(cls, path: Path) -> ModalRules:
        """Read and check ``modals.json``.

        Raises:
            ConfigError: A key is missing or of the wrong type.
        """
        file = RuleFile(path)
        labels = file.names("labels")
        if not all(k.isdigit() for k in labels):
            raise file.refuse("labels", 'an object mapping strengths ("1", "2", "3") to names')
        aux = {k: int(v) for k, v in file.numbers("aux").items()}
        verbs = {k: int(v) for k, v in file.numbers("verbs").items()}
        phrases = {k: int(v) for k, v in file.numbers("phrases").items()}
        proposals = file.words("proposal_verbs")
        negative_starts = file.words("negative_starts")
        lead_ins = file.words("negative_lead_ins")
        return cls(
            labels={int(k): v for k, v in labels.items()}, aux=aux, verbs=verbs, phrases=phrases,
            proposal_verbs=frozenset(proposals), negative_starts=negative_starts,
            conditions=tuple((w, re.compile(rf"\b{re.escape(w)}\b")) for w in file.words("conditions")),
            policy_nouns=frozenset(file.words("policy_nouns")), negative_lead_ins=lead_ins,
            national_subjects=file.words("national_subjects"),
            rhetoric_modals=frozenset(file.words("rhetoric_modals")),
            obliging_verbs=frozenset(file.words("obliging_verbs")),
            action_verbs=frozenset(file.words("action_verbs")),
            product_nouns=frozenset(file.words("product_nouns")),
            modal_words=frozenset(a.lower() for a in aux if a.isalpha() and a != "wo"),
            verb_forms=frozenset(f"{v.lower()}{ending}" for v in verbs for ending in ("", "s", "es")),
            proposal_stems=tuple(v.lower()[:-1] if v.endswith("e") else v.lower() for v in proposals),
            anywhere=tuple(sorted({p.lower() for p in (*phrases, *negative_starts, *lead_ins)})),
        )

    def label(self, strength: int) -> str:
        """'strong', 'moderate' or 'weak' for a strength on the scale."""
        return self.labels.get(strength, "weak")

    def condition_in(self, text: str) -> str | None:
        """The condition clause ("if ...", "unless ...", "only if ...") of a statement, to its end."""
        lowered = text.lower()
        for word, pattern in self.conditions:
            match = pattern.search(lowered)
            if match and (word != "when" or match.start() > 0):
                return text[match.start():].strip().rstrip(".”\"")
        return None
