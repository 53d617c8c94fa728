"""HTML, DOCX, Markdown and text readers, sniffing and metadata."""

from __future__ import annotations

import json
import zipfile

import docx
import pytest

from pipeline.config import Settings
from pipeline.errors import CorruptFile, EmptyDocument, NoMainContent, UnsupportedFormat
from pipeline.ingest import read
from pipeline.nlp import split_sentences
from tests.conftest import SAMPLE

ARTICLE = """<!DOCTYPE html><html><head><title>Lab drops pledge | Wire</title>
<meta name="author" content="Dana Whitlock"><meta property="og:site_name" content="TechWire">
<meta property="article:published_time" content="2026-05-14"></head><body>
<div class="cookie-banner">We use cookies. <button>Accept all</button></div>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/subscribe">Subscribe now</a></nav>
<article><h1>Lab drops pledge</h1>
<p>The lab said on Thursday that more than 80 percent of its merged code is now written by its own model.</p>
<h2>Pause</h2><ul><li>It asks rivals to agree to a coordinated pause.</li><li>It will not stop alone.</li></ul>
<p>Critics called the timing convenient, given the listing planned for later this year.</p></article>
<footer>Copyright 2026 TechWire. All rights reserved. Privacy policy.</footer>
<script>document.write("tracking")</script></body></html>"""  # noqa: E501 (a page as published, one line a paragraph)


def test_html_main_content_and_metadata(tmp_path):
    path = tmp_path / "article.html"
    path.write_text(ARTICLE, encoding="utf-8")
    parsed = read(path)
    doc = parsed.document
    assert "more than 80 percent" in doc.text
    for boilerplate in ("cookies", "Subscribe now", "All rights reserved", "tracking"):
        assert boilerplate not in doc.text
    assert doc.publisher == "TechWire" and doc.date == "2026-05-14" and doc.authors == ("Dana Whitlock",)
    kinds = {doc.text[b.start:b.end].strip("- "): b.kind for b in parsed.blocks}
    assert kinds["It will not stop alone."] == "list_item"
    assert any(b.kind == "heading" and b.section == "Pause" for b in parsed.blocks)


def test_html_without_main_content(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav><footer>(c) 2026</footer></body></html>")
    with pytest.raises(NoMainContent):
        read(path)


def test_docx_headings_lists_tables_and_properties(tmp_path):
    word = docx.Document()
    word.core_properties.title = "Usage rules"
    word.add_heading("Prohibited uses", level=1)
    word.add_paragraph("Don't use our services to:")
    word.add_paragraph("Develop or use weapons.", style="List Bullet")
    table = word.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Threshold"
    table.rows[0].cells[1].text = "10^26 operations"
    path = tmp_path / "rules.docx"
    word.save(str(path))
    parsed = read(path)
    units = [(s.kind, s.text, s.section) for s in split_sentences(parsed)]
    assert ("list_item", "Develop or use weapons.", "Prohibited uses") in units
    assert ("table_cell", "10^26 operations", "Prohibited uses") in units
    assert parsed.document.title == "Usage rules" and parsed.document.provenance["title"] == "file"


def test_docx_template_date_does_not_outrank_the_text(tmp_path):
    """python-docx's default template carries a 2013 creation date and author 'python-docx'."""
    import datetime

    word = docx.Document()
    word.add_paragraph("Usage rules")
    word.add_paragraph("Updated January 12, 2024")
    path = tmp_path / "rules.docx"
    word.save(str(path))
    doc = read(path).document
    assert (doc.date, doc.provenance["date"], doc.authors) == ("2024-01-12", "text", ())
    word.core_properties.created = datetime.datetime(2024, 1, 10, 9, 0)
    word.core_properties.author = "Policy team"
    word.save(str(path))
    doc = read(path).document
    assert (doc.date, doc.provenance["date"], doc.authors) == ("2024-01-10", "file", ("Policy team",))


def test_docx_decompression_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 5_000_000 + b"</w:document>")
    with pytest.raises(CorruptFile, match="decompression bomb"):
        read(path, Settings(max_file_size=1_000_000))


def test_markdown_headings_lists_and_table_cells(tmp_path):
    path = tmp_path / "policy.md"
    path.write_text("Policy\n======\n\n## Rules\n\n- Never train without safeguards.\n- Publish reports.\n\n"
                    "| Level | Threshold |\n|---|---|\n| ASL-3 | 10^26 FLOP |\n\nA closing paragraph.\n",
                    encoding="utf-8")
    sentences = split_sentences(read(path))
    assert [s.kind for s in sentences] == ["heading", "heading", "list_item", "list_item",
                                           "table_cell", "table_cell", "table_cell",
                                           "table_cell", "paragraph"]
    assert sentences[2].section == "Rules"


