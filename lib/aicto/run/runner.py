"""Run one client's notebooks, export board-ready HTML, the board pack and summary.json, then publish them.

Everything is written into a new version folder and published in one atomic swap (see publish.py) only when every
notebook succeeded, so a failed or killed run never leaves a half-written report behind and the last good reports
stay in place. Notebooks run in this process's warm kernel (see kernels.py).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from aicto.model.checks import consultant_checks
from aicto.model.engagement import build_engagement
from aicto.model.validation import load_client
from aicto.present.deliverables import PROFILE_PARAMETER, REGISTRY, Deliverable, applicable, notebooks_dir
from aicto.present.pack import build_pack
from aicto.present.report import ReportHeader, export_html
from aicto.present.summary import client_section, engagement_section
from aicto.profile.playbook import Playbook, load_playbook
from aicto.profile.schema import Profile, resolve_profile_path
from aicto.run import publish
from aicto.run.fingerprint import FILE as FINGERPRINT_FILE
from aicto.run.fingerprint import fingerprint, is_current
from aicto.run.kernels import KERNEL, POOL, NotebookError, notebook_imports
from aicto.run.options import Options
from aicto.run.parameters import checked_parameters

DEFAULTS = Options()
PARAMETERS_SET_BELOW = "# Parameters: this client's values are in the injected-parameters cell below."
for _noisy in ("papermill", "traitlets", "nbclient"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)


class NotebookFailed(Exception):
    """A notebook raised while running; names the client, the notebook and the cell."""

    def __init__(self, client_id: str, deliverable: str, cell: int | None, error: str, kept: Path | None):
        self.client_id, self.deliverable, self.cell, self.error, self.kept = client_id, deliverable, cell, error, kept
        where = f"at cell {cell}" if cell is not None else "before its first cell"
        keep = f"; executed notebook kept at {kept}" if kept else ""
        super().__init__(f"{client_id}: {deliverable} notebook failed {where}: {error}{keep}")


@dataclass
class ClientRun:
    client_id: str
    folder: Path
    reports: dict[str, Path] = field(default_factory=dict)
    summary: Path | None = None
    pack: Path | None = None
    skipped: bool = False  # inputs unchanged since the last good run: nothing was re-run


def execute(deliverable: Deliverable, profile_path: Path, output: Path,
            timeout: float | None = None) -> nbformat.NotebookNode:
    """Run the deliverable's notebook for one profile in the warm kernel; write it to `output` even on failure."""
    parameters = checked_parameters({PROFILE_PARAMETER: str(profile_path)}, str(profile_path))
    nb = parameterize_notebook(load_notebook_node(str(deliverable.path())), parameters, kernel_name=KERNEL)
    for cell in nb.cells:  # the template's defaults name an example client: the client's notebook must not
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = PARAMETERS_SET_BELOW
    imports = notebook_imports(tuple(d.path() for d in REGISTRY.values()))
    try:
        POOL.run(nb, notebooks_dir(), imports, timeout)
    finally:
        nbformat.write(nb, output)
    return nb


def build_summary(profile: Profile, playbook: Playbook, keys: list[str]) -> dict:
    engagement = build_engagement(profile, playbook)
    summary = {"client": client_section(profile), "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
               "engagement": engagement_section(engagement),
               "checks": [c.as_dict() for c in consultant_checks(engagement, playbook.checks, playbook.brand.locale)]}
    for key in keys:
        summary[key] = REGISTRY[key].summarize(profile, playbook)
    return summary


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run_client(profile_path: str | Path, out_root: str | Path, only: list[str] | None = None,
               playbook: Playbook | None = None, options: Options = DEFAULTS,
               progress: Callable[[str], None] | None = None) -> ClientRun:
    """Validate, execute, export, then publish; raises InputError, NotebookFailed or publish.OutputError (the output
    folder is read-only or full) and publishes nothing then.

    `progress` is called with each deliverable key as its notebook is done (or skipped)."""
    playbook = playbook or load_playbook()
    profile = load_client(profile_path, playbook)  # its problems name the file as the user wrote it
    profile_path = resolve_profile_path(profile_path).resolve()
    applies = applicable(profile)
    keys = [k for k in only or REGISTRY if k in applies]
    for key in [k for k in only or REGISTRY if k not in applies]:
        _tick(progress, key)  # nothing to run for this client
    out_root = Path(out_root).resolve()
    client_id = profile.client.id
    with publish.writing(out_root), publish.locked(out_root, client_id):  # the lock creates out_root
        publish.remove_unpublished(out_root, client_id)
        current = publish.published(out_root, client_id)
        stamp = fingerprint(profile_path, playbook.root, [REGISTRY[k].path() for k in REGISTRY])
        if not options.force and only is None and is_current(current, stamp):
            for key in keys:
                _tick(progress, key)
            return _client_run(out_root / client_id, keys, skipped=True)
        version = publish.new_version(out_root, client_id)
        try:
            _build(out_root, version, profile_path, profile, playbook, keys, applies, options, progress)
            if only is None:
                (version / FINGERPRINT_FILE).write_text(stamp + "\n")
            return _client_run(publish.swap(out_root, client_id, version), keys)
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)
            raise


