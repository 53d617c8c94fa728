"""Deadlines as dates: relative deadlines counted from the document's own date, dates as written."""

from __future__ import annotations

import pytest

from pipeline.dates import resolve_deadline


@pytest.mark.parametrize("text, anchor, due", [
    ("Within 270 days of the date of this order, the Secretary shall act.", "2023-10-30", "2024-07-26"),
    ("within 90 days of the date of this order", "2023-10-30", "2024-01-28"),
    ("no later than 12 months after the date of this memorandum", "2024-01-31", "2025-01-31"),
    ("within two weeks of its publication", "2024-03-01", "2024-03-15"),
    ("The codes shall be ready by the end of 2027.", None, "2027-12-31"),
    ("Providers shall report by 2 August 2025.", None, "2025-08-02"),
    ("Agencies shall report by March 2026.", None, "2026-03-31"),
    ("by the end of fiscal year 2025", None, "2025-09-30"),
])
def test_deadlines_resolve_to_dates(text, anchor, due):
    assert resolve_deadline(text, anchor)[1] == due


@pytest.mark.parametrize("text, anchor", [
    ("no later than 12 months after entry into force", "2024-03-13"),  # the event's date is not in the text
    ("within two weeks after the threshold is met", "2024-03-13"),
    ("within 90 days of the date of this order", "2023"),  # a year alone cannot anchor a count of days
])
def test_deadlines_counted_from_another_event_keep_the_phrase_without_a_date(text, anchor):
    phrase, due, basis = resolve_deadline(text, anchor)
    assert phrase is not None and due is None and basis is None


def test_no_deadline():
    assert resolve_deadline("Providers shall keep records.", "2024-01-01") == (None, None, None)
