"""The story's rules as code: what must hold in every client's reports, whatever its route, size or currency.

Each rule reads one client's reports (a `Reading`) and returns findings, each a quote of what the board would read
that breaks the rule. RULES is the registry; a failing rule is printed as client, rule and quote. The rules read
the words shown and check them against the engagement model: a figure shown twice is the same figure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from aicto.present.views.common import client_words
from tests.report_linter import amounts, lint_text, sentences
from tests.story.reading import Reading

Rule = Callable[[Reading], list[str]]
RULES: dict[str, Rule] = {}


def rule(function: Rule) -> Rule:
    RULES[function.__name__] = function
    return function


def _card(reading: Reading, report: str, label: str) -> str | None:
    """The value under a KPI card's label in a report's headline (cards are label, value, note lines)."""
    lines = reading.section(report, "headline").splitlines()
    return lines[lines.index(label) + 1] if label in lines else None


def _money_value(text: str | None) -> Decimal | None:
    found = amounts(text or "")
    return found[0].value if found else None


def _same_money(a: str | None, b: str | None) -> bool:
    """Two shown amounts are one figure: each is the other rounded to its own precision."""
    x, y = amounts(a or ""), amounts(b or "")
    if not x or not y:
        return False
    x, y = x[0], y[0]
    return abs(x.value - y.value) <= max(x.step, y.step) / 2 + Decimal("0.01")


# --- a figure shown twice is the same figure, rounded once -----------------------------------------------------------

@rule
def headline_cards_for_every_client(reading: Reading) -> list[str]:
    """Every headline card the pack shows for one client, it shows for all: never a missing figure."""
    return [f"{label}: {value}" for label, value in reading.cards.items() if value in ("—", "", "None", "-")]


@rule
def the_multiple_is_one_figure(reading: Reading) -> list[str]:
    roi = reading.engagement.roi.base
    card = reading.cards.get("ROI multiple")
    section = _card(reading, "roi", "ROI multiple")
    found = [] if card == section else [f"pack card {card!r} vs ROI report {section!r}"]
    for sentence in sentences(reading.section("roi", "executive_summary")):
        for m in re.finditer(r"(-?\d[\d.,]*) times the cost", sentence):
            if card and m.group(1) != card.rstrip("x"):
                found.append(f"{sentence!r} beside the card {card!r}")
    if roi.multiple is not None and roi.multiple < 1 and card and float(card.rstrip("x")) >= 1:
        found.append(f"multiple {roi.multiple:.3f} shown as {card!r}")
    return found


@rule
def payback_is_one_figure(reading: Reading) -> list[str]:
    card, section = reading.cards.get("Payback"), _card(reading, "roi", "Payback")
    return [] if card == section else [f"pack card {card!r} vs ROI report {section!r}"]


@rule
def the_bill_today_is_one_figure(reading: Reading) -> list[str]:
    card, section = reading.cards.get("AI bill today (monthly)"), _card(reading, "costs", "LLM bill today")
    if section is None:
        return []
    return [] if _same_money(card, section) else [f"pack card {card!r} vs cost report {section!r}"]


@rule
def the_optimized_bill_is_the_plans_target(reading: Reading) -> list[str]:
    """The headline's optimized bill is the plan's cost target; a plan without a cost lever has none."""
    target = reading.engagement.roadmap.cost_target_monthly
    label = next((k for k in reading.cards if k.startswith("AI bill optimi")), None)
    card = reading.cards.get(label) if label else None
    roadmap_card = _card(reading, "roadmap", "Cost target")
    if target is None:
        return [f"{label}: {card!r} with no cost lever in the plan"] if _money_value(card) is not None else []
    return [] if _same_money(card, roadmap_card) else [f"pack card {card!r} vs roadmap's target {roadmap_card!r}"]


# --- a loss is a loss ------------------------------------------------------------------------------------------------

@rule
def a_loss_is_written_as_a_loss(reading: Reading) -> list[str]:
    found = []
    for s in reading.sections:
        for sentence in sentences(s.text):
            if re.search(r"\b(?:net )?gain of -|\bsaving(?:s)? of -|\bnets -", sentence):
                found.append(f"{s.where}: {sentence!r}")
    return found


# --- the plan's people exist -----------------------------------------------------------------------------------------

NO_TEAM_PHRASES = re.compile(r"named engineers|team owns the stack|leaves the team owning|the client's engineers put "
                             r"in|engineers put in|hand-over of the stack to the team", re.I)


@rule
def the_plans_people_exist(reading: Reading) -> list[str]:
    found = []
    roadmap, profile = reading.engagement.roadmap, reading.profile
    if profile.team.engineers == 0:
        for a in roadmap.activities:
            if "client_engineers" in (a.activity.owner, *a.activity.involves):
                found.append(f"activity {a.activity.title!r} for client engineers the client does not have")
        for s in reading.sections:
            found += [f"{s.where}: {x!r}" for x in sentences(s.text) if NO_TEAM_PHRASES.search(x)]
    return found


@rule
def the_bridge_reaches_the_hire(reading: Reading) -> list[str]:
    """On the full-time route the bridge covers the time until the hire starts, or the reports show the gap left
    uncovered and what it costs."""
    e = reading.engagement
    if e.route != "full_time":
        return []
    months = reading.playbook.costs.with_overrides(reading.profile.costs).leadership.full_time.months_to_hire.mid
    hire_starts = e.start + dt.timedelta(days=round(months * 365.25 / 12))
    if e.end >= hire_starts:
        return []
    shown = [x for s in reading.texts("roadmap") + reading.texts("roi") for x in sentences(s.text)
             if re.search(r"\bgap\b", x) and amounts(x)]
    return [] if shown else [f"the bridge ends {e.end}, the hire starts about {hire_starts}; no costed gap is shown"]


# --- fee and fee plus your team's time -------------------------------------------------------------------------------

@rule
def the_fee_is_named_apart(reading: Reading) -> list[str]:
    """An amount said to be what the engagement costs is its fee; the fee with the client's own days says so."""
    fee = reading.engagement.costs.engagement_cost
    found = []
    for s in reading.sections:
        for sentence in sentences(s.text):
            m = re.search(r"(\S+) for (?:an? )?\d+-week [\w ]*?(?:engagement|bridge)|the \d+-week engagement costs "
                          r"(\S+)", sentence)
            if not m:
                continue
            shown = amounts(m.group(1) or m.group(2))
            if shown and abs(shown[0].value - Decimal(str(round(fee, 2)))) > shown[0].step / 2 + 1 and not re.search(
                    r"team's time|own days|own time", sentence):
                found.append(f"{s.where}: {sentence!r} (the fee is {fee:,.0f})")
    return found


