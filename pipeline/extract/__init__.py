"""Extractors: one module per kind of finding, found through a registry.

Each extractor module registers a function with :func:`register`::

    @register("metrics", prefilter=might_hold_metric)
    def metrics(span: Span, *, context: DocContext) -> Iterator[Metric]: ...

``prefilter`` is the cheap pass: a test on the raw sentence text that decides
whether the sentence goes through the full spaCy pipeline at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from spacy.tokens import Doc

from ..config import Settings
from ..records import Claim, Commitment, CommitmentEvent, Document, Extraction, Metric, Sentence
from .context import DocContext

log = logging.getLogger(__name__)

Finding = Metric | Claim | Commitment | CommitmentEvent
ExtractFn = Callable[[Doc, DocContext], Iterator[Finding]]


@dataclass(frozen=True)
class Extractor:
    name: str
    func: ExtractFn
    prefilter: Callable[[str], bool]
    include_list_items: bool = False

    def wants(self, sentence: Sentence) -> bool:
        """Whether the sentence goes through the full pipeline for this extractor."""
        return self.prefilter(sentence.text) or (self.include_list_items and sentence.kind == "list_item")


EXTRACTORS: dict[str, Extractor] = {}
# functions run once per document after all sentences: (extraction, context) -> extraction
FINALIZERS: dict[str, Callable[[Extraction, DocContext], Extraction]] = {}


def register(
    name: str, *, prefilter: Callable[[str], bool], include_list_items: bool = False
) -> Callable[[ExtractFn], ExtractFn]:
    """Decorator registering an extractor under ``name``.

    Args:
        name: The extractor's name (CLI choices come from the registry).
        prefilter: Cheap test on raw sentence text.
        include_list_items: Also parse every list item (rules under a lead-in carry no cue words).
    """

    def wrap(func: ExtractFn) -> ExtractFn:
        EXTRACTORS[name] = Extractor(name, func, prefilter, include_list_items)
        return func

    return wrap


def finalizer(name: str):
    """Decorator registering a per-document post-processing step."""

    def wrap(func):
        FINALIZERS[name] = func
        return func

    return wrap


def load_extractors() -> dict[str, Extractor]:
    """Import the built-in extractor modules (for their registrations)."""
    from . import metrics, claims, commitments, events, topics  # noqa: F401

    return EXTRACTORS


def extract_document(
    document: Document,
    sentences: list[Sentence],
    settings: Settings,
    *,
    include: Iterable[str] | None = None,
) -> Extraction:
    """Run the registered extractors over one document's sentences.

    Args:
        document: The stored document (its date and publisher guide resolution).
        sentences: Its sentences, in order.
        settings: Run settings (model name, gazetteers, batch size).
        include: Names of extractors to run; all when None.

    Returns:
        Every finding, each with its evidence span.
    """
    from ..nlp import full_pipeline

    extractors = [e for n, e in load_extractors().items() if include is None or n in set(include)]
    context = DocContext.create(document, settings)
    context.sentences = sentences
    chosen = [(s, [e for e in extractors if e.wants(s)]) for s in sentences]
    candidates = [(s, ex) for s, ex in chosen if ex]
    nlp = full_pipeline(settings.spacy_model)
    found: dict[type, list[Finding]] = {Metric: [], Claim: [], Commitment: [], CommitmentEvent: []}
    docs = nlp.pipe((s.text for s, _ in candidates), batch_size=settings.batch_size)
    by_index = {s.index: (s, ex) for s, ex in candidates}
    doc_iter = iter(docs)
    for sentence in sentences:
        context.observe(sentence)
        if sentence.index not in by_index:
            continue
        _, ex = by_index[sentence.index]
        doc = next(doc_iter)
        context.enter(sentence, doc)
        for extractor in ex:
            for finding in extractor.func(doc, context):
                found[type(finding)].append(finding)
    extraction = Extraction(
        metrics=tuple(found[Metric]), claims=tuple(found[Claim]),  # type: ignore[arg-type]
        commitments=tuple(found[Commitment]), events=tuple(found[CommitmentEvent]),  # type: ignore[arg-type]
    )
    for name, step in FINALIZERS.items():
        extraction = step(extraction, context)
    return extraction


__all__ = ["DocContext", "EXTRACTORS", "Extractor", "extract_document", "register", "finalizer"]
