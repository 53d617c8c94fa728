"""The comparator's score on hand-coded revisions: the scorer on a pair built here, and the pinned
leave-one-pair-out figures on ../shared/corpora/frontier-dev when it is present."""

from __future__ import annotations

import dataclasses
import json

import pytest

from pipeline import evaluate_revisions as revisions
from pipeline.compare.coded import CodedChange, CodedPair, covered
from pipeline.compare.shifts import Piece, Verdict
from pipeline.records import Change, Sentence

from .conftest import REPO


def _sentences(*texts: str) -> list[Sentence]:
    return [Sentence(index=i, text=t, start=0, end=len(t)) for i, t in enumerate(texts)]


def test_a_quote_covers_the_sentences_it_spans_across_line_breaks_and_quotes():
    found = _sentences("We will test every model.", "Results go to the board within 30 days.",
                       "Unrelated text here.")
    assert covered(found, "We will test\nevery model. Results go to the “board” within 30 days.") == {0, 1}
    assert covered(found, None) == set()


def _data() -> revisions.PairData:
    traces = (CodedChange("P-1", "W", True, "SIL", "We will test every model.", "We may test models."),
              CodedChange("P-2", "R", False, "NA", "Our board meets yearly.", "Our board meets every year."),
              CodedChange("P-3", "A", True, "ANN", None, "We will publish a risk report."),
              CodedChange("P-4", "X", True, "SIL", "We will notify regulators.", None))
    pair = CodedPair("P", "Lab", REPO / "old.txt", REPO / "new.txt", None, traces)
    old = _sentences("We will test every model.", "Our board meets yearly.", "We will notify regulators.")
    new = _sentences("We may test models.", "Our board meets every year.", "We will publish a risk report.")
    old_cover = {t.id: covered(old, t.old_quote) for t in traces}
    new_cover = {t.id: covered(new, t.new_quote) for t in traces}
    return revisions.PairData(pair, old, new, old_cover, new_cover, [], [], [], None, (set(), set()))


def _shift(shift: str, old: tuple[int, ...] = (), new: tuple[int, ...] = (),
           announced: bool | None = None) -> Change:
    return Change(shift=shift, item_type="commitment", reason="", old_text=None, new_text=None,
                  old_sentences=old, new_sentences=new, announced=announced)


def test_scoring_counts_right_class_wrong_class_false_shifts_and_the_audit():
    tally = revisions.score(_data(), [
        _shift("weakened", (0,), (0,), announced=False),   # right class, right audit (SIL)
        _shift("strengthened", (1,), (1,)),                # a retained commitment reported as shifted
        _shift("added", new=(2,), announced=False),        # right class, wrong audit (ANN)
        _shift("removed", old=(1,)),                       # wrong place: touches only the retained trace
    ])
    figures = tally.figures()
    assert figures["per_class"]["W"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0,
                                         "reported": 1, "coded": 1}
    assert figures["per_class"]["S"]["precision"] == 0.0 and figures["per_class"]["S"]["coded"] == 0
    assert figures["per_class"]["X"]["recall"] == 0.0 and figures["per_class"]["X"]["precision"] == 0.0
    assert figures["per_class"]["A"]["recall"] == 1.0
    # S is not coded in this pair
    assert figures["macro_f1"] == pytest.approx((1.0 + 0.0 + 1.0) / 3, abs=1e-3)
    assert figures["false_shift_rate"] == 1.0 and figures["reported"] == 4 and figures["material"] == 3
    assert (figures["audited"], figures["audit_accuracy"]) == (2, 0.5)


def test_the_interval_over_pairs_spans_what_other_pairs_could_give():
    good = revisions.score(_data(), [_shift("weakened", (0,), (0,)), _shift("added", new=(2,)),
                                     _shift("removed", old=(2,))])
    poor = revisions.score(_data(), [_shift("strengthened", (0,), (0,)), _shift("removed", old=(1,))])
    assert good.figures()["macro_f1"] == 1.0 and poor.figures()["macro_f1"] == 0.0
    assert revisions.pair_interval([good, good, good]) == (1.0, 1.0)
    low, high = revisions.pair_interval([good, poor, good, poor])
    assert 0.0 <= low < revisions.Tally.of([good, poor, good, poor]).figures()["macro_f1"] < high <= 1.0
    assert revisions.pair_interval([good, poor, good, poor]) == (low, high)  # seeded: the same each run


