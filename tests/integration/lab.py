"""JupyterLab as a consultant runs it, for automation: `aicto lab` on a free localhost port with a token, its own
settings, runtime and workspaces, and a page that opens a notebook and runs it. The end-to-end tests
(test_consultant_lab.py) and the browser benchmark (bench/consultant_browser.py) drive it.

JupyterLab decides on its own that a kernel is interactive: no override variable is set.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aicto.consultant.mode import MODE_ENV
from aicto.consultant.workspace import PARAMETERS_ENV

LAB_SETTINGS = {  # every cell rendered (no windowing), no news prompt over the page
    "notebook-extension/tracker": {"windowingMode": "none"},
    "apputils-extension/notification": {"fetchNews": "false"},
}
PANEL = "window.jupyterapp?.shell.currentWidget"
# Run every cell, not awaited: the command's promise ends with the last cell, which a bounded wait on ALL_RUN sees
RUN_ALL = "() => { void window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
ALL_RUN = f"""() => {{
  const panel = {PANEL};
  return panel?.sessionContext?.session?.kernel?.status === 'idle' &&
    panel.content.widgets.every(c => c.model.type !== 'code' || c.model.executionCount !== null);
}}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Lab:
    base: str
    token: str
    profile: Path
    parameters: Path

    def url(self, path: str, workspace: str) -> str:
        """A notebook in its own JupyterLab workspace, as a second browser window would open it."""
        return f"{self.base}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"


@contextmanager
def running_lab(root: Path, profile: Path, start_timeout: float = 60) -> Iterator[Lab]:
    """`aicto lab` on `profile` with working notebooks in root/lab; new clients go beside the profile. Everything
    JupyterLab writes stays under `root`; its log is root/lab.log."""
    for name, values in LAB_SETTINGS.items():
        target = root / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    (root / "lab").mkdir(exist_ok=True)
    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k not in (MODE_ENV, "JPY_SESSION_NAME", "JPY_PARENT_PID")}
    env.update(JUPYTER_RUNTIME_DIR=str(root / "runtime"), JUPYTER_CONFIG_DIR=str(root / "config"),
               **{PARAMETERS_ENV: str(profile.parent)})
    log_path = root / "lab.log"
    log = log_path.open("w")
    server = subprocess.Popen([
        sys.executable, "-m", "aicto.cli", "lab", "--folder", str(root / "lab"), str(profile),
        "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
        f"--LabApp.user_settings_dir={root / 'settings'}",
        f"--LabApp.workspaces_dir={root / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"aicto lab exited:\n{log_path.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start within {start_timeout:g} s") from None
                time.sleep(0.25)
        yield Lab(base, token, profile, profile.parent)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def open_and_run(browser, url: str, on_error: Callable[[Exception], None] | None = None,
                  timeout_ms: int = 90_000):
    """A page of its own on the notebook, every cell run and the consultant's form shown."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    if on_error is not None:
        page.on("pageerror", on_error)
    page.goto(url)
    page.wait_for_function(f"() => {PANEL}?.sessionContext?.session?.kernel?.status === 'idle'", timeout=timeout_ms)
    page.evaluate(RUN_ALL)
    page.wait_for_function(ALL_RUN, timeout=timeout_ms)
    page.locator(".aicto-consultant").wait_for(timeout=timeout_ms // 3)
    return page
