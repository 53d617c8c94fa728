"""govtrace: extract claims, metrics and commitments from AI-governance texts and track how they change."""

from .batch import RunSummary, ingest, reextract
from .config import Settings, load_settings
from .errors import GovtraceError, IngestError
from .records import (
    Block,
    Change,
    Claim,
    Commitment,
    CommitmentEvent,
    Document,
    Evidence,
    Extraction,
    Failure,
    Metric,
    ParsedDocument,
    Sentence,
)
from .store import Store

__all__ = [
    "Block", "Change", "Claim", "Commitment", "CommitmentEvent", "Document", "Evidence", "Extraction",
    "Failure", "GovtraceError", "IngestError", "Metric", "ParsedDocument", "RunSummary", "Sentence",
    "Settings", "Store", "ingest", "load_settings", "reextract",
]
