"""The words of every generated report, read as a board would: numbers agree with their nouns, "a"/"an" as spoken,
every sentence followed by its space, acronyms in capitals, one spelling variant (the practice's) and dates in the
practice's locale. Checked on the examples' real runs, in en-US, and on one client run again in en-GB."""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from aicto.playbook import PLAYBOOK_ENV, load_playbook
from aicto.profile import load_profile
from aicto.spelling import variants_in
from aicto.views.common import client_words
from aicto.words import article, lowercase_acronyms
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow
NORTHWIND = next(p for p in EXAMPLES if p.stem == "northwind-analytics")
NOUNS = ("days", "weeks", "months", "years", "decisions", "activities", "engineers", "blockers", "issues",
         "milestones", "simulations", "person-days", "engineer-days", "wrong decisions")
ONE_PLURAL = re.compile(rf"(?<![\d.,])1 ({'|'.join(NOUNS)})\b")
ARTICLE_NUMBER = re.compile(r"\b(a|an) (\d[\d,.]*)")
JOINED_SENTENCE = re.compile(r"[a-z]{2}[.;:][A-Z][a-z]")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATES = {"en-US": re.compile(rf"\b\d{{1,2}} ({MONTHS}) 20\d\d"),  # a British date in a US report
         "en-GB": re.compile(rf"\b({MONTHS}) \d{{1,2}}, 20\d\d")}


class _Text(HTMLParser):
    """The text a reader sees: no scripts, styles or attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        if tag in ("p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "br"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def word_problems(text: str, locale: str, keep: tuple[str, ...]) -> list[str]:
    found = [f"number and noun disagree: {m.group()!r}" for m in ONE_PLURAL.finditer(text)]
    found += [f"wrong article: {m.group()!r}" for m in ARTICLE_NUMBER.finditer(text)
              if article(m.group(2)) != m.group(1)]
    found += [f"sentence without its space: {m.group()!r}" for m in JOINED_SENTENCE.finditer(text)
              if "http" not in text[max(0, m.start() - 80):m.start()]]
    found += [f"acronym in lower case: {w!r}" for w in lowercase_acronyms(text)]
    other = "en-GB" if locale == "en-US" else "en-US"
    found += [f"{other} spelling: {w!r}" for w in sorted(variants_in(text, keep)[other])]
    found += [f"date not written for {locale}: {m.group()!r}" for m in DATES[locale].finditer(text)
              if not any(m.group() in k for k in keep)]
    return found


def report_problems(run, locale: str) -> dict[str, list[str]]:
    keep = client_words(load_profile(next(p for p in EXAMPLES if p.stem == run.client_id)))
    found = {}
    for html in sorted(run.folder.glob("*.html")):
        if problems := word_problems(visible_text(html.read_text(encoding="utf-8")), locale, keep):
            found[f"{run.client_id}/{html.name}"] = problems
    return found


def test_the_examples_read_right_in_us_english(example_runs):
    found = {}
    for run in example_runs.values():
        found |= report_problems(run, "en-US")
    assert not found, found


def test_a_practice_in_british_english_gets_british_reports(tmp_path):
    root = shutil.copytree(ROOT / "playbook", tmp_path / "playbook")
    brand = root / "brand" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("locale: en-US", "locale: en-GB"), encoding="utf-8")
    assert load_playbook(root).brand.locale == "en-GB"
    # a process of its own: its kernels read the practice's playbook from the environment, as a consultant's would
    env = {**os.environ, PLAYBOOK_ENV: str(root)}
    subprocess.run([sys.executable, "-m", "aicto.cli", "run", str(NORTHWIND), "--out", str(tmp_path / "out")],
                   check=True, env=env, capture_output=True, timeout=900)
    run = SimpleNamespace(client_id=NORTHWIND.stem, folder=tmp_path / "out" / NORTHWIND.stem)
    assert not report_problems(run, "en-GB")
    pack = visible_text((run.folder / "board-pack.html").read_text(encoding="utf-8"))
    assert "Optimised LLM bill" in pack and "AI bill optimised (monthly)" in pack
    assert "Optimized" not in pack and "optimized" not in pack
