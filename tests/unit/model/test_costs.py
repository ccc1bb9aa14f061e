"""The cost model against the published comparison, and proof the numbers come from the model, not a table."""

import pytest

from aicto.model.costs import WEEKS_PER_MONTH, cost_breakdown, rework
from tests.conftest import make_profile


def breakdown(playbook, **sections):
    return cost_breakdown(make_profile(3, **sections), playbook)


def test_defaults_reproduce_the_published_comparison(playbook):
    o = breakdown(playbook).options
    assert (o["full_time"].annual.low, o["full_time"].annual.high) == pytest.approx((300_000, 450_000))
    assert (o["agency"].annual.low, o["agency"].annual.high) == pytest.approx((288_000, 480_000))
    assert (o["fractional"].annual.low, o["fractional"].annual.high) == pytest.approx((60_000, 180_000))
    assert o["full_time"].time_to_impact == "3-6 months to hire + 2-3 months to ramp"
    assert (o["full_time"].months_to_impact.low, o["full_time"].months_to_impact.high) == (5, 9)
    assert (o["agency"].months_to_impact.low, o["agency"].months_to_impact.high) == (1, 2)
    assert o["fractional"].time_to_impact == "1-2 weeks to start"
    assert o["fractional"].months_to_impact.high * WEEKS_PER_MONTH == pytest.approx(2)
    assert o["full_time"].knowledge_stays == "Yes" and o["agency"].knowledge_stays.startswith("No")


def test_day_rate_drives_the_fractional_cost(playbook):
    o = breakdown(playbook, costs={"leadership": {"fractional": {"day_rate": 2000}}}).options["fractional"]
    assert (o.annual.low, o.annual.high) == pytest.approx((2000 * 1 * 48, 2000 * 3 * 48))


def test_salary_override_moves_cost_fee_and_risk(playbook):
    c = breakdown(playbook, costs={"leadership": {"full_time": {"salary": {"low": 200000, "high": 200000}}}})
    ft = c.options["full_time"]
    assert ft.annual.low == pytest.approx(200_000 * 1.2 + 24_000)
    assert ft.one_time.low == pytest.approx(50_000)  # 25% recruiting fee
    assert (ft.risk.low, ft.risk.high) == pytest.approx((0.27 * 2 * 200_000, 0.46 * 2 * 200_000))
    assert c.assumptions.leadership.full_time.salary.source == "client profile"


def test_risk_is_probability_times_cost_of_a_wrong_hire(playbook):
    ft = breakdown(playbook).options["full_time"]
    assert (ft.risk.low, ft.risk.high) == pytest.approx((0.27 * 2 * 230_000, 0.46 * 2 * 320_000))


def test_horizon_total_includes_the_cost_of_waiting(playbook):
    c = breakdown(playbook, value={"monthly_value": 10_000}, engagement={"horizon_months": 12})
    ft = c.options["full_time"]
    # the launch later than with the fractional CTO (5-9 months against 0.25-0.5), at most the ROI's 2-3 months
    # that senior AI leadership brings it forward: the same cost of waiting as the ROI counts
    assert (ft.horizon.waiting.low, ft.horizon.waiting.high) == pytest.approx((20_000, 30_000))
    assert c.options["fractional"].horizon.waiting.high == 0
    # salary paid only once hired: 12 - 3 months (low) and 12 - 6 months (high)
    assert ft.horizon.leadership.low == pytest.approx(300_000 / 12 * 9)
    assert ft.horizon.leadership.high == pytest.approx(450_000 / 12 * 6)
    assert ft.horizon.total.low == pytest.approx(225_000 + 57_500 + 20_000 + 124_200)


def test_longer_horizon_costs_more(playbook):
    short = breakdown(playbook, engagement={"horizon_months": 12}).options
    long = breakdown(playbook, engagement={"horizon_months": 36}).options
    assert all(long[k].horizon.total.low > short[k].horizon.total.low for k in short)


def test_hidden_cost_of_wrong_decisions(playbook):
    c = breakdown(playbook, team={"engineers": 10, "loaded_cost_per_engineer": 156_000},
                  value={"monthly_value": 0, "wrong_decisions": 2})
    # priced at the AI team that would redo the work: half the week of up to four engineers (the plan's default
    # capacity), 10 person-days a week at $156K / 260 days, not the whole engineering org
    weekly = 10 * 156_000 / 260
    assert c.hidden.team_weekly_cost == pytest.approx(weekly)
    cost = rework(c, "fractional").cost
    assert (cost.low, cost.high) == pytest.approx(
        (2 * 2 * weekly, 2 * 4 * weekly))


def test_engagement_cost_uses_client_days_and_weeks(playbook):
    c = breakdown(playbook, engagement={"start_date": "2027-03-01", "days_per_week": 2, "weeks": 12})
    assert c.engagement_cost == pytest.approx(1250 * 2 * 12)


def test_holidays_in_the_engagement_are_not_billed(playbook):
    """A US client's 12 weeks from January 4, 2027 hold MLK Day and Presidents' Day: 58 working days, not 60, so
    2 days a week is 23.2 paid days; the fee, the plan's paid days and the ROI's fee count the same days."""
    from aicto.model.engagement import build_engagement
    from tests.conftest import make_profile

    profile = make_profile(3, client={"country": "US"},
                           engagement={"start_date": "2027-01-04", "days_per_week": 2, "weeks": 12})
    e = build_engagement(profile, playbook)
    assert e.costs.cto_days_paid == pytest.approx(23.2)
    assert e.costs.engagement_cost == pytest.approx(1250 * 23.2)
    assert e.roadmap.cto_days_paid == pytest.approx(23.2)
    assert e.roi.base.cost_by_source["fee"] == pytest.approx(1250 * 23.2)


def test_other_currency_converts_playbook_money_not_client_overrides(playbook):
    c = breakdown(playbook, client={"currency": "EUR", "fx_per_usd": 0.5},
                  costs={"leadership": {"fractional": {"day_rate": 1000}}})
    assert c.options["full_time"].annual.low == pytest.approx(150_000)
    assert c.options["fractional"].annual.low == pytest.approx(1000 * 48)


def test_client_day_rates_convert_to_the_client_currency(playbook):
    from aicto.model.capacity import client_day_rates

    usd = breakdown(playbook)
    gbp = breakdown(playbook, client={"id": "uk", "name": "UK", "industry": "x", "currency": "GBP",
                                      "fx_per_usd": 0.8})
    profile = make_profile(3)
    assert client_day_rates(profile, gbp.assumptions)["product"] == pytest.approx(
        0.8 * client_day_rates(profile, usd.assumptions)["product"])


def test_a_wide_hiring_time_still_gives_ranges_from_low_to_high(playbook):
    """0-24 months to hire over 36 months: the high salary is paid for 12 months, the low one for 36."""
    c = breakdown(playbook, costs={"leadership": {"full_time": {"months_to_hire": {"low": 0, "high": 24}}}})
    horizon = c.options["full_time"].horizon
    assert horizon.leadership.low <= horizon.leadership.high and horizon.total.low <= horizon.total.high
