"""Queries from the CLI and from pandas, over findings stored from hand-built records."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.query import find
from pipeline.records import Claim, Commitment, Document, Evidence, Extraction, Metric, Sentence
from pipeline.store import Store

TEXT = ("Anthropic is valued at $965 billion. We will never train unsafe models. "
        "Clark said the window is closing.")


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "q.db"
    sentences = [Sentence(0, TEXT[:36], 0, 36, page=2), Sentence(1, TEXT[37:71], 37, 71, page=2),
                 Sentence(2, TEXT[72:], 72, len(TEXT), page=3)]
    extraction = Extraction(
        metrics=(Metric(Evidence(0, 23, 35, 2), "$965 billion", 965e9, "currency", currency="USD",
                        subject="valuation", entity="Anthropic", topics=("finance_valuation_ipo",)),),
        commitments=(Commitment(Evidence(1, 37, 71, 2), "Anthropic", TEXT[37:71], "never train unsafe models",
                                "prohibition", 3, modal="will", polarity="negative",
                                topics=("scaling_policy_safeguards",)),),
        claims=(Claim(Evidence(2, 72, len(TEXT), 3), "Jack Clark", "the window is closing", False, cue="say",
                      claim_type="forecast"),),
    )
    for name, date in (("a.md", "2026-05-14"), ("b.md", "2023-01-01")):
        document = Document(path=f"/x/{name}", sha256=name, format="markdown", text=TEXT,
                            publisher="Anthropic", date=date, kind="news")
        with Store(path) as store:
            store.save_document(document, sentences, extraction)
    return str(path)


def _jsonl(*args):
    result = CliRunner().invoke(main, ["query", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_jsonl_rows_carry_provenance_and_fields(db):
    metric = _jsonl("metrics", "--db", db, "--format", "jsonl")[0]
    for key in ("document_path", "sentence", "page", "start", "end", "topics", "value", "unit", "currency",
                "time_unit", "qualifier", "subject", "entity", "time", "is_forecast"):
        assert key in metric
    assert (metric["value"], metric["start"], metric["end"], metric["page"]) == (965e9, 23, 35, 2)
    assert TEXT[metric["start"]:metric["end"]] == "$965 billion"
    commitment = _jsonl("commitments", "--db", db, "--format", "jsonl")[0]
    for key in ("actor", "text", "kind", "strength", "polarity", "condition", "deadline", "status"):
        assert key in commitment
    claim = _jsonl("claims", "--db", db, "--format", "jsonl")[0]
    for key in ("speaker", "text", "quoted", "certainty", "claim_type"):
        assert key in claim


def test_filters(db):
    assert len(_jsonl("commitments", "--db", db, "--format", "jsonl", "--actor", "Anthropic PBC")) == 2
    assert _jsonl("commitments", "--db", db, "--format", "jsonl", "--actor", "OpenAI") == []
    assert len(_jsonl("metrics", "--db", db, "--format", "jsonl", "--topic", "finance_valuation_ipo")) == 2
    assert len(_jsonl("metrics", "--db", db, "--format", "jsonl", "--since", "2026-01-01")) == 1
    assert len(_jsonl("metrics", "--db", db, "--format", "jsonl", "--until", "2023-12")) == 1
    assert len(_jsonl("claims", "--db", db, "--format", "jsonl", "--search", "window")) == 2
    assert _jsonl("claims", "--db", db, "--format", "jsonl", "--search", "valued") == []
    assert len(_jsonl("commitments", "--db", db, "--format", "jsonl", "--kind", "prohibition")) == 2
    assert len(_jsonl("metrics", "--db", db, "--format", "jsonl", "--unit", "currency")) == 2
    assert _jsonl("metrics", "--db", db, "--format", "jsonl", "--unit", "percent") == []
    assert len(_jsonl("claims", "--db", db, "--format", "jsonl", "--claim-type", "forecast")) == 2
    wrong = CliRunner().invoke(main, ["query", "metrics", "--db", db, "--kind", "currency"])
    assert wrong.exit_code == 2 and "use --unit" in wrong.output


def test_csv_parquet_and_pandas(db, tmp_path):
    csv = CliRunner().invoke(main, ["query", "claims", "--db", db, "--format", "csv"]).output
    assert csv.splitlines()[0].startswith("document_path,")
    out = tmp_path / "m.parquet"
    assert CliRunner().invoke(main,
                              ["query", "metrics", "--db", db, "--format", "parquet", "-o",
                               str(out)]).exit_code == 0
    assert pd.read_parquet(out)["value"].tolist() == [965e9, 965e9]
    with Store(db) as store:
        frame = find(store, "commitments", actor="Anthropic")
    assert isinstance(frame, pd.DataFrame) and frame["polarity"].tolist() == ["negative", "negative"]


def test_bad_search_syntax_is_a_clear_error(db):
    result = CliRunner().invoke(main, ["query", "claims", "--db", db, "--search", '"unbalanced'])
    assert result.exit_code == 2 and "search" in result.output
    result = CliRunner().invoke(main, ["query", "claims", "--db", db, "--search", "pause NEAR/5 labs"])
    assert result.exit_code == 2 and 'syntax error near "/"' in result.output
    assert "NEAR(word1 word2, 5)" in result.output
    assert "SELECT" not in result.output  # no SQL in the message


def test_like_wildcards_in_an_actor_are_literal(db):
    for wildcard in ("%", "_", "A%"):
        result = CliRunner().invoke(main,
                                    ["query", "commitments", "--db", db, "--actor", wildcard,
                                     "--format", "jsonl"])
        assert result.exit_code == 2, wildcard
        assert "unknown actor" in result.output and "never train" not in result.output, wildcard


def test_unknown_topic_or_actor_is_an_error_naming_the_closest(db):
    result = CliRunner().invoke(main, ["query", "commitments", "--db", db, "--topic", "scaling"])
    assert result.exit_code == 2 and "closest: scaling_policy_safeguards (2)" in result.output
    result = CliRunner().invoke(main, ["report", "--db", db, "--actor", "Antropic"])
    assert result.exit_code == 2 and "closest: Anthropic" in result.output
    result = CliRunner().invoke(main,
                                ["query", "commitments", "--db", db, "--actor", "anthropic",
                                 "--format", "jsonl"])
    assert result.exit_code == 0 and len(result.output.splitlines()) == 2  # aliases and case still resolve


def test_topics_and_actors_list_what_exists_with_counts(db):
    topics = CliRunner().invoke(main, ["topics", "--db", db])
    assert topics.exit_code == 0
    counted = dict(reversed(line.split()) for line in topics.output.splitlines())
    assert counted["scaling_policy_safeguards"] == "2" and counted["finance_valuation_ipo"] == "2"
    assert counted["military_use"] == "0"  # every topic the model knows is listed
    actors = CliRunner().invoke(main, ["actors", "--db", db])
    assert actors.exit_code == 0 and actors.output.split()[:2] == ["4", "Anthropic"]


def test_due_dates_and_document_filters(tmp_path):
    path = tmp_path / "due.db"
    text = "Agencies shall report. The Office shall publish."
    sentences = [Sentence(0, text[:22], 0, 22, page=1), Sentence(1, text[23:], 23, len(text), page=2)]
    extraction = Extraction(commitments=(
        Commitment(Evidence(0, 0, 22, 1), "Agencies", text[:22], "report", "pledge", 3,
                   deadline="within 90 days", deadline_date="2024-01-28"),
        Commitment(Evidence(1, 23, len(text), 2), "Office", text[23:], "publish", "pledge", 3,
                   deadline="within 270 days", deadline_date="2024-07-26")))
    with Store(path) as store:
        for name in ("order.pdf", "other.pdf"):
            store.save_document(Document(path=f"/x/{name}", sha256=name, format="pdf", text=text),
                                sentences, extraction)

    def rows(*args):
        result = CliRunner().invoke(main,
                                    ["query", "commitments", "--db", str(path), "--format", "jsonl", *args])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.output.splitlines()]

    assert [r["actor"] for r in rows("--due-before", "2024-03-01")] == ["Agencies", "Agencies"]
    assert [r["actor"] for r in rows("--due-after", "2024-03-01", "--document", "order.pdf")] == ["Office"]
    bad = CliRunner().invoke(main, ["query", "commitments", "--db", str(path), "--due-before", "2024-13-45"])
    assert bad.exit_code == 2 and "is not a date" in bad.output
