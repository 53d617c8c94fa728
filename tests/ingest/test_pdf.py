"""PDF reading: pages, running lines, hyphenation, columns, failures."""

from __future__ import annotations

import pytest
from fpdf import FPDF
from PIL import Image

from pipeline.errors import CorruptFile, EncryptedPdf, NoTextLayer
from pipeline.ingest import read
from pipeline.nlp import split_sentences

LONG = ("The developer shall report each training run that exceeds the compute threshold to the agency "
        "within ninety days, and shall describe the safeguards that protect the model weights "
        "from theft. ") * 3


def test_pages_numbered_and_running_lines_removed(pdf_factory):
    path = pdf_factory(pages=[LONG, "Second page text about evaluations.\n\n" + LONG, LONG],
                       header="Acme Lab - Safety Policy v2")
    parsed = read(path)
    text = parsed.document.text
    assert parsed.document.pages == 3
    assert "Acme Lab - Safety Policy v2" not in text
    assert "Page 1" not in text and "Page 3" not in text
    assert {b.page for b in parsed.blocks} == {1, 2, 3}
    second = [s for s in split_sentences(parsed) if s.text.startswith("Second page")]
    assert second and second[0].page == 2


def test_hyphenated_line_ends_are_joined(tmp_path):
    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 7, "Labs agreed on a voluntary frame-")
    pdf.ln(7)
    pdf.cell(0, 7, "work for evaluations of frontier models.")
    pdf.output(str(tmp_path / "h.pdf"))
    assert "voluntary framework for evaluations" in read(tmp_path / "h.pdf").document.text


def _raised(pdf: FPDF, text: str) -> None:
    """Write ``text`` small and lifted, as a PDF prints an exponent or a footnote mark."""
    x, y = pdf.get_x() + 0.6, pdf.get_y()
    pdf.set_font("Helvetica", "", 7)
    pdf.text(x, y + 3, text)  # text() places a baseline; the line's own baseline is about 5 mm lower
    pdf.set_xy(x + pdf.get_string_width(text) + 0.6, y)
    pdf.set_font("Helvetica", "", 12)


def test_superscripts_read_as_exponents_and_footnote_marks_dropped(tmp_path):
    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 12)
    pdf.set_xy(20, 30)
    pdf.cell(pdf.get_string_width("Models trained with more than 10") + 1, 7,
             "Models trained with more than 10")
    _raised(pdf, "26")
    pdf.cell(0, 7, " operations are covered by the order.")
    pdf.set_xy(20, 45)
    pdf.cell(pdf.get_string_width("It cites the climate change.") + 1, 7, "It cites the climate change.")
    _raised(pdf, "6")
    pdf.cell(0, 7, " Agencies shall report.")
    pdf.output(str(tmp_path / "sup.pdf"))
    text = read(tmp_path / "sup.pdf").document.text
    assert "more than 10^26 operations" in text
    assert "climate change. Agencies shall report." in text


def test_two_columns_read_column_by_column(tmp_path):
    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    left = ("Left column opens here and the first sentence runs across several lines of the narrow column "
            "until it ends.")
    right = "Right column text starts only after the whole left column has been read by the ingester."
    with pdf.text_columns(ncols=2, gutter=14) as cols:
        cols.write(left + "\n\n" + "Filler sentence for the left column. " * 12 + "\n\n" + right)
    pdf.output(str(tmp_path / "cols.pdf"))
    text = read(tmp_path / "cols.pdf").document.text
    assert left in text
    assert text.index(left) < text.index(right)


def _page() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    return pdf


def _sentences(pdf: FPDF, path) -> list[str]:
    """The sentences govtrace reads from the page written to ``path``, each on one line."""
    pdf.output(str(path))
    return [" ".join(s.text.split()) for s in split_sentences(read(path))]


def test_table_under_a_full_width_title_read_cell_by_cell(tmp_path):
    """A title across the page crosses the table's gutter: the cells' lines must not mix row by row."""
    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, LONG, new_x="LMARGIN", new_y="NEXT")
    title = "Table 1: Categories and the outcomes each of them asks the organisation to reach, in full"
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    left = "Processes are in place for robust engagement with outside parties."
    right = ("Policies and procedures are in place to address the risks that arise from third-party data, "
             "software and models, including the risk that they infringe the rights of others.")
    with pdf.table(col_widths=(30, 70), first_row_as_headings=False, padding=3) as table:
        for n in range(3):
            row = table.row()
            row.cell(f"GOVERN {n + 1}: {left}")
            row.cell(f"GOVERN {n + 1}.1: {right}")
    sentences = _sentences(pdf, tmp_path / "table.pdf")
    assert sum(s.endswith(left) for s in sentences) == 3
    assert sum(s.endswith(right) for s in sentences) == 3


