"""Hostile and malformed input: random text through every ingester and extractor, nothing fetched."""

from __future__ import annotations

import socket
import subprocess
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from pipeline import batch
from pipeline.config import Settings
from pipeline.errors import FileTooLarge, IngestError
from pipeline.extract import extract_document
from pipeline.ingest import read
from pipeline.ingest.text import markdown_blocks
from pipeline.nlp import split_sentences
from pipeline.records import Document, ParsedDocument

NASTY = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400) | st.sampled_from([
    "\u202eevil\u202c 80% of $965 billion", "a\u0301\u0301\u0301 will never " * 20, "\u200b\u200d\ufeff" * 50,
    "x" * 20000, "“" * 300, "Don't:\n- \n- \n-", "10^999999 operations", "$" * 500 + "1", "\x00\x01\x02 will",
])
FAST = hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("govtrace tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@FAST
@given(text=NASTY)
def test_extractors_survive_any_text(text, nlp, settings):
    document = Document(path="/x.md", sha256="x", format="markdown", text=text, kind="policy", publisher="Acme")
    sentences = split_sentences(ParsedDocument(document, tuple(markdown_blocks(text))))
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text
    extraction = extract_document(document, sentences, settings)
    for finding in (*extraction.metrics, *extraction.claims, *extraction.commitments, *extraction.events):
        assert 0 <= finding.evidence.start <= finding.evidence.end <= len(text)


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".html", ".pdf", ".docx", ""]))
def test_ingesters_refuse_garbage_with_a_named_error(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("g") / f"file{suffix}"
    path.write_bytes(data)
    try:
        parsed = read(path)
    except IngestError as exc:
        assert str(path) in str(exc)
    else:
        assert parsed.document.text.strip()


def test_deeply_nested_html_with_scripts_and_external_references(tmp_path):
    body = "<div>" * 10000 + "The lab will publish a report every quarter, its policy says." + "</div>" * 10000
    page = ('<!DOCTYPE html><html><head><script src="http://example.com/x.js"></script>'
            '<link rel="stylesheet" href="http://example.com/s.css"></head><body>'
            '<!DOCTYPE x [<!ENTITY e SYSTEM "http://example.com/e">]>'
            f'<script>fetch("http://example.com")</script><article>{body}</article>'
            '<img src="http://example.com/p.png"><iframe src="http://example.com"></iframe></body></html>')
    path = tmp_path / "deep.html"
    path.write_text(page)
    try:
        parsed = read(path)
    except IngestError:
        return  # refused with a named error is fine; crashing or fetching is not
    assert "fetch(" not in parsed.document.text


def test_pdf_with_thousands_of_pages(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for i in range(2000):
        pdf.add_page()
        pdf.set_y(100)  # body text, clear of the header band
        pdf.cell(0, 10, f"Section {i} says the developer shall report run number {i * 7 % 13} in {['May', 'June'][i % 2]}.")
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    parsed = read(path)
    assert parsed.document.pages == 2000


def test_file_larger_than_the_limit_is_recorded(tmp_path, store):
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "huge.txt").write_text("We will publish reports. " * 2000)
    (folder / "small.txt").write_text("We will publish reports.")
    summary = batch.ingest([folder], store, Settings(extract=False, max_file_size=10_000))
    assert [f.error for f in summary.failed] == ["FileTooLarge"] and len(summary.ingested) == 1
    with pytest.raises(FileTooLarge, match="max-file-size"):
        read(folder / "huge.txt", Settings(max_file_size=10_000))


def test_a_slow_document_hits_the_time_limit(tmp_path, store, monkeypatch):
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "a.txt").write_text("We will publish reports.")
    import pipeline.ingest as ingest

    def slow(*args, **kwargs):
        import time
        time.sleep(5)

    monkeypatch.setattr(ingest, "detect_format", slow)
    summary = batch.ingest([folder], store, Settings(extract=False, timeout_seconds=0.5))
    assert [f.error for f in summary.failed] == ["ExtractionTimeout"]
    assert "time limit" in summary.failed[0].message or "longer than" in summary.failed[0].message


def test_nothing_in_the_package_loads_pickles():
    found = subprocess.run(["grep", "-rnE", r"pickle\.load|joblib\.load|torch\.load|cloudpickle", "pipeline"],
                           capture_output=True, text=True)
    assert found.stdout == ""
