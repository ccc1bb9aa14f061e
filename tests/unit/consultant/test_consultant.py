"""Consultant mode without a browser: widgets driven from Python, as the JupyterLab front-end would drive them."""

import asyncio
import concurrent.futures
import datetime as dt
import difflib
import html
import inspect
import re
import shutil

import IPython
import ipywidgets as w
import nbformat
import pytest
from ipykernel.zmqshell import ZMQDisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from pydantic import BaseModel, Field
from ruamel.yaml import YAML

from aicto.consultant import consultant_form, live_redraw
from aicto.consultant.fields import groups, value_at, with_edits
from aicto.consultant.form import ConsultantForm
from aicto.consultant.mode import MODE_ENV, interactive
from aicto.consultant.save import save_profile
from aicto.model.roi import RoiResult
from aicto.model.validation import load_client, parse_client
from aicto.present.charts import PLOTLY_MIME, Chart, figure_bundle
from aicto.present.deliverables import REGISTRY
from aicto.present.report import ReportHeader, export_html
from aicto.present.views.common import Html, _one_stream_flush, open_client
from aicto.present.views.readiness import ReadinessView
from aicto.present.views.roi import RoiView
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError
from aicto.profile.schema import Profile
from aicto.profile.writing import backup_path, write_atomic
from tests.conftest import EXAMPLES, ROOT

NORTHWIND = ROOT / "parameters" / "examples" / "northwind-analytics.yaml"
SCORE = ("readiness", "answers", "evaluation", "automated_evals", "score")  # short form `automated_evals: {..}`


def sections(view) -> list[str]:
    return [name for name, member in vars(type(view)).items() if hasattr(member, "build")]


def drawn(view) -> dict[str, object]:
    """What each section draws now: a chart's figure, any other section's value."""
    built = {name: view.build(name) for name in sections(view)}
    return {name: figure_bundle(value)[PLOTLY_MIME] if isinstance(value, Chart) else value
            for name, value in built.items()}


@pytest.fixture
def workspace(tmp_path):
    """A parameters/ folder of copies: the form writes here, never into the repository."""
    shutil.copytree(ROOT / "parameters" / "examples", tmp_path / "examples")
    return tmp_path


@pytest.fixture
def live(workspace):
    """The readiness notebook as JupyterLab runs it: the form, then every section displayed; outputs captured."""
    InteractiveShell.instance()
    context = open_client(workspace / "examples" / NORTHWIND.name)
    view = ReadinessView(context)
    with capture_output() as captured:
        form = ConsultantForm(context, view, parameters=workspace, lab=workspace / "lab")
        for name in sections(view):
            getattr(view, name)()
        yield form, view, captured


def last_update(captured, mime: str, contains: str = ""):
    updates = [o.data[mime] for o in captured.outputs if o.update and mime in o.data and contains in str(o.data)]
    return updates[-1] if updates else None


def test_changing_a_score_recomputes_and_redraws_the_sections_it_changed(live):
    form, view, captured = live
    before = view.result.index
    form.inputs[SCORE].value = 5
    assert view.result.index > before
    assert f"{view.result.index:.0f}/100" in last_update(captured, "text/html", "Readiness index")
    evaluation = [d.id for d in view.result.dimensions].index("evaluation")
    radar = last_update(captured, PLOTLY_MIME)
    assert radar["data"][1]["r"][evaluation] == round(view.result.dimension("evaluation").score, 2)
    shown = {name: handle.display_id for name, (*_, handle) in view._shown.items()}
    assert {o.transient["display_id"] for o in captured.outputs if o.update} == {
        shown[name] for name in sections(view) if name != "recommendation"}  # the route stays fractional
    assert form.status.value == "Unsaved changes."
    sent = len(captured.outputs)
    view.refresh(view.context)  # nothing changed: nothing for the browser to draw again
    assert len(captured.outputs) == sent


