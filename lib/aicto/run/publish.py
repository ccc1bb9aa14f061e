"""Atomic publishing of a client's reports, and the locks that keep concurrent batches apart.

`reports/<id>` is a symlink to a complete version folder under `reports/.versions/`. A run writes a new version
folder, then swaps the link with os.replace: readers see the old reports or the new ones, never a mix, and a run
that fails or is killed leaves the last good version in place. A per-client lock (fcntl.flock, released by the
kernel when a process dies, so a dead holder never blocks anyone) serialises two batches working on the same client;
the lock file names its holder while held, so a waiting run can say whom it waits for and the next holder knows
when the previous one died mid-run. Under the lock no other run writes a version of that client, so any version
folder that is not published is debris of a killed run and is removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

VERSIONS = ".versions"
LOCKS = ".locks"
FAILED = "_failed"  # client ids are slugs, so neither name can clash with a client folder
PACK_FILE = "board-pack.html"
PACK_PDF = "board-pack.pdf"


# A full, read-only or forbidden output folder, or one that is a file: what the user fixes by freeing space or naming
# another --out. Anything else (a missing file, a bug) stays the error it is.
CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EEXIST,
                errno.ENOTDIR}


class OutputError(Exception):
    """The output folder cannot take the reports (read-only, full, not a folder): the user's to fix, not a bug."""

    def __init__(self, folder: Path, exc: OSError):
        self.folder = folder
        super().__init__(f"{folder}: (folder): cannot write: {exc.strerror or exc} "
                         "(a writable folder with free space; --out names another)")


@contextlib.contextmanager
def writing(out_root: Path) -> Iterator[None]:
    """Turn a failed write into `out_root` into OutputError, so the user reads one line instead of a traceback."""
    try:
        yield
    except OSError as exc:
        # a write to an open file names no path; a failure elsewhere (the kernel's own files) is not the folder's
        ours = exc.filename is None or Path(os.path.abspath(exc.filename)).is_relative_to(out_root.absolute())
        if exc.errno in CANNOT_WRITE and ours:
            raise OutputError(out_root, exc) from None
        raise


def check_writable(out_root: Path) -> None:
    """Create `out_root` if needed and write a file into it: a read-only or unusable folder is refused before any
    client runs."""
    with writing(out_root):
        out_root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_root) as probe:
            probe.write(b"aicto")
            probe.flush()
            os.fsync(probe.fileno())


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    return handle.read().strip()


@contextlib.contextmanager
def locked(out_root: Path, name: str) -> Iterator[None]:
    """Hold an exclusive lock named `name` in `out_root` (a client id, or `.portfolio` for the shared pages).

    Waiting for another holder is said on stderr, naming it; so is taking over from a holder that died holding it."""
    folder = out_root / LOCKS
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{name}.lock").open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _say(f"{out_root}: {name}: waiting for the lock held by {_holder(handle) or 'another run'}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        if previous := _holder(handle):
            _say(f"{out_root}: {name}: taking over the lock of {previous}, which ended without releasing it")
        handle.truncate(0)
        handle.write(f"process {os.getpid()} on {socket.gethostname()}, since {dt.datetime.now():%Y-%m-%d %H:%M:%S}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            handle.flush()
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
    remove_unpublished(out_root, client_id)
    shutil.rmtree(out_root / FAILED / client_id, ignore_errors=True)
    return link


def remove_unpublished(out_root: Path, client_id: str) -> None:
    """Remove the client's version folders (and link temporaries) other than the published one: older versions, and
    the partial ones of killed runs. Hold the client's lock: every run writing a version holds it."""
    folder = out_root / VERSIONS
    current = (out_root / client_id).resolve()
    for old in folder.glob(f"{client_id}.*"):
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)
    for temp in folder.glob(f".link-{client_id}.*"):
        temp.unlink(missing_ok=True)


def failed_folder(out_root: Path, client_id: str) -> Path:
    """Where a failed run keeps its executed notebooks for diagnosis, outside the published reports."""
    folder = out_root / FAILED / client_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


