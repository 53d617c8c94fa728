"""Crash safety: SIGKILL an ingest at random points, run again; two ingests on one database at once."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

CLI = [sys.executable, "-c", "import sys; from pipeline.cli import main; sys.exit(main())"]


def _corpus(folder, count):
    folder.mkdir()
    for i in range(count):
        (folder / f"policy-{i:04d}.md").write_text(
            f"# Policy {i}\n\nWe will publish report {i} within {i % 90 + 1} days.\n\n"
            f"- Don't use our services to build weapon {i}.\n- Providers shall report run {i}.\n", encoding="utf-8")


def _state(db):
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = conn.execute("SELECT path, sha256, (SELECT count(*) FROM sentences s WHERE s.document_id = d.id), "
                            "(SELECT count(*) FROM commitments c WHERE c.document_id = d.id) FROM documents d").fetchall()
        duplicates = conn.execute("SELECT count(*) FROM (SELECT path, sha256 FROM documents GROUP BY 1, 2 "
                                  "HAVING count(*) > 1)").fetchone()[0]
    finally:
        conn.close()
    return sorted(docs), duplicates


@pytest.mark.slow
def test_kill_at_random_points_then_finish(tmp_path):
    folder = tmp_path / "docs"
    _corpus(folder, 240)
    clean = str(tmp_path / "clean.db")
    started = time.perf_counter()
    subprocess.run([*CLI, "ingest", str(folder), "--db", clean], check=True, capture_output=True)
    duration = time.perf_counter() - started
    expected, _ = _state(clean)
    db = str(tmp_path / "killed.db")
    rng = random.Random(14110)
    partial_seen = False
    for delay in sorted(rng.uniform(0.35, 0.6) * duration for _ in range(3)):
        process = subprocess.Popen([*CLI, "ingest", str(folder), "--db", db], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        docs, duplicates = _state(db)
        assert duplicates == 0
        # every stored document is whole: all its sentences and findings, as in the clean run
        whole = {d[0]: d for d in expected}
        assert all(doc == whole[doc[0]] for doc in docs)
        partial_seen = partial_seen or 0 < len(docs) < len(expected)
    assert partial_seen, "no kill landed mid-run; the test proved nothing"
    subprocess.run([*CLI, "ingest", str(folder), "--db", db], check=True, capture_output=True)
    assert _state(db) == (expected, 0)


@pytest.mark.slow
def test_two_ingests_on_one_database_at_once(tmp_path):
    folder = tmp_path / "docs"
    _corpus(folder, 60)
    db = str(tmp_path / "shared.db")
    runs = [subprocess.Popen([*CLI, "ingest", str(folder), "--db", db, "--no-extract"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    docs, duplicates = _state(db)
    assert len(docs) == 60 and duplicates == 0
