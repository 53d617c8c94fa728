"""Alignment and shift classification on statements built here, and on stored versions."""

from __future__ import annotations

import re

import pytest

from pipeline import batch
from pipeline.compare import compare_documents, corroborate, find_series, timeline
from pipeline.compare.align import Statement
from pipeline.compare.classify import classify
from pipeline.config import Settings


def s(text, strength=3, polarity="positive", kind="pledge", condition=None):
    return Statement(text=text, document="d", page=None, start=0, strength=strength, polarity=polarity,
                     condition=condition, kind=kind)


@pytest.mark.parametrize("old, new, expected", [
    (s("We will publish a report within 30 days."),
     s("We aim to publish a report within 30 days.", 2), "weakened"),
    (s("We may pause scaling.", 1), s("We will pause scaling.", 3), "strengthened"),
    (s("We will share results before deployment."), s("We will share results before deployment, unless it "
                                                      "reveals secrets.",
                                                      condition="unless it reveals secrets"), "weakened"),
    (s("We will publish within 30 days."), s("We will publish within 90 days."), "weakened"),
    (s("Access is limited to fewer than 500 staff."), s("Access is limited to fewer than 100 staff."),
     "strengthened"),
    (s("Report to the trust every quarter."), s("Report to the trust every six months."), "weakened"),
    (s("Engage in political campaigning or lobbying.", polarity="negative", kind="prohibition"),
     s("Engage in lobbying that relies on false information.", polarity="negative", kind="prohibition"),
     "weakened"),
    (s("Protect weights against criminal groups."),
     s("Protect weights against criminal groups and insider threats."), "strengthened"),
    (s("We will publish our evaluation results."),
     s("Our evaluation results will be made public by us."), "reworded"),
])
def test_shift_types(old, new, expected, rules):
    assert classify(old, new, rules)[0] == expected


@pytest.mark.parametrize("old, new", [
    ("- Don't use our services to harm others.", "3. Don’t use our services to harm others"),
    ("Updated September 15, 2025: we will report abuse.",
     "Updated 15 September 2025 — we will report abuse."),
    ("**Never** train unsafe models.", "Never train unsafe models."),
    ("b. Impersonating another person without consent", "Impersonating another person without consent"),
    ("See our [Sharing Policy](https://example.com/a) for research.",
     "See our [Sharing Policy\u2060](https://example.com/b/) for research."),
    ("Respect our safeguards** - don't circumvent them.",
     "Respect our safeguards**\u2014don't circumvent them."),
])
def test_cosmetic_edits_are_not_changes(old, new, rules):
    assert classify(s(old), s(new), rules) is None


@pytest.fixture()
def versions(tmp_path, store):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "acme-usage-policy-2024-01-10.md").write_text(
        "# Usage policy\n\nUpdated January 10, 2024\n\nDon't use our services to:\n\n- Develop or use "
        "weapons.\n"
        "- Engage in military and warfare activities.\n- Engage in political campaigning or lobbying.\n",
        encoding="utf-8")
    (folder / "acme-usage-policy-2025-01-29.md").write_text(
        "# Usage policy\n\nUpdated 29 January 2025\n\nDon't use our services to:\n\n1. Develop or use "
        "weapons\n2. Engage in lobbying that relies on false or misleading information.\n"
        "3. Create deceptive deepfakes of real people.\n", encoding="utf-8")
    batch.ingest([folder], store, Settings())
    return store


def test_versions_in_a_series_yield_real_shifts_and_no_cosmetic_ones(versions):
    series = find_series(versions)
    assert list(series) == ["acme-usage-policy"]
    old, new = series["acme-usage-policy"]
    changes = {(c.shift, re.sub(r"^(?:- |\d\. )", "", c.old_text or c.new_text)[:25])
               for c in compare_documents(versions, old, new)}
    assert changes == {("removed", "Engage in military and wa"), ("weakened", "Engage in political campa"),
                       ("added", "Create deceptive deepfake")}
    removed = [c for c in compare_documents(versions, old, new) if c.shift == "removed"][0]
    assert removed.important


def test_versions_of_one_date_are_ordered_by_name_not_by_storage_order(tmp_path):
    """Under --jobs 2 the file that finishes first is stored first; the series must not follow that."""
    from pipeline.store import Store

    folder = tmp_path / "docs"
    folder.mkdir()
    names = ("acme-policy-2025-01-01.md", "acme-policy-2025-01-01.txt", "acme-policy-2025-06-01.md")
    for name in names:
        (folder / name).write_text(f"# Policy\n\nWe will publish a report ({name[-5:]}).\n", encoding="utf-8")
    orders = []
    for order in (names, tuple(reversed(names))):
        with Store(tmp_path / f"{order[0]}.db") as store:
            for name in order:
                batch.ingest([folder / name], store, Settings())
            orders.append([d.path.rsplit("/", 1)[-1] for d in find_series(store)["acme-policy"]])
    assert orders[0] == orders[1] == list(names)


def test_corroboration_and_timeline(tmp_path, store):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "wire-2026-05-14.txt").write_text("Anthropic is valued at $965 billion after its latest "
                                                "round.\n")
    (folder / "paper-2026-05-15.txt").write_text("Anthropic is valued at approximately one trillion "
                                                 "dollars.\n"
                                                 "Anthropic said it plans to convene policymakers in the "
                                                 "coming months.\n")
    batch.ingest([folder], store, Settings())
    links = corroborate(store)
    assert len(links) == 1 and links[0].consistent and links[0].difference == pytest.approx(0.035)
    assert {(r.path.rsplit("/", 1)[-1], r.value) for r in links[0].reports} == {
        ("wire-2026-05-14.txt", 965e9), ("paper-2026-05-15.txt", 1e12)}
    entries = timeline(store, "Anthropic")
    assert [(p.source, p.kind, p.change) for p in entries] == [("reported", "plan", False)]


def test_metric_value_changes_between_versions(tmp_path, store):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "lab-report-2024-01-01.md").write_text("# Report\n\nOur models wrote 40 percent of merged "
                                                     "code this year.\n")
    (folder / "lab-report-2025-01-01.md").write_text("# Report\n\nOur models wrote 80 percent of merged "
                                                     "code this year.\n")
    batch.ingest([folder], store, Settings(extract=True))
    documents = sorted(store.documents(), key=lambda d: d.date)
    for d in documents:  # a report series is compared like a policy series
        store.conn.execute("UPDATE documents SET kind = 'policy' WHERE id = ?", (d.id,))
    old, new = find_series(store)["lab-report"]
    changes = [c for c in compare_documents(store, old, new) if c.shift == "value_changed"]
    assert [(c.old_value, c.new_value, c.item_type) for c in changes] == [(40.0, 80.0, "metric")]


def test_changelog_audit_lists_what_the_changelog_leaves_out(tmp_path, store):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "lab-policy-2024-01-01.md").write_text(
        "# Policy\n\n- We will publish a report within 30 days.\n- We will protect model weights.\n",
        encoding="utf-8")
    (folder / "lab-policy-2025-01-01.md").write_text(
        "# Policy\n\n- We will publish a report within 90 days.\n- We will protect model weights.\n"
        "- We will commission an external audit every year.\n\n## Changelog\n\n- Added an external audit.\n",
        encoding="utf-8")
    batch.ingest([folder], store, Settings())
    from pipeline.compare import compare_series

    step = compare_series(store, "lab-policy")[0]
    assert {c.shift for c in step.changes} == {"weakened", "added"}
    # the changelog names the audit, not the 30 → 90 days
    assert [c.shift for c in step.unmentioned] == ["weakened"]
