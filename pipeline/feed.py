"""Following a store day to day: an Atom feed of shifts and events, a digest of what is new.

The feed and the digest read what the store already holds (shifts are stored by
``ingest`` and ``extract``, see :func:`pipeline.compare.refresh_shifts`); each
feed entry has a stable id, so a feed reader shows a shift once however often
the feed is rewritten.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pandas as pd

from .config import Settings
from .query import find
from .store import Store, file_name

ATOM = "http://www.w3.org/2005/Atom"


def atom(store: Store, *, actor: str | None = None, topic: str | None = None, since: str | None = None,
         settings: Settings | None = None, title: str = "govtrace: what changed") -> str:
    """An Atom feed with one entry per stored shift and per event acting on a commitment.

    Args:
        actor: Only this publisher's shifts and this actor's events.
        topic: Only shifts and events tagged with this topic.
        since: Only documents dated on or after this ISO date.
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", f"urn:govtrace:feed:{Path(store.path).name}")
    entries = _shift_entries(find(store, "shifts", settings=settings, actor=actor, topic=topic, since=since))
    links: dict[tuple, list[dict[str, Any]]] = {}
    for link in _records(find(store, "links", settings=settings)):
        links.setdefault((link["document_path"], link["event_type"], link["target"]), []).append(link)
    entries += _event_entries(find(store, "events", settings=settings, actor=actor, topic=topic, since=since),
                              links)
    entries.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
    _text(feed, "updated", max((e["updated"] for e in entries), default=_now()))
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "govtrace"
    for entry in entries:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        for field in ("id", "title", "updated"):
            _text(node, field, entry[field])
        author = ET.SubElement(node, f"{{{ATOM}}}author")
        _text(author, "name", entry["author"] or "unknown")
        for term in entry["categories"]:
            ET.SubElement(node, f"{{{ATOM}}}category", term=term)
        if entry.get("link"):
            ET.SubElement(node, f"{{{ATOM}}}link", href=entry["link"])
        content = ET.SubElement(node, f"{{{ATOM}}}content", type="text")
        content.text = entry["content"]
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _shift_entries(frame: pd.DataFrame) -> list[dict[str, Any]]:
    entries = []
    for row in _records(frame):
        passage = row["old_text"] if row["shift"] == "removed" else row["new_text"] or row["old_text"]
        where = file_name(row["document_path"]) + (f", p. {row['new_page']}"
                                                   if _given(row["new_page"]) else "") \
            + (f", {row['new_section']}" if row["new_section"] else "")
        lines = [f"{row['shift'].capitalize()} ({row['item_type']}) between "
                 f"{file_name(row['old_document_path'])} and "
                 f"{file_name(row['document_path'])}: {row['reason']}."]
        if _given(row["confidence"]):
            lines.append(f"Confidence {float(row['confidence']):.2f}.")
        if _given(row["announced"]):
            lines.append("The changelog announces it: " + str(row["changelog_entry"]) if row["announced"]
                         else "The changelog does not announce it.")
        lines += [f"Before: {row['old_text'] or '(nothing)'}", f"After: {row['new_text'] or '(nothing)'}",
                  f"Where: {where}"]
        entries.append({
            "id": f"urn:govtrace:shift:{row['key']}", "updated": row["first_seen"],
            "title": f"{row['shift'].capitalize()}: {_clip(passage or '', 90)} "
                     f"({row['publisher'] or row['series']})",
            "author": row["publisher"], "categories": [row["shift"], *row["topics"]],
            "content": "\n".join(lines),
        })
    return entries


def _event_entries(frame: pd.DataFrame, links: dict[tuple, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    entries = []
    for row in _records(frame):
        where = file_name(row["document_path"]) + (f", p. {row['page']}" if _given(row.get("page")) else "")
        shown = [f"Shown in {file_name(link['old_document_path'])} -> {file_name(link['new_document_path'])} "
                 f"({link['shift']}, match {link['score']:.2f}): {link['old_text'] or link['new_text']}"
                 for link in links.get((row["document_path"], row["event_type"], row["target"]), [])]
        entries.append({
            "id": (f"urn:govtrace:event:{file_name(row['document_path'])}:{row['sentence_index']}:"
                   f"{row['event_type']}"),
            "updated": _timestamp(row.get("document_date") or row.get("date")),
            "title": f"{row['actor'] or 'Someone'} {row['event_type']}: "
                     f"{_clip(row['target'] or row['text'], 90)}",
            "author": row["actor"], "categories": [row["event_type"], *row["topics"]],
            "content": "\n".join([row["sentence"], f"Where: {where}", *shown]),
        })
    return entries


def digest(store: Store, *, since: str | None = None) -> str:
    """What is new since the previous ingest (or since ``since``), as Markdown.

    Documents, shifts and failures.
    """
    if since is None:
        starts = [r["started_at"] for r in store.rows(
            "SELECT started_at FROM runs WHERE status = 'finished' ORDER BY id DESC LIMIT 2")]
        since = starts[1] if len(starts) > 1 else "0000"
    documents = list(store.rows("SELECT path, title, publisher, date, version FROM documents WHERE "
                                "ingested_at >= ? ORDER BY ingested_at", (since,)))
    shifts = list(store.rows(
        "SELECT shift, confidence, reason, old_text, new_text, new_page, new_section, new_path, old_path, "
        "announced FROM shifts_view WHERE first_seen >= ? ORDER BY new_date, rank", (since,)))
    failures = list(store.rows("SELECT path, message FROM failures WHERE failed_at >= ? ORDER BY id",
                               (since,)))
    lines = [f"# govtrace digest: new since {since if since != '0000' else 'the first ingest'}", ""]
    lines += [f"{len(documents)} new document(s) or version(s), {len(shifts)} new shift(s), "
              f"{len(failures)} file(s) refused.", ""]
    if documents:
        lines += ["## New documents", ""]
        lines += [f"- {d['title'] or file_name(d['path'])} ({d['publisher'] or 'publisher unknown'}, "
                  f"{d['date'] or 'undated'}{', ' + d['version'] if d['version'] else ''}): "
                  f"`{file_name(d['path'])}`"
                  for d in documents]
        lines.append("")
    if shifts:
        lines += ["## New shifts, most important first", ""]
        for s in shifts:
            passage = s["old_text"] if s["shift"] == "removed" else s["new_text"] or s["old_text"]
            announced = {None: "", 1: " (announced)", 0: " (not in the changelog)"}[s["announced"]]
            lines.append(f"- **{s['shift']}**{announced}: {_clip(passage or '', 160)} — "
                         f"{file_name(s['new_path'])}"
                         f"{', p. ' + str(s['new_page']) if s['new_page'] else ''}; {s['reason']}")
        lines.append("")
    if failures:
        lines += ["## Refused", ""] + [f"- `{file_name(f['path'])}`: {f['message']}" for f in failures] + [""]
    return "\n".join(lines)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with missing values (NaN, NA) as None."""
    return [{k: (v if _given(v) else None) for k, v in row.items()}
            for row in frame.to_dict(orient="records")]


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _given(value: Any) -> bool:
    if isinstance(value, (list, tuple, dict)):
        return True
    return value is not None and value is not pd.NA and not (isinstance(value, float) and value != value)


def _timestamp(date: Any) -> str:
    """An Atom date-time from an ISO date, whole or partial (a year alone is its first day)."""
    text = str(date or "")
    padded = {4: text + "-01-01", 7: text + "-01"}.get(len(text), text)
    try:
        return dt.date.fromisoformat(padded[:10]).isoformat() + "T00:00:00Z"
    except ValueError:
        return _now()


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
