"""Selection and scheduling of the 60-90 day roadmap: the plan must be executable as written."""

import datetime as dt
import json
from collections import defaultdict

import pytest

from aicto.model.calendar import plan_start
from aicto.model.readiness import assess
from aicto.model.roadmap import Needs, _Planner, plan_roadmap
from aicto.model.validation import load_client, parse_client
from aicto.present.summary import roadmap_section
from aicto.profile.activities import MILESTONES
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError
from aicto.profile.yamlio import read_yaml_mapping
from tests.conftest import EXAMPLES, make_profile, profile_data

START = {"start_date": "2027-01-04"}  # a Monday
PRODUCT_DEFINED = {f"product.{q.id}": 3 for d in load_playbook().questions.dimensions if d.id == "product"
                   for q in d.questions}  # keeps a low-scoring client on the fractional route
# Every launch blocker fires (evaluation, security, data and platform at 1), with a team to clear them.
BLOCKED = dict(score=1, engagement=START, answers=PRODUCT_DEFINED,
               team={"engineers": 6, "ai_experience": "limited", "loaded_cost_per_engineer": 150000})
WORKLOAD = {"workloads": [{"feature": "Assistant", "provider": "openai", "model": "gpt-4.1",
                           "requests_per_month": 200000, "input_tokens": 4000, "output_tokens": 300,
                           "cacheable_prefix_share": 0.5, "batchable_share": 0.3, "routable_share": 0.5,
                           "route_to": "gpt-4.1-mini", "trimmable_share": 0.2, "response_cache_share": 0.1}]}


def scenarios():
    """Profiles that stress different parts of the planner, plus every example client."""
    return {
        "blocked": make_profile(**BLOCKED, ai_spend=WORKLOAD),
        "gappy-3": make_profile(3, engagement=START, ai_spend=WORKLOAD),
        "ready": make_profile(4, engagement=START),
        "scarce": make_profile(**{**BLOCKED, "engagement": {**START, "days_per_week": 1}},
                               roadmap={"capacity": {"client_engineers": 2.5, "product": 0.5, "leadership": 0.5},
                                        "holidays": ["2027-01-06", "2027-02-15"]}),
        "cto-half-day": make_profile(**{**BLOCKED, "engagement": {**START, "days_per_week": 0.5}},
                                     roadmap={"capacity": {"client_engineers": 1.5, "product": 0.5}}),
        "no-engineers": make_profile(2, engagement=START, team={"engineers": 0, "ai_experience": "none",
                                                                 "loaded_cost_per_engineer": 0}),
        **{p.stem: load_client(p) for p in EXAMPLES},
    }


SCENARIOS = scenarios()


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def planned(request, playbook):
    profile = SCENARIOS[request.param]
    return profile, plan_roadmap(profile, playbook)


def test_dependencies_finish_before_dependents_start(planned, playbook):
    _, roadmap = planned
    ends = {a.id: a.end for a in roadmap.activities}
    in_route = {a.id for a in playbook.roadmap.in_route(roadmap.route)}
    for a in roadmap.activities:
        for dep in (*a.depends_on, *(d for d in a.activity.depends_on if d in in_route)):
            assert dep in ends, f"{a.id} depends on unplanned {dep}"
            assert ends[dep] < a.start, f"{a.id} starts {a.start}, before {dep} ends {ends[dep]}"


def test_no_role_over_capacity_on_any_day(planned):
    _, roadmap = planned
    load = defaultdict(float)
    for a in roadmap.activities:
        assert sum(units for _, units in a.work) == pytest.approx(a.activity.effort_days)
        for day, units in a.work:
            assert units > 0
            load[(a.activity.owner, day)] += units
    for (role, _), units in load.items():
        assert units <= roadmap.daily_capacity(role) + 1e-9


def test_only_working_days_are_planned(planned):
    profile, roadmap = planned
    holidays = set(profile.roadmap.holidays) if profile.roadmap else set()
    for a in roadmap.activities:
        for day, _ in a.work:
            assert day.weekday() < 5 and day not in holidays


