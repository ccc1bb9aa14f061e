"""ROI model: payback edge cases, discounting, scenarios, a seeded Monte Carlo, and the published sanity case."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicto.costs import WEEKS_PER_MONTH, cost_breakdown
from aicto.roi import CashFlows, outcome, payback_months, roi_analysis
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


def test_published_case_savings_start_when_the_plan_switches_each_lever_on(playbook):
    """$20K bill, $10K/month retainer: each lever saves from the day its activity is done (slipped by the base 35%),
    so the first month saves little and the full $11K arrives once the last lever is live; payback in month 5."""
    roi = roi_analysis(published_case(), playbook)
    assert roi.flows.cost[0] == pytest.approx(10_000)
    savings = roi.flows.value["cost_optimisation"]
    last = max(roi.timing.lever_starts.values()) * (1 + roi.drivers["base"].delivery_slip)
    assert savings[0] < 11_000 / 5 and list(savings) == sorted(savings)
    assert savings[int(last) + 1] == pytest.approx(11_000)
    assert roi.base.payback_month == 5


def test_published_case_scenarios_bracket_the_retainer(playbook):
    roi = roi_analysis(published_case(), playbook)
    assert roi.drivers["conservative"].savings_monthly == pytest.approx(8_000)
    assert roi.drivers["optimistic"].savings_monthly == pytest.approx(14_000)
    # $14K saving on the plan's dates against a $5K retainer pays back in month 2; $8K, late, against $15K in month 8
    assert roi.scenarios["optimistic"].payback_month == 2
    assert roi.scenarios["conservative"].payback_month == 8


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
    flows = CashFlows({"speed": np.array([10.0, 0])}, np.array([10.0, 0]))
    assert outcome(flows, 0.1).payback_month is None


def test_npv_discounting():
    flows = CashFlows({"speed": np.array([0.0] * 11 + [1000.0])}, np.array([100.0] + [0.0] * 11))
    assert outcome(flows, 0.0).npv == pytest.approx(900)
    monthly = 1.1 ** (1 / 12)
    assert outcome(flows, 0.10).npv == pytest.approx(1000 / monthly**12 - 100 / monthly)


def test_no_cost_has_no_multiple():
    flows = CashFlows({"speed": np.array([10.0])}, np.array([0.0]))
    assert outcome(flows, 0.1).multiple is None


def test_scenarios_are_ordered(playbook):
    for profile in (published_case(), make_profile(3, value={"monthly_value": 50_000, "wrong_decisions": 2},
                                                   ai_spend={"monthly_bill": 5_000})):
        s = roi_analysis(profile, playbook).scenarios
        assert s["conservative"].net_value <= s["base"].net_value <= s["optimistic"].net_value
        assert s["conservative"].npv <= s["base"].npv <= s["optimistic"].npv


def test_value_sources_use_the_cost_breakdown(playbook):
    profile = make_profile(3, value={"monthly_value": 40_000, "wrong_decisions": 2}, ai_spend={"monthly_bill": 10_000},
                           engagement={"horizon_months": 24})
    roi = roi_analysis(profile, playbook)
    costs = cost_breakdown(profile, playbook)
    v = roi.base.value_by_source
    assert v["speed"] == pytest.approx(2.5 * 40_000)
    assert v["avoided_mistakes"] == pytest.approx(costs.hidden.wrong_decisions_cost.mid)
    slip = 1 + roi.drivers["base"].delivery_slip
    levers = roi.timing.lever_starts.items()
    assert v["cost_optimisation"] == pytest.approx(sum(
        costs.ai_spend.savings_by_lever[lever] * (24 - start * slip) for lever, start in levers))
    assert roi.base.total_cost == pytest.approx(costs.engagement_cost)


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
    low, high = sorted((bill_a, bill_b))
    nets = [roi_analysis(make_profile(3, value={"monthly_value": 10_000}, ai_spend={"monthly_bill": bill}),
                         playbook).base.net_value for bill in (low, high)]
    assert nets[0] <= nets[1] + 1e-6
