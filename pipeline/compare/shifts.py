"""From aligned passages to classified shifts, with confidence, reason and both sides' locations.

:func:`evidence` turns an :class:`~pipeline.compare.passages.Alignment` into
pieces the direction model can judge: rewritten pairs, and runs of removed or
added sentences grouped by paragraph. :func:`find_shifts` judges them and keeps
the material ones; :func:`label` labels the same pieces from hand-coded
revisions to train the model.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..records import Change, Commitment, Sentence
from ..rules import Rules
from .align import Statement, normalise
from .classify import classify
from .direction import DIRECTION_FEATURES, NOTHING, ReportRate, ShiftModel, embedding_features
from .embed import Embed
from .features import CueGroup, describe, force_moved, lean, pair_features, passage_features, weaker
from .passages import Alignment

# shifts the model gives less than this are left out unless the user asks (compare --min-confidence)
DEFAULT_MIN_CONFIDENCE = 0.5
# the confidence given at least to a pair whose extracted commitments changed modal strength
MODAL_DRIFT_CONFIDENCE = 0.75
# a rewritten passage with less of its wording changed than this, force and figures unmoved, is a rewording
MIN_CHANGED_SHARE = 0.2
SHIFT_NAMES = {"W": "weakened", "S": "strengthened", "X": "removed", "A": "added", "R": "reworded"}


Commitments = dict[int, Commitment]  # sentence index -> the commitment extracted from it
Context = tuple[dict[int, str], dict[str | None, str]]  # each paragraph's text, each section's text


@dataclass(frozen=True)
class Piece:
    """One piece of evidence: which head judges it, its sentences and its features."""

    head: str  # "pair", "removed" or "added"
    old: tuple[Sentence, ...]
    new: tuple[Sentence, ...]
    features: dict[str, float]
    similarity: float | None = None
    rule: tuple[str, str] | None = None  # the rule-based verdict on the extracted commitments, if any
    modal_drift: bool = False  # the extracted commitments' modal strength differs (material by definition)
    prohibition: bool = False  # the passage holds a prohibition the extractor found
    force_moved: bool = False  # words that set its force or conditions inserted or deleted on balance

    @property
    def minor(self) -> bool:
        """A rewritten passage whose wording barely moved (under ``MIN_CHANGED_SHARE`` of its words)
        without moving its force: no binding, hedging, discretionary, conditional or negating word
        inserted or deleted on balance ("will" → present tense is no move: see :func:`force_moved`),
        no figure lost or gained (footnote and cross-reference numbers are not figures), no modal
        drift or measured rule reading. A rewording, whatever the heads say: on the coded revisions
        such pairs were mostly retained commitments, and a scope or cadence word swapped inside a
        kept sentence was more often an edit than a shift."""
        if (self.head != "pair" or self.modal_drift or self.force_moved
                or self.features.get("changed:share", 1.0) >= MIN_CHANGED_SHARE):
            return False
        if self.rule and self.rule[1].startswith(_MEASURED):
            return False
        return not (self.features.get("lost:numbers") or self.features.get("gained:numbers"))


def evidence(alignment: Alignment, rules: Rules, *,
             old_commitments: Commitments | None = None,
             new_commitments: Commitments | None = None) -> list[Piece]:
    """Every rewritten passage and every paragraph run of removed or added sentences.

    A passage is a unit as a careful reader takes it (see :func:`_units`): the sentences
    rewritten in one paragraph together with the sentences dropped from or added to that
    paragraph. With the commitments extracted from each version, the rule-based verdict on
    a rewritten passage (modal strength, polarity, conditions, figures, scope; see
    :mod:`.classify`) and whether a lone passage holds an extracted commitment become
    features too.
    """
    old_commitments, new_commitments = old_commitments or {}, new_commitments or {}
    groups = rules.compare.cue_groups
    old_sentences = [s for m in alignment.matches for s in m.old] + alignment.removed
    new_sentences = [s for m in alignment.matches for s in m.new] + alignment.added
    old_context = (_paragraphs(old_sentences), _sections(old_sentences))
    new_context = (_paragraphs(new_sentences), _sections(new_sentences))
    # paragraphs (list items are paragraphs of their own) that keep at least one sentence
    kept_old = {s.paragraph for m in alignment.matches for s in m.old}
    kept_new = {s.paragraph for m in alignment.matches for s in m.new}
    pieces = []
    for old, new, similarity, pairs in _units(alignment):
        if old and new:
            rule = _unit_rule(pairs, old_commitments, new_commitments, rules)
            prohibition = _prohibition(old, old_commitments) or _prohibition(new, new_commitments)
            pieces.append(_rewritten(old, new, similarity, rule, prohibition, groups, old_context,
                                     new_context))
        elif old:
            pieces.append(Piece("removed", old, (), _alone(old, kept_old, groups),
                                prohibition=_prohibition(old, old_commitments)))
        else:
            pieces.append(Piece("added", (), new, _alone(new, kept_new, groups),
                                prohibition=_prohibition(new, new_commitments)))
    return pieces


# the most sentences (both sides together) one unit gathers: a commitment rarely spans more,
# and a whole rewritten section is not one shift
MAX_UNIT_SENTENCES = 6

Passage = tuple[Sentence, ...]
# old and new sentences, the best similarity of its aligned pairs, and those pairs (old, new)
Unit = tuple[Passage, Passage, float | None, tuple[tuple[Passage, Passage], ...]]


def _units(alignment: Alignment) -> list[Unit]:
    """The rewritten pairs and the runs of removed or added sentences, joined where they share a paragraph.

    A sentence dropped from (or added to) a paragraph whose other sentences were rewritten is
    part of that rewrite: the coders judge the commitment the paragraph states, and on its own
    such a sentence reads as removed (added) when the commitment was weakened (strengthened).
    Two runs alone join only where one was dropped from a paragraph and the other added to the
    paragraph it became (:func:`_join_kept_paragraphs`), and no unit grows past ``MAX_UNIT_SENTENCES``.
    """
    units: list[Unit] = [(m.old, m.new, m.similarity, ((m.old, m.new),)) for m in alignment.matches
                         if not m.identical]
    units += [(run, (), None, ()) for run in _runs(alignment.removed)]
    units += [((), run, None, ()) for run in _runs(alignment.added)]
    parent = list(range(len(units)))
    size = [len(unit[0]) + len(unit[1]) for unit in units]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    changed_old = {s.paragraph for u in units for s in u[0]}
    changed_new = {s.paragraph for u in units for s in u[1]}
    old_lists = _lead_ins([s for m in alignment.matches for s in m.old] + alignment.removed, changed_old)
    new_lists = _lead_ins([s for m in alignment.matches for s in m.new] + alignment.added, changed_new)
    owner: dict[tuple[str, int], int] = {}  # paragraph -> the latest rewritten pair (or first run) in it
    for i, (old, new, _, _) in enumerate(units):
        pair = bool(old and new)
        for key in [("old", old_lists.get(s.paragraph, s.paragraph)) for s in old] + [
                ("new", new_lists.get(s.paragraph, s.paragraph)) for s in new]:
            j = owner.get(key)
            if j is not None and (pair or units[j][0] and units[j][1]):
                a, b = root(i), root(j)
                if a != b and size[a] + size[b] <= MAX_UNIT_SENTENCES:
                    parent[a] = b
                    size[b] += size[a]
            if j is None or pair:
                owner[key] = i
    _join_kept_paragraphs(alignment, units, root, parent, size)
    members: dict[int, list[Unit]] = {}
    for i, unit in enumerate(units):
        members.setdefault(root(i), []).append(unit)
    joined = []
    for group in members.values():
        old = tuple(sorted({s.index: s for u in group for s in u[0]}.values(), key=lambda s: s.index))
        new = tuple(sorted({s.index: s for u in group for s in u[1]}.values(), key=lambda s: s.index))
        similarities = [u[2] for u in group if u[2] is not None]
        joined.append((old, new, max(similarities) if similarities else None,
                       tuple(pair for u in group for pair in u[3])))
    return joined


def _join_kept_paragraphs(alignment: Alignment, units: list[Unit], root: Callable[[int], int],
                          parent: list[int], size: list[int]) -> None:
    """A run dropped from a paragraph and a run added to the paragraph it became are one rewrite of
    that paragraph's commitment, not a removal beside an addition: join the two where neither joined
    anything else and the two paragraphs correspond one to one (every aligned sentence of the one
    is in the other; in a restructured document a paragraph split across sections pairs nothing)."""
    became: dict[int, set[int]] = {}
    came_from: dict[int, set[int]] = {}
    for match in alignment.matches:
        for sentence in match.old:
            became.setdefault(sentence.paragraph, set()).update(s.paragraph for s in match.new)
        for sentence in match.new:
            came_from.setdefault(sentence.paragraph, set()).update(s.paragraph for s in match.old)

    def alone(i: int) -> bool:
        return root(i) == i and size[i] == len(units[i][0]) + len(units[i][1])

    added_to: dict[int, list[int]] = {}
    for i, (old, new, _, _) in enumerate(units):
        if new and not old and alone(i):
            added_to.setdefault(new[0].paragraph, []).append(i)
    for i, (old, new, _, _) in enumerate(units):
        paragraph = old[0].paragraph if old else None
        counterpart = became.get(paragraph, set()) if paragraph is not None else set()
        if new or not alone(i) or len(counterpart) != 1:
            continue
        (target,) = counterpart
        if came_from.get(target) != {paragraph}:
            continue
        partner = next((j for j in added_to.get(target, [])
                        if alone(j) and size[i] + size[j] <= MAX_UNIT_SENTENCES), None)
        if partner is not None:
            parent[i] = partner
            size[partner] += size[i]


def _lead_ins(sentences: list[Sentence], changed: set[int]) -> dict[int, int]:
    """Each list item's paragraph -> the paragraph that leads into its list (the last paragraph
    before it in the same section), where that lead-in itself changed: a rewritten lead-in and its
    items state one commitment. Under a lead-in kept as it was ("Don't use our services to:"),
    each item is a rule of its own."""
    lead: dict[int, int] = {}
    last: Sentence | None = None
    for sentence in sorted(sentences, key=lambda s: s.index):
        if sentence.kind != "list_item":
            last = sentence
        elif last is not None and last.section == sentence.section and last.paragraph in changed:
            lead[sentence.paragraph] = last.paragraph
    return lead


def _rewritten(old: Passage, new: Passage, similarity: float | None, rule: tuple[str, str] | None,
               prohibition: bool, groups: tuple[CueGroup, ...], old_context: Context,
               new_context: Context) -> Piece:
    """A rewritten passage: how its wording moved, over the passage, its paragraphs and its sections."""
    old_text, new_text = " ".join(s.text for s in old), " ".join(s.text for s in new)
    similarity = similarity if similarity is not None else 0.0
    values = pair_features(old_text, new_text, groups, similarity=similarity)
    values["weaker:passage"] = lean(values, groups)
    before, after = _context(old, old_context[0]), _context(new, new_context[0])
    values["weaker:paragraph"] = (values["weaker:passage"] if (before, after) == (old_text, new_text)
                                  else weaker(before, after, groups))
    values["weaker:section"] = _section_lean(_section_text(old, old_context[1]),
                                            _section_text(new, new_context[1]), groups)
    values[f"rule:{rule[0] if rule else 'none'}"] = 1.0
    drift = bool(rule and rule[1].startswith("modal strength"))
    return Piece("pair", old, new, values, similarity, rule, drift, prohibition,
                 force_moved=force_moved(old_text, new_text, groups))


@functools.lru_cache(maxsize=64)
def _section_lean(before: str, after: str, groups: tuple[CueGroup, ...]) -> float:
    """How much weaker a section reads as a whole: most rewritten passages of a section share it, so
    it is measured once (a word diff over a whole section is the slow part)."""
    return weaker(before, after, groups)


def _sections(sentences: list[Sentence]) -> dict[str | None, str]:
    """Each section's text, its sentences in document order."""
    by_section: dict[str | None, list[str]] = {}
    for sentence in sorted(sentences, key=lambda s: s.index):
        by_section.setdefault(sentence.section, []).append(sentence.text)
    return {section: " ".join(texts) for section, texts in by_section.items()}


