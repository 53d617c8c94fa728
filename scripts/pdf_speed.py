"""Pages per second: govtrace's PDF reader against plain pdfplumber extract_text, same files, same run.

Run: .venv/bin/python scripts/pdf_speed.py [PDF_DIR]   (default ../shared/corpora/regulation-pdfs)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pdfplumber

from pipeline.ingest import read


def main(folder: Path) -> None:
    total = {"govtrace": [0, 0.0], "pdfplumber": [0, 0.0]}
    print(f"{'file':55} {'pages':>5} {'govtrace p/s':>13} {'pdfplumber p/s':>15}")
    for path in sorted(folder.glob("*.pdf")):
        started = time.perf_counter()
        pages = read(path).document.pages or 0
        ours = time.perf_counter() - started
        started = time.perf_counter()
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
        theirs = time.perf_counter() - started
        total["govtrace"][0] += pages
        total["govtrace"][1] += ours
        total["pdfplumber"][0] += pages
        total["pdfplumber"][1] += theirs
        print(f"{path.name:55} {pages:5d} {pages / ours:13.1f} {pages / theirs:15.1f}")
    ours = total["govtrace"][0] / total["govtrace"][1]
    theirs = total["pdfplumber"][0] / total["pdfplumber"][1]
    print(f"{'all':55} {total['govtrace'][0]:5d} {ours:13.1f} {theirs:15.1f}   ratio {ours / theirs:.1f}x")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/corpora/regulation-pdfs")
