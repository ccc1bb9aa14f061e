"""ROI of the fractional engagement: value from speed, avoided mistakes and LLM savings against its cost.

Everything is a month-by-month cash flow over the client's horizon (month m covers [m-1, m) in engagement time),
so payback, NPV and the comparison with a full-time hire or an agency all come from one model. Inputs come from
the cost breakdown (fee, hidden-cost ranges, LLM savings) and playbook/roi/assumptions.yaml; nothing is typed in
twice. Scenarios and the Monte Carlo evaluate the same vectorised flows.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field

import numpy as np

from aicto.model.bridge import HireBridge, hire_bridge
from aicto.model.capacity import client_day_rates
from aicto.model.costs import WEEKS_PER_MONTH, CostBreakdown, OptionId, cost_breakdown, rework
from aicto.model.roadmap import Roadmap, plan_roadmap
from aicto.profile.activities import Route
from aicto.profile.assumptions import RoiAssumptions
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile

CASES = ("conservative", "base", "optimistic")
SOURCES = ("speed", "feature", "avoided_mistakes", "wrong_bet", "cost_optimisation")
SOURCE_NAMES = {"speed": "Speed to production", "feature": "The feature, live with the partner",
                "avoided_mistakes": "Avoided mistakes", "wrong_bet": "Avoided wrong bet",
                "cost_optimisation": "LLM cost optimisation"}
DAYS_PER_MONTH = 365.25 / 12
MONTE_CARLO_CHUNK = 1000  # draws evaluated together: their monthly flows stay in the CPU's cache, several times faster
# The options each route's ROI compares, each counting the same kinds of cost and value over the same horizon; the
# first is the route itself. The headline ROI is the first option's, except on the full-time route, where both
# options pay for the hire and the headline is what the bridge adds (HEADLINE).
ARMS: dict[Route, tuple[str, ...]] = {
    "fractional": ("fractional", "full_time", "agency"),
    "full_time": ("bridge_then_hire", "hire_and_wait"),
    "agency_or_cofounder": ("agency_with_buyer", "agency_alone"),
    "product_first": ("sprint_first", "build_now"),
}
HEADLINE: dict[Route, str] = {"full_time": "bridge_gain"}
ARM_NAMES = {"fractional": "Fractional AI CTO", "full_time": "Full-time AI CTO", "agency": "AI consultancy / agency",
             "bridge_then_hire": "Fractional bridge, then the full-time hire", "hire_and_wait": "Hire and wait",
             "agency_with_buyer": "Agency, with a fractional CTO as technical buyer",
             "agency_alone": "Agency alone", "sprint_first": "Product-definition sprint first",
             "build_now": "Build now, on an idea nobody chose"}


@dataclass(frozen=True)
class Drivers:
    """The uncertain inputs of one evaluation; each may be a number or an array of Monte Carlo draws."""

    monthly_value: float | np.ndarray
    months_earlier: float | np.ndarray
    delivery_slip: float | np.ndarray
    savings_monthly: float | np.ndarray
    avoided_mistakes: float | np.ndarray
    wrong_bet: float | np.ndarray
    day_rate: float | np.ndarray
    self_found_savings: float | np.ndarray
    client_time: float | np.ndarray  # factor on the client's own days at base day rates
    growth_months: float | np.ndarray  # months a growing bill (and its savings) keeps compounding


DRIVER_NAMES = {
    "monthly_value": "Monthly value of the AI feature",
    "months_earlier": "Months earlier to production",
    "delivery_slip": "Slip of the plan's delivery dates",
    "savings_monthly": "LLM saving per month",
    "avoided_mistakes": "Value of avoided mistakes",
    "wrong_bet": "Engineering a wrong bet would waste",
    "day_rate": "Fractional day rate",
    "self_found_savings": "Share of the saving the client finds itself",
    "client_time": "Day rates of the client's own time",
    "growth_months": "Months the LLM bill keeps growing",
}
COST_NAMES = {"fee": "Fractional CTO fee", "bridge": "Bridge until the hire starts",
              "client_time": "The client's own days in the plan",
              "agency": "Agency fees and expected failure", "hire": "Full-time hire", "wasted_build": "Wasted build"}


def engagement_month(start: dt.date, date: dt.date) -> float:
    """A date in engagement months from the plan's first day, the ROI's time axis."""
    return (date - start).days / DAYS_PER_MONTH


@dataclass(frozen=True)
class Timing:
    """When the plan delivers, in engagement months from the plan's first day (month m covers [m-1, m))."""

    engagement_months: float
    launch: float | None  # the feature goes live; None when the plan has no launch
    lever_starts: dict[str, float]  # lever -> month its saving starts (its activity is done)
    decision: float | None  # the product decision (product first)

    @classmethod
    def of(cls, roadmap: Roadmap, costs: CostBreakdown, weeks: int) -> Timing:
        def month(date: dt.date) -> float:
            return engagement_month(roadmap.start, date)

        launch, selected = roadmap.milestone("production_launch"), roadmap.milestone("partner_selected")
        at = None
        if launch:
            at = month(launch.date)
        elif selected:  # the partner builds after its selection, in the agency's time to impact
            at = month(selected.date) + costs.options["agency"].months_to_impact.mid
        starts = {lever: month(day) for lever, day in roadmap.lever_dates.items()}
        decision = roadmap.milestone("product_decision")
        return cls(weeks / WEEKS_PER_MONTH, at, starts, month(decision.date) if decision else None)


