"""`aicto batch` as a consultant runs it: real worker processes, real kernels, a planted failing notebook.

The notebooks come from a fixture folder (AICTO_NOTEBOOKS): copies of every registered notebook, the first one with
a cell that raises, kills its kernel, hangs or kills the worker process when the profile's file name starts with
`raise-`, `die-`, `hang-` or `crash-`.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pypdfium2
import pytest
from ruamel.yaml import YAML

from aicto.present.deliverables import NOTEBOOKS_ENV, REGISTRY, notebooks_dir
from aicto.present.headlines import HEADLINES
from aicto.run.batch import WORKER_DIED
from aicto.run.publish import VERSIONS
from tests.conftest import BAD_PROFILES, EXAMPLES, ROOT, need_chromium, profile_data
from tests.integration.test_browser import check_report

pytestmark = pytest.mark.slow
TROUBLE = """import os as _os, time as _time
_trouble = _os.path.basename(profile_path).split("-")[0]
if _trouble == "raise":
    raise RuntimeError("planted failure")
if _trouble == "die":
    _os._exit(1)
if _trouble == "hang":
    _time.sleep(600)
if _trouble == "crash":  # kills the worker process that runs this kernel
    _os.kill(_os.getppid(), 9)
"""
FIRST = next(iter(REGISTRY.values()))
GOOD = ("good-one", "good-two")
YAML_ = YAML(typ="safe", pure=True)


def write_profile(folder: Path, file_name: str, client_id: str, example: Path = EXAMPLES[0]) -> Path:
    data = YAML_.load(example.read_text())
    data["client"]["id"] = client_id
    data["client"]["name"] = f"Client {client_id}"
    path = folder / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        YAML_.dump(data, fh)
    return path


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    for deliverable in REGISTRY.values():
        nb = nbformat.read(notebooks_dir() / deliverable.notebook, as_version=4)
        if deliverable is FIRST:
            nb.cells.append(nbformat.v4.new_code_cell(TROUBLE))
        nbformat.write(nb, folder / deliverable.notebook)
    return folder


def batch(notebooks: Path, *args, wait: bool = True, temp: Path | None = None):
    env = {**os.environ, NOTEBOOKS_ENV: str(notebooks), **({"TMPDIR": str(temp)} if temp else {})}
    command = [sys.executable, "-m", "aicto.cli", "batch", "--no-progress", *map(str, args)]
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def portfolio(out: Path) -> dict[str, dict]:
    with (out / "portfolio.csv").open() as fh:
        return {row["client_id"]: row for row in csv.DictReader(fh)}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, notebooks):
    """One batch: two good clients, an invalid profile, a notebook that raises, a kernel that dies, one that hangs,
    one that kills its worker process."""
    profiles = tmp_path_factory.mktemp("profiles")
    for client_id in GOOD:
        write_profile(profiles, f"{client_id}.yaml", client_id)
    for trouble in ("raise", "die", "hang", "crash"):
        write_profile(profiles, f"{trouble}-co.yaml", f"{trouble}-co")
    (profiles / "broken.yaml").write_text((BAD_PROFILES / "typo_key.yaml").read_text())
    for hostile in ("deep_nesting", "alias_bomb"):  # once a RecursionError or minutes of work that stopped it all
        (profiles / f"{hostile}.yaml").write_text((BAD_PROFILES / f"{hostile}.yaml").read_text())
    out, temp = tmp_path_factory.mktemp("reports"), tmp_path_factory.mktemp("tmp")
    started = time.monotonic()
    result = batch(notebooks, profiles, "--out", out, "--timeout", "15", temp=temp)
    assert list(temp.iterdir()) == []  # no connection file, not even of the kernel whose worker was killed
    return profiles, out, result, time.monotonic() - started


def test_failures_are_isolated_and_named(mixed):
    profiles, out, result, _ = mixed
    assert result.returncode == 2, result.stderr  # an invalid profile is bad input
    assert "Traceback" not in result.stderr, result.stderr
    assert "broken.yaml: team.enginers: unknown key 'enginers'" in result.stderr
    assert "deep_nesting.yaml: line 3, column 69: nested deeper than 16 levels" in result.stderr
    assert "alias_bomb.yaml: line 7, column 11: more than 20000 values once aliases" in result.stderr
    rows = portfolio(out)
    # a client whose worker was taken down by crash-co runs again alone; "skipped" if it had published already
    assert {rows[c]["status"] for c in GOOD} <= {"ok", "skipped"}
    for client_id in GOOD:
        assert (out / client_id / "board-pack.html").is_file()
        assert all((out / client_id / f"{key}.html").is_file() for key in REGISTRY)
    for trouble, error in (("raise", "RuntimeError: planted failure"), ("die", "DeadKernelError"),
                           ("hang", "TimeoutError")):
        client_id = f"{trouble}-co"
        assert rows[client_id]["status"] == "failed"
        assert error in rows[client_id]["error"]
        assert f"{client_id}: {FIRST.key} notebook failed" in result.stderr
        assert not (out / client_id).exists()  # nothing published for a failed client
    assert rows["crash-co"]["status"] == "failed" and WORKER_DIED in rows["crash-co"]["error"]
    assert not (out / "crash-co").exists()
    line = next(line for line in result.stderr.splitlines() if line.startswith("raise-co:"))
    cell = len([c for c in nbformat.read(FIRST.path(), as_version=4).cells if c.cell_type == "code"]) + 2
    assert f"failed at cell {cell}: RuntimeError: planted failure" in line  # +1 trouble cell, +1 injected
    kept = out / "_failed" / "raise-co" / FIRST.notebook
    assert f"executed notebook kept at {kept}" in line
    errors = [o for c in nbformat.read(kept, as_version=4).cells for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert errors and errors[0].evalue == "planted failure"


def test_summary_table_lists_every_client(mixed):
    _, out, result, _ = mixed
    for client_id in (*GOOD, "raise-co", "die-co", "hang-co", "crash-co", "broken.yaml", "deep_nesting.yaml",
                      "alias_bomb.yaml"):
        assert client_id in result.stdout
    assert str(out / GOOD[0] / "board-pack.html") in result.stdout
    assert f"portfolio: {out / 'index.html'}" in result.stdout


def test_bad_options_and_missing_paths_exit_2(notebooks, tmp_path):
    for args in (("--workers", "0"), ("--timeout", "-1")):
        result = batch(notebooks, EXAMPLES[0], "--out", tmp_path, *args)
        assert result.returncode == 2 and "must be more than 0" in result.stderr
    result = batch(notebooks, tmp_path / "nope", "--out", tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"{tmp_path / 'nope'}: (file): not found (a YAML profile or a folder of them)\n"


def test_unchanged_clients_are_skipped_unless_forced(mixed, notebooks):
    profiles, out, _, _ = mixed
    good = [profiles / f"{c}.yaml" for c in GOOD]
    before = os.readlink(out / GOOD[0])
    result = batch(notebooks, *good, "--out", out)
    assert result.returncode == 0, result.stderr
    assert {portfolio(out)[c]["status"] for c in GOOD} == {"skipped"}
    assert os.readlink(out / GOOD[0]) == before
    data = YAML_.load(good[1].read_text())
    data["team"]["engineers"] += 1
    with good[1].open("w") as fh:
        YAML_.dump(data, fh)
    result = batch(notebooks, *good, "--out", out)
    assert [portfolio(out)[c]["status"] for c in GOOD] == ["skipped", "ok"]
    result = batch(notebooks, good[0], "--out", out, "--force")
    assert result.returncode == 0, result.stderr
    assert portfolio(out)[GOOD[0]]["status"] == "ok"
    assert os.readlink(out / GOOD[0]) != before


def test_killed_run_keeps_the_last_good_reports(mixed, notebooks, tmp_path):
    _, out, _, _ = mixed
    client_id = GOOD[0]
    before = snapshot(out / client_id)
    link = os.readlink(out / client_id)
    hang = write_profile(tmp_path, "hang-again.yaml", client_id)
    proc = batch(notebooks, hang, "--out", out, "--force", wait=False)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / VERSIONS).glob(f"{client_id}.*"))) < 2:
        time.sleep(0.2)  # the new version folder exists: the run is midway
    time.sleep(1)
    family = [proc.pid] + [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
    for pid in family:  # the batch, its workers and their kernels: a machine crash, as far as files can tell
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert os.readlink(out / client_id) == link
    assert snapshot(out / client_id) == before
    good = write_profile(tmp_path, "again.yaml", client_id)
    result = batch(notebooks, good, "--out", out, "--force")
    assert result.returncode == 0, result.stderr
    assert len(list((out / VERSIONS).glob(f"{client_id}.*"))) == 1  # the killed run's folder is cleaned up


def in_the_hanging_cell(proc: subprocess.Popen) -> list[psutil.Process]:
    """The batch's processes once its kernel has started (within a minute) and sits in the notebook's hanging cell."""
    deadline = time.monotonic() + 60
    family: list[psutil.Process] = []
    while time.monotonic() < deadline and not any("ipykernel" in " ".join(p.cmdline()) for p in family):
        time.sleep(0.5)
        with contextlib.suppress(psutil.NoSuchProcess):
            family = psutil.Process(proc.pid).children(recursive=True)
    time.sleep(3)  # the kernel is in the hanging cell
    return psutil.Process(proc.pid).children(recursive=True)


def test_killing_only_the_batch_ends_its_workers_and_kernels_and_leaves_no_temporary_file(notebooks, tmp_path):
    temp, out = tmp_path / "tmp", tmp_path / "reports"
    temp.mkdir()
    hang = write_profile(tmp_path / "profiles", "hang-kill.yaml", "hang-kill")
    command = [sys.executable, "-m", "aicto.cli", "batch", "--no-progress", str(hang), "--out", str(out)]
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, NOTEBOOKS_ENV: str(notebooks), "TMPDIR": str(temp)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    family = in_the_hanging_cell(proc)
    assert len(family) >= 4  # fork server, resource tracker, worker, kernel
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    _, alive = psutil.wait_procs(family, timeout=15)
    assert alive == []
    assert list(temp.iterdir()) == []  # kernel connection files (the kernel's signing key), pymp-* folders
    assert len(list((out / VERSIONS).glob("hang-kill.*"))) == 1  # the killed run's partial version
    again = write_profile(tmp_path / "again", "again.yaml", "hang-kill")
    result = batch(notebooks, again, "--out", out)
    assert result.returncode == 0, result.stderr
    assert f"{out}: hang-kill: taking over the lock of process " in result.stderr
    assert list((out / VERSIONS).glob("hang-kill.*")) == [(out / "hang-kill").resolve()]


def test_two_batches_at_once_do_not_interleave(notebooks, tmp_path):
    profiles = tmp_path / "profiles"
    for client_id in GOOD:
        write_profile(profiles, f"{client_id}.yaml", client_id)
    out = tmp_path / "reports"
    runs = [batch(notebooks, profiles, "--out", out, "--workers", "1", wait=False) for _ in range(2)]
    results = [(p.wait(timeout=300), p.communicate()) for p in runs]
    assert [code for code, _ in results] == [0, 0], [err for _, (_, err) in results]
    for client_id in GOOD:
        versions = list((out / VERSIONS).glob(f"{client_id}.*"))
        assert len(versions) == 1 and (out / client_id).resolve() == versions[0]
        files = {p.name for p in versions[0].iterdir()}
        assert {f"{k}.html" for k in REGISTRY} | {"summary.json", "board-pack.html", "fingerprint.txt"} <= files
        statuses = sorted(line.split()[3] for _, (stdout, _) in results for line in stdout.splitlines()
                          if line.startswith(f"│ {client_id} "))
        assert statuses == ["ok", "skipped"]  # the second batch waited for the lock, then found it current
    assert not list((out / VERSIONS).glob(".link-*"))


def test_dask_local_cluster(tmp_path):
    import distributed

    from aicto.run.batch import run_batch
    from aicto.run.options import Options

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        outcomes = run_batch([EXAMPLES[0]], tmp_path, Options(), dask=c.scheduler_address, show_progress=False)
    assert [o.status for o in outcomes] == ["ok"], outcomes
    summary = json.loads((tmp_path / EXAMPLES[0].stem / "summary.json").read_text())
    assert set(REGISTRY) <= set(summary)


@pytest.mark.browser
def test_pack_renders_offline_with_every_section(mixed, browser):
    _, out, _, _ = mixed
    pack = out / GOOD[0] / "board-pack.html"
    check_report(browser, pack)
    html = pack.read_text()
    assert html.count("plotly.js v") == 1
    in_pack = [k for k, d in REGISTRY.items() if d.in_pack]  # the proposal is a document of its own
    assert [f'id="section-{k}"' in html for k in in_pack] == [True] * len(in_pack)
    assert 'id="section-proposal"' not in html
    positions = [html.index(f'id="section-{k}"') for k in in_pack]
    assert positions == sorted(positions)
    assert "break-before: page" in html
    summary = json.loads((out / GOOD[0] / "summary.json").read_text())
    assert f"{summary['readiness']['index']:.0f}/100" in html.split('id="section-')[0]  # the executive summary


def test_pack_holds_only_its_client(mixed):
    _, out, _, _ = mixed
    html = (out / GOOD[0] / "board-pack.html").read_text()
    assert f"Client {GOOD[0]}" in html
    assert f"Client {GOOD[1]}" not in html and "index.html" not in html and "portfolio" not in html.lower()


@pytest.mark.browser
def test_portfolio_page_renders_offline(mixed, browser):
    _, out, _, _ = mixed
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda req: requests.append(req.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((out / "index.html").as_uri(), wait_until="load")
    rows = page.locator("tr[data-client]").count()
    links = page.locator("a[href$='board-pack.html']").count()
    text = page.inner_text("body")
    page.close()
    assert rows == len(portfolio(out)) and links == len(GOOD)
    # failed clients without a good run show no numbers; good ones every index (now, and with actuals the trend)
    assert text.count("/100") == len(GOOD) * sum(1 for h in HEADLINES if h.kind == "index")
    assert errors == [] and [u for u in requests if not u.startswith(("file://", "data:"))] == []


@pytest.mark.browser
def test_pdf_pages_are_not_blank_and_sized_from_the_profile(tmp_path, browser):
    from aicto.run.options import Options
    from aicto.run.runner import run_client

    need_chromium()
    profile = write_profile(tmp_path, "letter.yaml", "letter-co", EXAMPLES[0])
    data = YAML_.load(profile.read_text())
    data.setdefault("engagement", {})["paper_size"] = "Letter"
    with profile.open("w") as fh:
        YAML_.dump(data, fh)
    run = run_client(profile, tmp_path / "out", options=Options(pdf=True))
    pdf = pypdfium2.PdfDocument(run.folder / "board-pack.pdf")  # PDFium, as Chrome renders PDFs; from PyPI
    assert len(pdf) >= len(REGISTRY) + 1  # a page break per section
    assert [tuple(round(x) for x in page.get_size()) for page in pdf] == [(612, 792)] * len(pdf)  # Letter, points
    pixels = pdf[2].render(scale=30 / 72).to_numpy()[..., :3]  # page 3 at 30 dpi
    assert (pixels.min(axis=-1) < 200).mean() > 0.01  # ink: not a blank page


def test_pack_escapes_client_text(tmp_path):
    from aicto.run.runner import run_client

    script = "<script>alert(1)</script>"
    data = profile_data(2, client={"id": "evil-co", "name": f"Evil {script} Co", "industry": script})
    path = tmp_path / "evil.yaml"
    with path.open("w") as fh:
        YAML_.dump(data, fh)
    html = run_client(path, tmp_path / "out").pack.read_text()
    assert script not in html
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; Co" in html.split('id="contents"')[0]  # on the cover


def test_warm_kernel_forgets_the_previous_client():
    from aicto.run.kernels import POOL

    def run(source):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        return POOL.run(nb, notebooks_dir(), "import json", timeout=30).cells[0].outputs

    run("secret = 'client A'\nimport os\nos.chdir('/')")
    outputs = run("import os\nprint('secret' in globals(), os.getcwd())")
    assert outputs[0].text == f"False {notebooks_dir()}\n"


def test_a_batch_removes_what_a_batch_killed_with_its_process_group_left(notebooks, tmp_path):
    """Killing the process group (Ctrl-C in some shells, a CI job's timeout) kills the workers too, so nothing removes
    the kernels' connection files (their signing keys) and multiprocessing's socket; the next batch does."""
    temp, out = tmp_path / "tmp", tmp_path / "reports"
    temp.mkdir()
    hang = write_profile(tmp_path / "profiles", "hang-group.yaml", "hang-group")
    proc = batch(notebooks, hang, "--out", out, wait=False, temp=temp)
    family = in_the_hanging_cell(proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    _, alive = psutil.wait_procs(family, timeout=15)
    assert alive == []
    [left] = temp.iterdir()
    assert left.name == f"aicto-batch-{proc.pid}" and list(left.glob("kernels-*/kernel-*.json"))
    assert list(left.glob("listener-*"))  # multiprocessing's socket: in the batch's folder, not a pymp-* of its own
    (temp / "pymp-other").mkdir()  # another program's: not the batch's to remove
    again = write_profile(tmp_path / "again", "again.yaml", "hang-group")
    result = batch(notebooks, again, "--out", out, temp=temp)
    assert result.returncode == 0, result.stderr
    assert f"removed 1 folder that killed batches left in {temp}: {left.name}" in result.stderr
    assert [p.name for p in temp.iterdir()] == ["pymp-other"]
