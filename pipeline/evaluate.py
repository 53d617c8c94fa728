"""Quality gate: precision, recall and F1 of every extractor against gold annotations.

Gold rows (``corpora/gold/*.jsonl``) name a document by file name and a
sentence by its first 60 characters; a finding matches when it sits in that
sentence and agrees on the key fields (value+unit for metrics, actor for
commitments, speaker for claims). Peers (quantulum3, textacy) are scored on
the same gold so the figures sit side by side.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .config import Settings
from .rules import ModalRules, rules_for
from .store import Store

Row = dict[str, Any]
_MARKER = re.compile(r"^[\s#*\-•\"“]*(?:\d{1,3}[.)]\s+)?")
_FIELDS = {
    "metrics": ("qualifier", "currency", "time_unit", "entity", "time", "is_forecast", "subject"),
    "claims": ("quoted", "claim_type"),
    "commitments": ("kind", "strength", "polarity", "status", "condition", "deadline"),
    "events": ("actor",),
}


@dataclass(frozen=True)
class Score:
    """Counts and rates for one extractor or one field."""

    system: str
    extractor: str
    field: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3)}


def norm(text: str | None) -> str:
    """Whitespace-, case- and list-marker-insensitive form of a sentence or name."""
    return " ".join(_MARKER.sub("", text or "").split()).lower()


def load_gold(gold_dir: Path) -> dict[str, list[Row]]:
    gold = {}
    for kind in ("metrics", "claims", "commitments", "events"):
        path = gold_dir / f"{kind}.jsonl"
        if path.is_file():
            gold[kind] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                          if line.strip()]
    return gold


def same_actor(a: str | None, b: str | None) -> bool:
    """Canonical names equal, or the words mostly shared ('each agency that supervises ...')."""
    if not a or not b:
        return False
    names_a = {norm(x) for x in a.split(";")}
    names_b = {norm(x) for x in b.split(";")}
    if names_a == names_b:
        return True
    words_a, words_b = set(norm(a).split()) - {"the", "each", "a", "an"}, set(norm(b).split()) - {"the",
                                                                                                  "each", "a",
                                                                                                  "an"}
    return bool(words_a and words_b) and len(words_a & words_b) / len(words_a | words_b) >= 0.5


def _same_value(gold: Row, pred: Row) -> bool:
    return abs(float(pred["value"]) - float(gold["value"])) <= 1e-6 * max(1.0, abs(float(gold["value"]))) \
        and pred["unit"] == gold["unit"]


KEYS: dict[str, Callable[[Row, Row], bool]] = {
    "metrics": _same_value,
    "claims": lambda g, p: same_actor(g["speaker"], p["speaker"]),
    "commitments": lambda g, p: same_actor(g["actor"], p["actor"]),
    "events": lambda g, p: g["event_type"] == p["event_type"],
}
KEY_NAMES = {"metrics": "value+unit", "claims": "with speaker", "commitments": "with actor",
             "events": "event type"}


def sentence_key(text: str) -> str:
    """The hash that gold rows for documents we may not quote use instead of a sentence prefix."""
    return hashlib.sha1(norm(text).encode("utf-8")).hexdigest()


def _same_sentence(g: Row, p: Row) -> bool:
    if "sentence_sha1" in g:
        return sentence_key(p["sentence"]) == g["sentence_sha1"]
    return norm(p["sentence"]).startswith(norm(g["sentence"]))


def match(gold: list[Row], pred: list[Row],
          key: Callable[[Row, Row], bool]) -> tuple[list[tuple[Row, Row]], int, int]:
    """One-to-one greedy matching within sentences; returns pairs, false positives, false negatives."""
    return match_rows(gold, pred, lambda g,
                      p: p["document"] == g["document"] and _same_sentence(g, p) and key(g, p))


def field_agrees(field: str, gold: Any, pred: Any) -> bool:
    if field == "subject":
        g, p = set(norm(gold).split()), set(norm(pred).split())
        return bool(g and p) and len(g & p) / len(g) >= 0.5
    if field in ("condition", "deadline"):
        return (gold is None) == (pred is None)
    if isinstance(gold, float) or isinstance(pred, float):
        return gold == pred
    return norm(str(gold)) == norm(str(pred)) if gold is not None else pred is None


def score(system: str, kind: str, gold: list[Row], pred: list[Row]) -> list[Score]:
    """The extractor's score on its key, on sentences alone, and per field among matched pairs."""
    pairs, fp, fn = match(gold, pred, KEYS[kind])
    scores = [Score(system, kind, KEY_NAMES[kind], len(pairs), fp, fn)]
    loose, lfp, lfn = match(gold, pred, lambda g, p: True)
    scores.append(Score(system, kind, "sentence", len(loose), lfp, lfn))
    for field in _FIELDS[kind]:
        agree = sum(field_agrees(field, g.get(field), p.get(field)) for g, p in pairs)
        scores.append(Score(system, kind, field, agree, len(pairs) - agree, len(pairs) - agree))
    return scores


