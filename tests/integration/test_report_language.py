"""Every report reads as a senior consultant writes: the report linter (tests/report_linter.py) reads the board pack
(every deliverable in one file) and the roadmap report of each example, and every section of generated profiles,
as Chromium renders them, and fails on any slip a board member would catch.

Plotly draws its words from the figure's JSON, so those strings are read from the rendered figures themselves.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import holidays
import plotly
import pytest
from hypothesis import HealthCheck, Phase, given, reject, settings
from markupsafe import escape
from ruamel.yaml import YAML

from aicto.model.validation import load_client, parse_client
from aicto.present.charts import Chart, figure_bundle
from aicto.present.views.common import Context, report_style
from aicto.present.views.costs import CostView
from aicto.present.views.proposal import ProposalView
from aicto.present.views.readiness import ReadinessView
from aicto.present.views.roadmap import RoadmapView
from aicto.present.views.roi import RoiView
from aicto.profile.playbook import PLAYBOOK_ENV, load_playbook
from aicto.profile.problems import InputError
from tests.conftest import EXAMPLES, ROOT
from tests.report_linter import Finding, lint_axis, lint_table, lint_text, working_day_findings
from tests.unit.profile.test_one_rule import profiles

PLAYBOOK = load_playbook()
NORTHWIND = next(p for p in EXAMPLES if p.stem == "northwind-analytics")

# What the reader sees: the page's text, each table's cells, and every string plotly puts on a chart.
READ_PAGE = """() => {
  const strings = [];
  const collect = (node, key) => {
    if (typeof node === 'string') {
      if (['text', 'name', 'ticktext', 'hovertemplate', 'title'].includes(key) || key === undefined) strings.push(node);
    } else if (Array.isArray(node)) { node.forEach(n => collect(n, key)); }
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (['x', 'y', 'z', 'customdata', 'values', 'base', 'r', 'theta'].includes(k)) continue;
        collect(v, k === 'text' || k === 'title' ? (key === 'title' ? 'title' : k) : k);
      }
    }
  };
  const axes = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    collect(plot.data); collect(plot.layout);
    for (const axis of plot.querySelectorAll('.xaxislayer-above, .yaxislayer-above'))
      axes.push([...axis.querySelectorAll('text')].map(t => t.textContent));  // the tick labels as drawn
  }
  const tables = [...document.querySelectorAll('table')].map(t =>
    [...t.querySelectorAll('tr')].map(r => [...r.querySelectorAll('th,td')].map(c => c.innerText)));
  return {text: document.body.innerText, tables: tables, charts: strings, axes: axes};
}"""


def _plain(chart_string: str) -> str:
    """A chart string as drawn: plotly's <br> is a line break, %{...} a value filled in."""
    import re

    text = re.sub(r"<br\s*/?>", "\n", chart_string)
    text = re.sub(r"%\{[^}]*\}", "0", text)
    return re.sub(r"<[^>]+>", "", text)


def read_page(page) -> tuple[str, list[list[list[str]]], list[list[str]]]:
    """The page's text (with its charts' strings and tick labels), its tables, and each chart axis's tick labels."""
    seen = page.evaluate(READ_PAGE)
    charts = [_plain(s) for s in seen["charts"]] + [tick for axis in seen["axes"] for tick in axis]
    return seen["text"] + "\n" + "\n".join(charts), seen["tables"], seen["axes"]


def client_words(data: object) -> Iterator[str]:
    """Every string a profile holds: the client's own words, which the reports quote as given."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from client_words(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from client_words(value)


def lint_page(page, locale: str, client_text: list[str]) -> list[Finding]:
    text, tables, axes = read_page(page)
    return (lint_text(text, locale, client_text) + [f for rows in tables for f in lint_table(rows)]
            + [f for ticks in axes for f in lint_axis(ticks)])


def _report(findings: dict[str, list[Finding]]) -> str:
    return "\n".join(f"{where}: {f}" for where, found in findings.items() for f in found[:15])


# The board pack holds every deliverable's report but the proposal; the week-by-week table it leaves out is in
# roadmap.html.
READ = ("board-pack.html", "roadmap.html", "proposal.html")


def lint_reports(browser, folder: Path, profile: Path, locale: str) -> dict[str, list[Finding]]:
    """The findings in the client's board pack and roadmap report, by file."""
    data = YAML(typ="safe").load(profile.read_text(encoding="utf-8"))
    page, findings = browser.new_page(), {}
    for html in (folder / name for name in READ):
        page.goto(html.as_uri(), wait_until="load")
        if found := lint_page(page, locale, list(client_words(data))):
            findings[f"{folder.name}/{html.name}"] = found
    page.close()
    return findings


