"""The pack's notebook in a board paper's order: contents, the summary gathered from every part, each part, then
the appendix gathered from every part; what the pack omits (the long reference tables) nowhere."""

import nbformat

from aicto.present.deliverables import REGISTRY
from aicto.present.pack import APPENDIX_TAG, OMIT_TAG, SUMMARY_TAG, combined


def part(key: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell
    return nbformat.v4.new_notebook(cells=[
        cell("## Executive summary\n\nSummary of " + key, metadata={"tags": [SUMMARY_TAG]}),
        cell("## Detail\n\nBody of " + key),
        cell("## Week by week\n\nThe long table of " + key, metadata={"tags": [OMIT_TAG]}),
        cell("## Assumptions and sources\n\nSources of " + key, metadata={"tags": [APPENDIX_TAG]}),
    ])


def test_parts_are_rearranged_as_a_board_paper():
    readiness, costs = REGISTRY["readiness"], REGISTRY["costs"]
    nb = combined([(readiness, part("readiness")), (costs, part("costs"))])
    order = [c.metadata["aicto_pack"]["kind"] + ":" + c.metadata["aicto_pack"]["key"] if "aicto_pack" in c.metadata
             else c.source for c in nb.cells]
    assert order == [
        "contents:contents", "summary:executive-summary",
        "summary-part:readiness", "Summary of readiness", "summary-part:costs", "Summary of costs",
        "section:readiness", "## Detail\n\nBody of readiness", "section:costs", "## Detail\n\nBody of costs",
        "appendix:appendix",
        "appendix-part:readiness", "## Assumptions and sources\n\nSources of readiness",
        "appendix-part:costs", "## Assumptions and sources\n\nSources of costs",
    ]
    assert len({c.id for c in nb.cells}) == len(nb.cells)
