"""Consultant mode without a browser: widgets driven from Python, as the JupyterLab front-end would drive them."""

import difflib
import html
import shutil

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from pydantic import BaseModel, Field

from aicto.charts import PLOTLY_MIME
from aicto.consultant import consultant_form
from aicto.consultant.fields import groups, with_edits
from aicto.consultant.form import ConsultantForm
from aicto.consultant.mode import MODE_ENV, interactive
from aicto.consultant.save import backup_path, save_profile
from aicto.playbook import load_playbook
from aicto.problems import InputError
from aicto.profile import load_profile, parse_profile
from aicto.publish import write_atomic
from aicto.report import ReportHeader, export_html
from aicto.views.common import open_client
from aicto.views.readiness import ReadinessView
from tests.conftest import EXAMPLES, ROOT

NORTHWIND = ROOT / "parameters" / "examples" / "northwind-analytics.yaml"
SCORE = ("readiness", "answers", "evaluation", "automated_evals", "score")  # short form `automated_evals: {..}`


def sections(view) -> list[str]:
    return [name for name, member in vars(type(view)).items() if hasattr(member, "build")]


@pytest.fixture
def workspace(tmp_path):
    """A parameters/ folder of copies: the form writes here, never into the repository."""
    shutil.copytree(ROOT / "parameters" / "examples", tmp_path / "examples")
    return tmp_path


@pytest.fixture
def live(workspace):
    """The readiness notebook as JupyterLab runs it: every section displayed, then the form; outputs captured."""
    InteractiveShell.instance()
    context = open_client(workspace / "examples" / NORTHWIND.name)
    view = ReadinessView(context)
    with capture_output() as captured:
        for name in sections(view):
            getattr(view, name)()
        form = ConsultantForm(context, view, parameters=workspace)
        yield form, view, captured


def last_update(captured, mime: str, contains: str = ""):
    updates = [o.data[mime] for o in captured.outputs if o.update and mime in o.data and contains in str(o.data)]
    return updates[-1] if updates else None


def test_changing_a_score_recomputes_and_redraws_every_section(live):
    form, view, captured = live
    before = view.result.index
    form.inputs[SCORE].value = 5
    assert view.result.index > before
    assert f"{view.result.index:.0f}/100" in last_update(captured, "text/html", "Readiness index")
    evaluation = [d.id for d in view.result.dimensions].index("evaluation")
    radar = last_update(captured, PLOTLY_MIME)
    assert radar["data"][1]["r"][evaluation] == round(view.result.dimension("evaluation").score, 2)
    assert {o.transient["display_id"] for o in captured.outputs if o.update} == {
        h.display_id for *_, h in view._shown.values()}
    assert form.status.value == "Unsaved changes."


def test_schema_inputs_drive_the_view(live):
    form, view, _ = live
    form.open_section("team")
    form.inputs[("team", "engineers")].value = 0
    assert view.result.fit.recommendation == "agency_or_cofounder"
    form.inputs[("team", "engineers")].value = 14
    assert form.edits == {} and view.result.fit.recommendation == "fractional"


def test_invalid_input_is_shown_beside_its_field_as_validate_words_it(live):
    form, view, _ = live
    before = view.result
    form.open_section("team")
    form.open_section("situation")
    form.inputs[("team", "engineers")].value = -1
    form.inputs[("situation", "ship_deadline_months")].value = "soon"
    with pytest.raises(InputError) as validate:
        parse_profile(with_edits(form.base, form.edits), str(form.shown_as))
    lines = validate.value.render().splitlines()
    assert len(lines) == 2
    assert lines[0] in html.unescape(form.errors["team.engineers"].value)
    assert lines[1] in html.unescape(form.errors["situation.ship_deadline_months"].value)
    assert "Traceback" not in str([e.value for e in form.errors.values()])
    assert view.result is before  # the results keep the last valid answers
    original = form.path.read_text()
    assert form.save() is None and "Not saved" in form.status.value
    assert form.path.read_text() == original and not backup_path(form.path).exists()
    form.inputs[("team", "engineers")].value = 3
    form.inputs[("situation", "ship_deadline_months")].value = "4"
    assert form.problems == [] and form.errors["team.engineers"].value == ""


