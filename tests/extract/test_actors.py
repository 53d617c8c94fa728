"""The actor gazetteer: aliases, roles, anaphora and users' own files."""

from __future__ import annotations

import json

import pytest

from pipeline.config import SHIPPED_MODELS as MODELS_DIR
from pipeline.errors import ConfigError
from pipeline.rules.actors import load_gazetteer


def test_aliases_and_suffixes_resolve():
    gazetteer = load_gazetteer((MODELS_DIR / "actors.json",))
    assert gazetteer.resolve("OpenAI, Inc.") == "OpenAI"
    assert gazetteer.resolve("Anthropic's") == "Anthropic"
    assert gazetteer.resolve("Kaplan") == "Jared Kaplan"
    assert gazetteer.get("Jared Kaplan").role == "chief science officer"
    assert gazetteer.anaphor_kind("the AI lab") == "org"


def test_a_user_file_adds_and_overrides_actors(tmp_path, run):
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps({"actors": [
        {"name": "Mistral AI", "type": "org", "aliases": ["Mistral"]},
        {"name": "Jack Clark", "type": "person", "org": "Anthropic",
         "role": "head of the Anthropic Institute", "aliases": ["Clark", "J. Clark"]}]}))
    gazetteer = load_gazetteer((MODELS_DIR / "actors.json", mine))
    assert gazetteer.resolve("Mistral") == "Mistral AI"
    assert gazetteer.get("Jack Clark").role == "head of the Anthropic Institute"
    assert gazetteer.resolve("Anthropic") == "Anthropic"


def test_user_file_flows_through_settings(tmp_path, settings, nlp):
    from pipeline.extract import extract_document
    from pipeline.ingest.text import markdown_blocks
    from pipeline.nlp import split_sentences
    from pipeline.records import Document, ParsedDocument

    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps({"actors": [{"name": "Mistral AI", "type": "org", "aliases": ["Mistral"]}]}))
    text = "Mistral said it plans to publish its safety framework in the coming months."
    document = Document(path="/n.txt", sha256="n", format="text", text=text, kind="news")
    sentences = split_sentences(ParsedDocument(document, tuple(markdown_blocks(text))))
    extraction = extract_document(document, sentences, settings.replace(actor_files=(mine,)))
    assert extraction.commitments[0].actor == "Mistral AI"


def test_a_broken_user_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ConfigError, match="bad.json"):
        load_gazetteer((bad,))


@pytest.mark.parametrize("text, actor", [
    ("The European Commission adopts the template. "
     "The Commission shall publish guidelines within six months.",
     "European Commission"),
    # a text that never names the European Commission means another one
    ("The trade regulator met in May. The Commission shall publish guidelines within six months.", None),
])
def test_a_short_name_stands_for_the_actor_the_text_named_in_full(settings, nlp, text, actor):
    from pipeline.extract import extract_document
    from pipeline.ingest.text import markdown_blocks
    from pipeline.nlp import split_sentences
    from pipeline.records import Document, ParsedDocument

    document = Document(path="/law.txt", sha256="law", format="text", text=text, kind="legislation",
                        date="2024-07-12")
    sentences = split_sentences(ParsedDocument(document, tuple(markdown_blocks(text))))
    found = [c.actor for c in extract_document(document, sentences, settings).commitments]
    if actor:
        assert found[-1] == actor
    else:
        assert "European Commission" not in found
