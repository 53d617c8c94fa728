"""Section paths from a text's own numbering: articles, sections, numbered paragraphs, lettered and roman
items."""

from __future__ import annotations

from pipeline.records import Sentence
from pipeline.structure import section_paths


def _paths(*texts: str, kind: str = "paragraph") -> list[str | None]:
    sentences = [Sentence(index=i, text=t, start=0, end=len(t), kind=kind) for i, t in enumerate(texts)]
    return [s.section_path for s in section_paths(sentences)]


def test_an_orders_sections_items_and_roman_sub_items():
    assert _paths("Sec. 4.", "4.2.", "(a) Within 90 days, the Secretary shall:", "(i) establish guidelines;",
                  "(A) for evaluations;", "(ii) publish them.", "(b) The Secretary shall report.") == [
        "Sec. 4", "Sec. 4.2", "Sec. 4.2(a)", "Sec. 4.2(a)(i)", "Sec. 4.2(a)(i)(A)", "Sec. 4.2(a)(ii)",
        "Sec. 4.2(b)"]


def test_a_laws_articles_and_numbered_paragraphs():
    assert _paths("Article 53 Obligations for providers", "1. Providers shall:", "(a) keep documentation;",
                  "(b) inform providers downstream;", "2. Paragraph 1 does not apply.", "Article 54") == [
        "Art. 53", "Art. 53(1)", "Art. 53(1)(a)", "Art. 53(1)(b)", "Art. 53(2)", "Art. 54"]


def test_the_ninth_letter_after_h_is_a_letter_not_a_roman_one():
    assert _paths("Sec. 3.", "(g) The term x means y.", "(h) The term z means w.", "(i) The term v means u.",
                  "(j) The term t.")[-2:] == ["Sec. 3(i)", "Sec. 3(j)"]


def test_text_without_numbering_has_no_path():
    assert _paths("We will publish results.", "(a) Not numbered under any section.") == [None, None]
