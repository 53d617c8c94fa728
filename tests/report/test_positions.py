"""The story a position timeline must tell: a pledge, its removal reported by the news, a conditional call."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from pipeline.cli import main

from ..conftest import SAMPLE


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    db = folder / "gt.db"
    result = CliRunner().invoke(main, ["ingest", str(SAMPLE), "--db", str(db)])
    assert result.exit_code in (0, 1), result.output
    return db


def _positions(db, fmt: str = "json", *extra: str) -> str:
    result = CliRunner().invoke(main, ["report", "--db", str(db), "--actor", "Anthropic", "--topic",
                                       "pause_moratorium", "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_pledge_its_removal_and_the_conditional_call_come_in_date_order(sample_db):
    entries = json.loads(_positions(sample_db))["timelines"]["Anthropic"]
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates)

    pledge = next(i for i, e in enumerate(entries)
                  if e["source"] == "own" and "not train or deploy" in e["text"])
    assert entries[pledge]["date"] == "2023-09-19" and "unless" in entries[pledge]["text"]
    assert entries[pledge]["versions"] == ["anthropic-rsp-v1.0-2023-09-19.pdf",
                                           "anthropic-rsp-v2.0-2024-10-15.md"]

    removal = next(i for i, e in enumerate(entries) if e["source"] == "revision" and e["kind"] == "removed"
                   and "not train or deploy" in e["text"])
    assert removal > pledge and entries[removal]["change"]
    assert entries[removal]["versions"] == ["anthropic-rsp-v2.0-2024-10-15.md",
                                            "anthropic-rsp-v3.0-2026-02-24.html"]
    # the news report of the dropped pledge is linked to the removed passage
    assert any(link.startswith("policywatch-2026-02-25-rsp-overhaul.md:") and "never train" in link
               for link in entries[removal]["linked"])

    call = next(i for i, e in enumerate(entries) if e["kind"] == "conditional" and e["condition"]
                and "other leading developers agree" in e["condition"])
    assert call > pledge


def test_the_same_story_reads_in_markdown_and_html(sample_db, tmp_path):
    markdown = _positions(sample_db, "md")
    story = markdown[markdown.index("## Positions: Anthropic"):]
    assert story.index("own: prohibition") < story.index("revision: removed")
    assert "reported in policywatch-2026-02-25-rsp-overhaul.md" in story
    out = tmp_path / "report.html"
    CliRunner().invoke(main, ["report", "--db", str(sample_db), "--actor", "Anthropic", "--topic",
                              "pause_moratorium", "--format", "html", "-o", str(out)])
    html = out.read_text(encoding="utf-8")
    assert "Positions: Anthropic" in html and "revision: removed" in html
    assert "reported in policywatch" in html
    assert "<svg" in html[html.index("Positions: Anthropic"):]


def test_a_timeline_lists_positions_not_every_statement(sample_db):
    result = CliRunner().invoke(main, ["report", "--db", str(sample_db), "--actor", "Anthropic",
                                       "--format", "json"])
    everything = json.loads(result.output)
    entries = everything["timelines"]["Anthropic"]
    texts = [e["text"] for e in entries if e["source"] == "own"]
    assert len(texts) == len(set(texts)), "a commitment repeated in every version is one position"
    assert all(e["topics"] for e in entries)


def test_the_real_story_from_the_news_and_the_policy_text(shared_corpora, tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    for path in [*(shared_corpora / "seeds").iterdir(),
                 *(shared_corpora / "frontier-frameworks").glob("anthropic-rsp-v[23].0-*")]:
        shutil.copy(path, folder / path.name)
    db = tmp_path / "story.db"
    assert CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)]).exit_code in (0, 1)
    entries = json.loads(_positions(db))["timelines"]["Anthropic"]
    removal = next(i for i, e in enumerate(entries) if e["source"] == "revision" and e["kind"] == "removed"
                   and "commitment not to train" in " ".join(e["text"].split()))
    assert entries[removal]["date"] == "2026-02-24"
    assert any("scrapping its central commitment" in link for link in entries[removal]["linked"])
    call = next(i for i, e in enumerate(entries) if e["source"] == "reported" and e["condition"]
                and "multiple well-resourced labs" in e["condition"])
    assert call > removal


def test_an_alias_from_the_users_actor_file_tells_the_same_story(sample_db, tmp_path):
    """A report for a name only the user's actor file knows reads the actor's own policies, shifts and
    news as the canonical name does (the gazetteer of the run's settings, not the shipped one)."""
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps({"actors": [{"name": "Anthropic", "type": "org",
                                            "aliases": ["Anthropic", "the Claude lab"]}]}), encoding="utf-8")
    config = tmp_path / "settings.toml"
    config.write_text(f'actor_files = ["{mine.as_posix()}"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "report", "--db", str(sample_db), "--actor",
                                       "the Claude lab", "--topic", "pause_moratorium", "--format", "json"])
    assert result.exit_code == 0, result.output
    by_alias = json.loads(result.output)["timelines"]["the Claude lab"]
    by_name = json.loads(_positions(sample_db))["timelines"]["Anthropic"]
    assert [(e["source"], e["kind"], e["text"]) for e in by_alias] == [
        (e["source"], e["kind"], e["text"]) for e in by_name]
    assert any(e["source"] == "own" for e in by_alias) and any(e["source"] == "revision" for e in by_alias)
