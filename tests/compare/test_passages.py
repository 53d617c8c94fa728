"""Alignment by meaning: identical, rewritten, merged and moved passages; what is left out."""

from __future__ import annotations

import pytest

from pipeline.compare.embed import Memo, encoder
from pipeline.compare.passages import align_passages, comparable, same_text
from pipeline.records import Sentence


def sentences(*texts: str, section: str = "1. Scope", kind: str = "paragraph") -> list[Sentence]:
    return [Sentence(index=i, text=t, start=i * 100, end=i * 100 + len(t), kind=kind,
                     section=section, paragraph=i)
            for i, t in enumerate(texts)]


@pytest.fixture(scope="module")
def embed():
    return Memo(encoder().encode)


def test_spacing_and_line_breaks_do_not_make_a_change():
    assert same_text("Regularly review our\ncompliance with this policy.") == same_text(
        "Regularly reviewour compliance with this policy.")
    assert same_text("We will publish it.") != same_text("We may publish it.")


def test_headings_contents_lines_and_markers_are_not_compared():
    kept = comparable(sentences("Risk Management Framework........ 4", "[[page 3]]", "(b)",
                                "We evaluate every model before release.")
                      + [Sentence(index=9, text="## 2. Governance", start=0, end=16, kind="heading")])
    assert [s.text for s in kept] == ["We evaluate every model before release."]


def test_identical_sentences_are_kept_and_a_rewrite_is_paired(embed, rules):
    old = sentences("We evaluate every frontier model before it is deployed.",
                    "We will publish a summary of each evaluation within 30 days.")
    new = sentences("We evaluate every frontier model before it is deployed.",
                    "We aim to publish a short summary of evaluations when practical.")
    result = align_passages(old, new, rules, embed=embed)
    assert sum(m.identical for m in result.matches) == 1
    rewritten = [m for m in result.matches if not m.identical]
    assert len(rewritten) == 1 and "30 days" in rewritten[0].old_text and "practical" in rewritten[0].new_text
    assert result.removed == [] and result.added == []


def test_a_moved_passage_finds_its_counterpart_in_another_section(embed, rules):
    old = sentences("Model weights are stored with access limited to a small security team.",
                    "We report serious incidents to the relevant authorities.", section="4. Security")
    new = (sentences("Serious incidents are reported by us to the relevant authorities.",
                     section="2. Reporting")
           + sentences("Access to model weights is limited to a small security team.", section="5. Security"))
    new = [Sentence(index=i, text=s.text, start=s.start, end=s.end, section=s.section, paragraph=i)
           for i, s in enumerate(new)]
    result = align_passages(old, new, rules, embed=embed)
    pairs = {(m.old[0].text[:12], m.new[0].section) for m in result.matches}
    assert pairs == {("Model weight", "5. Security"), ("We report se", "2. Reporting")}


def test_two_sentences_merged_into_one_form_one_match(embed, rules):
    old = sentences("We test each model for cyber offence capabilities.",
                    "We also test each model for biological weapons uplift.",
                    "Our board reviews the policy every year.")
    new = sentences("We test each model for cyber offence capabilities and for biological weapons uplift.",
                    "Our board reviews the policy every year.")
    result = align_passages(old, new, rules, embed=embed)
    merged = [m for m in result.matches if not m.identical]
    assert len(merged) == 1 and len(merged[0].old) == 2 and len(merged[0].new) == 1
    assert result.removed == []


def test_unrelated_sentences_are_removed_and_added_not_paired(embed, rules):
    old = sentences("We will never train a model that exceeds the red line without a board vote.")
    new = sentences("The glossary at the end defines the technical terms used here.")
    result = align_passages(old, new, rules, embed=embed)
    assert result.matches == [] and len(result.removed) == 1 and len(result.added) == 1


def test_a_changelog_with_dated_sub_headings_is_not_compared():
    def heading(index, text):
        return Sentence(index=index, text=text, start=0, end=len(text), kind="heading", section=text,
                        paragraph=index)

    body = [heading(0, "## 2. Evaluations"),
            Sentence(index=1, text="We evaluate every model before it is deployed.", start=0, end=46,
                     section="2. Evaluations", paragraph=1),
            heading(2, "## Changelog"), heading(3, "## October 15, 2024"),
            Sentence(index=4, text="This update introduces new capability thresholds for safeguards.",
                     start=0, end=63, section="October 15, 2024", paragraph=4)]
    assert [s.index for s in comparable(body)] == [1]
