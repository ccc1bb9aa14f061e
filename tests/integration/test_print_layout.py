"""The board pack as a board member holds it: every example (and a client with a 120-character name without a space)
printed by Debian's chromium on A4 and on Letter with no font of the machine's (the packs carry theirs), each page read
back with PDFium.

A page is measured as printed: its text lines (PDFium's characters grouped by line, with their font size) and how
far down its ink reaches. Headings are taken from the pack's HTML; a part (the summary, each deliverable, the
appendix) starts with its title, large, at the top of a new page.
"""

from __future__ import annotations

import contextlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pypdfium2
import pytest
from ruamel.yaml import YAML

from aicto.model.validation import load_client
from aicto.present.deliverables import REGISTRY
from aicto.present.pack import build_pack
from aicto.present.pdf import print_pdf
from aicto.present.report import embedded_fonts
from aicto.profile.playbook import load_playbook
from aicto.profile.schema import Profile
from aicto.run.portfolio import write_portfolio
from aicto.run.runner import ClientRun, run_client
from tests.conftest import EXAMPLES, ROOT, need_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAPERS = {"A4": (595, 842), "Letter": (612, 792)}  # points
MARGIN = (16, 14)  # mm, top/bottom and left/right: the pack's @page rule
MM = 72 / 25.4
MAX_PAGES = 28
SUMMARY_PAGES = 2
MIN_FILL = 0.35  # of the printable height, on a page that is not the last of its part
MIN_BELOW_HEADING = 36  # points of content under a heading on its page: a table's header and first row
SECTION_TITLE_SIZE = 18  # points; summary headings with the same words are smaller
LONG_NAME = ("Northwind" * 14)[:120]


class _Headings(HTMLParser):
    """The text of every h1-h4, without spaces (PDF text and HTML text space differently)."""

    def __init__(self):
        super().__init__()
        self.open: str | None = None
        self.text: list[str] = []
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "h4") and self.open is None:
            self.open, self.text = tag, []

    def handle_endtag(self, tag):
        if tag == self.open:
            self.found.add(squeeze("".join(self.text)))
            self.open = None

    def handle_data(self, data):
        if self.open:
            self.text.append(data)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def headings(html: str) -> set[str]:
    parser = _Headings()
    parser.feed(html)
    return parser.found - {""}


@dataclass
class Line:
    top: float  # points from the top of the page
    bottom: float
    right: float  # points from the left
    text: str  # without spaces
    size: float  # the largest font size on the line


@dataclass
class Page:
    lines: list[Line]
    ink_bottom: float  # points from the top of the page to the lowest ink
    width: float
    height: float

    def starts_part(self, titles: set[str]) -> bool:
        return any(line.text in titles and line.size >= SECTION_TITLE_SIZE for line in self.lines[:2])

    @property
    def fill(self) -> float:
        top = MARGIN[0] * MM
        return (self.ink_bottom - top) / (self.height - 2 * top)


def read_page(page: pypdfium2.PdfPage) -> Page:
    width, height = page.get_size()
    text = page.get_textpage()
    rows: list[dict] = []
    for i in range(text.count_chars()):
        char = text.get_text_range(i, 1)
        if not char.strip():
            continue
        left, bottom, right, top = text.get_charbox(i)
        size = pypdfium2.raw.FPDFText_GetFontSize(text.raw, i)
        middle = (bottom + top) / 2
        row = next((r for r in rows[-3:] if r["bottom"] - 1 <= middle <= r["top"] + 1), None)
        if row is None:
            row = {"chars": [], "bottom": bottom, "top": top}
            rows.append(row)
        row["chars"].append((left, right, char, size))
        row["bottom"], row["top"] = min(row["bottom"], bottom), max(row["top"], top)
    lines = [Line(height - r["top"], height - r["bottom"], max(c[1] for c in r["chars"]),
                  "".join(c[2] for c in sorted(r["chars"])), max(c[3] for c in r["chars"])) for r in rows]
    scale = 0.5  # 36 dpi: enough to see where the ink ends
    pixels = page.render(scale=scale).to_numpy()[..., :3].min(axis=-1)
    inked = (pixels < 225).any(axis=1).nonzero()[0]
    return Page(sorted(lines, key=lambda line: line.top), (inked[-1] + 1) / scale if len(inked) else 0.0,
                width, height)


