"""`aicto batch`: every client of a portfolio, each in a worker process, one client's failure isolated from the rest.

A task is one client (all its notebooks, then one atomic publish), so a client's reports never mix two runs. Local
worker processes keep a warm kernel and a warm exporter between clients (see kernels.py); the same task runs on a
Dask cluster when one is named. Workers report each finished notebook on a queue for the progress bar.

A batch keeps its temporary files in one folder of its own in the temporary folder (TMPDIR), named
`aicto-batch-<pid>`: its kernels' connection files (each holds its kernel's signing key) and multiprocessing's
sockets. The batch holds an flock on the folder's `lock` file while it lives. A batch killed with its whole process
group cannot remove that folder (its workers, which remove it when only the batch is killed, die with it), so a
batch that starts removes the `aicto-batch-*` folders whose process is gone and whose lock is free, and the
`aicto-kernels-*` folders of earlier versions whose kernels' processes are all gone: its own prefixes only, never a
live batch's files, never multiprocessing's `pymp-*` folders of other programs.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import multiprocessing.util
import os
import queue
import re
import select
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aicto.profile.problems import InputError, Problem

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

    from aicto.run.options import Options

PROFILE_SUFFIXES = (".yaml", ".yml")
WORKER_DIED = "the worker process running this client died"
OWN_PREFIX = "aicto-batch-"  # this batch's folder in TMPDIR: aicto-batch-<pid>
# multiprocessing's sockets (listener-XXXXXXXX) live in the folder: a Unix socket's path holds at most 107 bytes
SOCKET_PATH_MAX, SOCKET_NAME = 107, "/listener-XXXXXXXX"
LEGACY_PREFIX = "aicto-kernels-"  # earlier versions' kernel files: aicto-kernels-<random>/kernel-<worker pid>-<n>.json
LOCK = "lock"
_progress: Queue | None = None  # set in each local worker by _init_worker
_own: tuple[Path, Any] | None = None  # this process's batch folder, and the open lock file that says it is alive


@dataclass(frozen=True)
class Outcome:
    """What happened to one profile; small and picklable, it travels back from the worker."""

    profile: str
    client_id: str | None
    status: str  # ok | skipped | failed | invalid
    seconds: float
    folder: str | None = None
    error: str = ""

    @property
    def first_error_line(self) -> str:
        return self.error.splitlines()[0] if self.error else ""


def find_profiles(paths: Sequence[Path]) -> list[Path]:
    """Profiles named directly, and every *.yaml under a named folder (recursively), in a stable order. A broken
    symbolic link is kept, so that validation reports it instead of the batch skipping a client without a word."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*")
                            if p.suffix in PROFILE_SUFFIXES and (not p.is_dir() or _broken_link(p)))
            # ^ a FIFO, socket or device named *.yaml is kept too: validation refuses it by name, where skipping it
            # would leave a client out without a word
            if not inside:
                raise InputError(str(path), [Problem("(folder)", "no profile found", "*.yaml files below it")])
            found += inside
        elif path.exists() or _broken_link(path):
            found.append(path)
        else:
            raise InputError(str(path), [Problem("(file)", "not found", "a YAML profile or a folder of them")])
    return list(dict.fromkeys(p.absolute() if _broken_link(p) else p.resolve() for p in found))