def test_a_change_sends_the_changed_sections_to_the_page_in_one_message(live, monkeypatch):
    """JupyterLab's display updates are slow to draw and its plotly renderer ignores them: the page draws each changed
    section from the form's widget, finding an HTML section by its element's data attributes and a chart by the
    section named in its layout (tests/integration: the page)."""
    form, view, captured = live
    shown = [o.data[PLOTLY_MIME] for o in captured.outputs if PLOTLY_MIME in o.data and not o.update]
    assert [figure["layout"]["meta"] for figure in shown] == ["aicto:radar"]
    first = [o.data["text/html"] for o in captured.outputs
             if "text/html" in o.data and PLOTLY_MIME not in o.data and not o.update]
    assert [re.search(r'data-aicto-section="(\w+)" data-aicto-version="0"', h)[1] for h in first] == [
        name for name in sections(view) if name != "radar"]
    assert form.redraw.widget.sections == {}  # made with the form (it keeps unsaved edits), empty until a redraw
    form.inputs[SCORE].value = 5
    radar = last_update(captured, PLOTLY_MIME)
    assert radar["layout"]["meta"] == "aicto:radar"
    widget = form.redraw.widget
    assert shown_in_slot(form) == widget.model_id  # in an Output of its own, not among the form's widgets
    assert widget.sections["radar"] == {"version": 1, "figure": radar, "data": {}}
    headline = view.build("headline")  # its HTML to put in place, and its output's data for the notebook document
    assert widget.sections["headline"] == {"version": 1, "html": str(headline),
                                           "data": Html(headline)._repr_mimebundle_(section="headline", version=1)}
    assert last_update(captured, "text/html", "Readiness index") == Html(headline)._repr_html_(section="headline",
                                                                                               version=1)
    sent = []
    monkeypatch.setattr(widget, "send_state", lambda key=None: sent.append(key))
    view.refresh(view.context)  # nothing changed: nothing to redraw
    assert sent == []
    form.inputs[SCORE].value = 1
    assert widget.sections["radar"]["version"] == widget.sections["headline"]["version"] == 3
    assert sent.count("sections") == 1  # beside the unsaved edits the page keeps


def test_while_the_page_draws_the_sections_the_outputs_follow_when_the_consultant_pauses(live, monkeypatch):
    """Once the widget's view says it draws the sections, a change updates the notebook's outputs (what a saved
    notebook holds) only after a pause: a change within it puts the update off again, and the outputs then get the
    newest of every section changed meanwhile."""
    form, view, captured = live
    monkeypatch.setattr(live_redraw, "OUTPUTS_AFTER_S", 0.2)
    form.inputs[SCORE].value = 5  # the first change: the widget is made, no view has drawn yet
    assert last_update(captured, "text/html", "Readiness index") is not None
    form.redraw.widget._handle_custom_msg({"drawing": True}, [])  # what live_redraw.js sends when drawn

    async def edit() -> tuple[int, int, int]:
        sent = len(captured.outputs)
        form.inputs[SCORE].value = 1
        await asyncio.sleep(0.1)
        form.inputs[SCORE].value = 3
        await asyncio.sleep(0.15)
        paused = len(captured.outputs)  # 0.25 s after the first of two changes, 0.15 s after the second
        await asyncio.sleep(0.15)
        return sent, paused, len(captured.outputs)

    with concurrent.futures.ThreadPoolExecutor(1) as worker:  # a loop of its own: playwright's may run in this thread
        sent, paused, after = worker.submit(asyncio.run, edit()).result()
    assert sent == paused < after
    assert form.redraw.widget.sections["headline"]["version"] == 3
    headline = view.build("headline")
    assert last_update(captured, "text/html", "Readiness index") == Html(headline)._repr_html_(section="headline",
                                                                                               version=3)
    updated = [o.transient["display_id"] for o in captured.outputs[paused:]]
    assert len(updated) == len(set(updated))  # each section's newest output once


def test_schema_inputs_drive_the_view(live):
    form, view, _ = live
    form.open_section("team")
    form.inputs[("team", "engineers")].value = "0"
    assert view.result.fit.recommendation == "agency_or_cofounder"
    form.inputs[("team", "engineers")].value = "14"
    assert form.edits == {} and view.result.fit.recommendation == "fractional"


def test_invalid_input_is_shown_beside_its_field_as_validate_words_it(live):
    form, view, _ = live
    before = view.result
    form.open_section("team")
    form.open_section("situation")
    form.inputs[("team", "engineers")].value = "-1"
    form.inputs[("situation", "ship_deadline_months")].value = "soon"
    with pytest.raises(InputError) as validate:
        parse_client(with_edits(form.base, form.edits), str(form.shown_as))
    lines = validate.value.render().splitlines()
    assert len(lines) == 2
    shown = {key: html.unescape(form.errors[key].value).removeprefix("<div>").removesuffix("</div>")
             for key in ("team.engineers", "situation.ship_deadline_months")}
    assert lines[0] == f"{form.shown_as}: team.engineers: {shown['team.engineers']}"  # validate's words, no path
    assert shown["situation.ship_deadline_months"] == "'soon' is not a number (a number, e.g. 12)"  # typed text
    assert form.inputs[("situation", "ship_deadline_months")].value == "soon"  # kept, never silently reverted
    assert form.tabs.titles[1] == "Profile ⚠ 2"
    assert form.folds.titles[list(form.sections).index("team")] == "Team ⚠ 1 problem"
    assert "Traceback" not in str([e.value for e in form.errors.values()])
    assert view.result is before  # the results keep the last valid answers
    original = form.path.read_text()
    assert form.save() is None and "Not saved" in form.status.value
    assert form.path.read_text() == original and not backup_path(form.path).exists()
    form.inputs[("team", "engineers")].value = "3"
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
    form.inputs[("team", "engineers")].value = "20"
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
    again = load_client(form.path, playbook)  # what `aicto validate` and a batch run read
    assert again.model_dump() == form.profile.model_dump()
    assert ReadinessView(open_client(form.path)).result.index == view.result.index
    assert form.edits == {} and form.status.value.startswith("Saved")


