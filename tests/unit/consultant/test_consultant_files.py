"""Consultant mode's file handling: several notebooks on one client, the saved YAML, per-client working notebooks,
and the guards that keep client data out of the template notebooks (Jupyter pre-save hook, git clean filter)."""

import difflib
import html
import json
import re
import shutil
import subprocess

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from jupyter_server.services.contents.filemanager import FileContentsManager
from traitlets.config import Config

from aicto.consultant.fields import MISSING, with_edits
from aicto.consultant.form import ConsultantForm
from aicto.consultant.guard import clean_template, pre_save_hook
from aicto.consultant.newclient import create_client
from aicto.consultant.save import save_profile
from aicto.consultant.sync import Conflict, rebase
from aicto.consultant.workspace import JUPYTER_CONFIG, LAB_ENV, find_profile, lab_command, working_notebooks
from aicto.model import snapshot
from aicto.model.engagement import build_engagement
from aicto.model.validation import load_client, parse_client
from aicto.present.deliverables import NOTEBOOKS_ENV, REGISTRY
from aicto.present.views.common import open_client
from aicto.present.views.readiness import ReadinessView
from aicto.present.views.roi import RoiView
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError
from aicto.profile.writing import FileChanged, Stamp
from aicto.profile.yamlio import read_yaml_mapping
from tests.conftest import ROOT

NORTHWIND = ROOT / "parameters" / "examples" / "northwind-analytics.yaml"
SCORE = ("readiness", "answers", "evaluation", "automated_evals", "score")
ANSWER = SCORE[:-1]
TEMPLATES = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture
def client(tmp_path):
    path = tmp_path / "northwind-analytics.yaml"
    shutil.copy(NORTHWIND, path)
    return path


def notebook_form(profile, view_class, lab):
    """A form as one notebook's kernel makes it; each notebook has its own kernel, hence no shared live form."""
    InteractiveShell.instance()
    ConsultantForm.live = None
    context = open_client(profile)
    view = view_class(context)
    with capture_output():
        form = ConsultantForm(context, view, parameters=profile.parent, lab=lab)
    return form, view


# -- the saved YAML ----------------------------------------------------------------------------------------------------

def test_edits_read_like_a_hand_written_file(client, playbook):
    original = client.read_text()
    edits = {("engagement", "consultant"): "Sam Lee", ("value", "wrong_decisions"): None,
             ("readiness", "answers", "team", "ways_of_working"): {"score": 4, "note": "pairing weekly"},
             ("roi", "months_earlier"): {"low": 3, "high": 5}}
    save_profile(client, parse_client(with_edits(read_yaml_mapping(client), edits), str(client), playbook), edits,
                 playbook)
    diff = [line for line in difflib.unified_diff(original.splitlines(), client.read_text().splitlines(),
                                                  lineterm="", n=1)][2:]
    assert diff == [
        "@@ -17,2 +17,3 @@", "   paper_size: Letter", "+  consultant: Sam Lee", " ",
        "@@ -82,3 +83,3 @@", "       capacity: 3", "-      ways_of_working: 3",
        "+      ways_of_working: {score: 4, note: pairing weekly}", " ",
        "@@ -86,3 +87,2 @@",
        "   monthly_value: 90000        # support tickets deflected x cost per ticket, agreed with finance",
        "-  wrong_decisions: 2          # e.g. fine-tuning where RAG fits; a vector database chosen by habit", " ",
        "@@ -171 +171,4 @@",
        "       summary: A ticket's text made the assistant reveal part of its system prompt (prompt injection).",
        "+", "+roi:", "+  months_earlier: {low: 3, high: 5}",
    ]


def test_a_save_keeps_the_editors_schema_line(client, playbook):
    """The example's first line names the JSON Schema for the consultant's editor: edits to the first section, a new
    section and a removed key leave it, and the header comment under it, where they were."""
    head = client.read_text().splitlines()[:2]
    assert head[0] == "# yaml-language-server: $schema=../../playbook/profile.schema.json"
    edits = {("client", "name"): "Northwind", ("client", "country"): None, ("roadmap", "holidays"): ["2027-04-05"],
             ("situation", "stalled_pilot"): False}
    save_profile(client, parse_client(with_edits(read_yaml_mapping(client), edits), str(client), playbook), edits,
                 playbook)
    text = client.read_text()
    assert text.splitlines()[:2] == head and text.count("yaml-language-server") == 1
    assert load_client(client, playbook).client.name == "Northwind"