def _broken_link(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _lock_free(path: Path) -> bool:
    """Whether no process holds an flock on `path` (a missing file holds none)."""
    try:
        with path.open("rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(handle, fcntl.LOCK_UN)
    except FileNotFoundError:
        return True
    return True


def _mine(path: Path) -> bool:
    """A real folder (not a link) of this user's."""
    try:
        st = path.lstat()
    except OSError:
        return False
    return path.is_dir() and not path.is_symlink() and st.st_uid == os.getuid()


def remove_leftovers(temp: Path) -> list[Path]:
    """Remove from `temp` what batches killed with their process group left there, and return it: `aicto-batch-<pid>-*`
    folders whose process is gone and whose lock no one holds, and earlier versions' `aicto-kernels-*` folders whose
    kernel files all name workers that are gone. A live batch's folder, and anything of another prefix, stay."""
    removed = []
    for folder in sorted(temp.glob(f"{OWN_PREFIX}*")):
        found = re.fullmatch(rf"{re.escape(OWN_PREFIX)}(\d+)(?:-.+)?", folder.name)
        if not found or not _mine(folder):
            continue
        pid = int(found.group(1))
        if pid == os.getpid() or _pid_alive(pid) or not _lock_free(folder / LOCK):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    for folder in sorted(temp.glob(f"{LEGACY_PREFIX}*")):
        if not _mine(folder):
            continue
        pids = [re.fullmatch(r"kernel-(\d+)-\d+\.json", f.name) for f in folder.iterdir()]
        if pids and all(pids) and not any(_pid_alive(int(p.group(1))) for p in pids if p):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _make_own_folder() -> Path:
    """TMPDIR/aicto-batch-<pid>, private to this user; a folder of that name is a dead process's (this pid is this
    process) and is replaced, unless it is not this user's own folder: then a name with a random suffix."""
    folder = Path(tempfile.gettempdir()) / f"{OWN_PREFIX}{os.getpid()}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        if not _mine(folder):
            return Path(tempfile.mkdtemp(prefix=f"{folder.name}-"))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(mode=0o700)
    return folder


def batch_folder() -> Path:
    """This process's batch folder, made on first use and removed when the process exits: multiprocessing's temporary
    folder (the fork server's socket) unless the process already has one or the socket's path would be too long, and
    the kernels' connection files in a `kernels-*` folder in it. Its `lock` is held until the process ends, however it
    ends."""
    global _own
    if _own is None:
        folder = _make_own_folder()
        lock = (folder / LOCK).open("w")
        fcntl.flock(lock, fcntl.LOCK_EX)
        config = multiprocessing.current_process()._config  # what multiprocessing.util.get_temp_dir reads
        if config.get("tempdir") is None and len(str(folder)) + len(SOCKET_NAME) <= SOCKET_PATH_MAX:
            config["tempdir"] = str(folder)
        multiprocessing.util.Finalize(None, shutil.rmtree, args=(str(folder), True), exitpriority=-100)
        _own = folder, lock
    return _own[0]


def run_one(profile: str, out_root: str, options: Options) -> Outcome:
    """The task a worker runs: one client, every failure turned into an Outcome instead of an exception."""
    from aicto.run.publish import OutputError
    from aicto.run.runner import NotebookFailed, run_client

    started = time.monotonic()

    def outcome(status: str, client_id: str | None, folder: str | None = None, error: str = "") -> Outcome:
        return Outcome(profile, client_id, status, time.monotonic() - started, folder, error)

    try:
        run = run_client(profile, out_root, options=options, progress=_report_progress(profile))
    except InputError as exc:
        return outcome("invalid", None, error=exc.render())
    except NotebookFailed as exc:
        return outcome("failed", exc.client_id, error=str(exc))
    except OutputError as exc:
        return outcome("failed", None, error=f"{profile}: {exc}")
    except Exception as exc:  # anything else in one client must not stop the batch
        return outcome("failed", None, error=f"{profile}: {type(exc).__name__}: {exc}")
    return outcome("skipped" if run.skipped else "ok", run.client_id, str(run.folder))


def _report_progress(profile: str) -> Callable[[str], None] | None:
    if _progress is None:
        return None
    return lambda key: _progress.put(profile)


def _init_worker(progress: Queue, batch_pid: int, batch_temp: str, kernel_files: str) -> None:
    """Give a local worker the progress queue and the folder for its kernel's connection file, and make it end with
    the batch; its kernel starts with its first notebook, not before (a batch of unchanged clients needs none)."""
    global _progress
    from aicto.run.kernels import POOL

    _progress = progress
    POOL.connection_dir = Path(kernel_files)
    threading.Thread(target=_exit_with_batch, args=(batch_pid, (kernel_files, batch_temp)),
                     name="aicto-exit-with-batch", daemon=True).start()


def _exit_with_batch(batch_pid: int, folders: tuple[str, ...]) -> None:
    """Wait for the batch's main process to end, however it ends, then stop this worker and its kernel at once.

    A worker is a child of multiprocessing's fork server, not of the batch, so nothing else stops it when the batch
    is killed: it would run on for good, holding a kernel and its client's lock. A process file descriptor becomes
    readable when that process ends (no polling, no pid reuse). The batch's folder (the fork server's socket, the
    kernels' connection files) is removed here too, as a killed batch cannot; when the whole process group is
    killed, the next batch removes it (remove_leftovers)."""
    from aicto.run.kernels import POOL

    pidfd = os.pidfd_open(batch_pid)
    select.select([pidfd], [], [])
    POOL.kill()
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(1)


@contextmanager
def _executor(workers: int, dask: str | None, progress: Queue) -> Iterator[Executor]:
    if dask:
        from distributed import Client

        with Client(dask) as client:
            yield client.get_executor(pure=False)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["aicto.run.runner"])
    # Kernel connection files go to a folder of this batch's own, removed when the pool ends: a worker that died (and
    # so never shut its kernel down) leaves its file there, not in the machine's temporary folder.
    own = batch_folder()
    with tempfile.TemporaryDirectory(prefix="kernels-", dir=own) as kernel_files, ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker,
            initargs=(progress, os.getpid(), str(own), kernel_files)) as pool:
        yield pool