@dataclass(frozen=True)
class CashFlows:
    """Monthly value and cost by source, each shape (draws, months) or (months,)."""

    value: dict[str, np.ndarray]
    costs: dict[str, np.ndarray]

    @property
    def total_value(self) -> np.ndarray:
        return sum(self.value.values())  # type: ignore[return-value]

    @property
    def cost(self) -> np.ndarray:
        return sum(self.costs.values())  # type: ignore[return-value]

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
    cost_by_source: dict[str, float]


@dataclass(frozen=True)
class MonteCarlo:
    seed: int
    draws: int
    net_values: np.ndarray
    payback_months: np.ndarray  # horizon + 1 where it never pays back

    # percentiles worked out so far: a report asks for P10, P50 and P90 several times each, each a partition of
    # every draw
    _percentiles: dict[tuple[str, float], float] = field(default_factory=dict, init=False, repr=False, compare=False)

    def net_percentile(self, p: float) -> float:
        if ("net", p) not in self._percentiles:
            self._percentiles["net", p] = float(np.percentile(self.net_values, p))
        return self._percentiles["net", p]

    def payback_percentile(self, p: float, horizon: int) -> int | None:
        if ("payback", p) not in self._percentiles:
            self._percentiles["payback", p] = np.percentile(self.payback_months, p, method="higher")
        month = int(math.ceil(self._percentiles["payback", p]))
        return month if month <= horizon else None


@dataclass(frozen=True)
class RoiResult:
    route: Route
    subject: str  # what this is the ROI of, e.g. "ROI of the fractional bridge to a full-time hire"
    horizon_months: int
    discount_rate: float
    assumptions: RoiAssumptions
    costs: CostBreakdown
    timing: Timing
    drivers: dict[str, Drivers]
    flows: CashFlows
    base: Outcome
    scenarios: dict[str, Outcome]
    alternatives: dict[str, Outcome]  # the route's options, ARMS order: the route itself first
    model: EngagementModel = field(repr=False, compare=False)

    # The Monte Carlo and the tornado are worked out when first read: only the ROI's own report, summary.json and
    # the pack show them, and in consultant mode the other notebooks' redraws need not wait for their 35 ms.
    @functools.cached_property
    def monte_carlo(self) -> MonteCarlo:
        return monte_carlo(self.assumptions, self.model, self.drivers)

    @functools.cached_property
    def tornado(self) -> list[tuple[str, float, float]]:
        """(driver, net at its conservative end, net at its optimistic end), widest swing first."""
        return tornado(self.model, self.drivers)


