"""Bad settings files stop a command before any work with exit 2 and the key to fix; odd sidecar
author fields are read as names, never letters, and never crash the batch."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.errors import ConfigError
from tests.conftest import REPO


@pytest.mark.parametrize("content, message", [
    ("jobs = 2\n[broken", "cannot read settings"),
    ("colour = 'blue'\n", "unknown setting 'colour'"),
    ('jobs = "two"\n', "'jobs' must be a whole number"),
    ('extract = "no"\n', "'extract' must be true or false"),
    ("timeout_seconds = 'soon'\n", "'timeout_seconds' must be a number"),
    ("actor_files = 'one.json'\n", "'actor_files' must be a list of file paths"),
])
def test_a_bad_settings_file_names_the_key_and_exits_2(tmp_path, content, message):
    config = tmp_path / "settings.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(config)
    result = CliRunner().invoke(main,
                                ["--config", str(config), "ingest", str(tmp_path), "--db",
                                 str(tmp_path / "x.db")])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.db").exists()


def test_a_settings_file_that_is_not_utf8_or_missing_is_a_clear_error(tmp_path):
    config = tmp_path / "latin.toml"
    config.write_bytes("# r\xe9glages\njobs = 2\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_settings(config)
    with pytest.raises(ConfigError, match="cannot read settings"):
        load_settings(tmp_path / "missing.toml")


def test_good_values_keep_their_types(tmp_path):
    config = tmp_path / "settings.toml"
    config.write_text("jobs = 2\nextract = false\ntimeout_seconds = 30\nactor_files = ['a.json']\n",
                      encoding="utf-8")
    settings = load_settings(config)
    assert (settings.jobs, settings.extract, settings.timeout_seconds) == (2, False, 30.0)
    assert [p.name for p in settings.actor_files] == ["a.json"]


@pytest.mark.parametrize("authors, expected", [
    ("Jane Doe", ["Jane Doe"]), ("Jane Doe; Li Wei", ["Jane Doe", "Li Wei"]), (["Jane Doe", 5], ["Jane Doe"]),
    (5, []), ({"name": "x"}, []),
])
def test_sidecar_authors_are_names(tmp_path, authors, expected):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.txt").write_text("We will publish our evaluation results every year.\n", encoding="utf-8")
    (folder / "note.txt.meta.json").write_text(json.dumps({"authors": authors, "publisher": "Acme"}),
                                               encoding="utf-8")
    db = tmp_path / "gt.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--no-extract"])
    assert result.exit_code == 0, result.output
    (stored, publisher), = sqlite3.connect(db).execute("SELECT authors, publisher FROM documents")
    assert json.loads(stored) == expected and publisher == "Acme"


def test_every_sidecar_and_manifest_field_is_kept(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "order.txt").write_text("Agencies shall report within 90 days of the date of this order.\n",
                                      encoding="utf-8")
    (folder / "order.txt.meta.json").write_text(json.dumps({
        "url": "https://example.org/order", "publisher": "Example Office", "docket": "EO-1",
        "pages_cited": [3, 4],
    }), encoding="utf-8")
    (folder / "manifest.csv").write_text("file,docket,licence\norder.txt,IGNORED,CC BY 4.0\n",
                                         encoding="utf-8")
    db = tmp_path / "gt.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--no-extract"])
    assert result.exit_code == 0, result.output
    (url, extra), = sqlite3.connect(db).execute("SELECT source_url, extra FROM documents")
    assert url == "https://example.org/order"
    assert json.loads(extra) == {"docket": "EO-1", "pages_cited": [3, 4], "licence": "CC BY 4.0"}


@pytest.mark.parametrize("content, message", [
    ('spacy_model = "en_core_web_xx_missing"', "spaCy model 'en_core_web_xx_missing' is not installed"),
    ('parse_cache = -5', "setting 'parse_cache' is -5"),
    ('blas = "fast"', "blas = 'fast' is not one of"),
    ('models_dir = "no/such/folder"', "models_dir 'no/such/folder' is not a folder"),
    ('actor_files = ["missing-actors.json"]', "actor file 'missing-actors.json' does not exist"),
])
def test_a_run_that_cannot_work_stops_once_before_any_file(tmp_path, content, message):
    config = tmp_path / "settings.toml"
    config.write_text(content + "\n", encoding="utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("We will publish our evaluation results every year.\n", encoding="utf-8")
    result = CliRunner().invoke(main,
                                ["--config", str(config), "ingest", str(folder), "--db",
                                 str(tmp_path / "g.db")])
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "g.db").exists()


def test_a_broken_rule_file_is_named(tmp_path):
    import shutil

    models = tmp_path / "models"
    shutil.copytree(REPO / "models", models)
    (models / "document_kinds.json").write_text("{ not json", encoding="utf-8")
    config = tmp_path / "settings.toml"
    config.write_text(f'models_dir = "{models.as_posix()}"\n', encoding="utf-8")
    result = CliRunner().invoke(main,
                                ["--config", str(config), "ingest", str(tmp_path), "--db",
                                 str(tmp_path / "g.db")])
    assert result.exit_code == 2 and "document_kinds.json: cannot read this rule file" in result.output