# --- paid days are working days --------------------------------------------------------------------------------------

@rule
def holidays_are_not_billed(reading: Reading) -> list[str]:
    roadmap, e = reading.engagement.roadmap, reading.profile.engagement
    day, last = roadmap.start, roadmap.start + dt.timedelta(days=7 * e.weeks - 1)
    working = 0
    while day <= last:
        working += day.weekday() < 5 and day not in roadmap.holidays
        day += dt.timedelta(days=1)
    paid = e.days_per_week * working / 5
    if abs(roadmap.cto_days_paid - paid) > 0.05:
        return [f"{roadmap.cto_days_paid:g} CTO days paid for {working} working days at {e.days_per_week:g} a week "
                f"({paid:.1f})"]
    return []


# --- the plan delivers what the ROI counts ---------------------------------------------------------------------------

@rule
def no_days_on_a_lever_worth_nothing(reading: Reading) -> list[str]:
    savings = reading.engagement.costs.ai_spend.savings_by_lever
    return [f"{a.activity.title!r} works on {', '.join(a.activity.addresses.levers)}, valued at 0"
            for a in reading.engagement.roadmap.activities
            if a.activity.addresses.levers and not a.always and not a.blockers and not a.gaps
            and not any(savings.get(lever, 0) > 0 for lever in a.activity.addresses.levers)]


@rule
def launch_blockers_before_optimisation(reading: Reading) -> list[str]:
    roadmap = reading.engagement.roadmap
    blocker_work = [a for a in roadmap.activities if a.blockers]
    lever_work = [a for a in roadmap.activities if a.activity.addresses.levers and not a.blockers and not a.always]
    if not blocker_work or not lever_work:
        return []
    first_blocker = min(blocker_work, key=lambda a: a.start)
    first_lever = min(lever_work, key=lambda a: a.start)
    if first_lever.start < first_blocker.start:
        return [f"{first_lever.activity.title!r} starts {first_lever.start}, before the first launch blocker's work "
                f"{first_blocker.activity.title!r} on {first_blocker.start}"]
    return []


@rule
def a_product_in_production_has_no_launch(reading: Reading) -> list[str]:
    if not getattr(reading.profile.situation, "in_production", False):
        return []
    launch = reading.engagement.roadmap.milestone("production_launch")
    return [f"production launch planned on {launch.date} for a product already in production"] if launch else []


@rule
def a_high_multiple_is_explained_to_the_board(reading: Reading) -> list[str]:
    roi = reading.engagement.roi.base
    threshold = reading.playbook.checks.roi_multiple_max
    if roi.multiple is None or roi.multiple <= threshold:
        return []
    board = reading.section("roi", "executive_summary")
    return [] if re.search(r"\bwhy\b|\bbecause\b", board, re.I) else [f"{roi.multiple:.1f}x with no explanation"]


@rule
def arithmetic_as_written_adds_up(reading: Reading) -> list[str]:
    """'$5.0M ... bring it to $2.3M, saving $2.8M': what is taken away and what is left add up to what there was."""
    found = []
    for s in reading.sections:
        for sentence in sentences(s.text):
            m = re.search(r"bill is (\S+) a month.*?bring it to (\S+), saving (\S+) a month", sentence)
            if m:
                was, left, saved = (amounts(x)[0] for x in m.groups())
                if abs(was.value - left.value - saved.value) >= max(was.step, left.step, saved.step):
                    found.append(f"{s.where}: {sentence!r}")
    return found