def test_a_new_client_names_the_schema_by_a_path_from_its_own_file(tmp_path):
    """parameters/<id>.yaml gets `../playbook/profile.schema.json`, blank or copied from an example (whose own line,
    relative to the example, stays behind); a playbook without the schema gives no line."""
    shutil.copytree(ROOT / "playbook", tmp_path / "playbook")
    playbook = load_playbook(tmp_path / "playbook")
    values = {("client", "id"): "acme", ("client", "name"): "Acme", ("client", "industry"): "Retail",
              ("team", "engineers"): 6, ("team", "ai_experience"): "limited",
              ("team", "loaded_cost_per_engineer"): 150000}
    line = "# yaml-language-server: $schema=../playbook/profile.schema.json"
    blank = create_client(tmp_path / "parameters", values, None, playbook)
    copied = create_client(tmp_path / "parameters", {**values, ("client", "id"): "beta"}, NORTHWIND, playbook)
    for path in (blank, copied):
        lines = path.read_text().splitlines()
        assert lines[0] == line and lines[1].startswith("# Acme (Retail): started ")
        assert [x for x in lines if "yaml-language-server" in x] == [line]
        assert (path.parent / line.partition("$schema=")[2]).resolve() == (tmp_path / "playbook" /
                                                                          "profile.schema.json").resolve()
        load_client(path, playbook)
    (tmp_path / "playbook" / "profile.schema.json").unlink()
    plain = create_client(tmp_path / "parameters", {**values, ("client", "id"): "gamma"}, None, playbook)
    assert plain.read_text().startswith("# Acme (Retail): started blank on ")


def test_a_save_over_a_file_changed_since_is_refused(client, playbook):
    profile = load_client(client, playbook)
    before = Stamp.of(client)
    shutil.copy(client, client.with_suffix(".tmp"))
    client.with_suffix(".tmp").replace(client)  # another notebook's save: a new file in one rename
    text = client.read_text()
    with pytest.raises(FileChanged):
        save_profile(client, profile, {("team", "engineers"): 14}, playbook, since=before)
    assert client.read_text() == text and sorted(p.name for p in client.parent.iterdir()) == [client.name]


# -- one client, several notebooks -------------------------------------------------------------------------------------

def test_rebase_keeps_edits_on_top_of_a_newer_file():
    old = {"team": {"engineers": 5}, "value": {"monthly_value": 10}, "situation": {}}
    new = {"team": {"engineers": 7}, "value": {"monthly_value": 10}, "situation": {"stalled_pilot": True}}
    edits = {("team", "engineers"): 9, ("value", "monthly_value"): 20, ("situation", "stalled_pilot"): True,
             ("situation", "ship_deadline_months"): None}
    kept, conflicts = rebase(edits, old, new)
    assert kept == {("team", "engineers"): 9, ("value", "monthly_value"): 20}  # True already saved; None = absent
    assert conflicts == [Conflict(("team", "engineers"), 7, 9)]
    assert conflicts[0].describe() == "team.engineers: the file now says 7, this form 9"
    assert conflicts[0].describe("Engineers") == "Engineers: the file now says 7, this form 9"
    assert Conflict(("value", "wrong_decisions"), MISSING, 2).describe().endswith("says not set, this form 2")
    assert Conflict(("client", "name"), "Acme", "Acme Corp").describe("Name") == (
        "Name: the file now says 'Acme', this form 'Acme Corp'")
    blockers = Conflict(("situation", "blockers"), ["a", "b"], [])
    assert blockers.describe("Blockers").endswith("says 'a', 'b', this form none")