def test_example_reports_read_as_a_board_paper(browser, example_runs):
    findings: dict[str, list[Finding]] = {}
    for path in EXAMPLES:
        findings |= lint_reports(browser, example_runs[path.stem].folder, path, PLAYBOOK.brand.locale)
    assert not findings, _report(findings)


def test_a_practice_in_british_english_gets_british_reports(browser, tmp_path):
    root = shutil.copytree(ROOT / "playbook", tmp_path / "playbook")
    brand = root / "brand" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("locale: en-US", "locale: en-GB"), encoding="utf-8")
    assert load_playbook(root).brand.locale == "en-GB"
    # a process of its own: its kernels read the practice's playbook from the environment, as a consultant's would
    subprocess.run([sys.executable, "-m", "aicto.cli", "run", str(NORTHWIND), "--out", str(tmp_path / "out")],
                   check=True, env={**os.environ, PLAYBOOK_ENV: str(root)}, capture_output=True, timeout=900)
    folder = tmp_path / "out" / NORTHWIND.stem
    findings = lint_reports(browser, folder, NORTHWIND, "en-GB")
    assert not findings, _report(findings)
    page = browser.new_page()
    page.goto((folder / "board-pack.html").as_uri(), wait_until="load")
    pack = read_page(page)[0].lower()  # as shown: some labels are set in capitals
    page.close()
    assert "the optimised llm bill" in pack and "ai bill optimised (monthly)" in pack and "optimized" not in pack


VIEWS = (ProposalView, ReadinessView, CostView, RoiView, RoadmapView)


PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def rendered_views(profile) -> str:
    """Every section of every deliverable for one profile, as the notebooks show them, in one HTML page that draws
    its charts with the plotly.js shipped in the plotly package."""
    context = Context(profile, PLAYBOOK, Path("drawn.yaml"))
    parts = []
    for view_type in VIEWS:
        view = view_type(context)
        for name in [n for n in dir(view_type) if hasattr(getattr(view_type, n), "build")]:
            value = view.build(name)
            bundle = figure_bundle(value) if isinstance(value, Chart) else None
            parts.append(bundle["text/html"] if bundle else str(value))
    return (f'<html><head><meta charset="utf-8"><script src="{PLOTLY_JS.as_uri()}"></script>'
            f"<style>{report_style(PLAYBOOK.brand)}</style></head><body>"
            f"<h1>{escape(profile.client.name)}</h1>{''.join(parts)}</body></html>")


@pytest.fixture(scope="module")
def blank_page(browser, tmp_path_factory):
    page = browser.new_page()
    yield page, tmp_path_factory.mktemp("drawn") / "views.html"
    page.close()


@settings(max_examples=10, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=profiles())
def test_generated_profiles_read_right(blank_page, data):
    try:
        profile = parse_client(data, "drawn.yaml")
    except InputError:
        reject()  # a profile validate refuses never reaches a report
    page, html = blank_page
    html.write_text(rendered_views(profile), encoding="utf-8")
    page.goto(html.as_uri(), wait_until="load")
    findings = lint_page(page, PLAYBOOK.brand.locale, list(client_words(data)))
    assert not findings, _report({"drawn profile": findings})


def _csv_days(path: Path) -> list[tuple[str, dt.date]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [(f"{row['ID']} {column}", dt.date.fromisoformat(row[column])) for row in rows
            for column in ("Start date", "Due date") if row[column]]


def test_work_never_starts_or_ends_on_a_day_off(example_runs):
    findings = {}
    for path in EXAMPLES:
        profile = load_client(path, PLAYBOOK)
        run = example_runs[profile.client.id]
        days = _csv_days(run.folder / "roadmap.csv")
        years = {day.year for _, day in days}
        closed = set(profile.roadmap.holidays if profile.roadmap else ())
        if profile.client.country:
            closed |= set(holidays.country_holidays(profile.client.country, subdiv=profile.client.subdivision,
                                                    years=years))
        found = working_day_findings(days, closed)
        if found:
            findings[profile.client.id] = found
    assert not findings, _report(findings)
