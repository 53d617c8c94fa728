"""Run extractors over small documents written in the test."""

from __future__ import annotations

import pytest

from pipeline.extract import extract_document
from pipeline.ingest.text import markdown_blocks
from pipeline.nlp import split_sentences
from pipeline.records import Document, ParsedDocument


@pytest.fixture()
def run(settings, nlp):
    def extract(text: str, *, include=None, publisher=None, kind="news", date="2026-05-14", authors=()):
        document = Document(path="/t/doc.md", sha256="x", format="markdown", text=text, publisher=publisher,
                            kind=kind, date=date, authors=tuple(authors))
        sentences = split_sentences(ParsedDocument(document, tuple(markdown_blocks(text))))
        return extract_document(document, sentences, settings, include=include)

    return extract
