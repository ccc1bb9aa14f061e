"""Rules about the repository itself: notebooks without outputs, one locked list of packages, client data ignored."""

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


def _locked() -> dict[str, list[tuple[str, str]]]:
    """requirements.lock as name -> [(version, environment marker)]."""
    pins: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            requirement, _, marker = line.partition(";")
            name, _, version = requirement.strip().partition("==")
            assert version, f"requirements.lock: {line!r} is not pinned with =="
            pins.setdefault(_name(name), []).append((version, marker.strip()))
    return pins


def test_the_lock_pins_every_dependency_of_pyproject_within_its_range():
    """`make lock` was run after the last change to pyproject.toml: every requirement, extras included, has a pinned
    version in requirements.lock that its range allows (for Python 3.11 on Linux, where CI runs)."""
    from packaging.markers import Marker
    from packaging.requirements import Requirement

    linux_311 = {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux",
                 "platform_system": "Linux", "implementation_name": "cpython", "platform_python_implementation":
                 "CPython", "os_name": "posix", "platform_machine": "x86_64", "extra": ""}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = _locked()
    for text in project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]:
        requirement = Requirement(text)
        versions = [v for v, marker in locked.get(_name(requirement.name), [])
                    if not marker or Marker(marker).evaluate(linux_311)]
        assert versions, f"{requirement.name} is not in requirements.lock: run make lock"
        assert all(requirement.specifier.contains(v, prereleases=True) for v in versions), \
            f"{text}: requirements.lock pins {versions}: run make lock"


def test_environment_yml_installs_the_lock():
    """Conda users get the lock's versions: conda gives Python and pip, pip installs requirements.lock and aicto."""
    env = YAML(typ="safe").load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if not isinstance(d, dict)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    python = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"].removeprefix(">=")
    assert conda == [f"python={python}", "pip"]
    assert pip == ["-r requirements.lock", "-e ."]


@pytest.mark.parametrize(("path", "ignored"), [
    ("parameters/acme.yaml", True), ("parameters/clients/acme.yaml", True), ("reports/acme/readiness.html", True),
    ("parameters/examples/northwind-analytics.yaml", False), ("parameters/acme.snapshots/2027-01-11.json", True),
    ("parameters/examples/northwind-analytics.snapshots/2027-01-11.json", False),
])
def test_confidential_files_are_ignored(path, ignored):
    result = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
    assert (result.returncode == 0) is ignored
