"""How fast and in how much memory hostile YAML is refused, next to validating a real profile. Prints, asserts nothing.

Run: .venv/bin/python bench/hostile_inputs.py

Before the limits in lib/aicto/yamlio.py, the 20,000-deep mapping crashed validation with RecursionError and the
alias bomb took 229 s and 3.1 GB. Times are in-process (`load_client`, the playbook already loaded), the best of 5;
memory is the peak Python allocation (tracemalloc) during one load.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path

from aicto.model.validation import load_client
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad_profiles"


def cases(folder: Path) -> dict[str, Path]:
    deep = folder / "deep-20000.yaml"
    deep.write_text("client: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n")
    large = folder / "large.yaml"
    large.write_text("client:\n  name: " + "x" * 1_000_000 + "\n")
    return {"real profile (northwind)": ROOT / "parameters" / "examples" / "northwind-analytics.yaml",
            "mapping nested 20,000 deep": deep, "alias bomb (9^9 values)": BAD / "alias_bomb.yaml",
            "1 MB file": large}


def load(path: Path, playbook) -> str:
    try:
        return f"ok ({load_client(path, playbook).client.id})"
    except InputError as exc:
        return exc.render().splitlines()[0].split(": ", 1)[1]


def main() -> None:
    playbook = load_playbook()
    with tempfile.TemporaryDirectory() as folder:
        for name, path in cases(Path(folder)).items():
            seconds = []
            for _ in range(5):
                started = time.perf_counter()
                outcome = load(path, playbook)
                seconds.append(time.perf_counter() - started)
            tracemalloc.start()
            load(path, playbook)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(f"{name:28} {min(seconds) * 1000:7.1f} ms  {peak:6.1f} MB  {outcome[:90]}")


if __name__ == "__main__":
    main()