def _section_text(sentences: tuple[Sentence, ...], sections: dict[str | None, str]) -> str:
    """The sections a passage sits in, whole."""
    return " ".join(sections[name] for name in dict.fromkeys(s.section for s in sentences))


def _paragraphs(sentences: list[Sentence]) -> dict[int, str]:
    """Each paragraph's text, its sentences in document order."""
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in sorted(sentences, key=lambda s: s.index):
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
    return {paragraph: " ".join(s.text for s in run) for paragraph, run in by_paragraph.items()}


def _context(sentences: tuple[Sentence, ...], paragraphs: dict[int, str]) -> str:
    """The paragraphs a passage sits in: a hedge or a dropped figure often sits in the sentence beside
    the one aligned (the coders judge the commitment, not the sentence)."""
    return " ".join(paragraphs[p] for p in dict.fromkeys(s.paragraph for s in sentences))


def _statement(sentences: tuple[Sentence, ...], commitments: Commitments) -> Statement | None:
    found = [commitments[s.index] for s in sentences if s.index in commitments]
    if not found:
        return None
    c = found[0]
    return Statement(text=" ".join(s.text for s in sentences), document="", page=None,
                     start=sentences[0].start, strength=c.strength, polarity=c.polarity,
                     condition=c.condition, kind=c.kind, modal=c.modal)


