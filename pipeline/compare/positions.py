"""An actor's positions over time: what it pledged, what it dropped, what it now proposes.

A position (:class:`~pipeline.records.Position`) is an actor's stance on a topic at a
date. It comes from three places:

- the actor's own documents (policies, reports, posts it publishes): each commitment once, at
  the first version that states it (a pledge repeated in every version is one position, with
  the versions that hold it);
- the comparator: a commitment removed, weakened or strengthened between two versions of
  the actor's policy is a change of position, dated at the newer version, with the news
  reports linked to it (:mod:`.links`);
- what others report (news): commitments, proposals and calls of the actor, with their
  conditions, and events on its commitments ("dropped a pledge") that no stored shift
  already shows.

Statements that are not positions (descriptions, facts, forecasts) are left to the
query tables; a timeline lists positions and their changes only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import Settings
from ..records import (
    POSITION_SHIFTS,
    Commitment,
    CommitmentEvent,
    Document,
    Position,
    StoredFinding,
    StoredLink,
    StoredShift,
)
from ..rules.actors import Gazetteer, gazetteer_for
from ..store import Store
from .align import normalise

# comparator shifts that change a position (an added commitment is a position of its own version)
CHANGES = POSITION_SHIFTS
_ORDER = {"own": 0, "revision": 1, "reported": 2}
_TELLING = ("dropped", "weakened", "replaced", "strengthened", "overhauled", "reaffirmed")


def positions(store: Store, actor: str, *, topic: str | None = None, since: str | None = None,
              gazetteer: Gazetteer | None = None) -> list[Position]:
    """The actor's positions and their changes, in date order.

    Args:
        store: The open store.
        actor: Canonical actor name (as ``govtrace actors`` lists it), or an alias ``gazetteer``
            resolves.
        topic: Only positions on this topic; without it, only positions that have a topic.
        since: Only positions dated on or after this ISO date.
        gazetteer: The run's actor gazetteer (``Rules.actors``: models/actors.json and the user's
            actor files); the shipped one when not given.
    """
    def keep(topics: tuple[str, ...]) -> bool:
        return topic in topics if topic else bool(topics)

    # the actor's findings: its canonical name, the name as given, or a value naming it among others
    canonical = (gazetteer or gazetteer_for(Settings())).canonical(actor)
    # its own documents: published under the name as given or the one the gazetteer resolves it to
    names = {actor.lower(), canonical.lower()}
    publishers = {d.path: (d.publisher or "").lower() for d in store.documents(current_only=True)}
    commitments = [c for c in sorted(store.findings(Commitment, actor=canonical, aliases=(actor,)),
                                     key=_stated) if keep(c.finding.topics)]
    own = [c for c in commitments if publishers.get(c.document.path) in names]
    # links by the news report's date, best first: the order an event's passages are listed in
    links = sorted(store.links(), key=lambda link: (*_dated(link.event.document), -link.score))
    reports = _reports(links)
    shifts = [s for s in sorted(store.shifts(), key=lambda s: (*_dated(s.new), s.new.id or 0, s.rank))
              if s.change.shift in CHANGES and s.change.item_type == "commitment"
              and (s.new.publisher or "").lower() in names and keep(s.change.topics)]
    found = _own_positions(actor, own)
    found += [_revision(actor, s, reports.get(s.key, ())) for s in shifts]
    listed = {s.key for s in shifts}
    events = sorted(store.findings(CommitmentEvent, actor=canonical, aliases=(actor,)), key=_stated)
    # a commitment reported as dropped in the sentence of an event is that event
    reported = {(e.document.path, e.sentence.text) for e in events}
    found += [_reported(actor, c) for c in commitments if publishers.get(c.document.path) not in names
              and not (c.finding.status != "active" and (c.document.path, c.sentence.text) in reported)]
    found += [p for p in _events(actor, events, links, listed, publishers=publishers, names=names)
              if keep(p.topics)]
    found = [p for p in found if not since or (p.date or "") >= since]
    return sorted(found, key=lambda p: (_when(p.date), _ORDER[p.source]))


def _dated(document: Document) -> tuple[bool, str]:
    """A document's date as a sort key, undated first (as SQLite orders NULL)."""
    return document.date is not None, document.date or ""


def _stated(stored: StoredFinding[Any]) -> tuple[bool, str, int, int]:
    """Findings in the order their documents were published, then as they stand in the text (positions
    of the same date and source keep this order)."""
    return (*_dated(stored.document), stored.document.id or 0, stored.finding.evidence.start)


