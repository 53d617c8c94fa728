"""Queries over the store as pandas DataFrames, and their rendering for the CLI."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd

from .config import Settings
from .errors import GovtraceError
from .rules import rules_for
from .rules.actors import canonical_actor, gazetteer_for
from .store import Store, file_name, like_literal

TABLES = ("documents", "sentences", "metrics", "claims", "commitments", "events", "shifts",
          "links", "failures")
FINDINGS = ("metrics", "claims", "commitments", "events")
_ACTOR_COLUMN = {"metrics": "entity", "claims": "speaker", "commitments": "actor", "events": "actor"}
_KIND_COLUMN = {"metrics": "unit", "claims": "claim_type", "commitments": "kind", "events": "event_type",
                "documents": "kind", "sentences": "kind", "shifts": "shift"}
_JSON_COLUMNS = ("topics", "authors", "provenance", "extra", "old_sentences", "new_sentences")
# what the terminal table shows; csv, jsonl and parquet carry every column
TABLE_COLUMNS = {
    "documents": ("document", "title", "publisher", "date", "kind", "version", "format", "pages",
                  "sentences"),
    "metrics": ("document", "page", "section_path", "date", "text", "value", "unit", "qualifier",
                "subject", "entity", "time", "is_forecast"),
    "claims": ("document", "page", "date", "speaker", "quoted", "claim_type", "certainty", "text"),
    "commitments": ("document", "page", "section_path", "date", "actor", "kind", "strength", "polarity",
                    "deadline_date", "text"),
    "events": ("document", "page", "date", "actor", "event_type", "target"),
    "shifts": ("old_document", "document", "shift", "confidence", "announced", "new_section",
               "old_text", "new_text"),
    "links": ("document", "actor", "event_type", "target", "score", "shift", "old_document", "old_text"),
    "failures": ("document", "error", "message"),
    "sentences": ("document", "page", "section_path", "kind", "section", "text"),
}


def find(
    store: Store,
    what: str,
    *,
    settings: Settings | None = None,
    actor: str | None = None,
    topic: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    search: str | None = None,
    due_before: str | None = None,
    due_after: str | None = None,
    document: str | None = None,
) -> pd.DataFrame:
    """Return documents, sentences, findings or failures matching the filters.

    Findings rows carry their document's path, title, publisher and date, and
    their sentence's text, page and character span.

    Args:
        store: The open store.
        what: One of ``TABLES``.
        settings: Used to resolve actor aliases through the gazetteer.
        actor: Canonical name or alias of the actor, speaker or entity.
        topic: A topic label.
        kind: Document kind, or the finding's kind / unit / claim type.
        since: Earliest document date (ISO, inclusive).
        until: Latest document date (ISO, inclusive).
        search: FTS5 query over the source sentences.
        due_before: Commitments whose deadline falls on or before this ISO date.
        due_after: Commitments whose deadline falls on or after this ISO date.
        document: Only this document: its file name, path or id.

    Raises:
        GovtraceError: ``what`` is not a known table.
    """
    if what not in TABLES:
        raise GovtraceError(f"unknown table '{what}'; choose one of {', '.join(TABLES)}")
    sql, params = _select(what)
    where: list[str] = []
    canonical = canonical_actor(actor, settings) if actor else ""
    if actor and what == "links":
        where.append("f.actor = ?")
        params.append(canonical)
    if actor and what == "shifts":  # a shift is its publisher's
        where.append("(d.publisher = ? OR d.publisher LIKE ? ESCAPE '\\')")
        params += [canonical, f"%{like_literal(canonical)}%"]
    if actor and what in _ACTOR_COLUMN:
        names = {actor, canonical}
        column = _ACTOR_COLUMN[what]
        where.append(f"(f.{column} IN ({', '.join('?' * len(names))}) OR f.{column} LIKE ? ESCAPE '\\')")
        params += [*names, f"%{like_literal(canonical)}%"]
    if topic and what in (*FINDINGS, "shifts"):
        where.append("EXISTS (SELECT 1 FROM json_each(f.topics) WHERE json_each.value = ?)")
        params.append(topic)
    if kind and what in _KIND_COLUMN:
        where.append(f"f.{_KIND_COLUMN[what]} = ?")
        params.append(kind)
    date_col = "f.date" if what == "documents" else "d.date"
    if since and what != "failures":
        where.append(f"{date_col} >= ?")
        params.append(since)
    if until and what != "failures":
        where.append(f"substr({date_col}, 1, {len(until)}) <= ?")
        params.append(until)
    if document and what != "failures":
        column = "f" if what == "documents" else "d"
        if document.isdigit():
            where.append(f"{column}.id = ?")
            params.append(int(document))
        else:
            where.append(f"({column}.path = ? OR {column}.path LIKE ? ESCAPE '\\')")
            params += [document, "%/" + like_literal(document)]
    if (due_before or due_after) and what != "commitments":
        raise GovtraceError("--due-before and --due-after filter commitments by deadline; "
                            f"use them with 'query commitments', not '{what}'")
    if due_before:
        where.append("f.deadline_date IS NOT NULL AND f.deadline_date <= ?")
        params.append(due_before)
    if due_after:
        where.append("f.deadline_date >= ?")
        params.append(due_after)
    if search and what in (*FINDINGS, "sentences"):
        column = "s.id" if what != "sentences" else "f.id"
        where.append(f"{column} IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)")
        params.append(search)
    if where:
        sql += " WHERE " + " AND ".join(where)
    order = {"documents": "f.id", "failures": "f.id", "shifts": "d.date, d.id, f.rank",
             "links": "d.date, f.score DESC"}
    sql += " ORDER BY " + order.get(what, "d.date, d.id, f.start")
    try:
        frame = store.frame(sql, params)
    except Exception as exc:  # pandas wraps sqlite errors (bad FTS syntax)
        # pandas puts the whole SQL statement before SQLite's own words; keep only those
        reason = str(exc).rsplit("': ", 1)[-1]
        if search:
            raise GovtraceError(f"--search {search!r} is not a valid full-text search ({reason}). Use words, "
                                "\"quoted phrases\", AND / OR / NOT, prefix*, "
                                "or NEAR(word1 word2, 5)") from None
        raise GovtraceError(f"the query could not run ({type(exc).__name__}); check the options") from exc
    return _decode(frame)


def topic_counts(store: Store, settings: Settings | None = None) -> dict[str, int]:
    """Every topic the topic model knows, with the number of stored findings tagged with it."""
    settings = settings or Settings()
    counts = {label: 0 for label in rules_for(settings).topics.labels}
    for table in FINDINGS:
        for row in store.rows(f"SELECT json_each.value AS topic, count(*) AS n FROM {table}, "
                              f"json_each({table}.topics)"
                              " GROUP BY json_each.value"):
            counts[row["topic"]] = counts.get(row["topic"], 0) + row["n"]
    return counts


def actor_counts(store: Store) -> dict[str, int]:
    """Every actor, speaker or entity named by a stored finding, with its number of findings."""
    spelled: dict[str, dict[str, int]] = {}  # "Agencies" opening a sentence and "agencies" are one actor
    for table, column in _ACTOR_COLUMN.items():
        for row in store.rows(f"SELECT {column} AS name, count(*) AS n FROM {table} WHERE {column} IS NOT "
                              "NULL"
                              f" GROUP BY {column}"):
            for name in row["name"].split("; "):
                ways = spelled.setdefault(name.casefold(), {})
                ways[name] = ways.get(name, 0) + row["n"]
    # each actor under its most frequent spelling (a capitalised one on a tie)
    return {max(ways, key=lambda w: (ways[w], w[:1].isupper())): sum(ways.values())
            for ways in spelled.values()}


def check_filters(store: Store, *, actor: str | None = None, topic: str | None = None,
                  settings: Settings | None = None) -> None:
    """Refuse a topic the model does not know, or an actor neither the gazetteer nor the store knows,
    naming the closest known ones (``--topic pause`` -> pause_moratorium; ``--actor Antropic`` -> Anthropic).

    Raises:
        GovtraceError: The value is unknown.
    """
    if topic:
        topics = topic_counts(store, settings)
        if topic not in topics:
            raise GovtraceError(f"unknown topic '{topic}'; {_closest(topic, topics)}. "
                                "List them with 'govtrace topics --db FILE'.")
    if actor:
        known = actor_counts(store)
        gazetteer = gazetteer_for(settings or Settings())
        canonical = gazetteer.canonical(actor)
        if canonical in known or gazetteer.get(canonical) is not None or any(
                canonical.lower() in name.lower() for name in known):
            return
        raise GovtraceError(f"unknown actor '{actor}': no finding names it and the gazetteer does not know "
                            "it; "
                            f"{_closest(actor, {**{n: 0 for n in gazetteer.actors}, **known})}. "
                            "List them with 'govtrace actors --db FILE'.")


def _closest(value: str, known: dict[str, int]) -> str:
    import difflib

    by_lower = {name.lower(): name for name in known}
    matches = [by_lower[m] for m in difflib.get_close_matches(value.lower(), list(by_lower), n=5, cutoff=0.5)]
    matches += [name for name in known if value.lower() in name.lower() and name not in matches]
    if not matches:
        return "none is close"
    return "closest: " + ", ".join(f"{name} ({known[name]})" if known[name] else name for name in matches[:5])


def _select(what: str) -> tuple[str, list[Any]]:
    if what == "documents":
        return (
            "SELECT f.id, f.path AS document_path, f.title, f.publisher, f.date, f.kind, f.version, f.format,"
            " f.source_url, f.sha256, f.pages, f.authors, f.provenance, f.extra, f.is_current,"
            " (SELECT count(*) FROM sentences s WHERE s.document_id = f.id) AS sentences"
            " FROM documents f", [])
    if what == "failures":
        return ("SELECT f.id, f.run_id, f.path AS document_path, f.error, f.message, f.failed_at"
                " FROM failures f", [])
    if what == "links":  # d is the news report, the shift's versions are named old_/new_
        return (
            "SELECT d.path AS document_path, d.title, d.publisher, d.date, f.actor, f.event_type, f.target,"
            " f.event_sentence, f.event_page, f.score, f.shift, f.old_text, f.new_text,"
            " f.old_path AS old_document_path, f.old_page, f.new_path AS new_document_path, f.new_page,"
            " f.shift_key, NULL AS topics"
            " FROM links_view f"
            " JOIN documents d ON d.path = f.event_document_path AND d.date IS f.event_date", [])
    if what == "shifts":  # d is the new version, o the old one
        return (
            "SELECT d.path AS document_path, d.title, d.publisher, d.date, d.version, o.path AS "
            "old_document_path, o.date AS old_date, o.version AS old_version, f.* FROM shifts f"
            " JOIN documents d ON d.id = f.new_document_id JOIN documents o ON o.id = f.old_document_id", [])
    if what == "sentences":
        return (
            "SELECT d.path AS document_path, d.title, d.publisher, d.date, f.idx AS sentence_index, f.text,"
            " f.page, f.start, f.\"end\", f.kind, f.section, f.section_path FROM sentences f"
            " JOIN documents d ON d.id = f.document_id",
            [])
    return (
        "SELECT d.path AS document_path, d.title, d.publisher, d.date AS document_date, d.date, d.version,"
        f" s.text AS sentence, s.section_path, f.sentence_idx AS sentence_index, f.*"
        f" FROM {what} f JOIN documents d ON d.id = f.document_id"
        " JOIN sentences s ON s.document_id = f.document_id AND s.idx = f.sentence_idx",
        [])


def _decode(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.loc[:, ~frame.columns.duplicated()]
    for column in _JSON_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].map(lambda v: json.loads(v) if isinstance(v, str) else v)
    for column in ("pages", "sentences", "page", "sentence_index", "start", "end", "strength", "change_from"):
        if column in frame.columns:
            frame[column] = frame[column].astype("Int64")
    for column in ("is_forecast", "quoted", "negated", "is_current"):
        if column in frame.columns:
            frame[column] = frame[column].astype(bool)
    if "announced" in frame.columns:  # true, false, or unknown (no changelog to audit against)
        frame["announced"] = frame["announced"].astype("boolean")
    for column in ("rank", "old_page", "new_page"):
        if column in frame.columns:
            frame[column] = frame[column].astype("Int64")
    return frame.drop(columns=["document_id", "sentence_idx", "id"], errors="ignore")


def render(frame: pd.DataFrame, fmt: str, output: str | None = None, *,
           what: str | None = None) -> str | None:
    """Render a frame as table, csv, jsonl or parquet; write to ``output`` when given.

    The table format shows the columns in ``TABLE_COLUMNS[what]`` with file names for paths.
    """
    if fmt == "parquet":
        frame.to_parquet(output, index=False)
        return None
    if fmt == "xlsx":
        spreadsheet(frame).to_excel(output, sheet_name=what or "rows", index=False, engine="openpyxl")
        return None
    if fmt == "csv":
        text = frame.to_csv(index=False)
    elif fmt == "jsonl":
        buffer = io.StringIO()
        for record in frame.to_dict(orient="records"):
            buffer.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
        text = buffer.getvalue()
    else:
        shown = frame
        for path_column, name in (("document_path", "document"), ("old_document_path", "old_document")):
            if path_column in shown.columns:
                shown = shown.assign(**{name: shown[path_column].map(file_name)})
        columns = [c for c in TABLE_COLUMNS.get(what or "", ()) if c in shown.columns]
        text = _table(shown[columns] if columns else shown)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        return None
    return text


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def _table(frame: pd.DataFrame, width: int = 60) -> str:
    if frame.empty:
        return "(no rows)\n"
    shown = frame.copy()
    for column in shown.columns:
        shown[column] = shown[column].map(lambda v: _short(v, width))
    return shown.to_string(index=False) + f"\n({len(frame)} rows)\n"


def _short(value: Any, width: int) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame a spreadsheet can hold: lists joined with '; ', dicts as 'key: value' lines."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            frame[column] = frame[column].map(_cell)
    return frame


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return "\n".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return value


def finding_counts(store: Store, paths: list[str]) -> dict[str, int]:
    """Findings per kind in the current versions of these documents (what a run just stored)."""
    if not paths:
        return {}
    marks = ", ".join("?" * len(paths))
    return {table: next(store.rows(f"SELECT count(*) AS n FROM {table} f JOIN documents d ON d.id = "
                                   "f.document_id"
                                   f" WHERE d.is_current = 1 AND d.path IN ({marks})", paths))["n"]
            for table in FINDINGS}
