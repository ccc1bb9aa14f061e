"""Wall time and peak resident memory of a command and every process it starts, sampled every 50 ms."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import psutil


def measured(command: Sequence[object], cwd: Path) -> tuple[float, int]:
    """(seconds, peak RSS in bytes summed over the process tree); exits with the command's stderr if it fails."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    peak = 0
    parent = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, peak