def _rule(old: tuple[Sentence, ...], new: tuple[Sentence, ...], old_commitments: Commitments,
          new_commitments: Commitments, rules: Rules) -> tuple[str, str] | None:
    """The rule-based verdict when both sides hold an extracted commitment ('same' for cosmetics only)."""
    before, after = _statement(old, old_commitments), _statement(new, new_commitments)
    if before is None or after is None:
        return None
    return classify(before, after, rules) or ("same", "")


def _unit_rule(pairs: tuple[tuple[Passage, Passage], ...], old_commitments: Commitments,
               new_commitments: Commitments, rules: Rules) -> tuple[str, str] | None:
    """The rule-based verdict on a unit, read pair by aligned pair (a commitment is compared with its
    own counterpart, not with a sentence beside it): a measured verdict first (modal strength,
    polarity, a figure moved), then any other, then 'same'."""
    verdicts = [v for v in (_rule(old, new, old_commitments, new_commitments, rules) for old, new in pairs)
                if v]
    for measured in (("modal strength",), _MEASURED):
        found = next((v for v in verdicts if v[1].startswith(measured)), None)
        if found:
            return found
    return next((v for v in verdicts if v[0] != "same"), verdicts[0] if verdicts else None)


def _prohibition(run: tuple[Sentence, ...], commitments: Commitments) -> bool:
    return any(commitments[s.index].kind == "prohibition" for s in run if s.index in commitments)


