"""The cost report of a client whose real usage was imported: a real papermill run of the cost notebook, its
nbconvert export, and the bill-by-month chart drawn offline in headless Chromium."""

import shutil

import nbformat
import pytest

from aicto.cli import main
from aicto.run.runner import run_client
from tests.conftest import ROOT
from tests.integration.test_browser import check_report

pytestmark = pytest.mark.slow
USAGE = ROOT / "tests" / "fixtures" / "usage"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Northwind with three months of OpenAI usage imported, run through the cost notebook."""
    folder = tmp_path_factory.mktemp("imported")
    path = folder / "northwind.yaml"
    shutil.copy(ROOT / "parameters" / "examples" / "northwind-analytics.yaml", path)
    assert main(["import-usage", str(path), str(USAGE / "openai-completions.jsonl")]) == 0
    return run_client(path, folder / "reports", only=["costs"])


def test_cost_report_charts_the_imported_bill_by_month(imported):
    html = imported.reports["costs"].read_text()
    assert html.count('class="plotly-graph-div"') == 4  # one more than without history
    assert "LLM bill by month and model, measured usage at today's prices, growing +14% a month" in html
    assert '"x":["2026-09","2026-10"]' in html
    assert '"name":"openai\\u002fgpt-4.1-mini"' in html and '"name":"openai\\u002fgpt-4o"' in html


def test_executed_cost_notebook_has_no_errors(imported):
    nb = nbformat.read(imported.folder / "executed" / "02_cost_breakdown.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]


@pytest.mark.browser
def test_bill_chart_draws_offline(browser, imported):
    check_report(browser, imported.reports["costs"])
