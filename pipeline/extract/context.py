"""Per-document state shared by the extractors: who is in focus, evidence spans."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..config import Settings
from ..nlp import text_of
from ..records import Commitment, Document, Evidence, Sentence
from ..rules import Gazetteer, Rules

# "a report written by A and B": its authors speak for the text (read from PERSON entities)
BYLINE = re.compile(r"\b(?:authored|written|co-written) by\b")


@dataclass
class DocContext:
    """What the extractors know while they walk one document in order.

    Attributes:
        document: The document being read (its date anchors relative times).
        settings: Run settings.
        rules: The run's rules (lexicons, scales, gazetteer, topic model).
        focus_org: The organisation the text is about: the publisher at first,
            then the organisation named most recently as a sentence subject.
        last_person: The person named most recently (for "he", "she").
        authors: The document's named authors (for "the authors").
        sentence: The sentence being read.
        doc: Its spaCy parse (full pipeline).
    """

    document: Document
    settings: Settings
    rules: Rules
    focus_org: str | None = None
    last_person: str | None = None
    authors: tuple[str, ...] = ()
    sentence: Sentence | None = None
    doc: Doc | None = None
    mentions: dict[str, int] = field(default_factory=dict)
    # people the text itself names as authors ("researchers A and B write"), for "the authors" in news
    text_authors: tuple[str, ...] = ()
    # per-document state the extractors keep between sentences
    last_speaker: str | None = None  # whom the last attributed claim quoted (a quote that continues)
    last_actor: str | None = None  # the party a commitment last bound (a law's next "It shall ...")
    lead_in: tuple[int, Commitment] | None = None  # (sentence index, commitment) of an open list's lead-in
    bullet: int | None = None  # the sentence opening the current recommended-action bullet
    bullet_actor: str | None = None  # the party that bullet names
    classes: dict[str, str] = field(default_factory=dict)  # addressee classes of the current section
    classes_section: str | None = None
    stated_classes: dict[tuple[str, str], str] | None = None  # classes the law states, by subject
    sentences: list[Sentence] = field(default_factory=list)

    @classmethod
    def create(cls, document: Document, settings: Settings, rules: Rules) -> DocContext:
        publisher = rules.actors.resolve(document.publisher) or document.publisher
        return cls(document=document, settings=settings, rules=rules, focus_org=publisher,
                   authors=tuple(document.authors))

    @property
    def actors(self) -> Gazetteer:
        """The merged actor gazetteer of the run's rules."""
        return self.rules.actors

    def observe(self, sentence: Sentence) -> None:
        """Cheap pass over every sentence: track named actors for later anaphora."""
        self.sentence = sentence
        self.doc = None
        for match in self.actors.pattern.finditer(sentence.text):
            name = self.actors.resolve(match.group(1))
            actor = self.actors.get(name)
            if actor is None:
                continue
            self.mentions[actor.name] = self.mentions.get(actor.name, 0) + 1
            if actor.type == "person":
                self.last_person = actor.name
            elif actor.type == "org" and not self._is_publisher_focus():
                # the organisation a news text is about: the first named, until another is named more often
                if self.focus_org is None or self.mentions[actor.name] > self.mentions.get(self.focus_org, 0):
                    self.focus_org = actor.name

    def _is_publisher_focus(self) -> bool:
        return bool(self.document.publisher) and self.document.kind == "policy"

    def enter(self, sentence: Sentence, doc: Doc) -> None:
        """Start extracting from a candidate sentence with its full parse."""
        self.sentence = sentence
        self.doc = doc
        people = [e for e in doc.ents if e.label_ == "PERSON"]
        if people and self.last_person is None:
            self.last_person = self.actors.canonical(people[0].text)
        if len(people) >= 2 and BYLINE.search(text_of(doc)):
            self.text_authors = tuple(self.actors.canonical(p.text) for p in people)

    def evidence(self, start_char: int = 0, end_char: int | None = None) -> Evidence:
        """Evidence for a span given in characters of the current sentence."""
        assert self.sentence is not None
        s = self.sentence
        end_char = len(s.text) if end_char is None else end_char
        return Evidence(sentence_index=s.index, start=s.start + start_char, end=s.start + end_char,
                        page=s.page)

    def resolve_actor(self, text: str | None) -> str | None:
        """Resolve a mention to a canonical actor, following anaphora where the text allows."""
        if not text:
            return None
        kind = self.actors.anaphor_kind(text)
        if kind == "org":
            return self.focus_org
        if kind == "person":
            return self.last_person
        if kind == "authors":
            if self.text_authors:
                return "; ".join(self.text_authors)
            if self.authors and self.document.kind != "news":
                return "; ".join(self.authors)
            return self.focus_org
        return self.actors.resolve(text) or self.actors.resolve_short(text, self.document.text)
