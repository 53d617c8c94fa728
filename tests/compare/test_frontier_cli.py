"""End to end through the CLI on a small coded revision set written here: compare with a named
changelog, the ranked report, evaluate --frontier beside difflib, and train-shifts."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from pipeline.cli import main

OLD = """[[page 1]]

## 1. Evaluations

We will evaluate every frontier model for cyber offence capabilities before deployment.
We will publish a summary of each evaluation within 30 days.
Our security team reviews access to model weights every quarter.

Acme Safety Framework 1

[[page 2]]

## 2. Governance

We will pause training if a model crosses a critical threshold.
Acme Safety Framework 2

[[page 3]]

## 3. Outside review

We share evaluation results with government institutes before release.
Acme Safety Framework 3
"""

NEW = """[[page 1]]

## 1. Evaluations

We will evaluate every frontier model for cyber offence capabilities before deployment.
We may publish a summary of some evaluations when practical.
Our security team reviews access to model weights every quarter.

Acme Safety Framework 1

[[page 2]]

## 2. Governance

We will commission an independent audit of this framework every year.
Acme Safety Framework 2

[[page 3]]

## 3. Outside review

We share evaluation results with government institutes before release.
Acme Safety Framework 3
"""

NOTES = "# Revision notes\n\n- Added a yearly independent audit of the framework.\n"


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coded")
    (folder / "texts").mkdir()
    (folder / "changelogs").mkdir()
    (folder / "texts" / "acme-framework-v1-2025-01-01.txt").write_text(OLD, encoding="utf-8")
    (folder / "texts" / "acme-framework-v2-2026-01-01.txt").write_text(NEW, encoding="utf-8")
    (folder / "changelogs" / "acme-v2.md").write_text(NOTES, encoding="utf-8")
    for name in ("acme-framework-v1-2025-01-01.txt", "acme-framework-v2-2026-01-01.txt"):
        (folder / "texts" / f"{name}.meta.json").write_text(json.dumps(
            {"title": "Acme Safety Framework", "publisher": "Acme", "kind": "policy"}), encoding="utf-8")
    with open(folder / "pair_documents.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pair_id", "provider", "old_text", "new_text", "changelog"])
        writer.writerow(["ACME-1", "Acme", "texts/acme-framework-v1-2025-01-01.txt",
                         "texts/acme-framework-v2-2026-01-01.txt", "changelogs/acme-v2.md"])
    rows = [("ACME-1-001", "W", "yes", "SIL", "We will publish a summary of each evaluation within 30 days.",
             "We may publish a summary of some evaluations when practical."),
            ("ACME-1-002", "X", "yes", "SIL",
             "We will pause training if a model crosses a critical threshold.", "NONE"),
            ("ACME-1-003", "A", "yes", "ANN", "NONE",
             "We will commission an independent audit of this framework every year."),
            ("ACME-1-004", "R", "no", "NA",
             "We will evaluate every frontier model for cyber offence capabilities",
             "We will evaluate every frontier model for cyber offence capabilities")]
    with open(folder / "changes.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pair_id", "commitment_id", "ADJ_outcome", "ADJ_material",
                         "ADJ_announcement", "v_i_text", "v_next_text", "category"])
        writer.writerows([("ACME-1", *row, "EC6") for row in rows])
    return folder


def test_compare_ranks_the_dropped_and_weakened_commitments_first(coded, tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "gt.db")
    assert runner.invoke(main, ["ingest", str(coded / "texts"), "--db", db]).exit_code == 0
    out = tmp_path / "shifts.json"
    result = runner.invoke(main, ["compare", "acme-framework-v1-2025-01-01.txt",
                                  "acme-framework-v2-2026-01-01.txt",
                                  "--db", db, "--format", "json", "-o", str(out),
                                  "--changelog", str(coded / "changelogs" / "acme-v2.md")])
    assert result.exit_code == 0, result.output
    changes = json.loads(out.read_text())["comparisons"][0]["changes"]
    kinds = {(c["shift"], (c["old_text"] or c["new_text"])[:20]) for c in changes}
    assert ("weakened", "We will publish a su") in kinds
    assert ("removed", "We will pause traini") in kinds
    assert ("added", "We will commission a") in kinds
    assert all("Acme Safety Framework" not in (c["old_text"] or "") + (c["new_text"] or "") for c in changes)
    assert [c["shift"] for c in changes][:2] in (["removed", "weakened"], ["weakened", "removed"])
    added = next(c for c in changes if c["shift"] == "added")
    assert added["announced"] is True and "independent audit" in added["changelog_entry"]
    weakened = next(c for c in changes if c["shift"] == "weakened")
    assert weakened["announced"] is False and weakened["old_page"] == 1
    assert weakened["old_section"] == "1. Evaluations"
    assert 0.5 <= weakened["confidence"] <= 1.0 and weakened["reason"]
    page = tmp_path / "compare.html"
    assert runner.invoke(main, ["compare", "acme-framework-v1-2025-01-01.txt",
                                "acme-framework-v2-2026-01-01.txt",
                                "--db", db, "--format", "html", "-o", str(page),
                                "--changelog", str(coded / "changelogs" / "acme-v2.md")]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "confidence" in html and "not announced" in html and "independent audit" in html
    strict = runner.invoke(main, ["compare", "acme-framework-v1-2025-01-01.txt",
                                  "acme-framework-v2-2026-01-01.txt",
                                  "--db", db, "--format", "json", "--min-confidence", "1.0"])
    assert json.loads(strict.output)["comparisons"][0]["changes"] == []


def test_evaluate_frontier_scores_govtrace_beside_difflib(coded):
    result = CliRunner().invoke(main, ["evaluate", "--frontier", str(coded), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    ours, diff = figures["overall"]["govtrace"], figures["overall"]["difflib"]
    assert ours["material"] == 3 and diff["material"] == 3
    assert diff["per_class"]["W"]["recall"] == 0.0  # a line diff cannot say weakened
    assert set(figures["pairs"]) == {"ACME-1"}
    table = CliRunner().invoke(main, ["evaluate", "--frontier", str(coded)]).output
    assert table.splitlines()[0].split()[:3] == ["pair", "system", "macro-F1"] and "overall" in table


def test_train_shifts_writes_a_json_model(coded, tmp_path):
    out = tmp_path / "model.json"
    result = CliRunner().invoke(main, ["train-shifts", "--frontier", str(coded), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["trained_on"] == ["ACME-1"]


def test_a_folder_without_coding_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["evaluate", "--frontier", str(tmp_path)])
    assert result.exit_code != 0 and "pair_documents.csv" in result.output


def test_the_summary_leads_with_dropped_and_weakened_commitments_and_never_a_rewording():
    from pipeline.compare import rank
    from pipeline.records import Change
    from pipeline.report import summary

    def change(shift, confidence):
        return Change(shift=shift, item_type="commitment", reason="", old_text=shift, new_text=None,
                      confidence=confidence)

    ranked = rank([change("reworded", 0.99), change("added", 0.95), change("strengthened", 0.9),
                   change("weakened", 0.6), change("removed", 0.55), change("weakened", 0.8)])
    assert [(c.shift, c.confidence) for c in ranked][:3] == [("removed", 0.55), ("weakened", 0.8),
                                                             ("weakened", 0.6)]
    assert [c.shift for c in summary(ranked)] == ["removed", "weakened", "weakened", "strengthened", "added"]
