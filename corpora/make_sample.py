"""Build the binary and HTML files of corpora/sample/ from the sources in corpora/sample-src/.

Run: .venv/bin/python corpora/make_sample.py   (the outputs are committed; rerun after editing a source)

The PDFs carry a running header and a "Page N" footer on every page, and the
Executive Order summary is set in two columns, so the PDF reader's handling of
layout is exercised on files we wrote ourselves.
"""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

import docx
from fpdf import FPDF

HERE = Path(__file__).resolve().parent
SRC = HERE / "sample-src"
OUT = HERE / "sample"
FIXED_DATE = "D:20240101000000Z"


def blocks(markdown: str):
    """(kind, text) pairs of a small Markdown subset: headings, list items, paragraphs."""
    for chunk in markdown.strip().split("\n"):
        line = chunk.strip()
        if not line:
            continue
        heading = re.match(r"^(#+)\s+(.*)$", line)
        item = re.match(r"^(?:-|\d+\.)\s+(.*)$", line)
        if heading:
            yield f"h{len(heading.group(1))}", heading.group(2)
        elif item:
            yield "li", item.group(1)
        else:
            yield "p", line


class Paper(FPDF):
    def __init__(self, header_text: str):
        super().__init__(format="Letter")
        self.header_text = header_text
        self.set_auto_page_break(auto=True, margin=22)

    def header(self):
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 8, self.header_text, align="C")
        self.ln(12)

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 8, f"Page {self.page_no()}", align="C")


def write_pdf(source: Path, target: Path, *, header: str, columns: int = 1, title: str | None = None,
              author: str | None = None) -> None:
    pdf = Paper(header)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.add_page()
    items = list(blocks(source.read_text(encoding="utf-8")))
    # the title block spans the page; the body may be set in columns
    while items and items[0][0] in ("h1", "p") and len(items[0][1]) < 90:
        kind, text = items.pop(0)
        pdf.set_font("Helvetica", "B" if kind == "h1" else "", 16 if kind == "h1" else 11)
        pdf.multi_cell(0, 8, text)
        pdf.ln(2)
    if columns > 1:
        with pdf.text_columns(ncols=columns, gutter=12, text_align="L") as cols:
            for kind, text in items:
                pdf.set_font("Helvetica", "B" if kind.startswith("h") else "", 12 if kind.startswith("h") else 10)
                with cols.paragraph(bottom_margin=3) as para:
                    para.write(text)
    else:
        for kind, text in items:
            if kind.startswith("h"):
                pdf.set_font("Helvetica", "B", 13)
                pdf.ln(3)
                pdf.multi_cell(0, 7, text)
            else:
                pdf.set_font("Helvetica", "", 12)
                pdf.multi_cell(0, 7, ("- " if kind == "li" else "") + text)
            pdf.ln(5)
    pdf.output(str(target))


def write_docx(source: Path, target: Path, *, title: str, created: str) -> None:
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.created = datetime.datetime.fromisoformat(created)
    document.core_properties.modified = datetime.datetime.fromisoformat(created)
    document.core_properties.author = ""
    for kind, text in blocks(source.read_text(encoding="utf-8")):
        if kind.startswith("h"):
            document.add_heading(text, level=int(kind[1]))
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    document.save(str(target))


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="author" content="{author}"><meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{date}">
<script src="/static/analytics.js"></script><style>body{{font-family:sans-serif}}</style></head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience. <button>Accept all</button> <button>Manage preferences</button></p></div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/policy">Policy</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<main><article>
{body}
</article>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Chip exports tighten again</a></li><li><a href="/b">Five takeaways from the summit</a></li></ul></aside>
</main>
<footer><p>&copy; 2026 {site}. All rights reserved.</p><p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a> | <a href="/contact">Contact us</a></p></footer>
<script>window.dataLayer=window.dataLayer||[];</script>
</body></html>
"""


def write_html(source: Path, target: Path, *, title: str, author: str, site: str, date: str) -> None:
    parts: list[str] = []
    in_list = False
    for kind, text in blocks(source.read_text(encoding="utf-8")):
        if kind != "li" and in_list:
            parts.append("</ul>")
            in_list = False
        if kind == "li":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{html.escape(text)}</li>")
        elif kind.startswith("h"):
            parts.append(f"<{kind}>{html.escape(text)}</{kind}>")
        else:
            parts.append(f"<p>{html.escape(text)}</p>")
    if in_list:
        parts.append("</ul>")
    target.write_text(PAGE.format(title=html.escape(title), author=html.escape(author), site=html.escape(site),
                                  date=date, body="\n".join(parts)), encoding="utf-8")


def main() -> None:
    write_pdf(SRC / "anthropic-rsp-v1.0-2023-09-19.md", OUT / "anthropic-rsp-v1.0-2023-09-19.pdf",
              header="Anthropic - Responsible Scaling Policy v1.0", title="Responsible Scaling Policy",
              author="Anthropic")
    write_pdf(SRC / "us-eo-14110-summary-2023-10-30.md", OUT / "us-eo-14110-summary-2023-10-30.pdf",
              header="Executive Order 14110 - Summary of reporting requirements", columns=2)
    write_docx(SRC / "openai-usage-policies-2024-01-10.md", OUT / "openai-usage-policies-2024-01-10.docx",
               title="Usage policies", created="2024-01-10T09:00:00")
    write_html(SRC / "anthropic-rsp-v3.0-2026-02-24.body.md", OUT / "anthropic-rsp-v3.0-2026-02-24.html",
               title="Responsible Scaling Policy (Version 3.0)", author="", site="Anthropic", date="2026-02-24")
    write_html(SRC / "techwire-2026-05-14-anthropic-pause-ipo.body.md",
               OUT / "techwire-2026-05-14-anthropic-pause-ipo.html",
               title="Anthropic calls for a coordinated pause as it readies a listing", author="Dana Whitlock",
               site="TechWire", date="2026-05-14")


if __name__ == "__main__":
    main()
