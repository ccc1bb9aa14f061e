"""The board pack: every deliverable of one client in a single self-contained HTML file.

The executed notebooks are concatenated into one notebook, each behind a section marker cell, and exported with
the `pack` template, which extends the board template: same cleanup, same brand, plotly.js embedded once for the
whole file, a cover, the headline numbers, a table of contents and a page break per section.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import nbformat

from aicto.deliverables import Deliverable
from aicto.headlines import present
from aicto.playbook import Playbook
from aicto.profile import Profile
from aicto.report import ReportHeader, export_html

TITLE = "Board pack"


def combined(parts: Sequence[tuple[Deliverable, nbformat.NotebookNode]]) -> nbformat.NotebookNode:
    """One notebook holding each part's cells after a section marker, in the given order."""
    nb = nbformat.v4.new_notebook(metadata=dict(parts[0][1].metadata) if parts else {})
    for deliverable, part in parts:
        marker = nbformat.v4.new_markdown_cell("", metadata={"aicto_section": {"key": deliverable.key,
                                                                              "title": deliverable.title}})
        marker.id = f"section-{deliverable.key}"
        nb.cells.append(marker)
        for cell in part.cells:
            cell = nbformat.from_dict(dict(cell))
            cell.id = f"{deliverable.key}-{cell.get('id', len(nb.cells))}"  # ids stay unique across notebooks
            nb.cells.append(cell)
    return nb


def build_pack(parts: Sequence[tuple[Deliverable, nbformat.NotebookNode]], summary: Mapping[str, Any],
               profile: Profile, playbook: Playbook) -> str:
    header = ReportHeader.for_profile(TITLE, profile, playbook)
    sections = [{"key": d.key, "title": d.title} for d, _ in parts]
    return export_html(combined(parts), header, playbook, template="pack", sections=sections,
                       headlines=present(summary, playbook))