def _build(out_root: Path, version: Path, profile_path: Path, profile: Profile, playbook: Playbook,
           keys: list[str], applies: list[str], options: Options, progress: Callable[[str], None] | None) -> None:
    """Write every file of a new version: reports for `keys`, any other report that applies to the client kept
    from the current version."""
    summary = build_summary(profile, playbook, keys)
    current = publish.published(out_root, profile.client.id)
    if current is not None and len(keys) < len(applies):  # `--only`: start from the current reports
        gone = [name for d in REGISTRY.values() if d.key not in applies for name in (f"{d.key}.html", d.notebook)]
        stale = shutil.ignore_patterns(FINGERPRINT_FILE, publish.PACK_PDF, *gone)  # not true of the new version
        shutil.copytree(current, version, dirs_exist_ok=True, ignore=stale)
        previous = json.loads((current / "summary.json").read_text())
        summary.update({k: previous[k] for k in applies if k not in keys and k in previous})
    executed = version / "executed"
    executed.mkdir(exist_ok=True)
    notebooks: dict[str, nbformat.NotebookNode] = {}
    for key in keys:
        deliverable = REGISTRY[key]
        output = executed / deliverable.notebook
        try:
            nb = notebooks[key] = execute(deliverable, profile_path, output, options.timeout)
        except NotebookError as exc:
            raise NotebookFailed(profile.client.id, key, exc.cell, exc.error,
                                 _keep_failed(output, out_root, profile.client.id)) from None
        header = ReportHeader.for_profile(deliverable.title, profile, playbook)
        (version / f"{key}.html").write_text(export_html(nb, header, playbook), encoding="utf-8")
        deliverable.write_exports(version, profile, playbook)
        _tick(progress, key)
    _write_json(version / "summary.json", summary)
    # the pack takes this run's notebooks from memory; with `--only`, the others from the current version
    parts = [(d, notebooks.get(d.key) or nbformat.read(executed / d.notebook, as_version=4))
             for d in REGISTRY.values() if d.in_pack and (d.key in notebooks or (executed / d.notebook).exists())]
    if not parts:  # before the audit: the proposal alone, and no board pack yet
        return
    pack = version / publish.PACK_FILE
    pack.write_text(build_pack(parts, summary, profile, playbook), encoding="utf-8")
    if options.pdf:
        from aicto.present.pdf import print_pdf

        print_pdf(pack, version / publish.PACK_PDF, profile.engagement.paper_size)


def _tick(progress: Callable[[str], None] | None, key: str) -> None:
    if progress is not None:
        progress(key)


def _keep_failed(executed: Path, out_root: Path, client_id: str) -> Path | None:
    if not executed.exists():
        return None
    target = publish.failed_folder(out_root, client_id) / executed.name
    shutil.copyfile(executed, target)
    return target


def _client_run(folder: Path, keys: list[str], skipped: bool = False) -> ClientRun:
    return ClientRun(folder.name, folder, reports={k: folder / f"{k}.html" for k in keys},
                     summary=folder / "summary.json", pack=folder / publish.PACK_FILE, skipped=skipped)
