"""Runs on a local process pool: a large document parsed in chunks across the workers stores the
same document, sentences and findings as a run in one process."""

from __future__ import annotations

import logging
import shutil
import sqlite3

import pytest

from pipeline import batch
from pipeline.config import Settings
from pipeline.store import Store
from pipeline.tasks import Prepared, first_pass

from .conftest import SAMPLE

RSP = SAMPLE / "anthropic-rsp-v1.0-2023-09-19.pdf"  # two pages, 15 sentences to parse
TABLES = ("documents", "sentences", "metrics", "claims", "commitments", "events")


def _rows(db) -> dict[str, list]:
    """Every stored row of ``TABLES`` without row ids, a document named by its path."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    paths = dict(con.execute("SELECT id, path FROM documents").fetchall())
    rows = {}
    for table in TABLES:
        found = []
        for row in con.execute(f"SELECT * FROM {table}"):
            record = {k: row[k] for k in row.keys() if k != "id" and not k.endswith("_at")}
            if "document_id" in record:
                record["document_id"] = paths[record["document_id"]]
            found.append(repr(sorted(record.items())))
        rows[table] = sorted(found)
    con.close()
    return rows


def _ingest(folder, db, settings) -> dict[str, list]:
    with Store(db) as store:
        summary = batch.ingest([folder], store, settings)
    assert not summary.failed, summary.failed
    return _rows(db)


def test_a_large_document_is_cut_into_chunks_of_its_candidate_sentences(rules):
    prepared = first_pass(RSP, Settings(jobs=2, chunk_sentences=4), rules)
    assert isinstance(prepared, Prepared)
    assert [len(chunk) for chunk in prepared.chunks] == [4, 4, 4, 3]
    indices = [sentence.index for chunk in prepared.chunks for sentence, _ in chunk]
    assert indices == sorted(indices) and len(set(indices)) == 15
    assert {s.page for s in prepared.sentences} == {1, 2}
    # below twice the chunk size, with one job, or with chunking off, a file is one task
    for settings in (Settings(jobs=2, chunk_sentences=8), Settings(jobs=1, chunk_sentences=4),
                     Settings(jobs=2, chunk_sentences=0)):
        assert not isinstance(first_pass(RSP, settings, rules), Prepared)


def test_a_chunked_run_stores_what_one_process_stores(tmp_path, caplog):
    folder = tmp_path / "docs"
    shutil.copytree(SAMPLE, folder)
    single = _ingest(folder, tmp_path / "one.db", Settings(jobs=1))
    with caplog.at_level(logging.DEBUG, logger="pipeline.pool"):
        chunked = _ingest(folder, tmp_path / "two.db", Settings(jobs=2, chunk_sentences=4))
    assert f"{folder / RSP.name}: parsed in 4 chunks" in caplog.text  # the split was used
    assert all(single[table] for table in ("sentences", "metrics", "commitments"))
    for table in TABLES:
        assert chunked[table] == single[table], table


def test_a_failing_chunk_fails_its_document_only(tmp_path, monkeypatch):
    import pipeline.nlp

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(RSP, folder)
    (folder / "good.txt").write_text("We will publish our evaluation results every year.\n")

    def broken(docs):
        raise RuntimeError("packing broke")

    monkeypatch.setattr(pipeline.nlp, "pack", broken)  # only chunks are packed; the workers fork after this
    with Store(tmp_path / "gt.db") as store:
        summary = batch.ingest([folder], store, Settings(jobs=2, chunk_sentences=4))
    assert [(f.path, f.error) for f in summary.failed] == [(str(folder / RSP.name), "RuntimeError")]
    assert "packing broke" in summary.failed[0].message
    assert summary.ingested == [str(folder / "good.txt")]


@pytest.mark.slow
def test_a_regulation_pdf_in_chunks_stores_what_one_process_stores(tmp_path, shared_corpora):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(shared_corpora / "regulation-pdfs" / "us-eo-14110-2023-10-30.pdf", folder)
    single = _ingest(folder, tmp_path / "one.db", Settings(jobs=1))
    chunked = _ingest(folder, tmp_path / "two.db", Settings(jobs=2))
    assert len(single["commitments"]) > 100
    for table in TABLES:
        assert chunked[table] == single[table], table
