"""ROI of the fractional engagement: value from speed, avoided mistakes and LLM savings against its cost.

Everything is a month-by-month cash flow over the client's horizon (month m covers [m-1, m) in engagement time),
so payback, NPV and the comparison with a full-time hire or an agency all come from one model. Inputs come from
the cost breakdown (fee, hidden-cost ranges, LLM savings) and playbook/roi/assumptions.yaml; nothing is typed in
twice. Scenarios and the Monte Carlo evaluate the same vectorised flows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from aicto.assumptions import RoiAssumptions
from aicto.costs import WEEKS_PER_MONTH, CostBreakdown, OptionId, cost_breakdown
from aicto.playbook import Playbook
from aicto.profile import Profile

CASES = ("conservative", "base", "optimistic")
SOURCES = ("speed", "avoided_mistakes", "cost_optimisation")
SOURCE_NAMES = {"speed": "Speed to production", "avoided_mistakes": "Avoided mistakes",
                "cost_optimisation": "LLM cost optimisation"}


@dataclass(frozen=True)
class Drivers:
    """The uncertain inputs of one evaluation; each may be a number or an array of Monte Carlo draws."""

    monthly_value: float | np.ndarray
    months_earlier: float | np.ndarray
    launch_month: float | np.ndarray
    savings_monthly: float | np.ndarray
    savings_start_month: float | np.ndarray
    avoided_mistakes: float | np.ndarray
    day_rate: float | np.ndarray


DRIVER_NAMES = {
    "monthly_value": "Monthly value of the AI feature",
    "months_earlier": "Months earlier to production",
    "launch_month": "Month the feature goes live",
    "savings_monthly": "LLM saving per month",
    "savings_start_month": "Month LLM savings start",
    "avoided_mistakes": "Value of avoided mistakes",
    "day_rate": "Fractional day rate",
}


@dataclass(frozen=True)
class CashFlows:
    """Monthly value by source and monthly cost, shape (draws, months) or (months,)."""

    value: dict[str, np.ndarray]
    cost: np.ndarray

    @property
    def total_value(self) -> np.ndarray:
        return sum(self.value.values())  # type: ignore[return-value]

    @property
    def net(self) -> np.ndarray:
        return self.total_value - self.cost


@dataclass(frozen=True)
class Outcome:
    net_value: float
    total_value: float
    total_cost: float
    multiple: float | None  # None when nothing is spent
    payback_month: int | None
    npv: float
    value_by_source: dict[str, float]


@dataclass(frozen=True)
class MonteCarlo:
    seed: int
    draws: int
    net_values: np.ndarray
    payback_months: np.ndarray  # horizon + 1 where it never pays back

    def net_percentile(self, p: float) -> float:
        return float(np.percentile(self.net_values, p))

    def payback_percentile(self, p: float, horizon: int) -> int | None:
        month = int(math.ceil(np.percentile(self.payback_months, p, method="higher")))
        return month if month <= horizon else None


@dataclass(frozen=True)
class RoiResult:
    horizon_months: int
    discount_rate: float
    assumptions: RoiAssumptions
    costs: CostBreakdown
    drivers: dict[str, Drivers]
    flows: CashFlows
    base: Outcome
    scenarios: dict[str, Outcome]
    alternatives: dict[OptionId, Outcome]
    monte_carlo: MonteCarlo
    tornado: list[tuple[str, float, float]] = field(default_factory=list)  # (driver, net at low, net at high)


def _months(horizon: int) -> np.ndarray:
    return np.arange(1, horizon + 1, dtype=float)


def _overlap(start, end, months: np.ndarray) -> np.ndarray:
    """Share of each month [m-1, m) covered by the interval [start, end); broadcasts over draws."""
    start = np.asarray(start, dtype=float)[..., None]
    end = np.asarray(end, dtype=float)[..., None]
    return np.clip(np.minimum(months, end) - np.maximum(months - 1, start), 0.0, 1.0)


def value_flows(d: Drivers, horizon: int, engagement_months: float, delay: float = 0.0) -> dict[str, np.ndarray]:
    """Monthly value by source; `delay` shifts everything for an option that has impact later than fractional."""
    months = _months(horizon)
    earlier = np.maximum(np.asarray(d.months_earlier, dtype=float) - delay, 0.0)
    live = np.asarray(d.launch_month, dtype=float) - 1 + delay
    speed = np.asarray(d.monthly_value, dtype=float)[..., None] * _overlap(live, live + earlier, months)
    start = np.asarray(d.savings_start_month, dtype=float) - 1 + delay
    savings = np.asarray(d.savings_monthly, dtype=float)[..., None] * _overlap(start, horizon, months)
    spread = _overlap(delay, delay + engagement_months, months) / max(engagement_months, 1e-9)
    mistakes = np.asarray(d.avoided_mistakes, dtype=float)[..., None] * spread
    return {"speed": speed, "avoided_mistakes": mistakes, "cost_optimisation": savings}


def spread_cost(total, start: float, end: float, horizon: int) -> np.ndarray:
    """A total paid evenly over [start, end) in engagement months, cut at the horizon."""
    months = _months(horizon)
    span = max(end - start, 1e-9)
    return np.asarray(total, dtype=float)[..., None] * _overlap(start, end, months) / span


def outcome(flows: CashFlows, discount_rate: float) -> Outcome:
    value, cost = flows.total_value, flows.cost
    horizon = len(cost)
    payback = int(payback_months(value - cost, horizon))
    monthly_rate = (1 + discount_rate) ** (1 / 12) - 1
    factors = (1 + monthly_rate) ** -_months(len(cost))
    total_value, total_cost = float(value.sum()), float(cost.sum())
    return Outcome(
        net_value=total_value - total_cost, total_value=total_value, total_cost=total_cost,
        multiple=total_value / total_cost if total_cost else None,
        payback_month=payback if payback <= horizon else None,
        npv=float(((value - cost) * factors).sum()),
        value_by_source={k: float(v.sum()) for k, v in flows.value.items()},
    )


def payback_months(net: np.ndarray, horizon: int) -> np.ndarray:
    """The month in which cumulative value exceeds cumulative cost for good, per draw; horizon + 1 when it never
    does. "For good": a hire whose cost starts later can be ahead in month 1 and behind for the rest of the
    horizon, and a board must not read that as paid back."""
    behind = np.cumsum(net, axis=-1) <= 1e-9
    last_behind = np.where(behind.any(axis=-1), horizon - 1 - behind[..., ::-1].argmax(axis=-1), -1)
    return last_behind + 2


def scenario_drivers(profile: Profile, roi: RoiAssumptions, costs: CostBreakdown) -> dict[str, Drivers]:
    """Conservative takes every input at its least favourable end, optimistic at its most favourable."""
    spend, hidden = costs.ai_spend, costs.hidden.wrong_decisions_cost
    rate = costs.assumptions.leadership.fractional.day_rate
    value = profile.monthly_value
    return {
        case: Drivers(
            monthly_value=value * roi.monthly_value_factor.at(c),
            months_earlier=roi.months_earlier.at(c),
            launch_month=roi.launch_month.at(w),
            savings_monthly={"low": spend.savings_monthly_low, "base": spend.savings_monthly,
                             "high": spend.savings_monthly_high}[c],
            savings_start_month=roi.savings_start_month.at(w),
            avoided_mistakes=hidden.at(c),
            day_rate=rate.at(w),
        )
        for case, c, w in (("conservative", "low", "high"), ("base", "base", "base"), ("optimistic", "high", "low"))
    }


def fractional_flows(d: Drivers, profile: Profile, horizon: int) -> CashFlows:
    e = profile.engagement
    months = e.weeks / WEEKS_PER_MONTH
    fee = np.asarray(d.day_rate, dtype=float) * e.days_per_week * e.weeks  # as costs.engagement_cost, per draw
    return CashFlows(value_flows(d, horizon, months), spread_cost(fee, 0.0, months, horizon))


def alternative_flows(option: OptionId, d: Drivers, profile: Profile, costs: CostBreakdown) -> CashFlows:
    """The same value, later by the option's extra time to impact, against that option's own costs:
    an agency engaged for the same project length, a full-time hire employed for the whole horizon."""
    horizon = costs.horizon_months
    if option == "fractional":
        return fractional_flows(d, profile, horizon)
    o, frac = costs.options[option], costs.options["fractional"]
    delay = max(0.0, o.months_to_impact.mid - frac.months_to_impact.mid)
    months = profile.engagement.weeks / WEEKS_PER_MONTH
    if option == "agency":
        paid = months + o.months_to_impact.mid
        cost = spread_cost(o.annual.mid / 12 * paid + o.risk.mid, 0.0, paid, horizon)
    else:
        hired = costs.assumptions.leadership.full_time.months_to_hire.mid
        cost = (spread_cost(o.one_time.mid, 0.0, 1.0, horizon)
                + spread_cost(o.annual.mid / 12 * max(horizon - hired, 0.0), hired, horizon, horizon)
                + spread_cost(o.risk.mid, 0.0, horizon, horizon))
    return CashFlows(value_flows(d, horizon, months, delay), cost)


def monte_carlo(profile: Profile, roi: RoiAssumptions, horizon: int, drivers: dict[str, Drivers]) -> MonteCarlo:
    """Triangular draws between each input's conservative and optimistic end, peaked at its base value; seeded,
    so reproducible."""
    settings = roi.monte_carlo
    rng = np.random.default_rng(settings.seed)
    n = settings.draws

    def draw(name: str) -> np.ndarray:
        a, b = getattr(drivers["conservative"], name), getattr(drivers["optimistic"], name)
        mode = getattr(drivers["base"], name)
        lo, hi = min(a, b), max(a, b)
        return rng.triangular(lo, mode, hi, n) if hi > lo else np.full(n, float(mode))

    drawn = Drivers(**{name: draw(name) for name in DRIVER_NAMES})
    net = fractional_flows(drawn, profile, horizon).net
    return MonteCarlo(settings.seed, n, net.sum(axis=-1), payback_months(net, horizon))


def tornado(profile: Profile, drivers: dict[str, Drivers], horizon: int) -> list[tuple[str, float, float]]:
    """Net value with one input at its conservative and optimistic end and the rest at base, widest swing first."""
    base = drivers["base"]
    rows = []
    for name in DRIVER_NAMES:
        nets = [float(fractional_flows(replace(base, **{name: getattr(drivers[case], name)}), profile, horizon)
                      .net.sum()) for case in ("conservative", "optimistic")]
        rows.append((name, nets[0], nets[1]))
    return sorted(rows, key=lambda r: -abs(r[2] - r[1]))


def roi_analysis(profile: Profile, playbook: Playbook, costs: CostBreakdown | None = None) -> RoiResult:
    costs = costs or cost_breakdown(profile, playbook)
    roi = playbook.roi.with_overrides(profile.roi)
    horizon, rate = costs.horizon_months, profile.engagement.discount_rate
    drivers = scenario_drivers(profile, roi, costs)
    flows = fractional_flows(drivers["base"], profile, horizon)
    scenarios = {case: outcome(fractional_flows(drivers[case], profile, horizon), rate) for case in CASES}
    alternatives = {o: outcome(alternative_flows(o, drivers["base"], profile, costs), rate)
                    for o in ("fractional", "full_time", "agency")}
    return RoiResult(horizon, rate, roi, costs, drivers, flows, scenarios["base"], scenarios, alternatives,
                     monte_carlo(profile, roi, horizon, drivers), tornado(profile, drivers, horizon))