def test_the_cto_works_only_inside_the_engagement_and_hands_over_in_its_last_week(planned, playbook):
    profile, roadmap = planned
    weeks = max(profile.engagement.weeks, roadmap.weeks_needed or 0) if roadmap.notes else profile.engagement.weeks
    last = roadmap.start + dt.timedelta(days=7 * weeks - 1)
    assert roadmap.engagement_end <= last
    cto = [a for a in roadmap.activities if a.activity.owner == "fractional_cto"]
    assert all(day <= roadmap.engagement_end for a in cto for day, _ in a.work)
    handover = roadmap.milestone("handover").date
    assert roadmap.engagement_end - dt.timedelta(days=7) < handover <= roadmap.engagement_end
    assert roadmap.days <= max(roadmap.horizon_days, (roadmap.engagement_end - roadmap.start).days + 1)
    # only client work that no milestone waits for runs past the hand-over, under its client owner
    assert all(a.activity.owner != "fractional_cto" and not a.activity.milestone for a in roadmap.after_handover)


def test_paid_and_planned_cto_days(planned):
    """Paid days are the engagement's working days at its days a week: a holiday is neither planned nor billed."""
    profile, roadmap = planned
    window = [roadmap.start + dt.timedelta(days=i) for i in range(7 * profile.engagement.weeks)]
    working = [d for d in window if d.weekday() < 5 and d not in roadmap.holidays]
    assert roadmap.cto_days_paid == pytest.approx(profile.engagement.days_per_week * len(working) / 5)
    assert roadmap.cto_days_planned == pytest.approx(
        sum(a.activity.effort_days for a in roadmap.activities if a.activity.owner == "fractional_cto"))
    assert 0 < roadmap.cto_days_planned <= roadmap.cto_days_paid


def test_every_blocker_is_cleared_before_the_launch(planned, playbook):
    profile, roadmap = planned
    blockers = assess(profile, playbook).blockers
    launch = roadmap.milestone("production_launch")
    if "production_launch" not in playbook.roadmap.routes[roadmap.route].milestones:
        assert launch is None  # agency and product-first plans launch nothing themselves
        return
    if roadmap.unresolved_blockers or profile.situation.in_production:
        assert launch is None  # a product already live is hardened, not launched
        return
    assert launch is not None
    for b in blockers:
        clearing = roadmap.clearing(b.id)
        assert clearing, f"nothing planned clears {b.id}"
        assert all(a.end < launch.date for a in clearing)


def test_blocked_client_gets_a_launch_with_every_blocker_cleared(playbook):
    profile = SCENARIOS["blocked"]
    roadmap = plan_roadmap(profile, playbook)
    assert {b.id for b in assess(profile, playbook).blockers} == {
        "no_evaluation", "security_gaps", "retrieval_unmeasured", "no_operability", "customer_data_to_providers"}
    assert roadmap.unresolved_blockers == [] and roadmap.milestone("production_launch")
    assert roadmap.horizon_days == 90
    assert [m.id for m in roadmap.milestones] == ["audit_readout", "architecture_decided", "production_launch",
                                                  "cost_target_reached", "handover"]


def test_milestones_follow_the_engagement_method(planned, playbook):
    profile, roadmap = planned
    dates = {m.id: m.date for m in roadmap.milestones}
    rules = playbook.roadmap.routes[roadmap.route]
    no_launch = roadmap.unresolved_blockers or profile.situation.in_production
    assert set(rules.milestones) - ({"production_launch"} if no_launch else set()) <= set(dates)
    assert dates["audit_readout"] < dates.get("architecture_decided", dates["handover"]) <= dates["handover"]
    if "production_launch" in dates:
        assert dates["architecture_decided"] < dates["production_launch"] < dates["handover"]
    build = [a for a in roadmap.activities if a.activity.phase == "build"]
    assert all(a.start > dates[rules.build_gate] for a in build)
    gate = dates.get("production_launch", dates.get("architecture_decided", dates[rules.build_gate]))
    assert all(a.start > gate for a in roadmap.activities if a.activity.phase == "transition")


