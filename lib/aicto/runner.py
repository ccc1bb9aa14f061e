"""Run one client's notebooks with papermill, export board-ready HTML and write summary.json.

Files are written to a staging folder first and moved into place only when every notebook succeeded, so a
failed run never leaves a half-written report behind.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

from aicto.deliverables import PROFILE_PARAMETER, REGISTRY, Deliverable, notebooks_dir
from aicto.playbook import Playbook, load_playbook
from aicto.profile import Profile, load_profile, resolve_profile_path
from aicto.report import ReportHeader, export_html
from aicto.summary import client_section

KERNEL = "python3"
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]  # keeps the kernel's transport warning off the terminal
for _noisy in ("papermill", "traitlets", "nbclient"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)


class NotebookFailed(Exception):
    """A notebook raised while running; names the client, the notebook and the cell."""

    def __init__(self, client_id: str, deliverable: str, cell: int | None, error: str, kept: Path | None):
        self.client_id, self.deliverable, self.cell, self.error, self.kept = client_id, deliverable, cell, error, kept
        where = f"cell {cell}" if cell is not None else "while starting"
        keep = f"; executed notebook kept at {kept}" if kept else ""
        super().__init__(f"{client_id}: {deliverable} notebook failed at {where}: {error}{keep}")


@dataclass
class ClientRun:
    client_id: str
    folder: Path
    reports: dict[str, Path] = field(default_factory=dict)
    summary: Path | None = None


def execute(deliverable: Deliverable, profile_path: Path, output: Path) -> None:
    papermill.execute_notebook(
        str(deliverable.path()), str(output), parameters={PROFILE_PARAMETER: str(profile_path)},
        kernel_name=KERNEL, progress_bar=False, log_output=False, cwd=str(notebooks_dir()),
        request_save_on_cell_execute=False, extra_arguments=KERNEL_ARGS,
    )


def build_summary(profile: Profile, playbook: Playbook, keys: list[str]) -> dict:
    summary = {"client": client_section(profile), "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    for key in keys:
        summary[key] = REGISTRY[key].summarize(profile, playbook)
    return summary


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run_client(profile_path: str | Path, out_root: str | Path, only: list[str] | None = None,
               playbook: Playbook | None = None) -> ClientRun:
    """Validate, execute, export, then publish; raises InputError or NotebookFailed and writes nothing then."""
    playbook = playbook or load_playbook()
    profile_path = resolve_profile_path(profile_path).resolve()
    profile = load_profile(profile_path, playbook)
    keys = only or list(REGISTRY)
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    folder = out_root / profile.client.id
    staging = Path(tempfile.mkdtemp(prefix=f".{profile.client.id}.", dir=out_root))
    try:
        (staging / "executed").mkdir()
        for key in keys:
            deliverable = REGISTRY[key]
            executed = staging / "executed" / deliverable.notebook
            try:
                execute(deliverable, profile_path, executed)
            except PapermillExecutionError as exc:
                kept = _keep_failed(executed, folder)
                raise NotebookFailed(profile.client.id, key, exc.exec_count, f"{exc.ename}: {exc.evalue}",
                                     kept) from None
            except Exception as exc:  # a kernel that dies or times out
                kept = _keep_failed(executed, folder)
                raise NotebookFailed(profile.client.id, key, None, f"{type(exc).__name__}: {exc}", kept) from None
            nb = nbformat.read(executed, as_version=4)
            header = ReportHeader.for_profile(deliverable.title, profile, playbook)
            (staging / f"{key}.html").write_text(export_html(nb, header, playbook), encoding="utf-8")
            deliverable.write_exports(staging, profile, playbook)
        _write_json(staging / "summary.json", build_summary(profile, playbook, keys))
        return _publish(staging, folder, profile.client.id, keys)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _keep_failed(executed: Path, folder: Path) -> Path | None:
    if not executed.exists():
        return None
    failed = folder / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    target = failed / executed.name
    shutil.copyfile(executed, target)
    return target


def _publish(staging: Path, folder: Path, client_id: str, keys: list[str]) -> ClientRun:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "executed").mkdir(exist_ok=True)
    for item in sorted((staging / "executed").iterdir()):
        os.replace(item, folder / "executed" / item.name)
    run = ClientRun(client_id, folder)
    for key in keys:
        os.replace(staging / f"{key}.html", folder / f"{key}.html")
        run.reports[key] = folder / f"{key}.html"
    for item in sorted(staging.iterdir()):
        if item.is_file() and item.name != "summary.json":
            os.replace(item, folder / item.name)
    os.replace(staging / "summary.json", folder / "summary.json")
    run.summary = folder / "summary.json"
    shutil.rmtree(folder / "failed", ignore_errors=True)
    return run
