-- Every sidecar or manifest field that has no column of its own (source_repository, licence_note ...),
-- as a JSON object, so that nothing a user wrote about a document is lost.
ALTER TABLE documents ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
