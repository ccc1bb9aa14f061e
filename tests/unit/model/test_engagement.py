"""One engagement, one story: the route (the recommendation) decides the plan, the costs and the ROI, and every
output reads the same computed engagement."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aicto.model.engagement import build_engagement
from aicto.model.roadmap import plan_roadmap
from aicto.model.roi import ARMS, roi_analysis
from aicto.model.validation import load_client
from aicto.present.summary import engagement_section, roadmap_section, roi_section
from tests.conftest import EXAMPLES, make_profile

BY_ROUTE = {"fractional": "northwind-analytics", "full_time": "cortex-labs",
            "agency_or_cofounder": "harbor-home-goods", "product_first": "meridian-insurance"}


@pytest.fixture(scope="module")
def engagements(playbook):
    return {p.stem: build_engagement(load_client(p, playbook), playbook) for p in EXAMPLES}


def planned_ids(e) -> set[str]:
    return {a.id for a in e.roadmap.activities}


def test_each_part_is_worked_out_once_and_only_when_read(playbook):
    """The readiness report's results need only the readiness: the plan and the ROI wait until something reads
    them, and are then the same objects every time."""
    e = build_engagement(load_client(EXAMPLES[0], playbook), playbook)
    assert e.readiness.fit.recommendation
    assert not {"costs", "roadmap", "roi"} & set(vars(e))
    assert e.roi.costs is e.costs and e.roadmap is e.roadmap and e.roi is e.roi
    assert build_engagement(e.profile, playbook) is e


def test_each_example_keeps_its_route_through_every_deliverable(engagements):
    for route, client in BY_ROUTE.items():
        e = engagements[client]
        assert e.route == route == e.readiness.fit.recommendation == e.roadmap.route == e.roi.route
        assert list(e.roi.alternatives) == list(ARMS[route])


def test_full_time_route_plans_the_hiring_work_and_hands_over_to_the_hire(engagements):
    e = engagements[BY_ROUTE["full_time"]]
    assert {"hire_role_profile", "hire_search_launch", "hire_interview_loop", "hire_first_90_days"} <= planned_ids(e)
    assert e.roadmap.planned(e.roadmap.handover.activity).id == "handover_to_hire"
    assert e.roadmap.milestone("hiring_ready").date < e.roadmap.handover.date
    # both options count the hire and the client's days (one basis); the bridge's ROI is their difference
    bridge, wait = e.roi.alternatives["bridge_then_hire"], e.roi.alternatives["hire_and_wait"]
    assert {"hire", "client_time"} <= set(bridge.cost_by_source) & set(wait.cost_by_source)
    assert e.roi.base.net_value == pytest.approx(bridge.net_value - wait.net_value)
    assert e.roi.base.cost_by_source["fee"] == pytest.approx(e.costs.engagement_cost)
    assert e.roi.subject == "ROI of the fractional bridge to a full-time hire"


def test_agency_route_plans_no_engineering_and_buys_the_build(engagements):
    e = engagements[BY_ROUTE["agency_or_cofounder"]]
    assert e.profile.team.engineers == 0
    assert all(a.activity.owner != "client_engineers" for a in e.roadmap.activities)
    assert {"partner_brief", "acceptance_set", "partner_shortlist", "partner_contract", "delivery_oversight"} <= \
        planned_ids(e)
    assert "architecture_review" not in planned_ids(e)  # there is no pilot to review
    assert e.roadmap.milestone("production_launch") is None and e.roadmap.milestone("partner_selected")
    assert e.roi.timing.launch > (e.roadmap.milestone("partner_selected").date - e.start).days / 30.5
    assert e.roi.base.value_by_source["feature"] > 0 and "speed" not in e.roi.base.value_by_source
    assert e.roi.base.total_cost > e.costs.engagement_cost  # the agency's fees are in the route's cost


def test_product_first_route_decides_before_any_engineering(engagements):
    e = engagements[BY_ROUTE["product_first"]]
    decision = e.roadmap.milestone("product_decision")
    assert decision and {"product_owner", "idea_comparison", "product_decision"} <= planned_ids(e)
    engineering = [a for a in e.roadmap.activities if a.activity.owner == "client_engineers"]
    assert engineering and all(a.start > decision.date for a in engineering)
    assert e.roadmap.milestone("production_launch") is None
    assert e.roi.base.value_by_source["speed"] == 0 and e.roi.base.value_by_source["wrong_bet"] > 0


def test_a_client_with_no_engineers_never_gets_engineering_work(playbook):
    for route_signals in ({}, {"ai_core_to_business": True, "needs_daily_technical_leadership": True}):
        profile = make_profile(2, team={"engineers": 0, "ai_experience": "none", "loaded_cost_per_engineer": 0},
                               situation=route_signals, engagement={"start_date": "2027-01-04"})
        e = build_engagement(profile, playbook)
        assert e.route == "agency_or_cofounder"
        assert all(a.activity.owner != "client_engineers" for a in e.roadmap.activities)


def test_summary_carries_the_engagement(engagements):
    for e in engagements.values():
        section = engagement_section(e)
        assert section["route"] == e.readiness.fit.recommendation
        assert section["cto_days_paid"] == pytest.approx(e.costs.cto_days_paid)  # working days, holidays not billed
        assert e.costs.cto_days_paid <= e.profile.engagement.days_per_week * e.weeks
        assert 0 < section["cto_days_planned"] <= section["cto_days_paid"]
        assert dt.date.fromisoformat(section["start"]) < dt.date.fromisoformat(section["end"])
        assert roi_section(e.roi)["subject"] == section["roi_subject"]
        activities = roadmap_section(e.roadmap)["activities"]
        assert all(a["owner"] for a in activities)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(score=st.integers(1, 5), engineers=st.sampled_from([0, 1, 3, 12]), weeks=st.integers(4, 16),
       days=st.sampled_from([0.5, 1, 2, 3]), product_clear=st.booleans(), core=st.booleans(),
       bill=st.sampled_from([None, 2_000, 50_000]))
def test_every_output_reads_the_same_engagement(playbook, score, engineers, weeks, days, product_clear, core, bill):
    """Generated clients: the engagement's plan and ROI equal what each deliverable would compute on its own."""
    profile = make_profile(score, team={"engineers": engineers, "ai_experience": "limited",
                                        "loaded_cost_per_engineer": 150000},
                           engagement={"start_date": "2027-01-04", "weeks": weeks, "days_per_week": days},
                           situation={"product_requirements_clear": product_clear, "ai_core_to_business": core,
                                      "needs_daily_technical_leadership": core},
                           **({"ai_spend": {"monthly_bill": bill}} if bill else {}))
    e = build_engagement(profile, playbook)
    alone = plan_roadmap(profile, playbook)
    assert roadmap_section(alone) == roadmap_section(e.roadmap)
    assert roi_section(roi_analysis(profile, playbook, roadmap=alone)) == roi_section(e.roi)
    assert e.route == e.roadmap.route == e.roi.route
    cto = [a for a in e.roadmap.activities if a.activity.owner == "fractional_cto"]
    assert all(day <= e.end for a in cto for day, _ in a.work)
    if engineers == 0:
        assert all(a.activity.owner != "client_engineers" for a in e.roadmap.activities)


def test_wrong_decisions_cost_the_same_in_the_cost_report_the_roi_and_the_summary(engagements):
    """Priced at whoever redoes the work on the route: a client with no engineers (the agency route) pays the
    agency, so its hidden cost is not "team cost $0/week = $0" next to an ROI that counts the agency's fees."""
    from aicto.model.costs import rework
    from aicto.present.summary import costs_section
    from aicto.present.views.common import open_client
    from aicto.present.views.costs import CostView

    for client, e in engagements.items():
        redo = rework(e.costs, e.route)
        assert e.roi.drivers["base"].avoided_mistakes == pytest.approx(redo.cost.mid)
        hidden = costs_section(e)["hidden"]
        assert (hidden["wrong_decisions_cost_low"], hidden["wrong_decisions_cost_high"]) == (
            round(redo.cost.low, 2), round(redo.cost.high, 2))
        if e.route == "agency_or_cofounder":
            table = CostView(open_client(next(p for p in EXAMPLES if p.stem == client))).build("hidden_costs")
            assert redo.payer == "agency" and redo.cost.low > 0 and "the agency&#39;s" in table
