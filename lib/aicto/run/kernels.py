"""Warm kernels: one long-lived Jupyter kernel per worker thread, reused from notebook to notebook.

Starting a kernel and importing pandas/plotly/aicto costs more than running a report notebook, so a worker starts
its kernel once, imports the notebooks' libraries once, and clears the user namespace before every notebook so no
client's data reaches the next one. A kernel that failed, died or timed out is thrown away and the next notebook
gets a fresh one.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import logging
import multiprocessing.util
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KERNEL = "python3"
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]  # keeps the kernel's transport warning off the terminal
START_TIMEOUT = 60
# A dead kernel leaves nbclient's liveness poll to fail once more after the notebook is given up: noise, not news.
logging.getLogger("asyncio").setLevel(logging.CRITICAL)
RESET = "get_ipython().run_line_magic('reset', '-f')\nimport os\nos.chdir({cwd!r})"


class NotebookError(Exception):
    """A notebook did not finish: `cell` is the failing code cell's execution count (None when no cell ran)."""

    def __init__(self, cell: int | None, error: str):
        self.cell, self.error = cell, error
        super().__init__(error)


@functools.cache
def notebook_imports(paths: tuple[Path, ...]) -> str:
    """The top-level import statements of the notebooks' code cells: what a warm kernel imports once."""
    lines: list[str] = []
    for path in paths:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:  # IPython magics: not an import we can pre-run
                continue
            lines += [ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    return "\n".join(dict.fromkeys(lines))


def _code_notebook(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources if s])


def _error_text(cell: nbformat.NotebookNode) -> str:
    errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
    return f"{errors[0].ename}: {errors[0].evalue}" if errors else "the cell failed"


def _ordinal(nb: nbformat.NotebookNode, index: int | None) -> int | None:
    """The cell's number as a fresh run prints it: its position among the code cells, from 1."""
    if index is None:
        return None
    return sum(1 for c in nb.cells[:index + 1] if c.cell_type == "code")


class WarmKernel:
    """A kernel in `cwd`: `start` runs `imports` in it once; `run` executes one notebook in a clean namespace."""

    def __init__(self, cwd: Path, connection_dir: Path | None = None):
        self.cwd = cwd
        self._client = NotebookClient(_code_notebook(), kernel_name=KERNEL, extra_arguments=list(KERNEL_ARGS),
                                      startup_timeout=START_TIMEOUT, shutdown_kernel="immediate")
        # ^ owns the kernel and never executes itself; a kernel is only shut down when it failed or at exit
        self._client.km = self._client.create_kernel_manager()
        if connection_dir is not None:
            self._client.km.connection_file = str(connection_dir / f"kernel-{os.getpid()}-{id(self)}.json")

    def start(self, imports: str = "") -> None:
        self._client.start_new_kernel(cwd=str(self.cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._client.start_new_kernel_client()
        with contextlib.suppress(CellExecutionError):  # a head start only: a notebook that needs a failing
            self._execute(_code_notebook(imports))  # import fails at its own cell, with its own message

    def run(self, nb: nbformat.NotebookNode, timeout: float | None = None) -> nbformat.NotebookNode:
        """Execute `nb` in place; raise NotebookError naming the failing cell. `timeout` bounds the whole notebook."""
        deadline = None if timeout is None else time.monotonic() + timeout
        started: list[int] = []  # index of each cell as it starts, so a kernel death still names its cell
        try:
            self._execute(_code_notebook(RESET.format(cwd=str(self.cwd))))
            self._execute(nb, deadline, started)
        except CellExecutionError:
            raise NotebookError(_ordinal(nb, started[-1]), _error_text(nb.cells[started[-1]])) from None
        except CellTimeoutError:
            raise NotebookError(_ordinal(nb, started[-1] if started else None),
                                f"TimeoutError: the notebook ran past its limit of {timeout:g} s") from None
        except DeadKernelError:
            raise NotebookError(_ordinal(nb, started[-1] if started else None),
                                "DeadKernelError: the kernel died") from None
        return nb

    def _execute(self, nb: nbformat.NotebookNode, deadline: float | None = None,
                 started: list[int] | None = None) -> None:
        client = NotebookClient(nb, km=self._client.km, kernel_name=KERNEL, startup_timeout=START_TIMEOUT,
                                timeout_func=None if deadline is None else
                                lambda cell: max(1, int(deadline - time.monotonic() + 0.999)),
                                on_cell_start=None if started is None else
                                lambda cell, cell_index: started.append(cell_index))
        client.kc = self._client.kc
        client.execute()

    def shutdown(self) -> None:
        self._client._cleanup_kernel()

    def kill(self) -> None:
        """Kill the kernel's process group now and remove its connection file (it holds the kernel's signing key):
        for a worker that must exit at once, from a thread with no event loop to shut the kernel down politely."""
        km = self._client.km
        pid = getattr(km.provisioner, "pid", None)
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)  # the kernel leads its own session and process group
        km.cleanup_connection_file()


class KernelPool:
    """One warm kernel per thread (a process worker has one thread; a threaded Dask worker has several)."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[WarmKernel] = []
        self._lock = threading.Lock()
        self._exit_hook_pid: int | None = None
        self.connection_dir: Path | None = None  # where kernels write connection files; None: jupyter's default

    def run(self, nb: nbformat.NotebookNode, cwd: Path, imports: str, timeout: float | None) -> nbformat.NotebookNode:
        kernel = self._kernel(cwd, imports)
        try:
            return kernel.run(nb, timeout)
        except BaseException:
            self._discard(kernel)
            raise

    def _kernel(self, cwd: Path, imports: str) -> WarmKernel:
        """This thread's kernel, started (and its imports run) on first use."""
        kernel = getattr(self._local, "kernel", None)
        if kernel is not None and kernel.cwd != cwd:
            self._discard(kernel)
            kernel = None
        if kernel is None:
            self._shutdown_at_exit()
            kernel = self._local.kernel = WarmKernel(cwd, self.connection_dir)
            with self._lock:
                self._all.append(kernel)  # before it starts, so that `kill` finds a kernel still starting
            try:
                kernel.start(imports)
            except BaseException:
                self._discard(kernel)
                raise
        return kernel

    def _shutdown_at_exit(self) -> None:
        """Shut this process's kernels down when it exits (pool workers included). Registered by the process that
        starts a kernel: a batch worker is forked from the fork server, which imported this module, and a
        finalizer registered there is skipped in its children."""
        if self._exit_hook_pid != os.getpid():
            multiprocessing.util.Finalize(None, self.shutdown, exitpriority=10)
            self._exit_hook_pid = os.getpid()

    def _discard(self, kernel: WarmKernel) -> None:
        self._local.kernel = None
        with self._lock:
            self._all.remove(kernel)
        kernel.shutdown()

    def shutdown(self) -> None:
        with self._lock:
            kernels, self._all = self._all, []
        for kernel in kernels:
            kernel.shutdown()

    def kill(self) -> None:
        """Kill every kernel of this process now (see WarmKernel.kill); the pool is not used after this."""
        with self._lock:
            kernels = list(self._all)
        for kernel in kernels:
            kernel.kill()


POOL = KernelPool()

