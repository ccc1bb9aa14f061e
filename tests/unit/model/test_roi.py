"""ROI model: payback edge cases, discounting, scenarios, a seeded Monte Carlo, and the published sanity case."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicto.model.costs import WEEKS_PER_MONTH, cost_breakdown, rework
from aicto.model.roi import (
    DRIVER_NAMES,
    CashFlows,
    _after,
    _after_sum,
    _months,
    _overlap,
    outcome,
    payback_months,
    roi_analysis,
)
from tests.conftest import make_profile

RETAINER_DAY_RATE = 10_000 / (2 * WEEKS_PER_MONTH)  # $10K a month at 2 days a week


def published_case(**extra):
    """$20K/month AI bill, 40-70% savings, a $5K-$15K monthly retainer, nothing else of value."""
    sections = dict(
        ai_spend={"monthly_bill": 20_000}, value={"monthly_value": 0, "wrong_decisions": 0},
        engagement={"days_per_week": 2, "weeks": 12, "horizon_months": 12},
        costs={"leadership": {"fractional": {"day_rate": {"low": RETAINER_DAY_RATE / 2,
                                                          "high": RETAINER_DAY_RATE * 1.5}}}},
    )
    sections.update(extra)
    return make_profile(3, **sections)


def test_default_case_pays_back_when_the_plan_delivers(playbook):
    """The default case ($20K bill, defaults everywhere, 2 days a week for 12 weeks at $1,250 a day): each lever
    saves from the day the plan's activity for it is done (the plan's dates slipped by the base 35%), less the share
    the client would find itself once it had an AI leader; against the fee and the client's own days in the plan
    (about $49K: the plan's engineer, product and leadership days, whose other value this case does not count).
    The plan's dates and every cost put payback in month 11, not month 1; the fee alone, month 5."""
    profile = make_profile(3, ai_spend={"monthly_bill": 20_000}, engagement={"start_date": "2027-01-04"})
    roi = roi_analysis(profile, playbook)
    savings = roi.flows.value["cost_optimisation"]
    assert savings[0] < savings[2] < 11_000  # levers come on one by one
    assert roi.flows.costs["fee"][0] == pytest.approx(1250 * 2 * 52 / 12)
    assert roi.base.cost_by_source["client_time"] == pytest.approx(49_004, rel=0.01)
    assert roi.base.payback_month == 11
    cumulative = np.cumsum(roi.flows.total_value - roi.flows.costs["fee"])
    assert int(np.argmax(cumulative > 0)) + 1 == 5  # the fee alone is earned back in month 5


def test_published_case_scenarios_bracket_the_retainer(playbook):
    roi = roi_analysis(published_case(), playbook)
    assert roi.drivers["conservative"].savings_monthly == pytest.approx(8_000)
    assert roi.drivers["optimistic"].savings_monthly == pytest.approx(14_000)
    s = roi.scenarios
    assert s["optimistic"].payback_month < roi.base.payback_month
    assert s["conservative"].payback_month is None or s["conservative"].payback_month > roi.base.payback_month


def test_savings_start_on_the_plans_lever_dates(playbook):
    roi = roi_analysis(published_case(), playbook)
    slip = 1 + roi.drivers["base"].delivery_slip
    months = np.arange(1, roi.horizon_months + 1)
    first = min(roi.timing.lever_starts.values()) * slip
    assert all(v == 0 for m, v in zip(months, roi.flows.value["cost_optimisation"], strict=True) if m <= first)


def test_never_pays_back(playbook):
    profile = make_profile(3, value={"monthly_value": 0, "wrong_decisions": 0})
    roi = roi_analysis(profile, playbook)
    assert roi.base.total_value == 0
    assert roi.base.payback_month is None
    assert roi.base.net_value == pytest.approx(-roi.base.total_cost)


def test_payback_month_rules():
    assert payback_months(np.array([5.0, -1, -1]), 3) == 1  # ahead from month 1 and stays ahead
    assert payback_months(np.array([-5.0, 3, 3]), 3) == 3
    assert payback_months(np.array([-5.0, -1, -1]), 3) == 4  # never: horizon + 1
    assert payback_months(np.array([2.0, -5, 1]), 3) == 4  # ahead in month 1, behind for good after: not paid back
    assert list(payback_months(np.array([[1.0, 1, 1], [-1, 0.5, 0.6]]), 3)) == [1, 3]


def test_payback_exactly_even_is_not_paid_back():
    flows = CashFlows({"speed": np.array([10.0, 0])}, {"fee": np.array([10.0, 0])})
    assert outcome(flows, 0.1).payback_month is None


def test_npv_discounting():
    flows = CashFlows({"speed": np.array([0.0] * 11 + [1000.0])}, {"fee": np.array([100.0] + [0.0] * 11)})
    assert outcome(flows, 0.0).npv == pytest.approx(900)
    monthly = 1.1 ** (1 / 12)
    assert outcome(flows, 0.10).npv == pytest.approx(1000 / monthly**12 - 100 / monthly)


def test_no_cost_has_no_multiple():
    flows = CashFlows({"speed": np.array([10.0])}, {"fee": np.array([0.0])})
    assert outcome(flows, 0.1).multiple is None


def test_scenarios_are_ordered(playbook):
    for profile in (published_case(), make_profile(3, value={"monthly_value": 50_000, "wrong_decisions": 2},
                                                   ai_spend={"monthly_bill": 5_000})):
        s = roi_analysis(profile, playbook).scenarios
        assert s["conservative"].net_value <= s["base"].net_value <= s["optimistic"].net_value
        assert s["conservative"].npv <= s["base"].npv <= s["optimistic"].npv


def test_value_sources_use_the_cost_breakdown_and_the_plan(playbook):
    profile = make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2}, ai_spend={"monthly_bill": 10_000},
                           engagement={"horizon_months": 24})
    roi = roi_analysis(profile, playbook)
    costs = cost_breakdown(profile, playbook)
    v = roi.base.value_by_source
    assert v["speed"] == pytest.approx(2.5 * 40_000)
    assert v["avoided_mistakes"] == pytest.approx(rework(costs, roi.route).cost.mid)
    slip = 1 + roi.drivers["base"].delivery_slip
    found = roi.assumptions.self_found_savings.mid * (24 - costs.options["full_time"].months_to_impact.mid)
    assert v["cost_optimisation"] == pytest.approx(sum(
        costs.ai_spend.savings_by_lever[lever] * (24 - start * slip - found)
        for lever, start in roi.timing.lever_starts.items()))
    assert roi.base.cost_by_source["fee"] == pytest.approx(costs.engagement_cost)
    assert roi.base.total_cost == pytest.approx(sum(roi.base.cost_by_source.values()))
    assert roi.base.total_value == pytest.approx(sum(roi.base.value_by_source.values()))