def _runs(sentences: list[Sentence], *, max_sentences: int = 3) -> list[tuple[Sentence, ...]]:
    """Consecutive sentences of one paragraph form one run (a passage removed or added whole),
    up to ``max_sentences``: a commitment rarely spans more, and a whole rewritten page is not one shift."""
    runs: list[list[Sentence]] = []
    for sentence in sorted(sentences, key=lambda s: s.index):
        last = runs[-1][-1] if runs else None
        if (last and last.paragraph == sentence.paragraph and sentence.index - last.index <= 2
                and len(runs[-1]) < max_sentences):
            runs[-1].append(sentence)
        else:
            runs.append([sentence])
    return [tuple(run) for run in runs]


def _alone(run: tuple[Sentence, ...], kept: set[int], groups: tuple[CueGroup, ...]) -> dict[str, float]:
    """Features of a run with no counterpart: what it says, and whether its paragraph survives."""
    text = " ".join(s.text for s in run)
    values = passage_features(text, groups)
    values["context:matched"] = float(run[0].paragraph in kept)
    values["context:list_item"] = float(all(s.kind == "list_item" for s in run))
    values["context:sentences"] = float(len(run))
    return values


def sentence_features(text: str, vector, groups: tuple[CueGroup, ...]) -> dict[str, float]:
    """What the commitment head reads of one sentence: its embedding and its cue counts."""
    values = {k: v for k, v in passage_features(text, groups).items() if k.startswith("has:")}
    return values | (embedding_features(vector) if vector is not None else {})


