"""proposal.docx: the proposal as an editable Word file, written beside proposal.html (the deliverable's export).

The same document as the notebook's, built from the same blocks (ProposalView.document): real headings (Heading 1
and 2, so Word's navigation pane works), real tables, page numbers in the footer and the practice's logo
(playbook/brand's logo_raster) in the header. Not a picture of the HTML: the client redlines it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from aicto.present.views.common import Context
from aicto.present.views.proposal import Bullets, Document, Para, ProposalView, Table
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile

PAGE = {"A4": (Cm(21.0), Cm(29.7)), "Letter": (Cm(21.59), Cm(27.94))}


def _page_number(paragraph: Any) -> None:
    """A PAGE field: Word fills in the page's number."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _table(doc: Any, block: Table) -> None:
    if block.heading:
        doc.add_heading(block.heading, level=2)
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
        cell.text = column
        cell.paragraphs[0].runs[0].bold = True
    for i, row in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, column in zip(cells, block.columns, strict=True):
            cell.text = str(row.get(column, ""))
            paragraph = cell.paragraphs[0]
            if column in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if block.total and i == len(block.rows) - 1 and paragraph.runs:
                paragraph.runs[0].bold = True
    if block.caption:
        caption = doc.add_paragraph(block.caption)
        caption.runs[0].italic = True


def write_docx(document: Document, playbook: Playbook, paper: str = "A4") -> bytes:
    brand = playbook.brand
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE[paper]
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    primary = RGBColor.from_string(brand.colors.primary.lstrip("#"))
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = primary
    header = section.header.paragraphs[0]
    if brand.logo_raster:
        header.add_run().add_picture(str(Path(playbook.root) / "brand" / brand.logo_raster), height=Cm(1.0))
        header.add_run("  ")
    header.add_run(brand.firm).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{brand.firm} · page ")
    _page_number(footer)
    doc.add_heading(document.title, level=0)
    doc.add_paragraph(document.subtitle)
    kpis = doc.add_table(rows=2, cols=len(document.kpis))
    kpis.style = "Light Grid Accent 1"
    for i, kpi in enumerate(document.kpis):
        kpis.cell(0, i).text = kpi.label
        kpis.cell(1, i).text = kpi.value
        if kpi.note:
            kpis.cell(1, i).add_paragraph(kpi.note).runs[0].italic = True
    for heading, blocks in document.sections:
        doc.add_heading(heading, level=1)
        for block in blocks:
            if isinstance(block, Para):
                paragraph = doc.add_paragraph()
                paragraph.add_run(block.text).bold = block.strong
            elif isinstance(block, Bullets):
                if block.heading:
                    doc.add_heading(block.heading, level=2)
                for item in block.items:
                    doc.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Table):
                _table(doc, block)
    doc.core_properties.title = document.title
    doc.core_properties.author = brand.firm
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def proposal_docx(profile: Profile, playbook: Playbook) -> bytes:
    """The client's proposal.docx, from the same view as proposal.html."""
    view = ProposalView(Context(profile, playbook, profile.source or Path(f"{profile.client.id}.yaml")))
    return write_docx(view.document(), playbook, profile.engagement.paper_size)
