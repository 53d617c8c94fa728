"""Reports: self-contained, escaped HTML; Markdown and JSON that parse; the CLI writes them."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from pipeline import report as reports
from pipeline.cli import main
from pipeline.store import Store

OLD = ("# Policy\n\nUpdated January 10, 2024\n\n- We will publish a risk report within 30 days.\n"
       "- We will never sell weights.\n")
NEW = ("# Policy\n\nUpdated 10 March 2025\n\n- We will publish a risk report within 90 days.\n"
       "- We will audit <script>alert(1)</script> and <img src=x onerror=alert(2)> every year.\n")


def _db(tmp_path, new=NEW):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "lab-policy-2024-01-10.md").write_text(OLD, encoding="utf-8")
    (folder / "lab-policy-2025-03-10.md").write_text(new, encoding="utf-8")
    db = str(tmp_path / "r.db")
    assert CliRunner().invoke(main, ["ingest", str(folder), "--db", db]).exit_code == 0
    return db


def test_html_report_is_self_contained_and_escapes_document_text(tmp_path):
    db = _db(tmp_path)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", db, "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<ins>" in page and "<del>" in page  # changed words highlighted
    assert ">weakened<" in page or "weakened</span>" in page


def test_markdown_and_json_reports(tmp_path):
    db = _db(tmp_path)
    runner = CliRunner()
    data = json.loads(runner.invoke(main, ["compare", "lab-policy-2024-01-10.md", "lab-policy-2025-03-10.md",
                                           "--db", db, "--format", "json"]).output)
    shifts = sorted(c["shift"] for step in data["comparisons"] for c in step["changes"])
    assert shifts == ["added", "removed", "weakened"]
    removed = [c for step in data["comparisons"] for c in step["changes"] if c["shift"] == "removed"][0]
    assert removed["important"] and "never sell weights" in removed["old_text"]
    md = runner.invoke(main, ["compare", "--series", "lab-policy", "--db", db, "--format", "md"]).output
    assert "**weakened**" in md and "30 → 90" in md
    assert runner.invoke(main, ["series", "--db", db]).output.startswith("lab-policy:")


def test_unknown_document_is_a_clear_error(tmp_path):
    db = _db(tmp_path)
    result = CliRunner().invoke(main, ["compare", "nope.md", "lab-policy-2025-03-10.md", "--db", db])
    assert result.exit_code == 2 and "nope.md" in result.output


HOSTILE = ("# Policy\n\nUpdated 10 March 2025\n\n- We will publish a risk report within 90 days.\n"
           "- We will audit <script>alert(1)</script>, <iframe src=//evil.example/x></iframe> and "
           "[our logs](javascript:alert(3)) with ![pixel](https://evil.example/p.png) every year.\n")


def test_markdown_report_leaves_document_html_links_and_images_inert(tmp_path):
    db = _db(tmp_path, HOSTILE)
    runner = CliRunner()
    md = runner.invoke(main, ["compare", "--series", "lab-policy", "--db", db, "--format", "md"]).output
    assert "audit" in md  # the hostile sentence is reported ...
    for raw in ("<script", "<iframe", "](javascript:", "![", "](https://", "://evil"):
        assert raw not in md, raw  # ... but nothing in it can run, fetch or link
    assert "&lt;script&gt;" in md
    refused = runner.invoke(main, ["report", "--db", db, "--format", "md", "--actor", "<b>x</b>"])
    assert refused.exit_code == 2 and "unknown actor" in refused.output  # no report for an actor nobody names
    with Store(db, read_only=True) as store:  # and a title made from it would be inert
        report = reports.render(reports.build_report(store, actor="<b>x</b>"), "md")
    assert "<b>" not in report and "&lt;b&gt;" in report


def test_html_report_has_contents_and_filters_whose_one_script_the_policy_admits(tmp_path):
    import base64
    import hashlib

    db = _db(tmp_path)
    out = tmp_path / "report.html"
    assert CliRunner().invoke(main, ["report", "--db", db, "--format", "html", "-o", str(out)]).exit_code == 0
    page = out.read_text()
    anchors = re.findall(r'<a href="#(series-[^"]+)"', page)
    assert anchors and all(f'id="{anchor}"' in page for anchor in anchors)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode("ascii")
    # the Content-Security-Policy runs this script and no other
    assert f"script-src 'sha256-{digest}'" in page
    cards = re.findall(r'<div class="change[^"]*"[^>]*data-shift="(\w+)"', page)
    assert cards and set(cards) <= set(re.findall(r'<input type="checkbox" value="(\w+)"', page))


def test_an_html_report_without_output_goes_to_a_named_file_not_the_terminal(tmp_path, monkeypatch):
    db = _db(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report", "--db", db])
    assert result.exit_code == 0 and result.output.strip() == "wrote govtrace-report.html"
    assert (tmp_path / "govtrace-report.html").read_text().startswith("<!DOCTYPE html>")
