"""The board pack printed to PDF by Debian's chromium, charts included, on the profile's paper size.

Chromium runs headless with the flags that keep it off the network (see the field notes) and a throw-away profile;
the page size comes from the pack's CSS `@page` rule, which the board template sets from the profile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT = 120


class PdfFailed(Exception):
    """Chromium is missing or did not write the PDF."""


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise PdfFailed("--pdf needs chromium (Debian: apt-get install chromium)")
    return found


def print_pdf(html: Path, pdf: Path, paper_size: str) -> Path:
    """Print `html` to `pdf`; `paper_size` (A4/Letter) is already the page size in the HTML's print CSS."""
    with tempfile.TemporaryDirectory(prefix="aicto-chromium-") as profile:
        result = subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
             "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000",
             f"--print-to-pdf={pdf}", html.resolve().as_uri()],
            capture_output=True, text=True, timeout=TIMEOUT)
    if result.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise PdfFailed(f"chromium could not print {html.name} on {paper_size}: {result.stderr.strip()[-300:]}")
    return pdf
