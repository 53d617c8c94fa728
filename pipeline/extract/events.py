"""Events acting on commitments ("dropped a key safety pledge", "overhauled its policy"), linked to them.

A commitment named inside the event ("its central commitment to never train
... unless ...") is extracted too, and the per-document finalizer links each
event to the commitment it acts on and sets that commitment's status.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from ..nlp import lemma, text_of
from ..records import Commitment, CommitmentEvent, Extraction
from ..rules import Rules
from . import WORD, finalizer, register
from .commitments import actor_of, subject_of
from .context import DocContext


def might_hold_event(text: str, rules: Rules) -> bool:
    """Cheap pass: a word starting like a verb that can act on a commitment, and a noun it can act on."""
    words = WORD.findall(text.lower())
    return (any(w.startswith(rules.events.verb_stems) for w in words)
            and not rules.events.object_forms.isdisjoint(words))


@register("events", prefilter=might_hold_event)
def events(doc: Doc, context: DocContext) -> Iterator[CommitmentEvent | Commitment]:
    """Yield events on commitments in one parsed sentence, and commitments they name."""
    for token in doc:
        if token.pos_ != "VERB":
            continue
        event_type = context.rules.events.verbs.get(lemma(token).lower())
        if event_type is None:
            continue
        target = _target(token, context.rules.events.objects)
        if target is None:
            continue
        subject = subject_of(token)
        actor = actor_of(subject, context) if subject is not None else context.focus_org
        target_text = "".join(t.text_with_ws for t in target.subtree).strip(" ,.;—")
        start = min(t.idx for t in token.subtree)
        end = max(t.idx + len(t) for t in token.subtree)
        yield CommitmentEvent(evidence=context.evidence(start, end), actor=actor, event_type=event_type,
                              text=text_of(doc)[start:end], target=target_text)
        named = _named_commitment(target, actor, event_type, context)
        if named is not None:
            yield named


def _target(verb: Token, objects: frozenset[str]) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass") and lemma(child).lower() in objects:
            return child
    return None


def _named_commitment(target: Token, actor: str | None, event_type: str,
                      context: DocContext) -> Commitment | None:
    """'its central commitment to never train an AI system unless ...' as a commitment record."""
    clause = next((c for c in target.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"), None)
    if clause is None:
        return None
    words = list(clause.subtree)
    start, end = words[0].idx, words[-1].idx + len(words[-1])
    negative = any(t.lower_ in ("never", "not") for t in words)
    # the parser often hangs 'unless ...' on the main verb; the condition still belongs to the pledge
    condition = context.rules.modals.condition_in(text_of(clause.doc)[start:])
    if condition:
        end = max(end, text_of(clause.doc).find(condition, start) + len(condition))
    text = text_of(clause.doc)[start:end].strip()
    status = context.rules.events.status.get(event_type, "active")
    return Commitment(
        evidence=context.evidence(start, end), actor=actor, text=text, action=re.sub(r"^to\s+", "", text),
        kind="prohibition" if negative else ("conditional" if condition else "pledge"), strength=3,
        modal=lemma(target), polarity="negative" if negative else "positive", condition=condition,
        status=status,
    )


@finalizer("events")
def link_events(extraction: Extraction, context: DocContext) -> Extraction:
    """Point each event at the commitment it acts on and set that commitment's status."""
    commitments = list(extraction.commitments)
    linked = []
    for event in extraction.events:
        index = _best_match(event, commitments)
        if index is not None:
            status = context.rules.events.status.get(event.event_type)
            if status and commitments[index].status == "active":
                commitments[index] = dataclasses.replace(commitments[index], status=status)
            event = dataclasses.replace(event, commitment_index=index)
        linked.append(event)
    return dataclasses.replace(extraction, commitments=tuple(commitments), events=tuple(linked))


def _best_match(event: CommitmentEvent, commitments: list[Commitment]) -> int | None:
    same_sentence = [i for i, c in enumerate(commitments)
                     if c.evidence.sentence_index == event.evidence.sentence_index]
    if same_sentence:
        return same_sentence[0]
    target = set(re.findall(r"[a-z]{4,}", (event.target or "").lower()))
    best, best_score = None, 0.34
    for i, commitment in enumerate(commitments):
        words = set(re.findall(r"[a-z]{4,}", commitment.text.lower()))
        score = len(target & words) / max(len(target), 1)
        if score > best_score:
            best, best_score = i, score
    return best


__all__ = ["events", "link_events"]
