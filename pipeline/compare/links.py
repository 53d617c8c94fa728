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
from ..records import CommitmentEvent
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
    events = [e for e in store.findings(CommitmentEvent, current_only=True) if e.finding.actor is not None]
    shifts = store.shifts()
    rows: list[tuple[int, int, float]] = []
    embed = Memo(encoder(settings.embedding_model).encode) if events and shifts else None
    for event in events:
        kinds = FITTING.get(event.finding.event_type, ())
        date = event.document.date
        candidates = [s for s in shifts if s.change.shift in kinds and s.new.publisher == event.finding.actor
                      and (not date or not s.new.date or s.new.date[:10] <= date[:10] + "~")]
        if not candidates or embed is None:
            continue
        target = event.finding.target
        words = target if target and len(target.split()) >= 4 else event.sentence.text
        passages = [(s.change.old_text or s.change.new_text or "") for s in candidates]
        vectors = embed([words, *passages])
        stems = distinctive(words)
        scores = (0.5 * (vectors[1:] @ vectors[0])
                  + 0.5 * np.array([shared(distinctive(p), stems) for p in passages]))
        for index in np.argsort(-scores)[:PER_EVENT]:
            if scores[index] >= MIN_SCORE:
                shift_id = candidates[index].id
                assert event.id is not None and shift_id is not None  # both read from the store
                rows.append((event.id, shift_id, round(float(scores[index]), 3)))
    store.save_links(rows)
    return len(rows)