def layout_problems(pdf_path: Path, html: str, paper: str) -> list[str]:
    """Everything wrong with the printed pack, as `page N: problem` (empty when it reads like a board paper)."""
    pdf = pypdfium2.PdfDocument(pdf_path)
    pages = [read_page(p) for p in pdf]
    heads = headings(html)
    titles = {squeeze(t) for t in re.findall(r'<h1 class="aicto-section-title">([^<]*)</h1>', html)}
    problems = []
    if len(pages) > MAX_PAGES:
        problems.append(f"{len(pages)} pages, more than {MAX_PAGES}")
    first_part = next((i for i, p in enumerate(pages) if p.starts_part(titles)), len(pages))
    if first_part > SUMMARY_PAGES:
        problems.append(f"the executive summary runs to page {first_part}")
    right_edge = PAPERS[paper][0] - MARGIN[1] * MM + 1
    for n, page in enumerate(pages, start=1):
        if (round(page.width), round(page.height)) != PAPERS[paper]:
            problems.append(f"page {n}: {page.width:.0f}x{page.height:.0f} points, not {paper}")
        last_of_part = n == len(pages) or pages[n].starts_part(titles)
        if page.lines and page.lines[-1].text in heads:
            problems.append(f"page {n}: ends with the heading {page.lines[-1].text!r}")
        for line in page.lines:
            if line.text in heads and not last_of_part and page.ink_bottom - line.bottom < MIN_BELOW_HEADING:
                problems.append(f"page {n}: what the heading {line.text!r} heads starts on the next page")
            if line.right > right_edge:
                problems.append(f"page {n}: {line.text[:40]!r} runs past the margin")
        if not last_of_part and page.fill < MIN_FILL:
            problems.append(f"page {n}: {page.fill:.0%} used, yet its part goes on")
    return problems


def pack_for(run: ClientRun, profile: Profile, paper: str, folder: Path) -> Path:
    """The client's pack on `paper`, from the run's executed notebooks, as the runner builds it."""
    playbook = load_playbook()
    parts = [(d, nbformat.read(run.folder / "executed" / d.notebook, as_version=4)) for d in REGISTRY.values()
             if d.in_pack and (run.folder / "executed" / d.notebook).exists()]
    summary = json.loads(run.summary.read_text())
    on_paper = profile.model_copy(update={"engagement": profile.engagement.model_copy(update={"paper_size": paper})})
    html = folder / f"{run.client_id}-{paper}.html"
    html.write_text(build_pack(parts, summary, on_paper, playbook), encoding="utf-8")
    return html


@contextlib.contextmanager
def no_system_fonts(folder: Path):
    """Chromium prints with no font of the machine's (fontconfig reads an empty configuration): the packs carry their
    font, so they print the same wherever they are printed, and these tests measure the same on any machine."""
    config = folder / "fonts.conf"
    config.write_text(f"<?xml version=\"1.0\"?><fontconfig><cachedir>{folder / 'fontcache'}</cachedir></fontconfig>\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FONTCONFIG_FILE", str(config))
        yield


@pytest.fixture(scope="module")
def long_name_run(tmp_path_factory) -> tuple[ClientRun, Path]:
    """harbor-home-goods under a 120-character name without a space."""
    yaml = YAML(typ="safe", pure=True)
    folder = tmp_path_factory.mktemp("long-name")
    data = yaml.load((ROOT / "parameters/examples/harbor-home-goods.yaml").read_text())
    data["client"].update(id="long-name-co", name=LONG_NAME)
    path = folder / "long-name-co.yaml"
    with path.open("w") as fh:
        yaml.dump(data, fh)
    return run_client(path, folder / "out"), path


@pytest.fixture(scope="module")
def printed(example_runs, long_name_run, tmp_path_factory) -> dict[tuple[str, str], tuple[Path, str]]:
    """(client id, paper) -> (the PDF, the pack's HTML): the examples on A4 and Letter in turn (each paper printed
    twice), the long name on both."""
    need_chromium()
    folder = tmp_path_factory.mktemp("printed")
    jobs = [(example_runs[p.stem], p, [list(PAPERS)[i % len(PAPERS)]]) for i, p in enumerate(EXAMPLES)]
    jobs.append((*long_name_run, list(PAPERS)))
    htmls = [(run.client_id, paper, pack_for(run, load_client(path), paper, folder))
             for run, path, papers in jobs for paper in papers]
    with no_system_fonts(folder), ThreadPoolExecutor(max_workers=2) as pool:  # one chromium per core
        pdfs = list(pool.map(lambda job: print_pdf(job[2], job[2].with_suffix(".pdf"), job[1]), htmls))
    return {(client, paper): (pdf, html.read_text()) for (client, paper, html), pdf in zip(htmls, pdfs, strict=True)}


def test_the_printed_pack_reads_like_a_board_paper(printed):
    problems = {f"{client} on {paper}": found for (client, paper), (pdf, html) in printed.items()
                if (found := layout_problems(pdf, html, paper))}
    assert problems == {}


