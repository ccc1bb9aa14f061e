"""`make bench`: how much faster `aicto batch` is than running the notebooks by hand, and how close it is to the floor.

On the same N clients (copies of parameters/examples with new ids), one invocation measures:
  (a) naive: the `papermill` CLI then `jupyter nbconvert --to html --no-input`, per notebook, one after another;
  (b) floor: start a kernel and import the notebooks' libraries, once per notebook, one after another;
  (c) `aicto batch --force` with the default workers (one per core);
then the board pack's size against the naive HTML files, and the peak resident memory of the whole process tree of
a batch at N and 4N clients. A benchmark, not a test: it prints numbers, it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from jupyter_client.manager import start_new_kernel
from measure import measured
from ruamel.yaml import YAML

from aicto.present.deliverables import PROFILE_PARAMETER, REGISTRY, notebooks_dir
from aicto.run.kernels import KERNEL, KERNEL_ARGS, notebook_imports
from aicto.run.publish import PACK_FILE

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EXAMPLES = sorted((ROOT / "parameters" / "examples").glob("*.yaml"))


def make_clients(folder: Path, n: int) -> list[Path]:
    """N profiles: the examples in turn, each with a new client id."""
    yaml = YAML(typ="safe", pure=True)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        data = yaml.load(EXAMPLES[i % len(EXAMPLES)].read_text())
        data["client"]["id"] = f"{data['client']['id']}-{i}"
        path = folder / f"{data['client']['id']}.yaml"
        with path.open("w") as fh:
            yaml.dump(data, fh)
        paths.append(path)
    return paths


def _run(*command: object) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{result.stderr[-2000:]}")


def naive(profiles: list[Path], out: Path) -> float:
    started = time.perf_counter()
    for profile in profiles:
        for deliverable in REGISTRY.values():
            executed = out / profile.stem / deliverable.notebook
            executed.parent.mkdir(parents=True, exist_ok=True)
            _run(BIN / "papermill", deliverable.path(), executed, "-p", PROFILE_PARAMETER, profile,
                 "--no-progress-bar", "--cwd", notebooks_dir())
            _run(BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", executed)
    return time.perf_counter() - started


def floor(notebooks: int) -> float:
    imports = notebook_imports(tuple(d.path() for d in REGISTRY.values()))
    started = time.perf_counter()
    for _ in range(notebooks):
        km, kc = start_new_kernel(kernel_name=KERNEL, extra_arguments=KERNEL_ARGS, cwd=str(notebooks_dir()))
        kc.execute_interactive(imports, timeout=120)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return time.perf_counter() - started


def batch(profiles_dir: Path, out: Path) -> tuple[float, int]:
    """Wall time and peak RSS (bytes) summed over the batch process and all its descendants."""
    return measured([BIN / "aicto", "batch", profiles_dir, "--out", out, "--force", "--no-progress"], ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=6, help="N, at least 6 (default 6)")
    args = parser.parse_args()
    n, per_client = max(6, args.clients), len(REGISTRY)
    notebooks = n * per_client
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB, "
          f"Python {platform.python_version()}, {platform.platform()}")
    print(f"clients: {n}, notebooks per client: {per_client} ({', '.join(REGISTRY)})\n")
    with tempfile.TemporaryDirectory(prefix="aicto-bench-") as tmp:
        tmp = Path(tmp)
        profiles = make_clients(tmp / "clients", n)
        a = naive(profiles, tmp / "naive")
        print(f"(a) naive papermill CLI + nbconvert CLI: {a:7.1f} s  ({a / notebooks:.2f} s per notebook)")
        b = floor(notebooks)
        print(f"(b) floor, kernel start + imports:       {b:7.1f} s  ({b / notebooks:.2f} s per notebook)")
        c, peak_n = batch(tmp / "clients", tmp / "batch")
        print(f"(c) aicto batch:                         {c:7.1f} s  ({c / notebooks:.2f} s per notebook)\n")
        print(f"(a)/(c) = {a / c:.1f}x          (target >= 5x)")
        print(f"(c)/(b) per notebook = {c / b:.2f}x   (target <= 1.5x)")
        client = profiles[0].stem
        pack = (tmp / "batch" / client / PACK_FILE).stat().st_size
        naive_files = sorted((tmp / "naive" / client).glob("*.html"))
        exports = [p.stat().st_size for p in naive_files]
        drawn = all(b"plotly.js v" in p.read_bytes() for p in naive_files)
        print(f"board pack {pack / 1e6:.2f} MB vs naive exports {', '.join(f'{s / 1e6:.2f}' for s in exports)} MB: "
              f"{pack / max(exports):.2f}x the largest single export (target <= 1.2x), "
              f"{pack / sum(exports):.2f}x all {len(exports)} together")
        if not drawn:
            board = [p.stat().st_size for p in (tmp / "batch" / client).glob("*.html") if p.name != PACK_FILE]
            print(f"  the naive exports embed no plotly.js, so their charts stay blank offline; against a single-"
                  f"notebook export that draws its charts (aicto's own, {max(board) / 1e6:.2f} MB) the pack is "
                  f"{pack / max(board):.2f}x, and {pack / sum(board):.2f}x the {len(board)} of them together")
        packs = sorted((tmp / "batch").glob(f"*/{PACK_FILE}"))
        reports = [p for p in (tmp / "batch").glob("*/*.html") if p.name != PACK_FILE]
        print(f"largest board pack {max(p.stat().st_size for p in packs) / 1e6:.2f} MB (target <= 2.0 MB), "
              f"largest report {max(p.stat().st_size for p in reports) / 1e6:.2f} MB (target <= 1.7 MB), "
              f"over {len(packs)} clients")
        print()
        make_clients(tmp / "clients4", 4 * n)
        c4, peak_4n = batch(tmp / "clients4", tmp / "batch4")
        print(f"peak RSS of the batch process tree: N={n}: {peak_n / 2**20:.0f} MiB ({c:.1f} s), "
              f"4N={4 * n}: {peak_4n / 2**20:.0f} MiB ({c4:.1f} s); ratio {peak_4n / peak_n:.2f}")


if __name__ == "__main__":
    main()
