"""The progress report's model: plan against actual, the bill against the plan's target, the ROI realised by the same
model timed by what happened, and the transition; every figure read from the engagement or the baseline."""

import datetime as dt
from dataclasses import replace

import pytest

from aicto.model.engagement import build_engagement
from aicto.model.progress import (
    client_progress,
    has_progress,
    months_between,
    planned_bill,
    progress,
    signals,
    to_date,
)
from aicto.model.roi import EngagementModel
from aicto.model.snapshot import record
from aicto.model.validation import load_client
from aicto.present.summary import progress_section
from tests.conftest import EXAMPLES, ROOT, make_profile

START = dt.date(2027, 1, 4)
BASE = {"answers": {"evaluation.eval_dataset": 1, "evaluation.automated_evals": 1},
        "engagement": {"start_date": START}, "value": {"monthly_value": 50000}, "ai_spend": {"monthly_bill": 20000}}
D = dt.date


def engagement(playbook, actuals=None, score=3, **overrides):
    sections = {**BASE, **overrides}
    if actuals is not None:
        sections["actuals"] = actuals
    return build_engagement(make_profile(score, **sections), playbook)


def states(items):
    return {i.id: i.state for i in items}


@pytest.fixture(scope="module")
def plan(playbook):
    """The synthetic client's plan: a fractional route with a launch and five cost levers."""
    e = engagement(playbook)
    assert e.route == "fractional" and e.roadmap.milestone("production_launch") is not None
    return e.roadmap


def test_milestones_on_time_late_missed_upcoming_and_unplanned(playbook, plan):
    reported = {"as_of": D(2027, 3, 10), "milestones": {"audit_readout": D(2027, 1, 16),
                                                          "architecture_decided": D(2027, 1, 29),
                                                          "product_decision": D(2027, 2, 1)}}
    p = progress(engagement(playbook, reported), [], playbook)
    assert plan.milestone("audit_readout").date == D(2027, 1, 14)  # reached 2 days later: within the tolerance
    assert states(p.milestones) == {"audit_readout": "on_time", "architecture_decided": "late",
                                    "production_launch": "missed", "cost_target_reached": "missed",
                                    "handover": "upcoming", "product_decision": "unplanned"}
    by_id = {m.id: m for m in p.milestones}
    decided = plan.milestone("architecture_decided").date
    assert by_id["architecture_decided"].days_late == (D(2027, 1, 29) - decided).days
    assert by_id["production_launch"].days_late == (D(2027, 3, 10) - plan.milestone("production_launch").date).days
    assert [m.id for m in p.late_milestones] == ["architecture_decided", "production_launch", "cost_target_reached"]


def test_the_launch_date_reaches_the_launch_milestone(playbook, plan):
    launch = plan.milestone("production_launch").date
    p = progress(engagement(playbook, {"as_of": D(2027, 3, 10), "launch_date": launch + dt.timedelta(days=1)}), [],
                 playbook)
    assert states(p.milestones)["production_launch"] == "on_time"


def test_activity_states(playbook, plan):
    reported = {"as_of": D(2027, 3, 10), "activities": {
        "prompt_caching": plan.planned("prompt_caching").end, "eval_set": D(2027, 2, 10),
        "eval_metrics": {"started": D(2027, 2, 20)}, "partner_brief": D(2027, 2, 1)}}
    found = states(progress(engagement(playbook, reported), [], playbook).activities)
    assert {k: found[k] for k in ("prompt_caching", "eval_set", "eval_metrics", "handover", "partner_brief")} == {
        "prompt_caching": "done", "eval_set": "done_late", "eval_metrics": "overdue", "handover": "not_due",
        "partner_brief": "unplanned"}
    assert found["runbooks"] == "overdue"  # past its planned end and not reported done


def test_without_actuals_nothing_is_called_late_or_realised(playbook):
    e = engagement(playbook, engagement={"start_date": START, "report_date": D(2027, 3, 10)})
    p = progress(e, [], playbook)
    assert p.as_of == D(2027, 3, 10) and not p.reported
    assert set(states(p.milestones).values()) == {"not_reported", "upcoming"}
    assert p.roi.realised_value is None and p.roi.realised_net is None
    assert p.late_milestones == [] and {pt.actual for pt in p.burn_up()} == {None}
    assert {s.id for s in signals(e, p, playbook)} == {"route_full_time", "value_at_scale", "blockers_open",
                                                       "index_below_ready"}


def test_the_plans_bill_steps_down_lever_by_lever_to_the_cost_target(playbook, plan):
    baseline = record(engagement(playbook), START)
    assert planned_bill(baseline, "2026-12") is None  # before the plan
    january = 20000 - 3300 * (D(2027, 2, 1) - plan.lever_dates["prompt_caching"]).days / 31
    assert planned_bill(baseline, "2027-01") == pytest.approx(january, abs=1)
    assert planned_bill(baseline, "2027-04") == pytest.approx(plan.cost_target_monthly, abs=0.1)
    months = [planned_bill(baseline, m) for m in months_between(START, D(2027, 6, 1))]
    assert months == sorted(months, reverse=True)


def test_bill_then_and_now_and_above_target(playbook):
    reported = {"as_of": D(2027, 3, 31), "llm_bill": {"2026-12": 19000, "2027-02": 17000, "2027-03": 16000}}
    p = progress(engagement(playbook, reported), [], playbook)
    assert [b.month for b in p.bill] == ["2026-12", "2027-01", "2027-02", "2027-03"]
    assert p.bill[0].target is None and p.bill[1].actual is None
    assert (p.bill_then, p.bill_now) == (20000, 16000)
    bill = next(s for s in p.transition.reasons if "LLM bill" in s)
    assert "March 2027 ($16K)" in bill


