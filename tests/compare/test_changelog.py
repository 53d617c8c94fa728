"""Changelog audit: entries found in the text, a companion file or a named file; announced or not."""

from __future__ import annotations

from pipeline.compare import changelog
from pipeline.records import Change, Sentence


def test_entries_from_a_plain_text_changelog_section_and_a_file(tmp_path):
    new = [Sentence(index=0, text="We will evaluate every model.", start=0, end=29, section="3. Evaluation"),
           Sentence(index=1, text="Version 2.1 (March 2026)", start=30, end=54,
                    section="Past Updates and Changes"),
           Sentence(index=2, text="Introduced external red-teaming for cyber capabilities.",
                    start=55, end=110, section="Past Updates and Changes")]
    notes = tmp_path / "notes.md"
    notes.write_text("# What changed\n\n●\nLengthened the review cadence\nfrom quarterly to yearly.\n"
                     "○\nRemoved the dedicated incident hotline.\n", encoding="utf-8")
    found = changelog.entries(new, notes)
    assert "Introduced external red-teaming for cyber capabilities." in found
    assert "Lengthened the review cadence from quarterly to yearly." in found
    assert "Removed the dedicated incident hotline." in found
    assert not any("evaluate every model" in e for e in found)


def test_companion_changelog_beside_the_new_version(tmp_path):
    policy = tmp_path / "policy-v2.md"
    policy.write_text("# Policy\n", encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text("- Added a yearly external audit of model security.\n",
                                           encoding="utf-8")
    assert changelog.entries([], companion_of=policy) == ["Added a yearly external audit of model security."]


def _change(text: str, shift: str = "weakened") -> Change:
    return Change(shift=shift, item_type="commitment", reason="", old_text=None, new_text=text)


def test_a_shift_is_announced_by_the_entry_about_it_and_silent_otherwise():
    log = ["Lengthened the review cadence of the security policy from quarterly to yearly.",
           "Introduced external red-teaming for cyber capabilities."]
    audited = changelog.audit([_change("The security policy is reviewed yearly."),
                               _change("Staff may report concerns to the board.")], log)
    assert audited[0].announced is True and "cadence" in audited[0].changelog_entry
    assert audited[1].announced is False and audited[1].changelog_entry is None


def test_without_a_changelog_nothing_is_audited():
    assert changelog.audit([_change("We will publish results.")], [])[0].announced is None
