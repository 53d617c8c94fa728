"""spaCy loading and sentence segmentation with exact character offsets.

Two pipelines: a cheap one (tokenizer + rule-based sentencizer, hundreds of
thousands of words per second) that splits every block into sentences, and the
full statistical pipeline that only candidate sentences go through.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Iterable

import spacy
from spacy.language import Language

from .errors import ModelError
from .records import ParsedDocument, Sentence

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def full_pipeline(model: str) -> Language:
    """Load (once per process) the full spaCy pipeline named by settings.

    Raises:
        ModelError: The model package is not installed.
    """
    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy model '{model}' is not installed ({exc}). Run 'make run' or "
            f"'pip install -r requirements-model.txt', or set spacy_model in your settings."
        ) from exc


@functools.lru_cache(maxsize=1)
def cheap_pipeline() -> Language:
    """A blank English tokenizer with the rule-based sentencizer."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    return nlp


def split_sentences(parsed: ParsedDocument, *, batch_size: int = 256) -> list[Sentence]:
    """Split each block of a parsed document into sentences.

    Headings, list items and table cells stay single units unless they hold
    several sentences themselves; offsets index ``parsed.document.text``.
    """
    text = parsed.document.text
    blocks = [b for b in parsed.blocks if text[b.start:b.end].strip()]
    nlp = cheap_pipeline()
    sentences: list[Sentence] = []
    pieces: Iterable = nlp.pipe((text[b.start:b.end] for b in blocks), batch_size=batch_size)
    for block, doc in zip(blocks, pieces):
        spans = [(block.start, block.end)] if block.kind == "heading" else _merge_fragments(
            [(block.start + s.start_char, block.start + s.end_char) for s in doc.sents], text
        )
        for start, end in spans:
            start, end = _strip(text, start, end)
            if end <= start:
                continue
            sentences.append(
                Sentence(
                    index=len(sentences), text=text[start:end], start=start, end=end,
                    kind=block.kind, page=block.page, section=block.section, paragraph=block.paragraph,
                )
            )
    return sentences


_FRAGMENT = re.compile(r"^\s*(\(?[0-9ivxIVX]{1,4}[.)]|\(?[a-zA-Z][.)]|[A-Z][a-z]{0,3}\.|[-•*])\s*$")


def _move_opening_quotes(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """The sentencizer leaves an opening quote at the end of the previous sentence; move it forward."""
    spans = list(spans)
    for i in range(len(spans) - 1):
        start, end = spans[i]
        stripped = text[start:end].rstrip()
        if len(stripped) > 2 and stripped[-1] in "\"“" and stripped[-2].isspace() and stripped[-3] in ".!?”\"":
            quote = start + len(stripped) - 1
            spans[i] = (start, quote)
            spans[i + 1] = (quote, spans[i + 1][1])
    return spans


def _merge_fragments(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Glue list numbers and abbreviations the sentencizer cut off ("1." "Purpose") to what follows."""
    spans = _move_opening_quotes(spans, text)
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in spans:
        if carry is not None:
            start, carry = carry, None
        if _FRAGMENT.match(text[start:end]):
            carry = start
            continue
        merged.append((start, end))
    if carry is not None:
        merged.append((carry, spans[-1][1]))
    return merged


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
