"""Open every report in real headless Chromium: charts drawn, no errors, no request outside file://."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DRAWN = """() => {
  const charts = [...document.querySelectorAll('.plotly-graph-div')];
  return charts.length > 0 && charts.every(d => d.querySelector('.main-svg'));
}"""


def check_report(browser, path, charts=True):
    """`charts`: the report has charts, all of them drawn (the proposal has none: no plotly.js either)."""
    page = browser.new_page()
    errors, requests, dialogs = [], [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: requests.append(req.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri(), wait_until="load")
    if charts:
        page.wait_for_function(DRAWN, timeout=15000)
    containers = page.locator(".aicto-chart").count()
    drawn = page.locator(".js-plotly-plot .main-svg").count()
    plotted = page.locator(".js-plotly-plot").count()
    page.close()
    assert (containers > 0) is charts and plotted == containers and drawn >= containers
    assert errors == []
    assert dialogs == []
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))] == []


def test_every_report_renders_offline(browser, example_runs):
    """Every report of one client, and every client's board pack, which holds every section of every report: the
    same charts and tables, so each client's data is drawn once."""
    first = next(iter(example_runs.values()))
    for key, report in first.reports.items():
        check_report(browser, report, charts=key != "proposal")
    for run in example_runs.values():
        check_report(browser, run.pack)


def test_progress_report_and_pack_draw_their_charts(browser, example_runs):
    for client_id in ("northwind-analytics", "cortex-labs"):
        run = example_runs[client_id]
        check_report(browser, run.reports["progress"])
        page = browser.new_page()
        page.goto(run.reports["progress"].as_uri(), wait_until="load")
        page.wait_for_function(DRAWN, timeout=15000)
        titles = page.eval_on_selector_all(".js-plotly-plot .gtitle", "els => els.map(e => e.textContent)")
        page.close()
        assert titles == ["Readiness by dimension (1-5): baseline and now",
                          "Burn-up: activities of the plan done, planned against actual",
                          "The plan agreed at the baseline, with what actually happened",
                          "Monthly LLM bill against the plan's target"]


def test_every_chart_draws_as_with_plotlys_full_template(browser, tmp_path):
    """Charts carry plotly's template trimmed to their own trace types: every chart of a client's reports draws
    pixel for pixel as it does with the whole template."""
    import hashlib
    import json

    import plotly.graph_objects as go
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    from aicto.present.charts import PLOTLY_MIME, Chart, figure_bundle
    from aicto.present.views.common import open_client
    from aicto.present.views.costs import CostView
    from aicto.present.views.progress import ProgressView
    from aicto.present.views.readiness import ReadinessView
    from aicto.present.views.roadmap import RoadmapView
    from aicto.present.views.roi import RoiView
    from tests.conftest import EXAMPLES

    full = go.Figure(layout={"template": pio.templates.default}).to_dict()["layout"]["template"]
    northwind = next(path for path in EXAMPLES if path.stem == "northwind-analytics")
    context = open_client(northwind)  # with a progress history: every kind of chart
    charts = [(view.__name__, name, chart) for view in (ReadinessView, CostView, RoiView, RoadmapView, ProgressView)
              for name, section in vars(view).items()
              if hasattr(section, "build") and isinstance(chart := view(context).build(name), Chart)]
    page_file = tmp_path / "chart.html"
    page_file.write_text(f"<html><body style='margin:0'><div id='g' style='width:900px;height:500px'></div>"
                         f"<script>{get_plotlyjs()}</script></body></html>")
    page = browser.new_page(viewport={"width": 900, "height": 500})
    page.goto(page_file.as_uri())
    assert len(charts) >= 8
    for key, name, chart in charts:
        trimmed = figure_bundle(chart, export=False)[PLOTLY_MIME]
        whole = json.loads(json.dumps(trimmed))
        whole["layout"]["template"] = full
        assert len(json.dumps(trimmed)) < len(json.dumps(whole))
        shots = []
        for fig in (whole, trimmed):
            page.evaluate("async (f) => { await Plotly.newPlot('g', f.data, f.layout, {staticPlot: true}); }", fig)
            shots.append(hashlib.sha1(page.screenshot()).hexdigest())
        assert shots[0] == shots[1], f"{key}: {name}"
    page.close()


