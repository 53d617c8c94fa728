"""Records: every vocabulary is a StrEnum that the records enforce, and the rules under models/ keep to it."""

from __future__ import annotations

import json

import pytest

from pipeline.config import Settings
from pipeline.errors import GovtraceError, VocabularyError
from pipeline.records import (
    COMMITMENT_STATUSES,
    DOCUMENT_KINDS,
    EVENT_TYPES,
    QUALIFIERS,
    SHIFT_TYPES,
    Block,
    Change,
    Claim,
    Commitment,
    CommitmentEvent,
    Corroboration,
    Document,
    Evidence,
    Metric,
    MetricReport,
    Position,
    Sentence,
    ShiftType,
)

EVIDENCE = Evidence(sentence_index=0, start=0, end=4)


def _change(**fields):
    return Change(**{"shift": "removed", "item_type": "commitment", "reason": "", "old_text": "x",
                     "new_text": None, **fields})


def _position(**fields):
    return Position(**{"actor": "Anthropic", "date": "2026", "kind": "pledge", "text": "x", "document": "d",
                       "source": "own", **fields})


BUILDERS = {
    "Block.kind": lambda v: Block(start=0, end=1, kind=v),
    "Sentence.kind": lambda v: Sentence(index=0, text="x", start=0, end=1, kind=v),
    "Document.kind": lambda v: Document(path="p", sha256="s", format="text", text="x", kind=v),
    "Metric.unit": lambda v: Metric(evidence=EVIDENCE, text="80%", value=80.0, unit=v),
    "Metric.qualifier": lambda v: Metric(evidence=EVIDENCE, text="80%", value=80.0, unit="percent",
                                         qualifier=v),
    "Claim.claim_type": lambda v: Claim(evidence=EVIDENCE, speaker=None, text="x", quoted=False,
                                        claim_type=v),
    "Commitment.kind": lambda v: Commitment(evidence=EVIDENCE, actor=None, text="x", action="x", kind=v,
                                            strength=3),
    "Commitment.status": lambda v: Commitment(evidence=EVIDENCE, actor=None, text="x", action="x",
                                              kind="pledge", strength=3, status=v),
    "Commitment.polarity": lambda v: Commitment(evidence=EVIDENCE, actor=None, text="x", action="x",
                                                kind="pledge", strength=3, polarity=v),
    "CommitmentEvent.event_type": lambda v: CommitmentEvent(evidence=EVIDENCE, actor=None, event_type=v,
                                                            text="x"),
    "Change.shift": lambda v: _change(shift=v),
    "Change.item_type": lambda v: _change(item_type=v),
    "Position.kind": lambda v: _position(kind=v),
    "Position.source": lambda v: _position(source=v),
    "Corroboration.unit": lambda v: Corroboration(
        entity="e", unit=v, subject=None, consistent=True, difference=0.0,
        reports=(MetricReport(1.0, "1", "a", None, "s"), MetricReport(1.0, "1", "b", None, "s"))),
}


@pytest.mark.parametrize("field", sorted(BUILDERS))
def test_a_value_outside_its_vocabulary_is_refused_naming_the_field_and_what_it_may_be(field):
    with pytest.raises(VocabularyError) as raised:
        BUILDERS[field]("made")
    message = str(raised.value)
    assert message.startswith(f"{field} cannot be 'made'; it is one of: ")
    assert raised.value.allowed and "made" not in raised.value.allowed
    assert all(value in message for value in raised.value.allowed)
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, GovtraceError)


def test_a_value_in_its_vocabulary_becomes_the_member_and_serialises_as_the_same_string():
    change = _change(shift="weakened")
    assert change.shift is ShiftType.WEAKENED and change.shift == "weakened"
    assert json.dumps(change.to_dict()["shift"]) == '"weakened"'
    assert _change(shift=ShiftType.ADDED).shift is ShiftType.ADDED
    assert Metric(evidence=EVIDENCE, text="x", value=1.0, unit="percent").qualifier is None  # optional


def test_the_tuples_keep_the_plain_values_in_declaration_order():
    assert SHIFT_TYPES == ("added", "removed", "reworded", "strengthened", "weakened", "value_changed")
    assert all(type(value) is str for value in SHIFT_TYPES)


def test_the_rule_files_map_only_to_values_the_vocabularies_hold():
    def rules(name):
        return json.loads((Settings().models_dir / name).read_text(encoding="utf-8"))

    events = rules("events.json")
    assert set(events["verbs"].values()) == set(EVENT_TYPES)  # each event type is produced by some verb
    assert set(events["status"]) <= set(EVENT_TYPES)
    assert set(events["status"].values()) <= set(COMMITMENT_STATUSES)
    metrics = rules("metrics.json")
    labels = {label for key in ("qualifiers_before", "qualifiers_after") for _, label in metrics[key]}
    assert labels == set(QUALIFIERS)
    assert {kind for kind, _ in rules("document_kinds.json")["kinds"]} | {"other"} == set(DOCUMENT_KINDS)


def test_the_comparator_names_every_shift_type_and_no_other():
    from pipeline.compare import _RANK
    from pipeline.compare.shifts import SHIFT_NAMES

    assert set(SHIFT_NAMES.values()) | {"value_changed"} == set(SHIFT_TYPES) == set(_RANK)
