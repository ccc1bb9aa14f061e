"""Export an executed notebook to a board-ready HTML file.

Configuration is traits on nbconvert's HTMLExporter plus the `board` template (kept as data under templates/):
no code, no prompts, no parameter cells, no stderr or widgets, no external request, plotly.js embedded once.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
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
PLOTLY_MIME = "application/vnd.plotly.v1+json"
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


ASSETS = Path(__file__).resolve().parent / "assets"
PLOTLY_JS = ASSETS / "plotly-aicto.min.js"  # built by tools/plotlyjs (`make plotlyjs`), with its manifest beside it
PLOTLY_MANIFEST = ASSETS / "plotly-aicto.json"


@functools.cache
def plotly_js() -> str:
    """The plotly.js every report embeds once: plotly.js's core with only the trace types the charts draw (1.2 MB,
    where plotly.py's whole plotly.js is 4.8 MB), at the version plotly.py ships."""
    return PLOTLY_JS.read_text(encoding="utf-8")


FONTS = ASSETS / "fonts"  # built by tools/fonts (`make fonts`): Inter subset to an English board paper's glyphs


@functools.cache
def font_manifest() -> dict:
    return json.loads((FONTS / "fonts.json").read_text(encoding="utf-8"))


@functools.cache
def embedded_fonts(font_family: str) -> tuple[dict, ...]:
    """The embedded font's faces (family, weight, WOFF2 as base64) when the brand's font family names it, else none:
    text is then set, measured and printed in the same font on any machine, whatever fonts it has (about 70 KB a
    file). The board template adds them from their bytes with the FontFace API before anything is drawn."""
    manifest = font_manifest()
    family = manifest["family"]
    if family.lower() not in [name.strip().strip("'\"").lower() for name in font_family.split(",")]:
        return ()
    return tuple({"family": family, "weight": weight,
                  "data": base64.b64encode((FONTS / entry["file"]).read_bytes()).decode("ascii")}
                 for weight, entry in manifest["weights"].items())


@functools.cache
def plotly_manifest() -> dict:
    """The bundle's plotly.js version, trace types, size and sha256, written by its build."""
    return json.loads(PLOTLY_MANIFEST.read_text(encoding="utf-8"))


def chart_types(nb: nbformat.NotebookNode) -> set[str]:
    """The plotly trace types of every chart in a notebook's outputs."""
    return {trace.get("type", "scatter") for cell in nb.cells if cell.cell_type == "code"
            for output in cell.get("outputs", [])
            for trace in output.get("data", {}).get(PLOTLY_MIME, {}).get("data", [])}


def check_chart_types(nb: nbformat.NotebookNode) -> None:
    """A chart whose trace type the embedded plotly.js lacks would be an empty box in the report: refuse it."""
    missing = chart_types(nb) - set(plotly_manifest()["traces"])
    if missing:
        raise ValueError(f"the report's plotly.js has no {', '.join(sorted(missing))} trace: add it to "
                         "tools/plotlyjs/build.mjs and run `make plotlyjs`")


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
                  "fonts": embedded_fonts(playbook.brand.font_family), **extra},
    }
    check_chart_types(nb)
    body, _ = _exporter(template).from_notebook_node(nb, resources=resources)
    return body
