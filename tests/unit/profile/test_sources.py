"""Every default in the playbook cites a source a board can check, and the source states (or shows) that number."""

import math
import re
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from aicto.profile.assumptions import CLIENT_SOURCE, PLAYBOOK_REF, TEXT_PREFIX, ranges
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError

NUMBER_WORDS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"])}
SCALE = {"k": 1e3, "m": 1e6, "%": 1e-2, "percent": 1e-2}
# "$1,250", "60K", "27%", "0.1x", "one", and ranges whose unit is written once: "27-46%", "$60K-$180K", "20 to 30%"
NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?|(?:" + "|".join(NUMBER_WORDS) + r")\b)"
                    r"(?:\s*(k|m|%|percent)(?![a-z]))?", re.IGNORECASE)
RANGE_JOIN = re.compile(r"^\s*(?:-|–|to)\s*\$?$")


def stated_numbers(text: str) -> set[float]:
    """Every number the text states, as written and scaled by its unit (60K = 60000, 27% = 0.27)."""
    matches = list(NUMBER.finditer(text))
    out = set()
    for i, m in enumerate(matches):
        word = m.group(1).lower()
        value = float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word.replace(",", ""))
        unit = (m.group(2) or "").lower()
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if not unit and nxt and nxt.group(2) and RANGE_JOIN.match(text[m.end():nxt.start()]):
            unit = nxt.group(2).lower()  # the unit of "27-46%" belongs to 27 too
        out.add(value)
        if unit:
            out.add(value * SCALE[unit])
    return out


def states(text: str, value: float) -> bool:
    return any(math.isclose(value, n, rel_tol=1e-9, abs_tol=1e-12) for n in stated_numbers(text))


def assumption_sets(playbook):
    return {"costs/assumptions.yaml": playbook.costs, "roi/assumptions.yaml": playbook.roi}


def test_the_number_check_reads_every_format_and_can_fail():
    assert states("a retainer of $60K-$180K a year", 60_000) and states("$60K-$180K", 180_000)
    assert states("27-46% of transitions", 0.27) and states("27-46% of transitions", 0.46)
    assert states("one to three days per week", 1) and states("one to three days per week", 3)
    assert states("$169,510 / 0.70 / 260 = $931", 169_510) and states("at least 30 percent", 0.30)
    assert states("(0, no slip)", 0) and states("0.1x the input price", 0.1)
    assert not states("recruitment fees (20-30% of salary)", 0.25)
    assert not states("$350,000 to $450,000 in cash compensation", 230_000)
    assert not states("someone who has done it", 1)


def test_every_range_cites_a_source_that_exists(playbook):
    for file, assumptions in assumption_sets(playbook).items():
        for path, r in ranges(assumptions):
            assert r.source != CLIENT_SOURCE and r.source in assumptions.sources, f"{file}: {'.'.join(path)}"


def test_every_default_appears_in_its_source_text(playbook):
    """A published source states the range; a derivation shows it as its result; a judgement names it."""
    missing = [f"{file}: {'.'.join(path)} = {r.low:g}-{r.high:g} not in sources.{r.source}"
               for file, assumptions in assumption_sets(playbook).items()
               for path, r in ranges(assumptions)
               for value in (r.low, r.high) if not states(assumptions.sources[r.source].text, value)]
    assert not missing, "\n".join(missing)


def test_the_issue_citations_are_fixed(playbook):
    ft = playbook.costs.leadership.full_time
    assert ft.salary.source != "ethoslink" and playbook.costs.sources[ft.salary.source].kind == "derivation"
    fractional = playbook.costs.leadership.fractional.failure_probability
    assert "heidrick" not in playbook.costs.sources
    assert playbook.costs.sources[fractional.source].kind == "judgement"


def test_published_sources_have_a_url_or_full_reference(playbook):
    for file, assumptions in assumption_sets(playbook).items():
        for key, s in assumptions.sources.items():
            if s.kind == "published":
                assert (s.url or "").startswith("https://") or len((s.reference or "").split(",")) >= 4, \
                    f"{file}: sources.{key}"


