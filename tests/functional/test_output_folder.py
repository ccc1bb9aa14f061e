"""An output folder that cannot take the reports, as a consultant meets it: read-only, or full mid-run. One line on
stderr, a non-zero exit, nothing partial, and the last good reports untouched."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from aicto.run.publish import VERSIONS
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow
AICTO = [sys.executable, "-m", "aicto.cli"]
HINT = "(a writable folder with free space; --out names another)"
FILE_LIMIT = 1_000_000  # bytes; every HTML report embeds plotly.js (~5 MB), so the first report cannot be written
YAML_ = YAML(typ="safe", pure=True)


def _small_files_only() -> None:
    """In the child: files stop growing at FILE_LIMIT with EFBIG (a quota, or a disk that fills up mid-run)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the default action kills; ignored, the write fails instead


def aicto(*args, prefix=(), limit_files=False):
    return subprocess.run([*prefix, *AICTO, *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=_small_files_only if limit_files else None, timeout=600)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read_only(folder: Path) -> list[str]:
    """A command prefix under which `folder` is read-only: its permissions for a normal user; for root, whom
    permissions do not stop, a read-only bind mount in a private mount namespace."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "true"]).returncode != 0:
        pytest.skip("root without unshare -m (CAP_SYS_ADMIN): cannot make a folder read-only for root")
    remount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", remount, str(folder)]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    """A client with good reports published, and its profile edited since (so the next run does not skip it)."""
    folder = tmp_path_factory.mktemp("client")
    profile, out = folder / "acme.yaml", folder / "reports"
    data = YAML_.load(EXAMPLES[0].read_text())
    data["client"]["id"] = "acme"
    with profile.open("w") as fh:
        YAML_.dump(data, fh)
    assert aicto("run", profile, "--out", out).returncode == 0
    data["team"]["engineers"] += 1
    with profile.open("w") as fh:
        YAML_.dump(data, fh)
    return profile, out, snapshot(out / "acme")


def test_full_disk_midway_fails_in_one_line_and_keeps_the_last_good_reports(published):
    profile, out, before = published
    result = aicto("run", profile, "--out", out, limit_files=True)
    assert result.returncode == 1
    assert result.stderr == f"{out}: (folder): cannot write: File too large {HINT}\n"
    assert snapshot(out / "acme") == before
    assert list((out / VERSIONS).iterdir()) == [(out / "acme").resolve()]  # nothing partial


@pytest.mark.parametrize("command", ["run", "batch"])
def test_read_only_folder_is_refused_before_anything_runs(published, command):
    profile, out, before = published
    result = aicto(command, profile, "--out", out, prefix=read_only(out))
    out.chmod(0o755)
    assert result.returncode == 2
    reason = "Read-only file system" if os.geteuid() == 0 else "Permission denied"
    assert result.stderr == f"{out}: (folder): cannot write: {reason} {HINT}\n"
    assert snapshot(out / "acme") == before


def test_batch_on_a_full_disk_reports_each_client_failed_and_writes_nothing_partial(published, tmp_path):
    profile, _, _ = published
    out = tmp_path / "reports"
    result = aicto("batch", "--no-progress", profile, "--out", out, limit_files=True)
    assert result.returncode == 1, result.stderr
    assert f"{profile}: {out}: (folder): cannot write: File too large {HINT}" in result.stderr
    assert "Traceback" not in result.stderr
    assert list((out / VERSIONS).iterdir()) == [] and not (out / "acme").exists()
    assert (out / "portfolio.csv").read_text().splitlines()[1].startswith("acme,acme,failed,")
