"""The CLI through click's runner: every command has help with an example."""

from __future__ import annotations

import click
from click.testing import CliRunner

from pipeline.cli import main


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    names = list(_commands(main))
    assert {"ingest", "query", "extract"} <= {n[0] for n, _ in names}
    for name, command in names:
        result = runner.invoke(main, [*name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, f"{' '.join(name)} --help has no example"


def test_usage_error_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["ingest", str(tmp_path)])  # --db missing
    assert result.exit_code == 2