def _months(horizon: int) -> np.ndarray:
    return np.arange(1, horizon + 1, dtype=float)


def _overlap(start, end, months: np.ndarray) -> np.ndarray:
    """Share of each month [m-1, m) covered by the interval [start, end); broadcasts over draws."""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    share = np.minimum(months, end[..., None]) - np.maximum(months - 1, start[..., None])
    return np.clip(share, 0.0, 1.0, out=share)


def _after(start, months: np.ndarray) -> np.ndarray:
    """Share of each month after `start`: `_overlap(start, horizon, months)` in half the array passes (for a month
    m within the horizon, m - max(m - 1, start) is min(1, m - start)), as each LLM lever's saving is counted."""
    share = months - np.asarray(start, dtype=float)[..., None]
    return np.clip(share, 0.0, 1.0, out=share)


def _after_sum(weighted: list[tuple[float, np.ndarray]], shape: tuple[int, ...], months: np.ndarray) -> np.ndarray:
    """Σ weight × `_after(start, months)` over (weight, start) pairs, in `shape`, as the LLM levers' savings are
    counted. A month over a month past the latest start counts every weight in full, so only the months before
    it are worked out draw by draw: levers start in the first months of a horizon of dozens, and the Monte Carlo
    does a quarter of the work. The same sums in the same order as adding each `_after` in turn."""
    counted = np.zeros(shape)
    if not weighted:
        return counted
    latest = max(float(np.max(start)) for _, start in weighted)
    starting = min(len(months), max(0, math.ceil(latest) + 1))  # months 1..starting; after them every share is 1
    head = np.zeros(shape[:-1] + (starting,))
    for weight, start in weighted:
        part = months[:starting] - np.asarray(start, dtype=float)[..., None]
        np.clip(part, 0.0, 1.0, out=part)
        part *= weight
        head += part
    counted[..., :starting] = head
    counted[..., starting:] = sum(weight for weight, _ in weighted)
    return counted


def spread_cost(total, start: float, end: float, horizon: int) -> np.ndarray:
    """A total paid evenly over [start, end) in engagement months, cut at the horizon."""
    months = _months(horizon)
    span = np.maximum(np.asarray(end, dtype=float) - start, 1e-9)[..., None]
    return np.asarray(total, dtype=float)[..., None] * _overlap(start, end, months) / span


def _slipped(month: float, d: Drivers) -> np.ndarray:
    return month * (1 + np.asarray(d.delivery_slip, dtype=float))


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
        cost_by_source={k: float(v.sum()) for k, v in flows.costs.items()},
    )


def payback_months(net: np.ndarray, horizon: int) -> np.ndarray:
    """The month in which cumulative value exceeds cumulative cost for good, per draw; horizon + 1 when it never
    does. "For good": a hire whose cost starts later can be ahead in month 1 and behind for the rest of the
    horizon, and a board must not read that as paid back."""
    behind = np.cumsum(net, axis=-1) <= 1e-9
    last_behind = np.where(behind.any(axis=-1), horizon - 1 - behind[..., ::-1].argmax(axis=-1), -1)
    return last_behind + 2


def scenario_drivers(profile: Profile, roi: RoiAssumptions, costs: CostBreakdown, ai_team_monthly: float,
                     client_time: dict[str, float], route: Route = "fractional") -> dict[str, Drivers]:
    """Conservative takes every input at its least favourable end, optimistic at its most favourable. Avoided
    mistakes are priced at whoever would redo the work: the AI team, or on the agency route the agency's fees."""
    spend, hidden = costs.ai_spend, rework(costs, route).cost
    rate = costs.assumptions.leadership.fractional.day_rate
    value = profile.monthly_value
    return {
        case: Drivers(
            monthly_value=value * roi.monthly_value_factor.at(c),
            months_earlier=roi.months_earlier.at(c),
            delivery_slip=roi.delivery_slip.at(w),
            savings_monthly={"low": spend.savings_monthly_low, "base": spend.savings_monthly,
                             "high": spend.savings_monthly_high}[c],
            avoided_mistakes=hidden.at(c),
            wrong_bet=roi.wrong_bet_probability.at(c) * roi.wrong_bet_months.at(c) * ai_team_monthly,
            day_rate=rate.at(w),
            self_found_savings=roi.self_found_savings.at(w),
            client_time=client_time[w],
            growth_months=costs.assumptions.ai_spend.growth_months.at(c),
        )
        for case, c, w in (("conservative", "low", "high"), ("base", "base", "base"), ("optimistic", "high", "low"))
    }


