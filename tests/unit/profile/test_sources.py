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


# The arithmetic a text shows: "$150 × 160 = $24,000", "(20% + 30%) / 2 = 25%", "$60,000 / (1 × 48) = ... = $1,250".
# A term is an amount ("$24K", "27%", "1,920"); operators are ×, /, + and a spaced minus; a range ("3-8 weeks") or
# words between the numbers make no expression, so prose is never read as a sum.
_TERM = r"\(*\$?\d[\d,]*(?:\.\d+)?[K%]?\)*"
_EXPRESSION = rf"{_TERM}(?:\s*[×/+]\s*{_TERM}|\s+[-−]\s+{_TERM})*"
EQUATION = re.compile(rf"(?<![\w.$-]){_EXPRESSION}(?:\s*=\s*{_EXPRESSION})+(?![\w-])")
_AMOUNT = re.compile(r"\$?(\d[\d,]*(?:\.(\d+))?)([K%]?)")


def _balanced(part: str) -> str:
    """A side without the brackets of the sentence around it: "($40,000" is $40,000; "(1 × 48)" keeps its own."""
    part = part.strip()
    while part.startswith("(") and part.count("(") > part.count(")"):
        part = part[1:]
    while part.endswith(")") and part.count(")") > part.count("("):
        part = part[:-1]
    return part


def _value(part: str) -> float:
    scale = {"": "", "K": "*1000", "%": "*0.01"}
    python = _AMOUNT.sub(lambda m: f"({m.group(1).replace(',', '')}{scale[m.group(3)]})", part)
    return eval(python.replace("×", "*").replace("−", "-"), {"__builtins__": {}})  # noqa: S307 (digits and + - * / only)


def _precision(part: str) -> float:
    """Half a step of the last digit a single amount shows ("$931" 0.5, "0.67" 0.005, "$300K" 500); 0 for a sum."""
    m = _AMOUNT.fullmatch(part)
    if not m:
        return 0.0
    step = 10.0 ** -len(m.group(2) or "")
    return step / 2 * {"": 1, "K": 1000, "%": 0.01}[m.group(3)]


def sums_that_do_not_add_up(text: str) -> list[str]:
    """Each equation whose sides disagree by more than the rounding of the result it shows (its last side)."""
    wrong = []
    for m in EQUATION.finditer(text):
        sides = [_balanced(s) for s in m.group(0).split("=")]
        result, tolerance = _value(sides[-1]), _precision(sides[-1])
        if any(abs(_value(s) - result) > tolerance + 1e-9 * abs(result) for s in sides[:-1]):
            wrong.append(m.group(0))
    return wrong


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


def test_the_sum_check_reads_the_playbooks_arithmetic_and_can_fail():
    assert not sums_that_do_not_add_up("$230K × 1.2 + $24K = $300K and $320K × 1.2 + $66K = $450K.")
    assert not sums_that_do_not_add_up("recruitment fees: (20% + 30%) / 2 = 25% of salary")
    assert not sums_that_do_not_add_up("($40,000 / $200,000 = $60,000 / $300,000 = 0.2).")
    assert not sums_that_do_not_add_up("$60,000 / (1 × 48) = $180,000 / (3 × 48) = $1,250.")
    assert not sums_that_do_not_add_up("$169,510 / 0.70 / 260 = $931 a day; 1 - 1/3 = 0.67")
    assert not sums_that_do_not_add_up("3-8 weeks / 4.33 weeks a month = 0.7-1.8 months")  # ranges: not a sum
    assert sums_that_do_not_add_up("$150 × 160 = $25,000") == ["$150 × 160 = $25,000"]
    assert sums_that_do_not_add_up("$60,000 / (1 × 48) = $180,000 / (2 × 48) = $1,250")
    assert sums_that_do_not_add_up("15% + 42% = 58%") and sums_that_do_not_add_up("$206,680 / 0.70 / 260 = $1,140")


def test_the_arithmetic_every_source_shows_adds_up(playbook):
    """A derivation shows its steps; each step it writes as a sum must give the result it writes."""
    wrong = [f"{file}: sources.{key}: {s}" for file, assumptions in assumption_sets(playbook).items()
             for key, source in assumptions.sources.items() for s in sums_that_do_not_add_up(source.text)]
    assert not wrong, "\n".join(wrong)


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


def test_the_sources_state_the_figures_in_the_sense_they_are_used(playbook):
    """Issue 25: the agency's cost rested on a fractional Chief AI Officer's fee, a failed hire's cost on a
    transition's outlays, the chief executives' median on a page that no longer shows its year."""
    costs = playbook.costs
    agency = costs.leadership.agency
    derivation = costs.sources[agency.monthly_retainer.source]
    assert agency.project_fees_per_year.source == agency.monthly_retainer.source and derivation.kind == "derivation"
    rates = [costs.sources[k] for k in derivation.inputs if costs.sources[k].kind == "published"]
    assert "hodgen" not in costs.sources and rates and all("agency" in s.text for s in rates)
    hire = costs.sources[costs.leadership.full_time.failure_cost_salary_multiple.source]
    assert "mckinsey" not in hire.inputs and "213" not in costs.sources["mckinsey"].text
    assert all("hire" in costs.sources[k].text and "salary" in costs.sources[k].text for k in hire.inputs)
    bls = costs.sources["bls_chief_executives"]
    assert "/2023/" in bls.url and "median" in bls.text and states(bls.text, 206_680) and "May 2023" in bls.text


def test_the_agency_cost_is_an_agency_rate_times_one_engineers_hours(playbook):
    """The derivation's arithmetic on the playbook's own working year: $150-$250 an hour, 40 hours a week."""
    weeks = playbook.costs.leadership.fractional.working_weeks_per_year
    agency = playbook.costs.leadership.agency
    hours_a_month = 40 * weeks.low / 12
    assert weeks.low == weeks.high and states(playbook.costs.sources["working_weeks"].text, weeks.low)
    assert (agency.monthly_retainer.low, agency.monthly_retainer.high) == pytest.approx(
        (150 * hours_a_month, 250 * hours_a_month))
    assert (agency.project_fees_per_year.low, agency.project_fees_per_year.high) == (0, 0)
    text = playbook.costs.sources[agency.monthly_retainer.source].text
    assert all(states(text, n) for n in (150, 250, 40, weeks.low, 12 * 150 * hours_a_month, 12 * 250 * hours_a_month))


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
