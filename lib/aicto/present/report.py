"""Export an executed notebook to a board-ready HTML file.

Configuration is traits on nbconvert's HTMLExporter plus the `board` template (kept as data under templates/):
no code, no prompts, no parameter cells, no stderr or widgets, no external request, plotly.js embedded once.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile
from aicto.text.dates import long_date
from aicto.text.spelling import respell

TEMPLATES = Path(__file__).resolve().parent / "templates"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
REMOVED_CELL_TAGS = ("parameters", "injected-parameters", "remove-from-report")


class SpellingPreprocessor(Preprocessor):
    """The notebooks' own text (headings, introductions) in the practice's spelling; outputs are respelled by the
    views, which know the client's words."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = respell(cell.source, resources["aicto"]["brand"].locale)
        return cell, resources


class BoardCleanupPreprocessor(Preprocessor):
    """Keep only what a board should read: drop stderr, tracebacks, widgets and saved widget state."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if self._keep(o)]
        return cell, resources

    @staticmethod
    def _keep(output) -> bool:
        if output.output_type == "stream":
            return output.get("name") == "stdout"
        if output.output_type == "error":
            return False
        return WIDGET_MIME not in output.get("data", {})


@functools.cache
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@functools.cache
def _exporter(template: str = "board") -> HTMLExporter:
    """The configured exporter for a template under templates/ (`board`, or `pack` which extends it); cached."""
    exporter = HTMLExporter(
        template_name=template,
        extra_template_basedirs=[str(TEMPLATES)],
        extra_template_paths=[str(TEMPLATES)],  # so `pack` can extend 'board/index.html.j2' by name
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        require_js_url="",
        mathjax_url="",
        embed_images=True,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=REMOVED_CELL_TAGS, enabled=True),
                                   enabled=True)
    exporter.register_preprocessor(BoardCleanupPreprocessor(enabled=True), enabled=True)
    exporter.register_preprocessor(SpellingPreprocessor(enabled=True), enabled=True)
    return exporter


@dataclass(frozen=True)
class ReportHeader:
    title: str
    client_name: str
    industry: str
    consultant: str
    report_date: str
    paper_size: str

    @classmethod
    def for_profile(cls, title: str, profile: Profile, playbook: Playbook) -> ReportHeader:
        date = profile.report_day or dt.date.today()  # a profile without report_date is dated by its actuals
        locale = playbook.brand.locale
        return cls(title=respell(title, locale), client_name=profile.client.name, industry=profile.client.industry,
                   consultant=profile.engagement.consultant or playbook.brand.consultant,
                   report_date=long_date(date, locale), paper_size=profile.engagement.paper_size)


def _charts(nb: nbformat.NotebookNode) -> bool:
    """Whether any output is a chart: a report without one (the proposal) carries no plotly.js, 4.8 MB less."""
    return any("plotly-graph-div" in str(output.get("data", {}).get("text/html", ""))
               for cell in nb.cells for output in cell.get("outputs", []))


def export_html(nb: nbformat.NotebookNode, header: ReportHeader, playbook: Playbook, template: str = "board",
                **extra: object) -> str:
    """`extra` reaches the template as resources.aicto.<name> (the pack's sections and headline numbers)."""
    resources = {
        "metadata": {"name": f"{header.client_name} - {header.title}"},
        "aicto": {**header.__dict__, "brand": playbook.brand, "plotly_js": plotly_js() if _charts(nb) else "",
                  **extra},
    }
    body, _ = _exporter(template).from_notebook_node(nb, resources=resources)
    return body
