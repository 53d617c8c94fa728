"""Files the ingest tests make: real PDFs (fpdf2), DOCX (python-docx), HTML and text."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF


def make_pdf(path: Path, pages: list[str], *, header: str | None = None, encrypt: bool = False,
             title: str | None = None) -> Path:
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=False)
    if title:
        pdf.set_title(title)
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        if header:
            pdf.cell(0, 8, header, align="C")
            pdf.ln(14)
        pdf.set_font("Helvetica", "", 12)
        for paragraph in text.split("\n\n"):
            pdf.multi_cell(0, 7, paragraph)
            pdf.ln(5)
        pdf.set_y(-15)
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(0, 8, f"Page {number}", align="C")
    pdf.output(str(path))
    return path


@pytest.fixture()
def pdf_factory(tmp_path):
    def factory(name: str = "doc.pdf", pages: list[str] | None = None, **kwargs) -> Path:
        return make_pdf(tmp_path / name, pages or ["Providers shall report every training run."], **kwargs)

    return factory
