"""Every rule the pipeline applies, read once from a models folder into one frozen :class:`Rules`.

The lexicons, cue words, scales, gazetteers and the topic model under ``models/`` (or the
folder ``Settings.models_dir`` names) are read by :func:`load_rules`: each file into a typed
section, checked as it is read, with a message naming the file and the key when something is
wrong. Every regex, word set and prefilter is built from these sections, so a currency, a modal
or a cue word is defined once, in its file. A run builds its :class:`Rules` once and passes it
explicitly: extractors find it on their document context, the comparator takes it as an
argument. Nothing here keeps state between calls.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings, validate as validate_settings
from ..errors import ConfigError, ModelError
from .actors import Gazetteer, load_gazetteer
from .claims import ClaimRules
from .compare import CompareRules, CueGroup
from .events import EventRules
from .kinds import DocumentKindRules
from .metrics import MetricRules
from .modals import ModalRules
from .topics import TopicModel, load


@dataclass(frozen=True)
class Rules:
    """One models folder, read and checked: a typed section per rule file."""

    folder: Path
    metrics: MetricRules
    claims: ClaimRules
    modals: ModalRules
    events: EventRules
    compare: CompareRules
    document_kinds: DocumentKindRules
    actors: Gazetteer

    @functools.cached_property
    def topics(self) -> TopicModel:
        """The topic classifier (read on first use: only extraction and comparison apply it).

        Raises:
            ModelError: ``topics.json`` is missing or not a topic model.
        """
        path = self.folder / "topics.json"
        if not path.is_file():
            raise ModelError(f"{path}: the topic model is missing. Rebuild it with 'govtrace train'.")
        return load(path)


def load_rules(folder: Path, actor_files: Sequence[Path] = ()) -> Rules:
    """Read every rule file of a models folder.

    Args:
        folder: A models folder (a copy of the repository's ``models/``).
        actor_files: Gazetteers merged over ``actors.json``, later ones winning.

    Raises:
        ConfigError: The folder is missing, or a file or key is unreadable or of the wrong type.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"models_dir '{folder}' is not a folder. Point it at a copy of the repository's "
                          "models/.")
    return Rules(
        folder=folder,
        metrics=MetricRules.read(folder / "metrics.json"),
        claims=ClaimRules.read(folder / "claim_cues.json"),
        modals=ModalRules.read(folder / "modals.json"),
        events=EventRules.read(folder / "events.json"),
        compare=CompareRules.read(folder / "compare_words.json", folder / "shift_cues.json"),
        document_kinds=DocumentKindRules.read(folder / "document_kinds.json"),
        actors=load_gazetteer((folder / "actors.json", *actor_files)),
    )


def rules_for(settings: Settings) -> Rules:
    """The rules a run with these settings applies (``models_dir`` and ``actor_files``)."""
    return load_rules(settings.models_dir, settings.actor_files)


def validate(settings: Settings) -> Rules:
    """Check everything a run will read, once before it starts: the settings (see
    :func:`pipeline.config.validate`), then every rule file and key.

    Returns:
        The rules, read and checked.

    Raises:
        ConfigError: Naming the setting, or the file and the key, and the fix.
    """
    validate_settings(settings)
    return rules_for(settings)


__all__ = ["ClaimRules", "CompareRules", "CueGroup", "DocumentKindRules", "EventRules", "Gazetteer",
           "MetricRules", "ModalRules", "Rules", "TopicModel", "load_rules", "rules_for",
           "validate"]