@rule
def the_proposal_bills_the_engagements_fee(reading: Reading) -> list[str]:
    """The proposal's fee is the cost breakdown's, in full, and its instalments add up to it as written."""
    text = reading.section("proposal", "fees")
    fee = Decimal(str(round(reading.engagement.costs.engagement_cost, 2)))
    found = [] if any(a.value == fee and a.step <= 1 for a in amounts(text)) else [f"fee {fee} not in {text!r}"]
    rows = [line.split("\t") for line in text.splitlines() if line.count("\t") == 2 or line.startswith("Total\t")]
    parts = [amounts(r[-1])[0].value for r in rows[1:] if amounts(r[-1]) and r[0] != "Total"]
    total = [amounts(r[-1])[0].value for r in rows if r[0] == "Total" and amounts(r[-1])]
    if not total or sum(parts) != total[0] or total[0] != fee:
        found.append(f"instalments {[str(p) for p in parts]} against the total {total} and the fee {fee}")
    return found


# --- words a board reads ---------------------------------------------------------------------------------------------

RAW = re.compile(r"playbook/[\w/.-]+|\((?:costs|roi|engagement|team|value|situation|roadmap)\.[\w.]+\)|"
                 r"\bNone\b|\bnan\b|\binf\b")


@rule
def no_raw_keys_or_paths(reading: Reading) -> list[str]:
    return [f"{s.where}: {m.group(0)!r} in {s.text[max(0, m.start() - 40):m.end() + 20]!r}"
            for s in reading.sections for m in RAW.finditer(s.text)]


@rule
def one_spelling_across_outputs(reading: Reading) -> list[str]:
    british = reading.playbook.brand.locale == "en-GB"
    forms = r"(?:e|ed|es|ing|ation|ations)\b"
    wrong = re.compile(rf"\boptimiz{forms}|\bmodeled\b|\bjudgment\b" if british else
                       rf"\boptimis{forms}|\bmodelled\b|\bjudgement\b", re.I)
    found = [f"roadmap.csv: {m.group(0)!r}" for m in wrong.finditer(reading.csv)]
    found += [f"{s.where}: {m.group(0)!r}" for s in reading.sections for m in wrong.finditer(s.text)]
    return found


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"


@rule
def dates_in_a_range_agree(reading: Reading) -> list[str]:
    """'Dec 14 to March 3, 2027': a range gives both ends a year when they fall in different years, and writes
    both months alike."""
    pattern = re.compile(rf"\b({_MONTH}) (\d{{1,2}})(, \d{{4}})? (?:to|–|-) ({_MONTH}) (\d{{1,2}})(, \d{{4}})")
    found = []
    for s in reading.sections:
        for m in pattern.finditer(s.text):
            short = [len(m.group(1)) <= 4, len(m.group(4)) <= 4]
            if m.group(3) is None and short[0] != short[1]:
                found.append(f"{s.where}: {m.group(0)!r}")
    return found


@rule
def one_basis_per_comparison(reading: Reading) -> list[str]:
    """Every option in the ROI's comparison counts the same kinds of cost: the client's own days in the plan in
    each (the same plan, whoever leads it), and on the full-time route the hire's cost in both."""
    alternatives = reading.engagement.roi.alternatives
    kinds = {arm: {k for k, v in o.cost_by_source.items()} for arm, o in alternatives.items()}
    found = []
    if reading.engagement.route in ("fractional", "full_time"):
        found += [f"{arm} counts no client days" for arm, k in kinds.items() if "client_time" not in k]
    if reading.engagement.route == "full_time":
        found += [f"{arm} counts no hire" for arm, k in kinds.items() if "hire" not in k]
    return found


@rule
def reads_as_a_senior_consultant_writes(reading: Reading) -> list[str]:
    """The report linter (tests/report_linter.py) on every section's words, as the browser tests run it on the
    examples' reports: counts, articles, money formats, arithmetic, spelling, dates, raw keys."""
    locale = reading.playbook.brand.locale
    client = list(client_words(reading.profile))
    return [f"{s.where}: {finding}" for s in reading.sections for finding in lint_text(s.text, locale, client)]


@rule
def every_paid_week_says_what_it_is_for(reading: Reading) -> list[str]:
    """The week-by-week table runs to the engagement's last paid week, and no week in it is blank."""
    roadmap = reading.engagement.roadmap
    weeks = (roadmap.engagement_end - roadmap.start).days // 7 + 1
    rows = [line.split("\t") for line in reading.section("roadmap", "week_table").splitlines()[1:]]
    shown = {int(r[0]): r for r in rows if r and r[0].isdigit()}
    missing = [w for w in range(1, weeks + 1) if w not in shown]
    blank = [w for w, r in shown.items() if w <= weeks and (len(r) < 4 or r[3].strip() in ("", "-"))]
    return ([f"paid weeks {missing} are not in the week table"] if missing else []) + \
        ([f"paid weeks {blank} show no work and say nothing"] if blank else [])
