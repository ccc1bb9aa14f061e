"""Month 3+: what the engagement changed and what happens next, from the engagement model, the snapshots and the
client's actuals.

The baseline is the first snapshot (the answers, figures and plan agreed that day), or the engagement itself when
the client has actuals but no snapshot. Readiness now is the engagement's; the plan, the bill target and the ROI
promised are the baseline's; the ROI realised is the same ROI model timed by the dates things actually happened.
Nothing is computed here that the engagement model already computes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from aicto.model.costs import WEEKS_PER_MONTH
from aicto.model.engagement import Engagement
from aicto.model.roi import EngagementModel, Timing, engagement_month
from aicto.model.snapshot import PlannedItem, Snapshot, files, load, record
from aicto.model.transition import RoleProfile, Signal, Transition, recommend
from aicto.profile.activities import ActivityLibrary
from aicto.profile.actuals import Actuals, Incident, month_start
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile
from aicto.text.dates import month_of
from aicto.text.money import MoneyFormat, money
from aicto.text.words import count, count_range

MilestoneState = Literal["on_time", "late", "missed", "upcoming", "not_reported", "unplanned"]
ActivityState = Literal["done", "done_late", "in_progress", "overdue", "not_due", "not_reported", "unplanned"]


@dataclass(frozen=True)
class DimensionChange:
    id: str
    name: str
    then: float
    now: float
    target: float

    @property
    def delta(self) -> float:
        return self.now - self.then


@dataclass(frozen=True)
class MilestoneStatus:
    id: str
    title: str
    planned: dt.date | None  # None: reached, but not in the baseline plan
    actual: dt.date | None
    state: MilestoneState
    days_late: int  # after the planned date: when reached, or as of the report when missed; 0 otherwise


@dataclass(frozen=True)
class ActivityStatus:
    id: str
    title: str
    planned: PlannedItem | None  # None: done, but not in the baseline plan
    started: dt.date | None
    done: dt.date | None
    state: ActivityState


@dataclass(frozen=True)
class BillMonth:
    month: str  # YYYY-MM
    target: float | None  # the baseline plan's bill for the month; None before the plan starts
    actual: float | None


@dataclass(frozen=True)
class RoiToDate:
    subject: str
    months: float  # engagement months from the plan's first day to the report
    promised_value: float
    promised_cost: float
    realised_value: float | None  # None without actuals: nothing reported has happened
    realised_cost: float | None
    realised_by_source: dict[str, float]
    promised_multiple: float | None  # over the horizon, as promised at the baseline
    promised_payback_month: int | None

    @property
    def promised_net(self) -> float:
        return self.promised_value - self.promised_cost

    @property
    def realised_net(self) -> float | None:
        return None if self.realised_value is None or self.realised_cost is None else (
            self.realised_value - self.realised_cost)


@dataclass(frozen=True)
class BurnUpPoint:
    day: dt.date
    planned: int  # activities of the baseline plan planned done by that day
    actual: int | None  # done by that day; None after the report date or without actuals


@dataclass(frozen=True)
class Progress:
    as_of: dt.date
    baseline: Snapshot
    from_snapshot: bool  # False: the baseline is the engagement itself (actuals, no snapshot)
    snapshots: list[Snapshot]
    reported: bool  # the profile has actuals
    index_now: float
    tier_now: str
    route_now: str
    dimensions: list[DimensionChange]
    blockers_cleared: list[str]
    blockers_new: list[str]
    blockers_open: list[str]
    milestones: list[MilestoneStatus]
    activities: list[ActivityStatus]  # the baseline plan's, then done work the plan did not have
    bill: list[BillMonth]
    bill_now: float
    roi: RoiToDate
    incidents: list[Incident]
    transition: Transition

    @property
    def index_then(self) -> float:
        return self.baseline.readiness.index

    @property
    def bill_then(self) -> float:
        return self.baseline.bill.current_monthly

    @property
    def late_milestones(self) -> list[MilestoneStatus]:
        return [m for m in self.milestones if m.state in ("late", "missed")]

    @property
    def planned_activities(self) -> list[ActivityStatus]:
        return [a for a in self.activities if a.planned is not None]

    def burn_up(self) -> list[BurnUpPoint]:
        """Week by week from the plan's first day to its end or the report, whichever is later."""
        plan = self.planned_activities
        if not plan:
            return []
        start = self.baseline.plan.start
        last = max(max(a.planned.end for a in plan if a.planned), self.as_of)
        days = [start + dt.timedelta(days=7 * i) for i in range((last - start).days // 7 + 1)]
        days += [last] if days[-1] < last else []
        return [BurnUpPoint(day, sum(1 for a in plan if a.planned and a.planned.end <= day),
                            sum(1 for a in plan if a.done and a.done <= day) if self.reported and day <= self.as_of
                            else None)
                for day in days]


def has_progress(profile: Profile) -> bool:
    """The progress report applies to a client with actuals or at least one snapshot, once the engagement has
    started: a report dated before the start date (a proposal, the assessment) describes the plan, not progress."""
    start = profile.engagement.start_date
    if start is not None and as_of(profile) < start:
        return False
    return profile.actuals is not None or bool(files(profile.source))


def as_of(profile: Profile, today: dt.date | None = None) -> dt.date:
    """The report's date: the actuals' date, else the profile's report date, else today."""
    if profile.actuals is not None:
        return profile.actuals.as_of
    return profile.engagement.report_date or today or dt.date.today()


Stage = Literal["proposal", "audit", "build", "transition"]


def stage(engagement: Engagement, today: dt.date | None = None) -> Stage:
    """Where the engagement stands on the report's date: the proposal (no audit answers yet), the audit (to the
    read-out), the build (to the hand-over), then the transition."""
    if engagement.provisional:
        return "proposal"
    day, roadmap = as_of(engagement.profile, today), engagement.roadmap
    readout = roadmap.milestone("audit_readout")
    if readout is None or day <= readout.date:
        return "audit"
    return "build" if day < roadmap.handover.date else "transition"


def client_progress(engagement: Engagement, playbook: Playbook, today: dt.date | None = None) -> Progress:
    """The progress of the engagement's client, with the snapshots kept beside its profile file."""
    profile = engagement.profile
    return progress(engagement, load(profile.source, profile.client.id, profile), playbook, today)


def progress(engagement: Engagement, snapshots: Sequence[Snapshot], playbook: Playbook,
             today: dt.date | None = None) -> Progress:
    profile, readiness = engagement.profile, engagement.readiness
    day = as_of(profile, today)
    baseline = snapshots[0] if snapshots else record(engagement, engagement.start,
                                                     dt.datetime.combine(engagement.start, dt.time(), dt.UTC))
    actuals = profile.actuals
    tolerance = dt.timedelta(days=playbook.transition.tolerances.late_days)
    then_blockers, now_blockers = baseline.readiness.blockers, {b.id: b.title for b in readiness.blockers}
    milestones = _milestones(baseline, actuals, day, tolerance, playbook)
    activities = _activities(baseline, actuals, day, tolerance, playbook)
    bill = _bill(baseline, actuals, day)
    found = Progress(
        as_of=day, baseline=baseline, from_snapshot=bool(snapshots), snapshots=list(snapshots),
        reported=actuals is not None, index_now=readiness.index, tier_now=readiness.tier,
        route_now=engagement.route,
        dimensions=[DimensionChange(d.id, d.name, baseline.readiness.dimensions[d.id], d.score, d.target)
                    for d in readiness.dimensions if d.id in baseline.readiness.dimensions],
        blockers_cleared=[t for b, t in then_blockers.items() if b not in now_blockers],
        blockers_new=[t for b, t in now_blockers.items() if b not in then_blockers],
        blockers_open=list(now_blockers.values()),
        milestones=milestones, activities=activities, bill=bill,
        bill_now=next((m.actual for m in reversed(bill) if m.actual is not None),
                      engagement.costs.ai_spend.current_monthly),
        roi=_roi(engagement, baseline, actuals, day, playbook.roadmap),
        incidents=sorted(actuals.incidents, key=lambda i: i.date) if actuals else [],
        transition=Transition("end", "", "", [], None, None),  # decided below, from the rest
    )
    return replace(found, transition=_transition(engagement, found, playbook))


# -- plan against actual ---------------------------------------------------------------------------------------------

def _milestones(baseline: Snapshot, actuals: Actuals | None, day: dt.date, tolerance: dt.timedelta,
                playbook: Playbook) -> list[MilestoneStatus]:
    reached = dict(actuals.milestones) if actuals else {}
    if actuals and actuals.launch_date:
        reached["production_launch"] = actuals.launch_date
    titles = {m: info.title for m, info in playbook.roadmap.milestones.items()}
    found = []
    for m, planned in sorted(baseline.plan.milestones.items(), key=lambda kv: kv[1]):
        actual = reached.get(m)
        if actual is not None:
            state: MilestoneState = "on_time" if actual <= planned + tolerance else "late"
            late = max((actual - planned).days, 0)
        elif actuals is None:
            state, late = ("not_reported" if planned <= day else "upcoming"), 0
        elif day > planned + tolerance:
            state, late = "missed", (day - planned).days
        else:
            state, late = "upcoming", 0
        found.append(MilestoneStatus(m, titles.get(m, m), planned, actual, state, late))
    found += [MilestoneStatus(m, titles.get(m, m), None, d, "unplanned", 0)
              for m, d in sorted(reached.items(), key=lambda kv: kv[1]) if m not in baseline.plan.milestones]
    return found


def _activities(baseline: Snapshot, actuals: Actuals | None, day: dt.date, tolerance: dt.timedelta,
                playbook: Playbook) -> list[ActivityStatus]:
    reported = actuals.activities if actuals else {}
    found = []
    for item in baseline.plan.activities:
        a = reported.get(item.id)
        started, done = (a.started, a.done) if a else (None, None)
        state: ActivityState
        if done is not None:
            state = "done" if done <= item.end + tolerance else "done_late"
        elif actuals is None:
            state = "not_reported" if item.start <= day else "not_due"
        elif day > item.end + tolerance:
            state = "overdue"
        else:
            state = "in_progress" if started else "not_due"
        found.append(ActivityStatus(item.id, item.title, item, started, done, state))
    planned = {i.id for i in baseline.plan.activities}
    titles = {a.id: a.title for a in playbook.roadmap.activities}
    found += [ActivityStatus(k, titles[k], None, a.started, a.done, "unplanned")
              for k, a in reported.items() if k not in planned]
    return found


# -- the bill --------------------------------------------------------------------------------------------------------

def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Calendar months from `first`'s to `last`'s, as YYYY-MM."""
    count = (last.year - first.year) * 12 + last.month - first.month
    return [f"{first.year + (first.month - 1 + i) // 12:04d}-{(first.month - 1 + i) % 12 + 1:02d}"
            for i in range(count + 1)]


def planned_bill(baseline: Snapshot, month: str) -> float | None:
    """The baseline plan's bill for a calendar month: today's bill less each lever's saving for the part of the
    month after its activity is planned done; None for a month before the plan starts."""
    first = month_start(month)
    following = month_start(months_between(first, first + dt.timedelta(days=31))[1])
    if following <= baseline.plan.start.replace(day=1):
        return None
    days = (following - first).days
    saved = sum(lever.saving * min(max((following - max(lever.date, first)).days, 0), days) / days
                for lever in baseline.bill.levers)
    return max(baseline.bill.current_monthly - saved, 0.0)


def _bill(baseline: Snapshot, actuals: Actuals | None, day: dt.date) -> list[BillMonth]:
    reported = actuals.llm_bill if actuals else {}
    first = min([baseline.plan.start, *(month_start(m) for m in reported)])
    return [BillMonth(m, planned_bill(baseline, m), reported.get(m)) for m in months_between(first, day)]


# -- ROI to date -----------------------------------------------------------------------------------------------------

def to_date(series: Sequence[float] | np.ndarray, months: float) -> float:
    """The sum of a monthly series over the first `months` engagement months, the last one pro rata."""
    values = np.asarray(series, dtype=float)
    whole = min(int(math.floor(months)), len(values))
    part = values[whole] * (months - whole) if whole < len(values) else 0.0
    return float(values[:whole].sum() + part)


def actual_timing(engagement: Engagement, actuals: Actuals, library: ActivityLibrary) -> Timing:
    """The ROI model's timing from what happened: the launch, each lever from the day the first activity working on
    it was done, the product decision; nothing that has not happened yet."""
    start = engagement.start
    activities = {a.id: a for a in library.activities}
    levers: dict[str, float] = {}
    for key, a in sorted(actuals.activities.items(), key=lambda kv: kv[1].done or dt.date.max):
        for lever in activities[key].addresses.levers if a.done else ():
            levers.setdefault(lever, engagement_month(start, a.done))
    decision = actuals.milestones.get("product_decision")
    # a product already in production launches nothing: the validation refuses a launch date for it
    return Timing(engagement.weeks / WEEKS_PER_MONTH,
                  engagement_month(start, actuals.launch_date) if actuals.launch_date else None, levers,
                  engagement_month(start, decision) if decision else None)


def _roi(engagement: Engagement, baseline: Snapshot, actuals: Actuals | None, day: dt.date,
         library: ActivityLibrary) -> RoiToDate:
    months = max(engagement_month(baseline.plan.start, day + dt.timedelta(days=1)), 0.0)
    promised = baseline.roi
    realised_value = realised_cost = None
    by_source: dict[str, float] = {}
    if actuals is not None:
        roi = engagement.roi
        model = EngagementModel(engagement.route, engagement.profile, engagement.costs, engagement.roadmap,
                                roi.assumptions, actual_timing(engagement, actuals, library), engagement.bridge)
        flows = model.flows(replace(roi.drivers["base"], delivery_slip=0.0))  # the actual dates carry any slip
        now = max(engagement_month(engagement.start, day + dt.timedelta(days=1)), 0.0)
        realised_value, realised_cost = to_date(flows.total_value, now), to_date(flows.cost, now)
        by_source = {k: to_date(v, now) for k, v in flows.value.items()}
    return RoiToDate(promised.subject, months, to_date(promised.value_by_month, months),
                     to_date(promised.cost_by_month, months), realised_value, realised_cost, by_source,
                     promised.multiple, promised.payback_month)


# -- the transition --------------------------------------------------------------------------------------------------

def _names(items: Sequence[str], limit: int = 4) -> str:
    shown = "; ".join(item.rstrip(".") for item in items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def signals(engagement: Engagement, p: Progress, playbook: Playbook) -> list[Signal]:
    """Every transition signal that can be judged; those on reported work only when the client reports actuals."""
    rules, profile = playbook.transition.tolerances, engagement.profile
    currency, locale, fit = profile.client.currency, playbook.brand.locale, engagement.readiness.fit
    launched = bool(profile.actuals and profile.actuals.launch_date)
    found = [
        Signal("route_full_time", p.route_now == "full_time", {"reason": " ".join(fit.reasons) or fit.summary}),
        Signal("value_at_scale", launched and profile.monthly_value >= rules.value_at_scale_monthly * profile.client.fx
               and profile.team.engineers >= rules.value_at_scale_engineers,
               {"value": money(profile.monthly_value, currency, locale),
                "engineers": count(profile.team.engineers, "engineer")}),
        Signal("blockers_open", bool(p.blockers_open),
               {"count": str(len(p.blockers_open)), "names": _names(p.blockers_open)}),
        Signal("index_below_ready", p.index_now < rules.ready_index,
               {"index": f"{p.index_now:.0f}", "ready": f"{rules.ready_index:g}"}),
    ]
    if not p.reported:
        return found
    missed = [m.title for m in p.milestones if m.state == "missed"]
    overdue = [a.title for a in p.activities if a.state == "overdue"]
    window = p.as_of - dt.timedelta(days=rules.incident_days)
    recent = [i.summary for i in p.incidents if i.severity == "high" and i.date >= window]
    found += [
        Signal("milestones_missed", bool(missed), {"count": str(len(missed)), "names": _names(missed)}),
        Signal("activities_overdue", bool(overdue), {"count": str(len(overdue)), "names": _names(overdue)}),
        Signal("incidents_recent", bool(recent), {"count": str(len(recent)), "names": _names(recent),
                                                  "days": count(rules.incident_days, "day")}),
    ]
    latest = next((m for m in reversed(p.bill) if m.actual is not None and m.target), None)
    if latest is not None and latest.actual is not None and latest.target:
        bill = MoneyFormat.fit([latest.actual, latest.target], currency, locale)  # one sentence
        found.append(Signal("bill_above_target", latest.actual > latest.target * (1 + rules.bill_share), {
            "month": month_of(latest.month, playbook.brand.locale), "bill": bill(latest.actual),
            "share": f"{latest.actual / latest.target - 1:.0%}", "target": bill(latest.target)}))
    return found


def role_profile(engagement: Engagement, playbook: Playbook) -> RoleProfile:
    """The hire's profile: strongest where the client is weakest now, paid as the cost breakdown assumes."""
    role, profile = playbook.transition.role, engagement.profile
    full_time = engagement.costs.assumptions.leadership.full_time
    pay = MoneyFormat.fit([full_time.salary.low, full_time.salary.high, full_time.equity_per_year.low,
                           full_time.equity_per_year.high], profile.client.currency, playbook.brand.locale)
    decisions = profile.situation.decisions_pending
    fields = {"client": profile.client.name, "decisions": f" ({'; '.join(decisions)})" if decisions else ""}
    weakest = engagement.readiness.top_dimension_gaps[:3] or sorted(engagement.readiness.dimensions,
                                                                     key=lambda d: d.score)[:3]
    return RoleProfile(
        title=role.title, reports_to=role.reports_to, mandate=role.mandate.format(**fields),
        strengths=[(d.name, role.strengths[d.id]) for d in weakest], first_year=list(role.first_year),
        package=f"{pay.range(full_time.salary.low, full_time.salary.high)} a year, plus equity of "
                f"{pay.range(full_time.equity_per_year.low, full_time.equity_per_year.high)} a year",
        search=f"{count_range(full_time.months_to_hire.low, full_time.months_to_hire.high, 'month')} to hire, "
               f"{count_range(full_time.months_to_ramp.low, full_time.months_to_ramp.high, 'month')} more to ramp up",
        interview_loop=[step.format(**fields) for step in role.interview_loop],
    )


def _transition(engagement: Engagement, p: Progress, playbook: Playbook) -> Transition:
    found = signals(engagement, p, playbook)
    hire = any(s.holds for s in found if s.id in playbook.transition.outcomes["hire_full_time"].signals)
    months = engagement.costs.assumptions.leadership.full_time.months_to_hire
    return recommend(found, playbook.transition, engagement.profile.engagement.days_per_week,
                     count_range(months.low, months.high, "month"),
                     role_profile(engagement, playbook) if hire else None)
