"""A practice's size: `aicto batch` of 200 clients (the examples in turn, with new ids) against 6, in one run: time
per notebook, peak resident memory of the batch's process tree, and how long the portfolio page of 200 clients takes
to load in Chromium and to sort and filter. A benchmark, not a test: it prints numbers, it asserts nothing.
`--clients N` for another size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from measure import measured

from aicto.present.deliverables import REGISTRY
from bench import EXAMPLES, ROOT, make_clients


def batch(profiles: Path, out: Path) -> tuple[float, int]:
    command = [sys.executable, "-m", "aicto.cli", "batch", profiles, "--out", out, "--force", "--no-progress"]
    return measured(command, ROOT)


def portfolio_times(page: Path) -> tuple[float, float]:
    """Seconds to load the page (to its `load` event, the script run), and to sort by a column then filter."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        started = time.perf_counter()
        tab.goto(page.as_uri(), wait_until="load")
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        tab.click("th[data-col='1']")
        tab.fill(".filter-text", "northwind")
        tab.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        used = time.perf_counter() - started
        browser.close()
    return loaded, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    args = parser.parse_args()
    print(f"examples: {len(EXAMPLES)}, deliverables: {len(REGISTRY)}; load average {os.getloadavg()[0]:.1f}\n")
    results = {}
    with tempfile.TemporaryDirectory(prefix="aicto-practice-") as tmp:
        tmp = Path(tmp)
        for n in (6, args.clients):
            make_clients(tmp / f"clients{n}", n)
            seconds, peak = batch(tmp / f"clients{n}", tmp / f"out{n}")
            count = len([p for p in (tmp / f"out{n}").glob("*/*.html") if p.name != "board-pack.html"])
            results[n] = (seconds, peak, count)
            print(f"{n:4d} clients: {seconds:7.1f} s, {count} reports, {seconds / count:.2f} s per report, "
                  f"peak RSS {peak / 2**20:.0f} MiB")
        (s6, m6, c6), (sn, mn, cn) = results[6], results[args.clients]
        print(f"\nper report at {args.clients} clients vs 6: {(sn / cn) / (s6 / c6):.2f}x (target <= 1.2x); "
              f"peak memory {mn / m6:.2f}x (flat)")
        loaded, used = portfolio_times(tmp / f"out{args.clients}" / "index.html")
        size = (tmp / f"out{args.clients}" / "index.html").stat().st_size
        print(f"portfolio page of {args.clients} clients ({size / 1e6:.2f} MB): loads in {loaded:.2f} s, "
              f"sorts and filters in {used:.2f} s")


if __name__ == "__main__":
    main()