def test_two_notebooks_on_one_client_save_in_turn_and_see_each_others_saves(client, tmp_path, playbook):
    readiness, _ = notebook_form(client, ReadinessView, tmp_path / "lab")
    roi, roi_view = notebook_form(client, RoiView, tmp_path / "lab")
    readiness.inputs[SCORE].value = 4
    assert readiness.save() == client
    roi.open_section("value")
    roi.inputs[("value", "monthly_value")].value = "120000"
    assert "Took in what was saved to the file" in roi.status.value
    assert roi_view.context.profile.score(*ANSWER[2:]) == 4 and roi.inputs[SCORE].value == 4
    assert roi.save() == client
    saved = load_client(client, playbook)
    assert saved.score(*ANSWER[2:]) == 4 and saved.value.monthly_value == 120000
    readiness.inputs[SCORE].value = 5  # the first notebook, again: takes in the second one's save
    assert readiness.save() == client
    saved = load_client(client, playbook)
    assert saved.score(*ANSWER[2:]) == 5 and saved.value.monthly_value == 120000
    assert readiness.profile.value.monthly_value == 120000


def test_the_same_value_changed_in_two_notebooks_is_a_conflict_said_once(client, tmp_path, playbook):
    first, _ = notebook_form(client, ReadinessView, tmp_path / "lab")
    second, _ = notebook_form(client, ReadinessView, tmp_path / "lab")
    first.inputs[SCORE].value = 4
    first.save()
    second.inputs[SCORE].value = 2
    assert second.save() is None
    assert "Not saved: another notebook changed the same values" in second.status.value
    said = html.unescape(re.sub("<[^>]+>", "", second.status.value))  # the label first, the path a grey hint
    assert re.search(r"the same values: Evaluation / Automated evals: the file now says score 4 \('.+'\), this form "
                     r"score 2 \('.+'\) readiness\.answers\.evaluation\.automated_evals\. Save again", said)
    assert "<span class='aicto-path'>readiness.answers.evaluation.automated_evals</span>" in second.status.value
    assert load_client(client, playbook).score(*ANSWER[2:]) == 4
    assert second.save() == client  # asked again: this form's value wins
    assert load_client(client, playbook).score(*ANSWER[2:]) == 2


def test_the_same_change_in_two_notebooks_is_no_conflict(client, tmp_path):
    first, _ = notebook_form(client, ReadinessView, tmp_path / "lab")
    second, _ = notebook_form(client, ReadinessView, tmp_path / "lab")
    first.inputs[SCORE].value = 4
    first.save()
    second.inputs[SCORE].value = 4
    assert second.edits == {} and second.conflicts == {}


# -- per-client working notebooks --------------------------------------------------------------------------------------

def test_working_notebooks_name_the_client_and_leave_the_templates_alone(client, tmp_path):
    before = {p: p.read_bytes() for p in TEMPLATES}
    shutil.copytree(NORTHWIND.with_suffix(".snapshots"), client.with_suffix(".snapshots"))  # a baseline: progress
    made = working_notebooks(client, load_client(client), tmp_path / "lab")
    assert [(m.path.name, m.action) for m in made] == [(d.notebook, "created") for d in REGISTRY.values()]
    for m in made:
        nb = nbformat.read(m.path, as_version=4)
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        assert cell.source.endswith(f"profile_path = {str(client)!r}")
    assert {p: p.read_bytes() for p in TEMPLATES} == before
    assert [m.action for m in working_notebooks(client, load_client(client), tmp_path / "lab")] == \
        ["kept"] * len(REGISTRY)


def test_working_notebooks_are_those_of_the_deliverables_that_apply(tmp_path, playbook):
    """As `aicto run` decides: before the audit the proposal alone; the progress notebook only once there is a
    baseline (a snapshot, or actuals), never "as of today against a baseline of tomorrow"."""
    lab = tmp_path / "lab"
    proposal = ROOT / "tests" / "fixtures" / "proposal_stage" / "lumen-legal.yaml"
    assert [m.path.name for m in working_notebooks(proposal, load_client(proposal), lab)] == ["00_proposal.ipynb"]
    blank = create_client(tmp_path, {("client", "id"): "acme", ("client", "name"): "Acme",
                                     ("client", "industry"): "Retail", ("team", "engineers"): 6,
                                     ("team", "ai_experience"): "limited",
                                     ("team", "loaded_cost_per_engineer"): 150000}, None, playbook)
    audited = [d.notebook for d in REGISTRY.values() if d.key != "progress"]
    assert [m.path.name for m in working_notebooks(blank, load_client(blank), lab)] == audited
    assert sorted(p.name for p in (lab / "acme").iterdir()) == sorted(audited)
    profile = load_client(blank)
    snapshot.write(build_engagement(profile, playbook), blank, snapshot.default_date(profile))
    assert [m.path.name for m in working_notebooks(blank, load_client(blank), lab)][-1] == "05_progress.ipynb"


