"""Decide what kind of shift an aligned pair of statements is, and say why.

The checks run from the most to the least telling signal: modal strength on
the scale in ``models/modals.json``, polarity, conditions added or removed,
numbers (limits, deadlines, intervals) moved, scope narrowed or widened,
then plain rewording. A pair whose normalised texts are equal is no change.
"""

from __future__ import annotations

import re

from ..rules import MetricRules, ModalRules, Rules
from .align import Statement, normalise
from .features import strip_references

Verdict = tuple[str, str]  # (shift type, reason)


def classify(old: Statement, new: Statement, rules: Rules) -> Verdict | None:
    """Return (shift type, reason) for an aligned pair, or None when only cosmetics differ.

    Args:
        old, new: The aligned statements, with what the extractor recorded of each.
        rules: The run's rules: the modal scale, the number words and periods, the words that
            narrow a statement's scope.
    """
    if normalise(old.text) == normalise(new.text):
        return None
    for check in (_strength, _polarity, _condition, _numbers, _scope):
        found = check(old, new, rules)
        if found:
            return found
    return "reworded", "same commitment in other words"


def _strength(old: Statement, new: Statement, rules: Rules) -> Verdict | None:
    if old.strength is None or new.strength is None or old.strength == new.strength:
        return None
    scale = rules.modals
    direction = "weakened" if new.strength < old.strength else "strengthened"
    before, after = old.modal or _modal(old.text, scale), new.modal or _modal(new.text, scale)
    return direction, (f"modal strength {scale.label(old.strength)} ({before}) → "
                       f"{scale.label(new.strength)} ({after})")


def _modal(text: str, scale: ModalRules) -> str:
    words = re.findall(r"[a-z']+", text.lower())
    return next((w for w in words if w in scale.aux or w in scale.verbs or w in ("don't", "never")), "?")


def _polarity(old: Statement, new: Statement, rules: Rules) -> Verdict | None:
    if old.polarity and new.polarity and old.polarity != new.polarity:
        if old.kind == "prohibition":
            return "weakened", "a prohibition became a permission or plain statement"
        return "strengthened", "a statement became a prohibition"
    return None


def _condition(old: Statement, new: Statement, rules: Rules) -> Verdict | None:
    before = old.condition if old.condition is not None else rules.modals.condition_in(old.text)
    after = new.condition if new.condition is not None else rules.modals.condition_in(new.text)
    if before is None and after is not None:
        return "weakened", f"condition added: “{after}”"
    if before is not None and after is None:
        return "strengthened", f"condition removed: “{before}”"
    if before and after and normalise(before) != normalise(after):
        added = set(normalise(after).split()) - set(normalise(before).split())
        if len(normalise(after)) > len(normalise(before)):
            return "weakened", f"condition extended ({', '.join(sorted(added)) or 'more terms'})"
        return "strengthened", "condition shortened"
    return None


def quantities(text: str, lexicon: MetricRules) -> list[float]:
    """Numbers in a statement, durations in days, fold-words as their multiple."""
    words = lexicon.number_words
    lowered = strip_references(text).lower()
    found: list[float] = []
    pattern = (r"(\d+(?:[.,]\d+)*|" + "|".join(w for w in words if len(w) > 2)
               + r")?\b[\s-]*(?:(" + "|".join(lexicon.time_unit_days) + r")s?\b)?")
    for match in re.finditer(r"\b(?:every|each|within|per)?\s*" + pattern, lowered):
        number, unit = match.group(1), match.group(2)
        if not number and not unit:
            continue
        if number and number in words:
            value = float(words[number])
        elif number and number.count(".") > 1:
            continue  # a section or version number ('4.2.4'), not a quantity
        elif number:
            value = float(number.replace(",", ""))
        else:
            value = 1.0
        found.append(value * lexicon.time_unit_days[unit] if unit else value)
    found += [float(v) for w, v in lexicon.fold_words.items() if re.search(rf"\b{w}\b", lowered)]
    return found


def _numbers(old: Statement, new: Statement, rules: Rules) -> Verdict | None:
    before, after = quantities(old.text, rules.metrics), quantities(new.text, rules.metrics)
    if before and set(after) < set(before):
        # a trigger, deadline or cadence dropped with nothing in its place ("when compute grows
        # sixfold, or every six months" -> "every six months"): the commitment is less specific
        return "weakened", f"threshold or deadline dropped ({_fmt(sorted(set(before) - set(after)))})"
    if not before or not after or sorted(before) == sorted(after):
        return None
    # limits, deadlines, intervals and triggers bind less as they grow
    if max(after) > max(before) or (len(after) == len(before) and sum(after) > sum(before)):
        return "weakened", f"threshold or deadline loosened ({_fmt(before)} → {_fmt(after)})"
    return "strengthened", f"threshold or deadline tightened ({_fmt(before)} → {_fmt(after)})"


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:g}" for v in values)


def _scope(old: Statement, new: Statement, rules: Rules) -> Verdict | None:
    ignored = rules.compare.function_words
    before = set(normalise(old.text).split()) - ignored
    after = set(normalise(new.text).split()) - ignored
    added, removed = after - before, before - after
    if added & rules.compare.narrowing_words and (removed or len(added) >= 2):
        return "weakened", f"scope narrowed (adds: {', '.join(sorted(added))})"
    if added and not removed:
        return "strengthened", f"scope widened (adds: {', '.join(sorted(added))})"
    if removed and not added:
        return "weakened", f"scope narrowed (drops: {', '.join(sorted(removed))})"
    if len(removed) + len(added) >= 4 and min(len(added), len(removed)) >= 1:
        return None
    return None
