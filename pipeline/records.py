"""Typed records passed between pipeline stages.

Every stage hands the next one of these frozen dataclasses, never loose dicts.
Character offsets (``start``/``end``) always index the document's stored text,
so ``document.text[start:end]`` recovers the exact evidence.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from .errors import VocabularyError


class DocumentKind(StrEnum):
    REPORT = "report"
    POLICY = "policy"
    NEWS = "news"
    LEGISLATION = "legislation"
    OTHER = "other"


class UnitKind(StrEnum):
    """What a block (and the sentences split from it) is in the document's structure."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"


class MetricUnit(StrEnum):
    PERCENT = "percent"
    CURRENCY = "currency"
    MULTIPLIER = "multiplier"
    DURATION = "duration"
    COUNT = "count"
    FLOP = "flop"
    FLOP_PER_SECOND = "flop_per_second"
    BIT_PER_SECOND = "bit_per_second"
    PARAMETERS = "parameters"
    TOKENS = "tokens"


class Qualifier(StrEnum):
    """The labels of models/metrics.json's qualifiers_before and qualifiers_after."""

    APPROXIMATELY = "approximately"
    MORE_THAN = "more_than"
    LESS_THAN = "less_than"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    UP_TO = "up_to"


class ClaimType(StrEnum):
    FACTUAL = "factual"
    FORECAST = "forecast"
    NORMATIVE = "normative"
    EVALUATIVE = "evaluative"


class CommitmentKind(StrEnum):
    PLEDGE = "pledge"
    PLAN = "plan"
    CONDITIONAL = "conditional"
    PROPOSAL = "proposal"
    PROHIBITION = "prohibition"


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class CommitmentStatus(StrEnum):
    """What the events on a commitment made of it (the "status" map of models/events.json)."""

    ACTIVE = "active"
    DROPPED = "dropped"
    WEAKENED = "weakened"
    STRENGTHENED = "strengthened"
    REPLACED = "replaced"


class EventType(StrEnum):
    """The values of models/events.json's "verbs"."""

    DROPPED = "dropped"
    WEAKENED = "weakened"
    STRENGTHENED = "strengthened"
    REPLACED = "replaced"
    REAFFIRMED = "reaffirmed"
    OVERHAULED = "overhauled"


