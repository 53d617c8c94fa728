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

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..records import POSITION_SHIFTS, Position
from ..store import Store
from .align import normalise

# comparator shifts that change a position (an added commitment is a position of its own version)
CHANGES = POSITION_SHIFTS
_ORDER = {"own": 0, "revision": 1, "reported": 2}
_TELLING = ("dropped", "weakened", "replaced", "strengthened", "overhauled", "reaffirmed")


def positions(store: Store, actor: str, *, topic: str | None = None,
              since: str | None = None) -> list[Position]:
    """The actor's positions and their changes, in date order.

    Args:
        store: The open store.
        actor: Canonical actor name (as ``govtrace actors`` lists it).
        topic: Only positions on this topic; without it, only positions that have a topic.
        since: Only positions dated on or after this ISO date.
    """
    from ..query import find

    def keep(topics: Iterable[str] | None) -> bool:
        return topic in (topics or ()) if topic else bool(list(topics or ()))

    publishers = {d.path: (d.publisher or "").lower() for d in store.documents(current_only=True)}
    commitments = [r for r in _records(find(store, "commitments", actor=actor)) if keep(r["topics"])]
    own = [r for r in commitments if publishers.get(r["document_path"]) == actor.lower()]
    links = _records(find(store, "links"))
    reports = _reports(links)
    shifts = [r for r in _records(find(store, "shifts"))
              if r["shift"] in CHANGES and r["item_type"] == "commitment"
              and (r["publisher"] or "").lower() == actor.lower() and keep(r["topics"])]
    found = _own_positions(actor, own)
    found += [_revision(actor, r, reports.get(r["key"], ())) for r in shifts]
    listed = {r["key"] for r in shifts}
    event_rows = _records(find(store, "events", actor=actor))
    events = _events(actor, event_rows, links, listed, own=publishers)
    # a commitment reported as dropped in the sentence of an event is that event
    reported = {(r["document_path"], r["sentence"]) for r in event_rows}
    found += [_reported(actor, r) for r in commitments if publishers.get(r["document_path"]) != actor.lower()
              and not (r["status"] != "active" and (r["document_path"], r["sentence"]) in reported)]
    found += [p for p in events if keep(p.topics)]
    found = [p for p in found if not since or (p.date or "") >= since]
    return sorted(found, key=lambda p: (_when(p.date), _ORDER[p.source]))


def _records(frame: Any) -> list[dict[str, Any]]:
    return frame.to_dict(orient="records") if len(frame) else []


def _own_positions(actor: str, rows: list[dict[str, Any]]) -> list[Position]:
    """Each commitment once, at the earliest version that states it, with every version that does."""
    first: dict[str, dict[str, Any]] = {}
    versions: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda r: (r["date"] or "", r["document_path"])):
        key = normalise(row["sentence"])
        first.setdefault(key, row)
        name = _name(row["document_path"])
        if name not in versions.setdefault(key, []):
            versions[key].append(name)
    return [Position(actor=actor, date=row["date"], kind=row["kind"], text=row["sentence"],
                     document=_name(row["document_path"]), source="own", topics=tuple(row["topics"] or ()),
                     condition=_text(row["condition"]), page=_page(row["page"]),
                     section=_text(row.get("section_path")), versions=tuple(versions[key]))
            for key, row in first.items()]


def _revision(actor: str, row: dict[str, Any], reported: tuple[str, ...]) -> Position:
    """A shift between two versions of the actor's policy: the old passage for a removal, else the new one."""
    removed = row["shift"] == "removed"
    return Position(actor=actor, date=row["date"], kind=row["shift"], change=True,
                    text=(row["old_text"] if removed else row["new_text"]) or "",
                    document=_name(row["document_path"]),
                    source="revision", topics=tuple(row["topics"] or ()),
                    page=_page(row["old_page"] if removed else row["new_page"]),
                    section=_text(row["old_section"] if removed else row["new_section"]),
                    versions=(_name(row["old_document_path"]), _name(row["document_path"])),
                    previous=None if removed else _text(row["old_text"]), linked=reported)


def _reported(actor: str, row: dict[str, Any]) -> Position:
    """A commitment the news reports of the actor; one reported as dropped or weakened is a change."""
    changed = row["status"] != "active"
    return Position(actor=actor, date=row["date"], kind=row["status"] if changed else row["kind"],
                    change=changed, text=row["sentence"], document=_name(row["document_path"]),
                    source="reported", topics=tuple(row["topics"] or ()), condition=_text(row["condition"]),
                    page=_page(row["page"]),
                    section=_text(row.get("section_path")))


def _events(actor: str, rows: list[dict[str, Any]], links: list[dict[str, Any]], listed: set[str], *,
            own: dict[str, str]) -> list[Position]:
    """Events on the actor's commitments, with the policy passages linked to them; an event linked to
    a shift already listed is that shift's report (see :func:`_revision`), not a position of its own.
    An event the actor states in its own document ("this version replaces the pledge") is its own."""
    by_sentence: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for link in links:
        by_sentence.setdefault((link["document_path"], link["event_sentence"]), []).append(link)
    found = []
    seen: set[tuple[str, str]] = set()
    # one position per sentence, as its most telling event ("overhauled ... and drops a pledge": dropped)
    for row in sorted(rows,
                      key=lambda r: _TELLING.index(r["event_type"]) if r["event_type"] in _TELLING else 99):
        linked = by_sentence.get((row["document_path"], row["sentence"]), [])
        if (any(link["shift_key"] in listed for link in linked)
                or (row["document_path"], row["sentence"]) in seen):
            continue
        seen.add((row["document_path"], row["sentence"]))
        passages = tuple(dict.fromkeys(f"{_name(link['old_document_path'] or link['new_document_path'])}: "
                                       f"{link['old_text'] or link['new_text']}" for link in linked))
        source = "own" if own.get(row["document_path"]) == actor.lower() else "reported"
        found.append(Position(actor=actor, date=row["date"], kind=row["event_type"], change=True,
                              text=row["sentence"], document=_name(row["document_path"]), source=source,
                              topics=tuple(row["topics"] or ()), page=_page(row["page"]),
                              section=_text(row.get("section_path")), linked=passages))
    return found


def _reports(links: list[dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Each linked shift's news reports, as 'document: sentence', best link first."""
    reports: dict[str, list[str]] = {}
    for link in sorted(links, key=lambda r: -r["score"]):
        text = f"{_name(link['document_path'])}: {link['event_sentence']}"
        if text not in reports.setdefault(link["shift_key"], []):
            reports[link["shift_key"]].append(text)
    return {key: tuple(texts) for key, texts in reports.items()}


def _name(path: Any) -> str:
    return Path(str(path)).name if path else ""


def _when(date: str | None) -> str:
    """A date as a sort key: one known only to the year or month ('2026') sorts after the days it
    may fall on, as a news item dated by its year reports what happened earlier in it."""
    if not date:
        return ""
    return date if len(date) >= 10 else date + "~"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None  # pandas gives NaN for a missing text


def _page(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):  # pandas gives NaN for a missing page
        return None