def _own_positions(actor: str, found: list[StoredFinding[Commitment]]) -> list[Position]:
    """Each commitment once, at the earliest version that states it, with every version that does."""
    first: dict[str, StoredFinding[Commitment]] = {}
    versions: dict[str, list[str]] = {}
    for stored in sorted(found, key=lambda s: (s.document.date or "", s.document.path)):
        key = normalise(stored.sentence.text)
        first.setdefault(key, stored)
        name = _name(stored.document.path)
        if name not in versions.setdefault(key, []):
            versions[key].append(name)
    return [Position(actor=actor, date=s.document.date, kind=str(s.finding.kind), text=s.sentence.text,
                     document=_name(s.document.path), source="own", topics=s.finding.topics,
                     condition=s.finding.condition or None, page=s.finding.evidence.page,
                     section=s.sentence.section_path or None, versions=tuple(versions[key]))
            for key, s in first.items()]


def _revision(actor: str, stored: StoredShift, reported: tuple[str, ...]) -> Position:
    """A shift between two versions of the actor's policy: the old passage for a removal, else the new one."""
    change = stored.change
    removed = change.shift == "removed"
    return Position(actor=actor, date=stored.new.date, kind=str(change.shift), change=True,
                    text=(change.old_text if removed else change.new_text) or "",
                    document=_name(stored.new.path), source="revision", topics=change.topics,
                    page=change.old_page if removed else change.new_page,
                    section=(change.old_section if removed else change.new_section) or None,
                    versions=(_name(stored.old.path), _name(stored.new.path)),
                    previous=None if removed else change.old_text or None, linked=reported)


def _reported(actor: str, stored: StoredFinding[Commitment]) -> Position:
    """A commitment the news reports of the actor; one reported as dropped or weakened is a change."""
    commitment = stored.finding
    changed = commitment.status != "active"
    return Position(actor=actor, date=stored.document.date,
                    kind=str(commitment.status if changed else commitment.kind), change=changed,
                    text=stored.sentence.text, document=_name(stored.document.path), source="reported",
                    topics=commitment.topics, condition=commitment.condition or None,
                    page=commitment.evidence.page, section=stored.sentence.section_path or None)


def _events(actor: str, events: list[StoredFinding[CommitmentEvent]], links: list[StoredLink],
            listed: set[str], *, publishers: dict[str, str], names: set[str]) -> list[Position]:
    """Events on the actor's commitments, with the policy passages linked to them; an event linked to
    a shift already listed is that shift's report (see :func:`_revision`), not a position of its own.
    An event the actor states in its own document ("this version replaces the pledge") is its own."""
    by_sentence: dict[tuple[str, str], list[StoredLink]] = {}
    for link in links:
        by_sentence.setdefault((link.event.document.path, link.event.sentence.text), []).append(link)
    found = []
    seen: set[tuple[str, str]] = set()
    # one position per sentence, as its most telling event ("overhauled ... and drops a pledge": dropped)
    for stored in sorted(events, key=lambda e: _TELLING.index(e.finding.event_type)
                         if e.finding.event_type in _TELLING else 99):
        where = (stored.document.path, stored.sentence.text)
        linked = by_sentence.get(where, [])
        if any(link.shift.key in listed for link in linked) or where in seen:
            continue
        seen.add(where)
        passages = tuple(dict.fromkeys(_passage(link.shift) for link in linked))
        source = "own" if publishers.get(stored.document.path) in names else "reported"
        found.append(Position(actor=actor, date=stored.document.date, kind=str(stored.finding.event_type),
                              change=True, text=stored.sentence.text, document=_name(stored.document.path),
                              source=source, topics=stored.finding.topics, page=stored.finding.evidence.page,
                              section=stored.sentence.section_path or None, linked=passages))
    return found


def _passage(stored: StoredShift) -> str:
    """A linked shift's passage as 'document: text': the older version's words, or for an addition
    (no older words) the newer version's."""
    if stored.change.old_text:
        return f"{_name(stored.old.path)}: {stored.change.old_text}"
    return f"{_name(stored.new.path)}: {stored.change.new_text or ''}"


def _reports(links: list[StoredLink]) -> dict[str, tuple[str, ...]]:
    """Each linked shift's news reports, as 'document: sentence', best link first."""
    reports: dict[str, list[str]] = {}
    for link in sorted(links, key=lambda link: -link.score):
        text = f"{_name(link.event.document.path)}: {link.event.sentence.text}"
        if text not in reports.setdefault(link.shift.key, []):
            reports[link.shift.key].append(text)
    return {key: tuple(texts) for key, texts in reports.items()}


def _name(path: str | None) -> str:
    return Path(path).name if path else ""


def _when(date: str | None) -> str:
    """A date as a sort key: one known only to the year or month ('2026') sorts after the days it
    may fall on, as a news item dated by its year reports what happened earlier in it."""
    if not date:
        return ""
    return date if len(date) >= 10 else date + "~"