class EngagementModel:
    """The route's options as monthly cash flows, from one set of drivers; the first option is the route's own.

    Value starts when the plan delivers it (Timing); `delay` shifts every delivery of an option that has impact
    later than the plan (a hire still searching). Costs are every cost of the option: the fee over the weeks engaged,
    the client's own person-days in the plan at loaded day rates, and an agency's or a hire's own cost."""

    def __init__(self, route: Route, profile: Profile, costs: CostBreakdown, roadmap: Roadmap,
                 roi: RoiAssumptions, timing: Timing | None = None, bridge: HireBridge | None = None):
        """`timing` defaults to the plan's dates; the progress report passes the dates things actually happened.
        `bridge` is the full-time route's bridge from the engagement's end to the hire's start, if any."""
        self.route, self.profile, self.costs, self.roi, self.bridge = route, profile, costs, roi, bridge
        self.start = roadmap.start
        self.timing = timing or Timing.of(roadmap, costs, profile.engagement.weeks)
        self.horizon = costs.horizon_months
        spend = costs.ai_spend
        total = spend.savings_monthly or 1.0
        self.lever_shares = {lever: saving / total for lever, saving in spend.savings_by_lever.items()
                             if lever in self.timing.lever_starts}
        self.found_from = costs.options["full_time"].months_to_impact.mid  # the client finds savings with a leader
        self.client_cost, self.client_factors = self._client_time(roadmap)
        self._grown: tuple[object, np.ndarray] | None = None

    def _client_time(self, roadmap: Roadmap) -> tuple[np.ndarray, dict[str, float]]:
        """The client's person-days in the plan, by the month they are worked, at base day rates; and the factor
        on that cost at the low and high day rates."""
        totals = {}
        monthly = np.zeros(self.horizon)
        for case in ("low", "base", "high"):
            rates = client_day_rates(self.profile, self.costs.assumptions, case)
            totals[case] = 0.0
            for a in roadmap.activities:
                for day, units in a.work:
                    cost = units * rates[a.activity.owner]
                    totals[case] += cost
                    month = int((day - roadmap.start).days / DAYS_PER_MONTH)
                    if case == "base" and month < self.horizon:
                        monthly[month] += cost
        base = totals["base"] or 1.0
        return monthly, {case: totals[case] / base if totals["base"] else 1.0 for case in ("low", "base", "high")}

    def fee(self, d: Drivers) -> np.ndarray:
        total = np.asarray(d.day_rate, dtype=float) * self.costs.cto_days_paid  # as costs.engagement_cost
        return spread_cost(total, 0.0, self.timing.engagement_months, self.horizon)

    def client_time(self, d: Drivers) -> np.ndarray:
        return np.asarray(d.client_time, dtype=float)[..., None] * self.client_cost

    def value(self, d: Drivers, delay: float = 0.0) -> dict[str, np.ndarray]:
        """Value by source when the plan delivers it: speed from the launch; each lever's saving from the day its
        activity is done, less what the client would have found itself (the counterfactual); avoided mistakes when
        their rework would have happened; a wrong bet avoided from the product decision."""
        t, months, h = self.timing, _months(self.horizon), self.horizon
        shape = np.broadcast(*(np.asarray(v) for v in vars(d).values())).shape + (h,)
        out = {}
        live = _slipped(t.launch, d) + delay if t.launch is not None else None
        if live is not None and self.route != "agency_or_cofounder":
            earlier = np.maximum(np.asarray(d.months_earlier, dtype=float) - delay, 0.0)
            out["speed"] = np.asarray(d.monthly_value, dtype=float)[..., None] * _overlap(live, live + earlier, months)
        # the share of the savings counted each month: each lever's from its start, less what the client finds
        counted = _after_sum([(share, _slipped(t.lever_starts[lever], d) + delay)
                              for lever, share in self.lever_shares.items()], shape, months)
        if self.lever_shares:
            found = np.asarray(d.self_found_savings, dtype=float)[..., None] * sum(self.lever_shares.values())
            counted -= found * _after(self.found_from + delay, months)
        savings = np.asarray(d.savings_monthly, dtype=float)[..., None] * self._growth(d.growth_months)
        out["cost_optimisation"] = savings * counted
        rework = self.roi.rework_months
        anchor = live if live is not None else t.engagement_months + delay
        window = _overlap(anchor + rework.low, anchor + rework.high, months) / max(rework.high - rework.low, 1e-9)
        out["avoided_mistakes"] = np.asarray(d.avoided_mistakes, dtype=float)[..., None] * window
        if t.decision is not None:
            shows = _slipped(t.decision, d)
            out["wrong_bet"] = np.asarray(d.wrong_bet, dtype=float)[..., None] * _overlap(shows, shows + 1, months)
        return {k: out[k] if k in out else np.zeros(shape) for k in SOURCES}

    def _growth(self, months) -> np.ndarray:
        """The savings' growth for these growth months; the options of one evaluation share the same draws."""
        if self._grown is None or self._grown[0] is not months:
            self._grown = (months, self.costs.ai_spend.growth(self.horizon, months))
        return self._grown[1]

    def flows(self, d: Drivers, arm: str | None = None) -> CashFlows:
        """The cash flows of one option of the route (default: the route's own, whose ROI is the headline)."""
        arm = arm or HEADLINE.get(self.route, ARMS[self.route][0])
        return getattr(self, f"_{arm}")(d)

    # -- the options ---------------------------------------------------------------------------------------------

    def _fractional(self, d: Drivers) -> CashFlows:
        value = self.value(d)
        return CashFlows({k: value[k] for k in ("speed", "avoided_mistakes", "cost_optimisation")},
                         {"fee": self.fee(d), "client_time": self.client_time(d)})

    def _delay(self, option: OptionId) -> float:
        o, frac = self.costs.options[option], self.costs.options["fractional"]
        return max(0.0, o.months_to_impact.mid - frac.months_to_impact.mid)

    def _agency(self, d: Drivers) -> CashFlows:
        """An agency instead of the fractional CTO, engaged for the project's length, later by its extra time."""
        o = self.costs.options["agency"]
        paid = self.timing.engagement_months + o.months_to_impact.mid
        value = self.value(d, self._delay("agency"))
        return CashFlows({k: value[k] for k in ("speed", "avoided_mistakes", "cost_optimisation")},
                         {"client_time": self.client_time(d),
                          "agency": spread_cost(o.annual.mid / 12 * paid + o.risk.mid, 0.0, paid, self.horizon)})

    def _hire_cost(self) -> np.ndarray:
        """A full-time hire for the rest of the horizon: recruiting, salary once hired, the expected cost of failure."""
        o = self.costs.options["full_time"]
        hired = self.costs.assumptions.leadership.full_time.months_to_hire.mid
        h = self.horizon
        return (spread_cost(o.one_time.mid, 0.0, 1.0, h) + spread_cost(o.annual.mid / 12 * max(h - hired, 0.0),
                                                                      hired, h, h) + spread_cost(o.risk.mid, 0.0, h, h))

    def _hire_for_the_plan(self) -> np.ndarray:
        """A full-time hire costed on the fractional option's basis, delivering this plan: recruiting, salary for the
        plan's weeks once hired, and the expected cost of a failed hire."""
        o = self.costs.options["full_time"]
        hired = self.costs.assumptions.leadership.full_time.months_to_hire.mid
        h, months = self.horizon, self.timing.engagement_months
        return (spread_cost(o.one_time.mid, 0.0, 1.0, h) + spread_cost(o.annual.mid / 12 * months, hired,
                                                                      hired + months, h)
                + spread_cost(o.risk.mid, hired, hired + months, h))

    def _full_time(self, d: Drivers) -> CashFlows:
        """A full-time hire instead of the fractional CTO, delivering the same plan once hired and ramped up."""
        value = self.value(d, self._delay("full_time"))
        return CashFlows({k: value[k] for k in ("speed", "avoided_mistakes", "cost_optimisation")},
                         {"client_time": self.client_time(d), "hire": self._hire_for_the_plan()})

    def _hire_and_wait(self, d: Drivers) -> CashFlows:
        """The hire, with nobody leading the plan until it has impact: value waits for the search and the ramp-up."""
        value = self.value(d, self._delay("full_time"))
        return CashFlows({k: value[k] for k in ("speed", "avoided_mistakes", "cost_optimisation")},
                         {"client_time": self.client_time(d), "hire": self._hire_cost()})

    def _bridge_then_hire(self, d: Drivers) -> CashFlows:
        """The hire as recommended, with the fractional bridge: value from the plan's dates instead of after the
        search and the ramp-up; every cost of the option, the hire's included, as hire-and-wait counts it."""
        with_bridge = self._fractional(d)
        costs = {**with_bridge.costs, **self._bridge_cost(d), "hire": self._hire_cost()}
        return CashFlows(with_bridge.value, costs)

    def _bridge_cost(self, d: Drivers) -> dict[str, np.ndarray]:
        """The fractional CTO staying on at the bridge cadence until the hire starts, if the search outlasts the
        engagement."""
        if not self.bridge:
            return {}
        b = self.bridge
        return {"bridge": spread_cost(np.asarray(d.day_rate, dtype=float) * b.days,
                                      engagement_month(self.start, b.first),
                                      engagement_month(self.start, b.hire_starts), self.horizon)}

    def _bridge_gain(self, d: Drivers) -> CashFlows:
        """The headline of the full-time route: what the bridge adds to hiring and waiting, against the bridge's
        fee and its days until the hire starts. The hire's cost and the client's days in the plan are the same
        either way (the same plan, led sooner or later), so they cancel."""
        with_bridge, waiting = self._fractional(d), self._hire_and_wait(d)
        return CashFlows({k: with_bridge.value[k] - waiting.value[k] for k in with_bridge.value},
                         {"fee": self.fee(d), **self._bridge_cost(d)})

    def _agency_build(self, d: Drivers, fee: bool, failure_months: float) -> CashFlows:
        """The partner builds; the feature's value counts from its launch, less the chance the project fails,
        against the agency's fees for the project and the expected cost of a failure."""
        a, o = self.costs.assumptions.leadership.agency, self.costs.options["agency"]
        h, months = self.horizon, _months(self.horizon)
        live = _slipped(self.timing.launch if self.timing.launch is not None else self.horizon, d)
        feature = (np.asarray(d.monthly_value, dtype=float)[..., None] * (1 - a.failure_probability.mid)
                   * _after(live, months))
        start = live - o.months_to_impact.mid
        paid = self.timing.engagement_months + o.months_to_impact.mid
        monthly = o.annual.mid / 12
        agency = (spread_cost(monthly * paid, start, start + paid, h)
                  + spread_cost(a.failure_probability.mid * failure_months * monthly, start, start + paid, h))
        value = self.value(d)
        flows = {"feature": feature, "avoided_mistakes": value["avoided_mistakes"] * fee,
                 "cost_optimisation": value["cost_optimisation"]}
        # the client's own days in the plan (brief, journeys, quality bar, governance) are its work either way
        costs = {"fee": self.fee(d)} if fee else {}
        return CashFlows(flows, {**costs, "client_time": self.client_time(d), "agency": agency})

    def _agency_with_buyer(self, d: Drivers) -> CashFlows:
        """Selected against a brief, paid at gates: a failure costs the milestone in progress (one month)."""
        return self._agency_build(d, True, 1.0)

    def _agency_alone(self, d: Drivers) -> CashFlows:
        """Chosen in the same time but without a brief, acceptance tests or gates: a failure costs the playbook's
        failure months of fees, and nobody checks the architecture decisions."""
        return self._agency_build(d, False, self.costs.assumptions.leadership.agency.failure_cost_months.mid)

    def _sprint_first(self, d: Drivers) -> CashFlows:
        value = self.value(d)
        return CashFlows({k: value[k] for k in ("speed", "wrong_bet", "avoided_mistakes", "cost_optimisation")},
                         {"fee": self.fee(d), "client_time": self.client_time(d)})

    def _build_now(self, d: Drivers) -> CashFlows:
        """No sprint: the expected engineering a wrong bet wastes is a cost, and nothing is gained."""
        wasted = self.value(d)["wrong_bet"]
        return CashFlows({"wrong_bet": np.zeros_like(wasted)}, {"wasted_build": wasted})