def predictions(store: Store, kind: str, documents: set[str], scale: ModalRules) -> list[Row]:
    """Stored findings as rows comparable with gold (a commitment's strength named on ``scale``)."""
    from .query import find

    frame = find(store, kind)
    rows = []
    for row in frame.to_dict(orient="records"):
        row["document"] = Path(row["document_path"]).name
        if row["document"] not in documents:
            continue
        if kind == "commitments":
            row["strength"] = scale.label(int(row["strength"]))
        rows.append({k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()})
    return rows


def evaluate(corpus: Path, gold_dir: Path, settings: Settings, *, db: Path | None = None,
             peers: bool = True, real_corpus: Path | None = None,
             legal_corpus: Path | None = None) -> list[Score]:
    """Ingest ``corpus`` (into ``db`` or a temporary database) and score it against ``gold_dir``.

    When ``gold_dir/real`` exists and ``real_corpus`` holds the documents it describes (real
    texts we do not redistribute), they are scored too, as system "govtrace (real)"; likewise
    ``gold_dir/legal`` on ``legal_corpus`` (regulation PDFs), as "govtrace (legal)".

    Returns:
        Scores for govtrace and, when ``peers``, for quantulum3 and textacy.
    """
    scores = _evaluate_one(corpus, gold_dir, settings, db=db, peers=peers, label="")
    if real_corpus is not None and (gold_dir / "real").is_dir() and real_corpus.is_dir():
        scores += _evaluate_one(real_corpus, gold_dir / "real", settings, db=None, peers=peers,
                                label=" (real)")
    if legal_corpus is not None and (gold_dir / "legal").is_dir() and legal_corpus.is_dir():
        from .evaluate_legal import evaluate_legal

        scores += evaluate_legal(legal_corpus, gold_dir / "legal", settings, peers=peers)
    return scores


def _evaluate_one(corpus: Path, gold_dir: Path, settings: Settings, *, db: Path | None, peers: bool,
                  label: str) -> list[Score]:
    from .batch import ingest

    gold = load_gold(gold_dir)
    documents = {r["document"] for rows in gold.values() for r in rows}
    with tempfile.TemporaryDirectory() as tmp:
        with Store(db or Path(tmp) / "evaluate.db") as store:
            ingest([corpus], store, settings.replace(extract=True))
            scale = rules_for(settings).modals
            scores = [s for kind, rows in gold.items()
                      for s in score("govtrace" + label, kind, rows,
                                     predictions(store, kind, documents, scale))]
            shifts = gold_dir / "shifts.jsonl"
            if shifts.is_file():
                gold_shifts = [json.loads(line) for line in shifts.read_text(encoding="utf-8").splitlines()
                               if line.strip()]
                scores += score_shifts("govtrace", gold_shifts, shift_rows(store))
                scores += score_shifts("difflib", gold_shifts, line_diff_rows(store))
            if peers:
                from .peers import peer_predictions

                for system, kind, rows in peer_predictions(store, documents, settings):
                    if kind in gold:
                        scores.extend(score(system + label, kind, gold[kind], rows)[:1])
    return scores


