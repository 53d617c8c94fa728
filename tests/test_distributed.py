"""Dask runs equal single-process runs row for row; Parquet output reads back."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline import batch
from pipeline.cli import main
from pipeline.config import Settings
from pipeline.store import Store
from tests.conftest import SAMPLE

TABLES = {
    "documents": "SELECT path, sha256, title, publisher, date, kind, version, text FROM documents ORDER BY "
                 "path",
    "sentences": 'SELECT d.path, s.idx, s.text, s.start, s."end", s.page FROM sentences s JOIN documents d '
                 "ON d.id = s.document_id ORDER BY 1, 2",
    "metrics": "SELECT d.path, m.start, m.value, m.unit, m.qualifier, m.subject FROM metrics m JOIN "
               "documents d ON d.id = m.document_id ORDER BY 1, 2, 3",
    "claims": "SELECT d.path, c.start, c.speaker, c.text FROM claims c JOIN documents d ON d.id = "
              "c.document_id ORDER BY 1, 2",
    "commitments": "SELECT d.path, c.start, c.actor, c.kind, c.strength, c.status, c.topics FROM "
                   "commitments c JOIN documents d ON d.id = c.document_id ORDER BY 1, 2",
}


def _rows(path):
    with Store(path) as store:
        return {name: [tuple(r.values()) for r in store.rows(sql)] for name, sql in TABLES.items()}


@pytest.mark.slow
def test_dask_local_cluster_equals_a_single_process_run(tmp_path):
    single, dask = tmp_path / "single.db", tmp_path / "dask.db"
    with Store(single) as store:
        batch.ingest([SAMPLE], store, Settings())
    with Store(dask) as store:
        summary = batch.ingest([SAMPLE], store, Settings(executor="dask", jobs=2))
    assert not summary.failed
    assert _rows(single) == _rows(dask)


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    (tmp_path / "a.md").write_text("We will publish reports.")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.md"), "--db", str(tmp_path / "x.db"),
                                       "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2 and "Dask scheduler" in result.output


def test_parquet_output_partitioned_by_year(tmp_path):
    out = tmp_path / "pq"
    result = CliRunner().invoke(main,
                                ["ingest", str(SAMPLE), "--db", str(tmp_path / "p.db"), "--out",
                                 "parquet", str(out)])
    assert result.exit_code == 0, result.output
    commitments = pd.read_parquet(out / "commitments")
    assert {"2023", "2024", "2026"} <= set(commitments["year"].astype(str))
    assert len(pd.read_parquet(out / "documents")) == 10
