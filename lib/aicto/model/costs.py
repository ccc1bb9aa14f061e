"""What each way of getting AI leadership really costs, and the hidden costs of going without.

Every figure is derived from the ranges in playbook/costs/assumptions.yaml (after the client's overrides): nothing
here is a typed-in result, so changing one assumption moves every number that depends on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from aicto.model.ai_spend import SpendResult, price_spend
from aicto.model.calendar import cto_days_paid, engaged_days
from aicto.model.capacity import ai_team_weekly_cost
from aicto.profile.activities import CapacityDefaults, Route
from aicto.profile.assumptions import (
    CLIENT_SOURCE,
    AgencyAssumptions,
    CostAssumptions,
    FractionalAssumptions,
    FullTimeAssumptions,
    Range,
)
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile
from aicto.text.words import count_range

OptionId = Literal["full_time", "agency", "fractional"]
WEEKS_PER_MONTH = 52 / 12
MONEY_FIELDS = {"salary", "equity_per_year", "monthly_retainer", "project_fees_per_year", "day_rate",
                "product_day_rate", "leadership_day_rate"}


@dataclass(frozen=True)
class Span:
    """A low-high pair of derived figures."""

    low: float
    high: float

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    def at(self, case: str) -> float:
        return {"low": self.low, "base": self.mid, "high": self.high}[case]


@dataclass(frozen=True)
class HorizonCost:
    """Total cost of an option over the client's horizon, by component."""

    leadership: Span
    one_time: Span
    waiting: Span
    risk: Span

    @property
    def total(self) -> Span:
        parts = (self.leadership, self.one_time, self.waiting, self.risk)
        return Span(sum(p.low for p in parts), sum(p.high for p in parts))


@dataclass(frozen=True)
class LeadershipOption:
    id: OptionId
    name: str
    annual: Span
    one_time: Span
    months_to_impact: Span
    time_to_impact: str
    risk: Span
    risk_basis: str
    knowledge_stays: str
    horizon: HorizonCost


@dataclass(frozen=True)
class HiddenCosts:
    wrong_decisions: int
    weeks_per_wrong_decision: Range
    team_weekly_cost: float  # the AI team: the engineers' weekly days on the AI work at loaded cost
    llm_overrun_monthly: float
    llm_overrun_horizon: float
    delay_cost_per_month: float


@dataclass(frozen=True)
class CostBreakdown:
    assumptions: CostAssumptions
    options: dict[OptionId, LeadershipOption]
    hidden: HiddenCosts
    ai_spend: SpendResult
    horizon_months: int
    engagement_cost: float  # the fee: the day rate x the CTO's paid days
    fractional_annual_for_client: float
    cto_days_paid: float  # days a week x the engagement's working days / 5 (calendar.cto_days_paid)


def client_assumptions(profile: Profile, playbook: Playbook) -> CostAssumptions:
    """Playbook defaults in the client's currency, then the client's own overrides on top."""
    base = playbook.costs
    fx = profile.client.fx
    if fx != 1.0:
        base = _convert_money(base, fx)
    return base.with_overrides(profile.costs)


def _convert_money(assumptions: CostAssumptions, fx: float) -> CostAssumptions:
    data = assumptions.model_dump()
    for group in [*data["leadership"].values(), data["client_time"]]:
        for name in MONEY_FIELDS & set(group):
            if group[name]["source"] != CLIENT_SOURCE:
                group[name] = {**group[name], "low": group[name]["low"] * fx, "high": group[name]["high"] * fx}
    return CostAssumptions.model_validate(data)


def _range_label(r: Range | Span, noun: str) -> str:
    """A range of a count, "2-4 weeks", or "1 month" when both ends agree."""
    return count_range(r.low, r.high, noun)


def _multiple_label(r: Range) -> str:
    """A multiple as the reports write one ("2x", "1.5-2x"); × is kept for the operator of a worked sum."""
    return f"{r.low:g}-{r.high:g}x" if r.low != r.high else f"{r.low:g}x"


