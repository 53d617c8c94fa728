"""Hostile and malformed input: random text through every ingester and extractor, nothing fetched."""

from __future__ import annotations

import os
import socket
import subprocess

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
    document = Document(path="/x.md", sha256="x", format="markdown", text=text, kind="policy",
                        publisher="Acme")
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
    said = "The lab will publish a report every quarter, its policy says."
    body = "<div>" * 10000 + said + "</div>" * 10000
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
        pdf.cell(0, 10,
                 f"Section {i} says the developer shall report run number {i * 7 % 13} in "
                 f"{['May', 'June'][i % 2]}.")
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


def _ingest_beside_a_good_file(tmp_path, make_bad, **settings):
    """Crafts one bad entry beside a good file, ingests the folder through the CLI, returns the result."""
    import sqlite3

    from click.testing import CliRunner

    from pipeline.cli import main

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("We will publish our evaluation results every year.\n", encoding="utf-8")
    make_bad(folder, tmp_path)
    db = tmp_path / "gt.db"
    args = ["ingest", str(folder), "--db", str(db),
            "--no-extract"] + (["--follow-symlinks"] if settings else [])
    result = CliRunner().invoke(main, args)
    stored = [row[0] for row in sqlite3.connect(db).execute("SELECT path FROM documents")]
    failures = [row for row in sqlite3.connect(db).execute("SELECT error, message FROM failures")]
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert any(p.endswith("good.txt") for p in stored), "the good file beside the bad one must be stored"
    return result, stored, failures


def test_a_named_pipe_is_refused_without_hanging(tmp_path):
    result, stored, failures = _ingest_beside_a_good_file(tmp_path, lambda f, _: os.mkfifo(f / "pipe.txt"))
    assert [e for e, _ in failures] == ["NotARegularFile"] and result.exit_code == 1
    assert len(stored) == 1


def test_a_link_to_a_device_is_refused_without_hanging(tmp_path):
    result, _, failures = _ingest_beside_a_good_file(tmp_path, lambda f,
                                                     _: (f / "zero.txt").symlink_to("/dev/zero"))
    assert [e for e, _ in failures] in (["NotARegularFile"], ["OutsideFolder"])


def test_a_link_leaving_the_folder_is_skipped_unless_asked(tmp_path):
    def make(folder, base):
        (base / "secret.txt").write_text("We will keep this outside the corpus.\n", encoding="utf-8")
        (folder / "secret-link.txt").symlink_to(base / "secret.txt")
        (folder / "linked-folder").symlink_to(base, target_is_directory=True)

    result, stored, failures = _ingest_beside_a_good_file(tmp_path, make)
    assert sorted(e for e, _ in failures) == ["OutsideFolder", "OutsideFolder"]
    assert result.exit_code == 0 and "skipped" in result.output and len(stored) == 1
    again = tmp_path / "again"
    again.mkdir()
    _, followed, _ = _ingest_beside_a_good_file(again, make, follow=True)
    assert any(p.endswith("secret-link.txt") for p in followed)


def test_a_file_name_that_is_not_utf8_is_refused_by_name(tmp_path):
    def make(folder, _):
        with open(os.path.join(os.fsencode(folder), b"bad-\xff-name.txt"), "wb") as handle:
            handle.write(b"We will publish a report.\n")

    result, stored, failures = _ingest_beside_a_good_file(tmp_path, make)
    assert [e for e, _ in failures] == ["BadFileName"] and "\\xff" in failures[0][1]
    assert len(stored) == 1


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_wide_unicode_text_is_read(tmp_path, codec):
    text = "We will publish our evaluation results, café included.\n"
    result, stored, failures = _ingest_beside_a_good_file(
        tmp_path, lambda f, _: (f / "wide.txt").write_bytes(text.encode(codec)))
    assert failures == [] and len(stored) == 2