def test_list_items_from_the_schema_are_edited_in_place(live, playbook):
    form, _, _ = live
    form.open_section("ai_spend")
    requests = ("ai_spend", "workloads", 1, "requests_per_month")
    form.inputs[requests].value = "150000"
    assert form.profile.ai_spend.workloads[1].requests_per_month == 150000
    form.save()
    assert "      requests_per_month: 150000\n" in form.path.read_text()
    assert load_client(form.path, playbook).ai_spend.workloads[1].requests_per_month == 150000


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_saving_without_edits_rewrites_every_example_byte_for_byte(path, tmp_path, playbook):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    save_profile(copy, load_client(copy, playbook), {}, playbook)
    assert copy.read_text() == path.read_text()


def test_a_write_that_fails_its_check_leaves_the_file_alone(tmp_path):
    target = tmp_path / "client.yaml"
    target.write_text("old\n")

    def reject(_):
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        write_atomic(target, "new\n", reject)
    assert target.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["client.yaml"]


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
def test_every_notebook_shows_the_form_and_redraws_the_sections_a_change_moves(path, monkeypatch):
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
        form = forms[0]
        before = drawn(form.view)
        form.inputs[("readiness", "answers", "security", "prompt_injection", "score")].value = 5  # in every report
        after = drawn(form.view)
    assert form.view._shown and form.status.value == "Unsaved changes."
    shown = {name: handle.display_id for name, (*_, handle) in form.view._shown.items()}
    names = {display_id: name for name, display_id in shown.items()}
    updated = [o.transient["display_id"] for o in captured.outputs if o.update]
    assert updated and sorted(updated) == sorted(shown[name] for name in shown if before[name] != after[name])
    charts = [o.data for o in captured.outputs if o.update and PLOTLY_MIME in o.data]
    assert all(set(data) == {PLOTLY_MIME} for data in charts)  # a live redraw sends no export HTML: nothing exports it
    html = [o.data for o in captured.outputs if "text/html" in o.data and PLOTLY_MIME not in o.data
            and o.transient.get("display_id") in names]
    assert html and all("<div" not in data["text/plain"] for data in html)  # the HTML once, not again as its repr
    late = [getattr(type(form.view), names[display_id]).late for display_id in updated]
    assert late == sorted(late)  # the sections waiting for the Monte Carlo come after the others


def test_the_sections_that_read_the_monte_carlo_are_the_late_ones(monkeypatch):
    """A late section is sent after the others in a redraw; one reading the Monte Carlo that is not late would keep
    every section after it waiting for the slowest part of the model."""
    reads = []
    cached = RoiResult.__dict__["monte_carlo"]
    monkeypatch.setattr(cached, "func", lambda result, compute=cached.func: reads.append(1) or compute(result))
    for name in sections(RoiView(open_client(NORTHWIND))):
        view = RoiView(open_client(NORTHWIND))  # a profile of its own: nothing computed yet
        view.result.base  # noqa: B018 - what every section reads
        reads.clear()
        view.build(name)
        assert bool(reads) is getattr(RoiView, name).late, name


def test_a_redraw_flushes_the_output_streams_once_not_before_every_section(monkeypatch):
    """ipykernel flushes stdout and stderr before every display message (a round trip to its IO thread each); a
    redraw sends a dozen, and flushes once before them."""
    assert "self._flush_streams()" in inspect.getsource(ZMQDisplayPublisher.publish)  # what the redraw quiets

    class Publisher:
        flushes = 0

        def _flush_streams(self):
            Publisher.flushes += 1

        def publish(self):
            self._flush_streams()

    publisher = Publisher()
    monkeypatch.setattr(IPython, "get_ipython", lambda: type("Shell", (), {"display_pub": publisher})())
    with _one_stream_flush():
        for _ in range(12):
            publisher.publish()
    assert Publisher.flushes == 1
    publisher.publish()  # ipykernel's own flushing is back after the redraw
    assert Publisher.flushes == 2 and "_flush_streams" not in vars(publisher)


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
    profile = load_client(NORTHWIND)
    html = export_html(nb, ReportHeader.for_profile("Test", profile, load_playbook()), load_playbook())
    assert "VBox" not in html and "widget-view" not in html and "widget-state" not in html


def test_number_fields_carry_their_units():
    from ruamel.yaml import YAML

    from aicto.consultant.fields import groups
    from aicto.profile.schema import Profile

    data = YAML(typ="safe").load((ROOT / "parameters" / "examples" / "northwind-analytics.yaml").read_text())
    units = {i.key: i.unit for g in groups(Profile, data, skip=("readiness",)) for i in g.inputs}
    assert units["value.monthly_value"] == "{currency}/month"
    assert units["team.loaded_cost_per_engineer"] == "{currency}/year"
    assert units["engagement.days_per_week"] == "days/week"
    assert units["ai_spend.workloads[0].requests_per_month"] == "requests/month"
    assert units["ai_spend.workloads[0].routable_share"] == "fraction 0-1"


