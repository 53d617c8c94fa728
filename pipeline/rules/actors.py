"""Canonical actors from a gazetteer: aliases, roles and generic anaphora.

The shipped gazetteer is ``models/actors.json``; users extend it with their
own files (``Settings.actor_files``), whose entries are merged over it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import ConfigError

_SUFFIX = re.compile(r"(,?\s+(inc|llc|ltd|pbc|corp|corporation)\.?)$", re.I)


@dataclass(frozen=True)
class Actor:
    name: str
    type: str  # "org" | "person" | "product"
    org: str | None = None
    role: str | None = None
    aliases: tuple[str, ...] = ()
    # what a text calls the actor once it has named it in full ("the Commission"): too ambiguous alone
    short_names: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    """Alias lookup for canonical actor names."""

    actors: dict[str, Actor] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # normalised alias -> canonical name
    anaphora: dict[str, tuple[str, ...]] = field(default_factory=dict)
    parties: frozenset[str] = frozenset()  # nouns naming a party who can be bound ("agency", "provider")
    # nouns a law addresses by class ("providers of general-purpose AI models")
    class_nouns: frozenset[str] = frozenset()
    # actors that are a government as a whole ("Federal Government")
    governments: frozenset[str] = frozenset()
    # normalised short name -> canonical names
    short: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add(self, actor: Actor) -> None:
        self.actors[actor.name] = actor
        for alias in (actor.name, *actor.aliases):
            self.aliases[normalise(alias)] = actor.name
        for name in actor.short_names:
            key = normalise(name)
            self.short[key] = (*[n for n in self.short.get(key, ()) if n != actor.name], actor.name)

    def resolve_short(self, text: str | None, document_text: str) -> str | None:
        """The actor a short name ("the Commission") stands for in a document that names it in full
        ("the European Commission"), or None where the document names none of the actors it could be."""
        for name in self.short.get(normalise(text or ""), ()):
            actor = self.actors[name]
            if any(re.search(rf"\b{re.escape(full)}\b", document_text, re.I)
                   for full in (name, *actor.aliases)):
                return name
        return None

    def resolve(self, text: str | None) -> str | None:
        """Return the canonical name for a mention, or None if unknown."""
        if not text:
            return None
        key = normalise(text)
        if key in self.aliases:
            return self.aliases[key]
        key = normalise(_SUFFIX.sub("", key))
        return self.aliases.get(key)

    def canonical(self, name: str) -> str:
        """The canonical name of an actor ('OpenAI Inc' -> 'OpenAI'), or the name as given."""
        return self.resolve(name) or name

    def get(self, name: str | None) -> Actor | None:
        return self.actors.get(name) if name else None

    def government_of(self, name: str | None) -> str | None:
        """The government an actor is, or belongs to ("White House" -> "Federal Government"), if any."""
        actor = self.get(self.resolve(name) or name)
        for _ in range(3):  # an office within a department within a government
            if actor is None:
                return None
            if actor.name in self.governments:
                return actor.name
            actor = self.get(actor.org)
        return None

    def anaphor_kind(self, text: str) -> str | None:
        """'org', 'person' or 'authors' when ``text`` is a generic reference like 'the company'."""
        key = text.strip().lower()
        for kind, words in self.anaphora.items():
            if key in words:
                return kind
        return None

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """A regex finding any alias in raw text (longest first), for the cheap pass."""
        names = sorted({a for actor in self.actors.values() for a in (actor.name, *actor.aliases)},
                       key=len, reverse=True)
        return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")(?:'s|’s)?\b")

    @functools.cached_property
    def class_phrase(self) -> re.Pattern[str]:
        """The phrase "providers of general-purpose AI models ..." for the class nouns a law addresses."""
        stems = sorted(n[:-1] if n.endswith("y") else n for n in self.class_nouns)
        return re.compile(rf"\b((?:{'|'.join(stems) or '(?!)'})\w*\s+of\s+[^,.;:()]+?)"
                          r"(?=\s+(?:shall|must|should|may|will|who|which|that)\b|[,.;:()]|$)", re.I)


def normalise(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    text = re.sub(r"^the\s+", "", text, flags=re.I)
    return re.sub(r"\s+", " ", text).strip(" ,.").lower()


def load_gazetteer(paths: tuple[Path, ...]) -> Gazetteer:
    """Load and merge gazetteer files; later files override earlier ones.

    Raises:
        ConfigError: A file is missing or not valid gazetteer JSON.
    """
    gazetteer = Gazetteer()
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            for entry in data.get("actors", []):
                gazetteer.add(Actor(
                    name=entry["name"], type=entry.get("type", "org"), org=entry.get("org"),
                    role=entry.get("role"), aliases=tuple(entry.get("aliases", ())),
                    short_names=tuple(entry.get("short_names", ())),
                ))
            gazetteer.parties |= {w.lower() for w in data.get("party_nouns", [])}
            gazetteer.class_nouns |= {w.lower() for w in data.get("class_nouns", [])}
            gazetteer.governments |= set(data.get("governments", []))
            for kind, words in data.get("anaphora", {}).items():
                merged = set(gazetteer.anaphora.get(kind, ())) | {w.lower() for w in words}
                gazetteer.anaphora[kind] = tuple(sorted(merged))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path}: not a valid actor gazetteer ({exc}). "
                              "See models/actors.json for the format.") from exc
    return gazetteer


def gazetteer_for(settings: Settings) -> Gazetteer:
    """The gazetteer a run with these settings reads: ``actors.json`` of its models folder, then its
    ``actor_files`` merged over it."""
    return load_gazetteer((settings.models_dir / "actors.json", *settings.actor_files))


def canonical_actor(actor: str, settings: Settings | None = None) -> str:
    """The gazetteer's canonical name of an actor ('OpenAI Inc' -> 'OpenAI'), or the name as given.

    Args:
        actor: A canonical name or an alias.
        settings: Whose gazetteer to read; without them, the shipped one.
    """
    return gazetteer_for(settings or Settings()).canonical(actor)