def monte_carlo(roi: RoiAssumptions, model: EngagementModel, drivers: dict[str, Drivers]) -> MonteCarlo:
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

    drawn = {name: draw(name) for name in DRIVER_NAMES}
    nets, paybacks = [], []
    for first in range(0, n, MONTE_CARLO_CHUNK):  # each draw's flows are its own: chunks change no number
        net = model.flows(Drivers(**{k: v[first:first + MONTE_CARLO_CHUNK] for k, v in drawn.items()})).net
        nets.append(net.sum(axis=-1))
        paybacks.append(payback_months(net, model.horizon))
    return MonteCarlo(settings.seed, n, np.concatenate(nets), np.concatenate(paybacks))


def tornado(model: EngagementModel, drivers: dict[str, Drivers]) -> list[tuple[str, float, float]]:
    """Net value with one input at its conservative and optimistic end and the rest at base, widest swing first;
    inputs that do not move this route's result are left out. The cases are evaluated together, as the Monte
    Carlo's draws are: one evaluation instead of two for each input."""
    base = drivers["base"]
    cases = [(name, case) for name in DRIVER_NAMES for case in ("conservative", "optimistic")]
    together = Drivers(**{k: np.array([getattr(drivers[case] if k == name else base, k) for name, case in cases],
                                      dtype=float) for k in DRIVER_NAMES})
    nets = model.flows(together).net.sum(axis=-1).reshape(len(DRIVER_NAMES), 2)
    rows = [(name, float(low), float(high)) for name, (low, high) in zip(DRIVER_NAMES, nets, strict=True)
            if abs(high - low) > 1e-6]
    return sorted(rows, key=lambda r: -abs(r[2] - r[1]))