def test_the_sentence_diff_baseline_reports_every_changed_sentence():
    changes = revisions.sentence_diff(_data())
    assert sorted((c.shift, c.old_sentences + c.new_sentences) for c in changes) == [
        ("added", (0,)), ("added", (1,)), ("added", (2,)), ("removed", (0,)), ("removed", (1,)),
        ("removed", (2,))]


@pytest.fixture(scope="module")
def frontier_result(settings):
    folder = REPO.parent / "shared" / "corpora" / "frontier-dev"
    if not (folder / "changes.csv").is_file():
        pytest.skip("../shared/corpora/frontier-dev is not present (a fresh clone has none)")
    return revisions.evaluate_revisions(folder, settings)


@pytest.mark.slow
def test_leave_one_pair_out_figures_hold_their_pinned_floor(frontier_result):
    pinned = json.loads((REPO / "models" / "eval_baseline.json").read_text())
    ours, diff = frontier_result["overall"]["govtrace"], frontier_result["overall"]["difflib"]
    assert ours["macro_f1"] >= pinned["frontier:macro_f1"]
    assert ours["per_class"]["W"]["recall"] >= pinned["frontier:weakened_recall"]
    assert ours["false_shift_rate"] <= pinned["frontier:max_false_shift_rate"]
    assert ours["shifts_per_material"] <= pinned["frontier:max_shifts_per_material"]
    assert ours["audit_accuracy"] >= pinned["frontier:audit_accuracy"]
    assert ours["macro_f1"] > diff["macro_f1"] + 0.15
    low, high = ours["macro_f1_interval"]
    assert low <= ours["macro_f1"] <= high and high < 1.0 and diff["macro_f1_interval"][1] < low
    assert ours["shifts_per_material"] < diff["shifts_per_material"] / 3
    what_if = frontier_result["what_if"]
    assert what_if["ceiling"] >= max(what_if["coded_units"], what_if["coded_classes"]) > ours["macro_f1"]
    assert set(frontier_result["pairs"]) == {"GDM-2", "META-1", "MSFT-1", "NAV-1", "XAI-1", "XAI-2",
                                             "XAI-3", "XAI-4"}


def _verdict(piece: Piece, code: str) -> Verdict:
    return Verdict(piece, code, 0.9, "", 0.9, (code, 0.9, ""))


def test_the_what_ifs_score_perfect_units_and_perfect_classes_apart():
    data = _data()
    old, new = data.old, data.new
    pieces = [Piece("pair", (old[0],), (new[0],), {}), Piece("pair", (old[1],), (new[1],), {}),
              Piece("added", (), (new[2],), {}), Piece("removed", (old[2],), (), {})]
    data = dataclasses.replace(data, pieces=pieces, labels=["W", "R", "A", "X"])
    # the model calls the weakening strengthened, reports the retained pair and misses the removal
    verdicts = [_verdict(pieces[0], "S"), _verdict(pieces[1], "W"), _verdict(pieces[2], "A"),
                _verdict(pieces[3], "X")]
    chosen = [(verdicts[0], "S"), (verdicts[1], "W"), (verdicts[2], "A")]
    figures = {name: tally.figures() for name, tally in revisions.what_if(data, verdicts, chosen).items()}
    assert set(figures) == set(revisions.WHAT_IF)
    assert figures["ceiling"]["macro_f1"] == 1.0 and figures["ceiling"]["false_shift_rate"] == 0.0
    # the right units with the model's classes: the weakening still reads strengthened
    assert figures["coded_units"]["per_class"]["W"]["recall"] == 0.0
    assert figures["coded_units"]["per_class"]["X"]["recall"] == 1.0
    assert figures["coded_units"]["false_shift_rate"] == 0.0
    # the model's units with the coded classes: the weakening is right, the retained pair still reported
    assert figures["coded_classes"]["per_class"]["W"]["recall"] == 1.0
    assert figures["coded_classes"]["per_class"]["X"]["recall"] == 0.0
    assert figures["coded_classes"]["false_shift_rate"] == 1.0
