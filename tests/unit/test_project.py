"""Rules about the repository itself: notebooks without outputs, one dependency list, confidential data ignored."""

import re
import subprocess
import tomllib

import nbformat
import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear outputs before commit"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_have_one_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert "profile_path" in tagged[0].source


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = YAML(typ="safe").load((ROOT / "environment.yml").read_text())
    conda, pip = set(), set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip |= {_name(r) for r in dep["pip"] if not r.startswith("-e")}
        else:
            conda.add(_name(dep))
    conda -= {"python", "pip"}
    assert conda | pip == wanted
    assert any(r.startswith("-e") for dep in env["dependencies"] if isinstance(dep, dict) for r in dep["pip"])


@pytest.mark.parametrize(("path", "ignored"), [
    ("parameters/acme.yaml", True), ("parameters/clients/acme.yaml", True), ("reports/acme/readiness.html", True),
    ("parameters/examples/northwind-analytics.yaml", False), ("parameters/acme.snapshots/2027-01-11.json", True),
    ("parameters/examples/northwind-analytics.snapshots/2027-01-11.json", False),
])
def test_confidential_files_are_ignored(path, ignored):
    result = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
    assert (result.returncode == 0) is ignored
