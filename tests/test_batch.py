"""Batch runs: incremental re-runs, versions, bad input never stops the batch."""

from __future__ import annotations

import json
import os
import time

import pytest
from click.testing import CliRunner

from pipeline import batch
from pipeline.cli import main
from pipeline.config import Settings
from pipeline.store import Store

NO_EXTRACT = Settings(extract=False)
GOOD = ("# Policy\n\nWe will publish a risk report for every frontier model.\n\n"
        "- Don't use our services to build weapons.\n")


def _folder(tmp_path, files: dict[str, bytes | str]):
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def test_bad_files_are_recorded_and_the_batch_goes_on(tmp_path, store):
    folder = _folder(tmp_path, {
        "a-good.md": GOOD,
        "b-empty.txt": "",
        "c-garbage.txt": bytes(range(256)) * 20,
        "d-broken.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog",
        "e-nav-only.html": "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "z-good.txt": "The lab will publish its evaluations within 30 days.",
    })
    os.symlink(folder / "loop.md", folder / "loop.md")  # a link to itself
    summary = batch.ingest([folder], store, NO_EXTRACT)
    assert len(summary.ingested) == 2
    errors = {os.path.basename(f.path): f.error for f in summary.failed}
    assert errors == {"b-empty.txt": "EmptyDocument", "c-garbage.txt": "UnsupportedFormat",
                      "d-broken.pdf": "CorruptFile", "e-nav-only.html": "NoMainContent",
                      "loop.md": "UnreadableFile"}
    for failure in summary.failed:
        assert failure.path in failure.message and len(failure.message) > len(failure.path) + 20
    stored = store.frame("SELECT error, path FROM failures")
    assert len(stored) == 5
    assert summary.exit_code == 1


def test_file_deleted_during_the_run(tmp_path, store):
    folder = _folder(tmp_path, {"a.md": GOOD, "b.md": GOOD + "\nSecond.", "c.md": GOOD + "\nThird."})

    def delete_next(path):
        if path.endswith("a.md") and (folder / "c.md").exists():
            (folder / "c.md").unlink()

    summary = batch.ingest([folder], store, NO_EXTRACT, progress=delete_next)
    assert [os.path.basename(p) for p in summary.ingested] == ["a.md", "b.md"]
    assert [f.error for f in summary.failed] == ["UnreadableFile"]


def test_unchanged_files_are_skipped_and_changes_become_versions(tmp_path, store):
    folder = _folder(tmp_path, {"policy.md": GOOD})
    first = batch.ingest([folder], store, NO_EXTRACT)
    again = batch.ingest([folder], store, NO_EXTRACT)
    assert (len(first.ingested), len(again.ingested), len(again.unchanged)) == (1, 0, 1)
    (folder / "policy.md").write_text(GOOD.replace("every", "each"), encoding="utf-8")
    changed = batch.ingest([folder], store, NO_EXTRACT)
    assert len(changed.ingested) == 1
    rows = store.frame("SELECT is_current, text FROM documents ORDER BY id")
    assert rows["is_current"].tolist() == [0, 1]
    assert "every" in rows["text"][0] and "each" in rows["text"][1]
    forced = batch.ingest([folder], store, Settings(extract=False, force=True))
    assert len(forced.ingested) == 1
    assert store.frame("SELECT count(*) AS n FROM documents")["n"][0] == 2


def test_a_failing_save_leaves_no_partial_document(tmp_path, store, monkeypatch):
    folder = _folder(tmp_path, {"a.md": GOOD})
    batch.ingest([folder], store, NO_EXTRACT)
    (folder / "a.md").write_text(GOOD + "\nA new sentence.", encoding="utf-8")
    original = store.conn.executemany

    def explode(sql, rows):
        if "INSERT INTO sentences" in sql:
            raise RuntimeError("disk full")
        return original(sql, rows)

    monkeypatch.setattr(store, "conn", _Proxy(store.conn, executemany=explode))
    with pytest.raises(RuntimeError):
        batch.ingest([folder], store, NO_EXTRACT)
    monkeypatch.undo()
    docs = store.frame("SELECT id, is_current FROM documents")
    assert docs["is_current"].tolist() == [1]  # the earlier version is still current and whole
    assert store.frame("SELECT count(*) AS n FROM sentences")["n"][0] == 3


class _Proxy:
    def __init__(self, conn, **overrides):
        self._conn, self._overrides = conn, overrides

    def __getattr__(self, name):
        return self._overrides.get(name) or getattr(self._conn, name)


def test_five_thousand_small_files(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(5000):
        (folder / f"note-{i:05d}.txt").write_text(f"Note {i}: the lab will publish report number {i}.")
    started = time.perf_counter()
    with Store(tmp_path / "many.db") as db:
        summary = batch.ingest([folder], db, NO_EXTRACT)
        assert len(summary.ingested) == 5000 and not summary.failed
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = batch.ingest([folder], db, NO_EXTRACT)
        rerun = time.perf_counter() - started
    assert len(again.unchanged) == 5000
    assert first < 120 and rerun < 15, (first, rerun)


def test_cli_ingest_exit_codes_and_document_rows(tmp_path):
    folder = _folder(tmp_path, {"openai-usage-policies-2024-01-10.md": "# Usage policies\n\n" + GOOD})
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(folder), "--db", db, "--no-extract"])
    assert result.exit_code == 0, result.output
    assert "ingested" in result.output and "1" in result.output
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    result = runner.invoke(main, ["ingest", str(folder), "--db", db, "--no-extract"])
    assert result.exit_code == 1 and "broken.pdf" in result.output and "CorruptFile" in result.output
    result = runner.invoke(main, ["query", "documents", "--db", db, "--format", "jsonl"])
    row = json.loads(result.output.splitlines()[0])
    for key in ("document_path", "title", "publisher", "date", "kind", "version", "sha256", "pages",
                "sentences"):
        assert key in row
    assert (row["publisher"], row["date"], row["kind"], row["sentences"]) == ("OpenAI",
                                                                              "2024-01-10", "policy", 4)
    failures = runner.invoke(main, ["query", "failures", "--db", db, "--format", "csv"])
    assert "broken.pdf" in failures.output
    assert runner.invoke(main, ["ingest", str(folder), "--db", db, "--jobs", "0"]).exit_code == 2


def test_parallel_jobs_store_the_same_documents(tmp_path):
    folder = _folder(tmp_path, {f"doc-{i}.md": GOOD + f"\nNumber {i}." for i in range(6)})
    results = []
    for jobs in (1, 2):
        with Store(tmp_path / f"jobs{jobs}.db") as db:
            batch.ingest([folder], db, Settings(extract=False, jobs=jobs))
            results.append(db.frame("SELECT d.path, s.idx, s.text, s.start FROM sentences s JOIN documents d "
                                    "ON d.id = s.document_id ORDER BY d.path, s.idx").values.tolist())
    assert results[0] == results[1]
