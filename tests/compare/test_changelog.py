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


def test_a_version_date_line_and_a_page_footer_are_no_entries(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("April 7, 2026 (Safety Framework v2.0)\n\nRenamed the framework to Safety Framework.\n\n"
                     "Safety Framework | 17\n\nMarch 3, 2026: shortened the review cadence to six months.\n",
                     encoding="utf-8")
    assert changelog.entries([], notes) == ["Renamed the framework to Safety Framework.",
                                            "March 3, 2026: shortened the review cadence to six months."]


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


def test_an_entry_that_fits_many_shifts_is_generic_and_announces_none():
    log = ["Updated the security policy.", "Lengthened the review cadence of the board charter to yearly."]
    shifts = [_change(f"The security policy covers {what}.") for what in
              ("laptops", "phones", "servers", "model weights", "visitors")]
    audited = changelog.audit(shifts + [_change("The board charter is reviewed yearly.")], log)
    # the first entry fits all five security shifts, more than GENERIC_FLOOR: it names none of them
    assert [c.announced for c in audited] == [False] * 5 + [True]
    assert audited[-1].changelog_entry == log[1]
    # the reader is told which line fits and why it does not count
    assert "“Updated the security policy.” fits it and 4 other shifts, too general" in audited[0].reason
    assert "too general" not in audited[-1].reason
    # the same entry, fitting only as many shifts as GENERIC_FLOOR, still announces them
    few = changelog.audit(shifts[:changelog.GENERIC_FLOOR], log)
    assert all(c.announced and c.changelog_entry == log[0] for c in few)


def test_without_a_changelog_nothing_is_audited():
    assert changelog.audit([_change("We will publish results.")], [])[0].announced is None


def _versions(folder):
    folder.mkdir()
    (folder / "lab-policy-2024-01-01.md").write_text(
        "# Policy\n\n- We will publish a report within 30 days.\n- We will protect model weights.\n",
        encoding="utf-8")
    (folder / "lab-policy-2025-01-01.md").write_text(
        "# Policy\n\n- We will publish a report within 90 days.\n- We will protect model weights.\n"
        "- We will commission an external audit every year.\n", encoding="utf-8")
    log = folder / "CHANGELOG.md"
    log.write_text("# Changes\n\n- Added an external audit every year.\n", encoding="utf-8")
    return log


def _audited(store):
    from pipeline.compare import compare_series

    [step] = compare_series(store, "lab-policy")
    return {c.shift: (c.announced, c.changelog_entry) for c in step.changes}


def test_the_companion_changelog_is_stored_at_ingest_and_audited_after_the_file_is_gone(tmp_path, store):
    from pipeline import batch
    from pipeline.config import Settings

    log = _versions(tmp_path / "docs")
    batch.ingest([tmp_path / "docs"], store, Settings())
    newer = max(store.documents(), key=lambda d: d.date or "")
    assert [c.name for c in newer.changelogs] == ["CHANGELOG.md"]
    log.unlink()
    assert _audited(store) == {"added": (True, "Added an external audit every year."),
                               "weakened": (False, None)}


def test_a_document_stored_before_changelogs_were_kept_reads_the_file_or_says_it_is_gone(
        tmp_path, store, caplog):
    import logging

    from pipeline import batch
    from pipeline.config import Settings

    log = _versions(tmp_path / "docs")
    batch.ingest([tmp_path / "docs"], store, Settings())
    store.conn.execute("UPDATE documents SET changelogs = NULL")  # as migration 009 leaves older rows
    assert _audited(store)["added"] == (True, "Added an external audit every year.")  # read from beside it
    log.unlink()
    (tmp_path / "docs" / "lab-policy-2025-01-01.md").unlink()
    with caplog.at_level(logging.WARNING, logger="pipeline.compare.changelog"):
        assert _audited(store) == {"added": (None, None), "weakened": (None, None)}  # nothing to audit
    assert "stored before companion changelogs were kept and is no longer on disk" in caplog.text
