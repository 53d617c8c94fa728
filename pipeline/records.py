"""Typed records passed between pipeline stages.

Every stage hands the next one of these frozen dataclasses, never loose dicts.
Character offsets (``start``/``end``) always index the document's stored text,
so ``document.text[start:end]`` recovers the exact evidence.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

DOCUMENT_KINDS = ("report", "policy", "news", "legislation", "other")
UNIT_KINDS = ("paragraph", "heading", "list_item", "table_cell")
METRIC_UNITS = (
    "percent", "currency", "multiplier", "duration", "count",
    "flop", "flop_per_second", "bit_per_second", "parameters", "tokens",
)
QUALIFIERS = ("approximately", "more_than", "less_than", "at_least", "at_most", "up_to")
CLAIM_TYPES = ("factual", "forecast", "normative", "evaluative")
COMMITMENT_KINDS = ("pledge", "plan", "conditional", "proposal", "prohibition")
COMMITMENT_STATUSES = ("active", "dropped", "weakened", "strengthened", "replaced")
# models/events.json
EVENT_TYPES = ("dropped", "weakened", "strengthened", "replaced", "reaffirmed", "overhauled")
SHIFT_TYPES = ("added", "removed", "reworded", "strengthened", "weakened", "value_changed")


class Record:
    """Mixin giving every record a plain-dict view for JSON, SQL and pandas."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Block(Record):
    """A structural unit of a document's stored text, as the ingester saw it.

    Blocks never overlap; sentence splitting happens inside a block, so a list
    item or a table cell is never glued to its neighbour.
    """

    start: int
    end: int
    kind: str = "paragraph"  # one of UNIT_KINDS
    page: int | None = None
    section: str | None = None
    paragraph: int = 0


@dataclass(frozen=True)
class Document(Record):
    """A stored document: metadata, the text we keep, and where each field came from."""

    path: str
    sha256: str
    format: str
    text: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO 8601, possibly partial: "2026", "2026-05", "2026-05-14"
    kind: str = "other"
    version: str | None = None
    source_url: str | None = None
    authors: tuple[str, ...] = ()
    pages: int | None = None
    # field name -> "sidecar" | "manifest" | "file" | "text" | "filename" | "default"
    provenance: dict[str, str] = field(default_factory=dict)
    id: int | None = None
    # sidecar and manifest fields with no column of their own ("source_repository", "licence_note" ...)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedDocument(Record):
    """What an ingester returns: the document and its structural blocks."""

    document: Document
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Sentence(Record):
    """One sentence (or list item, table cell, heading) with full provenance."""

    index: int  # position within the document, 0-based
    text: str
    start: int
    end: int
    kind: str = "paragraph"
    page: int | None = None
    section: str | None = None
    paragraph: int = 0
    document_id: int | None = None
    id: int | None = None
    # where the text's own numbering puts it: "Art. 53(1)(b)", "Sec. 4.2(a)(i)"
    section_path: str | None = None


@dataclass(frozen=True)
class Evidence(Record):
    """Where a finding sits: its sentence and the character span of the finding."""

    sentence_index: int
    start: int
    end: int
    page: int | None = None