def test_a_working_notebook_follows_its_template_unless_edited(client, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "notebooks", templates)
    monkeypatch.setenv(NOTEBOOKS_ENV, str(templates))
    lab = tmp_path / "lab"
    profile = load_client(client).model_copy(update={"client": load_client(client).client.model_copy(
        update={"id": "acme"})})
    made, keys = working_notebooks(client, profile, lab), list(REGISTRY)
    readiness, costs = (made[keys.index(k)].path for k in ("readiness", "costs"))
    edited = nbformat.read(costs, as_version=4)
    edited.cells.append(nbformat.v4.new_code_cell("report.headline()  # mine"))
    nbformat.write(edited, costs)
    for name in ("01_readiness.ipynb", "02_cost_breakdown.ipynb"):
        nb = nbformat.read(templates / name, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell("A new closing note."))
        nbformat.write(nb, templates / name)
    actions = [m.action for m in working_notebooks(client, profile, lab)]
    assert actions == ["updated" if k == "readiness" else "kept" for k in keys]
    assert nbformat.read(readiness, as_version=4).cells[-1].source == "A new closing note."
    assert nbformat.read(costs, as_version=4).cells[-1].source == "report.headline()  # mine"
    other = client.with_name("moved.yaml")
    shutil.copy(client, other)
    assert [m.action for m in working_notebooks(other, profile, lab)] == ["updated"] * len(REGISTRY)


def test_a_client_is_found_by_id_or_path(tmp_path):
    (tmp_path / "examples").mkdir()
    shutil.copy(NORTHWIND, tmp_path / "examples")
    shutil.copy(NORTHWIND, tmp_path / "acme.yaml")
    assert find_profile("acme", tmp_path) == (tmp_path / "acme.yaml").resolve()
    assert find_profile("northwind-analytics", tmp_path) == (tmp_path / "examples" / NORTHWIND.name).resolve()
    assert find_profile(str(tmp_path / "acme.yaml"), tmp_path) == (tmp_path / "acme.yaml").resolve()
    with pytest.raises(InputError) as missing:
        find_profile("nobody", tmp_path)
    assert missing.value.render().startswith(f"{tmp_path / 'nobody.yaml'}: (file): file not found (a path to a")


def test_lab_runs_on_the_working_notebooks_with_the_projects_jupyter_config(tmp_path):
    argv, env = lab_command(tmp_path, "acme", ["--no-browser"])
    assert argv[1:4] == ["lab", f"--ServerApp.root_dir={tmp_path}", "--LabApp.default_url=/lab/tree/acme"]
    assert argv[-1] == "--no-browser"
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0] == str(JUPYTER_CONFIG)
    assert env[LAB_ENV] == str(tmp_path)  # the kernels' forms make other clients' notebooks there too
    assert (JUPYTER_CONFIG / "jupyter_server_config.json").is_file()
    assert argv[4] == "--LabApp.expose_app_in_browser=True"  # the page saves the notebook with current outputs
    given = "--LabApp.expose_app_in_browser=True"
    assert lab_command(tmp_path, "acme", [given])[0].count(given) == 1  # twice would switch it off


# -- the guards --------------------------------------------------------------------------------------------------------

def _session(nb, profile_path):
    """What a day of work in JupyterLab leaves in a notebook: outputs, counts, widget state, kernel details, a
    client's profile in the parameters cell."""
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 1
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<b>Acme: $300K</b>"})]
        cell.metadata["scrolled"] = True
    next(c for c in nb.cells if "parameters" in c.metadata.get("tags", [])).source = \
        f"profile_path = {profile_path!r}"
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    return nb


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_a_template_saved_after_a_session_is_byte_identical(path):
    committed = nbformat.read(path, as_version=4)
    worked = _session(nbformat.read(path, as_version=4), "parameters/acme.yaml")
    assert nbformat.writes(clean_template(worked, committed)) + "\n" == path.read_text()


