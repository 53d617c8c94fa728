"""Every command the README shows runs against the sample corpus, so the README cannot drift from the code."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from tests.conftest import REPO, SHARED

CLI = [sys.executable, "-c", "import sys; from pipeline.cli import main; sys.exit(main())"]


def _readme_commands() -> list[str]:
    """The '$G ...' lines of the README's 'Using it' block, without their comments."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## Using it"):]
    block = block[block.index("```sh"):block.index("```\n", block.index("```sh") + 5)]
    return [shlex.join(shlex.split(line.removeprefix("$G "), comments=True))
            for line in block.splitlines() if line.startswith("$G ")]


COMMANDS = _readme_commands()
# long runs with their own tests: the quality gates and the trainers (tests/test_evaluate*.py,
# tests/compare/test_frontier_cli.py); here they only have to parse
GATES = ("evaluate", "train", "train-shifts")


def test_the_readme_shows_commands():
    assert len(COMMANDS) >= 20 and COMMANDS[0].startswith("ingest corpora/sample")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    result = subprocess.run([*CLI,
                             *shlex.split(COMMANDS[0].replace("corpora/sample",
                                                              str(REPO / "corpora/sample")))],
                            cwd=folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    return folder


@pytest.mark.parametrize("command", COMMANDS[1:])
def test_every_readme_command_runs(command, workdir):
    args = shlex.split(command.replace("corpora/sample", str(REPO / "corpora/sample")))
    if args[0] in GATES:
        if "../shared" in command and not SHARED.is_dir():
            pytest.skip("../shared/corpora is not present (a fresh clone has none)")
        args = [args[0], "--help"]
    result = subprocess.run([*CLI, *args], cwd=workdir, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command}\n{result.stderr}{result.stdout}"
    assert not re.search(r"Traceback|error:", result.stderr + result.stdout), command