def test_labels_are_written_for_people():
    data = YAML(typ="safe").load(NORTHWIND.read_text())
    labels = {i.key: i.label for g in groups(Profile, data, skip=("readiness",)) for i in g.inputs}
    assert labels["client.fx_per_usd"] == "Exchange rate"
    assert labels["client.id"] == "Client ID"
    assert labels["team.ai_experience"] == "AI experience"
    assert labels["ai_spend.workloads[0].route_to"] == "Route to model"
    machine_made = {"Ai spend", "Roi", "Fx per usd", "Id", "Ai experience"}
    assert not machine_made & set(labels.values())


def test_fold_titles_come_from_the_schema(live):
    form, _, _ = live
    assert form.folds.titles[:2] == ("Client", "Engagement")
    assert {"Value of the AI feature", "AI spend", "Cost assumptions (not in the file yet)",
            "ROI assumptions (not in the file yet)"} <= set(form.folds.titles)


def test_bounds_are_shown_once():
    data = YAML(typ="safe").load(NORTHWIND.read_text())
    hints = {i.key: i.hint for g in groups(Profile, data, skip=("readiness",)) for i in g.inputs}
    assert hints["engagement.days_per_week"] == "fractional CTO days per week, 0.5-5"
    assert hints["ai_spend.workloads[0].routable_share"] == ("share of requests a cheaper model, route_to, could "
                                                             "answer (the model routing lever), 0 to 1")
    assert hints["team.engineers"] == "software engineers employed by the client, 0 or more"


