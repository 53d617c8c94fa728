"""SQLite store: numbered migrations, WAL, one transaction per document.

Users query it from the CLI, from pandas (:meth:`Store.frame`) and by plain
SQL: the schema lives in ``pipeline/migrations/``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from .errors import StoreError
from .records import (
    Change,
    Changelog,
    Claim,
    Commitment,
    CommitmentEvent,
    Document,
    Evidence,
    Extraction,
    Failure,
    Metric,
    Record,
    Sentence,
    StoredFinding,
    StoredLink,
    StoredShift,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# finding record class -> table
FINDING_TABLES: dict[type, str] = {
    Metric: "metrics",
    Claim: "claims",
    Commitment: "commitments",
    CommitmentEvent: "events",
}
# finding record class -> the column naming whose it is (its actor, speaker or entity)
ACTOR_COLUMNS: dict[type, str] = {
    Metric: "entity",
    Claim: "speaker",
    Commitment: "actor",
    CommitmentEvent: "actor",
}
_BOOL_COLUMNS = {"is_forecast", "quoted", "negated"}
_SENTENCE_COLUMNS = ("id", "document_id", "idx", "text", "start", "end", "kind", "page", "section",
                     "paragraph", "section_path")
F = TypeVar("F", Metric, Claim, Commitment, CommitmentEvent)


def _migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:3]), path))
    return found


def file_name(path: Any) -> str:
    """A stored path's file name, for tables, summaries and feeds."""
    return str(path).rsplit("/", 1)[-1]