def shift_rows(store: Store) -> list[Row]:
    """Every computed shift of every version series, as rows comparable with gold shifts."""
    from .compare import compare_series, find_series

    rows = []
    rules = rules_for(Settings())
    for name in find_series(store):
        for step in compare_series(store, name, rules=rules):
            for change in step.changes:
                if change.item_type != "commitment":
                    # the gold annotates commitment shifts; metric value changes are reported beside them
                    continue
                rows.append({"series": name, "old_document": Path(step.old.path).name,
                             "new_document": Path(step.new.path).name, "type": change.shift,
                             "old_sentence": change.old_text, "new_sentence": change.new_text})
    return rows


def score_shifts(system: str, gold: list[Row], pred: list[Row]) -> list[Score]:
    """Shifts found with the right type; found at all (any type); type accuracy among found."""
    def same_place(g: Row, p: Row) -> bool:
        if (g["old_document"], g["new_document"]) != (p["old_document"], p["new_document"]):
            return False
        sides = [(g[k], p[k]) for k in ("old_sentence", "new_sentence") if g[k]]
        # a shift's passage may hold the sentences around the one annotated (a unit of several sentences)
        return all(p_text and norm(g_text) in norm(p_text) for g_text, p_text in sides)

    typed, fp, fn = match_rows(gold, pred, lambda g, p: same_place(g, p) and g["type"] == p["type"])
    placed, pfp, pfn = match_rows(gold, pred, same_place)
    right = sum(g["type"] == p["type"] for g, p in placed)
    return [Score(system, "shifts", "type+sentences", len(typed), fp, fn),
            Score(system, "shifts", "sentences", len(placed), pfp, pfn),
            Score(system, "shifts", "type", right, len(placed) - right, len(placed) - right)]


def match_rows(gold: list[Row], pred: list[Row],
               key: Callable[[Row, Row], bool]) -> tuple[list[tuple[Row, Row]], int, int]:
    """One-to-one greedy matching on an arbitrary key."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and key(g, p):
                used.add(i)
                pairs.append((g, p))
                break
    return pairs, len(pred) - len(used), len(gold) - len(pairs)


def line_diff_rows(store: Store) -> list[Row]:
    """The baseline a line-diff tracker gives: every changed line as a shift with no meaning.

    Deleted lines become 'removed', inserted lines 'added', replaced lines 'reworded'.
    """
    import difflib

    from .compare import find_series

    rows = []
    for name, documents in find_series(store).items():
        for old, new in zip(documents, documents[1:]):
            before, after = old.text.splitlines(), new.text.splitlines()
            matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "equal":
                    continue
                olds, news = before[i1:i2], after[j1:j2]
                for k in range(max(len(olds), len(news))):
                    o = olds[k] if k < len(olds) else None
                    n = news[k] if k < len(news) else None
                    if not (o or "").strip() and not (n or "").strip():
                        continue
                    kind = "removed" if n is None else "added" if o is None else "reworded"
                    rows.append({"series": name, "old_document": Path(old.path).name,
                                 "new_document": Path(new.path).name,
                                 "type": kind, "old_sentence": o, "new_sentence": n})
    return rows


def format_scores(scores: Iterable[Score]) -> str:
    """A plain-text table: system, extractor, field, P, R, F1, counts."""
    lines = [f"{'system':18} {'extractor':12} {'field':14} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} "
             f"{'fn':>4}"]
    for s in scores:
        lines.append(f"{s.system:18} {s.extractor:12} {s.field:14} {s.precision:6.3f} {s.recall:6.3f} "
                     f"{s.f1:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}")
    return "\n".join(lines) + "\n"
