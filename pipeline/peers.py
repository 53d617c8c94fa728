"""The tools a user would otherwise pick, run on the same stored sentences for comparison.

quantulum3 finds quantities; textacy finds direct quotations. Their output is
mapped onto our units and speakers so that one scorer judges all systems.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .config import Settings
from .store import Store

_UNITS = {"percentage": "percent", "dollar": "currency", "euro": "currency", "pound sterling": "currency",
          "month": "duration", "day": "duration", "year": "duration", "week": "duration", "hour": "duration",
          "second": "duration", "minute": "duration", "times": "multiplier", "fold": "multiplier"}


def quantulum_rows(store: Store, documents: set[str]) -> list[dict]:
    """quantulum3 quantities in every stored sentence, as metric rows."""
    from quantulum3 import parser

    rows = []
    for sentence in store.rows("SELECT d.path, s.text FROM sentences s JOIN documents d ON d.id = "
                               "s.document_id"):
        name = Path(sentence["path"]).name
        if name not in documents:
            continue
        try:
            quantities = parser.parse(sentence["text"])
        except Exception:  # noqa: BLE001 - a peer's crash counts as finding nothing
            continue
        for quantity in quantities:
            unit = _UNITS.get(quantity.unit.name,
                              "currency" if quantity.unit.entity.name == "currency" else "count")
            rows.append({"document": name, "sentence": sentence["text"], "value": float(quantity.value),
                         "unit": unit})
    return rows


def textacy_rows(store: Store, documents: set[str], settings: Settings) -> list[dict]:
    """textacy direct quotations per document, speakers resolved through our gazetteer."""
    from textacy.extract import triples

    from .nlp import full_pipeline
    from .rules.actors import load_gazetteer

    nlp = full_pipeline(settings.spacy_model, settings.blas)
    gazetteer = load_gazetteer((settings.models_dir / "actors.json", *settings.actor_files))
    rows = []
    for document in store.documents(current_only=True):
        name = Path(document.path).name
        if name not in documents:
            continue
        sentences = store.sentences(document.id)  # type: ignore[arg-type]
        doc = nlp(document.text)
        for quote in triples.direct_quotations(doc):
            speaker = " ".join(t.text for t in quote.speaker)
            start = quote.content.start_char
            holder = next((s for s in sentences if s.start <= start < s.end + 2), None)
            if holder is not None:
                rows.append({"document": name, "sentence": holder.text,
                             "speaker": gazetteer.canonical(speaker)})
    return rows


def peer_predictions(store: Store, documents: set[str],
                     settings: Settings) -> Iterator[tuple[str, str, list[dict]]]:
    """(system, extractor, rows) for each peer."""
    yield "quantulum3", "metrics", quantulum_rows(store, documents)
    yield "textacy", "claims", textacy_rows(store, documents, settings)