class ShiftType(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    REWORDED = "reworded"
    STRENGTHENED = "strengthened"
    WEAKENED = "weakened"
    VALUE_CHANGED = "value_changed"


class ItemType(StrEnum):
    """What a shift is a shift of: a commitment passage, a metric's value, or a sentence (the line-diff
    baseline of :mod:`pipeline.evaluate_revisions`)."""

    COMMITMENT = "commitment"
    METRIC = "metric"
    SENTENCE = "sentence"


class PositionSource(StrEnum):
    """Where a position comes from: the actor's own text, a shift between two of its versions, what
    others report."""

    OWN = "own"
    REVISION = "revision"
    REPORTED = "reported"


# the vocabularies' values as plain tuples, in declaration order (report columns follow it)
DOCUMENT_KINDS = tuple(m.value for m in DocumentKind)
UNIT_KINDS = tuple(m.value for m in UnitKind)
METRIC_UNITS = tuple(m.value for m in MetricUnit)
QUALIFIERS = tuple(m.value for m in Qualifier)
CLAIM_TYPES = tuple(m.value for m in ClaimType)
COMMITMENT_KINDS = tuple(m.value for m in CommitmentKind)
POLARITIES = tuple(m.value for m in Polarity)
COMMITMENT_STATUSES = tuple(m.value for m in CommitmentStatus)
EVENT_TYPES = tuple(m.value for m in EventType)
SHIFT_TYPES = tuple(m.value for m in ShiftType)
ITEM_TYPES = tuple(m.value for m in ItemType)
POSITION_SOURCES = tuple(m.value for m in PositionSource)
# the shifts between two versions of an actor's policy that change its position
POSITION_SHIFTS = (ShiftType.REMOVED.value, ShiftType.WEAKENED.value, ShiftType.STRENGTHENED.value)
# a position's kind: a stance (a commitment kind), or a change of it: a shift between versions, an event
# the news reports, or the status (other than active) a reported commitment was given
POSITION_KINDS = tuple(dict.fromkeys((*COMMITMENT_KINDS, *POSITION_SHIFTS, *EVENT_TYPES,
                                      *(s for s in COMMITMENT_STATUSES if s != CommitmentStatus.ACTIVE))))


def _checked(record: object, name: str, vocabulary: type[StrEnum], *, optional: bool = False) -> None:
    """Make a record's field a member of its vocabulary (equal to, and stored as, the same string).

    Raises:
        VocabularyError: The value is not in the vocabulary.
    """
    value = getattr(record, name)
    if value is None and optional:
        return
    try:
        member = vocabulary(value)
    except ValueError:
        allowed = tuple(m.value for m in vocabulary)
        raise VocabularyError(type(record).__name__, name, value, allowed) from None
    if value is not member:
        object.__setattr__(record, name, member)


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
    kind: str = "paragraph"  # a UnitKind
    page: int | None = None
    section: str | None = None
    paragraph: int = 0

    def __post_init__(self) -> None:
        _checked(self, "kind", UnitKind)


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
    kind: str = "other"  # a DocumentKind
    version: str | None = None
    source_url: str | None = None
    authors: tuple[str, ...] = ()
    pages: int | None = None
    # field name -> "sidecar" | "manifest" | "file" | "text" | "filename" | "default"
    provenance: dict[str, str] = field(default_factory=dict)
    id: int | None = None
    # sidecar and manifest fields with no column of their own ("source_repository", "licence_note" ...)
    extra: dict[str, Any] = field(default_factory=dict)
    # the companion changelogs found beside the file at ingest (CHANGELOG.md ...); None for a document
    # stored before they were kept (read from beside the file instead, while it is there)
    changelogs: tuple[Changelog, ...] | None = ()

    def __post_init__(self) -> None:
        _checked(self, "kind", DocumentKind)


@dataclass(frozen=True)
class Changelog(Record):
    """A companion file in which the publisher lists a document's changes, as read at ingest."""

    name: str  # the file name: "CHANGELOG.md"
    text: str


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

    def __post_init__(self) -> None:
        _checked(self, "kind", UnitKind)


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
    unit: str  # a MetricUnit
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

    def __post_init__(self) -> None:
        _checked(self, "unit", MetricUnit)
        _checked(self, "qualifier", Qualifier, optional=True)


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
    claim_type: str = "factual"  # a ClaimType
    topics: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _checked(self, "claim_type", ClaimType)


@dataclass(frozen=True)
class Commitment(Record):
    """A promise, plan, rule or prohibition, with its strength and conditions."""

    evidence: Evidence
    actor: str | None
    text: str
    action: str
    kind: str  # a CommitmentKind
    strength: int  # ordinal: higher binds harder; see models/modals.json
    modal: str | None = None  # the word that set the strength
    polarity: str = "positive"  # a Polarity
    condition: str | None = None
    deadline: str | None = None  # the phrase as written: "within 270 days of the date of this order"
    status: str = "active"  # a CommitmentStatus
    topics: tuple[str, ...] = ()
    deadline_date: str | None = None  # ISO date the deadline falls on, when the text fixes one
    deadline_basis: str | None = None  # what the date was resolved from

    def __post_init__(self) -> None:
        _checked(self, "kind", CommitmentKind)
        _checked(self, "polarity", Polarity)
        _checked(self, "status", CommitmentStatus)


@dataclass(frozen=True)
class CommitmentEvent(Record):
    """Something done to a commitment: dropped, overhauled, weakened, reaffirmed."""

    evidence: Evidence
    actor: str | None
    event_type: str  # an EventType
    text: str
    target: str | None = None  # words naming the commitment acted on
    commitment_index: int | None = None  # position in the same document's commitments
    topics: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _checked(self, "event_type", EventType)


@dataclass(frozen=True)
class Position(Record):
    """An actor's stance on a topic at a date, or a change of it, with its source sentence.

    ``kind`` is a commitment kind (pledge, conditional, proposal, prohibition, plan) for a stance,
    a shift type (removed, weakened, strengthened) for a change found between two versions of the
    actor's policy, or an event type (dropped, overhauled, ...) for a change the news reports.
    """

    actor: str
    date: str | None
    kind: str  # one of POSITION_KINDS
    text: str  # the source sentence (for a removal: the passage removed)
    document: str  # file name of the source
    source: str  # a PositionSource
    change: bool = False
    topics: tuple[str, ...] = ()
    condition: str | None = None
    page: int | None = None
    section: str | None = None
    versions: tuple[str, ...] = ()  # a policy stance: the versions that state it; a revision: old and new
    previous: str | None = None  # a weakened or strengthened passage: its wording before
    # "document: sentence" on the other side: news reports of a revision, or the passages an event is about
    linked: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in POSITION_KINDS:
            raise VocabularyError(type(self).__name__, "kind", self.kind, POSITION_KINDS)
        _checked(self, "source", PositionSource)


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

    shift: str  # a ShiftType
    item_type: str  # an ItemType
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

    def __post_init__(self) -> None:
        _checked(self, "shift", ShiftType)
        _checked(self, "item_type", ItemType)


F = TypeVar("F", Metric, Claim, Commitment, CommitmentEvent)


@dataclass(frozen=True)
class StoredFinding(Record, Generic[F]):
    """A stored finding where it was stated: the finding, its document and its sentence.

    What :meth:`pipeline.store.Store.findings` returns; ``id`` is the finding's row in the store.
    """

    finding: F
    document: Document
    sentence: Sentence
    id: int | None = None


@dataclass(frozen=True)
class StoredShift(Record):
    """A shift as the store keeps it: the change between a pair of versions, with its stable key."""

    change: Change
    old: Document
    new: Document
    series: str
    key: str  # the same shift keeps its key when the pair is compared again
    rank: int = 0  # its place among the pair's shifts, most important first
    id: int | None = None
    first_seen: str | None = None


@dataclass(frozen=True)
class StoredLink(Record):
    """What the news says happened to a commitment, linked to a shift of the actor's policy that shows it.

    What :meth:`pipeline.store.Store.links` returns: the event as stated in the news report, the shift
    between two versions of the policy, and the similarity that linked them (see
    :mod:`pipeline.compare.links`); ``id`` is the link's row in the store.
    """

    event: StoredFinding[CommitmentEvent]
    shift: StoredShift
    score: float  # half cosine similarity, half the share of the event's distinctive words
    id: int | None = None


@dataclass(frozen=True)
class Comparison(Record):
    """One step of a series: two consecutive versions and the shifts between them."""

    series: str
    old: Document
    new: Document
    changes: tuple[Change, ...]
    unmentioned: tuple[Change, ...] = ()  # material shifts the newer version's changelog does not announce

    def to_dict(self) -> dict[str, Any]:
        """The step as a report shows it: each version's metadata (not its text), every shift."""
        return {"series": self.series, "old": _version(self.old), "new": _version(self.new),
                "changes": [c.to_dict() for c in self.changes],
                "not_in_changelog": [c.to_dict() for c in self.unmentioned]}


def _version(document: Document) -> dict[str, Any]:
    return {"path": document.path, "title": document.title, "publisher": document.publisher,
            "date": document.date, "version": document.version}


@dataclass(frozen=True)
class MetricReport(Record):
    """One document's report of a metric, as corroboration quotes it."""

    value: float
    text: str  # the metric's surface form: "$965 billion"
    path: str  # the document
    date: str | None
    sentence: str


@dataclass(frozen=True)
class Corroboration(Record):
    """The same metric (entity, unit, subject) reported by two documents, and whether they agree."""

    entity: str
    unit: str  # a MetricUnit
    subject: str | None
    consistent: bool  # the relative difference is within the tolerance asked for
    difference: float  # relative: |a - b| / max(|a|, |b|), rounded to 4 places
    reports: tuple[MetricReport, MetricReport]

    def __post_init__(self) -> None:
        _checked(self, "unit", MetricUnit)


@dataclass(frozen=True)
class MetricPoint(Record):
    """One dated value in a series of the same metric across documents."""

    date: str  # the metric's own time when it names one, else its document's date
    value: float
    text: str
    document: str  # file name


@dataclass(frozen=True)
class Failure(Record):
    """A file that could not be stored, with a reason the user can act on."""

    path: str
    error: str  # exception class name, e.g. "EncryptedPdf"
    message: str