def _pct_label(r: Range) -> str:
    return f"{r.low:.0%}-{r.high:.0%}" if r.low != r.high else f"{r.low:.0%}"


def full_time_option(a: FullTimeAssumptions, horizon: int, monthly_value: float) -> LeadershipOption:
    s = a.salary
    annual = Span(s.low * (1 + a.benefits_rate.low) + a.equity_per_year.low,
                  s.high * (1 + a.benefits_rate.high) + a.equity_per_year.high)
    fee = Span(s.low * a.recruiting_fee_rate.low, s.high * a.recruiting_fee_rate.high)
    months = Span(a.months_to_hire.low + a.months_to_ramp.low, a.months_to_hire.high + a.months_to_ramp.high)
    risk = Span(a.failure_probability.low * a.failure_cost_salary_multiple.low * s.low,
                a.failure_probability.high * a.failure_cost_salary_multiple.high * s.high)
    # the dearer salary is paid for fewer months when the hire takes longer: the range runs from the cheaper of the
    # two cases to the dearer, so a wide hiring time never prints a range whose low is above its high
    paid = Span(*sorted((annual.low / 12 * max(0.0, horizon - a.months_to_hire.low),
                         annual.high / 12 * max(0.0, horizon - a.months_to_hire.high))))
    return LeadershipOption(
        "full_time", "Full-time AI CTO", annual, fee, months,
        f"{_range_label(a.months_to_hire, 'month')} to hire + {_range_label(a.months_to_ramp, 'month')} to ramp",
        risk, f"{_pct_label(a.failure_probability)} chance the hire fails × "
              f"{_multiple_label(a.failure_cost_salary_multiple)} salary", "Yes",
        HorizonCost(paid, fee, Span(months.low * monthly_value, months.high * monthly_value), risk))


def _retainer_option(option_id: OptionId, name: str, annual: Span, months: Span, time_to_impact: str,
                     failure: Range, failure_months: Range, failure_text: str, knowledge: str, horizon: int,
                     monthly_value: float) -> LeadershipOption:
    """An option paid as a running fee from day one (agency, fractional): failure costs months of that fee."""
    risk = Span(failure.low * failure_months.low * annual.low / 12,
                failure.high * failure_months.high * annual.high / 12)
    basis = f"{_pct_label(failure)} chance {failure_text} × {_range_label(failure_months, 'month')} of fees"
    return LeadershipOption(
        option_id, name, annual, Span(0, 0), months, time_to_impact, risk, basis, knowledge,
        HorizonCost(Span(annual.low / 12 * horizon, annual.high / 12 * horizon), Span(0, 0),
                    Span(months.low * monthly_value, months.high * monthly_value), risk))


def agency_option(a: AgencyAssumptions, horizon: int, monthly_value: float) -> LeadershipOption:
    annual = Span(12 * a.monthly_retainer.low + a.project_fees_per_year.low,
                  12 * a.monthly_retainer.high + a.project_fees_per_year.high)
    return _retainer_option("agency", "AI consultancy / agency", annual,
                            Span(a.months_to_impact.low, a.months_to_impact.high),
                            _range_label(a.months_to_impact, "month"), a.failure_probability,
                            a.failure_cost_months, "the project is abandoned", "No: leaves with the agency",
                            horizon, monthly_value)


def fractional_option(a: FractionalAssumptions, horizon: int, monthly_value: float) -> LeadershipOption:
    annual = Span(a.day_rate.low * a.days_per_week.low * a.working_weeks_per_year.low,
                  a.day_rate.high * a.days_per_week.high * a.working_weeks_per_year.high)
    return _retainer_option("fractional", "Fractional AI CTO", annual,
                            Span(a.weeks_to_start.low / WEEKS_PER_MONTH, a.weeks_to_start.high / WEEKS_PER_MONTH),
                            f"{_range_label(a.weeks_to_start, 'week')} to start", a.failure_probability,
                            a.failure_cost_months, "it does not work out (notice period)",
                            "Yes, through the hand-over", horizon, monthly_value)