def test_the_long_name_wraps_in_print(printed):
    pdf, _ = printed[("long-name-co", "Letter")]
    text = "".join(line.text for page in pypdfium2.PdfDocument(pdf) for line in read_page(page).lines)
    assert LONG_NAME[:40] in text  # printed, on lines that stay inside the margin (checked above)


def test_the_measures_see_what_they_look_for(tmp_path):
    """The checks fail on a page laid out badly on purpose: a heading at the foot of a page with its table on the
    next, a page left almost empty with its part going on, and a line too long for the page."""
    need_chromium()
    # the long line starts 4 mm before the margin in large type: the page clips what runs past its edge, so the letter
    # the check sees straddles the margin whatever the font's widths
    # the reports' own font, added from its bytes as the board template does: measured the same on any machine
    fonts = ("<script>" + json.dumps(list(embedded_fonts("Inter"))) + ".forEach(function (f) { var s = atob(f.data), "
             "b = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) { b[i] = s.charCodeAt(i); } "
             "document.fonts.add(new FontFace(f.family, b, {weight: f.weight})); });</script>")
    html = ("<!DOCTYPE html><html><head><style>@page { size: A4; margin: 16mm 14mm; } html { overflow: hidden; }"
            "body { margin: 0; font: 14px Inter; } h1 { font-size: 30px; } .next { break-before: page; }"
            "</style>" + fonts + "</head><body><h1 class=\"aicto-section-title\">Part one</h1>"
            "<div style=\"height: 220mm\"></div>"
            "<h2>A stranded heading</h2><table class=\"next\"><tr><td>Its table</td></tr></table>"
            "<p class=\"next\">The part goes on.</p>"
            "<p style=\"white-space: nowrap; padding-left: 178mm; font-size: 40px\">" + "Unbroken" * 40 +
            "</p></body></html>")
    path = tmp_path / "bad.html"
    path.write_text(html, encoding="utf-8")
    with no_system_fonts(tmp_path):
        problems = layout_problems(print_pdf(path, tmp_path / "bad.pdf", "A4"), html, "A4")
    assert [p.split(":")[0] for p in problems] == ["page 1", "page 1", "page 2", "page 3"], problems
    assert "ends with the heading" in problems[0] and "starts on the next page" in problems[1]
    assert "used, yet its part goes on" in problems[2] and "past the margin" in problems[3]


def test_long_names_wrap_on_screen(long_name_run, browser):
    """Every report and the pack of the long-named client fit a laptop's window; on the portfolio page (a wide
    table by design) the name wraps within its column."""
    run, _ = long_name_run
    portfolio = write_portfolio(run.folder.parent, {}, load_playbook())
    tab = browser.new_page(viewport={"width": 1024, "height": 800})
    wide = {}
    for path in [*run.reports.values(), run.pack]:
        tab.goto(path.as_uri(), wait_until="load")
        if (overflow := tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")) > 0:
            wide[path.name] = overflow
    tab.goto(portfolio.as_uri(), wait_until="load")
    name_column = tab.evaluate("document.querySelector('tr[data-client] td').getBoundingClientRect().width")
    tab.close()
    assert LONG_NAME in run.pack.read_text()
    assert wide == {} and name_column < 256


A4_PRINTABLE_PX = 687  # 210 mm less two 14 mm margins, at 96 px to the inch: the narrower of the two papers
CUT_OR_SCROLLED = """() => {
  const edge = document.body.getBoundingClientRect().right + 1;
  return [...document.querySelectorAll('body *')]
    .filter(e => (e.scrollWidth > e.clientWidth + 1 && !['visible', 'clip'].includes(getComputedStyle(e).overflowX))
                 || (e.matches('table, .aicto-chart, .aicto-kpis') && e.getBoundingClientRect().right > edge))
    .map(e => `${e.tagName}.${e.className}: ${(e.innerText || '').slice(0, 40)}`);
}"""


def test_no_table_or_chart_is_cut_or_scrolls_sideways_in_print(example_runs, browser):
    """A printed page cannot scroll: a table wider than the page would lose its last columns (the scenarios table
    once lost Payback and NPV behind a scroll bar)."""
    tab = browser.new_page(viewport={"width": A4_PRINTABLE_PX, "height": 1000})
    tab.emulate_media(media="print")
    cut = {}
    for run in example_runs.values():
        for name, html in (("pack", run.pack), ("proposal", run.reports["proposal"])):
            tab.goto(html.as_uri(), wait_until="load")
            if found := tab.evaluate(CUT_OR_SCROLLED):
                cut[f"{run.client_id} {name}"] = found
    tab.close()
    assert cut == {}
