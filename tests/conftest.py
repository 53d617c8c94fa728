"""Shared fixtures: the spaCy model loaded once, fresh databases, corpora paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.store import Store

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "corpora" / "sample"
GOLD = REPO / "corpora" / "gold"
SHARED = REPO.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def rules(settings):
    """The shipped rules (models/), read once per test session."""
    from pipeline.rules import rules_for

    return rules_for(settings)


@pytest.fixture(scope="session")
def nlp(settings):
    """The full spaCy pipeline, loaded once per test session."""
    from pipeline.nlp import full_pipeline

    return full_pipeline(settings.spacy_model, settings.blas)


@pytest.fixture()
def store(tmp_path) -> Store:
    """A fresh SQLite database file per test."""
    with Store(tmp_path / "test.db") as db:
        yield db


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """../shared/corpora beside the repo; tests using it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared/corpora is not present (a fresh clone has none)")
    return SHARED