def _descendants(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from _descendants(child)


def test_an_exchange_rate_in_the_clients_own_currency_shows_no_unit(live):
    form, _, _ = live
    form.open_section("client")
    fx = form.inputs[("client", "fx_per_usd")]
    row = next(r for r in _descendants(form.folds) if isinstance(r, w.HBox) and r.children[0] is fx)
    assert fx.description == "Exchange rate" and "per USD" not in row.children[1].value


def test_an_override_shows_the_playbook_value_it_replaces_and_takes_one_number(live, playbook):
    form, _, _ = live
    form.open_section("costs")
    salary = playbook.costs.leadership.full_time.salary
    replaced = form.specs[("costs", "leadership", "full_time", "salary")].replaces
    assert replaced == f"{salary.low:,.0f} to {salary.high:,.0f}"
    path = ("costs", "leadership", "fractional", "day_rate")
    form.inputs[path].low.value = "1,800"  # Low alone: used for both
    assert form.problems == [] and form.edits == {path: 1800}
    form.save()
    assert form.path.read_text().endswith("\n\ncosts:\n  leadership:\n    fractional:\n      day_rate: 1800\n")
    assert load_client(form.path, playbook).costs.leadership.fractional.day_rate.high == 1800
    form.inputs[path].high.value = "2400"
    assert form.edits == {path: {"low": 1800, "high": 2400}}


def test_overrides_in_another_currency_show_the_converted_default(workspace, playbook):
    InteractiveShell.instance()
    context = open_client(workspace / "examples" / "harbor-home-goods.yaml")  # EUR
    with capture_output():
        form = ConsultantForm(context, ReadinessView(context), parameters=workspace, lab=workspace / "lab")
    salary = playbook.costs.leadership.full_time.salary
    fx = context.profile.client.fx
    replaced = form.specs[("costs", "leadership", "full_time", "salary")].replaces
    assert replaced == f"{salary.low * fx:,.0f} to {salary.high * fx:,.0f}"


def test_touching_and_clearing_an_empty_field_writes_nothing(live):
    form, _, _ = live
    original = form.path.read_text()
    form.open_section("engagement")
    consultant = form.inputs[("engagement", "consultant")]
    consultant.value = "Sam Lee"
    consultant.value = ""
    form.open_section("costs")
    day_rate = form.inputs[("costs", "leadership", "fractional", "day_rate")]
    day_rate.low.value = "2000"
    day_rate.low.value = ""
    assert form.edits == {}
    assert form.save() is None and form.status.value == "Nothing to save."
    assert form.path.read_text() == original


def test_clearing_a_set_value_removes_its_key_and_keeps_the_spacing(live, playbook):
    form, _, _ = live
    form.open_section("value")
    form.inputs[("value", "wrong_decisions")].value = "0"  # back to the schema's default: still a change
    form.open_section("situation")
    form.inputs[("situation", "ship_deadline_months")].value = ""
    form.save()
    text = form.path.read_text()
    assert "ship_deadline_months" not in text
    assert "  wrong_decisions: 0          # e.g. fine-tuning where RAG fits; a vector database chosen by habit\n\n" \
           "ai_spend:\n" in text
    assert load_client(form.path, playbook).situation.ship_deadline_months is None


def test_discard_forgets_the_changes_and_shows_the_file(live):
    form, view, _ = live
    before = view.result.index
    form.inputs[SCORE].value = 5
    form.open_section("team")
    form.inputs[("team", "engineers")].value = "3"
    form.discard()
    assert form.edits == {} and view.result.index == before
    assert form.inputs[SCORE].value == 1 and form.inputs[("team", "engineers")].value == "14"
    assert form.status.value.startswith("Discarded")


def test_the_headline_stays_in_sight_beside_the_form(live):
    form, view, _ = live
    assert f"{view.result.index:.0f}/100" in form.summary.value
    form.inputs[SCORE].value = 5
    assert f"{view.result.index:.0f}/100" in form.summary.value
    assert "tex2jax_ignore" in form.widget._dom_classes and "mathjax_ignore" in form.widget._dom_classes


def test_a_fragment_is_never_typeset_as_maths():
    from aicto.present.views.common import Html

    assert Html("$300K-$450K")._repr_html_() == '<div class="tex2jax_ignore mathjax_ignore">$300K-$450K</div>'


def test_opening_another_client_makes_its_notebooks_and_this_one_stays_on_its_client(live, workspace, monkeypatch):
    """One client per working folder: Open makes the other client's notebooks and links to the same deliverable's;
    the form, the results and this notebook stay on their own client."""
    form, view, _ = live
    here = workspace / "lab" / "northwind-analytics" / "01_readiness.ipynb"
    monkeypatch.setenv("JPY_SESSION_NAME", str(here))
    form.inputs[SCORE].value = 5  # unsaved changes stay, and stay this client's
    cortex = workspace / "examples" / "cortex-labs.yaml"
    assert form.open_client(cortex) == cortex
    assert form.profile.client.id == view.context.profile.client.id == "northwind-analytics"
    assert form.edits and form.inputs[SCORE].value == 5
    assert sorted(p.name for p in (workspace / "lab" / "cortex-labs").iterdir()) == sorted(
        d.notebook for d in REGISTRY.values())
    assert html.unescape(form.status.value) == ("Cortex Labs' notebooks are ready in "
                                                f"{workspace / 'lab' / 'cortex-labs'}/: open 01_readiness (the link "
                                                "below); this notebook stays on Northwind Analytics.")
    (link,) = form.link.outputs
    assert "href='../cortex-labs/01_readiness.ipynb'" in link["data"]["text/html"]


def test_a_notebook_outside_the_labs_folder_says_how_to_open_the_other_client(live, workspace, monkeypatch):
    form, _, _ = live
    monkeypatch.setenv("JPY_SESSION_NAME", str(ROOT / "notebooks" / "03_roi.ipynb"))  # `make lab`: the templates
    form.open_client(workspace / "examples" / "cortex-labs.yaml")
    assert "open them with aicto lab cortex-labs (this JupyterLab does not reach that folder)" in form.status.value
    assert form.link.outputs == ()
    monkeypatch.delenv("JPY_SESSION_NAME")
    form.open_client(workspace / "examples" / "harbor-home-goods.yaml")
    assert "open them with aicto lab harbor-home-goods" in form.status.value


NEW_CLIENT = {("client", "id"): "acme", ("client", "name"): "Acme", ("client", "industry"): "Retail",
              ("team", "engineers"): 6, ("team", "ai_experience"): "limited",
              ("team", "loaded_cost_per_engineer"): 150000}


def test_a_new_client_starts_blank_in_notebooks_of_its_own(live, workspace, playbook):
    form, view, _ = live
    target = form.create_client(NEW_CLIENT, None)
    assert target == workspace / "acme.yaml"
    text = target.read_text()
    assert text.split("\n", 1)[1].startswith("# Acme (Retail): started blank on ")
    assert text.startswith("# yaml-language-server: $schema=")  # relative to the workspace: see test_consultant_files
    assert "\n\nteam:\n  engineers: 6\n" in text and "note" not in text
    profile = load_client(target, playbook)
    assert {a.score for qs in profile.readiness.answers.values() for a in qs.values()} == {1}
    assert form.path != target and view.context.profile.client.id == "northwind-analytics"
    assert (workspace / "lab" / "acme" / "01_readiness.ipynb").is_file()
    assert "Acme's notebooks are ready in" in html.unescape(form.status.value)
    assert ("acme.yaml", target) in form.open_choice.options


def test_a_new_client_copied_from_another_brings_no_notes_or_words_of_it(live, workspace, playbook):
    form, view, _ = live
    source = workspace / "examples" / NORTHWIND.name
    values = {("client", "id"): "beta", ("client", "name"): "Beta", ("client", "industry"): "Logistics"}
    target = form.create_client(values, source)
    text = target.read_text()
    assert "note:" not in text and "{score" not in text
    assert "Northwind" not in text and "support tickets deflected" not in text
    assert [line for line in text.splitlines() if line.startswith("#")] == text.splitlines()[:2]  # schema, header
    copied, original = load_client(target, playbook), load_client(source, playbook)
    assert copied.team == original.team and copied.score("evaluation", "automated_evals") == 1
    assert view.context.profile.client.id == "northwind-analytics"


def test_new_client_problems_are_shown_beside_the_new_clients_fields(live, workspace):
    form, _, _ = live
    assert form.create_client({**NEW_CLIENT, ("client", "id"): "Acme Corp", ("team", "engineers"): None}, None) \
        is None
    assert html.unescape(form.new_client_errors["client.id"].value).startswith("<div>'Acme Corp' is not allowed")
    assert "is required but missing" in form.new_client_errors["team.engineers"].value
    assert str(workspace) not in str([e.value for e in form.new_client_errors.values()])
    form.create_client(NEW_CLIENT, None)
    assert form.create_client(NEW_CLIENT, None) is None
    assert "already exists" in form.new_client_errors["client.id"].value


def test_new_client_five_times_in_a_row_each_in_its_own_folder(live, workspace):
    form, view, _ = live
    for i in range(5):
        source = None if i % 2 else workspace / "examples" / "harbor-home-goods.yaml"
        target = form.create_client({**NEW_CLIENT, ("client", "id"): f"client-{i}"}, source)
        assert target == workspace / f"client-{i}.yaml"
        assert (workspace / "lab" / f"client-{i}" / "01_readiness.ipynb").is_file()
        assert form.profile.client.id == view.context.profile.client.id == "northwind-analytics"
        assert form.edits == {} and form.problems == []


def test_the_form_shows_the_consultants_checks_beside_the_results(workspace):
    """Cortex's bridge ROI, were its product still to launch, is above the playbook's 10x: the form says so with the
    input to look at; the report sections themselves never do."""
    from aicto.present.views.roi import RoiView

    InteractiveShell.instance()
    cortex = workspace / "examples" / "cortex-labs.yaml"
    cortex.write_text(cortex.read_text().replace("in_production: true", "in_production: false"))
    context = open_client(cortex)
    view = RoiView(context)
    with capture_output():
        form = ConsultantForm(context, view, parameters=workspace, lab=workspace / "lab")
    assert "Check before the board sees it" in form.summary.value
    assert "value.monthly_value" in form.summary.value and "above the playbook&#x27;s 10x" in form.summary.value
    assert "Check before the board sees it" not in view.build("headline")


def test_snapshot_button_records_the_saved_file_beside_it(live):
    form, _, _ = live
    form.inputs[SCORE].value = 5
    assert form.snapshot() is None and form.status.value == "Save the changes first: a snapshot records the saved file."
    form.save()
    written = form.snapshot()
    assert written.parent == form.path.with_name("northwind-analytics.snapshots") and written.is_file()
    assert ROOT not in written.parents
    from aicto.model.snapshot import read

    assert read(written, "northwind-analytics").answers["evaluation"]["automated_evals"] == 5


def test_a_second_snapshot_of_the_day_asks_then_replaces(live):
    """Today's snapshot exists: Snapshot says so, and a second click in the same state replaces it; a change in
    between asks again."""
    form, _, _ = live
    form.save()
    written = form.snapshot()
    form.inputs[SCORE].value = 5
    form.save()
    assert form.snapshot() is None
    assert form.status.value.startswith(f"A snapshot of {written.stem} exists: Snapshot again to replace it")
    form.inputs[SCORE].value = 4
    form.save()
    assert form.snapshot() is None  # a change since: asked again
    from aicto.model.snapshot import read

    assert read(written, "northwind-analytics").answers["evaluation"]["automated_evals"] != 4
    assert form.snapshot() == written and form.status.value.startswith(f"Snapshot of {written.stem} replaced")
    assert read(written, "northwind-analytics").answers["evaluation"]["automated_evals"] == 4


def shown_in_slot(form) -> str:
    slot = form.redraw.slot
    assert slot in form.widget.children and len(slot.outputs) == 1
    return slot.outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]


