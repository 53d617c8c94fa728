"""Ingest of the real documents in ../shared/corpora (skipped when absent)."""

from __future__ import annotations

import pytest

from pipeline import batch
from pipeline.config import Settings

# file -> (publisher, date) as the corpora README and the file names state them
EXPECTED = {
    "anthropic-rsp-v1.0-2023-09-19.txt": ("Anthropic", "2023-09-19"),
    "anthropic-rsp-v2.0-2024-10-15.txt": ("Anthropic", "2024-10-15"),
    "anthropic-rsp-v3.0-2026-02-24.txt": ("Anthropic", "2026-02-24"),
    "google-deepmind-fsf-v2.0-2025-02-04.txt": ("Google DeepMind", "2025-02-04"),
    "google-deepmind-fsf-v3.0-2025-09-22.txt": ("Google DeepMind", "2025-09-22"),
    "openai-usage-policies-2023-03-23.md": ("OpenAI", "2023-03-23"),
    "openai-usage-policies-2024-01-10.md": ("OpenAI", "2024-01-10"),
    "openai-usage-policies-2025-01-29.md": ("OpenAI", "2025-01-29"),
    "openai-usage-policies-2025-10-29.md": ("OpenAI", "2025-10-29"),
    "anthropic-usage-policy-2024-06-06.md": ("Anthropic", "2024-06-06"),
    "anthropic-usage-policy-2025-09-15.md": ("Anthropic", "2025-09-15"),
    "google-genai-prohibited-use-2023-03-14.md": ("Google", "2023-03-14"),
    "google-genai-prohibited-use-2024-12-17.md": ("Google", "2024-12-17"),
    "openai-model-spec-2025-02-12.md": ("OpenAI", "2025-02-12"),
    "openai-model-spec-2025-12-18.md": ("OpenAI", "2025-12-18"),
    "us-eo-14110-2023-10-30.pdf": ("The White House", "2023-10-30"),
    "us-ai-action-plan-2025-07.pdf": ("The White House", "2025-07"),
    "nist-ai-rmf-1.0-2023-01-26.pdf": ("NIST", "2023-01-26"),
    "eu-ai-act-ep-text-2024-03-13.pdf": ("European Parliament", "2024-03-13"),
    "eu-gpai-code-safety-security-2025-07.pdf": ("European Commission AI Office", "2025-07"),
    "intl-scientific-report-ai-safety-interim-2024-05.pdf": ("UK Department for Science, Innovation and "
                                                             "Technology",
                                                            "2024-05"),
}


@pytest.mark.slow
def test_every_shared_document_is_stored_with_its_publisher_and_date(shared_corpora, store):
    summary = batch.ingest([shared_corpora], store, Settings(extract=False, jobs=2))
    # the coded revision set keeps its coding as CSV tables beside the texts: refused by name,
    # nothing else fails
    assert all(f.path.endswith(".csv") and f.error == "UnsupportedFormat"
               for f in summary.failed), summary.failed
    rows = {r["path"].rsplit("/", 1)[-1]: r
            for r in store.rows("SELECT path, publisher, date, kind FROM documents")}
    for name, (publisher, date) in EXPECTED.items():
        assert (rows[name]["publisher"], rows[name]["date"]) == (publisher, date), name
    for name in ("2026-news-anthropic-pause-ipo.txt", "2026-news-when-ai-builds-itself.txt"):
        assert (rows[name]["kind"], rows[name]["date"]) == ("news", "2026")
