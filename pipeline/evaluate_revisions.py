"""Score the comparator against hand-coded framework revisions, beside a sentence diff.

For every coded version pair: ingest both texts, align them, judge the
evidence with a direction model trained on the *other* pairs only
(leave-one-pair-out), and score the reported shifts against the coded traces.
A plain ``difflib`` sentence diff runs on the same sentences in the same call.

Scoring (a shift "touches" a coded trace when they share a sentence on either side):
- per class W/S/X/A: precision = reported shifts of that class touching a trace
  coded with it; recall = coded traces touched by a shift of their class;
- false-shift rate: retained traces (R) touched by any material shift;
- shifts per material change: reported shifts / coded material traces;
- changelog audit: among material traces touched by a reported shift, how often
  ``announced`` agrees with the coding (ANN and ANN-P announced, SIL silent,
  NCL: no changelog found).
"""

from __future__ import annotations

import difflib
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .compare import changelog as changelog_lib, commitments_by_sentence
from .compare.align import normalise
from .compare.coded import MATERIAL_OUTCOMES, CodedPair, covered, load_coded_pairs
from .compare.direction import COMMITMENT, Head, ReportRate, ShiftModel, fit, fit_head
from .compare.embed import Memo, encoder
from .compare.passages import align_passages, comparable
from .compare.shifts import (
    DEFAULT_MIN_CONFIDENCE,
    SHIFT_NAMES,
    Chosen,
    Piece,
    Verdict,
    commitment_scores,
    evidence,
    judge,
    judged_features,
    label,
    select,
    sentence_features,
    shifts_of,
)
from .config import Settings
from .records import Change, Sentence
from .rules import rules_for
from .store import Store

CLASSES = MATERIAL_OUTCOMES  # S, W, X, A
_CODE = {"weakened": "W", "strengthened": "S", "removed": "X", "added": "A"}


