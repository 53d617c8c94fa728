"""Metric extraction: normalised values, qualifiers, subject, entity, time, forecasts, non-metrics."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, value, unit, extra", [
    ("More than 80 percent of merged code is written by the model.", 80.0, "percent",
     {"qualifier": "more_than"}),
    ("Usage grew to 80% of all requests.", 80.0, "percent", {}),
    ("The lab is valued at $965 billion.", 965e9, "currency", {"currency": "USD"}),
    ("Investors put it at one trillion dollars.", 1e12, "currency", {"currency": "USD"}),
    ("The fund holds €2.5 billion.", 2.5e9, "currency", {"currency": "EUR"}),
    ("Engineers ship eight times as much code.", 8.0, "multiplier", {}),
    ("Compute grew fourfold last year.", 4.0, "multiplier", {}),
    ("They asked for a six-month pause.", 6.0, "duration", {"time_unit": "month"}),
    ("Models trained with more than 10^26 operations must be reported.", 1e26, "flop",
     {"qualifier": "more_than"}),
    ("The run used 3e24 FLOP in total.", 3e24, "flop", {}),
    ("It has 70 billion parameters.", 70e9, "parameters", {}),
    ("It was trained on 15 trillion tokens.", 15e12, "tokens", {}),
    ("Twelve countries signed; 12 countries is the quorum.", 12.0, "count", {}),
    ("Adoption reached roughly 40 percent.", 40.0, "percent", {"qualifier": "approximately"}),
    ("Scores of 60 percent or higher are expected.", 60.0, "percent", {"qualifier": "at_least"}),
    ("Up to 30 percent of jobs could change.", 30.0, "percent", {"qualifier": "up_to"}),
    # numbers as laws print them
    ("Fines reach 35 000 000 EUR for the worst breaches.", 35e6, "currency", {"currency": "EUR"}),
    ("A fine of EUR 7 500 000 may be imposed.", 7.5e6, "currency", {"currency": "EUR"}),
    ("Fines of up to 1 % of turnover apply.", 1.0, "percent", {"qualifier": "up_to"}),
    ("Serving it costs $700k/day.", 7e5, "currency", {"currency": "USD", "time_unit": "day"}),
    ("Clusters joined by networking of over 100 Gbit/s must be reported.", 1e11, "bit_per_second",
     {"qualifier": "more_than"}),
    ("Clusters with a capacity of 10^20 integer or floating-point operations per second are covered.", 1e20,
     "flop_per_second", {}),
    ("A model is presumed risky when its training compute measured in FLOPs is greater than 10^25.",
     1e25, "flop", {"qualifier": "more_than"}),
    ("Models trained using more than 10^26 integer or floating-point operations are covered.",
     1e26, "flop", {}),
    ("The agency will fund four new research institutes.", 4.0, "count", {}),
    ("It enters into force on the twentieth day following its publication.", 20.0, "duration",
     {"time_unit": "day"}),
    ("Reports are due within five business days.", 5.0, "duration", {"time_unit": "day"}),
    ("The framework sets at least one systemic risk tier.", 1.0, "count", {"qualifier": "at_least"}),
])
def test_values_units_and_qualifiers(run, text, value, unit, extra):
    metrics = run(text, include=["metrics"]).metrics
    match = [m for m in metrics if m.value == pytest.approx(value) and m.unit == unit]
    assert match, [(m.text, m.value, m.unit) for m in metrics]
    for field, expected in extra.items():
        assert getattr(match[0], field) == expected


@pytest.mark.parametrize("text", [
    "The policy took effect in 2025.",
    "See Section 4.2 of the order.",
    "Version 3.0 replaces version 2.1.",
    "GPT-4 and Claude 3 were compared.",
    "Call 202-555-0143 for details.",
    "Executive Order 14110 was signed on October 30, 2023.",
    "The provider shall act as set out in paragraph 4 of this Article.",
    "Signatories report as specified in Measure 3.2 and pursuant to Commitment 5.",
    "See recital 110 and point 1 of Annex III.",
    "Earlier work (531, 1, 532) measured the effect.",
    "Ethics 42, 193-213 (2023) reviewed it.",
    "859. A. Cavoukian, Privacy by design: The 7 foundational principles. (2009).",
    "D. Soldaini, K. Lo, Dolma: an Open Corpus of Three Trillion Tokens for Pretraining, arXiv:2402.00159 "
    "(2024).",
    "Ports are controlled with IEEE 802.1X authentication.",
    "Where they depart from the measures in Appendices 4.1 to 4.5, they record why.",
])
def test_non_metrics(run, text):
    assert run(text, include=["metrics"]).metrics == ()


def test_change_over_time_links_two_values_and_resolves_times(run):
    metrics = run("Its score climbed from approximately 2 percent in late 2023 to 93.9 percent this spring.",
                  include=["metrics"]).metrics
    assert [(m.value, m.time) for m in metrics] == [(2.0, "2023-12"), (93.9, "2026")]
    assert metrics[1].change_from == 0 and metrics[0].qualifier == "approximately"


def test_forecast_with_target_date_and_subject(run):
    text = ("The authors forecast that AI systems could handle 60 percent or higher of the work of "
            "a research team by the end of 2028.")
    metric = run(text, include=["metrics"]).metrics[0]
    assert metric.is_forecast and metric.time == "2028-12-31" and metric.qualifier == "at_least"
    assert "work of a research team" in metric.subject


def test_as_of_month_resolved_against_document_date(run):
    metric = run("Claude wrote more than 80 percent of the code merged into Anthropic's codebase as of May.",
                 include=["metrics"]).metrics[0]
    assert metric.time == "2026-05" and metric.entity == "Anthropic" and "code" in metric.subject


def test_evidence_span_recovers_the_surface_text(run):
    text = "# Money\n\nThe lab was valued at $965 billion last month."
    extraction = run(text, include=["metrics"])
    metric = extraction.metrics[0]
    assert text[metric.evidence.start:metric.evidence.end] == metric.text == "$965 billion"
