"""Shifts as data: stored at ingest, read through SQL views, Datasette, an Atom feed, a digest and a
workbook."""

from __future__ import annotations

import asyncio
import sqlite3
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import SAMPLE

ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("feed") / "gt.db"
    result = CliRunner().invoke(main, ["ingest", str(SAMPLE), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "new version in series 'anthropic-rsp'" in result.output and "govtrace compare" in result.output
    return db


def _count(db, sql):
    return sqlite3.connect(db).execute(sql).fetchone()[0]


def test_ingest_stores_every_pair_of_versions_and_its_shifts(sample_db):
    pairs = sqlite3.connect(sample_db).execute(
        "SELECT series, shifts FROM comparisons ORDER BY rowid").fetchall()
    assert [series for series, _ in pairs] == ["anthropic-rsp", "anthropic-rsp", "openai-usage-policies"]
    assert sum(n for _, n in pairs) == _count(sample_db, "SELECT count(*) FROM shifts") > 0
    removed = sqlite3.connect(sample_db).execute(
        "SELECT old_title, new_title, old_text FROM shifts_view WHERE shift = 'removed' LIMIT 1").fetchone()
    assert removed and all(removed)


def test_recomputing_keeps_each_shifts_key_and_first_seen(sample_db, tmp_path):
    before = dict(sqlite3.connect(sample_db).execute("SELECT key, first_seen FROM shifts"))
    result = CliRunner().invoke(main, ["extract", "--db", str(sample_db)])
    assert result.exit_code == 0 and "compared 3 pair(s)" in result.output
    assert dict(sqlite3.connect(sample_db).execute("SELECT key, first_seen FROM shifts")) == before


def test_views_join_findings_to_their_sentence_page_and_document(sample_db):
    row = sqlite3.connect(sample_db).execute(
        "SELECT document_title, sentence, actor, page FROM commitments_view"
        " WHERE actor = 'Anthropic' LIMIT 1").fetchone()
    assert row[0] and row[1] and row[2] == "Anthropic"
    for view in ("metrics_view", "claims_view", "events_view", "shifts_view"):
        assert _count(sample_db, f"SELECT count(*) FROM {view}") > 0, view


def test_datasette_serves_the_views(sample_db):
    from datasette.app import Datasette

    async def fetch():
        datasette = Datasette(files=[str(sample_db)], immutables=[])
        shifts = await datasette.client.get(f"/{sample_db.stem}/shifts_view.json?_shape=array&shift=weakened")
        commitments = await datasette.client.get(
            f"/{sample_db.stem}/commitments_view.json?_shape=array&_facet=actor&actor=OpenAI")
        return shifts, commitments

    shifts, commitments = asyncio.run(fetch())
    assert shifts.status_code == 200 and commitments.status_code == 200
    assert shifts.json() and {row["shift"] for row in shifts.json()} == {"weakened"}
    assert commitments.json() and all(row["actor"] == "OpenAI" and row["sentence"]
                                      for row in commitments.json())


def test_feed_is_atom_with_one_entry_per_shift_and_event_and_stable_ids(sample_db, tmp_path):
    feeds = []
    for name in ("a.atom", "b.atom"):
        result = CliRunner().invoke(main, ["feed", "--db", str(sample_db), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        feeds.append(ET.parse(tmp_path / name).getroot())
    entries = feeds[0].findall("a:entry", ATOM)
    assert len(entries) == _count(sample_db, "SELECT count(*) FROM shifts") + _count(sample_db,
                                                                                     "SELECT count(*) FROM "
                                                                                     "events")
    ids = [e.find("a:id", ATOM).text for e in entries]
    assert len(set(ids)) == len(ids) and ids == [e.find("a:id", ATOM).text
                                                 for e in feeds[1].findall("a:entry", ATOM)]
    shift = next(e for e in entries if e.find("a:id", ATOM).text.startswith("urn:govtrace:shift:"))
    content = shift.find("a:content", ATOM).text
    assert "Before:" in content and "After:" in content and "Where:" in content
    only = CliRunner().invoke(main, ["feed", "--db", str(sample_db), "--actor", "OpenAI"])
    authors = {n.text for n in ET.fromstring(only.output.encode()).iterfind("a:entry/a:author/a:name", ATOM)}
    assert authors == {"OpenAI"}


def test_digest_lists_whats_new_since_the_previous_ingest(sample_db):
    everything = CliRunner().invoke(main, ["digest", "--db", str(sample_db), "--since", "2000"])
    assert everything.exit_code == 0 and "## New shifts, most important first" in everything.output
    assert "anthropic-rsp-v3.0-2026-02-24.html" in everything.output
    nothing = CliRunner().invoke(main, ["digest", "--db", str(sample_db), "--since", "2999"])
    assert "0 new document(s) or version(s), 0 new shift(s)" in nothing.output


def test_workbook_and_xlsx_queries_read_back_with_pandas(sample_db, tmp_path):
    result = CliRunner().invoke(main, ["export", "--db", str(sample_db), "-o", str(tmp_path / "gt.xlsx")])
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(tmp_path / "gt.xlsx", sheet_name=None)
    assert len(sheets["shifts"]) == _count(sample_db, "SELECT count(*) FROM shifts")
    assert len(sheets["commitments"]) == _count(sample_db, "SELECT count(*) FROM commitments")
    assert sheets["commitments"]["topics"].dropna().str.contains("; |_").any()
    query = CliRunner().invoke(main, ["query", "metrics", "--db", str(sample_db), "--format", "xlsx",
                                      "-o", str(tmp_path / "m.xlsx")])
    assert query.exit_code == 0
    assert len(pd.read_excel(tmp_path / "m.xlsx")) == _count(sample_db, "SELECT count(*) FROM metrics")


def test_news_of_a_dropped_pledge_links_to_the_policy_passage_that_shows_it(sample_db):
    result = CliRunner().invoke(main, ["query", "links", "--db", str(sample_db), "--actor", "Anthropic",
                                       "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    import json

    links = [json.loads(line) for line in result.output.splitlines()]
    dropped = [link for link in links if link["event_type"] == "dropped"
               and "never train" in (link["target"] or "")]
    assert dropped and dropped[0]["shift"] == "removed" and "not train or deploy" in dropped[0]["old_text"]
    assert dropped[0]["old_document_path"].endswith("anthropic-rsp-v2.0-2024-10-15.md")
    feed = ET.fromstring(CliRunner().invoke(main, ["feed", "--db", str(sample_db)]).output.encode())
    contents = [e.find("a:content", ATOM).text for e in feed.findall("a:entry", ATOM)
                if e.find("a:id", ATOM).text.startswith("urn:govtrace:event:")]
    assert any("Shown in anthropic-rsp-v2.0-2024-10-15.md" in c and "not train or deploy" in c
               for c in contents)


def test_watch_ingests_new_versions_rewrites_the_feed_and_stops_cleanly_on_ctrl_c(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "watched"
    folder.mkdir()
    (folder / "acme-policy-v1.0-2025-01-01.md").write_text(
        "# Acme policy\n\nWe will publish our evaluation results within 30 days.\n", encoding="utf-8")
    db, feed = tmp_path / "gt.db", tmp_path / "shifts.atom"
    cli = [sys.executable, "-c", "import sys; from pipeline.cli import main; sys.exit(main())"]
    process = subprocess.Popen([*cli, "watch", str(folder), "--db", str(db), "-o", str(feed),
                                "--interval", "0.5"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not feed.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        (folder / "acme-policy-v2.0-2025-06-01.md").write_text(
            "# Acme policy\n\nWe aim to publish our evaluation results within 90 days.\n", encoding="utf-8")
        while time.monotonic() < deadline and sqlite3.connect(db).execute(
                "SELECT count(*) FROM shifts").fetchone()[0] == 0:
            time.sleep(0.3)
        time.sleep(1.5)  # the feed is rewritten right after the shifts are stored
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "new shifts" in out
    entries = ET.parse(feed).getroot().findall("a:entry", ATOM)
    assert any(e.find("a:id", ATOM).text.startswith("urn:govtrace:shift:") for e in entries)
    assert _count(db, "SELECT count(*) FROM runs WHERE status != 'finished'") == 0