def validate(profiles: Sequence[Path]) -> tuple[dict[str, str], list[Outcome]]:
    """Client id by profile for those worth sending to a worker, and an Outcome for each invalid or duplicate one
    (cheap, done first); a profile whose reading raised anything else fails alone."""
    from aicto.model.validation import load_client
    from aicto.profile.playbook import load_playbook
    playbook = load_playbook()
    good: dict[str, str] = {}
    bad: list[Outcome] = []
    seen: dict[str, Path] = {}
    for path in profiles:
        try:
            client_id = load_client(path, playbook).client.id
        except InputError as exc:
            bad.append(Outcome(str(path), None, "invalid", 0.0, error=exc.render()))
            continue
        except Exception as exc:  # a bug in reading one profile must not stop the others: that client fails
            bad.append(Outcome(str(path), None, "failed", 0.0, error=f"{path}: {type(exc).__name__}: {exc}"))
            continue
        if client_id in seen:
            bad.append(Outcome(str(path), client_id, "invalid", 0.0,
                               error=f"{path}: client.id: {client_id!r} is also the id in {seen[client_id]} "
                                     "(one profile per client)"))
            continue
        seen[client_id] = path
        good[str(path)] = client_id
    return good, bad


def run_batch(profiles: Sequence[Path], out_root: Path, options: Options, workers: int | None = None,
              dask: str | None = None, show_progress: bool = True) -> list[Outcome]:
    """Run every profile, at most `workers` clients at a time; one Outcome per profile, in the given order."""
    from tqdm import tqdm

    from aicto.present.deliverables import REGISTRY

    out_root.mkdir(parents=True, exist_ok=True)
    if dask is None:
        left = remove_leftovers(Path(tempfile.gettempdir()))
        if left:
            print(f"removed {len(left)} folder{'s' * (len(left) > 1)} that killed batches left in "
                  f"{tempfile.gettempdir()}: {', '.join(p.name for p in left)}", file=sys.stderr)
    good, outcomes = validate(profiles)
    per_client = len(REGISTRY)
    with tqdm(total=len(profiles) * per_client, unit="notebook", disable=not show_progress, leave=False) as bar:
        ticks = _Ticks(bar, per_client)
        bar.update(len(outcomes) * per_client)
        done = _run_all([Path(p) for p in good], out_root, options, workers or os.cpu_count() or 1, dask, ticks)
        crashed = [o for o in done if WORKER_DIED in o.error]
        if crashed and len(good) > 1:
            # A dead worker process takes its whole pool down: retry each affected client alone, so that only
            # the client that kills its worker fails.
            done = [o for o in done if o not in crashed]
            for o in crashed:
                done += _run_all([Path(o.profile)], out_root, options, 1, dask, ticks)
        outcomes += [o if o.client_id else replace(o, client_id=good[o.profile]) for o in done]
    order = {str(p): i for i, p in enumerate(profiles)}
    return sorted(outcomes, key=lambda o: order.get(o.profile, 0))


@dataclass
class _Ticks:
    """Notebooks done per profile, so the bar ticks once per notebook whether the worker reported it or not."""

    bar: Any
    per_client: int
    done: dict[str, int] = field(default_factory=dict)

    def tick(self, profile: str, count: int = 1) -> None:
        count = min(count, self.per_client - self.done.get(profile, 0))
        self.done[profile] = self.done.get(profile, 0) + count
        self.bar.update(count)

    def drain(self, progress: Queue) -> None:
        while True:
            try:
                self.tick(progress.get_nowait())
            except queue.Empty:
                return

    def finish(self, profile: str) -> None:
        self.tick(profile, self.per_client)


def _run_all(profiles: Sequence[Path], out_root: Path, options: Options, workers: int, dask: str | None,
             ticks: _Ticks) -> list[Outcome]:
    progress = multiprocessing.get_context("forkserver").Queue()
    outcomes = []
    with _executor(workers, dask, progress) as executor:
        futures: dict[Future, Path] = {executor.submit(run_one, str(p), str(out_root), options): p for p in profiles}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2)
            ticks.drain(progress)
            for future in done:
                outcomes.append(_result(future, futures[future]))
                ticks.finish(str(futures[future]))
    return outcomes


def _result(future: Future, profile: Path) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return Outcome(str(profile), None, "failed", 0.0, error=f"{profile}: {WORKER_DIED} ({exc})")
    except Exception as exc:  # the cluster lost the task
        return Outcome(str(profile), None, "failed", 0.0, error=f"{profile}: {type(exc).__name__}: {exc}")
