"""Words per second: govtrace ingest+extract against plain spaCy nlp.pipe over the same sentences, one run.

Run: .venv/bin/python scripts/extract_speed.py [FOLDER ...]
(default: corpora/sample plus ../shared/corpora/frontier-frameworks and usage-policies when present)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pipeline import batch
from pipeline.config import Settings
from pipeline.nlp import full_pipeline
from pipeline.store import Store

REPO = Path(__file__).resolve().parents[1]


def main(folders: list[Path]) -> None:
    settings = Settings()
    nlp = full_pipeline(settings.spacy_model)  # load once, outside both timings
    nlp("warm up")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "speed.db") as store:
        started = time.perf_counter()
        summary = batch.ingest(folders, store, settings)
        ours = time.perf_counter() - started
        sentences = [row["text"] for row in store.rows("SELECT text FROM sentences")]
    words = sum(len(s.split()) for s in sentences)
    started = time.perf_counter()
    for _ in nlp.pipe(sentences, batch_size=256):
        pass
    naive = time.perf_counter() - started
    print(f"documents {len(summary.ingested)}, sentences {len(sentences)}, words {words}")
    print(f"govtrace ingest+extract: {ours:.1f} s, {words / ours:,.0f} words/s")
    print(f"plain nlp.pipe over every sentence (no reading, no extraction): {naive:.1f} s, {words / naive:,.0f} words/s")
    print(f"ratio: {naive / ours:.2f}x")


if __name__ == "__main__":
    shared = REPO.parent / "shared" / "corpora"
    default = [REPO / "corpora" / "sample"] + [p for p in (shared / "frontier-frameworks", shared / "usage-policies") if p.is_dir()]
    main([Path(a) for a in sys.argv[1:]] or default)
