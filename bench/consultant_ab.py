"""Two versions of consultant mode compared in one page: the browser bench's clicks alternate between A and B.

Run: .venv/bin/python bench/consultant_ab.py (--kernel FILE | --css RULES) [--notebook NAME] [--changes N] [profile]
On this kind of machine the same bench moves by 15-25% from one hour to the next, more than most changes move it, so
two versions are compared in the same page, two clicks A, two clicks B, and so on (each arm clicks both ways):
--kernel FILE runs FILE's Python in the notebook's kernel once; FILE defines `_AB_ON = False` and patches lib so that
its code takes the B path while `_AB_ON` is true (this script sets it before each click). --css RULES adds a
stylesheet to the page, switched on for B. Prints first / last / kernel idle as bench/consultant_browser.py does.
A benchmark: it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from consultant_browser import ANSWER, CHANGE, COLUMNS, EXAMPLE, QUIET_MS, WARM_UP, spread

from aicto.deliverables import REGISTRY
from aicto.pdf import CHROMIUM_FLAGS, chromium
from aicto.profile import load_profile
from aicto.snapshot import folder as snapshot_folder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the end-to-end tests' JupyterLab set-up
from tests.integration.lab import open_and_run, running_lab  # noqa: E402

RUN = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let out = '';
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  future.onIOPub = m => {
    if (m.header.msg_type === 'stream') out += m.content.text;
    if (m.header.msg_type === 'error') out += m.content.ename + ': ' + m.content.evalue;
  };
  await future.done;
  return out;
}"""
STYLE = """(rules) => {
  const style = document.createElement('style');
  style.id = 'aicto-ab';
  style.textContent = rules;
  style.disabled = true;
  document.head.appendChild(style);
}"""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", nargs="?", type=Path, default=EXAMPLE)
    arm = parser.add_mutually_exclusive_group(required=True)
    arm.add_argument("--kernel", type=Path, help="Python run in the kernel: patches lib to take B while _AB_ON")
    arm.add_argument("--css", help="CSS rules switched on in the page for B")
    parser.add_argument("--notebook", default="03_roi.ipynb")
    parser.add_argument("--changes", type=int, default=30, help="timed changes per arm (default 30)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    source = load_profile(args.profile)
    deliverable = next(d for d in REGISTRY.values() if d.notebook == args.notebook)
    row = "aicto-readiness-answers-" + "-".join(ANSWER).replace("_", "-") + "-score"
    current = source.score(*ANSWER) or 1
    scores = (5 if current != 5 else 1, current)
    with tempfile.TemporaryDirectory(prefix="aicto-ab-") as tmp:
        folder = Path(tmp)
        (folder / "parameters").mkdir()
        profile = folder / "parameters" / args.profile.name
        shutil.copy(args.profile, profile)
        if snapshot_folder(args.profile).is_dir():
            shutil.copytree(snapshot_folder(args.profile), snapshot_folder(profile))
        with running_lab(folder, profile, start_timeout=90) as lab, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
            page = open_and_run(browser, lab.url(f"{source.client.id}/{deliverable.notebook}", deliverable.key),
                                timeout_ms=180_000)
            if args.kernel:
                print(page.evaluate(RUN, args.kernel.read_text()), end="")
            else:
                page.evaluate(STYLE, args.css)
            timings: dict[str, list[dict]] = {"A": [], "B": []}
            for i in range(WARM_UP + 2 * args.changes):
                arm = "AB"[(i // 2) % 2]
                if args.kernel:
                    page.evaluate(RUN, f"_AB_ON = {arm == 'B'}")
                else:
                    page.evaluate("(on) => { document.getElementById('aicto-ab').disabled = !on; }", arm == "B")
                page.wait_for_timeout(100)
                timing = page.evaluate(CHANGE, {"row": row, "score": scores[i % 2], "quietMs": QUIET_MS,
                                                "timeoutMs": 60_000})
                if i >= WARM_UP:
                    timings[arm].append(timing)
            browser.close()
    print(f"{source.client.id} {deliverable.notebook}: {args.changes} changes per arm, interleaved; ms from the click")
    for arm, drawn in timings.items():
        drawn = [t for t in drawn if t["last"] is not None]
        print(f"{arm} " + " | ".join(f"{name} {spread([t[key] for t in drawn])}" for key, name in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