def roi_analysis(profile: Profile, playbook: Playbook, costs: CostBreakdown | None = None,
                 roadmap: Roadmap | None = None, bridge: HireBridge | None = None) -> RoiResult:
    """The ROI of the client's route, timed by its plan; `engagement.build_engagement` passes them in."""
    costs = costs or cost_breakdown(profile, playbook)
    roadmap = roadmap or plan_roadmap(profile, playbook, spend=costs.ai_spend)
    roi = playbook.roi.with_overrides(profile.roi)
    horizon, rate = costs.horizon_months, profile.engagement.discount_rate
    route = roadmap.route
    model = EngagementModel(route, profile, costs, roadmap, roi, bridge=bridge or hire_bridge(roadmap, costs, playbook))
    # the AI team's month, as the cost breakdown prices it: the plan's engineer capacity at loaded cost
    ai_team_monthly = costs.hidden.team_weekly_cost * WEEKS_PER_MONTH
    drivers = scenario_drivers(profile, roi, costs, ai_team_monthly, model.client_factors, route)
    flows = model.flows(drivers["base"])
    scenarios = {case: outcome(model.flows(drivers[case]), rate) for case in CASES}
    alternatives = {arm: outcome(model.flows(drivers["base"], arm), rate) for arm in ARMS[route]}
    return RoiResult(route, playbook.fit.recommendations[route].roi_subject, horizon, rate, roi, costs,
                     model.timing, drivers, flows, scenarios["base"], scenarios, alternatives, model)