def test_save_changes_only_the_edited_lines_and_keeps_a_backup(live, playbook):
    form, view, _ = live
    original = form.path.read_text()
    form.inputs[SCORE].value = 4
    form.inputs[("readiness", "answers", "strategy", "value_estimate", "note")].value = "Finance: 90k/month"
    form.inputs[("readiness", "answers", "strategy", "use_case_defined", "note")].value = ""
    form.open_section("team")
    form.open_section("situation")
    form.inputs[("team", "engineers")].value = 20
    form.inputs[("situation", "decisions_pending")].value = "RAG vs fine-tuning for the support assistant"
    assert form.save() == form.path
    saved = form.path.read_text()
    changed = [line for line in difflib.ndiff(original.splitlines(), saved.splitlines()) if line[:1] in "+-"]
    assert changed == [
        "-   engineers: 14",
        "+   engineers: 20",
        "-     - which vector database to standardise on",
        "-       use_case_defined: {score: 4, note: Support-deflection assistant owned by the VP Customer Success.}",
        "+       use_case_defined: {score: 4}",
        "-       value_estimate: 3",
        "+       value_estimate: {score: 3, note: 'Finance: 90k/month'}",
        "-       automated_evals: {score: 1, note: Prompt changes ship after a few manual tries.}",
        "+       automated_evals: {score: 4, note: Prompt changes ship after a few manual tries.}",
    ]
    assert backup_path(form.path).read_text() == original
    again = load_profile(form.path, playbook)  # what `aicto validate` and a batch run read
    assert again.model_dump() == form.profile.model_dump()
    assert ReadinessView(open_client(form.path)).result.index == view.result.index
    assert form.edits == {} and form.status.value.startswith("Saved")


def test_list_items_from_the_schema_are_edited_in_place(live, playbook):
    form, _, _ = live
    form.open_section("ai_spend")
    requests = ("ai_spend", "workloads", 1, "requests_per_month")
    form.inputs[requests].value = 150000
    assert form.profile.ai_spend.workloads[1].requests_per_month == 150000
    form.save()
    assert "      requests_per_month: 150000\n" in form.path.read_text()
    assert load_profile(form.path, playbook).ai_spend.workloads[1].requests_per_month == 150000


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_saving_without_edits_rewrites_every_example_byte_for_byte(path, tmp_path, playbook):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    save_profile(copy, load_profile(copy, playbook), [], playbook)
    assert copy.read_text() == path.read_text()


def test_a_write_that_fails_its_check_leaves_the_file_alone(tmp_path):
    target = tmp_path / "client.yaml"
    target.write_text("old\n")

    def reject(_):
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        write_atomic(target, "new\n", reject)
    assert target.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["client.yaml"]


def test_new_client_starts_from_a_template_and_the_form_switches_to_it(live, workspace, playbook):
    form, view, _ = live
    template = workspace / "examples" / "harbor-home-goods.yaml"
    assert form.create_client(template, {"id": "Acme Corp", "name": "", "industry": "Retail"}) is None
    assert "client.id: 'Acme Corp' is not allowed" in html.unescape(form.errors["new.client.id"].value)
    assert "client.name" in form.errors["new.client.name"].value
    target = form.create_client(template, {"id": "acme", "name": "Acme", "industry": "Retail"})
    assert target == workspace / "acme.yaml"
    profile = load_profile(target, playbook)
    assert (profile.client.id, profile.client.name, profile.client.currency) == ("acme", "Acme", "EUR")
    assert target.read_text().startswith("# Acme: started from harbor-home-goods.yaml")
    assert form.path == target and view.context.profile.client.id == "acme"
    assert form.create_client(template, {"id": "acme", "name": "Acme", "industry": "Retail"}) is None
    assert "already exists" in form.errors["new.client.id"].value


class _Rate(BaseModel):
    low: float = Field(0, ge=0, le=1, description="a fraction", json_schema_extra={"unit": "share"})


class _Future(BaseModel):
    team: int = Field(ge=1, description="people")
    rates: list[_Rate] = []