def test_an_example_profile_in_a_template_is_kept():
    committed = nbformat.read(TEMPLATES[0], as_version=4)
    worked = _session(nbformat.read(TEMPLATES[0], as_version=4), "parameters/examples/cortex-labs.yaml")
    cell = next(c for c in clean_template(worked, committed).cells if "parameters" in c.metadata["tags"])
    assert cell.source == "profile_path = 'parameters/examples/cortex-labs.yaml'"


@pytest.mark.filterwarnings("ignore:Overriding existing pre_save_hook")  # jupyter_server validates it twice
def test_jupyter_saves_templates_clean_and_other_notebooks_as_they_are(tmp_path, monkeypatch):
    """jupyter_server's own contents manager with the project's Jupyter config, as JupyterLab saves through it."""
    templates = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", templates)
    (tmp_path / "lab").mkdir()
    monkeypatch.setenv(NOTEBOOKS_ENV, str(templates))
    config = Config(json.loads((JUPYTER_CONFIG / "jupyter_server_config.json").read_text()))
    manager = FileContentsManager(root_dir=str(tmp_path), config=config)
    assert manager.pre_save_hook is pre_save_hook
    for folder in ("notebooks", "lab"):
        nb = _session(nbformat.read(ROOT / "notebooks" / "01_readiness.ipynb", as_version=4), "parameters/acme.yaml")
        manager.save({"type": "notebook", "format": "json", "content": nb}, f"{folder}/01_readiness.ipynb")
    assert (templates / "01_readiness.ipynb").read_bytes() == (ROOT / "notebooks" / "01_readiness.ipynb").read_bytes()
    kept = nbformat.read(tmp_path / "lab" / "01_readiness.ipynb", as_version=4)
    assert kept.cells[2].outputs and "widgets" in kept.metadata


def test_git_strips_outputs_of_templates_on_commit(tmp_path):
    """The Makefile's git filter, in a repository of its own: what a commit stores, whatever saved the file."""
    def git(*args):
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path,
                              check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    shutil.copy(ROOT / ".gitattributes", tmp_path)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), "git-filter"], cwd=tmp_path, check=True)
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    worked = _session(nbformat.read(TEMPLATES[0], as_version=4), "parameters/examples/northwind-analytics.yaml")
    nbformat.write(worked, tmp_path / "notebooks" / TEMPLATES[0].name)
    git("add", "notebooks", ".gitattributes")
    git("commit", "-q", "-m", "templates")
    stored = nbformat.reads(git("show", f"HEAD:notebooks/{TEMPLATES[0].name}"), as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in stored.cells)
    assert "widgets" not in stored.metadata
    assert [c.id for c in stored.cells] == [c.id for c in worked.cells]
    for path in TEMPLATES[1:]:  # committed templates pass through unchanged
        assert git("show", f"HEAD:notebooks/{path.name}") == path.read_text()


def test_saving_a_tracked_example_asks_first(tmp_path):
    """An example git tracks: the title says so, the first Save asks and writes nothing, the second writes."""
    example = tmp_path / "parameters" / "examples" / NORTHWIND.name
    example.parent.mkdir(parents=True)
    shutil.copy(NORTHWIND, example)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "parameters"], cwd=tmp_path, check=True)
    before = example.read_bytes()
    form, _ = notebook_form(example, ReadinessView, tmp_path / "lab")
    assert "A tracked example:" in form.title.value
    form.inputs[SCORE].value = 4
    assert form.save() is None and example.read_bytes() == before
    assert html.unescape(form.status.value) == (f"{example} is a tracked example: Save again to write it anyway, or "
                                                "start a client from it in Clients (a copy of its figures).")
    assert form.save() == example and load_client(example).score(*ANSWER[2:]) == 4
    untracked = example.with_name("other.yaml")  # beside it, but not in git: saved at once
    shutil.copy(NORTHWIND, untracked)
    form, _ = notebook_form(untracked, ReadinessView, tmp_path / "lab")
    form.inputs[SCORE].value = 2
    assert form.save() == untracked and "A tracked example" not in form.title.value