def test_a_file_mixing_utf8_and_cp1252_is_read_line_by_line(tmp_path):
    data = ("Café policy: we will publish results.\n".encode()
            + "Naïve résumé rule: we will not sell weights.\n".encode("cp1252"))
    result, stored, failures = _ingest_beside_a_good_file(
        tmp_path, lambda f, _: (f / "mixed.txt").write_bytes(data))
    assert failures == [] and len(stored) == 2
    import sqlite3

    (text,), = sqlite3.connect(tmp_path / "gt.db").execute(
        "SELECT text FROM documents WHERE path LIKE '%mixed.txt'")
    assert "Café policy" in text and "Naïve résumé" in text


def test_a_latin1_manifest_is_read_and_names_nobody_as_failed(tmp_path):
    def make(folder, _):
        manifest = "file,title,publisher\ngood.txt,Politique générale,Société X\n"
        (folder / "manifest.csv").write_bytes(manifest.encode("latin-1"))

    result, stored, failures = _ingest_beside_a_good_file(tmp_path, make)
    import sqlite3

    assert failures == [] and result.exit_code == 0
    (title, publisher), = sqlite3.connect(tmp_path / "gt.db").execute(
        "SELECT title, publisher FROM documents")
    assert (title, publisher) == ("Politique générale", "Société X")


@pytest.mark.parametrize("name, body", [
    ("underscores.txt", "We will publish results. " + "_" * 40_000 + " end.\n"),
    ("entities.txt", "We will publish results. " + "&amp;" * 100_000 + " end.\n"),
    ("one-sentence.txt", "We will publish " + " ".join(["word"] * 200_000) + " end.\n"),
])
def test_runs_and_endless_sentences_are_read_in_bounded_time(tmp_path, name, body):
    """Long repeated runs used to take minutes in spaCy's tokenizer; a megabyte with no full stop
    was refused by spaCy (E088). Both are now read, with extraction, beside a good file."""
    import sqlite3
    import time

    from click.testing import CliRunner

    from pipeline.cli import main

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("We will publish our evaluation results every year.\n", encoding="utf-8")
    (folder / name).write_text(body, encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(tmp_path / "gt.db")])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 90
    db = sqlite3.connect(tmp_path / "gt.db")
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    longest = db.execute("SELECT max(length(text)) FROM sentences").fetchone()[0]
    assert longest <= 10_000 or name != "one-sentence.txt"
    text, = db.execute("SELECT text FROM documents WHERE path LIKE ?", (f"%{name}",)).fetchone()
    assert text == body  # what is stored is what was read; only the tokenizer's view is calmed


def test_calming_keeps_every_offset():
    from pipeline.nlp import calm

    text = "Section 1. " + "_" * 500 + " We will " + "x" * 3000 + " report. ....... 4"
    calmed = calm(text)
    assert len(calmed) == len(text) and calmed.startswith("Section 1. _ ") and calmed.endswith(" report. "
                                                                                               "....... 4")
    assert calm("A normal sentence with a long-ish URL https://example.org/" + "a" * 150) == \
        "A normal sentence with a long-ish URL https://example.org/" + "a" * 150


def test_text_over_the_size_bound_is_refused_before_it_is_decoded(tmp_path, store):
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "endless.txt").write_text("We will publish reports. " * 2_000, encoding="utf-8")  # 50,000 bytes
    (folder / "ok.md").write_text("We will publish reports.", encoding="utf-8")
    (folder / "page.html").write_text("<html><body><article><p>" + "We will publish reports. " * 400
                                      + "</p></article></body></html>", encoding="utf-8")
    summary = batch.ingest([folder], store, Settings(extract=False, max_text_chars=5_000))
    assert sorted(f.error for f in summary.failed) == ["TextTooLong", "TextTooLong"]
    assert [p.rsplit("/", 1)[-1] for p in summary.ingested] == ["ok.md"]
    assert all("max_text_chars" in f.message for f in summary.failed)