def commitment_scores(pieces: list[Piece], model: ShiftModel, groups: tuple[CueGroup, ...],
                      embed: Embed | None) -> list[float]:
    """How much each piece reads as a commitment: the highest score among its sentences."""
    sentences = {s.text: s for p in pieces for s in p.old + p.new}
    texts = list(sentences)
    vectors = embed(texts) if embed is not None and texts else [None] * len(texts)
    score = {t: model.commitment(sentence_features(t, v, groups)) for t, v in zip(texts, vectors)}
    # a prohibition the extractor found is a rule of the document even where the developer does not
    # speak of its own practice (a usage policy's "Don't use our services to: ...")
    return [max([score[s.text] for s in p.old + p.new] + [_PROHIBITION * p.prohibition])
            for p in pieces]


_PROHIBITION = 0.9  # how much an extracted prohibition reads as a commitment


def judged_features(piece: Piece, commitment: float) -> dict[str, float]:
    return piece.features | {"reads:commitment": commitment}


@dataclass(frozen=True)
class Verdict:
    """The heads' judgement of one piece, and how much the piece reads as a commitment."""

    piece: Piece
    label: str
    probability: float
    reason: str
    commitment: float
    # the most probable material verdict, when a report rate asks for the piece
    material: tuple[str, float, str]


# what :func:`select` reports: each verdict with its class, confidence and reason
Chosen = list[tuple[Verdict, str, float, str]]


def judge(pieces: list[Piece], model: ShiftModel, groups: tuple[CueGroup, ...], embed: Embed | None = None
          ) -> list[Verdict]:
    """Judge every piece once; :func:`select` then picks the shifts to report."""
    verdicts = []
    for piece, commitment in zip(pieces, commitment_scores(pieces, model, groups, embed)):
        values = judged_features(piece, commitment)
        if piece.minor:
            verdicts.append(Verdict(piece, "R", model.heads["pair"].probability(values, "R"), _MINOR,
                                    commitment, ("R", 0.0, _MINOR)))
            continue
        label, probability, reason = decide(piece, model, values, groups)
        material = ((label, probability, reason) if label not in NOTHING
                    else _material(piece, model, values, groups))
        verdicts.append(Verdict(piece, label, probability, reason, commitment, material))
    return verdicts


_MINOR = "little of the wording changed, and neither its force, its conditions nor its figures"


def _material(piece: Piece, model: ShiftModel, values: dict[str, float], groups: tuple[CueGroup, ...]
              ) -> tuple[str, float, str]:
    head = model.heads[piece.head]
    shifts = [c for c in head.classes if c not in NOTHING] or ["A" if piece.head == "added" else "X"]
    code = max(shifts, key=lambda c: head.probability(values, c))
    probability = head.probability(values, code)
    if piece.head == "pair":
        code, reason = _direction(piece, model, values, groups)
        return code, probability, reason or "reads as a commitment"
    return _whole_passage(piece, code), probability, "reads as a commitment"


def select(verdicts: list[Verdict], report: ReportRate | None, *,
           min_confidence: float = DEFAULT_MIN_CONFIDENCE,
           include_reworded: bool = False) -> Chosen:
    """The shifts to report, each as (verdict, code, confidence, reason).

    Without a report rate: every material verdict at or above ``min_confidence``. With one:
    the ``report.count`` pieces that read most as commitments, each with its most probable
    material verdict and its commitment score as confidence (the coders trace commitments,
    and whether a passage is one separates traced from untraced changes better than the
    heads' verdicts do). A rewording (:attr:`Piece.minor`) is never a candidate.
    """
    if report is None:
        chosen = [(v, v.label, v.probability, v.reason) for v in verdicts if v.label not in NOTHING]
    else:
        candidates = [v for v in verdicts if not v.piece.minor]
        ranked = sorted(candidates,
                        key=lambda v: -v.commitment)[:report.count([v.commitment for v in candidates])]
        kept = {id(v) for v in ranked}
        chosen = [(v, v.material[0], v.commitment, v.material[2]) for v in ranked]
        # a modal drift is material by definition (codebook §5) and is reported beyond the rate: a short
        # document has few commitment-like pieces, and rounding their share must not drop a "must" → "should"
        chosen += [(v, v.label, v.probability, v.reason) for v in verdicts
                   if id(v) not in kept and v.piece.modal_drift and v.label not in NOTHING]
    chosen = [c for c in chosen if c[2] >= min_confidence]
    if include_reworded:
        kept = {id(c[0]) for c in chosen}
        chosen += [(v, "R", v.probability, "same commitment in other words") for v in verdicts
                   if v.piece.head == "pair" and v.label in NOTHING and id(v) not in kept
                   and v.probability >= min_confidence]
    return chosen


