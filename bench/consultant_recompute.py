"""How long one change in consultant mode takes: widget value -> validation -> every section recomputed and redrawn.

Run: .venv/bin/python bench/consultant_recompute.py [profile.yaml ...]
The issue's budget is 100 ms per change. Display updates go to a capturing publisher, as a kernel would send them.
Wall time depends on what else the machine runs (the load average is printed first); the verdict uses the process
CPU time per change, which does not.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import statistics
import sys
import time
from pathlib import Path

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

import aicto.present.views
from aicto.consultant import consultant_form
from aicto.consultant.mode import MODE_ENV
from aicto.present.views.common import View, open_client

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 100.0
CHANGES = 200


def views() -> list[type[View]]:
    """Every report view in aicto.present.views: one per notebook."""
    for module in pkgutil.iter_modules(aicto.present.views.__path__):
        importlib.import_module(f"aicto.present.views.{module.name}")
    return View.__subclasses__()


def bench(view_class: type[View], profile: Path) -> tuple[list[float], float]:
    """Wall milliseconds of each change, and the mean CPU milliseconds per change."""
    context = open_client(profile)
    view = view_class(context)
    with capture_output():
        for name, member in vars(view_class).items():
            if hasattr(member, "build"):  # a @section: shown once, as the notebook does
                getattr(view, name)()
        form = consultant_form(context, view)  # as the notebook's cell makes it
        dimension = context.playbook.questions.dimensions[0]
        inputs = [form.inputs[("readiness", "answers", dimension.id, q.id, "score")] for q in dimension.questions]
        timings = []
        cpu = time.process_time()
        for i in range(CHANGES):
            widget = inputs[i % len(inputs)]
            start = time.perf_counter()
            widget.value = widget.value % 5 + 1
            timings.append((time.perf_counter() - start) * 1000)
        cpu = (time.process_time() - cpu) * 1000 / CHANGES
    return timings, cpu


def main(argv: list[str]) -> int:
    InteractiveShell.instance()
    os.environ[MODE_ENV] = "1"
    print("load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    profiles = [Path(p) for p in argv] or sorted((ROOT / "parameters" / "examples").glob("*.yaml"))
    worst = 0.0
    for view_class in views():
        for profile in profiles:
            (first, *rest), cpu = bench(view_class, profile)
            rest.sort()
            median, p95 = statistics.median(rest), rest[int(len(rest) * 0.95) - 1]
            worst = max(worst, cpu)
            print(f"{view_class.__name__:<14} {profile.stem:<20} first {first:5.1f} ms; next {len(rest)}: "
                  f"median {median:5.1f} ms, p95 {p95:5.1f} ms, max {rest[-1]:5.1f} ms; CPU {cpu:5.1f} ms/change")
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"worst CPU time per change {worst:.1f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
