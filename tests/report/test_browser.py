"""The HTML report in a real browser: headless Chromium loads it with no console message (no script
error, no blocked request, no refused script) and renders it; a screenshot is kept beside the test's files."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import SAMPLE

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(BROWSER is None,
                                reason="Chromium is not installed (.ci/run installs Debian's 'chromium' "
                                       "package; 'apt-get install chromium' here)")


def _console(page, *extra: str) -> str:
    """Chromium's console messages while it loads ``page`` (its log on stderr, level INFO and up)."""
    result = subprocess.run([BROWSER, "--headless=new", "--no-sandbox", "--disable-gpu",
                             "--enable-logging=stderr",
                             "--v=0", *extra, page.as_uri()], capture_output=True, text=True, timeout=120)
    return "\n".join(line for line in result.stderr.splitlines() if ":CONSOLE" in line)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    assert CliRunner().invoke(main, ["ingest", str(SAMPLE), "--db", str(folder / "gt.db")]).exit_code == 0
    page = folder / "report.html"
    result = CliRunner().invoke(main,
                                ["report", "--db", str(folder / "gt.db"), "--format", "html",
                                 "-o", str(page)])
    assert result.exit_code == 0, result.output
    return page


def test_the_report_loads_without_a_console_message_and_renders(report):
    screenshot = report.with_name("report.png")
    assert _console(report, f"--screenshot={screenshot}", "--window-size=1200,1600") == ""
    assert screenshot.is_file() and screenshot.stat().st_size > 20_000  # kept as the test's artifact


def test_a_script_the_policy_does_not_admit_is_refused_and_logged(report):
    """The check above can fail: the same page with a wrong script hash logs the refusal."""
    tampered = report.with_name("tampered.html")
    tampered.write_text(re.sub(r"script-src 'sha256-[^']*'", "script-src 'sha256-AAAA'", report.read_text()),
                        encoding="utf-8")
    assert "Content Security Policy" in _console(tampered, "--dump-dom")