def test_a_widget_no_view_greets_is_made_again_with_its_state(live):
    """anywidget gives a model 2 s to load, which a busy page can exceed: the kernel makes the widget again (state and
    all) until a view greets it, and a failure never reaches the form, which does not hold the widget."""
    form, _, _ = live
    old = form.redraw.widget
    form.inputs[SCORE].value = 5
    form.redraw._greeted_or_again(tries=1)
    new = form.redraw.widget
    assert new is not old and old.comm is None and shown_in_slot(form) == new.model_id
    assert (new.sections, new.key, new.unsaved) == (old.sections, old.key, old.unsaved) and new.unsaved["edits"]
    new._handle_custom_msg({"greeting": True}, [])  # what live_redraw.js sends when drawn
    form.redraw._greeted_or_again(tries=1)
    assert form.redraw.widget is new


def test_a_page_that_writes_the_outputs_itself_leaves_the_kernel_none_to_update(live, monkeypatch):
    """Where the page reaches JupyterLab (aicto lab), it writes the sections into the notebook's document, at a pause
    and before any save, also after a reload: the kernel's display updates would only draw everything twice."""
    form, view, captured = live
    monkeypatch.setattr(live_redraw, "OUTPUTS_AFTER_S", 0.05)
    form.redraw.widget._handle_custom_msg({"drawing": True, "outputs": True}, [])  # what live_redraw.js sends
    sent = len(captured.outputs)
    form.inputs[SCORE].value = 5
    assert form.redraw.widget.sections["headline"]["version"] == 1
    assert len(captured.outputs) == sent and form.redraw._pending is None


