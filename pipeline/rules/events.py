"""The events extractor's rules (``models/events.json``): verbs that act on a commitment, the
commitment nouns they act on, and the status each event leaves a commitment in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .schema import RuleFile


def _plurals(noun: str) -> tuple[str, ...]:
    return (noun, noun + "s", noun + "es") + ((noun[:-1] + "ies",) if noun.endswith("y") else ())


@dataclass(frozen=True)
class EventRules:
    verbs: dict[str, str]  # verb lemma -> event type ("scrap" -> "dropped")
    objects: frozenset[str]  # the nouns a commitment goes by ("pledge")
    status: dict[str, str]  # event type -> the status it gives the commitment
    # for the cheap pass: the first five letters of each verb, and every form of each noun
    verb_stems: tuple[str, ...]
    object_forms: frozenset[str]

    @classmethod
    def read(cls, path: Path) -> EventRules:
        """Read and check ``events.json``.

        Raises:
            ConfigError: A key is missing or of the wrong type.
        """
        file = RuleFile(path)
        verbs = file.names("verbs")
        objects = file.words("objects")
        return cls(verbs=verbs, objects=frozenset(objects), status=file.names("status"),
                   verb_stems=tuple(sorted({v[:5].lower() for v in verbs})),
                   object_forms=frozenset(form.lower() for noun in objects for form in _plurals(noun)))
