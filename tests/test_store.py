"""Store round trip, migrations and full-text search."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace

import pytest

from pipeline.config import Settings
from pipeline.errors import StoreError
from pipeline.records import (
    Change,
    Changelog,
    Claim,
    Commitment,
    CommitmentEvent,
    Document,
    Evidence,
    Extraction,
    Metric,
    Sentence,
    StoredLink,
)
from pipeline.store import Store

from .conftest import SAMPLE


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


def _metric(sentence: Sentence, entity: str | None, value: float) -> Metric:
    evidence = Evidence(sentence_index=sentence.index, start=sentence.start, end=sentence.end)
    return Metric(evidence=evidence, text=f"{value:g} percent", value=value, unit="percent", entity=entity)


def test_findings_come_back_as_records_with_their_document_and_sentence(store):
    doc, sentences = _document()
    first = store.save_document(doc, sentences, Extraction(metrics=(_metric(sentences[1], "Anthropic", 80),)))
    newer = replace(doc, sha256="def", date="2026-03-01")
    second = store.save_document(newer, sentences, Extraction(metrics=(
        _metric(sentences[1], "Anthropic; OpenAI", 90), _metric(sentences[0], "Anthropic PBC", 70),
        _metric(sentences[0], None, 5))))
    found = store.findings(Metric)
    assert [(f.document.id, f.finding.value) for f in found] == [(first, 80), (second, 90), (second, 70),
                                                                  (second, 5)]
    assert found[0].finding == store.extraction(first).metrics[0]
    assert found[0].sentence == store.sentences(first)[1] and found[0].document == store.document(first)
    assert found[0].id is not None and len({f.id for f in found}) == 4
    # only the current version: the newer one
    assert [f.finding.value for f in store.findings(Metric, current_only=True)] == [90, 70, 5]
    # the actor as a whole value or as one of several joined names, an alias only as a whole value
    assert [f.finding.value for f in store.findings(Metric, actor="OpenAI")] == [90]
    assert [f.finding.value for f in store.findings(Metric, actor="Anthropic")] == [80, 90, 70]
    escaped = store.findings(Metric, actor="Anthropic_", aliases=("Anthropic",))  # '_' is no wildcard
    assert [f.finding.value for f in escaped] == [80]
    assert store.findings(Commitment) == []


def test_actors_are_listed_by_their_number_of_commitments(store):
    doc, sentences = _document()

    def pledge(actor):
        return Commitment(evidence=Evidence(0, 0, 25), actor=actor, text="x", action="x", kind="pledge",
                          strength=3)

    store.save_document(doc, sentences, Extraction(commitments=(
        pledge("OpenAI"), pledge("Anthropic"), pledge("Anthropic"), pledge(None))))
    assert store.actors() == ["Anthropic", "OpenAI"]
    assert store.actors(limit=1) == ["Anthropic"]


def test_stored_shifts_come_back_as_records_with_their_versions(store):
    doc, sentences = _document()
    old_id = store.save_document(doc, sentences)
    new_id = store.save_document(replace(doc, sha256="def"), sentences)
    old, new = store.document(old_id), store.document(new_id)
    change = Change(shift="weakened", item_type="commitment", reason="will → may", old_text="We will.",
                    new_text="We may.", old_document=old.path, new_document=new.path, old_page=1,
                    topics=("pause",), confidence=0.9, old_sentences=(0,), new_sentences=(0, 1),
                    announced=False)
    store.save_comparison("policy", old, new, [change])
    [stored] = store.shifts()
    assert stored.change == change
    assert (stored.old, stored.new, stored.series, stored.rank) == (old, new, "policy", 0)
    assert stored.key and stored.id is not None and stored.first_seen


def test_a_documents_changelogs_round_trip_and_an_older_row_reads_as_not_looked_for(store):
    doc, sentences = _document()
    kept = store.save_document(replace(doc, changelogs=(Changelog("CHANGELOG.md", "- Added audits.\n"),)),
                               sentences)
    assert store.document(kept).changelogs == (Changelog("CHANGELOG.md", "- Added audits.\n"),)
    none = store.save_document(replace(doc, sha256="def"), sentences)
    assert store.document(none).changelogs == ()
    # a document stored before migration 009
    store.conn.execute("UPDATE documents SET changelogs = NULL WHERE id = ?", (none,))
    assert store.document(none).changelogs is None


def test_links_come_back_as_records_with_the_news_event_and_the_policy_shift(tmp_path):
    from pipeline.batch import ingest
    from pipeline.compare import refresh_shifts
    from pipeline.compare.links import MIN_SCORE, link_events

    settings = Settings()
    with Store(tmp_path / "sample.db") as store:
        ingest([SAMPLE], store, settings)
        refresh_shifts(store, settings=settings)
        stored = link_events(store, settings=settings)
        links = store.links()
        assert stored == len(links) > 0 and all(isinstance(link, StoredLink) for link in links)
        assert [link.id for link in links] == sorted(link.id for link in links if link.id is not None)
        # the news report that Anthropic dropped its pledge, linked to the passage removed from the policy
        [dropped] = [link for link in links if link.event.finding.event_type == "dropped"]
        event, shift = dropped.event, dropped.shift
        assert event.finding.actor == "Anthropic"
        assert "never train an AI system" in (event.finding.target or "")
        assert event.document.path.endswith("policywatch-2026-02-25-rsp-overhaul.md")
        assert event.document.date == "2026-02-25" and event.document.kind == "news"
        assert "scrapping its commitment to never train an AI system" in event.sentence.text
        assert (shift.change.shift, shift.change.item_type) == ("removed", "commitment")
        assert shift.change.old_text and shift.change.old_text.startswith(
            "- We will not train or deploy models capable of causing catastrophic harm unless")
        assert shift.change.new_text is None
        assert (shift.old.path.rsplit("/", 1)[-1], shift.new.path.rsplit("/", 1)[-1]) == (
            "anthropic-rsp-v2.0-2024-10-15.md", "anthropic-rsp-v3.0-2026-02-24.html")
        assert shift.new.publisher == "Anthropic" and shift.series == "anthropic-rsp"
        assert MIN_SCORE <= dropped.score <= 1
        # the same event and shift that the store's other readers return
        assert event in store.findings(CommitmentEvent) and shift in store.shifts()
        # each event's links best first
        for link, after in zip(links, links[1:], strict=False):
            if link.event.id == after.event.id:
                assert link.score >= after.score
        data = dropped.to_dict()
        assert data["score"] == dropped.score and data["shift"]["key"] == shift.key
        assert data["event"]["finding"]["event_type"] == "dropped"