def test_a_new_schema_section_gets_inputs_without_widget_code():
    found = groups(_Future, {"team": 3, "rates": [{"low": 0.5}, {}]})
    assert [(g.key, [(i.key, i.kind, i.unit, i.hint) for i in g.inputs]) for g in found] == [
        ("(top level)", [("team", "int", "", "people; 1 or more")]),
        ("rates[0]", [("rates[0].low", "float", "share", "a fraction; 0 to 1")]),
        ("rates[1]", [("rates[1].low", "float", "share", "a fraction; 0 to 1")]),
    ]


def test_interactive_only_in_a_kernel_started_by_a_jupyter_server(monkeypatch, tmp_path):
    for name in (MODE_ENV, "JPY_SESSION_NAME", "JPY_PARENT_PID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    assert not interactive()  # papermill, nbclient, plain Python
    monkeypatch.setenv("JPY_SESSION_NAME", "/work/notebooks/01_readiness.ipynb")
    monkeypatch.setenv("JPY_PARENT_PID", "4242")
    assert not interactive()  # papermill started from inside a Lab kernel inherits the session name only
    (tmp_path / "jpserver-4242.json").write_text("{}")
    assert interactive()
    monkeypatch.setenv(MODE_ENV, "0")
    assert not interactive()


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_notebook_shows_the_form_and_redraws_its_sections(path, monkeypatch):
    """The notebook's own cells, run in order as JupyterLab would; then one answer changes in the form."""
    monkeypatch.setenv(MODE_ENV, "1")
    monkeypatch.chdir(path.parent)
    shell = InteractiveShell.instance()
    forms = []
    with capture_output() as captured:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                result = shell.run_cell(cell.source)
                assert result.success, result.error_in_exec
                forms += [result.result] if isinstance(result.result, ConsultantForm) else []
        assert len(forms) == 1, f"{path.name}: one cell `consultant_form(client, report)` after the set-up cell"
        form, shown = forms[0], len(forms[0].view._shown)
        score = form.inputs[SCORE]
        score.value = score.value % 5 + 1
    assert shown > 0 and form.status.value == "Unsaved changes."
    assert len([o for o in captured.outputs if o.update]) == shown


def test_no_form_and_no_output_when_not_interactive(monkeypatch):
    monkeypatch.setenv(MODE_ENV, "0")
    InteractiveShell.instance()
    context = open_client(NORTHWIND)
    with capture_output() as captured:
        assert consultant_form(context, ReadinessView(context)) is None
    assert captured.outputs == [] and captured.stdout == ""


def test_export_drops_widgets_their_state_and_placeholder_text():
    widget = {"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
              "text/plain": "VBox(children=(HTML(value='Consultant mode'),))"}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("consultant_form(client, report)", outputs=[
        nbformat.v4.new_output("display_data", data=widget)])])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"abc": {}}}}
    profile = load_profile(NORTHWIND)
    html = export_html(nb, ReportHeader.for_profile("Test", profile, load_playbook()), load_playbook())
    assert "VBox" not in html and "widget-view" not in html and "widget-state" not in html


def test_number_fields_carry_their_units():
    from ruamel.yaml import YAML

    from aicto.consultant.fields import groups
    from aicto.profile import Profile

    data = YAML(typ="safe").load((ROOT / "parameters" / "examples" / "northwind-analytics.yaml").read_text())
    units = {i.key: i.unit for g in groups(Profile, data, skip=("readiness",)) for i in g.inputs}
    assert units["value.monthly_value"] == "{currency}/month"
    assert units["team.loaded_cost_per_engineer"] == "{currency}/year"
    assert units["engagement.days_per_week"] == "days/week"
    assert units["ai_spend.workloads[0].requests_per_month"] == "requests/month"
    assert units["ai_spend.workloads[0].routable_share"] == "fraction 0-1"


def test_snapshot_button_records_the_saved_file_beside_it(live):
    form, _, _ = live
    form.inputs[SCORE].value = 5
    assert form.snapshot() is None and form.status.value == "Save the changes first: a snapshot records the saved file."
    form.save()
    written = form.snapshot()
    assert written.parent == form.path.with_name("northwind-analytics.snapshots") and written.is_file()
    assert ROOT not in written.parents
    from aicto.snapshot import read

    assert read(written, "northwind-analytics").answers["evaluation"]["automated_evals"] == 5
    assert form.snapshot() is None and form.status.value.startswith("No snapshot: a snapshot of")