def find_shifts(pieces: list[Piece], model: ShiftModel, groups: tuple[CueGroup, ...], *, old_document: str,
                new_document: str, embed: Embed | None = None, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                include_reworded: bool = False) -> list[Change]:
    """Judge each piece; keep the material shifts :func:`select` reports (and rewordings if asked)."""
    chosen = select(judge(pieces, model, groups, embed), model.report, min_confidence=min_confidence,
                    include_reworded=include_reworded)
    return shifts_of(chosen, old_document=old_document, new_document=new_document)


def shifts_of(chosen: Chosen, *, old_document: str, new_document: str) -> list[Change]:
    """The verdicts :func:`select` chose as shifts, a passage repeated and changed alike merged into one."""
    return merge_repeats([_change(v.piece, SHIFT_NAMES[code], reason, confidence, old_document, new_document)
                          for v, code, confidence, reason in chosen])


def merge_repeats(changes: list[Change]) -> list[Change]:
    """One shift for a passage the document repeats in several places and that changed the same way
    in each (a process stated once per risk domain): the first place is shown, the others are named
    in its reason, and it holds the sentences of all of them. A reader meets the change once."""
    first: dict[tuple[str, str, str], int] = {}
    merged: list[Change] = []
    for change in changes:
        key = (change.shift, normalise(change.old_text or ""), normalise(change.new_text or ""))
        if key not in first:
            first[key] = len(merged)
            merged.append(change)
            continue
        kept = merged[first[key]]
        section, page = change.new_section or change.old_section, change.new_page or change.old_page
        where = (f"“{section}”" if section else "another place") + (f", page {page}" if page else "")
        merged[first[key]] = dataclasses.replace(
            kept, reason=f"{kept.reason}; the same passage also in {where}",
            old_sentences=kept.old_sentences + change.old_sentences,
            new_sentences=kept.new_sentences + change.new_sentences)
    return merged


def decide(piece: Piece, model: ShiftModel, values: dict[str, float], groups: tuple[CueGroup, ...]
           ) -> tuple[str, float, str]:
    """The heads' verdict: the head of the piece says whether it changed materially, and for a
    rewritten pair the direction head says which way (see :func:`_direction`).

    A modal drift of the extracted commitments ("will" → "aim to") is material whatever else
    changed (codebook §5, dimension 4), with at least ``MODAL_DRIFT_CONFIDENCE``.
    """
    label, probability, reason = model.judge(piece.head, values, groups)
    whole = _whole_passage(piece, label)
    if whole != label:
        label, probability = whole, 1.0 - model.heads[piece.head].probability(values, "none")
    if piece.head != "pair" or (label in NOTHING and not piece.modal_drift):
        return label, probability, reason
    head = model.heads["pair"]
    material = sum(head.probability(values, code) for code in ("W", "S"))
    if piece.modal_drift:
        material = max(material, MODAL_DRIFT_CONFIDENCE)
    code, why = _direction(piece, model, values, groups)
    return code, material, why


# rule readings that measure something (see .classify); the others are word counts
_MEASURED = ("modal strength", "a prohibition became", "a statement became", "threshold or deadline")


