"""Link what the news says happened to a commitment to the policy passages that show it.

A news event ("Anthropic dropped its central commitment to never train an AI
system unless ...") names an actor, a kind of change and, often, the
commitment in its own words. The actor's stored shifts between versions
dated up to the report's date are the candidates; those whose kind fits the
event (a dropped pledge shows as removed or weakened text) are ranked by the
embedding similarity of the event's words to the old passage, averaged with
the share of the event's distinctive words the passage holds (as the
changelog audit scores an entry), and the best few above a floor are stored
as links, so a reader goes from the report to the sentences it is about.
"""

from __future__ import annotations

import numpy as np

from ..config import Settings
from ..store import Store
from .changelog import distinctive, shared
from .embed import Memo, encoder

# what each event type can show up as in a revision
FITTING = {"dropped": ("removed", "weakened"), "weakened": ("weakened", "removed", "value_changed"),
           "replaced": ("removed", "weakened", "added"), "overhauled": ("removed", "weakened", "added"),
           "strengthened": ("strengthened", "added", "value_changed")}
MIN_SCORE = 0.35  # half cosine, half shared words; below it the passage is about something else
PER_EVENT = 3


def link_events(store: Store, *, settings: Settings | None = None) -> int:
    """Link every event to its best-matching shifts and store the links (replacing earlier ones).

    Returns:
        The number of links stored.
    """
    settings = settings or Settings()
    events = list(store.rows(
        "SELECT e.id, e.actor, e.event_type, e.target, s.text AS sentence, d.date FROM events e"
        " JOIN documents d ON d.id = e.document_id JOIN sentences s ON s.document_id = e.document_id"
        " AND s.idx = e.sentence_idx WHERE e.actor IS NOT NULL AND d.is_current = 1"))
    shifts = list(store.rows("SELECT id, shift, old_text, new_text, publisher, new_date FROM shifts_view"))
    rows: list[tuple[int, int, float]] = []
    embed = Memo(encoder(settings.embedding_model).encode) if events and shifts else None
    for event in events:
        kinds = FITTING.get(event["event_type"], ())
        candidates = [s for s in shifts if s["shift"] in kinds and s["publisher"] == event["actor"]
                      and (not event["date"] or not s["new_date"]
                           or s["new_date"][:10] <= event["date"][:10] + "~")]
        if not candidates or embed is None:
            continue
        words = (event["target"] if event["target"] and len(event["target"].split()) >= 4
                 else event["sentence"])
        passages = [(s["old_text"] or s["new_text"] or "") for s in candidates]
        vectors = embed([words, *passages])
        stems = distinctive(words)
        scores = (0.5 * (vectors[1:] @ vectors[0])
                  + 0.5 * np.array([shared(distinctive(p), stems) for p in passages]))
        for index in np.argsort(-scores)[:PER_EVENT]:
            if scores[index] >= MIN_SCORE:
                rows.append((event["id"], candidates[index]["id"], round(float(scores[index]), 3)))
    store.save_links(rows)
    return len(rows)