def test_derivations_and_judgements_say_so(playbook):
    for assumptions in assumption_sets(playbook).values():
        for s in assumptions.sources.values():
            if s.kind in TEXT_PREFIX:
                assert s.text.startswith(TEXT_PREFIX[s.kind])


def _resolves(reference: str, root: Path) -> bool:
    """'costs/assumptions.yaml: ai_spend.lever_shares' names a key there; 'README.md: X' a heading there."""
    file, _, key = reference.partition(": ")
    path = root / file
    if not path.is_file():
        return False
    if file.endswith(".md"):
        return f"# {key}\n" in path.read_text()
    node = YAML(typ="safe").load(path.read_text())
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def test_derivations_name_inputs_that_exist(playbook):
    for file, assumptions in assumption_sets(playbook).items():
        for key, s in assumptions.sources.items():
            if s.kind == "derivation":
                assert s.derives_from, f"{file}: sources.{key} names nothing it derives from"
            for name in s.inputs:
                assert name in assumptions.sources or (PLAYBOOK_REF.match(name) and _resolves(name, playbook.root)), \
                    f"{file}: sources.{key}: {name!r}"


def test_every_source_is_used(playbook):
    """No source sits in a file that no range cites and no derivation or judgement uses."""
    used = {(file, f"sources.{name}") for file, a in assumption_sets(playbook).items() for s in a.sources.values()
            for name in s.inputs}
    used |= {tuple(name.split(": ", 1)) for a in assumption_sets(playbook).values() for s in a.sources.values()
             for name in s.inputs if PLAYBOOK_REF.match(name)}
    for file, assumptions in assumption_sets(playbook).items():
        cited = {r.source for _, r in ranges(assumptions)}
        unused = [k for k in assumptions.sources if k not in cited and (file, f"sources.{k}") not in used]
        assert not unused, f"{file}: {unused}"


def test_reports_show_where_to_check_a_source(playbook):
    costs = playbook.costs
    assert costs.cite("betz").endswith("(https://www.betzsoftware.com/insights/economics-of-fractional-ai-cto)")
    derived = costs.cite("llm_savings")
    assert derived.startswith("Derived") and costs.sources["abbas"].url in derived
    assert costs.cite(CLIENT_SOURCE) == CLIENT_SOURCE


def _broken_playbook(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(load_playbook().root, root)
    path = root / "costs" / "assumptions.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return root


@pytest.mark.parametrize(("old", "new", "error"), [
    ("    url: https://www.betzsoftware.com/insights/economics-of-fractional-ai-cto\n", "",
     "sources.betz: a published source needs a url or a reference (url: https://..., or reference: "
     "Author, Title, Publisher, Year)"),
    ("    url: https://www.betzsoftware.com/insights/economics-of-fractional-ai-cto\n",
     "    reference: Betz Software 2025\n", "sources.betz: reference 'Betz Software 2025' is not a full reference"),
    ("    derives_from: [millman, right_management]\n", "",
     "sources.wrong_hire: a derivation must name what it derives from"),
    ("derives_from: [abbas, codercops]", "derives_from: [abas, codercops]",
     "sources.llm_savings.derives_from: 'abas' names no source (did you mean 'abbas'?"),
    ("source: gartner}", "source: gartnr}",
     "leadership.agency.failure_probability.source: 'gartnr' is not defined under sources (did you mean 'gartner'?"),
    ("text: \"Playbook judgement: a fractional CTO bills", "text: \"A fractional CTO bills",
     "sources.working_weeks: a judgement's text must start with 'Playbook judgement'"),
])
def test_the_playbook_refuses_an_unchecked_source(tmp_path, old, new, error):
    root = _broken_playbook(tmp_path, old, new)
    with pytest.raises(InputError) as exc:
        load_playbook(root)
    assert f"{root / 'costs' / 'assumptions.yaml'}: {error}" in exc.value.render()