def test_wrapped_list_item_is_one_item(tmp_path):
    """Text taken from a PDF wraps a bullet over several lines: the item, and its sentence, is whole."""
    path = tmp_path / "framework.txt"
    path.write_text("We test every model before release:\n"
                    "• For closed deployments, we consider attackers with API access who use\n"
                    "current jailbreak techniques.\n"
                    "• For open-weight releases, we would\n"
                    "also consider attackers who fine-tune the model.\n\n"
                    "This keeps the threat model realistic.\n", encoding="utf-8")
    sentences = split_sentences(read(path))
    items = [s.text for s in sentences if s.kind == "list_item"]
    assert items == ["• For closed deployments, we consider attackers with API access who use\n"
                     "current jailbreak techniques.",
                     "• For open-weight releases, we would\nalso consider attackers who fine-tune the model."]
    assert [s.kind for s in sentences if s.text.startswith("This keeps")] == ["paragraph"]
    assert len({s.paragraph for s in sentences if s.kind == "list_item"}) == 2


def test_sentence_runs_on_past_a_blank_line_in_text_from_a_pdf(tmp_path):
    """A table cell or a page break leaves a blank line inside a sentence; a finished sentence or a
    capital after the blank line still starts a new paragraph."""
    path = tmp_path / "thresholds.txt"
    path.write_text("The model gives meaningful uplift\n\nto an actor with some training.\n\n"
                    "We review the thresholds every year.\n\n"
                    "the next line starts low but follows a full stop.\n",
                    encoding="utf-8")
    sentences = split_sentences(read(path))
    assert [" ".join(s.text.split()) for s in sentences] == [
        "The model gives meaningful uplift to an actor with some training.",
        "We review the thresholds every year.", "the next line starts low but follows a full stop."]
    assert len({s.paragraph for s in sentences}) == 3


def test_legacy_encoding_is_detected(tmp_path):
    path = tmp_path / "legacy.txt"
    text = "Les développeurs s’engagent à publier un rapport détaillé sur la sécurité des modèles avancés."
    path.write_bytes(text.encode("cp1252"))
    assert read(path).document.text == text


def test_binary_garbage_named_txt(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UnsupportedFormat, match="binary"):
        read(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("  \n")
    with pytest.raises(EmptyDocument):
        read(path)


def test_zip_that_is_not_docx(tmp_path):
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(UnsupportedFormat):
        read(path)


def test_metadata_sources_in_order(tmp_path):
    path = tmp_path / "openai-usage-policies-2024-01-10.md"
    path.write_text("# Usage policies\n\nUpdated January 12, 2024\n\n"
                    "Don't use our services to harm others.\n")
    doc = read(path).document
    assert (doc.publisher, doc.kind, doc.title) == ("OpenAI", "policy", "Usage policies")
    assert doc.date == "2024-01-12" and doc.provenance["date"] == "text"
    assert doc.provenance["publisher"] == "filename"
    (tmp_path / (path.name + ".meta.json")).write_text(json.dumps({"date": "2024-01-10", "version": "beta"}))
    doc = read(path).document
    assert (doc.date, doc.version, doc.provenance["date"]) == ("2024-01-10", "beta", "sidecar")


def test_news_dateline_sets_date_and_kind(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Lab rewrites policy\n\nWASHINGTON, February 25, 2026 — The lab changed its policy.\n"
                    "Version 3.0 of the policy drops a pledge.\n")
    doc = read(path).document
    assert (doc.date, doc.kind, doc.version) == ("2026-02-25", "news", None)


@pytest.mark.parametrize("text, version", [
    ("# Scaling Policy\n\nVersion 2.0 / Effective October 15, 2024\n\nWe will test.", "2.0"),
    ("Frontier Safety Framework\n## Version 3.0\nText.", "3.0"),
    ("Our policy\n\nWe describe how Version 3.0 of the framework changed things.", None),
    ("Our policy\n\nVersion 3.0 of the framework changed things.", None),
])
def test_version_is_read_from_a_line_of_its_own(tmp_path, text, version):
    path = tmp_path / "policy.md"
    path.write_text(text)
    assert read(path).document.version == version


@pytest.mark.parametrize("path",
                         sorted(p for p in SAMPLE.iterdir() if not p.name.endswith((".json", ".csv"))),
                         ids=lambda p: p.name)
def test_sentence_offsets_recover_text_on_every_sample_document(path):
    parsed = read(path)
    text = parsed.document.text
    sentences = split_sentences(parsed)
    assert sentences, path
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)


def test_sample_corpus_metadata():
    expected = {
        "anthropic-rsp-v1.0-2023-09-19.pdf": ("Anthropic", "2023-09-19", "policy", "1.0"),
        "anthropic-rsp-v2.0-2024-10-15.md": ("Anthropic", "2024-10-15", "policy", "2.0"),
        "anthropic-rsp-v3.0-2026-02-24.html": ("Anthropic", "2026-02-24", "policy", "3.0"),
        "policywatch-2026-02-25-rsp-overhaul.md": (None, "2026-02-25", "news", None),
        "dailybrief-2023-03-29-pause-letter.txt": (None, "2023-03-30", "news", None),
        "us-eo-14110-summary-2023-10-30.pdf": ("The White House", "2023-10-30", "legislation", None),
    }
    for name, fields in expected.items():
        doc = read(SAMPLE / name).document
        assert (doc.publisher, doc.date, doc.kind, doc.version) == fields, name
