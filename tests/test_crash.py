"""Crash safety: SIGKILL an ingest at random points, run again; two ingests on one database at once."""

from __future__ import annotations

import os
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
            f"- Don't use our services to build weapon {i}.\n- Providers shall report run {i}.\n",
            encoding="utf-8")


def _state(db):
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = conn.execute("SELECT path, sha256,"
                            " (SELECT count(*) FROM sentences s WHERE s.document_id = d.id),"
                            " (SELECT count(*) FROM commitments c WHERE c.document_id = d.id)"
                            " FROM documents d").fetchall()
        duplicates = conn.execute("SELECT count(*) FROM (SELECT path, sha256 FROM documents GROUP BY 1, 2 "
                                  "HAVING count(*) > 1)").fetchone()[0]
    finally:
        conn.close()
    return sorted(docs), duplicates


def _stored(db) -> int:
    """Documents committed so far, read beside a running writer (0 while the file is being created)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # no file or no table yet, or a migration holds the lock
        return 0


@pytest.mark.slow
def test_kill_at_random_points_then_finish(tmp_path):
    folder = tmp_path / "docs"
    _corpus(folder, 240)
    clean = str(tmp_path / "clean.db")
    subprocess.run([*CLI, "ingest", str(folder), "--db", clean], check=True, capture_output=True)
    expected, _ = _state(clean)
    db = str(tmp_path / "killed.db")
    rng = random.Random(14110)
    partial_seen = False
    # kill once a random number of documents is stored, plus a random few milliseconds, so that the
    # kill lands mid-run (process start-up is most of a run over small files, so a kill at a
    # fraction of the clean run's time could land before the first document)
    for target in sorted(rng.sample(range(20, 200), 3)):
        process = subprocess.Popen([*CLI, "ingest", str(folder), "--db", db], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while process.poll() is None and _stored(db) < target and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.02))
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
    runs = [subprocess.Popen([*CLI, "ingest", str(folder), "--db", db, "--no-extract"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    docs, duplicates = _state(db)
    assert len(docs) == 60 and duplicates == 0


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:  # field 4 of stat, the parent id
                found.add(int(entry))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_a_parallel_ingest_leaves_no_worker_and_marks_the_run_interrupted(tmp_path):
    folder = tmp_path / "docs"
    _corpus(folder, 400)
    db = str(tmp_path / "gt.db")
    process = subprocess.Popen([*CLI, "ingest", str(folder), "--db", db, "--jobs", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while process.poll() is None and _stored(db) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = _children(process.pid)
    assert process.poll() is None and workers, "the run ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{w}") and _state_of(w) != "Z"
              for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if os.path.exists(f"/proc/{w}")
                and _state_of(w) != "Z"], "workers outlived the run"
    subprocess.run([*CLI, "ingest", str(folder), "--db", db, "--no-extract"], check=True, capture_output=True)
    statuses = [r[0] for r in sqlite3.connect(db).execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "finished"]


def _state_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
