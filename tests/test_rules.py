"""One Rules object read from the models folder the settings name: a rule changed in a copied
``models/`` changes what every stage that applies it finds, and a wrong key is refused by file and key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.compare.align import Statement
from pipeline.compare.classify import classify
from pipeline.config import SHIPPED_MODELS, load_settings
from pipeline.errors import ConfigError
from pipeline.extract import extract_document
from pipeline.ingest import read
from pipeline.ingest.text import markdown_blocks
from pipeline.nlp import split_sentences
from pipeline.records import Document, ParsedDocument
from pipeline.rules import load_rules, rules_for


def _changed(folder: Path, name: str, change) -> None:
    path = folder / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def own_settings(tmp_path_factory):
    """Settings read from a settings file whose models_dir is a copy of models/ with one rule changed
    per rule file."""
    root = tmp_path_factory.mktemp("own-rules")
    models = root / "models"
    shutil.copytree(SHIPPED_MODELS, models)
    _changed(models, "metrics.json", lambda d: d["currencies"].update({"zorkmids": "ZRK"}))
    # a cue verb is listed by its lemma, and the forms the cheap pass looks for beside it
    _changed(models, "claim_cues.json",
             lambda d: (d["cue_verbs"].append("squawk"), d["cue_forms"].append("squawked")))
    _changed(models, "modals.json", lambda d: d["verbs"].update({"swear": 3}))
    _changed(models, "events.json", lambda d: d["verbs"].update({"shelve": "dropped"}))
    _changed(models, "compare_words.json", lambda d: d["function_words"].append("promptly"))
    _changed(models, "document_kinds.json", lambda d: d["kinds"].insert(0, ["news", ["bulletin"]]))
    _changed(models, "actors.json", lambda d: d["actors"].append(
        {"name": "Zeta Labs", "type": "org", "aliases": ["Zeta"]}))
    config = root / "settings.toml"
    config.write_text(f'models_dir = "{models.as_posix()}"\n', encoding="utf-8")
    return load_settings(config)


def _extract(text: str, settings, *, kind: str = "news"):
    document = Document(path="/t/own.md", sha256="own", format="markdown", text=text, kind=kind,
                        date="2026-03-01")
    sentences = split_sentences(ParsedDocument(document, tuple(markdown_blocks(text))))
    return extract_document(document, sentences, settings)


def test_a_currency_added_to_the_lexicon_is_found_after_a_number(settings, own_settings, nlp):
    text = "Zeta Labs raised 40 million zorkmids from its investors last year."
    assert not any(m.currency == "ZRK" for m in _extract(text, settings).metrics)
    found = [m for m in _extract(text, own_settings).metrics if m.unit == "currency"]
    assert [(m.value, m.currency) for m in found] == [(40e6, "ZRK")]


def test_a_cue_verb_added_makes_a_reported_claim(settings, own_settings, nlp):
    text = "OpenAI squawked that the new model is safe to release."
    assert not _extract(text, settings).claims
    claims = _extract(text, own_settings).claims
    assert [(c.speaker, c.cue) for c in claims] == [("OpenAI", "squawk")]


def test_a_commitment_verb_added_binds(settings, own_settings, nlp):
    text = "We swear to publish every evaluation before release."
    assert not _extract(text, settings, kind="policy").commitments
    found = _extract(text, own_settings, kind="policy").commitments
    assert [(c.strength, c.modal) for c in found] == [(3, "swear")]


def test_an_event_verb_added_acts_on_a_commitment(settings, own_settings, nlp):
    text = "Anthropic shelved its pledge to pause training."
    assert not _extract(text, settings).events
    assert [e.event_type for e in _extract(text, own_settings).events] == ["dropped"]


def test_an_actor_added_to_the_gazetteer_is_resolved(settings, own_settings):
    assert rules_for(settings).actors.resolve("Zeta") is None
    assert rules_for(own_settings).actors.resolve("Zeta") == "Zeta Labs"


def test_a_kind_word_added_sets_the_kind_at_ingest(tmp_path, settings, own_settings):
    path = tmp_path / "zeta-bulletin-2026-03-01.txt"
    path.write_text("Zeta Labs will publish its framework.\n", encoding="utf-8")
    assert read(path, settings).document.kind != "news"
    assert read(path, own_settings, kinds=rules_for(own_settings).document_kinds).document.kind == "news"


def test_a_function_word_added_is_ignored_by_the_comparator(settings, own_settings):
    old = Statement("We will publish the results.", "a", None, 0)
    new = Statement("We will promptly publish the results.", "b", None, 0)
    assert classify(old, new, rules_for(settings))[0] == "strengthened"  # scope widened: adds "promptly"
    assert classify(old, new, rules_for(own_settings)) == ("reworded", "same commitment in other words")


def test_a_modal_scale_change_is_read_by_the_comparator_too(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(SHIPPED_MODELS, models)
    _changed(models, "modals.json", lambda d: d["labels"].update({"3": "binding"}))
    old = Statement("We will publish.", "a", None, 0, strength=3, modal="will")
    new = Statement("We may publish.", "b", None, 0, strength=1, modal="may")
    assert classify(old, new, load_rules(models))[1] == "modal strength binding (will) → weak (may)"


@pytest.mark.parametrize("name, change, message", [
    ("metrics.json", lambda d: d.update(label_words="section"),
     r"metrics\.json: key 'label_words' must be a list of strings"),
    ("metrics.json", lambda d: d.pop("time_unit_days"),
     r"metrics\.json: key 'time_unit_days' must be present"),
    ("modals.json", lambda d: d["aux"].update(must="strong"),
     r"modals\.json: key 'aux' must be an object mapping words to numbers"),
    ("events.json", lambda d: d.update(objects=[1, 2]),
     r"events\.json: key 'objects' must be a list of strings"),
    ("document_kinds.json", lambda d: d.update(kinds=[["news", "press"]]),
     r"document_kinds\.json: key 'kinds' must be a list of \[\"label\", \[\"word\", \.\.\.\]\] pairs"),
])
def test_a_wrong_key_is_refused_naming_the_file_and_the_key(tmp_path, name, change, message):
    models = tmp_path / "models"
    shutil.copytree(SHIPPED_MODELS, models)
    _changed(models, name, change)
    with pytest.raises(ConfigError, match=message):
        load_rules(models)


def test_the_cli_stops_before_the_run_on_a_wrong_key(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(SHIPPED_MODELS, models)
    _changed(models, "claim_cues.json", lambda d: d.pop("hedges"))
    config = tmp_path / "settings.toml"
    config.write_text(f'models_dir = "{models.as_posix()}"\n', encoding="utf-8")
    (tmp_path / "doc.txt").write_text("We will publish.\n", encoding="utf-8")
    db = tmp_path / "g.db"
    result = CliRunner().invoke(main, ["--config", str(config), "ingest", str(tmp_path / "doc.txt"),
                                       "--db", str(db)])
    assert result.exit_code == 2
    assert "claim_cues.json: key 'hedges' must be present" in result.output
    assert "Traceback" not in result.output and not db.exists()
