"""Consultant mode end to end: real JupyterLab, real kernel, Debian chromium driven by playwright.

Works on copies in a temp folder (notebook pointed at a copy of an example profile), so the repository is never
modified. JupyterLab decides on its own that the kernel is interactive: no override variable is set.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from aicto.consultant.mode import MODE_ENV
from aicto.consultant.save import backup_path
from aicto.profile import load_profile
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NORTHWIND = ROOT / "parameters" / "examples" / "northwind-analytics.yaml"
JUPYTER = Path(sys.executable).with_name("jupyter")
LAB_SETTINGS = {  # every cell rendered (no windowing), no news prompt over the page
    "notebook-extension/tracker": {"windowingMode": "none"},
    "apputils-extension/notification": {"fetchNews": "false"},
}
KERNEL_STATUS = "() => window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status"
ALL_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return panel.sessionContext.session?.kernel?.status === 'idle' &&
    panel.content.widgets.every(c => c.model.type !== 'code' || c.model.executionCount !== null);
}"""
INDEX = ".aicto-kpi:has(.aicto-kpi-label:text-is('Readiness index')) .aicto-kpi-value"
ANSWER = ("evaluation", "automated_evals")  # 1 in the example: raising it to 5 raises the index


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on a free localhost port with a token, serving a copy of 01_readiness.ipynb for a copied profile."""
    profile = tmp_path / "client.yaml"
    shutil.copy(NORTHWIND, profile)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(ROOT / "notebooks" / "01_readiness.ipynb", as_version=4)
    next(c for c in nb.cells if "parameters" in c.metadata.get("tags", [])).source = f"profile_path = {str(profile)!r}"
    nbformat.write(nb, notebooks / "01_readiness.ipynb")
    for name, values in LAB_SETTINGS.items():
        target = tmp_path / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k not in (MODE_ENV, "JPY_SESSION_NAME", "JPY_PARENT_PID")}
    env.update(JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen([
        str(JUPYTER), "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={notebooks}",
        "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "lab.log").read_text()
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not start within 60 s"
                time.sleep(0.25)
        yield f"{base}/lab/tree/01_readiness.ipynb?token={token}&reset", profile
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_consultant_changes_an_answer_sees_the_index_move_and_saves(lab, browser):
    from playwright.sync_api import expect

    url, profile = lab
    original = profile.read_text()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(url)
        page.wait_for_function("() => window.jupyterapp?.shell.currentWidget?.sessionContext", timeout=60_000)
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.ready")
        page.wait_for_function(f"() => ({KERNEL_STATUS})() === 'idle'", timeout=60_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(ALL_RUN, timeout=60_000)
        index = page.locator(INDEX)
        before = index.inner_text()
        row = page.locator(".aicto-readiness-answers-" + "-".join(ANSWER).replace("_", "-") + "-score")
        row.locator("button", has_text="5").click(timeout=15_000)
        expect(index).not_to_have_text(before, timeout=30_000)
        after = index.inner_text()
        page.locator(".aicto-save").click(timeout=15_000)
        expect(page.locator(".aicto-consultant")).to_contain_text("Saved", timeout=30_000)
    finally:
        page.close()
    assert int(after.split("/")[0]) > int(before.split("/")[0])
    assert load_profile(profile).score(*ANSWER) == 5
    assert backup_path(profile).read_text() == original
    assert original.splitlines()[:2] == profile.read_text().splitlines()[:2]  # the header comments are kept
    assert errors == []
