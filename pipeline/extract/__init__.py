"""Extractors: one module per kind of finding, found through a registry.

Each extractor module registers a function with :func:`register`::

    @register("metrics", prefilter=might_hold_metric)
    def metrics(span: Span, *, context: DocContext) -> Iterator[Metric]: ...

``prefilter`` is the cheap pass: a test on the raw sentence text (with the run's
:class:`~pipeline.rules.Rules`, whose word sets it reads) that decides
whether the sentence goes through the full spaCy pipeline at all. It must
accept every sentence the extractor could find something in (parsing is most
of the run time, so it should accept little else); ``scripts/prefilter_audit.py``
measures both.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from ..config import Settings
from ..records import Claim, Commitment, CommitmentEvent, Document, Extraction, Metric, Sentence
from ..rules import Rules, rules_for
from .context import DocContext

log = logging.getLogger(__name__)

# a word as the prefilters see it: the stretch between two regex word boundaries. Cue lists are
# checked as sets against these words (Python's re tries a long alternation at every position)
WORD = re.compile(r"\w+")

Finding = Metric | Claim | Commitment | CommitmentEvent
ExtractFn = Callable[[Doc, DocContext], Iterator[Finding]]
# (raw sentence text, the run's rules) -> whether the extractor could find anything in it
Prefilter = Callable[[str, Rules], bool]
# (document, its sentences) -> indices of the list items an extractor wants whatever their words
ListItemRule = Callable[[Document, Sequence[Sentence]], set[int]]


@dataclass(frozen=True)
class Extractor:
    name: str
    func: ExtractFn
    prefilter: Prefilter
    list_items: ListItemRule | None = None
    # whether it reads named entities: False, or a test on the parse without them (NER then runs
    # only where it passes), or True
    needs_entities: bool | Callable[[Doc, Rules], bool] = False
    skip_headings: bool = False

    def wanted(self, document: Document, sentences: Sequence[Sentence], rules: Rules) -> set[int]:
        """Indices of the sentences that go through the full pipeline for this extractor."""
        extra = self.list_items(document, sentences) if self.list_items else set()
        return {
            s.index for s in sentences
            if not (self.skip_headings and s.kind == "heading")
            and (s.index in extra or self.prefilter(s.text, rules))
        }


EXTRACTORS: dict[str, Extractor] = {}
# functions run once per document after all sentences: (extraction, context) -> extraction
FINALIZERS: dict[str, Callable[[Extraction, DocContext], Extraction]] = {}


def register(
    name: str, *, prefilter: Prefilter, list_items: ListItemRule | None = None,
    needs_entities: bool | Callable[[Doc, Rules], bool] = False, skip_headings: bool = False,
) -> Callable[[ExtractFn], ExtractFn]:
    """Decorator registering an extractor under ``name``.

    Args:
        name: The extractor's name (CLI choices come from the registry).
        prefilter: Cheap test on raw sentence text, given the run's rules.
        list_items: Chooses list items to parse whatever their words (rules under a lead-in
            carry no cue words).
        needs_entities: It reads spaCy's named entities: True, or a test on the parse without
            them that says whether this sentence can yield anything (NER is about half the
            parse time, so it runs only where some extractor needs it).
        skip_headings: It never finds anything in a heading.
    """

    def wrap(func: ExtractFn) -> ExtractFn:
        EXTRACTORS[name] = Extractor(name, func, prefilter, list_items, needs_entities, skip_headings)
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
    # not sorted: import order is registration order, which is the order extractors run in and
    # finalizers apply (events before topics)
    from . import metrics, claims, commitments, events, topics  # noqa: F401, I001

    return EXTRACTORS


def extract_document(
    document: Document,
    sentences: list[Sentence],
    settings: Settings,
    *,
    rules: Rules | None = None,
    include: Iterable[str] | None = None,
    parsed: Mapping[int, Doc] | None = None,
) -> Extraction:
    """Run the registered extractors over one document's sentences.

    Args:
        document: The stored document (its date and publisher guide resolution).
        sentences: Its sentences, in order.
        settings: Run settings (model name, batch size).
        rules: The run's rules; read from ``settings.models_dir`` when not given (a batch reads
            them once and passes them).
        include: Names of extractors to run; all when None.
        parsed: The parses of the :func:`candidates`, by sentence index, made elsewhere (by
            :func:`parse_candidates`, a large document's in chunks on several workers); parsed
            here when None.

    Returns:
        Every finding, each with its evidence span.
    """
    rules = rules or rules_for(settings)
    chosen = candidates(document, sentences, rules, include=include)
    by_extractors = {s.index: ex for s, ex in chosen}
    docs = parse_candidates(chosen, settings, rules) if parsed is None else parsed
    context = DocContext.create(document, settings, rules)
    context.sentences = sentences
    found: dict[type, list[Finding]] = {Metric: [], Claim: [], Commitment: [], CommitmentEvent: []}
    for sentence in sentences:
        context.observe(sentence)
        if sentence.index not in by_extractors:
            continue
        doc = docs[sentence.index]
        context.enter(sentence, doc)
        for extractor in by_extractors[sentence.index]:
            for finding in extractor.func(doc, context):
                found[type(finding)].append(finding)
    extraction = Extraction(
        metrics=tuple(found[Metric]), claims=tuple(found[Claim]),  # type: ignore[arg-type]
        commitments=tuple(found[Commitment]), events=tuple(found[CommitmentEvent]),  # type: ignore[arg-type]
    )
    for step in FINALIZERS.values():
        extraction = step(extraction, context)
    return extraction


def candidates(document: Document, sentences: Sequence[Sentence], rules: Rules, *,
               include: Iterable[str] | None = None) -> list[tuple[Sentence, list[Extractor]]]:
    """The sentences that go through the full pipeline, in order, each with the extractors that read it.

    The choice rests on each sentence's text, kind and list structure alone (the prefilters), never on
    what extraction found before it.
    """
    names = None if include is None else set(include)
    extractors = [e for n, e in load_extractors().items() if names is None or n in names]
    wanted = {e.name: e.wanted(document, sentences, rules) for e in extractors}
    chosen = [(s, [e for e in extractors if s.index in wanted[e.name]]) for s in sentences]
    return [(s, ex) for s, ex in chosen if ex]


def parse_candidates(chosen: Sequence[tuple[Sentence, Sequence[Extractor]]],
                     settings: Settings, rules: Rules) -> dict[int, Doc]:
    """Parse candidate sentences in batches without NER, then run NER where an extractor needs it.

    Each parse depends on its sentence's text alone, so any run of the candidates can be parsed
    apart from the rest (in another process) and give the same docs.

    Returns:
        The parses by sentence index.
    """
    from ..nlp import analyzer

    nlp = analyzer(settings.spacy_model, settings.parse_cache, settings.blas)
    parsed = nlp.parse([s.text for s, _ in chosen], batch_size=settings.batch_size)
    docs = {s.index: doc for (s, _), doc in zip(chosen, parsed)}
    need = [docs[s.index] for s, ex in chosen if any(_needs_entities(e, docs[s.index], rules) for e in ex)]
    nlp.add_entities(need, batch_size=settings.batch_size)
    return docs


def _needs_entities(extractor: Extractor, doc: Doc, rules: Rules) -> bool:
    test = extractor.needs_entities
    return test(doc, rules) if callable(test) else test


__all__ = ["DocContext", "EXTRACTORS", "Extractor", "candidates", "extract_document", "finalizer",
           "parse_candidates", "register"]
