"""Atomic publishing of a client's reports, and the locks that keep concurrent batches apart.

`reports/<id>` is a symlink to a complete version folder under `reports/.versions/`. A run writes a new version
folder, then swaps the link with os.replace: readers see the old reports or the new ones, never a mix, and a run
that fails or is killed leaves the last good version in place. A per-client lock (fcntl.flock, released by the
kernel when a process dies) serialises two batches working on the same client.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

VERSIONS = ".versions"
LOCKS = ".locks"
FAILED = "_failed"  # client ids are slugs, so neither name can clash with a client folder
PACK_FILE = "board-pack.html"
PACK_PDF = "board-pack.pdf"


@contextlib.contextmanager
def locked(out_root: Path, name: str) -> Iterator[None]:
    """Hold an exclusive lock named `name` in `out_root` (a client id, or `portfolio` for the shared pages)."""
    folder = out_root / LOCKS
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{name}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def published(out_root: Path, client_id: str) -> Path | None:
    """The client's current report folder, or None before its first good run."""
    folder = out_root / client_id
    return folder if folder.is_dir() else None


def new_version(out_root: Path, client_id: str) -> Path:
    folder = out_root / VERSIONS
    folder.mkdir(parents=True, exist_ok=True)
    version = Path(tempfile.mkdtemp(prefix=f"{client_id}.", dir=folder))
    version.chmod(0o755)  # mkdtemp makes it private; reports are shared like any other output folder
    return version


def swap(out_root: Path, client_id: str, version: Path) -> Path:
    """Point `out_root/<id>` at `version` in one rename, then drop the client's older versions. Hold its lock."""
    link = out_root / client_id
    temp = out_root / VERSIONS / f".link-{version.name}"
    temp.unlink(missing_ok=True)
    temp.symlink_to(version.relative_to(out_root))
    if link.is_dir() and not link.is_symlink():  # a folder written before versions existed
        os.rename(link, out_root / VERSIONS / f"{client_id}.legacy")
    os.replace(temp, link)
    for old in (out_root / VERSIONS).glob(f"{client_id}.*"):
        if old != version:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(out_root / FAILED / client_id, ignore_errors=True)
    return link


def failed_folder(out_root: Path, client_id: str) -> Path:
    """Where a failed run keeps its executed notebooks for diagnosis, outside the published reports."""
    folder = out_root / FAILED / client_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_atomic(path: Path, text: str, check: Callable[[Path], None] | None = None,
                 backup: Path | None = None) -> None:
    """Write via a temporary file in the same folder and one rename, so a reader never sees half a file.

    `check` may reject the written temporary file (by raising): then nothing is replaced. `backup` receives a copy
    of the previous version, if there was one."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if check is not None:
            check(tmp)
        if path.exists():
            shutil.copymode(path, tmp)
            if backup is not None:
                shutil.copy2(path, backup)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
