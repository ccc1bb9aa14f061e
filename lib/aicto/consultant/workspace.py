"""Per-client working notebooks: `lab/<client-id>/` holds a copy of every deliverable's notebook with the client's
`profile_path` set, so a day of work on a client never touches the templates in notebooks/ (lab/ is ignored by git,
like the client files themselves).

A working copy is made once and then left alone (outputs, extra cells): it is rewritten only when its template
changed and the consultant did not edit the copy's cells; its parameters cell always names the client's file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from aicto.profile.problems import InputError, Problem

if TYPE_CHECKING:
    from aicto.profile.schema import Profile

ROOT = Path(__file__).resolve().parents[3]
PARAMETERS_ENV = "AICTO_PARAMETERS"  # where client files are looked for and new ones written (default parameters/)
LAB_ENV = "AICTO_LAB"  # where working notebooks go (default lab/); `aicto lab` passes its folder on to the kernels
JUPYTER_CONFIG = ROOT / "jupyter-config"  # switches on the guard that keeps client data out of notebooks/
PARAMETERS_TAG = "parameters"
PARAMETERS_NOTE = "# Parameters: this client's profile (this working copy is not tracked by git)."


def parameters_dir() -> Path:
    return Path(os.environ.get(PARAMETERS_ENV) or ROOT / "parameters")


def lab_dir() -> Path:
    return Path(os.environ.get(LAB_ENV) or ROOT / "lab")


def names_a_file(client: str) -> bool:
    """`aicto lab CLIENT`: a path to a profile (a folder or a .yaml), not a client id."""
    given = Path(client).expanduser()
    return given.suffix in (".yaml", ".yml") or given.parent != Path()


def find_profile(client: str, parameters: Path | None = None) -> Path:
    """`aicto lab CLIENT`: a path to a profile, or a client id: parameters/<id>.yaml, then parameters/examples/."""
    given, parameters = Path(client).expanduser(), parameters or parameters_dir()
    candidates = [given] if names_a_file(client) else [
        parameters / f"{client}.yaml", parameters / "examples" / f"{client}.yaml"]
    found = next((p for p in candidates if p.is_file()), None)
    if found is None:
        raise InputError(str(candidates[0]), [Problem("(file)", "file not found",
                                                      "a path to a profile, or a client id: aicto lab NEW-ID starts "
                                                      "a new client")])
    return found.resolve()


def tracked_example(profile: Path) -> bool:
    """An example profile that git tracks (parameters/examples/): a save changes the repository, not a client."""
    profile = profile.resolve()
    if profile.parent.name != "examples":
        return False
    try:
        return subprocess.run(["git", "ls-files", "--error-unmatch", profile.name], cwd=profile.parent,
                              capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):  # no git: nothing is tracked
        return False


def profiles(parameters: Path) -> list[Path]:
    """Every client profile under `parameters` (the examples included), to open or to copy from."""
    return sorted(p for p in parameters.rglob("*.yaml") if not any(part.startswith(".") for part in p.parts))


def shown_path(profile: Path) -> str:
    """The profile as a notebook names it: relative to the project when inside it (it resolves from there)."""
    profile = profile.resolve()
    return str(profile.relative_to(ROOT)) if profile.is_relative_to(ROOT) else str(profile)


def _sources_digest(nb: nbformat.NotebookNode) -> str:
    """The cells as the consultant could edit them, the parameters cell left out."""
    cells = [(c.cell_type, c.source) for c in nb.cells if PARAMETERS_TAG not in c.metadata.get("tags", [])]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def _parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", []))


@dataclass(frozen=True)
class WorkingNotebook:
    path: Path
    action: str  # "created", "updated" (new template or profile path), "kept"


def _working_copy(template: Path, target: Path, profile: str) -> WorkingNotebook:
    fresh = nbformat.read(template, as_version=4)
    digest = _sources_digest(fresh)
    fresh.metadata["aicto"] = {"template": digest}
    parameters = f"{PARAMETERS_NOTE}\nprofile_path = {profile!r}"
    nb, action = fresh, "created"
    if target.exists():
        existing = nbformat.read(target, as_version=4)
        made_from = existing.metadata.get("aicto", {}).get("template")
        keep = made_from == digest or _sources_digest(existing) != made_from  # same template, or edited here
        if keep and _parameters_cell(existing).source == parameters:
            return WorkingNotebook(target, "kept")
        nb, action = (existing if keep else fresh), "updated"
    _parameters_cell(nb).source = parameters
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return WorkingNotebook(target, action)


def working_notebooks(path: Path, profile: Profile, lab: Path) -> list[WorkingNotebook]:
    """The client's working copy of each deliverable's notebook that applies to it (as `aicto run` decides: the
    proposal alone before the audit, progress once there is a baseline), in `lab/<client-id>/`."""
    from aicto.present.deliverables import REGISTRY, applicable

    return [_working_copy(REGISTRY[key].path(), lab / profile.client.id / REGISTRY[key].notebook, shown_path(path))
            for key in applicable(profile)]


def notebook_link(current: Path | None, target: Path, lab: Path | None) -> str | None:
    """A link from the notebook `current` to `target` as JupyterLab opens it (relative, so any base URL works), or
    None when either is outside the Lab's root `lab` (unknown: None)."""
    if current is None or lab is None:
        return None
    root, here, there = (Path(os.path.abspath(p)) for p in (lab, current, target))  # a symlinked folder stays
    if not (here.is_relative_to(root) and there.is_relative_to(root)):
        return None
    return Path(os.path.relpath(there, here.parent)).as_posix()


def lab_command(lab: Path, client_id: str, extra: Sequence[str] = ()) -> tuple[list[str], dict[str, str]]:
    """JupyterLab on the working notebooks, opened on the client's folder, with the project's Jupyter config and the
    environment's kernel and widgets first (root, as in containers, needs --allow-root)."""
    # the form saves the notebook with its outputs up to date through JupyterLab's application; given twice on the
    # command line, traitlets leaves the option off, so a consultant's own setting is left alone
    expose = [] if any("expose_app_in_browser" in arg for arg in extra) else ["--LabApp.expose_app_in_browser=True"]
    argv = [str(Path(sys.executable).with_name("jupyter")), "lab", f"--ServerApp.root_dir={lab}",
            f"--LabApp.default_url=/lab/tree/{client_id}", *expose,
            *(["--allow-root"] if os.geteuid() == 0 else []), *extra]
    paths = [str(JUPYTER_CONFIG), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])]
    return argv, {**os.environ, LAB_ENV: str(lab), "JUPYTER_PREFER_ENV_PATH": "1",
                  "JUPYTER_CONFIG_PATH": os.pathsep.join(paths)}