def test_a_database_kept_in_the_folder_and_excluded_files_are_not_documents(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "policy.txt").write_text("We will publish our evaluation results every year.\n",
                                       encoding="utf-8")
    (folder / "README.md").write_text("# About this folder\n\nIt holds policies.\n", encoding="utf-8")
    (folder / "drafts").mkdir()
    (folder / "drafts" / "draft.txt").write_text("We may publish a draft.\n", encoding="utf-8")
    db = folder / "gt.db"
    for _ in range(2):  # the second run sees gt.db, gt.db-wal and gt.db-shm in the folder
        result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--no-extract",
                                           "--exclude", "README.md", "--exclude", "drafts/*"])
        assert result.exit_code == 0, result.output
    import sqlite3

    stored = [r[0].rsplit("/", 1)[-1] for r in sqlite3.connect(db).execute("SELECT path FROM documents")]
    assert stored == ["policy.txt"]
    assert sqlite3.connect(db).execute("SELECT count(*) FROM failures").fetchone()[0] == 0


def test_a_docx_with_entity_expansion_is_refused_by_name(tmp_path):
    import zipfile

    import docx

    def make(folder, _):
        plain = tmp_path / "plain.docx"
        word = docx.Document()
        word.add_paragraph("We will publish our evaluation results.")
        word.save(plain)
        bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
                          for i in range(9))
                + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                  '<w:body><w:p><w:r><w:t>&lol8;</w:t></w:r></w:p></w:body></w:document>')
        with zipfile.ZipFile(plain) as source, zipfile.ZipFile(folder / "bomb.docx", "w") as target:
            for item in source.infolist():
                target.writestr(item, bomb if item.filename == "word/document.xml" else source.read(item))

    result, stored, failures = _ingest_beside_a_good_file(tmp_path, make)
    assert [e for e, _ in failures] == ["CorruptFile"] and "cannot be read safely" in failures[0][1]
    assert len(stored) == 1 and "Traceback" not in result.output


def test_a_file_name_too_long_for_a_sidecar_is_still_ingested(tmp_path):
    def make(folder, _):
        (folder / ("p" * 244 + ".txt")).write_text("We will publish a report every year.\n", encoding="utf-8")

    result, stored, failures = _ingest_beside_a_good_file(tmp_path, make)
    assert failures == [] and len(stored) == 2 and "Traceback" not in result.output


def test_text_behind_200000_nested_divs_is_kept(tmp_path):
    sentence = "We will publish our evaluation results every year, the lab said in its policy."

    def make(folder, _):
        (folder / "deep.html").write_text("<html><body>" + "<div>" * 200_000 + f"<p>{sentence}</p>"
                                          + "</div>" * 200_000 + "</body></html>", encoding="utf-8")

    result, stored, failures = _ingest_beside_a_good_file(tmp_path, make)
    assert failures == [] and len(stored) == 2, failures
    import sqlite3

    texts = [row[0] for row in sqlite3.connect(tmp_path / "gt.db").execute("SELECT text FROM documents")]
    assert any(sentence in text for text in texts)


def test_a_pdf_decompression_bomb_is_refused_before_pdfium_reads_it(tmp_path, store):
    import zlib

    folder = tmp_path / "bomb"
    folder.mkdir()
    inflated = zlib.compress(b"\0" * 60_000_000, 9)  # about 60 KB that expands to 60 MB
    (folder / "bomb.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(inflated)).encode()
            + b" /Filter /FlateDecode >>\nstream\n"
        + inflated + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    (folder / "ok.txt").write_text("We will publish reports.", encoding="utf-8")
    summary = batch.ingest([folder], store, Settings(extract=False, max_pdf_stream_bytes=20_000_000))
    assert [f.error for f in summary.failed] == ["CorruptFile"]
    assert "decompression bomb" in summary.failed[0].message
    assert [p.rsplit("/", 1)[-1] for p in summary.ingested] == ["ok.txt"]
