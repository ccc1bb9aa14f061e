"""Real papermill runs and real nbconvert exports of every example and every report, checked as a board would
receive them."""

import datetime as dt
import json
import re
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from aicto.present.deliverables import REGISTRY
from aicto.run.runner import run_client
from aicto.text.dates import long_date
from tests.conftest import EXAMPLES, ROOT, profile_data
from tests.shown_money import amounts, shows

pytestmark = pytest.mark.slow
NO_PROGRESS = {"harbor-home-goods", "meridian-insurance"}  # examples without snapshots or actuals


class _Refs(HTMLParser):
    """Every src/href attribute of the page's elements (script bodies are data, not elements)."""

    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        self.refs += [value for name, value in attrs if name in ("src", "href") and value]


def external_refs(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return [r for r in parser.refs if not r.startswith(("#", "data:"))]


def test_every_example_produces_report_and_summary(example_runs):
    assert set(example_runs) == {p.stem for p in EXAMPLES}
    for run in example_runs.values():
        assert run.reports["readiness"].is_file()
        summary = json.loads(run.summary.read_text())
        r = summary["readiness"]
        assert summary["client"]["id"] == run.client_id
        assert 0 <= r["index"] <= 100
        assert set(r["dimensions"]) == {"strategy", "product", "data", "evaluation", "platform", "cost",
                                        "security", "team"}
        assert r["recommendation"] in {"fractional", "full_time", "agency_or_cofounder", "product_first"}
        assert r["reasons"] and isinstance(r["blockers"], list)


def test_every_registered_report_that_applies_is_produced(example_runs):
    for run in example_runs.values():
        expected = set(REGISTRY) - ({"progress"} if run.client_id in NO_PROGRESS else set())
        assert set(run.reports) == expected
        assert {p.stem for p in run.folder.glob("*.html")} == expected | {"board-pack"}


def test_executed_notebooks_have_no_errors_or_stderr(example_runs):
    for run in example_runs.values():
        for deliverable in (REGISTRY[k] for k in run.reports):
            nb = nbformat.read(run.folder / "executed" / deliverable.notebook, as_version=4)
            outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
            assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
            assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_a_clients_files_name_only_that_client(example_runs):
    """Executed notebooks included: the template's default profile_path names an example client, and must not be
    left in another client's notebook."""
    names = {run.client_id: json.loads(run.summary.read_text())["client"]["name"] for run in example_runs.values()}
    for run in example_runs.values():
        others = [text for client, name in names.items() if client != run.client_id for text in (client, name)]
        for path in run.folder.rglob("*"):
            if path.is_file() and path.suffix != ".pdf":
                text = docx_text(path) if path.suffix == ".docx" else path.read_text(encoding="utf-8")
                assert not [o for o in others if o in text], path


def docx_text(path: Path) -> str:
    """A Word file's words: its paragraphs, tables, headers and footers."""
    import docx

    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    parts += [p.text for s in document.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
    return "\n".join(parts)


def all_reports(example_runs):
    return [(run.client_id, key, path) for run in example_runs.values() for key, path in run.reports.items()]


@pytest.fixture(scope="module")
def northwind_html(example_runs):
    return example_runs["northwind-analytics"].reports["readiness"].read_text()


def test_html_has_no_code_prompts_or_parameters(example_runs):
    for _, _, path in all_reports(example_runs):
        check_no_code(path.read_text())


def check_no_code(html):
    body = re.sub(r"<script.*?</script>", "", html.split("<body", 1)[1], flags=re.S)
    assert "jp-InputPrompt" not in body and "jp-OutputPrompt" not in body and "jp-CodeMirrorEditor" not in body
    assert 'class="highlight' not in body  # no syntax-highlighted code
    assert "profile_path" not in html
    assert "In&nbsp;[" not in body and "Out[" not in body
    assert "from aicto" not in html
    assert "Kernel is running" not in html and "Traceback" not in html and "Warning" not in body


def test_html_makes_no_external_reference(example_runs):
    for _, _, path in all_reports(example_runs):
        html = path.read_text()
        assert external_refs(html) == []
        assert "cdnjs" not in html and "unpkg" not in html and "require.js" not in html.lower()


@pytest.mark.parametrize(("key", "charts"), [("readiness", 1), ("costs", 3), ("roi", 4), ("roadmap", 1),
                                             ("progress", 4)])
def test_plotly_js_embedded_once_with_charts(example_runs, key, charts):
    html = example_runs["northwind-analytics"].reports[key].read_text()
    assert html.count("plotly.js v") == 1
    assert html.count('class="plotly-graph-div"') == charts


def test_html_shows_brand_client_and_figures(northwind_html, example_runs):
    summary = json.loads(example_runs["northwind-analytics"].summary.read_text())
    assert "Northstar Fractional" in northwind_html
    assert "Northwind Analytics" in northwind_html
    assert f"{summary['readiness']['index']:.0f}/100" in northwind_html
    assert summary["readiness"]["tier"] in northwind_html
    assert "Engage a fractional AI CTO" in northwind_html
    assert "35 questions in a spreadsheet" in northwind_html  # an evidence note in the gap table


def test_client_text_is_escaped(tmp_path):
    script = "<script>alert(1)</script>"
    data = profile_data(2, client={"id": "evil-co", "name": f"Evil {script} Co", "industry": script})
    data["ai_spend"] = {"workloads": [{"feature": script, "provider": "openai", "model": "gpt-4.1",
                                       "requests_per_month": 1000, "input_tokens": 500, "output_tokens": 50}]}
    data["readiness"]["answers"]["evaluation"]["eval_dataset"] = {"score": 1, "note": script}
    data["actuals"] = {"as_of": dt.date(2027, 3, 31), "incidents": [
        {"date": dt.date(2027, 3, 1), "severity": "high", "summary": script}]}
    from ruamel.yaml import YAML

    path = tmp_path / "evil.yaml"
    with path.open("w") as fh:
        YAML(typ="safe", pure=True).dump(data, fh)
    run = run_client(path, tmp_path / "out")
    assert "progress" in run.reports
    for report in run.reports.values():
        html = report.read_text()
        assert script not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cost_report_shows_the_summary_figures(example_runs):
    run = example_runs["northwind-analytics"]
    html = run.reports["costs"].read_text()
    spend = json.loads(run.summary.read_text())["costs"]["ai_spend"]
    assert "$9.3K/mo" in html and "$4.6K/mo" in html  # the bill and the optimized bill, side by side: one format
    assert shows(html, spend["current_monthly"]) and shows(html, spend["optimized_monthly"])
    assert "genai-prices 0.2.3" in html and "November 1, 2026" in html
    assert "Mode: workloads priced per request" in html
    assert "Support assistant (RAG)" in html
    assert "$300K–$450K" in html and "$60K–$180K" in html
    bill_mode = example_runs["meridian-insurance"].reports["costs"].read_text()
    assert "Mode: monthly bill with default lever percentages" in bill_mode


def test_summary_json_has_cost_keys(example_runs):
    for run in example_runs.values():
        costs = json.loads(run.summary.read_text())["costs"]
        for option in ("full_time", "agency", "fractional"):
            assert set(costs["options"][option]) >= {"annual_low", "annual_high", "months_to_impact_low",
                                                     "months_to_impact_high"}
        assert set(costs["ai_spend"]) >= {"current_monthly", "optimized_monthly", "savings_monthly", "savings_pct",
                                          "price_date"}
        assert costs["ai_spend"]["price_date"] == "2026-11-01"


def test_roi_report_matches_summary(example_runs):
    run = example_runs["northwind-analytics"]
    roi = json.loads(run.summary.read_text())["roi"]
    assert set(roi) >= {"net_value", "multiple", "payback_month", "npv", "p10_net_value", "p50_net_value",
                        "p90_net_value"}
    assert roi["p10_net_value"] <= roi["p50_net_value"] <= roi["p90_net_value"]
    html = run.reports["roi"].read_text()
    assert f"${roi['net_value'] / 1000:,.0f}K" in html
    assert f"month {roi['payback_month']}" in html
    assert f"{roi['monte_carlo']['draws']:,} draws, seed {roi['monte_carlo']['seed']}" in html


def test_roadmap_report_exports_and_summary_agree(example_runs):
    import csv

    import icalendar

    for run in example_runs.values():
        roadmap = json.loads(run.summary.read_text())["roadmap"]
        assert set(roadmap) >= {"start", "end", "days", "activities", "milestones"}
        assert {"audit_readout", "handover"} <= set(roadmap["milestones"])
        assert roadmap["milestones"]["handover"] <= roadmap["engagement_end"]
        rows = list(csv.DictReader((run.folder / "roadmap.csv").open(encoding="utf-8", newline="")))
        assert [r["ID"] for r in rows] == [a["id"] for a in roadmap["activities"]]
        assert [(r["Start date"], r["Due date"]) for r in rows] == [(a["start"], a["end"]) for a in
                                                                     roadmap["activities"]]
        cal = icalendar.Calendar.from_ical((run.folder / "roadmap-milestones.ics").read_bytes())
        assert {e.decoded("dtstart").isoformat() for e in cal.walk("VEVENT")} == set(roadmap["milestones"].values())
        html = run.reports["roadmap"].read_text()
        assert f"runs <strong>{roadmap['days']} days</strong>" in html
        assert "Deliberately out of scope" in html and "Week by week" in html
    northwind = example_runs["northwind-analytics"]
    roadmap = json.loads(northwind.summary.read_text())["roadmap"]
    html = northwind.reports["roadmap"].read_text()
    launch = dt.date.fromisoformat(roadmap["milestones"]["production_launch"])
    assert f"Production launch: {long_date(launch, 'en-US')}" in html and launch.weekday() < 5
    assert "RAG vs fine-tuning for the support assistant" in html  # the client's open decisions
    harbor = example_runs["harbor-home-goods"].reports["roadmap"].read_text()
    assert "the client buys the build" in harbor and "leaves the team owning the stack" not in harbor


def test_plain_papermill_cli(tmp_path):
    """The notebook runs the way the Jupyter ecosystem expects, with the documented parameter."""
    out = tmp_path / "out.ipynb"
    papermill = Path(__import__("sys").executable).parent / "papermill"
    result = subprocess.run([str(papermill), "notebooks/01_readiness.ipynb", str(out), "-p", "profile_path",
                             "parameters/examples/cortex-labs.yaml", "--no-progress-bar"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    text = json.dumps(nb.cells[-1].outputs)
    assert "Hire a full-time AI CTO" in text


def test_progress_report_and_summary_agree(example_runs):
    late = example_runs["northwind-analytics"]
    progress = json.loads(late.summary.read_text())["progress"]
    html = late.reports["progress"].read_text()
    assert progress["trend"]["late_milestones"] == 3 and progress["transition"]["outcome"] == "reduced_cadence"
    assert "At the end of the engagement: Continue at a reduced cadence." in html
    assert "Continue at 1 day a week for 12 weeks" in html
    assert "past their date and not reached: Cost target reached; Production launch" in html
    assert f"the readiness index of <strong>Northwind Analytics</strong> is <strong>" \
           f"{progress['trend']['index_now']:.0f}/100</strong>" in html
    assert "A ticket's text made the assistant reveal part of its system prompt" in html
    assert "Role profile and hiring brief" not in html
    grew = example_runs["cortex-labs"]
    progress = json.loads(grew.summary.read_text())["progress"]
    html = grew.reports["progress"].read_text()
    assert progress["trend"]["bill_now"] > progress["trend"]["bill_then"]
    assert "Hire a full-time AI leader" in html and "Role profile and hiring brief" in html
    assert "$230K–$320K a year" in html  # the package: the cost breakdown's full-time salary assumption
    for client_id in NO_PROGRESS:
        assert "progress" not in json.loads(example_runs[client_id].summary.read_text())


def test_board_pack_has_progress_after_the_roadmap_only_when_it_applies(example_runs):
    html = example_runs["northwind-analytics"].pack.read_text()
    assert html.index('id="section-roadmap"') < html.index('id="section-progress"')
    assert "Readiness index at baseline" in html.split('id="section-')[0]  # the trend in the executive summary
    for client_id in NO_PROGRESS:
        pack = example_runs[client_id].pack.read_text()
        assert 'id="section-progress"' not in pack and "Readiness index at baseline" not in pack


def test_portfolio_shows_each_clients_trend(example_runs):
    import csv

    from aicto.profile.playbook import load_playbook
    from aicto.run.portfolio import write_portfolio

    out = example_runs["northwind-analytics"].folder.parent
    index = write_portfolio(out, {}, load_playbook())
    with (out / "portfolio.csv").open() as fh:
        found = {row["client_id"]: row for row in csv.DictReader(fh)}
    cortex = json.loads(example_runs["cortex-labs"].summary.read_text())["progress"]["trend"]
    assert float(found["cortex-labs"]["progress.trend.bill_now"]) == cortex["bill_now"]
    assert found["northwind-analytics"]["progress.trend.late_milestones"] == "3"
    assert found["harbor-home-goods"]["progress.trend.index_then"] == ""
    page = index.read_text()
    assert "Readiness index at baseline" in page and "Late or missed milestones" in page


def test_only_keeps_no_report_that_no_longer_applies(tmp_path):
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    data = yaml.load((ROOT / "parameters/examples/cortex-labs.yaml").read_text())
    path = tmp_path / "cortex-labs.yaml"
    with path.open("w") as fh:
        yaml.dump(data, fh)
    first = run_client(path, tmp_path / "out", only=["progress"])
    assert set(first.reports) == {"progress"} and (first.folder / "progress.html").is_file()
    data.pop("actuals")
    with path.open("w") as fh:
        yaml.dump(data, fh)
    again = run_client(path, tmp_path / "out", only=["readiness"])
    assert set(again.reports) == {"readiness"}
    assert not (again.folder / "progress.html").exists() and not (again.folder / "executed/05_progress.ipynb").exists()
    assert "progress" not in json.loads(again.summary.read_text())
    assert 'id="section-progress"' not in again.pack.read_text()


def test_the_proposal_shows_the_summarys_fee_and_dates_and_carries_no_plotly(example_runs):
    """proposal.html and proposal.docx show summary.json's fee, in full, and its milestones' dates."""
    from aicto.profile.playbook import load_playbook

    locale = load_playbook().brand.locale
    for run in example_runs.values():
        html = run.reports["proposal"].read_text()
        proposal = json.loads(run.summary.read_text())["proposal"]
        written = docx_text(run.folder / "proposal.docx")
        full = [Decimal(str(proposal["fee"]))]
        assert any(value in full and half < 1 for value, half, _ in amounts(html)), run.client_id
        assert any(value in full and half < 1 for value, half, _ in amounts(written)), run.client_id
        for date in proposal["milestones"].values():
            shown = long_date(dt.date.fromisoformat(date), locale)
            assert shown in html and shown in written, (run.client_id, date)
        assert "plotly.js v" not in html and "Proposal and statement of work" in html
