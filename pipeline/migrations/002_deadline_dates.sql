-- A commitment's deadline as a date (ISO), and what that date was resolved from
-- ("270 days after 2023-10-30, the document's date"); the phrase stays in "deadline".
ALTER TABLE commitments ADD COLUMN deadline_date TEXT;
ALTER TABLE commitments ADD COLUMN deadline_basis TEXT;
CREATE INDEX commitments_due ON commitments (deadline_date);
