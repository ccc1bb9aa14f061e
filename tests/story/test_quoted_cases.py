"""Issue 25's quoted cases, each as the client story that showed it: every one failed on the release it was found in.

The rules themselves (tests/story/rules.py) hold the class; these pin the instances a new user saw.
"""

from __future__ import annotations

import re

import pytest

from aicto.model.validation import load_client, parse_client
from aicto.profile.playbook import load_playbook
from tests.conftest import EXAMPLES, profile_data
from tests.story.reading import Reading, read
from tests.story.rules import RULES

PLAYBOOK = load_playbook()
START = {"start_date": "2027-01-11", "weeks": 12, "days_per_week": 2}


def story(score: int = 3, answers: dict | None = None, **sections) -> Reading:
    data = profile_data(score, **{"engagement": START, **sections})
    for dotted, value in (answers or {}).items():
        dim, q = dotted.split(".")
        data["readiness"]["answers"][dim][q] = value
    return read(parse_client(data, "story.yaml", PLAYBOOK), PLAYBOOK)


def example(stem: str) -> Reading:
    return read(load_client(next(p for p in EXAMPLES if p.stem == stem), PLAYBOOK), PLAYBOOK)


def holds(reading: Reading, *rules: str) -> None:
    found = [f"{name}: {f}" for name in rules for f in RULES[name](reading)]
    assert not found, "\n".join(found)


FULL_TIME = {"situation": {"ai_core_to_business": True, "needs_daily_technical_leadership": True},
             "value": {"monthly_value": 200_000}}


def test_the_full_time_route_hands_over_to_a_hire_who_is_there():
    """'The hand-over on April 6, 2027 gives the new AI CTO...' while the search takes 3-6 months."""
    r = story(**FULL_TIME)
    assert r.engagement.route == "full_time" and r.engagement.bridge is not None
    summary = r.section("roadmap", "executive_summary")
    assert "gives the new AI CTO" not in summary and "starts about" in summary and "gap" in summary
    assert r.engagement.roi.base.cost_by_source["bridge"] == pytest.approx(r.engagement.bridge.cost)
    holds(r, "the_bridge_reaches_the_hire")


def test_the_full_time_comparison_counts_the_hire_in_both_options():
    """'Fractional bridge, then the full-time hire | $100K' (hire left out) beside 'Hire and wait | $1,262K'."""
    alternatives = story(**FULL_TIME).engagement.roi.alternatives
    assert all("hire" in o.cost_by_source for o in alternatives.values())


def test_a_live_product_has_no_production_launch():
    """'Production launch: February 23' for a product already serving 3M requests a month."""
    r = example("cortex-labs")
    assert r.profile.situation.in_production and r.engagement.roadmap.milestone("production_launch") is None
    assert "Production launch:" not in r.section("roadmap", "executive_summary")


PRODUCT_FIRST = {"situation": {"product_requirements_clear": False,
                               "decisions_pending": ["which of the three ideas to build first"]}}


def test_a_loss_is_a_loss_and_every_card_is_there():
    """'a net gain of -€2.0K, 1.0 times the cost' (the multiple is 0.96), and no Payback card."""
    r = story(2, value={"monthly_value": 0, "wrong_decisions": 0}, **PRODUCT_FIRST)
    assert r.engagement.route == "product_first" and r.engagement.roi.base.net_value < 0
    summary = r.section("roi", "executive_summary")
    assert "net loss of" in summary and "gain of -" not in summary
    assert r.cards["Payback"].startswith("not within") and r.cards["ROI multiple"].startswith("0.")
    holds(r, "headline_cards_for_every_client", "the_multiple_is_one_figure", "a_loss_is_written_as_a_loss")


def test_the_product_decision_settles_the_ideas_before_the_architecture():
    """'Architecture decided' on April 5 still chose between the ideas the product decision of March 30 settled."""
    summary = story(2, **PRODUCT_FIRST).section("roadmap", "executive_summary")
    decided = re.search(r"architecture for the chosen idea is decided by [^.(]*", summary)
    assert decided and "which settles what is open (which of the three ideas" in summary


def test_building_now_says_what_the_comparison_counts():
    """'Build now, on an idea nobody chose' credited €0 beside a 42% chance, with no word on why."""
    table = story(2, **PRODUCT_FIRST).section("roi", "alternatives_table")
    assert "neither counts the feature's own value" in table


def test_a_client_without_engineers_gets_no_team_and_no_cost_target_it_cannot_have():
    """'AI bill optimized £180' beside 'Cost target / None'; 'named engineers'; 'The team owns the stack'."""
    r = example("harbor-home-goods")
    assert r.profile.team.engineers == 0 and r.engagement.roadmap.cost_target_monthly is None
    assert r.cards["AI bill optimized (monthly)"] == "no cost lever in the plan"
    assert "None" not in r.section("roadmap", "headline")
    holds(r, "the_plans_people_exist", "the_optimized_bill_is_the_plans_target", "no_raw_keys_or_paths")


def test_a_fee_row_shows_its_total_once():
    """'= £7,904 | -£7,900': the same figure twice, rounded two ways, in one row."""
    fee = next(line for line in example("harbor-home-goods").section("roi", "value_table").splitlines()
               if line.startswith("Fractional CTO fee"))
    assert "=" not in fee and "paid days" in fee


def test_an_unevaluated_pilot_is_evaluated_before_it_is_optimised():
    """The evaluation set in week 4, after batch, caching and response-caching work."""
    holds(example("northwind-analytics"), "launch_blockers_before_optimisation", "no_days_on_a_lever_worth_nothing")


def test_the_fee_is_named_apart_from_the_clients_time():
    """'What we spend: $84K for a 12-week fractional AI CTO engagement' beside 'the engagement costs $30K'."""
    r = example("northwind-analytics")
    assert "your team's time" in r.section("roi", "executive_summary")
    holds(r, "the_fee_is_named_apart")


def test_the_cost_of_waiting_is_one_figure():
    """The cost report priced waiting for a hire at '$400K-$720K', the ROI credited 2.5 months ($200K)."""
    r = example("northwind-analytics")
    earlier = r.engagement.roi.assumptions.months_earlier
    waiting = r.engagement.costs.options["full_time"].horizon.waiting
    value = r.profile.monthly_value
    assert (waiting.low, waiting.high) == pytest.approx((earlier.low * value, earlier.high * value))


def test_a_full_time_alternative_is_costed_for_the_same_plan():
    """Charged 24 months of salary but credited only the 12-week plan's value ('-$737K')."""
    r = example("northwind-analytics")
    hire = r.engagement.roi.alternatives["full_time"].cost_by_source["hire"]
    salary = r.engagement.costs.options["full_time"].annual.mid
    assert hire < salary  # recruiting, the plan's weeks once hired and the expected cost of failure, not 2 years


def test_a_five_million_bill_explains_its_multiple_and_adds_up():
    """'554.5x' and 'month 1' with no caveat; '$5.0M ... bring it to $2.3M, saving $2.8M'."""
    r = story(3, value={"monthly_value": 0}, ai_spend={"monthly_bill": 5_000_000})
    assert r.engagement.roi.base.multiple > PLAYBOOK.checks.roi_multiple_max
    holds(r, "a_high_multiple_is_explained_to_the_board", "arithmetic_as_written_adds_up")
