"""Real papermill runs and real nbconvert exports of every example, checked as a board would receive them."""

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from aicto.runner import run_client
from tests.conftest import EXAMPLES, ROOT, profile_data

pytestmark = pytest.mark.slow


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


def test_executed_notebooks_have_no_errors(example_runs):
    for run in example_runs.values():
        nb = nbformat.read(run.folder / "executed" / "01_readiness.ipynb", as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


@pytest.fixture(scope="module")
def northwind_html(example_runs):
    return example_runs["northwind-analytics"].reports["readiness"].read_text()


def test_html_has_no_code_prompts_or_parameters(northwind_html):
    html = northwind_html
    body = re.sub(r"<script.*?</script>", "", html.split("<body", 1)[1], flags=re.S)
    assert "jp-InputPrompt" not in body and "jp-OutputPrompt" not in body and "jp-CodeMirrorEditor" not in body
    assert 'class="highlight' not in body  # no syntax-highlighted code
    assert "profile_path" not in html
    assert "In&nbsp;[" not in body and "Out[" not in body
    assert "from aicto" not in html
    assert "Kernel is running" not in html and "Traceback" not in html and "Warning" not in body


def test_html_makes_no_external_reference(example_runs):
    for run in example_runs.values():
        html = run.reports["readiness"].read_text()
        assert external_refs(html) == []
        assert "cdnjs" not in html and "unpkg" not in html and "require.js" not in html.lower()


def test_plotly_js_embedded_once_with_charts(northwind_html):
    assert northwind_html.count("plotly.js v") == 1
    assert northwind_html.count('class="plotly-graph-div"') == 1


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
    data["readiness"]["answers"]["evaluation"]["eval_dataset"] = {"score": 1, "note": script}
    from ruamel.yaml import YAML

    path = tmp_path / "evil.yaml"
    with path.open("w") as fh:
        YAML(typ="safe", pure=True).dump(data, fh)
    run = run_client(path, tmp_path / "out")
    html = run.reports["readiness"].read_text()
    assert script not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


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
