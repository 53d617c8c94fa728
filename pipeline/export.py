"""Whole-store exports for other tools: Parquet datasets partitioned by year, an Excel workbook.

Both are built on :func:`pipeline.query.find`, so an exported row has the same
columns as ``govtrace query`` shows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .config import Settings
from .query import find, spreadsheet
from .store import Store

# sheets of the workbook; sentences are left out (a large store passes Excel's 1,048,576 rows)
SHEETS = ("documents", "shifts", "commitments", "metrics", "claims", "events", "failures")


def export_parquet(store: Store, out: Path) -> list[Path]:
    """Write documents, sentences and findings as Parquet datasets partitioned by document year.

    pandas (``pd.read_parquet(out / "commitments")``) and DuckDB
    (``SELECT * FROM 'out/commitments/**/*.parquet'``) read them directly.

    Args:
        store: The open store.
        out: Folder that receives one dataset per table.

    Returns:
        The dataset folders written.
    """
    written = []
    for table in ("documents", "sentences", "metrics", "claims", "commitments", "events"):
        frame = find(store, table)
        dates = frame["date"] if "date" in frame.columns else frame.get("document_date")
        frame = frame.assign(year=[str(d)[:4] if isinstance(d, str) and d[:4].isdigit() else "unknown"
                                   for d in dates])
        if "extra" in frame.columns:
            # free-form fields, often none: Parquet has no empty struct, so JSON text
            frame["extra"] = frame["extra"].map(lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        target = out / table
        frame.to_parquet(target, partition_cols=["year"], index=False,
                         existing_data_behavior="delete_matching")
        written.append(target)
    return written


def workbook(store: Store, output: Path, *, settings: Settings | None = None) -> list[str]:
    """Write one sheet per table to an .xlsx file; lists become '; '-joined text. Returns the sheet names."""
    with pd.ExcelWriter(output, engine="openpyxl") as writer:
        for name in SHEETS:
            frame = find(store, name, settings=settings)
            spreadsheet(frame).to_excel(writer, sheet_name=name, index=False)
    return list(SHEETS)
