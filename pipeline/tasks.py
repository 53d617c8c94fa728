"""The work a batch hands out: one file read, split and extracted, or a large document in parts.

A file is one task (:func:`process_file`) unless it is a large document in a run with several
workers. Then its first task reads and splits it and returns it :class:`Prepared`; its candidate
sentences are parsed in chunks on whichever workers are free (:func:`parse_chunk`, the parses sent
back as arrays); and a last task walks the document in order over those parses (:func:`finish`).
A parse depends on its sentence's text alone, while the extraction walk carries state from one
sentence to the next (``DocContext``: the last speaker, an open list's lead-in, the section's
addressees), so only the parse is split and the findings are those of a run in one process.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .config import Settings
from .errors import ExtractionTimeout, GovtraceError, IngestError, TextTooLong
from .records import Document, Extraction, Failure, Sentence
from .rules import Rules

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .nlp import PackedDocs

log = logging.getLogger(__name__)
T = TypeVar("T")

# a chunk: candidate sentences, each with the names of the extractors that read it
Chunk = tuple[tuple[Sentence, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Processed:
    """A file read, split and extracted, ready to store."""

    document: Document
    sentences: tuple[Sentence, ...]
    extraction: Extraction | None


@dataclass(frozen=True)
class Prepared:
    """A large document read and split, its candidate sentences cut into chunks to parse apart."""

    path: Path
    document: Document
    sentences: tuple[Sentence, ...]
    chunks: tuple[Chunk, ...]


def failure_of(error: GovtraceError | Exception, path: str | None = None) -> Failure:
    """The error as a :class:`Failure` record, under the path it names."""
    path = getattr(error, "path", None) or path or "?"
    return Failure(path=str(path), error=type(error).__name__, message=str(error))


def safely(task: Callable[..., T], path: Path, *args: object) -> T | Failure:
    """``task(*args)``, or the :class:`Failure` it raised for ``path``: one bad file never stops a batch."""
    try:
        return task(*args)
    except IngestError as exc:
        return failure_of(exc)
    except Exception as exc:
        log.exception("unexpected error on %s", path)
        return Failure(path=str(path), error=type(exc).__name__,
                       message=f"{path}: unexpected error ({exc}). Please report it with the file attached.")


_PLAIN_TEXT = (".txt", ".text", ".md", ".markdown", ".html", ".htm")


def process_file(path: Path, settings: Settings, rules: Rules) -> Processed:
    """Read, split and (optionally) extract one file, within the time limit, by the run's rules.

    Raises:
        IngestError: The file could not be read; the message says why.
    """
    from .extract import extract_document

    with time_limit(settings.timeout_seconds, path):
        document, sentences = read_and_split(path, settings, rules)
        extraction = (extract_document(document, sentences, settings, rules=rules) if settings.extract
                      else None)
    return Processed(document, tuple(sentences), extraction)


def first_pass(path: Path, settings: Settings, rules: Rules) -> Processed | Prepared:
    """:func:`process_file`, except that a document with more than twice ``chunk_sentences`` sentences
    to parse, in a run with several jobs, is returned :class:`Prepared` once read and split.

    Raises:
        IngestError: The file could not be read; the message says why.
    """
    from .extract import extract_document

    with time_limit(settings.timeout_seconds, path):
        document, sentences = read_and_split(path, settings, rules)
        chunks = chunked(document, sentences, settings, rules) if settings.extract else ()
        if len(chunks) > 1:
            return Prepared(path, document, tuple(sentences), chunks)
        extraction = (extract_document(document, sentences, settings, rules=rules) if settings.extract
                      else None)
    return Processed(document, tuple(sentences), extraction)


def read_and_split(path: Path, settings: Settings, rules: Rules) -> tuple[Document, list[Sentence]]:
    """The file's document and sentences, within the limits on its size.

    Raises:
        IngestError: The file could not be read or is over a limit; the message says why.
    """
    from .ingest import read
    from .nlp import split_sentences, splitter

    size = file_size(path)
    if path.suffix.lower() in _PLAIN_TEXT and size > 4 * settings.max_text_chars:
        raise TextTooLong(str(path), f"it holds {size:,} bytes of text, over the limit of "
                          # refused before it is decoded
                          f"{settings.max_text_chars:,} characters (max_text_chars)")
    parsed = read(path, settings, kinds=rules.document_kinds)
    if len(parsed.document.text) > settings.max_text_chars:
        raise TextTooLong(str(path),
                          f"its text runs to {len(parsed.document.text):,} characters, over the "
                          f"limit of {settings.max_text_chars:,} (max_text_chars)")
    warmed(settings)  # the parser loads in the background while the first file is read
    nlp = splitter(settings.spacy_model, settings.blas) if settings.extract else None
    return parsed.document, split_sentences(parsed, nlp=nlp)


def chunked(document: Document, sentences: list[Sentence], settings: Settings,
            rules: Rules) -> tuple[Chunk, ...]:
    """The document's candidate sentences in runs of ``chunk_sentences``; none when it has no more than
    twice that many, the run has one job or chunking is off (0)."""
    from .extract import candidates

    size = settings.chunk_sentences
    if settings.jobs <= 1 or size <= 0 or len(sentences) <= 2 * size:  # candidates are fewer
        return ()
    chosen = candidates(document, sentences, rules)
    named = tuple((sentence, tuple(e.name for e in extractors)) for sentence, extractors in chosen)
    if len(named) <= 2 * size:
        return ()
    return tuple(named[i:i + size] for i in range(0, len(named), size))


def parse_chunk(path: Path, chunk: Chunk, settings: Settings, rules: Rules) -> PackedDocs:
    """Parse one chunk of a :class:`Prepared` document (entities where its extractors need them).

    Returns:
        The parses as :class:`~pipeline.nlp.PackedDocs`, in the chunk's order.
    """
    from .extract import load_extractors, parse_candidates
    from .nlp import pack

    registry = load_extractors()
    chosen = [(sentence, [registry[name] for name in names]) for sentence, names in chunk]
    with time_limit(settings.timeout_seconds, path):
        docs = parse_candidates(chosen, settings, rules)
        return pack([docs[sentence.index] for sentence, _ in chosen])


def finish(prepared: Prepared, parts: list[PackedDocs], settings: Settings, rules: Rules) -> Processed:
    """Extract a :class:`Prepared` document over the parses of its chunks (``parts``, in chunk order),
    walking its sentences in order as :func:`process_file` does."""
    from .extract import extract_document
    from .nlp import analyzer, unpack

    vocab = analyzer(settings.spacy_model, settings.parse_cache, settings.blas).nlp.vocab
    docs: dict[int, Doc] = {}
    with time_limit(settings.timeout_seconds, prepared.path):
        for chunk, packed in zip(prepared.chunks, parts):
            docs.update(zip((sentence.index for sentence, _ in chunk), unpack(packed, vocab)))
        sentences = list(prepared.sentences)
        extraction = extract_document(prepared.document, sentences, settings, rules=rules, parsed=docs)
    return Processed(prepared.document, prepared.sentences, extraction)


_warming: dict[str, threading.Thread] = {}


def warm_up(settings: Settings, rules: Rules) -> None:
    """Load the parser, the extractors and the topic model in a background thread (once per process),
    so that reading the first file (PDF layout, HTML cleaning) overlaps with it."""
    if not settings.extract or settings.spacy_model in _warming:
        return
    thread = threading.Thread(target=_load_everything, args=(settings, rules), daemon=True,
                              name="govtrace-warm-up")
    _warming[settings.spacy_model] = thread
    thread.start()


def _load_everything(settings: Settings, rules: Rules) -> None:
    from .extract import load_extractors
    from .extract.context import DocContext
    from .nlp import full_pipeline, splitter

    try:
        full_pipeline(settings.spacy_model, settings.blas)
        splitter(settings.spacy_model, settings.blas)
        load_extractors()
        rules.topics  # noqa: B018 - read on first use; read here, beside the parser
        DocContext.create(Document(path="warm-up", sha256="", format="text", text=""), settings, rules)
    except Exception:  # noqa: BLE001 - the same load on the first file reports what is wrong, by name
        log.debug("warm-up failed; the first file will load what it needs", exc_info=True)


def warmed(settings: Settings) -> None:
    """Wait for the warm-up this process started, if any."""
    thread = _warming.get(settings.spacy_model)
    if thread is not None:
        thread.join()


def file_size(path: Path) -> int:
    """The file's size, or 0 when it is gone (the reader then says so by name)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


@contextlib.contextmanager
def time_limit(seconds: float, path: Path) -> Iterator[None]:
    """Raise ExtractionTimeout if the block runs past ``seconds`` (main thread only)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ExtractionTimeout(str(path), f"processing took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
