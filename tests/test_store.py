"""Store round trip, migrations and full-text search."""

from __future__ import annotations

import os
import sqlite3

import pytest

from pipeline.errors import StoreError
from pipeline.records import (
    Claim,
    Commitment,
    CommitmentEvent,
    Document,
    Evidence,
    Extraction,
    Metric,
    Sentence,
)
from pipeline.store import Store


def _document(text="We will publish a report. It said more than 80 percent.") -> tuple[Document,
                                                                                       list[Sentence]]:
    doc = Document(path="/x/policy.md", sha256="abc", format="markdown", text=text, publisher="Anthropic",
                   date="2026-02-24", kind="policy", authors=("A. Author",), provenance={"date": "text"})
    return doc, [Sentence(index=0, text=text[:25], start=0, end=25, page=1, section="Intro"),
                 Sentence(index=1, text=text[26:], start=26, end=len(text), page=1, section="Intro")]


def test_round_trip_of_documents_sentences_and_findings(store):
    doc, sentences = _document()
    evidence = Evidence(sentence_index=1, start=34, end=54, page=1)
    extraction = Extraction(
        metrics=(Metric(evidence=evidence, text="more than 80 percent", value=80.0, unit="percent",
                        qualifier="more_than", topics=("automated_ai_rnd",)),),
        claims=(Claim(evidence=evidence, speaker="Anthropic", text="more than 80 percent", quoted=False),),
        commitments=(Commitment(evidence=Evidence(0, 0, 25, 1), actor="Anthropic", text=sentences[0].text,
                                action="publish a report", kind="pledge", strength=3, modal="will"),),
        events=(CommitmentEvent(evidence=evidence, actor="Anthropic", event_type="dropped", text="x"),),
    )
    doc_id = store.save_document(doc, sentences, extraction)
    assert store.document(doc_id).authors == ("A. Author",)
    assert store.document(doc_id).provenance == {"date": "text"}
    assert [s.text for s in store.sentences(doc_id)] == [s.text for s in sentences]
    back = store.extraction(doc_id)
    assert back.metrics[0] == extraction.metrics[0]
    assert back.claims[0] == extraction.claims[0]
    assert back.commitments[0] == extraction.commitments[0]
    assert back.events[0] == extraction.events[0]


def test_full_text_search_over_sentences(store):
    doc, sentences = _document()
    store.save_document(doc, sentences)
    hits = store.frame("SELECT s.text FROM sentences_fts f JOIN sentences s ON s.id = f.rowid "
                       "WHERE sentences_fts MATCH 'percent'")
    assert hits["text"].tolist() == [sentences[1].text]


def test_migrations_are_numbered_and_idempotent(tmp_path):
    path = tmp_path / "m.db"
    Store(path).close()
    with Store(path) as again:
        version = again.conn.execute("PRAGMA user_version").fetchone()[0]
        mode = again.conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert version >= 1 and mode == "wal"


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="notes.db"):
        Store(path)


def test_replacing_findings_is_atomic(store):
    doc, sentences = _document()
    doc_id = store.save_document(doc, sentences)
    bad = Extraction(metrics=(Metric(evidence=Evidence(0, 0, 1), text="x", value=None,
                                     unit="percent"),))  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        store.save_extraction(doc_id, bad)
    assert store.extraction(doc_id) == Extraction()


def test_several_processes_opening_a_new_database_at_once(tmp_path):
    import multiprocessing

    path = str(tmp_path / "new.db")
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.map(_open_and_count, [path] * 8)
    assert results == [0] * 8


def _open_and_count(path):
    with Store(path) as store:
        return store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]


def test_queries_never_touch_another_applications_database(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        other.execute("INSERT INTO notes (body) VALUES ('mine')")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a govtrace database"):
        Store(path, read_only=True)
    with pytest.raises(StoreError, match="another application's tables \\(notes\\)"):
        Store(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "other.sqlite-wal").exists()


def test_a_read_only_store_is_queried_and_a_write_is_refused_with_advice(tmp_path):
    path = tmp_path / "gt.db"
    with Store(path) as store:
        doc, sentences = _document()
        store.save_document(doc, sentences, Extraction())
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with Store(path, read_only=True) as store:
            assert [d.publisher for d in store.documents()] == ["Anthropic"]
        if os.access(path, os.W_OK):
            pytest.skip("running as a user who can write to read-only files (root): "
                        "the refusal cannot happen")
        with pytest.raises(StoreError, match="read-only"):
            with Store(path) as store:
                store.start_run()
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)


def test_an_older_store_is_upgraded_by_a_writer_not_by_a_query(tmp_path):
    path = tmp_path / "gt.db"
    with Store(path):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 1")
    with pytest.raises(StoreError, match="older govtrace .*govtrace extract"):
        Store(path, read_only=True)
