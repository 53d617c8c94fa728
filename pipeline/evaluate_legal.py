"""Obligations and metrics on real legal text, against gold we wrote ourselves.

The gold (``corpora/gold/legal``) covers three regulation PDFs we may not
redistribute or quote, so each row names its sentence by :func:`letters_key`,
a hash of the sentence's letters only: footnote marks, exponents and
spacing that an ingest fix changes leave the key alone. A finding matches a
gold row in the same document, on the same page (±1, for a sentence running
over a page break) and sentence, when it agrees on the key: actor and
deadline date for obligations, value and unit for metrics. ``scope.json``
says where each document was read in full, so that findings elsewhere are
not counted as false.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from pathlib import Path

from .config import Settings
from .evaluate import KEYS, Row, Score, field_agrees, load_gold, match_rows, predictions, same_actor
from .rules import rules_for
from .store import Store

_FIELDS = {"commitments": ("strength", "polarity"), "metrics": ("qualifier", "currency")}


def letters_key(text: str) -> str:
    """SHA-1 of a sentence's lower-case ASCII letters (digits, spaces and punctuation dropped)."""
    return hashlib.sha1("".join(ch for ch in text.lower() if "a" <= ch <= "z").encode("utf-8")).hexdigest()


def same_due_date(gold: str | None, pred: str | None) -> bool:
    """Both undated, or dates at most a day apart.

    Month arithmetic and the legal 'day after' differ by one.
    """
    if gold is None or pred is None:
        return gold is None and pred is None
    try:
        return abs((dt.date.fromisoformat(gold) - dt.date.fromisoformat(pred[:10])).days) <= 1
    except ValueError:
        return False


_LEGAL_KEYS = {
    "commitments": lambda g, p: same_actor(g["actor"], p["actor"]) and same_due_date(g.get("deadline_date"),
                                                                                      p.get("deadline_date")),
    "metrics": KEYS["metrics"],
}
KEY_NAMES = {"commitments": "actor+due date", "metrics": "value+unit"}


def evaluate_legal(corpus: Path, gold_dir: Path, settings: Settings, *, peers: bool = True) -> list[Score]:
    """Ingest the gold's documents from ``corpus`` and score obligations and metrics on them.

    Returns:
        Scores for "govtrace (legal)" and, when ``peers``, "quantulum3 (legal)" on metrics.
    """
    from .batch import ingest

    gold = {kind: rows for kind, rows in load_gold(gold_dir).items() if kind in _LEGAL_KEYS}
    scope = json.loads((gold_dir / "scope.json").read_text(encoding="utf-8"))
    names = sorted({r["document"] for rows in gold.values() for r in rows})
    paths = [corpus / name for name in names if (corpus / name).is_file()]
    if len(paths) < len(names):
        return []
    scores: list[Score] = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "legal.db") as store:
        ingest(paths, store, settings.replace(extract=True))
        scale = rules_for(settings).modals
        for kind, rows in gold.items():
            predicted = in_scope(predictions(store, kind, set(names), scale), rows, scope[kind])
            scores += score_legal("govtrace (legal)", kind, rows, predicted)
        if peers and "metrics" in gold:
            from .peers import quantulum_rows

            found = quantulum_rows(store, set(names))
            for row in found:
                row["page"] = None
            scores += score_legal("quantulum3 (legal)", "metrics", gold["metrics"],
                                  in_scope(_with_pages(store, found), gold["metrics"], scope["metrics"]))[:1]
    return scores


def in_scope(pred: list[Row], gold: list[Row], scope: dict[str, str]) -> list[Row]:
    """The findings that fall where the annotator read every sentence (see ``scope.json``).

    A "sentences" document holds a finding on a gold row's sentence and page (±1, as in
    :func:`score_legal`): the same words elsewhere in the text (a law repeats its
    procedural sentences) were not read.
    """
    sentences: dict[tuple[str, str], set[int]] = {}
    for g in gold:
        sentences.setdefault((g["document"], g["sentence_letters_sha1"]), set()).add(int(g["page"]))
    pages = {(g["document"], g["page"]) for g in gold}
    kept = []
    for p in pred:
        how = scope.get(p["document"], "sentences")
        read = sentences.get((p["document"], letters_key(p["sentence"])), set())
        near = p.get("page") is None or any(abs(int(p["page"]) - page) <= 1 for page in read)
        on_page = how == "pages" and (p["document"], p.get("page")) in pages
        if how == "document" or on_page or (read and near):
            kept.append(p)
    return kept


def score_legal(system: str, kind: str, gold: list[Row], pred: list[Row]) -> list[Score]:
    """Key score, sentence-only score and per-field agreement among matched pairs."""
    for p in pred:
        p.setdefault("_key", letters_key(p["sentence"]))

    def here(g: Row, p: Row) -> bool:
        return (p["document"] == g["document"] and p["_key"] == g["sentence_letters_sha1"]
                and (p.get("page") is None or abs(int(p["page"]) - int(g["page"])) <= 1))

    pairs, fp, fn = match_rows(gold, pred, lambda g, p: here(g, p) and _LEGAL_KEYS[kind](g, p))
    scores = [Score(system, kind, KEY_NAMES[kind], len(pairs), fp, fn)]
    loose, lfp, lfn = match_rows(gold, pred, here)
    scores.append(Score(system, kind, "sentence", len(loose), lfp, lfn))
    if kind == "commitments":
        actor, afp, afn = match_rows(gold, pred, lambda g,
                                     p: here(g, p) and same_actor(g["actor"], p["actor"]))
        scores.append(Score(system, kind, "actor", len(actor), afp, afn))
    for field in _FIELDS[kind]:
        agree = sum(field_agrees(field, g.get(field), p.get(field)) for g, p in pairs)
        scores.append(Score(system, kind, field, agree, len(pairs) - agree, len(pairs) - agree))
    return scores


def _with_pages(store: Store, rows: list[Row]) -> list[Row]:
    """Give peer rows their sentence's page, so the page-scoped documents can hold them."""
    pages = {(Path(r["path"]).name, r["text"]): r["page"] for r in store.rows(
        "SELECT d.path, s.text, s.page FROM sentences s JOIN documents d ON d.id = s.document_id")}
    for row in rows:
        row["page"] = pages.get((row["document"], row["sentence"]))
    return rows