@dataclass
class Tally:
    """Counts behind every figure of one system on one or more pairs."""

    predicted: Counter = field(default_factory=Counter)  # shifts reported per class
    correct: Counter = field(default_factory=Counter)  # of those, touching a trace of that class
    coded: Counter = field(default_factory=Counter)  # coded traces per class
    recalled: Counter = field(default_factory=Counter)  # coded traces touched by a shift of their class
    retained: int = 0
    false_shifts: int = 0
    reported: int = 0
    material: int = 0
    audited: int = 0
    audit_right: int = 0
    audited_with_log: int = 0
    audit_right_with_log: int = 0

    @classmethod
    def of(cls, tallies: Iterable[Tally]) -> Tally:
        """The counts of several pairs together."""
        total = cls()
        for tally in tallies:
            total.add(tally)
        return total

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)

    def figures(self) -> dict[str, Any]:
        per_class = {}
        for code in CLASSES:
            p = self.correct[code] / self.predicted[code] if self.predicted[code] else 0.0
            r = self.recalled[code] / self.coded[code] if self.coded[code] else 0.0
            per_class[code] = {"precision": round(p, 3), "recall": round(r, 3),
                               "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                               "reported": self.predicted[code], "coded": self.coded[code]}
        present = [c for c in CLASSES if self.coded[c]]
        return {
            "macro_f1": round(sum(per_class[c]["f1"] for c in present) / max(len(present), 1), 3),
            "per_class": per_class,
            "false_shift_rate": round(self.false_shifts / self.retained, 3) if self.retained else 0.0,
            "shifts_per_material": round(self.reported / self.material, 2) if self.material else None,
            "reported": self.reported, "material": self.material,
            "audit_accuracy": round(self.audit_right / self.audited, 3) if self.audited else None,
            "audit_accuracy_with_changelog": (round(self.audit_right_with_log / self.audited_with_log, 3)
                                              if self.audited_with_log else None),
            "audited": self.audited,
        }


@dataclass
class PairData:
    """A coded pair made ready: its sentences, the coded traces' sentences, and the evidence pieces."""

    pair: CodedPair
    old: list[Sentence]
    new: list[Sentence]
    old_cover: dict[str, set[int]]
    new_cover: dict[str, set[int]]
    pieces: list[Piece]
    labels: list[str]
    entries: list[str]
    embed: Memo | None
    traced: tuple[set[int], set[int]]  # old and new sentences inside any coded trace


def prepare(store: Store, pair: CodedPair, settings: Settings, *, embed) -> PairData:
    """Align one pair, project the coding onto its sentences and label each evidence piece."""
    documents = {Path(d.path).resolve(): d for d in store.documents()}
    old_document, new_document = documents[pair.old_path.resolve()], documents[pair.new_path.resolve()]
    assert old_document.id is not None and new_document.id is not None  # stored documents have ids
    old, new = store.sentences(old_document.id), store.sentences(new_document.id)
    old_cover = {c.id: covered(old, c.old_quote) for c in pair.changes}
    new_cover = {c.id: covered(new, c.new_quote) for c in pair.changes}
    old_codes: dict[int, set[str]] = {}
    new_codes: dict[int, set[str]] = {}
    for change in pair.changes:
        for index in old_cover[change.id]:
            old_codes.setdefault(index, set()).add(change.outcome)
        for index in new_cover[change.id]:
            new_codes.setdefault(index, set()).add(change.outcome)
    rules = rules_for(settings)
    memo = Memo(embed) if embed is not None else None
    pieces = evidence(align_passages(old, new, rules, embed=memo), rules,
                      old_commitments=commitments_by_sentence(store, old_document),
                      new_commitments=commitments_by_sentence(store, new_document))
    entries = changelog_lib.entries(new, _account(pair), date=new_document.date)
    return PairData(pair, old, new, old_cover, new_cover, pieces,
                    [label(p, old_codes, new_codes) for p in pieces],
                    entries, memo, (set(old_codes), set(new_codes)))


def _account(pair: CodedPair) -> Path | None:
    """The developer's revision account, unless the set records that none was published."""
    path = pair.changelog_path
    if path is None or not path.is_file():
        return None
    return None if path.read_text(encoding="utf-8").lstrip().upper().startswith("NONE") else path


def score(data: PairData, changes: list[Change]) -> Tally:
    """Count one system's shifts on one pair against the coding (see the module docstring)."""
    tally = Tally(reported=len(changes), material=data.pair.material)
    touches = [[c for c in data.pair.changes if _touches(ch, data, c.id)] for ch in changes]
    for change, traces in zip(changes, touches):
        code = _CODE.get(change.shift)
        if code:
            tally.predicted[code] += 1
            tally.correct[code] += any(t.outcome == code for t in traces)
    for coded in data.pair.changes:
        hits = [ch for ch, traces in zip(changes, touches) if coded in traces]
        if coded.outcome == "R":
            tally.retained += 1
            tally.false_shifts += any(_CODE.get(ch.shift) for ch in hits)
            continue
        if coded.outcome in CLASSES:
            tally.coded[coded.outcome] += 1
            tally.recalled[coded.outcome] += any(_CODE.get(ch.shift) == coded.outcome for ch in hits)
        material_hits = [ch for ch in hits if _CODE.get(ch.shift)]
        if coded.material and material_hits:
            _audit(tally, coded.announcement, material_hits[0])
    return tally


def _audit(tally: Tally, coded: str, change: Change) -> None:
    if coded == "NCL":
        right = change.announced is None
    else:
        right = change.announced is (coded in ("ANN", "ANN-P"))
        tally.audited_with_log += 1
        tally.audit_right_with_log += right
    tally.audited += 1
    tally.audit_right += right


def _touches(change: Change, data: PairData, trace: str) -> bool:
    return bool(set(change.old_sentences) & data.old_cover[trace]
                or set(change.new_sentences) & data.new_cover[trace])


def sentence_diff(data: PairData) -> list[Change]:
    """The baseline: a difflib diff of the two versions' sentences, one shift per sentence as a line
    diff shows it (deleted or replaced old sentence → removed, inserted or replacing one → added)."""
    old, new = comparable(data.old), comparable(data.new)
    matcher = difflib.SequenceMatcher(a=[normalise(s.text) for s in old], b=[normalise(s.text) for s in new],
                                      autojunk=False)
    changes = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        changes += [Change(shift="removed", item_type="sentence", reason="line diff", old_text=s.text,
                           new_text=None, old_sentences=(s.index,)) for s in old[i1:i2]]
        changes += [Change(shift="added", item_type="sentence", reason="line diff", old_text=None,
                           new_text=s.text, new_sentences=(s.index,)) for s in new[j1:j2]]
    return changes


def commitment_rows(prepared: list[PairData], settings: Settings) -> list[tuple[dict[str, float], str]]:
    """Sentences of the evidence pieces, labelled by whether a coded trace covers them."""
    groups = rules_for(settings).compare.cue_groups
    rows = []
    for data in prepared:
        for side, traced in ((lambda p: p.old, data.traced[0]), (lambda p: p.new, data.traced[1])):
            sentences = {s.index: s for p in data.pieces for s in side(p)}
            texts = [s.text for s in sentences.values()]
            vectors = data.embed(texts) if data.embed is not None and texts else [None] * len(texts)
            rows += [(sentence_features(s.text, v, groups), "yes" if i in traced else "no")
                     for (i, s), v in zip(sentences.items(), vectors)]
    return rows


def train(prepared: list[PairData], settings: Settings, *, c: float = 0.5,
          commitment_c: float = 0.02) -> ShiftModel:
    """Fit the commitment head, then the three direction heads on features that include its scores,
    then choose the report rate by cross-validation over the same pairs (:func:`choose_report_rate`).

    The commitment head reads 384 embedding dimensions from about 2,000 sentences, so it is
    regularised harder (``commitment_c``) than the heads over a few dozen named features.
    """
    commitment = fit_head(commitment_rows(prepared, settings), c=commitment_c)
    reader = ShiftModel({COMMITMENT: commitment})
    groups = rules_for(settings).compare.cue_groups
    scores = [commitment_scores(d.pieces, reader, groups, d.embed) for d in prepared]
    model = _fit_heads(prepared, scores, commitment, c=c)
    report = choose_report_rate(prepared, scores, commitment, settings, c=c) if len(prepared) > 2 else None
    return ShiftModel(model.heads, tuple(d.pair.id for d in prepared), report)


def _fit_heads(prepared: list[PairData], scores: list[list[float]], commitment: Head, *,
               c: float) -> ShiftModel:
    rows: dict[str, list[tuple[dict[str, float], str]]] = {}
    for data, piece_scores in zip(prepared, scores):
        for piece, code, score in zip(data.pieces, data.labels, piece_scores):
            rows.setdefault(piece.head, []).append((judged_features(piece, score), code))
    return fit(rows, c=c, commitment=commitment)


# the report rates tried: share of commitment-like pieces reported, and the score that makes one
REPORT_RATES = tuple(ReportRate(share / 10, floor) for share in range(2, 11) for floor in (0.5, 0.7))


def choose_report_rate(prepared: list[PairData], scores: list[list[float]], commitment: Head,
                       settings: Settings, *, c: float = 0.5) -> ReportRate:
    """The report rate with the best macro-F1 when each pair is judged by heads trained on the others.

    The commitment head is the one fitted on all of ``prepared`` (refitting it per pair would
    cost 2-3 s each); the held-out pair of an evaluation never reaches this choice.
    """
    groups = rules_for(settings).compare.cue_groups
    judged: list[tuple[PairData, list[Verdict]]] = []
    for data in prepared:
        others = [i for i, d in enumerate(prepared) if d is not data]
        heads = _fit_heads([prepared[i] for i in others], [scores[i] for i in others], commitment, c=c)
        judged.append((data, judge(data.pieces, heads, groups, data.embed)))

    def macro_f1(rate: ReportRate) -> float:
        return Tally.of(score(data, [_bare(v, code) for v, code, _, _ in
                                     select(verdicts, rate, min_confidence=0.0)])
                        for data, verdicts in judged).figures()["macro_f1"]

    return max(REPORT_RATES, key=macro_f1)  # the first (most sparing) of equal rates wins


def _bare(verdict: Verdict, code: str) -> Change:
    """Just what scoring reads of a shift: its kind and sentences."""
    return Change(shift=SHIFT_NAMES[code], item_type="commitment", reason="", old_text=None, new_text=None,
                  old_sentences=tuple(s.index for s in verdict.piece.old),
                  new_sentences=tuple(s.index for s in verdict.piece.new))


def shifts_for(data: PairData, chosen: Chosen) -> list[Change]:
    """A pair's reported shifts from the verdicts :func:`select` chose, audited against its changelog."""
    changes = shifts_of(chosen, old_document=str(data.pair.old_path), new_document=str(data.pair.new_path))
    return changelog_lib.audit(changes, data.entries, embed=data.embed)


def load_prepared(folder: Path, settings: Settings, *, db: Path | None = None, semantic: bool = True
                  ) -> list[PairData]:
    """Ingest every text of a coded set (into ``db`` or a temporary database) and prepare each pair."""
    from .batch import ingest

    pairs = load_coded_pairs(folder)
    embed = encoder(settings.embedding_model).encode if semantic else None
    with tempfile.TemporaryDirectory() as tmp:
        with Store(db or Path(tmp) / "revisions.db") as store:
            paths = sorted({p.old_path for p in pairs} | {p.new_path for p in pairs})
            ingest(paths, store, settings.replace(extract=True))
            return [prepare(store, pair, settings, embed=embed) for pair in pairs]


def evaluate_revisions(folder: Path, settings: Settings, *, db: Path | None = None, semantic: bool = True,
                       min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> dict[str, Any]:
    """Leave-one-pair-out figures for govtrace and the sentence-diff figures, per pair and overall,
    each overall macro-F1 with its interval over the pairs (:func:`pair_interval`), and the
    overall macro-F1 of each what-if of :func:`what_if` (where the remaining error lies)."""
    prepared = load_prepared(folder, settings, db=db, semantic=semantic)
    tallies: dict[str, list[Tally]] = {"govtrace": [], "difflib": []}
    what_ifs: dict[str, list[Tally]] = {name: [] for name in WHAT_IF}
    per_pair = {}
    groups = rules_for(settings).compare.cue_groups
    for held_out in prepared:
        rest = [d for d in prepared if d is not held_out]
        model = train(rest, settings)
        verdicts = judge(held_out.pieces, model, groups, held_out.embed)
        chosen = select(verdicts, model.report, min_confidence=min_confidence)
        ours = score(held_out, shifts_for(held_out, chosen))
        diff = score(held_out, sentence_diff(held_out))
        tallies["govtrace"].append(ours)
        tallies["difflib"].append(diff)
        per_pair[held_out.pair.id] = {"govtrace": ours.figures(), "difflib": diff.figures()}
        for name, tally in what_if(held_out, verdicts, [(v, code) for v, code, _, _ in chosen]).items():
            what_ifs[name].append(tally)
    overall = {name: Tally.of(per).figures() | {"macro_f1_interval": pair_interval(per)}
               for name, per in tallies.items()}
    return {"overall": overall, "pairs": per_pair,
            "what_if": {name: Tally.of(per).figures()["macro_f1"] for name, per in what_ifs.items()}}


# where the remaining error lies: the held-out pair scored with part of the verdicts made perfect
WHAT_IF = {
    "ceiling": "every unit given its coded outcome (what these units allow)",
    "coded_units": "the units the coders traced as changed, each with the model's class",
    "coded_classes": "the units the model reports, each traced one with its coded class",
}


def what_if(data: PairData, verdicts: list[Verdict], chosen: list[tuple[Verdict, str]]) -> dict[str, Tally]:
    """The pair scored three more ways (see ``WHAT_IF``), to tell which error costs most: choosing
    the units to report (``coded_units`` against the model), or naming their class (``coded_classes``),
    and how far perfect verdicts on today's units would go (``ceiling``). ``verdicts`` are the
    model's verdicts on ``data.pieces``, in order; ``chosen`` the (verdict, class) pairs it reports."""
    coded = {id(v): code for v, code in zip(verdicts, data.labels) if code in CLASSES}
    return {
        "ceiling": score(data, [_bare(v, coded[id(v)]) for v in verdicts if id(v) in coded]),
        "coded_units": score(data, [_bare(v, v.material[0]) for v in verdicts
                                    if id(v) in coded and v.material[0] in SHIFT_NAMES]),
        "coded_classes": score(data, [_bare(v, coded.get(id(v), code)) for v, code in chosen]),
    }


def pair_interval(tallies: list[Tally], *, draws: int = 2000, level: float = 0.9,
                  seed: int = 0) -> tuple[float, float]:
    """How far the overall macro-F1 could move with other pairs of the same kind: the central
    ``level`` of its values when the pairs are drawn again with replacement (a percentile bootstrap
    over pairs, the unit the coders and the leave-one-pair-out training share).

    With eight pairs, one of which holds a quarter of the coded changes, the interval is wide; a
    difference between two versions of the comparator well inside it is not evidence either way.
    """
    rng = np.random.default_rng(seed)
    values = [Tally.of(tallies[i] for i in rng.integers(0, len(tallies), len(tallies))).figures()["macro_f1"]
              for _ in range(draws)]
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return round(float(low), 3), round(float(high), 3)


def format_revisions(result: dict[str, Any]) -> str:
    """The figures as a fixed-width table: one row per pair and system, then overall."""
    head = (f"{'pair':<8} {'system':<9} {'macro-F1':>8} " + " ".join(f"{c + ' P/R':>11}" for c in "WSXA")
            + f" {'false R':>8} {'shifts/mat':>10} {'audit':>6}")
    lines = [head, "-" * len(head)]
    rows = [(pair, figures) for pair, figures in result["pairs"].items()] + [("overall", result["overall"])]
    for pair, figures in rows:
        for system, f in figures.items():
            classes = " ".join(f"{f['per_class'][c]['precision']:>5.2f}/{f['per_class'][c]['recall']:<5.2f}"
                               for c in "WSXA")
            audit = "-" if f["audit_accuracy"] is None else f"{f['audit_accuracy']:.2f}"
            ratio = "-" if f["shifts_per_material"] is None else f"{f['shifts_per_material']:.2f}"
            lines.append(f"{pair:<8} {system:<9} {f['macro_f1']:>8.3f} {classes} "
                         f"{f['false_shift_rate']:>8.2f} {ratio:>10} {audit:>6}")
    for system, f in result["overall"].items():
        low, high = f["macro_f1_interval"]
        lines.append(f"{system}: overall macro-F1 {f['macro_f1']:.3f}, 90% interval over the pairs "
                     f"{low:.3f}-{high:.3f} (the pairs drawn again with replacement)")
    for name, macro in result.get("what_if", {}).items():
        lines.append(f"what if {WHAT_IF[name]}: macro-F1 {macro:.3f}")
    return "\n".join(lines) + "\n"


def train_shift_model(folder: Path, settings: Settings, out: Path, *, db: Path | None = None) -> ShiftModel:
    """Fit the direction model on every coded pair of ``folder`` and write it to ``out`` (JSON)."""
    model = train(load_prepared(folder, settings, db=db), settings)
    model.save(out)
    return model
