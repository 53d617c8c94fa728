"""Obligations and metrics on real regulation PDFs, scored against our hash-keyed legal gold."""

from __future__ import annotations

import json

import pytest

from pipeline.evaluate_legal import evaluate_legal, in_scope, letters_key, same_due_date, score_legal
from tests.conftest import GOLD, REPO, SHARED

BASELINE = json.loads((REPO / "models" / "eval_baseline.json").read_text())


def test_letters_key_ignores_digits_spacing_and_marks():
    assert letters_key("Fines up to 35 000 000 EUR.") == letters_key("Fines up to 35000000 EUR")
    assert letters_key("climate change.6 Next") == letters_key("climate change. Next")
    assert letters_key("Providers shall notify") != letters_key("Providers may notify")


def test_due_dates_agree_within_a_day_and_undated_only_with_undated():
    assert same_due_date("2025-08-02", "2025-08-01")
    assert not same_due_date("2025-08-02", "2025-07-31")
    assert same_due_date(None, None)
    assert not same_due_date("2025-08-02", None) and not same_due_date(None, "2025-08-02")


def _gold(document: str, sentence: str, actor: str, date: str | None = None, page: int = 3) -> dict:
    return {"document": document, "page": page, "sentence_letters_sha1": letters_key(sentence),
            "actor": actor, "deadline_date": date, "strength": "strong", "polarity": "positive"}


def _pred(document: str, sentence: str, actor: str, date: str | None = None, page: int = 3) -> dict:
    return {"document": document, "page": page, "sentence": sentence, "actor": actor, "deadline_date": date,
            "strength": "strong", "polarity": "positive"}


def test_obligation_matches_on_sentence_actor_and_date():
    gold = [_gold("a.pdf", "The Commission shall report by 2 August 2025.", "Commission", "2025-08-02"),
            _gold("a.pdf", "Providers shall keep records.", "providers of general-purpose AI models")]
    pred = [_pred("a.pdf", "The Commission shall report by 2 August 2025.", "Commission", "2025-08-02"),
            _pred("a.pdf", "Providers shall keep records.", "European Union")]
    key, sentence, actor = score_legal("t", "commitments", gold, pred)[:3]
    assert (key.tp, key.fp, key.fn) == (1, 1, 1)
    assert (sentence.tp, sentence.fp, sentence.fn) == (2, 0, 0)
    assert actor.tp == 1


def test_wrong_page_or_date_does_not_match():
    gold = [_gold("a.pdf", "The Office shall act within 90 days.", "AI Office", "2024-01-28", page=10)]
    assert score_legal("t", "commitments", gold, [_pred("a.pdf", "The Office shall act within 90 days.",
                                                        "AI Office", "2024-01-28", page=14)])[0].tp == 0
    assert score_legal("t", "commitments", gold, [_pred("a.pdf", "The Office shall act within 90 days.",
                                                        "AI Office", None, page=10)])[0].tp == 0


def test_scope_keeps_findings_only_where_the_annotator_read():
    gold = [_gold("law.pdf", "Annotated sentence.", "Commission", page=5),
            _gold("plan.pdf", "Another annotated one.", "NSF", page=2)]
    pred = [_pred("law.pdf", "Annotated sentence.", "x", page=5),
            _pred("law.pdf", "Unread sentence.", "x", page=5),
            _pred("law.pdf", "Unread elsewhere.", "x", page=9),
            _pred("plan.pdf", "Anything at all.", "x", page=7)]
    kept = in_scope(pred, gold, {"law.pdf": "pages", "plan.pdf": "document"})
    assert [p["sentence"] for p in kept] == ["Annotated sentence.", "Unread sentence.", "Anything at all."]
    kept = in_scope(pred, gold, {"law.pdf": "sentences", "plan.pdf": "sentences"})
    assert [p["sentence"] for p in kept] == ["Annotated sentence."]


def test_sentence_scope_holds_a_repeated_sentence_only_on_the_annotated_page():
    # a law repeats its procedural sentences word for word; the annotator read them on one page
    gold = [_gold("law.pdf", "Those acts shall follow the usual procedure.", "Commission", page=40)]
    pred = [_pred("law.pdf", "Those acts shall follow the usual procedure.", "Commission", page=p)
            for p in (12, 39, 40, 41, 42, 70)]
    kept = in_scope(pred, gold, {"law.pdf": "sentences"})
    assert [p["page"] for p in kept] == [39, 40, 41]
    unpaged = [_pred("law.pdf", "Those acts shall follow the usual procedure.", "Commission")]
    unpaged[0]["page"] = None
    assert in_scope(unpaged, gold, {"law.pdf": "sentences"}) == unpaged


@pytest.fixture(scope="module")
def legal_scores(settings):
    corpus, gold = SHARED / "regulation-pdfs", GOLD / "legal"
    if not corpus.is_dir() or not gold.is_dir():
        pytest.skip("../shared/corpora/regulation-pdfs or corpora/gold/legal is absent")
    return evaluate_legal(corpus, gold, settings, peers=False)


@pytest.mark.parametrize("key", [k for k in BASELINE if k.startswith("legal:")])
def test_legal_scores_do_not_fall_below_the_pinned_baseline(legal_scores, key):
    extractor, field = key.removeprefix("legal:").split("/")
    found = next(s.f1 for s in legal_scores if (s.extractor, s.field) == (extractor, field))
    assert found >= BASELINE[key], (key, found)
