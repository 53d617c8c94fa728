-- What the news says happened to a commitment, linked to the policy passages that show it: an event
-- ("dropped its central commitment to never train ...") and the shifts of the actor's own policy
-- series that match it, best first, with the similarity that linked them.
CREATE TABLE links (
    id        INTEGER PRIMARY KEY,
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    shift_id  INTEGER NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    score     REAL NOT NULL,
    UNIQUE (event_id, shift_id)
);

CREATE VIEW links_view AS
SELECT l.id, l.score, e.actor, e.event_type, e.target, es.text AS event_sentence, ed.title AS event_document_title,
       ed.path AS event_document_path, ed.date AS event_date, e.page AS event_page,
       sv.shift, sv.old_text, sv.new_text, sv.old_title, sv.old_path, sv.old_page, sv.new_title, sv.new_path,
       sv.new_page, sv.new_date, sv.key AS shift_key
FROM links l JOIN events e ON e.id = l.event_id JOIN documents ed ON ed.id = e.document_id
JOIN sentences es ON es.document_id = e.document_id AND es.idx = e.sentence_idx
JOIN shifts_view sv ON sv.id = l.shift_id;
