"""The benchmark runs on a tiny corpus and reports ratios from two real measurements."""

from __future__ import annotations

import re

from click.testing import CliRunner

from pipeline.bench import Measurement, replicate
from pipeline.cli import main
from tests.conftest import SAMPLE


def test_replication_makes_distinct_copies(tmp_path):
    copies, words, skipped = replicate(SAMPLE, tmp_path, 3000)
    texts = [p.read_bytes() for p in copies if p.suffix == ".md"]
    assert words >= 3000 and len(set(texts)) == len(texts) and skipped == []


def test_replication_leaves_out_what_ingest_could_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "policy.md").write_text("# Policy\n\nWe will publish a safety report every year.\n")
    (corpus / "changes.csv").write_text("id,outcome\n1,W\n")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n%%EOF")
    copies, words, skipped = replicate(corpus, tmp_path / "copies", 50)
    assert {p.name for p in copies} == {"policy.md"} and words >= 50
    assert sorted(line.split(":")[0].rsplit("/", 1)[-1] for line in skipped) == ["broken.pdf", "changes.csv"]


def test_bench_command_reports_rates_and_ratio(tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    (empty / "coding.csv").write_text("id,outcome\n1,W\n")  # nothing readable: left out, named
    result = CliRunner().invoke(main, ["bench", str(SAMPLE), "--extra", str(empty), "--words", "3000",
                                       "--jobs", "1", "--rerun-files", "200"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith(("naive:", "govtrace,"))]
    assert len(rows) == 3 and "no parse cache" in rows[1]
    naive_seconds, naive_ratio = float(rows[0].split()[-3]), rows[0].split()[-1]
    ours_seconds, ratio = float(rows[1].split()[-3]), float(re.search(r"([\d.]+)x$", rows[1]).group(1))
    assert naive_ratio == "1.00x" and naive_seconds > 0 and ours_seconds > 0
    # the seconds are printed to 0.1 s, so the ratio they imply is known only within that rounding
    low = (naive_seconds - 0.05) / (ours_seconds + 0.05)
    high = (naive_seconds + 0.05) / max(ours_seconds - 0.05, 1e-9)
    assert low - 0.01 <= ratio <= high + 0.01
    assert "re-run of 200" in result.output and "peak memory" in result.output
    assert "--jobs 1:" in result.output
    assert "left out, unreadable (1): " in result.output and "coding.csv" in result.output
    pdf = re.search(r"pdfplumber ([\d,.]+) pages/s, govtrace ([\d,.]+) pages/s", result.output)
    assert pdf and float(pdf.group(1).replace(",", "")) > 0 and float(pdf.group(2).replace(",", "")) > 0


def test_measurement_rate():
    assert Measurement("x", 2.0, 1000).words_per_second == 500.0
