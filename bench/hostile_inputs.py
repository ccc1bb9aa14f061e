"""How fast and in how much memory hostile input is refused, next to reading a real profile and a real export. Prints,
asserts nothing; the last line names the worst case's refusal time.

Run: .venv/bin/python bench/hostile_inputs.py

Before the limits in lib/aicto/profile/yamlio.py, the 20,000-deep mapping crashed validation with RecursionError and
the alias bomb took 229 s and 3.1 GB. Before issue 26, a calendar date that does not exist and a 5,000-digit number
raised from the YAML constructor, a FIFO hung validate and the import for good, and a gzip bomb whose model name is a
1 GB string grew the import's memory for minutes (still rising at 300 s). Times are in-process (`load_client`, the
playbook already loaded; `Usage.read` for exports), the best of 5 (of 1 for the gzip bomb); memory is the peak
Python allocation (tracemalloc) during one read.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from aicto.model.validation import load_client
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError
from aicto.usage.aggregate import ModelMap, Usage
from aicto.usage.formats import detect
from aicto.usage.source import ExportFile

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad_profiles"
USAGE = ROOT / "tests" / "fixtures" / "usage"
REAL = ("real profile (northwind)", "real export (OpenAI, 195 records)")


def profile_cases(folder: Path) -> dict[str, Path]:
    deep = folder / "deep-20000.yaml"
    deep.write_text("client: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n")
    large = folder / "large.yaml"
    large.write_text("client:\n  name: " + "x" * 1_000_000 + "\n")
    fifo = folder / "fifo.yaml"
    os.mkfifo(fifo)
    snapshots = folder / "corrupt_snapshot.snapshots"
    shutil.copytree(BAD / "corrupt_snapshot.snapshots", snapshots)
    shutil.copy(BAD / "corrupt_snapshot.yaml", folder)
    return {REAL[0]: ROOT / "parameters" / "examples" / "northwind-analytics.yaml",
            "mapping nested 20,000 deep": deep, "alias bomb (9^9 values)": BAD / "alias_bomb.yaml",
            "1 MB file": large, "2027-02-30 (impossible date)": BAD / "impossible_date.yaml",
            "5,000-digit number": BAD / "huge_integer.yaml", "!!binary and !!set": BAD / "yaml_tags.yaml",
            "NUL byte": BAD / "nul_byte.yaml", "FIFO as a profile": fifo,
            "actuals dated 9999-12-31": BAD / "actuals_out_of_world.yaml",
            "366 holidays from the start": BAD / "holidays_push_start.yaml",
            "bill 1e6 growing 100%/month": BAD / "bill_grows_out_of_reach.yaml",
            "corrupt snapshot beside it": folder / "corrupt_snapshot.yaml"}


def usage_cases(folder: Path) -> dict[str, list[Path]]:
    bomb = folder / "bomb.json.gz"  # a model name of 1 GB: about 1 MB compressed
    with gzip.open(bomb, "wb", compresslevel=9) as out:
        out.write(b'[{"request_id": "r", "startTime": "2026-10-01T10:00:00Z", "prompt_tokens": 1, "model": "')
        block = b"a" * (1 << 24)
        for _ in range(64):
            out.write(block)
        out.write(b'"}]')
    fifo = folder / "fifo.jsonl"
    os.mkfifo(fifo)
    copy = folder / "copy.json"
    copy.write_bytes((USAGE / "litellm-spend-logs.json").read_bytes())
    hostile = USAGE / "hostile"
    return {REAL[1]: [USAGE / "openai-completions.jsonl"],
            f"gzip bomb: a 1 GB model name ({bomb.stat().st_size / 2**20:.1f} MB .gz)": [bomb],
            "truncated .gz": [hostile / "truncated.jsonl.gz"], "FIFO as an export": [fifo],
            "LiteLLM startTime 9999 with an offset": [hostile / "litellm-year-9999.json"],
            "cached tokens above the input": [hostile / "litellm-cache-above-input.json"],
            "OpenAI page and LiteLLM row in one file": [hostile / "openai-page-and-litellm-row.jsonl"],
            "the same export twice": [USAGE / "litellm-spend-logs.json", copy],
            "overlapping exports": [USAGE / "litellm-spend-logs.json", hostile / "litellm-overlap.json"]}


def load(path: Path, playbook) -> str:
    try:
        return f"ok ({load_client(path, playbook).client.id})"
    except InputError as exc:
        return exc.render().splitlines()[0].split(": ", 1)[1]


def read_exports(paths: list[Path]) -> str:
    try:
        usage = Usage()
        for path in paths:
            source = ExportFile(path)
            usage.read(source, detect(source), ModelMap())
        usage.check_repeats()
        return f"ok ({sum(t.records for t in usage.totals.values())} records)"
    except InputError as exc:
        return exc.render().splitlines()[0].split(": ", 1)[1]


def measure(name: str, run: Callable[[], str], repeat: int) -> float:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = run()
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"{name:42} {min(seconds) * 1000:8.1f} ms  {peak:6.1f} MB  {outcome[:100]}")
    return min(seconds)


def main() -> None:
    playbook = load_playbook()
    refusals: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        print("profiles (aicto validate, run, batch):")
        for name, path in profile_cases(Path(folder)).items():
            refusals[name] = measure(name, lambda path=path: load(path, playbook), 5)
        print("usage exports (aicto import-usage):")
        for name, paths in usage_cases(Path(folder)).items():
            repeat = 1 if "bomb" in name else 5
            refusals[name] = measure(name, lambda paths=paths: read_exports(paths), repeat)
    worst = max((name for name in refusals if name not in REAL), key=refusals.__getitem__)
    print(f"worst refusal: {worst}, {refusals[worst] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