def hidden_costs(profile: Profile, a: CostAssumptions, spend: SpendResult, capacity: CapacityDefaults) -> HiddenCosts:
    """Rework is priced at the people who would redo it: the engineers' time on the AI work, not the whole org (what
    the wrong decisions cost on the client's route is `rework`)."""
    count = profile.value.wrong_decisions if profile.value else 0
    horizon = profile.engagement.horizon_months
    return HiddenCosts(count, a.hidden.weeks_per_wrong_decision, ai_team_weekly_cost(profile, capacity),
                       spend.savings_monthly,
                       float(spend.savings_monthly * spend.growth(horizon, a.ai_spend.growth_months.mid).sum()),
                       profile.monthly_value)


@dataclass(frozen=True)
class Rework:
    """The wrong decisions senior AI leadership avoids, priced at whoever would redo the work on the client's route:
    its AI team, or, on the agency route (no engineers of its own), the agency's fees. The cost report, the ROI and
    summary.json all read this one figure."""

    decisions: int
    weeks: Range
    weekly: float
    payer: Literal["team", "agency"]
    cost: Span


def rework(costs: CostBreakdown, route: Route) -> Rework:
    h = costs.hidden
    agency = route == "agency_or_cofounder"
    weekly = costs.options["agency"].annual.mid / 52 if agency else h.team_weekly_cost
    w = h.weeks_per_wrong_decision
    return Rework(h.wrong_decisions, w, weekly, "agency" if agency else "team",
                  Span(h.wrong_decisions * w.low * weekly, h.wrong_decisions * w.high * weekly))


def waiting_as_the_roi_counts_it(options: dict[OptionId, LeadershipOption], earlier: Range,
                                 monthly_value: float) -> dict[OptionId, LeadershipOption]:
    """The cost of waiting, one figure in the cost report and the ROI: the feature's value for the months its
    launch comes later than with the fractional CTO, each option's extra time to impact but at most the months
    senior AI leadership brings production forward (roi.months_earlier: the team keeps building meanwhile)."""
    frac = options["fractional"].months_to_impact
    out = {}
    for key, o in options.items():
        late = Span(max(0.0, o.months_to_impact.low - frac.low), max(0.0, o.months_to_impact.high - frac.high))
        waiting = Span(monthly_value * min(late.low, earlier.low), monthly_value * min(late.high, earlier.high))
        out[key] = replace(o, horizon=replace(o.horizon, waiting=waiting))
    return out


def cost_breakdown(profile: Profile, playbook: Playbook, today: dt.date | None = None) -> CostBreakdown:
    """`today` dates an engagement without a start date (the Monday after it), as the plan does."""
    a = client_assumptions(profile, playbook)
    horizon, value = profile.engagement.horizon_months, profile.monthly_value
    lead = a.leadership
    options: dict[OptionId, LeadershipOption] = {
        "full_time": full_time_option(lead.full_time, horizon, value),
        "agency": agency_option(lead.agency, horizon, value),
        "fractional": fractional_option(lead.fractional, horizon, value),
    }
    options = waiting_as_the_roi_counts_it(options, playbook.roi.with_overrides(profile.roi).months_earlier, value)
    spend = price_spend(profile.ai_spend, a.ai_spend, profile.client.fx)
    f = lead.fractional
    hidden = hidden_costs(profile, a, spend, playbook.roadmap.capacity)
    paid = cto_days_paid(profile.engagement.days_per_week, len(engaged_days(profile, today)))
    return CostBreakdown(a, options, hidden, spend, horizon, f.day_rate.mid * paid,
                         f.day_rate.mid * profile.engagement.days_per_week * f.working_weeks_per_year.mid, paid)
