-- Every fetch of a watched source: when, what the server said (status, ETag), the bytes' hash, and
-- whether it made a new version (only when the document's text changed, not its page furniture).
CREATE TABLE fetches (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    path        TEXT NOT NULL,
    fetched_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    status      INTEGER,
    etag        TEXT,
    sha256      TEXT,
    outcome     TEXT NOT NULL  -- 'new version' | 'unchanged' | 'not modified' | 'failed: ...'
);
CREATE INDEX fetches_url ON fetches (url, id);
