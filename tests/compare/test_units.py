"""Units of evidence: a rewrite with the sentences dropped from or added to its paragraph, lists with
their lead-in, and rewordings that are never reported."""

from __future__ import annotations

import pytest

from pipeline.compare.passages import Alignment, Match
from pipeline.compare.shifts import MAX_UNIT_SENTENCES, evidence
from pipeline.records import Sentence


def sentence(index: int, text: str, paragraph: int, *, kind: str = "paragraph", section: str = "2. Evaluation"
             ) -> Sentence:
    return Sentence(index=index, text=text, start=index * 100, end=index * 100 + len(text), kind=kind,
                    section=section, paragraph=paragraph)


def texts(piece) -> tuple[list[str], list[str]]:
    return [s.text for s in piece.old], [s.text for s in piece.new]


def test_a_sentence_added_to_a_rewritten_paragraph_is_part_of_the_rewrite(rules):
    old = sentence(0, "We will test every model before release.", 1)
    new = sentence(0, "We will test every frontier model before its release.", 1)
    added = sentence(1, "Testing may be skipped where the model is a minor update.", 1)
    elsewhere = sentence(5, "We publish a yearly summary of our testing.", 4)
    pieces = evidence(Alignment(matches=[Match((old,), (new,), 0.9)], added=[added, elsewhere]), rules)
    assert sorted(p.head for p in pieces) == ["added", "pair"]
    pair = next(p for p in pieces if p.head == "pair")
    assert texts(pair) == ([old.text], [new.text, added.text])
    # the hedge the added sentence brings counts in the unit's wording
    assert pair.features["weaker:passage"] > 0
    assert texts(next(p for p in pieces if p.head == "added")) == ([], [elsewhere.text])


def test_list_items_join_the_rewrite_of_their_lead_in_but_two_lone_runs_never_join(rules):
    lead_old = sentence(0, "Before each release the board checks the following:", 1)
    lead_new = sentence(0, "Before each major release the board checks the following:", 1)
    item = sentence(1, "The security team reports no open incident.", 2, kind="list_item")
    other_section = sentence(2, "An outside auditor reviews the decision.", 3, kind="list_item",
                             section="3. Audit")
    dropped = [sentence(3, "We keep the records for five years.", 6),
               sentence(4, "Records are encrypted.", 7)]
    pieces = evidence(Alignment(matches=[Match((lead_old,), (lead_new,), 0.95)], added=[item, other_section],
                                removed=dropped), rules)
    pair = next(p for p in pieces if p.head == "pair")
    assert texts(pair)[1] == [lead_new.text, item.text]
    assert [texts(p)[1] for p in pieces if p.head == "added"] == [[other_section.text]]
    assert sorted(len(p.old) for p in pieces if p.head == "removed") == [1, 1]


def test_a_unit_stops_growing_at_its_cap(rules):
    old = sentence(0, "We will evaluate models for dangerous capabilities.", 1)
    new = sentence(0, "We will evaluate frontier models for dangerous capabilities.", 1)
    extra = [sentence(i, f"Evaluation step {i} is recorded in the log for the board.", 1)
             for i in range(1, 3 * MAX_UNIT_SENTENCES)]
    runs = [extra[i:i + 3] for i in range(0, len(extra), 3)]
    pieces = evidence(Alignment(matches=[Match((old,), (new,), 0.9)], added=[s for run in runs for s in run]),
                      rules)
    assert max(len(p.old) + len(p.new) for p in pieces) <= MAX_UNIT_SENTENCES
    assert sum(len(p.new) for p in pieces) == 1 + len(extra)


def test_a_sentence_dropped_from_a_kept_paragraph_and_one_added_to_it_are_one_rewrite(rules):
    kept_old = sentence(0, "We evaluate every frontier model before it is deployed.", 1)
    kept_new = sentence(0, "We evaluate every frontier model before it is deployed.", 1)
    dropped = sentence(1, "An outside lab repeats each evaluation within a month.", 1)
    added = sentence(1, "An outside lab may repeat some evaluations where feasible.", 1)
    gone = sentence(2, "We keep the records for five years.", 2)
    new_paragraph = sentence(2, "Our board receives a summary every quarter.", 2)
    pieces = evidence(Alignment(matches=[Match((kept_old,), (kept_new,), 1.0, identical=True)],
                                removed=[dropped, gone], added=[added, new_paragraph]), rules)
    pair = next(p for p in pieces if p.head == "pair")
    assert texts(pair) == ([dropped.text], [added.text])
    assert pair.features["weaker:passage"] > 0
    # a run whose paragraph has no counterpart stays removed, a new paragraph stays added
    assert [texts(p) for p in pieces if p.head != "pair"] == [([gone.text], []), ([], [new_paragraph.text])]