def test_every_chart_draws_and_hovers_as_with_plotlys_whole_bundle(browser, tmp_path):
    """The reports embed a plotly.js with only the charts' trace types (tools/plotlyjs): every chart of a client's
    reports draws pixel for pixel as with plotly.py's whole plotly.js, and shows the same hover labels under the
    mouse."""
    import hashlib
    import json

    from plotly.offline import get_plotlyjs

    from aicto.present.charts import CHART_CONFIG, PLOTLY_MIME, Chart, figure_bundle
    from aicto.present.report import plotly_js, plotly_manifest
    from aicto.present.views.common import open_client
    from aicto.present.views.costs import CostView
    from aicto.present.views.progress import ProgressView
    from aicto.present.views.readiness import ReadinessView
    from aicto.present.views.roadmap import RoadmapView
    from aicto.present.views.roi import RoiView
    from tests.conftest import EXAMPLES

    northwind = next(path for path in EXAMPLES if path.stem == "northwind-analytics")
    context = open_client(northwind)  # with a progress history: every kind of chart
    charts = [(view.__name__, name, chart) for view in (ReadinessView, CostView, RoiView, RoadmapView, ProgressView)
              for name, section in vars(view).items()
              if hasattr(section, "build") and isinstance(chart := view(context).build(name), Chart)]
    assert {t["type"] for _, _, chart in charts for t in chart["data"]} == set(plotly_manifest()["traces"])
    pages = []
    for label, js in (("whole", get_plotlyjs()), ("aicto", plotly_js())):
        page_file = tmp_path / f"{label}.html"
        page_file.write_text(f"<html><body style='margin:0'><div id='g' style='width:900px;height:500px'></div>"
                             f"<script>{js}</script></body></html>")
        page = browser.new_page(viewport={"width": 900, "height": 500})
        page.goto(page_file.as_uri())
        pages.append(page)
    types = pages[1].evaluate("() => Object.keys(Plotly.PlotSchema.get().traces).sort()")
    assert types == plotly_manifest()["traces"]
    spots = [(x, y) for x in (300, 450, 600) for y in (200, 300)]
    hovered = 0
    for key, name, chart in charts:
        fig = json.loads(json.dumps(figure_bundle(chart, export=False)[PLOTLY_MIME]))
        shots = [[], []]
        for page, shot in zip(pages, shots, strict=True):
            page.mouse.move(0, 0)
            page.evaluate("async ([f, c]) => { await Plotly.newPlot('g', f.data, f.layout, c); }",
                          [fig, CHART_CONFIG])
            shot.append(hashlib.sha1(page.screenshot()).hexdigest())
            for x, y in spots:
                page.mouse.move(x, y)
                page.wait_for_timeout(60)
                labels = page.locator(".hoverlayer .hovertext").count()
                shot.append((labels, hashlib.sha1(page.screenshot()).hexdigest()))
        assert shots[0][0] == shots[1][0], f"{key}: {name} draws differently"
        assert shots[0][1:] == shots[1][1:], f"{key}: {name} hovers differently"
        hovered += any(count for count, _ in shots[1][1:])
    assert hovered >= len(charts) // 2  # the spots are over most charts' points
    for page in pages:
        page.close()


def test_the_portfolio_sorts_by_any_column_and_filters_by_route_and_text(browser, example_runs):
    from aicto.profile.playbook import load_playbook
    from aicto.run.portfolio import write_portfolio

    first = next(iter(example_runs.values()))
    page_path = write_portfolio(first.folder.parent, {}, load_playbook())
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page_path.as_uri())

    def shown() -> list[str]:
        return page.eval_on_selector_all("tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.client)")

    def indexes() -> list[int]:
        return [int(t.split("/")[0]) for t in page.eval_on_selector_all(
            "tbody tr:not([hidden]) td:nth-child(3)", "cells => cells.map(c => c.textContent)")]  # after the stage

    total = len(example_runs)
    assert sorted(shown()) == sorted(example_runs)
    assert page.text_content(".filter-count") == f"{total} of {total} clients"
    header = page.locator("th[data-col='2']")  # the readiness index
    header.click()
    assert indexes() == sorted(indexes()) and header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert indexes() == sorted(indexes(), reverse=True) and header.get_attribute("aria-sort") == "descending"
    page.locator("th[data-col='0']").click()
    names = page.eval_on_selector_all("tbody tr td:first-child strong", "cells => cells.map(c => c.textContent)")
    assert names == sorted(names)
    route = page.locator(".filters select").nth(1)  # stage, route, tier, status
    northwind = page.text_content("tr[data-client='northwind-analytics'] td:nth-child(5)").strip()
    route.select_option(northwind)
    assert "northwind-analytics" in shown() and all(
        page.text_content(f"tr[data-client='{c}'] td:nth-child(5)").strip() == northwind for c in shown())
    route.select_option("")
    page.fill(".filter-text", "harbor")
    assert shown() == ["harbor-home-goods"] and page.text_content(".filter-count") == f"1 of {total} clients"
    page.close()
    assert errors == []