def test_to_date_prorates_the_last_month():
    assert to_date([10, 20, 30], 1.5) == 20
    assert to_date([10, 20, 30], 0) == 0
    assert to_date([10, 20, 30], 7) == 60


def test_roi_promised_by_now_is_the_engagements_own_flows_without_a_snapshot(playbook):
    e = engagement(playbook, {"as_of": D(2027, 3, 31)})
    p = progress(e, [], playbook)
    months = (D(2027, 4, 1) - START).days / (365.25 / 12)
    assert p.roi.months == pytest.approx(months)
    assert p.roi.promised_value == pytest.approx(to_date(e.roi.flows.total_value, months), abs=0.05)
    assert p.roi.promised_cost == pytest.approx(to_date(e.roi.flows.cost, months), abs=0.05)
    # nothing happened: no launch and no lever live, so no speed or saving, and the same fee and days
    assert p.roi.realised_by_source["speed"] == 0 and p.roi.realised_by_source["cost_optimisation"] == 0
    assert p.roi.realised_cost == pytest.approx(p.roi.promised_cost, abs=0.05)


def test_roi_realised_on_the_plans_dates_is_the_model_without_slip(playbook, plan):
    reported = {"as_of": D(2027, 5, 31), "launch_date": plan.milestone("production_launch").date,
                "activities": {a.id: a.end for a in plan.activities if a.activity.addresses.levers}}
    e = engagement(playbook, reported)
    p = progress(e, [], playbook)
    model = EngagementModel(e.route, e.profile, e.costs, e.roadmap, e.roi.assumptions)
    flows = model.flows(replace(e.roi.drivers["base"], delivery_slip=0.0))
    assert p.roi.realised_value == pytest.approx(to_date(flows.total_value, p.roi.months), rel=1e-9)
    assert p.roi.realised_value > p.roi.promised_value  # the base case expects the plan's dates to slip


def test_burn_up_counts_the_plan_week_by_week(playbook, plan):
    reported = {"as_of": D(2027, 2, 1), "activities": {a.id: a.end for a in plan.activities if a.end <= D(2027, 2, 1)}}
    points = progress(engagement(playbook, reported), [], playbook).burn_up()
    assert points[0].day == START and points[0].planned == 0
    assert points[-1].planned == len(plan.activities) and points[-1].day == plan.end
    assert [pt.actual for pt in points if pt.day <= D(2027, 2, 1)] == [pt.planned for pt in points
                                                                        if pt.day <= D(2027, 2, 1)]
    assert all(pt.actual is None for pt in points if pt.day > D(2027, 2, 1))


def test_a_client_that_did_everything_as_planned_ends_the_engagement(playbook):
    e = build_engagement(make_profile(4, engagement={"start_date": START}, ai_spend={"monthly_bill": 20000}),
                         playbook)
    r = e.roadmap
    baseline = record(e, START)
    reported = {"as_of": r.end, "activities": {a.id: a.end for a in r.activities},
                "milestones": {m.id: m.date for m in r.milestones if m.id != "production_launch"},
                "llm_bill": {m: planned_bill(baseline, m) for m in months_between(START, r.end)}}
    if r.milestone("production_launch"):
        reported["launch_date"] = r.milestone("production_launch").date
    p = progress(build_engagement(make_profile(4, engagement={"start_date": START}, ai_spend={"monthly_bill": 20000},
                                               actuals=reported), playbook), [], playbook)
    assert p.late_milestones == [] and {a.state for a in p.activities} == {"done"}
    assert p.transition.outcome == "end"
    assert "Every milestone due by now is reached." in p.transition.reasons


def test_examples_tell_their_stories(playbook):
    found = {}
    for path in EXAMPLES:
        profile = load_client(path, playbook)
        found[path.stem] = client_progress(build_engagement(profile, playbook), playbook) if has_progress(
            profile) else None
    assert found["harbor-home-goods"] is None and found["meridian-insurance"] is None
    late = found["northwind-analytics"]
    assert late.from_snapshot and len(late.snapshots) == 2 and len(late.late_milestones) >= 2
    assert late.index_now > late.index_then and late.blockers_cleared == ["Data and retrieval not production-grade"]
    assert late.transition.outcome == "reduced_cadence" and late.transition.days_per_week == 1
    grew = found["cortex-labs"]
    assert grew.bill_now > grew.bill_then and grew.late_milestones[0].id == "cost_target_reached"
    assert grew.transition.outcome == "hire_full_time" and grew.transition.role is not None
    assert any("LLM bill" in a for a in grew.transition.also)
    assert grew.transition.role.strengths and "Cortex Labs" in grew.transition.role.mandate


def test_summary_section_has_the_portfolio_trend(playbook):
    profile = load_client(ROOT / "parameters/examples/cortex-labs.yaml", playbook)
    section = progress_section(client_progress(build_engagement(profile, playbook), playbook))
    assert section["trend"] == {"index_then": 62.5, "index_now": 65.3, "bill_then": 108475.0, "bill_now": 121800.0,
                                "late_milestones": 1}
    assert section["baseline"] == {"date": "2027-01-18", "source": "snapshot"}
    assert section["transition"]["outcome"] == "hire_full_time"
