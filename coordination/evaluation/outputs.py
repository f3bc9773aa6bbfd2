"""The evaluation document as files: a PDF in the seed's layout (A4, a label column and a content
column, the font embedded) and a Word file with the same blocks for the city's template."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from common.html_pdf import render_pdf
from coordination.evaluation.document import Layout

#: The Japanese font Word uses for the document (the city's template sets its own when pasted).
DOCX_FONT = "游明朝"


def document_pdf(layout: Layout) -> bytes:
    return render_pdf("evaluation/document_pdf.html", {"layout": layout})


def document_docx(layout: Layout) -> bytes:
    """A4 portrait: the title, then per part its heading and a two-column table, one row per block."""
    word = Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    style = word.styles["Normal"]
    style.font.size = Pt(10)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    word.core_properties.title = layout.title
    word.add_heading(layout.title, level=1)
    for part in layout.parts:
        if part.heading:
            word.add_heading(part.heading, level=2)
        table = word.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for row in part.rows:
            label, content = table.add_row().cells
            label.width, content.width = Mm(40), Mm(140)
            label.paragraphs[0].add_run(row.label).bold = True
            first, *rest = row.paragraphs or [""]
            content.paragraphs[0].add_run(first)
            for paragraph in rest:
                content.add_paragraph(paragraph)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