def test_runs_do_not_join_where_a_paragraph_was_split_across_others(rules):
    first = sentence(0, "We evaluate every frontier model before it is deployed.", 1)
    second = sentence(1, "Results go to the board within a week.", 1)
    moved_first = sentence(0, "We evaluate every frontier model before it is deployed.", 1)
    moved_second = sentence(5, "Results go to the board within a week.", 4, section="4. Governance")
    dropped = sentence(2, "An outside lab repeats each evaluation within a month.", 1)
    added = sentence(1, "An outside lab may repeat some evaluations where feasible.", 1)
    pieces = evidence(Alignment(matches=[Match((first,), (moved_first,), 1.0, identical=True),
                                         Match((second,), (moved_second,), 1.0, identical=True)],
                                removed=[dropped], added=[added]), rules)
    assert sorted(p.head for p in pieces) == ["added", "removed"]


def test_the_lean_of_a_rewrite_is_also_read_over_its_section(rules):
    old = sentence(0, "We test every model before release.", 1)
    new = sentence(0, "We test every frontier model before release.", 1)
    hedged_old = sentence(1, "The board reviews each result.", 2)
    hedged_new = sentence(1, "The board may review some results where appropriate.", 2)
    elsewhere = sentence(2, "We publish an annual report.", 3, section="3. Reporting")
    pieces = evidence(Alignment(matches=[Match((old,), (new,), 0.9), Match((hedged_old,), (hedged_new,), 0.8),
                                         Match((elsewhere,), (elsewhere,), 1.0, identical=True)]), rules)
    first = next(p for p in pieces if p.old == (old,))
    assert first.features["weaker:passage"] == 0 and first.features["weaker:paragraph"] == 0
    assert first.features["weaker:section"] > 0


@pytest.mark.parametrize("old, new, minor", [
    ("We may also share information with other organisations to promote shared learning and mitigation.",
     "We may also share information with other organizations to promote shared learning and mitigation.",
     True),
    ("We will restrict access to model weights to fewer than 100 employees with a business need.",
     "We will restrict access to model weights to fewer than 500 employees with a business need.", False),
    ("We will review the results of every evaluation with the board and the safety team before launch.",
     "We may review the results of every evaluation with the board and the safety team before launch.",
     False),
    # a scope word swapped inside a kept sentence moves neither its force nor a figure
    ("We will review the results of each evaluation with the board and the safety team before launch.",
     "We will review the results of every evaluation with the board and the safety team before launch.",
     True),
    ("We will review the results of each evaluation with the board and the safety team before launch.",
     "We will review the results of each evaluation with the board and the safety team if time allows.",
     False),
    # the descriptive present is as binding as "will" (codebook 11.1); "will" → "may" still moves force
    ("We will run the full set of dangerous capability evaluations on each frontier model before launch.",
     "We run the full set of dangerous capability evaluations on each frontier model before launch.", True),
    ("We will run the full set of dangerous capability evaluations on each frontier model before launch.",
     "We may run the full set of dangerous capability evaluations on each frontier model before launch.",
     False),
    # a renumbered footnote or cross-reference is not a figure moved; a changed threshold is
    ("The benchmark holds 40 expert challenges across six categories of offensive security work.4",
     "The benchmark holds 40 expert challenges across six categories of offensive security work.3", True),
    ("Results are escalated to the board as set out in Section 4.2 of this framework document.",
     "Results are escalated to the board as set out in Section 5.1 of this framework document.", True),
    ("The benchmark holds 40 expert challenges across six categories of offensive security work.",
     "The benchmark holds 25 expert challenges across six categories of offensive security work.", False),
])
def test_a_rewording_is_a_small_edit_that_moves_no_force_word_or_figure(rules, old, new, minor):
    pieces = evidence(Alignment(matches=[Match((sentence(0, old, 1),), (sentence(0, new, 1),), 0.97)]),
                      rules)
    assert pieces[0].minor is minor


def test_a_passage_repeated_in_two_sections_and_changed_alike_is_one_shift():
    from pipeline.compare.shifts import merge_repeats
    from pipeline.records import Change

    def added(text, section, page, index):
        return Change(shift="added", item_type="commitment", reason="no counterpart in the older version",
                      old_text=None, new_text=text, new_section=section, new_page=page,
                      new_sentences=(index,))

    text = "Safety cases may be updated if deemed necessary."
    merged = merge_repeats([added(text, "2. Misuse", 7, 40),
                            added("We will publish results.", "4. Reports", 9, 60),
                            added("3. " + text.replace("may", "**may**"), "3. ML R&D", 11, 52)])
    assert [c.new_sentences for c in merged] == [(40, 52), (60,)]
    assert merged[0].reason.endswith("the same passage also in “3. ML R&D”, page 11")
    # the same words changed another way, or other words, stay apart
    kept = merge_repeats([added(text, "2. Misuse", 7, 40), added(text.replace("may", "will"), "3", 11, 52)])
    assert len(kept) == 2