def test_output_is_deterministic(playbook):
    for profile in SCENARIOS.values():
        first, second = plan_roadmap(profile, playbook), plan_roadmap(profile, playbook)
        assert first == second
        assert json.dumps(roadmap_section(first)) == json.dumps(roadmap_section(second))


def test_small_gaps_get_the_short_plan_and_large_gaps_the_long_one(playbook):
    assert plan_roadmap(SCENARIOS["ready"], playbook).horizon_days == 60
    assert plan_roadmap(SCENARIOS["gappy-3"], playbook).horizon_days == 90


def test_higher_value_per_day_wins_when_capacity_is_scarce(playbook):
    """prompt_versioning closes a gap of 3 for 1.5 days, deployment_pipeline the same gap for 3 days: at 0.5
    engineer-days a week only one fits, and it must be the better value per day."""
    scarce = {"capacity": {"client_engineers": 0.5}}
    short = {**START, "weeks": 9}
    both = make_profile(5, answers={"platform.prompt_versioning": 1, "platform.deployment": 1}, engagement=short,
                        roadmap=scarce)
    roadmap = plan_roadmap(both, playbook)
    assert "prompt_versioning" in {a.id for a in roadmap.activities}
    deferred = {d.activity.id: d for d in roadmap.out_of_scope}
    assert deferred["deployment_pipeline"].kind == "does_not_fit"
    assert "Does not fit in the engagement" in deferred["deployment_pipeline"].reason
    alone = make_profile(5, answers={"platform.deployment": 1}, engagement=short, roadmap=scarce)
    assert "deployment_pipeline" in {a.id for a in plan_roadmap(alone, playbook).activities}  # it fits by itself


def test_blockers_are_planned_before_larger_gaps(playbook):
    roadmap = plan_roadmap(SCENARIOS["scarce"], playbook)
    planned = {a.id for a in roadmap.activities}
    assert roadmap.milestone("production_launch") is not None
    assert all(roadmap.clearing(b.id) for b in roadmap.blockers)
    dropped = [d for d in roadmap.out_of_scope if d.kind == "does_not_fit"]
    assert dropped, "the scarce scenario should not fit everything"
    assert "eval_set" in planned and "data_protection" in planned
    assert all("higher-priority work takes the time it needs from" in d.reason for d in dropped)


def test_no_engineers_means_no_launch_and_says_why(playbook):
    roadmap = plan_roadmap(SCENARIOS["no-engineers"], playbook)
    assert roadmap.milestone("production_launch") is None and roadmap.unresolved_blockers
    assert all(a.activity.owner != "client_engineers" for a in roadmap.activities)
    deferred = {d.activity.id: d for d in roadmap.out_of_scope}
    assert roadmap.route == "agency_or_cofounder" and "launch_review" not in deferred  # not on this route
    # with no engineers the route is to buy the build: engineering is the partner's work, checked at acceptance
    assert deferred["eval_set"].kind == "partner_work" and "acceptance tests" in deferred["eval_set"].reason
    assert deferred["mentoring"].kind == "partner_work"  # involves engineers, though the CTO owns it
    assert "no LLM spend" in deferred["cost_review"].reason


def test_every_activity_is_planned_or_out_of_scope_with_a_reason(planned, playbook):
    _, roadmap = planned
    planned_ids = [a.id for a in roadmap.activities]
    deferred = [d.activity.id for d in roadmap.out_of_scope]
    assert sorted(planned_ids + deferred) == sorted(a.id for a in playbook.roadmap.in_route(roadmap.route))
    assert all(d.reason for d in roadmap.out_of_scope)


def test_exclude_and_include(playbook):
    profile = make_profile(3, engagement=START, roadmap={"exclude": ["eval_set"], "include": ["citations_ux"]},
                           answers={"product.ux_for_uncertainty": 5})
    roadmap = plan_roadmap(profile, playbook)
    planned = {a.id: a for a in roadmap.activities}
    deferred = {d.activity.id: d for d in roadmap.out_of_scope}
    assert deferred["eval_set"].kind == "excluded"
    assert deferred["eval_metrics"].kind == "excluded" and "which it needs" in deferred["eval_metrics"].reason
    assert planned["citations_ux"].included and "user_journeys" in planned  # pulled in as a dependency
    assert planned["user_journeys"].needed_by == "citations_ux"