def test_double_spaced_text_over_single_spaced_notes_keeps_its_paragraphs(tmp_path):
    """One median gap for the page (set by the many close lines of the notes) ended a paragraph at
    every line of the wider-spaced text above them."""
    body = ("The harmonised rules laid down in this Regulation should apply across sectors and should be "
            "without prejudice to existing Union law on data protection, consumer protection and product "
            "safety, to which this Regulation is complementary.")
    pdf = _page()
    pdf.set_y(40)
    pdf.multi_cell(0, 10, body, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(200)
    note = ("Regulation (EC) No 765/2008 of the European Parliament and of the Council of 9 July 2008 "
            "setting out the requirements for accreditation and market surveillance. ")
    pdf.multi_cell(0, 4.5, note * 6)
    assert body in _sentences(pdf, tmp_path / "recital.pdf")


def test_footnote_numbers_beside_the_text_are_no_column(tmp_path):
    """Footnote numbers set in the margin beside their notes made a column of their own, read between
    a paragraph's first line (high on the page) and the rest of it."""
    body = ("Harmonised rules applicable to the placing on the market and the use of high-risk systems "
            "should be laid down consistently with the existing framework on the marketing of products, "
            "and should apply across sectors without prejudice to existing law.")
    pdf = _page()
    pdf.set_y(12)
    pdf.set_x(32)
    pdf.multi_cell(150, 8, body, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(230)
    for number in range(1, 4):
        y = pdf.get_y()
        pdf.set_xy(20, y)
        pdf.cell(4, 4, str(number))
        pdf.set_xy(32, y)
        pdf.multi_cell(150, 4.5, f"Note {number}: Regulation of the Parliament and of the Council "
                       "setting out the requirements for accreditation and market surveillance of products.",
                       new_x="LMARGIN", new_y="NEXT")
    assert body in _sentences(pdf, tmp_path / "recitals.pdf")


def test_opening_bracket_starts_the_next_sentence(tmp_path):
    path = tmp_path / "order.txt"
    path.write_text("Sec. 9. Protecting Privacy. (a) Within 90 days the Director shall issue guidance.\n",
                    encoding="utf-8")
    texts = [s.text for s in split_sentences(read(path))]
    assert "Protecting Privacy." in texts
    assert "(a) Within 90 days the Director shall issue guidance." in texts


def test_encrypted_pdf_is_refused_with_advice(pdf_factory):
    path = pdf_factory(encrypt=True)
    with pytest.raises(EncryptedPdf, match="password"):
        read(path)


def test_truncated_pdf_is_corrupt(pdf_factory, tmp_path):
    data = pdf_factory(pages=[LONG]).read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptFile):
        read(broken)


def test_scanned_pdf_without_text_layer_says_so(tmp_path):
    image = tmp_path / "scan.png"
    Image.new("RGB", (400, 300), "white").save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=180)
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(NoTextLayer, match="OCR"):
        read(tmp_path / "scan.pdf")


def test_pdf_named_txt_is_read_as_pdf(pdf_factory, tmp_path):
    path = pdf_factory()
    disguised = tmp_path / "policy.txt"
    disguised.write_bytes(path.read_bytes())
    parsed = read(disguised)
    assert parsed.document.format == "pdf"
    assert "Providers shall report every training run." in parsed.document.text


def test_pdf_metadata_title(pdf_factory):
    assert read(pdf_factory(title="Frontier Safety Policy")).document.title == "Frontier Safety Policy"


def test_federal_register_layout(shared_corpora):
    path = shared_corpora / "regulation-pdfs" / "us-eo-14110-2023-10-30.pdf"
    parsed = read(path)
    text = parsed.document.text
    assert parsed.document.pages == 36
    # a sentence broken over lines and set beside the margin column comes out whole and in order
    assert ("Within 90 days of the date of this order, to ensure and verify the continuous availability of "
            "safe, reliable, and effective AI") in text
    assert "Artificial Intelligence" in text and "Arti\ufffeficial" not in text
    assert "VerDate" not in text  # typesetting footer on every page
    assert text.count("Federal Register / Vol. 88") == 0


def test_pdfplumber_fallback_reads_the_same_text(pdf_factory):
    from pipeline.ingest.pdf import _assemble, _drop_running_lines, _plumber_pages

    path = pdf_factory(pages=[LONG, "Second page text about evaluations.\n\n" + LONG],
                       header="Acme Lab - Policy")
    pages, _ = _plumber_pages(path, path.read_bytes())
    text, blocks = _assemble(_drop_running_lines(pages))
    assert text == read(path).document.text
    assert {b.page for b in blocks} == {1, 2}


def test_a_title_set_above_body_text_is_found_beside_a_larger_masthead(tmp_path):
    # a gazette page: a large masthead, small running heads, the title set a little larger than the
    # body, then many lines of body text (so the largest lines alone do not make a title block)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 10, "Official Gazette", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    pdf.cell(0, 6, "Vol. 12, No. 3", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=14)
    # (line heights are read from the glyph boxes, so both title lines hold a descender, as body lines do)
    pdf.multi_cell(80, 7, "Rules for Safely Deploying Typical Computer Models")
    pdf.set_font("Helvetica", size=11)
    for n in range(12):
        pdf.cell(0, 6, f"Section {n + 1}. The operator shall keep a record of every release it makes.",
                 new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "gazette.pdf"))
    title = read(tmp_path / "gazette.pdf").document.title
    assert title == "Rules for Safely Deploying Typical Computer Models"
