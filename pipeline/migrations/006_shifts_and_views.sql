-- Comparisons are data: every consecutive pair of versions in a series that has been compared, and
-- its shifts, each with a stable key (the same shift keeps its key and first_seen time when the
-- pair is compared again) so that feeds, digests and SQL users can follow them.
CREATE TABLE comparisons (
    old_document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    new_document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    series          TEXT NOT NULL,
    compared_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    shifts          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (old_document_id, new_document_id)
);

CREATE TABLE shifts (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    series          TEXT NOT NULL,
    old_document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    new_document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    rank            INTEGER NOT NULL,
    shift           TEXT NOT NULL,
    item_type       TEXT NOT NULL,
    confidence      REAL,
    reason          TEXT NOT NULL,
    old_text        TEXT,
    new_text        TEXT,
    old_page        INTEGER,
    new_page        INTEGER,
    old_section     TEXT,
    new_section     TEXT,
    old_start       INTEGER,
    old_end         INTEGER,
    new_start       INTEGER,
    new_end         INTEGER,
    old_sentences   TEXT NOT NULL DEFAULT '[]',
    new_sentences   TEXT NOT NULL DEFAULT '[]',
    old_value       REAL,
    new_value       REAL,
    topics          TEXT NOT NULL DEFAULT '[]',
    announced       INTEGER,
    changelog_entry TEXT,
    first_seen      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX shifts_pair ON shifts (old_document_id, new_document_id);

-- Every finding beside its sentence, section, page and document: what Datasette and SQL users read.
CREATE VIEW commitments_view AS
SELECT f.id, d.title AS document_title, d.path AS document_path, d.publisher, d.date AS document_date,
       f.actor, f.kind, f.strength, f.modal, f.polarity, f.condition, f.deadline, f.deadline_date, f.status,
       f.topics, f.text, s.text AS sentence, s.section, s.section_path, f.page, f.document_id, f.sentence_idx
FROM commitments f JOIN documents d ON d.id = f.document_id
JOIN sentences s ON s.document_id = f.document_id AND s.idx = f.sentence_idx;

CREATE VIEW metrics_view AS
SELECT f.id, d.title AS document_title, d.path AS document_path, d.publisher, d.date AS document_date,
       f.text, f.value, f.unit, f.currency, f.time_unit, f.qualifier, f.subject, f.entity, f.time, f.is_forecast,
       f.topics, s.text AS sentence, s.section, s.section_path, f.page, f.document_id, f.sentence_idx
FROM metrics f JOIN documents d ON d.id = f.document_id
JOIN sentences s ON s.document_id = f.document_id AND s.idx = f.sentence_idx;

CREATE VIEW claims_view AS
SELECT f.id, d.title AS document_title, d.path AS document_path, d.publisher, d.date AS document_date,
       f.speaker, f.cue, f.quoted, f.certainty, f.negated, f.claim_type, f.topics, f.text,
       s.text AS sentence, s.section, s.section_path, f.page, f.document_id, f.sentence_idx
FROM claims f JOIN documents d ON d.id = f.document_id
JOIN sentences s ON s.document_id = f.document_id AND s.idx = f.sentence_idx;

CREATE VIEW events_view AS
SELECT f.id, d.title AS document_title, d.path AS document_path, d.publisher, d.date AS document_date,
       f.actor, f.event_type, f.target, f.topics, f.text, s.text AS sentence, s.section, s.section_path, f.page,
       f.document_id, f.sentence_idx
FROM events f JOIN documents d ON d.id = f.document_id
JOIN sentences s ON s.document_id = f.document_id AND s.idx = f.sentence_idx;

CREATE VIEW shifts_view AS
SELECT f.id, f.key, f.series, f.shift, f.item_type, f.confidence, f.reason, f.announced, f.changelog_entry,
       f.old_text, f.new_text, f.old_page, f.new_page, f.old_section, f.new_section, f.old_value, f.new_value,
       f.topics, f.first_seen, f.rank,
       o.title AS old_title, o.path AS old_path, o.date AS old_date, o.version AS old_version,
       n.title AS new_title, n.path AS new_path, n.date AS new_date, n.version AS new_version, n.publisher
FROM shifts f JOIN documents o ON o.id = f.old_document_id JOIN documents n ON n.id = f.new_document_id;