def test_the_clients_days_in_the_plan_are_costed(playbook):
    from aicto.model.capacity import client_day_rates
    from aicto.model.roadmap import plan_roadmap

    profile = make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2}, ai_spend={"monthly_bill": 10_000},
                           engagement={"start_date": "2027-01-04", "horizon_months": 24})
    roadmap = plan_roadmap(profile, playbook)
    rates = client_day_rates(profile, cost_breakdown(profile, playbook).assumptions)
    expected = sum(a.activity.effort_days * rates[a.activity.owner] for a in roadmap.activities)
    assert roi_analysis(profile, playbook, roadmap=roadmap).base.cost_by_source["client_time"] == \
        pytest.approx(expected)


def test_no_launch_in_the_plan_means_no_speed_value(playbook):
    unclear = make_profile(3, value={"monthly_value": 40_000}, situation={"product_requirements_clear": False})
    roi = roi_analysis(unclear, playbook)
    assert roi.route == "product_first" and roi.timing.launch is None
    assert roi.base.value_by_source["speed"] == 0


@pytest.mark.parametrize("spend", [{"monthly_bill": 20_000}, {"workloads": [
    {"feature": "Assistant", "provider": "openai", "model": "gpt-4.1", "requests_per_month": 200000,
     "input_tokens": 4000, "output_tokens": 300, "cacheable_prefix_share": 0.5, "batchable_share": 0.3}]}],
    ids=["monthly_bill", "workloads"])
