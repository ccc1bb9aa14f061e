"""Shared fixtures: paths, synthetic profiles, and one real run of every example client per test session."""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# the on-disk cache of `aicto validate` (aicto.profile.cache) in a folder of this session's, not the user's ~/.cache;
# every subprocess and kernel the tests start inherits it
os.environ.setdefault("AICTO_CACHE_DIR", tempfile.mkdtemp(prefix="aicto-test-cache-"))

from aicto.model.validation import parse_client
from aicto.profile.playbook import load_playbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "parameters" / "examples").glob("*.yaml"))
BAD_PROFILES = ROOT / "tests" / "fixtures" / "bad_profiles"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
SETUP = "make system (it installs Debian's chromium; `make test` runs it first)"


def need_chromium() -> str:
    """The browser tests never skip: without chromium the run fails and says how to set the machine up."""
    if CHROMIUM is None:
        pytest.fail(f"chromium not found (set CHROMIUM=/path/to/chromium or run: {SETUP})")
    return CHROMIUM


def profile_data(score: int = 3, **sections) -> dict:
    """A complete, valid profile mapping with every answer at `score`; keyword sections override parts."""
    bank = load_playbook().questions
    data = {
        "client": {"id": "test-client", "name": "Test Client", "industry": "Testing", "currency": "USD"},
        "team": {"engineers": 5, "ai_experience": "moderate", "loaded_cost_per_engineer": 150000},
        "situation": {},
        "readiness": {"answers": {d.id: {q.id: score for q in d.questions} for d in bank.dimensions}},
    }
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**copy.deepcopy(data[key]), **value}
        else:
            data[key] = value
    return data


def make_profile(score: int = 3, answers: dict | None = None, **sections):
    data = profile_data(score, **sections)
    for dotted, value in (answers or {}).items():
        dim, q = dotted.split(".")
        data["readiness"]["answers"][dim][q] = value
    return parse_client(data, "test.yaml")


@pytest.fixture(scope="session")
def playbook():
    return load_playbook()


@pytest.fixture(scope="session")
def example_runs(tmp_path_factory):
    """Every example client through `run_client` (papermill's Python API + nbconvert), once per session."""
    from aicto.run.runner import run_client

    out = tmp_path_factory.mktemp("reports")
    return {run.client_id: run for run in (run_client(p, out) for p in EXAMPLES)}


@pytest.fixture(scope="session")
def browser():
    executable = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])
        yield browser
        browser.close()
