"""How long a user waits for the `aicto` command: `aicto validate` of one example (a consultant runs it after every
edit; an editor could on save) against `python -c pass` in the same run, and how long a run's start spends importing
the runner (nbformat, nbconvert). Each command is run RUNS times in a row; the best and the median are printed (the
best is the machine's answer, the median what a user sees on a busy one). Warm: the first runs fill the on-disk
cache (aicto.profile.cache), the OS's file cache and Python's bytecode cache, as a consultant's second validate finds
them (PYTHONDONTWRITEBYTECODE, set on some machines, is dropped: an installed package has its bytecode). A benchmark,
not a test: it prints numbers, it asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "parameters" / "examples" / "northwind-analytics.yaml"
RUNS = 9
TARGET = 0.4  # seconds for `aicto validate`


def timed(command: list[str]) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)  # warm
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    python = sys.executable
    rows = {
        "python -c pass": [python, "-c", "pass"],
        "aicto validate (one example)": [python, "-m", "aicto.cli", "validate", str(EXAMPLE)],
        "import aicto.run.runner (a run's start)": [python, "-c", "import aicto.run.runner"],
        "import nbformat (plain)": [python, "-c", "import nbformat"],
    }
    print(f"{RUNS} runs each, load average {os.getloadavg()[0]:.1f} at the start\n")
    results = {}
    for name, command in rows.items():
        times = timed(command)
        results[name] = times
        print(f"{name:42s} best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    validate, floor = results["aicto validate (one example)"], results["python -c pass"]
    print(f"\naicto validate: best {min(validate):.2f} s (target <= {TARGET} s), "
          f"{min(validate) - min(floor):.2f} s more than python -c pass")


if __name__ == "__main__":
    main()
