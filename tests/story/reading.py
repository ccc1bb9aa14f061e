"""One client's reports as the board reads them, built in-process: every section of every report as the notebooks
show it (its words, as plain text), the pack's headline cards, summary.json and the roadmap's CSV. The story's rules
read these, never lib's intermediate results alone: a rule is about what the reader is told.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat

from aicto.model.engagement import Engagement, build_engagement
from aicto.present.charts import Chart
from aicto.present.deliverables import REGISTRY, applicable
from aicto.present.headlines import HEADLINES, formatted, label
from aicto.present.roadmap_export import roadmap_exports
from aicto.present.views.common import Context
from aicto.present.views.costs import CostView
from aicto.present.views.proposal import ProposalView
from aicto.present.views.readiness import ReadinessView
from aicto.present.views.roadmap import RoadmapView
from aicto.present.views.roi import RoiView
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile
from aicto.run.runner import build_summary
from aicto.text.spelling import respell

VIEWS = {"proposal": ProposalView, "readiness": ReadinessView, "costs": CostView, "roi": RoiView,
         "roadmap": RoadmapView}


@dataclass(frozen=True)
class Section:
    report: str
    name: str
    text: str  # the words as shown; a chart's title and axis titles

    @property
    def where(self) -> str:
        return f"{self.report}.{self.name}"


@dataclass
class Reading:
    name: str  # the client, as a failing rule names it
    profile: Profile
    playbook: Playbook
    engagement: Engagement
    sections: list[Section]
    summary: dict[str, Any]
    cards: dict[str, str]  # the pack's headline cards: label -> value as shown, for every headline
    csv: str
    extra: dict[str, Any] = field(default_factory=dict)

    def section(self, report: str, name: str) -> str:
        return next(s.text for s in self.sections if s.report == report and s.name == name)

    def texts(self, report: str | None = None) -> list[Section]:
        return [s for s in self.sections if report is None or s.report == report]


class _Words(HTMLParser):
    """An HTML section's words as a reader meets them: blocks on their own lines, table cells apart (a tab)."""

    BLOCKS = {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "caption", "table", "thead", "tbody", "ul"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.cell = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("td", "th"):
            self.parts.append("\t")
            self.cell = True
        elif tag == "br":
            self.parts.append("; " if self.cell else "\n")
        elif tag in self.BLOCKS and not self.cell:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.cell = False
        elif tag in self.BLOCKS and not self.cell:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def words(html: str) -> str:
    parser = _Words()
    parser.feed(html)
    text = "".join(parser.parts)
    lines = ("\t".join(" ".join(cell.split()) for cell in line.split("\t")).strip("\t") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _chart_words(chart: Chart) -> str:
    """A chart's title and its axes' titles, as drawn."""
    layout = chart.get("layout", {})
    parts = [(layout.get(key) or {}).get("title", {}) for key in ("xaxis", "yaxis")]
    parts = [layout.get("title", {}), *parts]
    return "\n".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in parts if p)


@functools.cache
def notebook_words(locale: str) -> tuple[Section, ...]:
    """The notebooks' own words the reports show (markdown not marked for removal), in the practice's spelling as
    the export writes them: the board reads them too."""
    found = []
    for key, deliverable in REGISTRY.items():
        nb = nbformat.read(deliverable.path(), as_version=4)
        found += [Section(key, f"markdown {i}", respell(cell.source, locale)) for i, cell in enumerate(nb.cells)
                  if cell.cell_type == "markdown" and "remove-from-report" not in cell.metadata.get("tags", [])]
    return tuple(found)


def read(profile: Profile, playbook: Playbook, name: str | None = None) -> Reading:
    engagement = build_engagement(profile, playbook)
    context = Context(profile, playbook, Path(f"{profile.client.id}.yaml"))
    sections = []
    applies = applicable(profile)  # before the audit (no readiness answers), the proposal alone
    for report, view_type in ((k, v) for k, v in VIEWS.items() if k in applies):
        view = view_type(context)
        for section_name in sorted(n for n in dir(view_type) if hasattr(getattr(view_type, n), "build")):
            shown = view.build(section_name)
            text = _chart_words(shown) if isinstance(shown, Chart) else words(str(shown))
            sections.append(Section(report, section_name, text))
    sections += [s for s in notebook_words(playbook.brand.locale) if s.report in applies]
    keys = [k for k in ("proposal", "readiness", "costs", "roi", "roadmap") if k in applies]
    summary = build_summary(profile, playbook, keys)
    cards = {label(h, playbook): formatted(summary, h, playbook) for h in HEADLINES
             if not h.key.startswith("progress.")} if "roadmap" in applies else {}
    csv = roadmap_exports(profile, playbook)["roadmap.csv"] if "roadmap" in applies else ""
    return Reading(name or profile.client.id, profile, playbook, engagement, sections, summary, cards,
                   csv if isinstance(csv, str) else csv.decode())