class Store:
    """A govtrace database.

    Args:
        path: The SQLite file; created with the current schema if missing (unless ``read_only``).
        timeout: Seconds to wait for another writer before failing.
        read_only: Open for reading only: never create, migrate or write (queries, reports,
            comparisons); works on a read-only file or folder.

    Raises:
        StoreError: The file is not a govtrace database, is another application's, is older than
            this version reads (read-only), or cannot be opened.
    """

    def __init__(self, path: str | Path, *, timeout: float = 60.0, read_only: bool = False):
        self.path = str(path)
        try:
            if read_only:
                self._open_read_only()
            else:
                self._open(timeout)
        except sqlite3.DatabaseError as exc:
            if "readonly" in str(exc) or "read-only" in str(exc):
                raise StoreError(f"{self.path}: the database is read-only here ({exc}). Make the file and "
                                 "its "
                                 "folder writable (chmod u+w), or pass another file with --db; queries and "
                                 "reports can read it as it is.") from exc
            raise StoreError(
                f"{self.path}: cannot open as a govtrace database ({exc}). "
                "Pass a new file with --db, or restore this one from a backup."
            ) from exc

    # -- lifecycle -----------------------------------------------------------
    def _open_read_only(self) -> None:
        """Connect without writing anything: no journal switch, no migration, nothing created."""
        if not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no such database. Create one with 'govtrace ingest FOLDER --db "
                             f"{self.path}'.")
        uri = f"file:{Path(self.path).resolve().as_posix()}?mode=ro"
        self.conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        try:
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.OperationalError:  # a WAL file in a read-only folder: read the main file as it is
            self.conn.close()
            self.conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        latest = _migrations()[-1][0]
        if version == 0 or not self._has_table("documents"):
            raise StoreError(f"{self.path}: not a govtrace database (no govtrace tables). Pass the file that "
                             "'govtrace ingest' wrote.")
        if version < latest:
            raise StoreError(f"{self.path}: made by an older govtrace "
                             f"(schema {version}; this one reads {latest}). "
                             f"Upgrade it once with 'govtrace extract --db {self.path}', then query again.")
        if version > latest:
            raise StoreError(f"{self.path}: made by a newer govtrace "
                             f"(schema {version}; this one reads {latest}). Upgrade govtrace.")

    def _refuse_foreign(self) -> None:
        """Refuse a file that is neither empty nor ours, or that a newer govtrace wrote.

        The version and the tables are read in one transaction: another run creating the store at
        the same moment must not be seen half-way (its tables without its version).
        """
        in_transaction = self.conn.in_transaction
        if not in_transaction:
            self.conn.execute("BEGIN")
        try:
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            other = [r[0] for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        finally:
            if not in_transaction:
                self.conn.execute("COMMIT")
        if version == 0 and "documents" not in other:
            if other:
                raise StoreError(f"{self.path}: holds another application's tables "
                                 f"({', '.join(sorted(other)[:5])}); "
                                 "govtrace writes only to a new file or its own store. Pass another --db.")
        if version > _migrations()[-1][0]:
            raise StoreError(f"{self.path}: made by a newer govtrace (schema {version}). Upgrade govtrace.")

    def _has_table(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (name,)).fetchone() is not None

    def _open(self, timeout: float) -> None:
        """Connect, switch to WAL and migrate, waiting while another run holds the file.

        Switching the journal mode can report 'database is locked' at once, without
        SQLite's busy handler, when another process opens the same new file; retry then.
        """
        deadline = time.monotonic() + timeout
        while True:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            try:
                self._refuse_foreign()  # before the journal switch, which would already write to it
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.migrate()
                return
            except sqlite3.OperationalError as exc:
                self.conn.close()
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def migrate(self) -> None:
        """Apply every numbered migration newer than the database's version.

        Raises:
            StoreError: The file holds another application's tables (it is not empty and not ours).
        """
        self._refuse_foreign()
        for number, path in _migrations():
            # read the version under the write lock: two runs opening a new database at once
            # must not both apply the same migration
            with self.transaction():
                if number <= self.conn.execute("PRAGMA user_version").fetchone()[0]:
                    continue
                log.info("applying migration %s", path.name)
                for statement in _split_sql(path.read_text(encoding="utf-8")):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> _Transaction:
        """Context manager: BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        return _Transaction(self.conn)

    # -- documents -------------------------------------------------------------
    def find(self, path: str, sha256: str) -> int | None:
        """Return the id of the stored document with this path and content, if any."""
        row = self.conn.execute(
            "SELECT id FROM documents WHERE path = ? AND sha256 = ?", (path, sha256)
        ).fetchone()
        return row["id"] if row else None

    def known_hashes(self) -> dict[str, set[str]]:
        """Map each stored path to the hashes stored for it (for fast unchanged checks)."""
        known: dict[str, set[str]] = {}
        for row in self.conn.execute("SELECT path, sha256 FROM documents"):
            known.setdefault(row["path"], set()).add(row["sha256"])
        return known

    def save_document(
        self,
        document: Document,
        sentences: Iterable[Sentence],
        extraction: Extraction | None = None,
        *,
        replace: bool = False,
    ) -> int:
        """Store a document, its sentences and findings in one transaction.

        A document whose path is already stored with other content becomes a
        new version; the older version is kept with ``is_current = 0``.

        Args:
            document: The document record.
            sentences: Its sentences, offsets into ``document.text``.
            extraction: Its findings, if extraction ran.
            replace: Re-process an identical (path, sha256) document.

        Returns:
            The new document id.
        """
        with self.transaction():
            if replace:
                self.conn.execute(
                    "DELETE FROM documents WHERE path = ? AND sha256 = ?",
                    (document.path, document.sha256),
                )
            else:
                existing = self.find(document.path, document.sha256)
                if existing is not None:  # another run stored it meanwhile; keep theirs
                    return existing
            self.conn.execute("UPDATE documents SET is_current = 0 WHERE path = ?", (document.path,))
            row = _document_row(document)
            cursor = self.conn.execute(
                f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            document_id = _inserted_id(cursor)
            self.conn.executemany(
                'INSERT INTO sentences (document_id, idx, text, start, "end", kind, page, section, paragraph,'
                " section_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (document_id, s.index, s.text, s.start, s.end, s.kind, s.page, s.section, s.paragraph,
                     s.section_path)
                    for s in sentences
                ],
            )
            if extraction is not None:
                self._insert_findings(document_id, extraction)
        return document_id

    def save_extraction(self, document_id: int, extraction: Extraction) -> None:
        """Replace a stored document's findings in one transaction."""
        with self.transaction():
            for table in FINDING_TABLES.values():
                self.conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
            self._insert_findings(document_id, extraction)

    def _insert_findings(self, document_id: int, extraction: Extraction) -> None:
        for records in (extraction.metrics, extraction.claims, extraction.commitments, extraction.events):
            rows = [_finding_row(document_id, record) for record in records]
            if not rows:
                continue
            table = FINDING_TABLES[type(records[0])]
            columns = list(rows[0])
            quoted = ", ".join(f'"{c}"' for c in columns)
            self.conn.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})",
                [list(r.values()) for r in rows],
            )

    def documents(self, *, current_only: bool = False) -> list[Document]:
        """Every stored document, oldest first."""
        where = "WHERE is_current = 1" if current_only else ""
        rows = self.conn.execute(f"SELECT * FROM documents {where} ORDER BY id")
        return [_document_from_row(row) for row in rows]

    def document(self, document_id: int) -> Document:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no document with id {document_id}. List them with 'govtrace "
                             "query documents'.")
        return _document_from_row(row)

    def sentences(self, document_id: int) -> list[Sentence]:
        """A document's sentences in text order."""
        rows = self.conn.execute(
            "SELECT * FROM sentences WHERE document_id = ? ORDER BY idx", (document_id,)
        )
        return [_sentence_from_row(dict(r)) for r in rows]

    def extraction(self, document_id: int) -> Extraction:
        """Read a document's findings back as records."""
        found: dict[str, list[Record]] = {}
        for cls, table in FINDING_TABLES.items():
            rows = self.conn.execute(f"SELECT * FROM {table} WHERE document_id = ? ORDER BY id",
                                     (document_id,))
            found[table] = [_finding_from_row(cls, row) for row in rows]
        return Extraction(
            metrics=tuple(found["metrics"]), claims=tuple(found["claims"]),  # type: ignore[arg-type]
            commitments=tuple(found["commitments"]), events=tuple(found["events"]),  # type: ignore[arg-type]
        )

    def findings(self, kind: type[F], *, current_only: bool = False, actor: str | None = None,
                   aliases: Collection[str] = ()) -> list[StoredFinding[F]]:
        """Stored findings of one kind, each with its document and sentence, in the order stored.

        Args:
            kind: The finding record class: ``Metric``, ``Claim``, ``Commitment`` or ``CommitmentEvent``.
            current_only: Only the current version of each document.
            actor: Only findings whose actor (a claim's speaker, a metric's entity) is this name or
                holds it ("Anthropic; OpenAI" holds "Anthropic").
            aliases: More names that count as the actor when they are the whole value.
        """
        column = ACTOR_COLUMNS[kind]
        conditions: list[str] = []
        params: list[Any] = []
        if current_only:
            conditions.append("d.is_current = 1")
        if actor:
            names: list[str] = list(dict.fromkeys((actor, *aliases)))
            marks = ", ".join("?" * len(names))
            conditions.append(f"(f.{column} IN ({marks}) OR f.{column} LIKE ? ESCAPE '\\')")
            params += [*names, f"%{like_literal(actor)}%"]
        return self._findings(kind, conditions, params)

    def _findings(self, kind: type[F], conditions: list[str], params: list[Any]) -> list[StoredFinding[F]]:
        """Findings of one kind meeting SQL conditions on ``f`` (the finding) and ``d`` (its document)."""
        table = FINDING_TABLES[kind]
        sentence = ", ".join(f's."{c}" AS "s_{c}"' for c in _SENTENCE_COLUMNS)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = [dict(r) for r in self.conn.execute(
            f"SELECT f.*, {sentence} FROM {table} f JOIN documents d ON d.id = f.document_id"
            f" JOIN sentences s ON s.document_id = f.document_id AND s.idx = f.sentence_idx{where}"
            " ORDER BY f.id", params)]
        documents = self._documents({r["document_id"] for r in rows})
        found: list[StoredFinding[F]] = []
        for row in rows:
            sentence_row = {c: row.pop(f"s_{c}") for c in _SENTENCE_COLUMNS}
            finding: F = _finding_from_row(kind, row)  # type: ignore[assignment]
            found.append(StoredFinding(finding=finding, id=row["id"], document=documents[row["document_id"]],
                                   sentence=_sentence_from_row(sentence_row)))
        return found

    def _documents(self, ids: Collection[int]) -> dict[int, Document]:
        if not ids:
            return {}
        rows = self.conn.execute(f"SELECT * FROM documents WHERE id IN ({', '.join('?' * len(ids))})",
                                 tuple(ids))
        return {row["id"]: _document_from_row(row) for row in rows}

    def actors(self, *, limit: int | None = None) -> list[str]:
        """The actors of stored commitments, those with the most commitments first."""
        rows = self.conn.execute("SELECT actor, count(*) AS n FROM commitments WHERE actor IS NOT NULL "
                                 "GROUP BY actor ORDER BY n DESC LIMIT ?", (-1 if limit is None else limit,))
        return [r["actor"] for r in rows]

    # -- comparisons ---------------------------------------------------------------
    def compared(self) -> set[tuple[int, int]]:
        """(old document id, new document id) of every pair whose shifts are stored."""
        return {(r[0], r[1])
                for r in self.conn.execute("SELECT old_document_id, new_document_id FROM comparisons")}

    def shifts(self) -> list[StoredShift]:
        """Every stored shift with its pair of versions, in the order stored."""
        return self._shifts("", [])

    def _shifts(self, where: str, params: list[Any]) -> list[StoredShift]:
        rows = [dict(r) for r in self.conn.execute(f"SELECT * FROM shifts {where} ORDER BY id", params)]
        documents = self._documents({r[f"{side}_document_id"] for r in rows for side in ("old", "new")})
        return [_shift_from_row(row, documents[row["old_document_id"]], documents[row["new_document_id"]])
                for row in rows]

    def links(self) -> list[StoredLink]:
        """Every stored link of a news event to a policy shift that shows it, in the order stored
        (each event's links best first), with the event where it was stated and the shift's versions."""
        rows = [dict(r) for r in self.conn.execute(
            "SELECT id, event_id, shift_id, score FROM links ORDER BY id")]
        if not rows:
            return []
        # only the linked events and shifts, chosen in SQL (a list of ids could pass SQLite's variable limit)
        linked = ["f.id IN (SELECT event_id FROM links)"]
        events = {e.id: e for e in self._findings(CommitmentEvent, linked, [])}
        shifts = {s.id: s for s in self._shifts("WHERE id IN (SELECT shift_id FROM links)", [])}
        return [StoredLink(event=events[r["event_id"]], shift=shifts[r["shift_id"]], score=r["score"],
                           id=r["id"]) for r in rows]

    def save_comparison(self, series: str, old: Document, new: Document, changes: Iterable[Change]) -> int:
        """Store a pair's shifts in one transaction, replacing an earlier comparison of the pair.

        A shift found again keeps its key, id and first_seen time; one no longer found is dropped.
        Returns the number of shifts stored.
        """
        rows = [_shift_row(series, old, new, rank, change) for rank, change in enumerate(changes)]
        with self.transaction():
            keys = [row["key"] for row in rows]
            self.conn.execute(
                f"DELETE FROM shifts WHERE old_document_id = ? AND new_document_id = ?"
                f" AND key NOT IN ({', '.join('?' * len(keys))})", (old.id, new.id, *keys))
            for row in rows:
                columns = ", ".join(f'"{c}"' for c in row)
                updates = ", ".join(f'"{c}" = excluded."{c}"' for c in row if c != "key")
                self.conn.execute(f"INSERT INTO shifts ({columns}) VALUES ({', '.join('?' * len(row))})"
                                  f" ON CONFLICT (key) DO UPDATE SET {updates}", list(row.values()))
            self.conn.execute(
                "INSERT INTO comparisons (old_document_id, new_document_id, series, shifts) VALUES (?, ?, "
                "?, ?) ON CONFLICT (old_document_id, new_document_id) DO UPDATE SET series = excluded.series,"
                " shifts = excluded.shifts, compared_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                (old.id, new.id, series, len(rows)))
        return len(rows)

    def save_links(self, rows: list[tuple[int, int, float]]) -> None:
        """Replace every event-to-shift link with these (event id, shift id, score) rows."""
        with self.transaction():
            self.conn.execute("DELETE FROM links")
            self.conn.executemany("INSERT INTO links (event_id, shift_id, score) VALUES (?, ?, ?)", rows)

    def forget_comparisons(self) -> None:
        """Mark every pair as not compared (findings changed), keeping the shifts until recomputed."""
        with self.transaction():
            self.conn.execute("DELETE FROM comparisons")

    # -- runs and failures -------------------------------------------------------
    def start_run(self) -> int:
        """Record a new run; runs left 'running' by a process of this host that no longer exists
        (killed, crashed) are marked 'interrupted' first."""
        host = socket.gethostname()
        with self.transaction():
            for run_id, pid in self.conn.execute(
                    "SELECT id, pid FROM runs WHERE status = 'running' AND host = ?", (host,)).fetchall():
                if not _alive(pid):
                    self.conn.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (run_id,))
            cursor = self.conn.execute("INSERT INTO runs (status, pid, host) VALUES ('running', ?, ?)",
                                       (os.getpid(), host))
            return _inserted_id(cursor)

    def finish_run(self, run_id: int, *, ingested: int, unchanged: int, failed: int) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), status = 'finished',"
                " ingested = ?, unchanged = ?, failed = ? WHERE id = ?",
                (ingested, unchanged, failed, run_id),
            )

    def record_failure(self, run_id: int | None, failure: Failure) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO failures (run_id, path, error, message) VALUES (?, ?, ?, ?)",
                (run_id, failure.path, failure.error, failure.message),
            )

    # -- queries -----------------------------------------------------------------
    def rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        """Run read-only SQL and yield plain dicts."""
        for row in self.conn.execute(sql, tuple(params)):
            yield dict(row)

    def frame(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """Run SQL and return a pandas DataFrame."""
        import pandas as pd

        return pd.read_sql_query(sql, self.conn, params=tuple(params))


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote (sqlite3 types it as optional; after an INSERT it is set)."""
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buffer = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        buffer.append(line)
        text = "\n".join(buffer)
        if sqlite3.complete_statement(text):
            statements.append(text)
            buffer = []
    return statements


def _shift_row(series: str, old: Document, new: Document, rank: int, change: Change) -> dict[str, Any]:
    """A shift as a row; its key is stable across recomputations of the same pair."""
    identity = "|".join((old.sha256, new.sha256, change.shift, change.item_type,
                         json.dumps(change.old_sentences),
                         json.dumps(change.new_sentences), change.old_text or "", change.new_text or ""))
    return {
        "key": hashlib.sha1(identity.encode("utf-8")).hexdigest()[:20], "series": series,
        "old_document_id": old.id, "new_document_id": new.id, "rank": rank, "shift": change.shift,
        "item_type": change.item_type, "confidence": change.confidence, "reason": change.reason,
        "old_text": change.old_text, "new_text": change.new_text, "old_page": change.old_page,
        "new_page": change.new_page, "old_section": change.old_section, "new_section": change.new_section,
        "old_start": change.old_start, "old_end": change.old_end, "new_start": change.new_start,
        "new_end": change.new_end, "old_sentences": json.dumps(list(change.old_sentences)),
        "new_sentences": json.dumps(list(change.new_sentences)), "old_value": change.old_value,
        "new_value": change.new_value, "topics": json.dumps(list(change.topics)),
        "announced": None if change.announced is None else int(change.announced),
        "changelog_entry": change.changelog_entry,
    }


def _shift_from_row(row: dict[str, Any], old: Document, new: Document) -> StoredShift:
    change = Change(
        shift=row["shift"], item_type=row["item_type"], reason=row["reason"], old_text=row["old_text"],
        new_text=row["new_text"], old_document=old.path, new_document=new.path, old_page=row["old_page"],
        new_page=row["new_page"], old_start=row["old_start"], new_start=row["new_start"],
        old_value=row["old_value"], new_value=row["new_value"], topics=tuple(json.loads(row["topics"])),
        confidence=row["confidence"], old_section=row["old_section"], new_section=row["new_section"],
        old_end=row["old_end"], new_end=row["new_end"], old_sentences=tuple(json.loads(row["old_sentences"])),
        new_sentences=tuple(json.loads(row["new_sentences"])),
        announced=None if row["announced"] is None else bool(row["announced"]),
        changelog_entry=row["changelog_entry"])
    return StoredShift(change=change, old=old, new=new, series=row["series"], key=row["key"],
                       rank=row["rank"], id=row["id"], first_seen=row["first_seen"])


def _alive(pid: int | None) -> bool:
    """Whether a process of this host with that id exists."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _document_row(document: Document) -> dict[str, Any]:
    row = document.to_dict()
    row.pop("id")
    row["authors"] = json.dumps(list(document.authors))
    row["provenance"] = json.dumps(document.provenance, sort_keys=True)
    row["extra"] = json.dumps(document.extra, sort_keys=True, ensure_ascii=False, default=str)
    row["changelogs"] = (None if document.changelogs is None
                         else json.dumps([c.to_dict() for c in document.changelogs], ensure_ascii=False))
    return row


def _document_from_row(row: sqlite3.Row) -> Document:
    data = dict(row)
    data.pop("is_current", None)
    data.pop("ingested_at", None)
    data["authors"] = tuple(json.loads(data["authors"]))
    data["provenance"] = json.loads(data["provenance"])
    data["extra"] = json.loads(data.get("extra") or "{}")
    stored = data.get("changelogs")  # NULL: stored before changelogs were kept
    data["changelogs"] = None if stored is None else tuple(Changelog(**c) for c in json.loads(stored))
    return Document(**data)


def _sentence_from_row(r: dict[str, Any]) -> Sentence:
    return Sentence(index=r["idx"], text=r["text"], start=r["start"], end=r["end"], kind=r["kind"],
                    page=r["page"], section=r["section"], paragraph=r["paragraph"],
                    document_id=r["document_id"], id=r["id"], section_path=r["section_path"])


def like_literal(text: str) -> str:
    """Text matched literally by LIKE ... ESCAPE '\\': '%' and '_' in a name are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _finding_row(document_id: int, record: Record) -> dict[str, Any]:
    data = record.to_dict()
    evidence = data.pop("evidence")
    row: dict[str, Any] = {
        "document_id": document_id,
        "sentence_idx": evidence["sentence_index"],
        "start": evidence["start"],
        "end": evidence["end"],
        "page": evidence["page"],
    }
    for key, value in data.items():
        row[key] = json.dumps(list(value)) if key == "topics" else value
    return row


def _finding_from_row(cls: type, row: sqlite3.Row | dict[str, Any]) -> Record:
    data = dict(row)
    evidence = Evidence(
        sentence_index=data.pop("sentence_idx"), start=data.pop("start"), end=data.pop("end"),
        page=data.pop("page")
    )
    data.pop("id")
    data.pop("document_id")
    data["topics"] = tuple(json.loads(data["topics"]))
    for key in _BOOL_COLUMNS & set(data):
        data[key] = bool(data[key])
    return cls(evidence=evidence, **data)
