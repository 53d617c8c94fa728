"""Companion changelogs are read beside a document at ingest and kept with it."""

from __future__ import annotations

import logging

from pipeline.config import Settings
from pipeline.ingest import read
from pipeline.ingest.changelogs import companion_changelogs
from pipeline.records import Changelog


def test_the_changelogs_beside_a_document_are_read_with_it_in_companion_order(tmp_path):
    policy = tmp_path / "policy-v2.md"
    policy.write_text("# Policy\n\nWe will publish a report every year.\n", encoding="utf-8")
    (tmp_path / "CHANGES.md").write_text("- Renamed the review board.\n", encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_bytes(b"- Added a yearly audit \xff of model security.\n")
    (tmp_path / "NOTES.md").write_text("- Not a changelog name.\n", encoding="utf-8")
    document = read(policy, Settings()).document
    assert [c.name for c in document.changelogs] == ["CHANGELOG.md", "CHANGES.md"]
    assert document.changelogs[0].text == "- Added a yearly audit \ufffd of model security.\n"  # bad byte
    assert document.changelogs[1] == Changelog("CHANGES.md", "- Renamed the review board.\n")


def test_a_document_alone_has_none_and_a_changelog_is_not_its_own(tmp_path):
    policy = tmp_path / "policy.md"
    policy.write_text("# Policy\n\nWe will publish a report.\n", encoding="utf-8")
    assert read(policy, Settings()).document.changelogs == ()
    log = tmp_path / "CHANGELOG.md"
    log.write_text("- Added a yearly audit of model security.\n", encoding="utf-8")
    assert companion_changelogs(log) == ()


def test_a_changelog_over_the_size_limit_is_left_out_with_a_warning(tmp_path, caplog):
    policy = tmp_path / "policy.md"
    policy.write_text("# Policy\n", encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text("- " + "word " * 100 + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest.changelogs"):
        assert companion_changelogs(policy, max_size=100) == ()
    assert "over the limit of 100 bytes" in caplog.text