def test_base_lies_strictly_inside_every_uncertain_range(playbook, spend):
    roi = roi_analysis(make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2}, ai_spend=spend),
                       playbook)
    low, base, high = (roi.drivers[c] for c in ("conservative", "base", "optimistic"))
    for name in DRIVER_NAMES:
        ends = sorted((getattr(low, name), getattr(high, name)))
        if ends[0] != ends[1]:  # an uncertain input
            assert ends[0] < getattr(base, name) < ends[1], name
    assert low.savings_monthly < base.savings_monthly < high.savings_monthly


@settings(max_examples=30, deadline=None)
@given(extra=st.floats(0, 50_000), later=st.floats(0, 6))
def test_more_savings_never_lower_net_value_and_a_later_launch_never_raises_it(extra, later):
    from aicto.model.roi import EngagementModel
    from aicto.profile.playbook import load_playbook

    playbook = load_playbook()
    profile = make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2}, ai_spend={"monthly_bill": 10_000},
                           engagement={"start_date": "2027-01-04"})
    roi = roi_analysis(profile, playbook)
    model = EngagementModel(roi.route, profile, roi.costs, _roadmap(profile, playbook), roi.assumptions)
    base = roi.drivers["base"]
    net = float(model.flows(base).net.sum())
    more = replace(base, savings_monthly=base.savings_monthly + extra)
    assert float(model.flows(more).net.sum()) >= net - 1e-6
    late = replace(model.timing, launch=model.timing.launch + later)
    model.timing = late
    assert float(model.flows(base).net.sum()) <= net + 1e-6


def _roadmap(profile, playbook):
    from aicto.model.roadmap import plan_roadmap

    return plan_roadmap(profile, playbook)


def test_monte_carlo_is_deterministic(playbook):
    profile = make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2}, ai_spend={"monthly_bill": 10_000})
    a = roi_analysis(profile, playbook).monte_carlo
    b = roi_analysis(profile, playbook).monte_carlo
    assert np.array_equal(a.net_values, b.net_values)
    other = roi_analysis(make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2},
                                      ai_spend={"monthly_bill": 10_000}, roi={"monte_carlo": {"seed": 7}}),
                         playbook).monte_carlo
    assert other.seed == 7 and not np.array_equal(a.net_values, other.net_values)
    assert a.net_percentile(10) <= a.net_percentile(50) <= a.net_percentile(90)
    s = roi_analysis(profile, playbook).scenarios
    assert s["conservative"].net_value - 1e-6 <= a.net_percentile(10) <= a.net_percentile(90) <= \
        s["optimistic"].net_value + 1e-6


def test_tornado_sorted_by_swing(playbook):
    roi = roi_analysis(make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2},
                                    ai_spend={"monthly_bill": 10_000}), playbook)
    swings = [abs(high - low) for _, low, high in roi.tornado]
    assert swings == sorted(swings, reverse=True)
    assert roi.tornado[0][0] in {"monthly_value", "months_earlier", "avoided_mistakes", "savings_monthly"}


def test_tornado_evaluated_together_is_each_input_moved_alone(playbook):
    """The tornado's cases are evaluated together like Monte Carlo draws: each row is what moving that one input to
    its conservative and optimistic end, the rest at base, gives on its own."""
    roi = roi_analysis(make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2},
                                    ai_spend={"monthly_bill": 10_000}), playbook)
    base = roi.drivers["base"]
    for name, low, high in roi.tornado:
        alone = [float(roi.model.flows(replace(base, **{name: getattr(roi.drivers[case], name)})).net.sum())
                 for case in ("conservative", "optimistic")]
        assert (low, high) == pytest.approx(alone, rel=1e-12, abs=1e-6)
    moved = {name for name, _, _ in roi.tornado}
    for name in set(DRIVER_NAMES) - moved:  # left out only when moving it changes nothing
        ends = [float(roi.model.flows(replace(base, **{name: getattr(roi.drivers[case], name)})).net.sum())
                for case in ("conservative", "optimistic")]
        assert ends[0] == pytest.approx(ends[1], abs=1e-6)


def test_the_monte_carlo_and_the_tornado_are_worked_out_when_first_read(playbook):
    roi = roi_analysis(make_profile(3, value={"monthly_value": 40_000}, ai_spend={"monthly_bill": 10_000}), playbook)
    assert "monte_carlo" not in vars(roi) and "tornado" not in vars(roi)
    assert roi.monte_carlo is roi.monte_carlo and roi.monte_carlo.draws == len(roi.monte_carlo.net_values)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-5, 40, allow_nan=False), min_size=1, max_size=20), st.integers(1, 36))
