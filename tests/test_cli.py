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
    for name, _command in names:
        result = runner.invoke(main, [*name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, f"{' '.join(name)} --help has no example"


def test_usage_error_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["ingest", str(tmp_path)])  # --db missing
    assert result.exit_code == 2


def test_ingest_parse_cache_option_reaches_the_run(tmp_path, monkeypatch):
    """--parse-cache 0 turns the cache off; the findings are the same either way."""
    import sqlite3

    from pipeline import batch

    seen = []
    original = batch.ingest
    monkeypatch.setattr(batch, "ingest", lambda paths, store, settings, **kw: (
        seen.append(settings.parse_cache), original(paths, store, settings, **kw))[1])
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.txt").write_text("Anthropic will publish 3 reports by 2027. It said the tests cost $2 "
                                     "million.")
    counts = []
    for flag in (["--parse-cache", "0"], []):
        db = tmp_path / f"gt{len(counts)}.db"
        result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), *flag])
        assert result.exit_code == 0, result.output
        with sqlite3.connect(db) as conn:
            counts.append([conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                           for t in ("metrics", "commitments")])
    assert seen == [0, 10_000] and counts[0] == counts[1] and all(counts[0])
