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
import sys
from pathlib import Path

from consultant_browser import ANSWER, EXAMPLE, WARM_UP, change, client_lab, open_and_run, summary

from aicto.model.validation import load_client
from aicto.present.deliverables import REGISTRY

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
    source = load_client(args.profile)
    deliverable = next(d for d in REGISTRY.values() if d.notebook == args.notebook)
    current = source.score(*ANSWER) or 1
    timings: dict[str, list[dict]] = {"A": [], "B": []}
    with client_lab(args.profile) as (lab, browser):
        page = open_and_run(browser, lab.url(f"{source.client.id}/{deliverable.notebook}", deliverable.key),
                            timeout_ms=180_000)
        if args.kernel:
            print(page.evaluate(RUN, args.kernel.read_text()), end="")
        else:
            page.evaluate(STYLE, args.css)
        for i in range(WARM_UP + 2 * args.changes):
            arm = "AB"[(i // 2) % 2]
            if args.kernel:
                page.evaluate(RUN, f"_AB_ON = {arm == 'B'}")
            else:
                page.evaluate("(on) => { document.getElementById('aicto-ab').disabled = !on; }", arm == "B")
            page.wait_for_timeout(100)
            timing = change(page, current, i)
            if i >= WARM_UP:
                timings[arm].append(timing)
    print(f"{source.client.id} {deliverable.notebook}: {args.changes} changes per arm, interleaved; ms from the click")
    for arm, arm_timings in timings.items():
        print(f"{arm} {summary(arm_timings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