def test_unsaved_edits_go_to_the_page_to_keep_until_saved(live, monkeypatch):
    """A kernel restart loses the form's edits: the page keeps them in the browser, under the file and the notebook,
    with dates and other values as JSON, and forgets them once saved."""
    form, view, _ = live
    widget = form.redraw.widget
    assert widget.key.startswith(f"{form.path.resolve()}|") and widget.unsaved == {}
    form.inputs[SCORE].value = 5
    answer = [list(SCORE[:-1]), {"score": 5, "note": "Prompt changes ship after a few manual tries."}]
    assert widget.unsaved["edits"] == [answer] and widget.unsaved["at"]
    form.change(("engagement", "start"), dt.date(2027, 1, 4))
    assert [["engagement", "start"], {"$date": "2027-01-04"}] in widget.unsaved["edits"]
    form.change(("engagement", "start"), value_at(form.base, ("engagement", "start")))  # back as the file has it
    assert widget.unsaved["edits"] == [answer]
    messages = []
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: messages.append(content))
    assert form.save() is not None, form.status.value
    assert widget.unsaved == {} and messages == [{"save_notebook": True}]  # and the notebook, outputs first


def test_a_new_form_offers_back_the_edits_the_browser_kept(live):
    """After a restart the notebook runs again: the page hands the new form what the old one had not saved; the
    form offers it (a value the file now holds, or a field it does not know, is left out) and restores it."""
    form, view, _ = live
    before = form.profile.team.engineers
    kept = {"edits": [[["team", "engineers"], before + 3], [list(SCORE[:-1]), 5],
                      [["team", "no_such_field"], 1], [["client", "name"], form.profile.client.name]],
            "at": "2026-12-06T14:02:11"}
    form.redraw.widget._handle_custom_msg({"kept": kept}, [])
    assert set(form.kept) == {("team", "engineers"), SCORE[:-1]} and form.edits == {}
    assert form.offer.layout.display is None
    offer = form.offer.children[0].value
    assert "2 unsaved changes</b>, kept in this browser at 14:02" in offer and "Engineers" in offer
    form.restore()
    assert form.edits[("team", "engineers")] == before + 3 and form.profile.team.engineers == before + 3
    assert form.offer.layout.display == "none" and form.status.value.startswith("Restored 2 unsaved changes")
    assert form.redraw.widget.unsaved["edits"]  # kept again by the page until saved
    form.discard()
    form.redraw.widget._handle_custom_msg({"kept": kept}, [])
    form.forget()
    assert form.kept == {} and form.offer.layout.display == "none" and form.edits == {}


# -- the consultant's words ----------------------------------------------------------------------------------------

SCHEMA = ROOT / "playbook" / "profile.schema.json"