def test_a_share_after_a_start_is_the_overlap_with_the_rest_of_the_horizon(starts, horizon):
    months = _months(horizon)
    assert np.array_equal(_after(np.array(starts), months), _overlap(np.array(starts), horizon, months))
    assert np.array_equal(_after(starts[0], months), _overlap(starts[0], horizon, months))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(-5, 40, allow_nan=False)), max_size=6), st.integers(1, 36),
       st.integers(1, 50), st.data())
def test_the_levers_sum_is_each_lever_added_in_turn(levers, horizon, draws, data):
    """Bit for bit, with starts drawn per draw or one for all, as the Monte Carlo and the scenarios count them."""
    months = _months(horizon)
    weighted = [(weight, np.array(data.draw(st.lists(st.floats(-5, 40, allow_nan=False), min_size=draws,
                                                     max_size=draws))) if i % 2 else start)
                for i, (weight, start) in enumerate(levers)]
    expected = np.zeros((draws, horizon))
    for weight, start in weighted:
        expected += weight * _after(start, months)
    assert np.array_equal(_after_sum(weighted, (draws, horizon), months), expected)


def test_full_time_hire_is_slower_and_dearer(playbook):
    roi = roi_analysis(make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2},
                                    ai_spend={"monthly_bill": 10_000}), playbook)
    alt = roi.alternatives
    assert alt["fractional"].net_value == pytest.approx(roi.base.net_value)
    assert alt["full_time"].total_cost > alt["fractional"].total_cost
    assert alt["full_time"].value_by_source["speed"] < alt["fractional"].value_by_source["speed"]


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 50_000), st.floats(0, 50_000))
def test_more_savings_never_lowers_net_value(playbook, bill_a, bill_b):
    """A bigger bill on the same plan saves more and never nets less. (A bigger bill may also change the plan: lever
    work joins it only when its saving pays for the engineer-days, a choice the planner makes, not this model.)"""
    from aicto.model.roadmap import plan_roadmap

    low, high = sorted((bill_a, bill_b))
    profiles = [make_profile(3, value={"monthly_value": 10_000}, ai_spend={"monthly_bill": bill},
                             engagement={"start_date": "2027-01-04"}) for bill in (low, high)]
    plan = plan_roadmap(profiles[1], playbook)
    nets = [roi_analysis(p, playbook, roadmap=plan).base.net_value for p in profiles]
    assert nets[0] <= nets[1] + 1e-6


def test_bill_growth_compounds_as_stated_then_holds(playbook):
    """10% a month compounds for the playbook's growth months (base 9), then holds; the savings grow with the bill."""
    flat = roi_analysis(published_case(), playbook)
    growing = roi_analysis(published_case(ai_spend={"monthly_bill": 20_000, "monthly_growth": 0.10}), playbook)
    months = growing.costs.assumptions.ai_spend.growth_months.mid
    factors = growing.costs.ai_spend.growth(12, months)
    assert list(factors) == pytest.approx([1.1 ** min(m, months) for m in range(12)])
    late = slice(int(max(flat.timing.lever_starts.values()) * 2) + 1, None)  # every lever live
    ratio = growing.flows.value["cost_optimisation"][late] / flat.flows.value["cost_optimisation"][late]
    assert ratio == pytest.approx(factors[late], rel=1e-6)
    assert growing.base.net_value > flat.base.net_value
    assert growing.costs.hidden.llm_overrun_horizon == pytest.approx(
        flat.costs.hidden.llm_overrun_horizon / 12 * factors.sum())


def test_a_workloads_own_growth_overrides_the_bills(playbook):
    workload = {"feature": "Assistant", "provider": "openai", "model": "gpt-4.1", "requests_per_month": 200000,
                "input_tokens": 4000, "output_tokens": 300, "cacheable_prefix_share": 0.5, "batchable_share": 0.3}
    both = make_profile(3, ai_spend={"monthly_growth": 0.05, "workloads": [
        {**workload, "monthly_growth": 0.2}, {**workload, "feature": "Summaries"}]})
    spend = cost_breakdown(both, playbook).ai_spend
    assert spend.growth(3, 12, weight="bill")[2] == pytest.approx((1.2 ** 2 + 1.05 ** 2) / 2)
