"""The board pack: every deliverable of one client in a single self-contained HTML file, laid out as a board paper.

The executed notebooks are rearranged into one notebook with marker cells, and exported with the `pack` template,
which extends the board template (same cleanup, same brand, plotly.js embedded once for the whole file). The order
is a board paper's: the cover and the contents; the executive summary (the headline numbers, then each
deliverable's own summary, the cells its notebook tags `pack-summary`); each deliverable on a new printed page; and
an appendix with what the board reads only for reference, each deliverable's cells tagged `pack-appendix` (the
assumptions and their sources). Cells tagged `pack-omit` (the plan week by week, which roadmap.html, the tracker CSV
and the calendar carry) stay out of the pack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import nbformat

from aicto.present.deliverables import Deliverable
from aicto.present.headlines import present
from aicto.present.report import ReportHeader, export_html
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile

TITLE = "Board pack"
SUMMARY_TAG = "pack-summary"
APPENDIX_TAG = "pack-appendix"
OMIT_TAG = "pack-omit"  # detail the deliverable's own report and exports carry, too long for a board paper
APPENDIX = {"key": "appendix", "title": "Appendix"}
LEADING_HEADING = re.compile(r"\A\s*#{1,6} [^\n]*\n*")


def marker(kind: str, key: str, title: str) -> nbformat.NotebookNode:
    """A cell the pack template renders as a part of the paper: `summary`, `summary-part`, `contents`, `section`,
    `appendix` or `appendix-part`."""
    cell = nbformat.v4.new_markdown_cell("", metadata={"aicto_pack": {"kind": kind, "key": key, "title": title}})
    cell.id = f"pack-{kind}-{key}"
    return cell


def _tagged(cell: nbformat.NotebookNode, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])


def _without_heading(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """The cells without their own leading heading ("## Executive summary"): in the pack's summary, the part's
    marker heads them with the deliverable's title instead. A markdown cell left empty is dropped."""
    if cells and cells[0].cell_type == "markdown":
        rest = LEADING_HEADING.sub("", cells[0].source, count=1)
        first = [nbformat.from_dict({**cells[0], "source": rest})] if rest.strip() else []
        return first + cells[1:]
    return cells


def combined(parts: Sequence[tuple[Deliverable, nbformat.NotebookNode]]) -> nbformat.NotebookNode:
    """One notebook in a board paper's order: contents, executive summary, each deliverable, the appendix."""
    summary = [marker("summary", "executive-summary", "Executive summary")]
    body: list[nbformat.NotebookNode] = []
    appendix: list[nbformat.NotebookNode] = []
    for deliverable, part in parts:
        cells = []
        for cell in part.cells:
            if _tagged(cell, OMIT_TAG):
                continue
            cell = nbformat.from_dict(dict(cell))
            cell.id = f"{deliverable.key}-{cell.get('id', len(cells))}"  # ids stay unique across notebooks
            cells.append(cell)
        if own := [c for c in cells if _tagged(c, SUMMARY_TAG)]:
            summary += [marker("summary-part", deliverable.key, deliverable.title), *_without_heading(own)]
        body += [marker("section", deliverable.key, deliverable.title),
                 *[c for c in cells if not _tagged(c, SUMMARY_TAG) and not _tagged(c, APPENDIX_TAG)]]
        if extra := [c for c in cells if _tagged(c, APPENDIX_TAG)]:
            appendix += [marker("appendix-part", deliverable.key, deliverable.title), *extra]
    if appendix:
        appendix.insert(0, marker("appendix", APPENDIX["key"], APPENDIX["title"]))
    nb = nbformat.v4.new_notebook(metadata=dict(parts[0][1].metadata) if parts else {})
    nb.cells = [marker("contents", "contents", "Contents"), *summary, *body, *appendix]
    return nb


def build_pack(parts: Sequence[tuple[Deliverable, nbformat.NotebookNode]], summary: Mapping[str, Any],
               profile: Profile, playbook: Playbook) -> str:
    header = ReportHeader.for_profile(TITLE, profile, playbook)
    nb = combined(parts)
    sections = [{"key": m["key"], "title": m["title"]} for m in (c.metadata.get("aicto_pack") for c in nb.cells)
                if m and m["kind"] in ("section", "appendix")]
    return export_html(nb, header, playbook, template="pack", sections=sections,
                       headlines=present(summary, playbook))
