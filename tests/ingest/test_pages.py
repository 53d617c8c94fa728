"""Paginated plain text: page markers, running headers and footers, paragraphs over page breaks."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pipeline.ingest import read
from pipeline.ingest.pages import paginate, split_pages
from pipeline.ingest.text import markdown_blocks
from pipeline.nlp import split_sentences

HEADER = "Harbour Lab Model Release Policy"

PAGES = [
    "# Harbour Lab Model Release Policy\n\n"
    "This policy sets out how Harbour Lab decides whether a new model may be released.\n"
    "Every release decision is recorded by the release board.",
    f"{HEADER}\n\n"
    "The release board meets before each launch and reviews the evaluation results.\n"
    "Board members receive the results at least five days before the meeting, so that\n"
    "each of them can ask the evaluation team for further",
    f"{HEADER}\n\n"
    "tests when a result looks doubtful.\n"
    "The board may also delay a launch when the security team reports an open incident.",
    f"{HEADER}\n\n"
    "## Reporting\n\n"
    "Harbour Lab publishes a summary of each decision within thirty days.",
]
FOOTER = "Model Release Policy, Harbour Lab {n}"


def paginated(tmp_path, *, marker: str = "[[page {n}]]", folio: str = "- {n} -", name: str = "policy.txt"):
    parts = []
    for n, body in enumerate(PAGES, start=1):
        parts.append(marker.format(n=n) + "\n\n" + body + "\n\n" + FOOTER.format(n=n) + "\n"
                     + folio.format(n=n) + "\n")
    path = tmp_path / name
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def sentences(path):
    parsed = read(path)
    return parsed, split_sentences(parsed)


@pytest.mark.parametrize("marker", ["[[page {n}]]", "[page {n}]", "--- page {n} ---", "<!-- page {n} -->"])
def test_markers_headers_and_footers_never_become_sentences(tmp_path, marker):
    parsed, units = sentences(paginated(tmp_path, marker=marker))
    texts = [s.text for s in units]
    assert not any(re.search(r"page \d", t, re.I) for t in texts)
    assert not any("Harbour Lab" in t and t.rstrip()[-1:].isdigit() for t in texts)  # the footer
    assert not any(re.fullmatch(r"[-\s\d]+", t) for t in texts)  # the folio
    assert texts.count(HEADER) == 0 and texts.count("# " + HEADER) == 1  # the title on page 1 stays
    assert parsed.document.pages == 4


def test_a_sentence_over_a_page_break_is_whole_and_on_its_first_page(tmp_path):
    parsed, units = sentences(paginated(tmp_path))
    split = [s for s in units if s.text.startswith("Board members receive")]
    assert len(split) == 1
    whole = " ".join(split[0].text.split())
    assert whole.endswith("ask the evaluation team for further tests when a result looks doubtful.")
    assert split[0].page == 2
    assert not any(s.text.startswith("tests when") for s in units)


def test_pages_and_offsets(tmp_path):
    parsed, units = sentences(paginated(tmp_path))
    pages = {" ".join(s.text.split()[:3]): s.page for s in units}
    assert [pages[k]
            for k in ("This policy sets", "The release board", "The board may", "Harbour Lab publishes")] \
        == [1, 2, 3, 4]  # the sentence after the rejoined one stays on its own page
    text = parsed.document.text
    assert all(text[s.start:s.end] == s.text for s in units)
    assert {b.page for b in parsed.blocks} == {1, 2, 3, 4}


def test_form_feeds_break_pages(tmp_path):
    path = tmp_path / "feed.txt"
    bodies = [f"{HEADER}\n\n{body.split(chr(10), 2)[-1]}\n\n{n}\n" for n, body in enumerate(PAGES, start=1)]
    path.write_text("\f".join(bodies), encoding="utf-8")
    parsed, units = sentences(path)
    assert "\f" not in parsed.document.text
    assert [s.page for s in units if s.text.startswith("Harbour Lab publishes")] == [4]
    assert not any(s.text.strip() in {"1", "2", "3", "4"} for s in units)


def test_footnote_stays_out_of_a_paragraph_joined_over_a_page_break(tmp_path):
    path = tmp_path / "notes.txt"
    pages = [
        "Intro text that finishes properly.\n\nThe lab runs its checks on every checkpoint of the\n\n"
        "1 A checkpoint is a saved copy of the weights.\n\nLab Policy\n1",
        "Lab Policy\n\nlargest models, and on the final model.\n\nLab Policy\n2",
        "Lab Policy\n\nClosing text.\n\nLab Policy\n3",
    ]
    path.write_text("".join(f"[[page {n}]]\n\n{p}\n\n" for n, p in enumerate(pages, start=1)),
                    encoding="utf-8")
    _, units = sentences(path)
    texts = [" ".join(s.text.split()) for s in units]
    assert ("The lab runs its checks on every checkpoint of the largest models, and on the final model."
            in texts)
    assert "1 A checkpoint is a saved copy of the weights." in texts
    assert "Lab Policy" not in texts


def test_hyphenated_word_over_a_page_break_stays_in_one_sentence(tmp_path):
    path = tmp_path / "hyphen.md"
    pages = ["Staff review every deploy-", "ment before it reaches users.", "Nothing else.", "The end."]
    path.write_text("".join(f"<!-- page {n} -->\n{p}\n" for n, p in enumerate(pages, start=1)),
                    encoding="utf-8")
    _, units = sentences(path)
    assert [s.text for s in units][0] == "Staff review every deploy-\nment before it reaches users."


def test_an_unpaginated_file_is_stored_exactly(tmp_path):
    text = ("# Usage rules\n\nPage 3 of the handbook is not a page break.\n\n" + HEADER + "\n\n"
            "Staff must not share model weights.\n" + HEADER + "\n\n17\n")
    path = tmp_path / "plain.md"
    path.write_text(text, encoding="utf-8")
    parsed = read(path)
    assert parsed.document.text == text
    assert parsed.blocks == tuple(markdown_blocks(text))
    assert parsed.document.pages is None and all(b.page is None for b in parsed.blocks)
    assert split_pages(text) is None


LINES = st.sampled_from(["", "[[page 2]]", "\f", "Running Title", "7", "Page 3 of 9", "- 4 -", "# Heading",
                          "a line that runs on", "A sentence ends here.", "| cell | 5 |",
                         "1 A footnote.", "frame-"])


@hsettings(max_examples=100, deadline=None)
@given(lines=st.lists(LINES, max_size=40))
def test_any_paginated_text_gives_blocks_inside_the_stored_text(lines):
    text = "\n".join(lines)
    layout = paginate(text)
    if layout is None:
        return
    blocks = list(markdown_blocks(layout.text))
    assert all(0 <= b.start < b.end <= len(layout.text) for b in blocks)
    assert all(layout.page_at(b.start) is not None for b in blocks)
    assert "[[page" not in layout.text and "\f" not in layout.text


def test_shared_frontier_texts_have_no_page_furniture(shared_corpora):
    folder = shared_corpora / "frontier-dev" / "texts"
    if not folder.is_dir():
        pytest.skip("../shared/corpora/frontier-dev/texts is absent")
    for path in sorted(folder.glob("*.txt")):
        raw = path.read_text(encoding="utf-8-sig")
        pages = split_pages(raw)
        parsed, units = sentences(path)
        texts = Counter(s.text.strip().lstrip("#").strip() for s in units)
        assert not any(re.fullmatch(r"\[\[page \d+\]\]", t) for t in texts), path.name
        if pages is None or len(pages) < 3:
            continue
        per_page = Counter(line.strip().lstrip("#").strip() for page in pages for line in set(page.lines))
        running = {line for line, n in per_page.items() if n > len(pages) / 2 and line}
        # the cover page may open with the running title; nothing else repeated on most pages survives
        assert all(texts[line] <= 1 for line in running), (path.name, [t for t in running if texts[t] > 1])
        assert all(s.page is not None for s in units), path.name


def test_a_list_marker_alone_on_its_line_stays_out_of_the_item_it_opens():
    # text extracted from PDFs often puts the bullet or number on a line of its own
    text = ("Before each release the board checks three things:\n\n"
            "●\nThe evaluation results meet the thresholds set\nin the release plan.\n"
            "●\nThe security team reports no open incident.\n\n"
            "4.\nInternal review: the safety team comments on the report.\n\n"
            "The board then decides.\n")
    blocks = list(markdown_blocks(text, plain=True))
    spans = [(b.kind, text[b.start:b.end]) for b in blocks]
    assert spans == [
        ("paragraph", "Before each release the board checks three things:"),
        ("list_item", "The evaluation results meet the thresholds set\nin the release plan."),
        ("list_item", "The security team reports no open incident."),
        ("list_item", "Internal review: the safety team comments on the report."),
        ("paragraph", "The board then decides."),
    ]
    assert len({b.paragraph for b in blocks}) == len(blocks)
