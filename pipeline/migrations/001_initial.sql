-- Documents, their sentences and every finding, with provenance.
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    format       TEXT NOT NULL,
    title        TEXT,
    publisher    TEXT,
    date         TEXT,
    kind         TEXT NOT NULL DEFAULT 'other',
    version      TEXT,
    source_url   TEXT,
    authors      TEXT NOT NULL DEFAULT '[]',
    pages        INTEGER,
    text         TEXT NOT NULL,
    provenance   TEXT NOT NULL DEFAULT '{}',
    is_current   INTEGER NOT NULL DEFAULT 1,
    ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (path, sha256)
);
CREATE INDEX documents_sha ON documents (sha256);
CREATE INDEX documents_publisher ON documents (publisher, date);

CREATE TABLE sentences (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    page         INTEGER,
    section      TEXT,
    paragraph    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (document_id, idx)
);

CREATE VIRTUAL TABLE sentences_fts USING fts5 (
    text, content='sentences', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts (sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE metrics (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    sentence_idx INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    page         INTEGER,
    text         TEXT NOT NULL,
    value        REAL NOT NULL,
    unit         TEXT NOT NULL,
    currency     TEXT,
    time_unit    TEXT,
    qualifier    TEXT,
    subject      TEXT,
    entity       TEXT,
    time         TEXT,
    is_forecast  INTEGER NOT NULL DEFAULT 0,
    forecaster   TEXT,
    event        TEXT,
    change_from  INTEGER,
    topics       TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX metrics_doc ON metrics (document_id);

CREATE TABLE claims (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    sentence_idx INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    page         INTEGER,
    speaker      TEXT,
    speaker_text TEXT,
    cue          TEXT,
    text         TEXT NOT NULL,
    quoted       INTEGER NOT NULL,
    certainty    REAL NOT NULL,
    negated      INTEGER NOT NULL DEFAULT 0,
    claim_type   TEXT NOT NULL,
    topics       TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX claims_doc ON claims (document_id);

CREATE TABLE commitments (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    sentence_idx INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    page         INTEGER,
    actor        TEXT,
    text         TEXT NOT NULL,
    action       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    strength     INTEGER NOT NULL,
    modal        TEXT,
    polarity     TEXT NOT NULL,
    condition    TEXT,
    deadline     TEXT,
    status       TEXT NOT NULL DEFAULT 'active',
    topics       TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX commitments_doc ON commitments (document_id);

CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    document_id      INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    sentence_idx     INTEGER NOT NULL,
    start            INTEGER NOT NULL,
    "end"            INTEGER NOT NULL,
    page             INTEGER,
    actor            TEXT,
    event_type       TEXT NOT NULL,
    text             TEXT NOT NULL,
    target           TEXT,
    commitment_index INTEGER,
    topics           TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX events_doc ON events (document_id);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    finished_at TEXT,
    ingested    INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE failures (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER REFERENCES runs (id),
    path       TEXT NOT NULL,
    error      TEXT NOT NULL,
    message    TEXT NOT NULL,
    failed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX failures_path ON failures (path);