def _direction(piece: Piece, model: ShiftModel, values: dict[str, float], groups: tuple[CueGroup, ...]
               ) -> tuple[str, str]:
    """W or S for a rewritten pair judged material, and why.

    What the rule reads from the extracted commitments and can measure decides: modal strength,
    polarity, a threshold, deadline or cadence moved. Otherwise the direction head reads the lean
    of the wording over the passage, its paragraph and its section. The rule's looser readings (a
    condition added or shortened, the scope narrowed or widened by word counts) decide only where the
    wording leans neither way (a prohibition's object narrowed by a new clause): on the coded
    revisions they named the direction right 5 times in 20.
    """
    leaning = any(values.get(f, 0.0) for f in DIRECTION_FEATURES)
    if piece.rule and piece.rule[0] in ("weakened", "strengthened") and (
            piece.modal_drift or piece.rule[1].startswith(_MEASURED) or not leaning):
        return ("W" if piece.rule[0] == "weakened" else "S"), piece.rule[1]
    code = model.direction(values)
    sign = 1 if code == "W" else -1
    agreeing = [f for f in DIRECTION_FEATURES if values.get(f, 0.0) * sign > 0]
    why = [describe(agreeing[0], values[agreeing[0]], groups)] if agreeing else []
    if piece.rule and piece.rule[0] == SHIFT_NAMES[code]:
        why.insert(0, piece.rule[1])
    return code, "; ".join(why)


def _change(piece: Piece, shift: str, reason: str, probability: float, old_document: str,
            new_document: str) -> Change:
    old, new = piece.old, piece.new
    if piece.head == "removed" and shift == "removed":
        reason = (f"no counterpart in the newer version ({reason})" if reason
                  else "no counterpart in the newer version")
    elif piece.head == "added" and shift == "added":
        reason = (f"no counterpart in the older version ({reason})" if reason
                  else "no counterpart in the older version")
    elif piece.head != "pair":
        reason = f"{'sentence dropped from' if old else 'sentence added to'} a kept passage: {reason}"
    if old and new and _moved(old[0].section, new[0].section):
        reason += f"; moved from “{old[0].section}” to “{new[0].section}”"
    return Change(
        shift=shift, item_type="commitment", reason=reason,
        old_text=" ".join(s.text for s in old) or None, new_text=" ".join(s.text for s in new) or None,
        old_document=old_document if old else None, new_document=new_document if new else None,
        old_page=old[0].page if old else None, new_page=new[0].page if new else None,
        old_start=old[0].start if old else None, new_start=new[0].start if new else None,
        old_end=old[-1].end if old else None, new_end=new[-1].end if new else None,
        old_section=old[0].section if old else None, new_section=new[0].section if new else None,
        old_sentences=tuple(s.index for s in old), new_sentences=tuple(s.index for s in new),
        similarity=piece.similarity, confidence=round(probability, 3),
        important=shift in ("removed", "weakened"),
    )


def _moved(before: str | None, after: str | None) -> bool:
    """Sections with no word in common (a renumbered or renamed heading is not a move)."""
    words = [set(re.findall(r"[a-z]{3,}", (section or "").lower())) for section in (before, after)]
    return bool(words[0] and words[1]) and not words[0] & words[1]


_PRIORITY = {"pair": "WSR", "removed": "WXS", "added": "A"}
_ADDED_AS = {"A", "S", "W"}  # coded outcomes an added piece is labelled added for


def label(piece: Piece, old_codes: dict[int, set[str]], new_codes: dict[int, set[str]]) -> str:
    """The coded outcome a piece should get: the most telling code among the rows covering its sentences.

    A lone passage whose whole paragraph is gone (or new) is labelled removed (added) even where
    the coders traced it to a weaker (stronger) passage elsewhere: that is what it shows on its own.
    Any new passage without a counterpart that a material trace covers is labelled added: on its
    own it cannot show what it weakens or strengthens, and heads taught otherwise guessed at chance.
    """
    codes = set()
    for sentence in piece.old:
        codes |= old_codes.get(sentence.index, set())
    for sentence in piece.new:
        codes |= new_codes.get(sentence.index, set())
    if piece.head == "added" and codes & _ADDED_AS:
        return "A"
    for code in _PRIORITY[piece.head]:
        if code in codes:
            return _whole_passage(piece, code)
    return "R" if piece.head == "pair" else "none"


def _whole_passage(piece: Piece, code: str) -> str:
    """A lone run whose whole paragraph or list item is gone (or new) is removed (added), not a
    weakened or strengthened kept passage; the same rule labels training pieces and judges new ones."""
    if piece.head != "pair" and code in ("W", "S") and not piece.features.get("context:matched"):
        return "X" if piece.head == "removed" else "A"
    return code