@dataclass(frozen=True)
class Metric(Record):
    """A measured or forecast quantity with what, whose and when."""

    evidence: Evidence
    text: str  # surface form, e.g. "more than 80 percent"
    value: float
    unit: str  # one of METRIC_UNITS
    currency: str | None = None
    time_unit: str | None = None
    qualifier: str | None = None
    subject: str | None = None
    entity: str | None = None
    time: str | None = None
    is_forecast: bool = False
    forecaster: str | None = None
    event: str | None = None
    # position (within the same sentence's metrics) of the value this one changed from
    change_from: int | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Claim(Record):
    """An attributed statement: quoted or reported, with speaker and hedging."""

    evidence: Evidence
    speaker: str | None
    text: str
    quoted: bool
    cue: str | None = None
    speaker_text: str | None = None  # the words that named the speaker, before resolution
    certainty: float = 1.0  # 1.0 asserted outright; lower with hedges
    negated: bool = False
    claim_type: str = "factual"
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Commitment(Record):
    """A promise, plan, rule or prohibition, with its strength and conditions."""

    evidence: Evidence
    actor: str | None
    text: str
    action: str
    kind: str  # one of COMMITMENT_KINDS
    strength: int  # ordinal: higher binds harder; see models/modals.json
    modal: str | None = None  # the word that set the strength
    polarity: str = "positive"  # "positive" | "negative"
    condition: str | None = None
    deadline: str | None = None  # the phrase as written: "within 270 days of the date of this order"
    status: str = "active"
    topics: tuple[str, ...] = ()
    deadline_date: str | None = None  # ISO date the deadline falls on, when the text fixes one
    deadline_basis: str | None = None  # what the date was resolved from


@dataclass(frozen=True)
class CommitmentEvent(Record):
    """Something done to a commitment: dropped, overhauled, weakened, reaffirmed."""

    evidence: Evidence
    actor: str | None
    event_type: str  # one of EVENT_TYPES
    text: str
    target: str | None = None  # words naming the commitment acted on
    commitment_index: int | None = None  # position in the same document's commitments
    topics: tuple[str, ...] = ()


# the actor's own text, a shift between two of its versions, what others report
POSITION_SOURCES = ("own", "revision", "reported")


@dataclass(frozen=True)
class Position(Record):
    """An actor's stance on a topic at a date, or a change of it, with its source sentence.

    ``kind`` is a commitment kind (pledge, conditional, proposal, prohibition, plan) for a stance,
    a shift type (removed, weakened, strengthened) for a change found between two versions of the
    actor's policy, or an event type (dropped, overhauled, ...) for a change the news reports.
    """

    actor: str
    date: str | None
    kind: str
    text: str  # the source sentence (for a removal: the passage removed)
    document: str  # file name of the source
    source: str  # one of POSITION_SOURCES
    change: bool = False
    topics: tuple[str, ...] = ()
    condition: str | None = None
    page: int | None = None
    section: str | None = None
    versions: tuple[str, ...] = ()  # a policy stance: the versions that state it; a revision: old and new
    previous: str | None = None  # a weakened or strengthened passage: its wording before
    # "document: sentence" on the other side: news reports of a revision, or the passages an event is about
    linked: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction(Record):
    """All findings for one document."""

    metrics: tuple[Metric, ...] = ()
    claims: tuple[Claim, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    events: tuple[CommitmentEvent, ...] = ()


@dataclass(frozen=True)
class Change(Record):
    """A classified shift between two statements, with both sides' evidence."""

    shift: str  # one of SHIFT_TYPES
    item_type: str  # "commitment" | "claim" | "metric"
    reason: str
    old_text: str | None
    new_text: str | None
    old_document: str | None = None
    new_document: str | None = None
    old_page: int | None = None
    new_page: int | None = None
    old_start: int | None = None
    new_start: int | None = None
    similarity: float | None = None
    important: bool = False
    old_value: float | None = None
    new_value: float | None = None
    topics: tuple[str, ...] = ()
    # the model's probability for this shift (None for rule-made shifts)
    confidence: float | None = None
    old_section: str | None = None
    new_section: str | None = None
    old_end: int | None = None
    new_end: int | None = None
    # sentence indices of each side, for linking back to the store
    old_sentences: tuple[int, ...] = ()
    new_sentences: tuple[int, ...] = ()
    # changelog audit: None when no changelog was found, else whether an entry announces it
    announced: bool | None = None
    changelog_entry: str | None = None


@dataclass(frozen=True)
class Failure(Record):
    """A file that could not be stored, with a reason the user can act on."""

    path: str
    error: str  # exception class name, e.g. "EncryptedPdf"
    message: str