def schema_title(schema: dict, path: tuple) -> str:
    """The title the profile's JSON Schema (docs/profile-reference.md's source) gives the value at `path`."""
    defs, node, found = schema["$defs"], schema, ""
    for part in path:
        while "$ref" in node or "anyOf" in node:
            node = defs[node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else next(  # a model, or a list
                n for n in sorted(node["anyOf"], key=lambda n: "$ref" not in n and "items" not in n))
        node = node["items"] if isinstance(part, int) else node.get("properties", {}).get(
            part, node.get("additionalProperties"))
        found = node.get("title", found)
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_label_is_its_fields_title_in_the_schema(example):
    """The form's labels, and the names its problems, checks and conflicts give, are the schema's titles."""
    import json

    from aicto.consultant.fields import title

    schema = json.loads(SCHEMA.read_text())
    data = YAML(typ="safe").load(example.read_text())
    specs = [i for g in groups(Profile, data, skip=("readiness",)) for i in g.inputs]
    assert len(specs) > 60
    for spec in specs:
        assert spec.label == schema_title(schema, spec.path), spec.key
        item = ", workload " if "workloads" in spec.path else ""  # a name elsewhere says which item it is
        assert title(Profile, spec.key) == title(Profile, spec.path)  # the dotted path a problem or check names
        assert title(Profile, spec.path).startswith(spec.label + item), spec.key
    assert title(Profile, "roi.wrong_bet_probability") == "Wrong bet probability"
    assert title(Profile, "costs.leadership.full_time.salary.high") == "Salary, high"
    assert title(Profile, "ai_spend.workloads[1].route_to") == "Route to model, workload 2"


def _primary_text(markup: str) -> str:
    """What a consultant reads first: the text without the grey path hints."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<span class='aicto-path'>.*?</span>", "", markup)))


DOTTED = re.compile(r"\b[a-z_]+(\[\d+\])?\.[a-z_]+")


def test_problems_beside_another_input_name_its_label_with_the_path_as_a_hint(live):
    form, _, _ = live
    form.open_section("costs")
    form.inputs[("costs", "ai_spend", "realisation")].low.value = "0.5"
    form.inputs[("costs", "ai_spend", "realisation")].high.value = "1.5"
    shown = form.errors["costs.ai_spend.realisation"].value
    assert shown.startswith("<div><b>Realisation, high</b> <span class='aicto-path'>costs.ai_spend.realisation.high"
                            "</span>: 1.5 is out of range (must be &lt;= 1); ")
    assert not DOTTED.search(_primary_text(shown))


def test_checks_name_the_input_to_look_at_by_its_label(workspace):
    from aicto.present.views.roi import RoiView

    InteractiveShell.instance()
    cortex = workspace / "examples" / "cortex-labs.yaml"
    cortex.write_text(cortex.read_text().replace("in_production: true", "in_production: false"))
    context = open_client(cortex)
    with capture_output():
        form = ConsultantForm(context, RoiView(context), parameters=workspace, lab=workspace / "lab")
    checks = form.summary.value[form.summary.value.index("Check before the board sees it"):]
    assert "<li><b>Monthly value</b> <span class='aicto-path'>value.monthly_value</span>: " in checks
    assert not DOTTED.search(_primary_text(checks))


def test_a_blank_client_id_says_what_an_id_must_be(live):
    form, _, _ = live
    assert form.create_client({**NEW_CLIENT, ("client", "id"): ""}, None) is None
    assert _primary_text(form.new_client_errors["client.id"].value) == (
        "must not be blank (lower-case letters, digits and hyphens, e.g. acme-corp)")


def test_a_number_box_takes_text_and_says_why_it_is_not_a_number(live):
    """ipywidgets' IntText put the old number back on "twelve", silently: the box is text, parsed by the form."""
    form, view, _ = live
    form.open_section("team")
    engineers = form.inputs[("team", "engineers")]
    assert isinstance(engineers, w.Text) and engineers.value == "14" and engineers.placeholder == "required"
    engineers.value = "twelve"
    assert engineers.value == "twelve" and form.edits == {("team", "engineers"): "twelve"}
    assert html.unescape(form.errors["team.engineers"].value) == (
        "<div>'twelve' is not a number (a whole number, e.g. 12)</div>")
    assert form.status.value.startswith("1 problem") and form.save() is None
    engineers.value = ""  # blank, where a number is required
    assert "is required" in form.errors["team.engineers"].value
    engineers.value = "1,200"
    assert form.problems == [] and view.context.profile.team.engineers == 1200
    form.open_section("situation")
    deadline = form.inputs[("situation", "ship_deadline_months")]
    assert deadline.placeholder == "blank = not set"
    deadline.value = ""  # optional: blank is "not set"
    assert form.problems == [] and form.edits[("situation", "ship_deadline_months")] is None
    form.open_section("costs")
    day_rate = form.inputs[("costs", "leadership", "fractional", "day_rate")]
    day_rate.low.value, day_rate.high.value = "1800", "lots"
    assert "'lots' is not a number (a number, e.g. 12)" in html.unescape(
        form.errors["costs.leadership.fractional.day_rate"].value)
    assert len(form.problems) == 1


def test_the_answers_show_one_dimension_at_a_time_with_its_progress(live):
    form, _, _ = live
    buttons, blocks = form.dimension_buttons, form.dimension_blocks
    assert len(buttons) == 8 and buttons["strategy"].description == "Strategy 5/5"
    assert buttons["security"].tooltip == "Security, governance and compliance: 5 of 5 answered"
    assert [b.layout.display for b in blocks.values()] == [None] + [("none")] * 7
    buttons["evaluation"].click()
    assert [k for k, b in blocks.items() if b.layout.display != "none"] == ["evaluation"]
    assert buttons["evaluation"].button_style == "info" and buttons["strategy"].button_style == ""
    form.inputs[(*SCORE[:-1], "note")].value = "x" * 2001  # too long: a problem in Evaluation
    assert buttons["evaluation"].description == "Evaluation 5/5 ⚠ 1"
    assert buttons["evaluation"].tooltip.endswith(", 1 problem")
    form.inputs[(*SCORE[:-1], "note")].value = "ok"
    assert buttons["evaluation"].description == "Evaluation 5/5"
