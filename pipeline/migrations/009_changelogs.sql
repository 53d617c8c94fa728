-- The companion changelogs found beside a document at ingest (CHANGELOG.md, CHANGES.md ...), as a JSON
-- list of {"name", "text"}, so that the changelog audit reads the store rather than the disk at report
-- time. NULL: stored before changelogs were kept ('[]': looked for, none there).
ALTER TABLE documents ADD COLUMN changelogs TEXT;