def test_cost_target_is_the_bill_after_the_planned_levers(playbook):
    from aicto.model.costs import cost_breakdown

    profile = make_profile(3, engagement=START, ai_spend=WORKLOAD)
    roadmap = plan_roadmap(profile, playbook)
    spend = cost_breakdown(profile, playbook).ai_spend
    review = roadmap.milestone("cost_target_reached")
    levers = [a for a in roadmap.activities if a.activity.addresses.levers]
    planned = {lever for a in levers for lever in a.activity.addresses.levers}
    assert roadmap.cost_target_monthly == pytest.approx(
        spend.current_monthly - sum(spend.savings_by_lever[lever] for lever in planned))
    assert len(levers) >= 4 and all(a.end < review.date for a in levers)
    # a lever whose saving does not pay for its engineer-days over the horizon is not planned for the saving
    skipped = {d.activity.id: d.reason for d in roadmap.out_of_scope if d.activity.addresses.levers}
    assert all("pays for the work" in reason for reason in skipped.values())


def test_start_is_the_monday_after_the_report_date_without_a_start_date():
    for report, monday in [("2027-01-06", "2027-01-11"), ("2027-01-11", "2027-01-18"), ("2027-01-10", "2027-01-11")]:
        profile = make_profile(3, engagement={"report_date": report})
        assert plan_start(profile, dt.date(2030, 1, 1)) == dt.date.fromisoformat(monday)


def test_a_start_on_a_holiday_moves_to_the_next_working_day(playbook):
    profile = make_profile(3, engagement={"start_date": "2027-01-02"}, roadmap={"holidays": ["2027-01-04"]})
    assert plan_roadmap(profile, playbook).start == dt.date(2027, 1, 5)


def test_too_short_an_engagement_gets_the_weeks_it_needs_and_says_so(playbook):
    profile = make_profile(3, engagement={**START, "days_per_week": 0.5, "weeks": 3})
    roadmap = plan_roadmap(profile, playbook)
    weeks = (roadmap.engagement_end - roadmap.start).days // 7 + 1
    assert weeks > 3 and roadmap.milestone("handover").date <= roadmap.engagement_end
    assert f"need {weeks} weeks of the fractional CTO at 0.5 days a week; the engagement has 3" in roadmap.notes[-1]


MONDAYS_ONLY = [str(d) for d in (dt.date(2027, 1, 5) + dt.timedelta(days=i) for i in range(7 * 53))
                if d.weekday() in (1, 2, 3, 4)]  # a year in which only Mondays are worked


@pytest.mark.parametrize(("example", "changes", "core"), [
    (None, {"roadmap": {"holidays": MONDAYS_ONLY}}, 5.5),  # fractional route
    ("cortex-labs", {"roadmap": {"capacity": {"leadership": 0.01}}}, 8.5),  # full-time route: the search, years
], ids=["mondays-only", "no-leadership-time-for-the-hire"])
def test_a_profile_whose_milestones_cannot_fit_a_year_is_refused_when_validated(example, changes, core):
    """`aicto validate` refuses it, naming the field, so no run fails on it later."""
    data = read_yaml_mapping(next(p for p in EXAMPLES if p.stem == example)) if example else profile_data(3)
    data = {**data, "engagement": {**data.get("engagement", {}), **START, "days_per_week": 0.5}, **changes}
    with pytest.raises(InputError) as info:
        parse_client(data, "test.yaml")
    assert info.value.render() == (
        f"test.yaml: engagement.days_per_week: the recommended route's milestones ({core} fractional CTO days, with "
        "the client's part of them) do not fit in 52 weeks at 0.5 days a week (more days a week, more client "
        "capacity, or fewer holidays)")


