"""Open every report in real headless Chromium: charts drawn, no errors, no request outside file://."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DRAWN = """() => {
  const charts = [...document.querySelectorAll('.plotly-graph-div')];
  return charts.length > 0 && charts.every(d => d.querySelector('.main-svg'));
}"""


def check_report(browser, path):
    page = browser.new_page()
    errors, requests, dialogs = [], [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: requests.append(req.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function(DRAWN, timeout=15000)
    containers = page.locator(".aicto-chart").count()
    drawn = page.locator(".js-plotly-plot .main-svg").count()
    plotted = page.locator(".js-plotly-plot").count()
    page.close()
    assert containers > 0 and plotted == containers and drawn >= containers
    assert errors == []
    assert dialogs == []
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))] == []


def test_every_report_renders_offline(browser, example_runs):
    """Every report of one client, and every client's board pack, which holds every section of every report: the
    same charts and tables, so each client's data is drawn once."""
    first = next(iter(example_runs.values()))
    for report in first.reports.values():
        check_report(browser, report)
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
