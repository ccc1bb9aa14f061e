"""`aicto batch`: every client of a portfolio, each in a worker process, one client's failure isolated from the rest.

A task is one client (all its notebooks, then one atomic publish), so a client's reports never mix two runs. Local
worker processes keep a warm kernel and a warm exporter between clients (see kernels.py); the same task runs on a
Dask cluster when one is named. Workers report each finished notebook on a queue for the progress bar.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import queue
import select
import shutil
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
_progress: Queue | None = None  # set in each local worker by _init_worker


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
                            if p.suffix in PROFILE_SUFFIXES and (p.is_file() or _broken_link(p)))
            if not inside:
                raise InputError(str(path), [Problem("(folder)", "no profile found", "*.yaml files below it")])
            found += inside
        elif path.is_file() or _broken_link(path):
            found.append(path)
        else:
            raise InputError(str(path), [Problem("(file)", "not found", "a YAML profile or a folder of them")])
    return list(dict.fromkeys(p.absolute() if _broken_link(p) else p.resolve() for p in found))


def _broken_link(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


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
    threading.Thread(target=_exit_with_batch, args=(batch_pid, (batch_temp, kernel_files)),
                     name="aicto-exit-with-batch", daemon=True).start()


def _exit_with_batch(batch_pid: int, folders: tuple[str, ...]) -> None:
    """Wait for the batch's main process to end, however it ends, then stop this worker and its kernel at once.

    A worker is a child of multiprocessing's fork server, not of the batch, so nothing else stops it when the batch
    is killed: it would run on for good, holding a kernel and its client's lock. A process file descriptor becomes
    readable when that process ends (no polling, no pid reuse). The batch's temporary folders (the fork server's
    socket, the kernels' connection files) are removed here too, as a killed batch cannot."""
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
    # Kernel connection files go to a folder of this batch, removed when it ends: a worker that died (and so never
    # shut its kernel down) leaves its file there, not in the machine's temporary folder.
    with tempfile.TemporaryDirectory(prefix="aicto-kernels-") as kernel_files, ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker,
            initargs=(progress, os.getpid(), multiprocessing.util.get_temp_dir(), kernel_files)) as pool:
        yield pool


def validate(profiles: Sequence[Path]) -> tuple[dict[str, str], list[Outcome]]:
    """Client id by profile for those worth sending to a worker, and an Outcome for each invalid or duplicate one
    (cheap, done first)."""
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
