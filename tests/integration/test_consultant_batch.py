"""Consultant mode and batch runs: no trace of the form in executed notebooks or reports, and a saved file
reproduces in a batch run exactly what the consultant saw."""

import json
import shutil

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from aicto.consultant.form import ConsultantForm
from aicto.present.views.common import open_client
from aicto.present.views.readiness import ReadinessView
from aicto.run.runner import run_client
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
WIDGET_TRACES = ("application/vnd.jupyter.widget", "VBox(", "ToggleButtons", "Consultant mode", "aicto-consultant")


def test_batch_runs_show_no_form_and_leave_no_widget_text(example_runs):
    for run in example_runs.values():
        for executed in (run.folder / "executed").glob("*.ipynb"):
            nb = nbformat.read(executed, as_version=4)
            form_cells = [c for c in nb.cells if "consultant_form(" in c.source]
            assert form_cells and all(c.outputs == [] for c in form_cells), executed
            assert "widgets" not in nb.metadata
        for html in [*run.reports.values(), run.pack]:
            text = html.read_text()
            assert not [t for t in WIDGET_TRACES if t in text], html


def test_a_saved_profile_reproduces_in_a_batch_run_what_the_consultant_saw(tmp_path):
    profile = tmp_path / "northwind-analytics.yaml"
    shutil.copy(ROOT / "parameters" / "examples" / profile.name, profile)
    InteractiveShell.instance()
    context = open_client(profile)
    view = ReadinessView(context)
    with capture_output():
        form = ConsultantForm(context, view, parameters=tmp_path)
        form.inputs[("readiness", "answers", "evaluation", "automated_evals", "score")].value = 4
        form.inputs[("readiness", "answers", "data", "retrieval_quality", "score")].value = 5
        form.save()
    run = run_client(profile, tmp_path / "reports", only=["readiness"])
    summary = json.loads(run.summary.read_text())["readiness"]
    assert summary["index"] == round(view.result.index, 1)
    assert summary["recommendation"] == view.result.fit.recommendation
    assert f"{view.result.index:.0f}/100" in run.reports["readiness"].read_text()