def test_summary_section_has_the_issue_keys(playbook):
    section = roadmap_section(plan_roadmap(SCENARIOS["gappy-3"], playbook))
    assert set(section) >= {"start", "end", "days", "activities", "milestones"}
    assert set(section["milestones"]) == {"audit_readout", "architecture_decided", "production_launch",
                                          "cost_target_reached", "handover"}
    assert len(section["activities"]) == len(plan_roadmap(SCENARIOS["gappy-3"], playbook).activities)
    assert section["days"] == (dt.date.fromisoformat(section["end"]) - dt.date.fromisoformat(section["start"])).days + 1



def test_public_holidays_of_the_clients_country_are_not_worked(playbook):
    """Easter 2027 in England (Good Friday 26 March, Easter Monday 29 March) falls in Meridian's plan."""
    profile = load_client(next(p for p in EXAMPLES if p.stem == "meridian-insurance"), playbook)
    roadmap = plan_roadmap(profile, playbook)
    easter = {dt.date(2027, 3, 26), dt.date(2027, 3, 29)}
    assert easter <= roadmap.holidays
    assert not any(day in easter for a in roadmap.activities for day, _ in a.work)
    us = make_profile(3, client={"id": "t", "name": "T", "industry": "x", "country": "US"},
                      engagement={"start_date": "2027-12-20"})
    worked = {day for a in plan_roadmap(us, playbook).activities for day, _ in a.work}
    assert dt.date(2027, 12, 24) not in worked and dt.date(2027, 12, 31) not in worked  # observed holidays


def test_an_unknown_country_or_subdivision_is_refused():
    from tests.conftest import profile_data
    from tests.unit.profile.test_profile_roadmap import _problems

    bad = profile_data(3, client={"id": "t", "name": "T", "industry": "x", "country": "XY"})
    assert "country 'XY' has no public-holiday calendar" in _problems(bad)[0]
    sub = profile_data(3, client={"id": "t", "name": "T", "industry": "x", "country": "GB", "subdivision": "XX"})
    assert "subdivision 'XX' is not one of GB's (ENG, NIR, SCT, WLS)" in _problems(sub)[0]


def test_no_time_for_a_role_the_routes_milestones_need_is_refused_naming_the_role():
    data = read_yaml_mapping(next(p for p in EXAMPLES if p.stem == "cortex-labs"))  # the full-time route
    with pytest.raises(InputError) as info:
        parse_client({**data, "roadmap": {"capacity": {"leadership": 0}}}, "test.yaml")
    assert info.value.render() == ("test.yaml: roadmap.capacity.leadership: 0 days a week, but the recommended "
                                   "route's milestones need leadership time (Write the AI CTO role profile and "
                                   "scorecard); more than 0")


@pytest.mark.parametrize("route", ["fractional", "full_time", "agency_or_cofounder", "product_first"])
def test_the_planner_finds_each_milestones_activity_as_the_library_does(playbook, route):
    library = playbook.roadmap
    planner = _Planner(library, Needs({}, [], {}, 0.0, 0.0), {}, frozenset(), route)
    for milestone in MILESTONES:
        found = library.carrier(milestone, route)
        assert planner.carrier(milestone) == (found.id if found else None)


def test_a_product_in_production_gets_no_launch(playbook):
    """A product already serving customers is hardened, not launched: no launch milestone, no speed value, and
    the launch blockers' work still planned."""
    from aicto.model.engagement import build_engagement
    from tests.conftest import make_profile

    unevaluated = {f"evaluation.{q}": 1 for q in ("eval_dataset", "automated_evals", "quality_metrics")}
    live = build_engagement(make_profile(3, unevaluated, situation={"in_production": True},
                                         engagement={"start_date": "2027-01-04"}), playbook)
    assert live.route == "fractional" and live.readiness.blockers
    assert live.roadmap.milestone("production_launch") is None
    assert any("Already in production" in d.reason for d in live.roadmap.out_of_scope)
    assert live.roi.timing.launch is None and live.roi.base.value_by_source["speed"] == 0
    assert any(a.blockers for a in live.roadmap.activities)
    not_live = build_engagement(make_profile(3, unevaluated, engagement={"start_date": "2027-01-04"}), playbook)
    assert not_live.roadmap.milestone("production_launch") is not None
