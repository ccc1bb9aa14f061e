"""The 60-90 day roadmap: which of the playbook's activities this client needs, in what order, and on which days.

Selection puts the launch blockers first, then the largest readiness gaps and LLM savings per day of effort. The
schedule places work day by day on working days and never gives a role more than its capacity, so the plan the team
receives is one it can execute. Same inputs, same plan: every tie is broken by the library's order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from aicto.model.ai_spend import LEVER_NAMES, SpendResult
from aicto.model.calendar import (
    MAX_WEEKS,
    UNIT,
    cto_days_paid,
    days_off,
    first_working_day,
    per_day_units,
    plan_start,
    working_days,
)
from aicto.model.capacity import client_capacity, engineer_day_rate
from aicto.model.costs import cost_breakdown
from aicto.model.readiness import Blocker, ReadinessResult, assess
from aicto.profile.activities import (
    Activity,
    ActivityLibrary,
    MilestoneId,
    Role,
    Route,
    clears,
)
from aicto.profile.playbook import Playbook
from aicto.profile.problems import InputError, Problem
from aicto.profile.schema import Profile, RoadmapSettings
from aicto.text.words import count, listed, mid_sentence

DeferKind = Literal["no_milestone", "does_not_fit", "partner_work", "no_capacity", "excluded", "nothing_to_fix"]
DEFER_ORDER: tuple[DeferKind, ...] = ("no_milestone", "does_not_fit", "partner_work", "no_capacity", "excluded",
                                      "nothing_to_fix")
ROLE_PHRASES: dict[Role, str] = {"fractional_cto": "the fractional CTO", "client_engineers": "the client's engineers",
                                 "product": "product", "leadership": "leadership"}


@dataclass(frozen=True)
class Needs:
    """What the assessment and the cost breakdown say the client needs: the roadmap's only inputs from them."""

    gaps: dict[str, float]  # dimension.question -> weighted gap, answers below target only
    blockers: list[Blocker]
    savings: dict[str, float]  # lever -> monthly saving
    current_monthly: float
    index: float

    worth: float = 0.0  # an engineer's loaded day: lever work must save at least its days' cost over the horizon
    worth_months: float = 12.0

    @classmethod
    def of(cls, readiness: ReadinessResult, spend: SpendResult, worth: float = 0.0, months: float = 12.0) -> Needs:
        return cls({f"{g.dimension_id}.{g.question_id}": g.gap for g in readiness.gaps}, list(readiness.blockers),
                   dict(spend.savings_by_lever), spend.current_monthly, readiness.index, worth, months)

    def value(self, activity: Activity, points_per_bill: float) -> float:
        """Weighted-gap points: the gaps it works on plus its levers' saving as a share of the bill."""
        gaps = sum(self.gaps.get(q, 0.0) for q in activity.addresses.questions)
        saving = self.saving(activity)
        return gaps + (points_per_bill * saving / self.current_monthly if self.current_monthly else 0.0)

    def saving(self, activity: Activity) -> float:
        """The monthly saving of the activity's levers, when it pays for the work: a $1 bill is not worth a week."""
        saving = sum(self.savings.get(lever, 0.0) for lever in activity.addresses.levers)
        return saving if saving * self.worth_months >= activity.effort_days * self.worth else 0.0

    def cleared_by(self, activity: Activity) -> list[str]:
        return [b.id for b in self.blockers if clears(activity, b.target, set(self.gaps))]


@dataclass(frozen=True)
class PlannedActivity:
    activity: Activity
    start: dt.date
    end: dt.date
    work: tuple[tuple[dt.date, float], ...]  # (working day, person-days the owner puts in that day)
    depends_on: tuple[str, ...]  # as scheduled (library, phase gates, milestone rules), implied ones left out
    blockers: tuple[str, ...]  # blocker ids it clears
    gaps: tuple[str, ...]  # dimension.question ids below target it works on
    savings_monthly: float
    needed_by: str | None  # the activity that pulled it into the plan as a dependency
    included: bool  # asked for in the profile
    always: bool  # in every plan: the audit and the milestones

    @property
    def id(self) -> str:
        return self.activity.id


@dataclass(frozen=True)
class Milestone:
    id: MilestoneId
    title: str
    meaning: str
    date: dt.date
    activity: str


@dataclass(frozen=True)
class Deferred:
    """An activity deliberately left out of this plan, and why."""

    activity: Activity
    kind: DeferKind
    reason: str


@dataclass(frozen=True)
class Roadmap:
    route: Route
    start: dt.date
    engagement_end: dt.date  # the fractional CTO's last day: start + engagement.weeks
    horizon_days: int
    activities: list[PlannedActivity]  # by start date
    milestones: list[Milestone]  # by date
    out_of_scope: list[Deferred]
    capacity: dict[Role, float]  # person-days per week
    holidays: frozenset[dt.date]
    blockers: list[Blocker]  # the client's launch blockers
    unresolved_blockers: list[Blocker]  # those nothing in the plan can clear: no launch then
    notes: list[str]  # plan-level decisions, e.g. a longer plan than the gaps call for
    current_monthly: float
    cost_target_monthly: float | None
    cto_days_paid: float  # days a week x the engagement's working days / 5: what the fee buys (calendar.cto_days_paid)
    weeks_needed: int | None  # engagement weeks needed to plan everything left out for time; None if nothing was
    engagement_weeks: int  # the weeks the client engages the fractional CTO (engagement.weeks)

    @property
    def warnings(self) -> list[Problem]:
        """What `aicto validate` reports without failing: a plan that does not fit the engagement's weeks."""
        paid = self.engagement_weeks
        weeks = (self.engagement_end - self.start).days // 7 + 1
        found = []
        if weeks > round(paid):
            found.append(Problem("engagement.weeks", f"the {self.route} plan's milestones need {weeks} weeks of the "
                                 f"fractional CTO; the engagement has {paid:g}", f"{weeks} weeks or more days a week"))
        if self.weeks_needed:
            late = sum(1 for d in self.out_of_scope if d.kind == "does_not_fit")
            what = "activity does" if late == 1 else "activities do"
            found.append(Problem("engagement.weeks", f"{late} wanted {what} not fit the engagement",
                                 f"{self.weeks_needed} weeks would fit everything"))
        return found

    @property
    def cto_days_planned(self) -> float:
        return sum(a.activity.effort_days for a in self.activities if a.activity.owner == "fractional_cto")

    @property
    def handover(self) -> Milestone:
        return next(m for m in self.milestones if m.id == "handover")

    @property
    def after_handover(self) -> list[PlannedActivity]:
        """Client work the hand-over does not wait for, which continues after it under its owner."""
        return [a for a in self.activities if a.end > self.handover.date]

    @property
    def end(self) -> dt.date:
        return max(a.end for a in self.activities)

    @property
    def days(self) -> int:
        """Calendar days from the first to the last day of the plan, both included."""
        return (self.end - self.start).days + 1

    def daily_capacity(self, role: Role) -> float:
        return per_day_units(self.capacity[role]) / UNIT

    def milestone(self, milestone_id: MilestoneId) -> Milestone | None:
        return next((m for m in self.milestones if m.id == milestone_id), None)

    def planned(self, activity_id: str) -> PlannedActivity:
        return next(a for a in self.activities if a.id == activity_id)

    def clearing(self, blocker_id: str) -> list[PlannedActivity]:
        return [a for a in self.activities if blocker_id in a.blockers]

    @property
    def cleared_blockers(self) -> list[Blocker]:
        return [b for b in self.blockers if b not in self.unresolved_blockers]

    @property
    def lever_dates(self) -> dict[str, dt.date]:
        """Each planned cost lever and the day its saving starts: when the first activity working on it is done."""
        starts: dict[str, dt.date] = {}
        for a in sorted(self.activities, key=lambda a: a.end):
            for lever in a.activity.addresses.levers:
                starts.setdefault(lever, a.end)
        return starts
















def plan_roadmap(profile: Profile, playbook: Playbook, today: dt.date | None = None,
                 readiness: ReadinessResult | None = None, spend: SpendResult | None = None) -> Roadmap:
    """The client's plan on its route (the assessment's recommendation), inside its engagement's weeks."""
    settings = profile.roadmap or RoadmapSettings()
    readiness = readiness or assess(profile, playbook)
    needs = Needs.of(readiness, spend or cost_breakdown(profile, playbook).ai_spend, engineer_day_rate(profile),
                     profile.engagement.horizon_months)
    start = plan_start(profile, today or dt.date.today())
    try:
        return generate(playbook.roadmap, needs, client_capacity(profile, playbook.roadmap.capacity),
                        start, days_off(profile, start), settings.include, settings.exclude,
                        readiness.fit.recommendation, profile.engagement.weeks, profile.situation.in_production)
    except InputError as exc:  # a plan that cannot fit names the client's file
        raise InputError(str(profile.source or exc.file), exc.problems) from None


def too_little_time(profile: Profile, playbook: Playbook, route: Route, today: dt.date | None = None) -> Problem | None:
    """The problem when not even the route's milestones fit the longest engagement at the profile's capacity: such a
    profile is refused when it is validated, so whatever validates can be planned."""
    start = plan_start(profile, today or dt.date.today())
    planner = _Planner(playbook.roadmap, Needs({}, [], {}, 0.0, 0.0),
                       client_capacity(profile, playbook.roadmap.capacity), days_off(profile, start), route)
    return None if planner.core_fits(start) else planner.too_little_time().problems[0]


def generate(library: ActivityLibrary, needs: Needs, capacity: dict[Role, float], start: dt.date,
             holidays: frozenset[dt.date] = frozenset(), include: Sequence[str] = (),
             exclude: Sequence[str] = (), route: Route = "fractional", weeks: int = MAX_WEEKS,
             live: bool = False) -> Roadmap:
    """The route's plan for these needs, the fractional CTO's work inside `weeks` from the start. When not even the
    route's milestones fit those weeks, the plan takes the weeks they need and says so in its notes. A product
    already `live` has no launch to plan: its blockers' work hardens what runs."""
    return _Planner(library, needs, capacity, holidays, route, live).plan(start, include, exclude, weeks)


@dataclass
class _Schedule:
    order: list[str]  # priority: the order activities were selected in
    deps: dict[str, tuple[str, ...]]
    work: dict[str, list[tuple[int, int]]]  # activity -> (working-day index, UNITs)


@dataclass
class _Selection:
    schedule: _Schedule
    deferred: dict[str, Deferred]
    needed_by: dict[str, str]


class _Planner:
    def __init__(self, library: ActivityLibrary, needs: Needs, capacity: dict[Role, float],
                 holidays: frozenset[dt.date], route: Route, live: bool = False):
        self.library, self.needs, self.capacity, self.holidays, self.route = library, needs, capacity, holidays, route
        self.live = live
        self.acts = {a.id: a for a in library.in_route(route)}
        # each milestone's activity (the first, as library.carrier finds it): every trial schedule asks for several
        self.carriers = {a.milestone: a.id for a in reversed(self.acts.values()) if a.milestone}
        self.rank = {a.id: i for i, a in enumerate(library.activities)}
        self.per_day = {role: per_day_units(days) for role, days in capacity.items()}
        self.always = library.always_planned(route)
        self.points = library.plan.points_per_bill
        self.launch_planned = self.carrier("production_launch") in self.always
        # each activity's dependencies whatever else is planned, with and without the launch: every trial schedule
        # reads them
        self.own_dependencies = {launch: self._own_dependencies(launch) for launch in (False, True)}
        self.units = {a: round(act.effort_days * UNIT) for a, act in self.acts.items()}
        self.clears_blocker = {a: bool(needs.cleared_by(act)) for a, act in self.acts.items()}
        self.cto_days = 0  # working days (from the plan's first) on which the fractional CTO is engaged
        self.handover_from = 0  # the hand-over starts in the engagement's last week (earlier if it needs longer)

    def carrier(self, milestone: MilestoneId) -> str | None:
        return self.carriers.get(milestone)

    def plan(self, start: dt.date, include: Sequence[str], exclude: Sequence[str], weeks: int) -> Roadmap:
        rules = self.library.plan
        first = self.first_working_day(start)
        ready = self.needs.index >= rules.short_min_index and not self.needs.blockers
        launch = self.launch_planned
        notes = []
        paid_weeks = weeks
        for weeks in range(paid_weeks, MAX_WEEKS + 1):
            for horizon in (rules.short_days, rules.long_days) if ready else (rules.long_days,):
                days = self._days(first, horizon, weeks)
                selection = self._select(days, horizon, include, exclude, launch)
                if selection is not None:
                    break
            else:
                continue
            break
        else:
            raise self.too_little_time()
        if horizon > rules.short_days and ready:
            notes.append(f"At {count(self.capacity['fractional_cto'], 'day')} a week the route's milestones take "
                         f"more than {count(rules.short_days, 'day')}, so this is a longer plan.")
        if weeks > paid_weeks:
            notes.append(f"The route's milestones need {count(weeks, 'week')} of the fractional CTO at "
                         f"{count(self.capacity['fractional_cto'], 'day')} a week; the engagement has {paid_weeks}. "
                         f"Extend it to {count(weeks, 'week')} or add days a week.")
        unresolved = [b for b in self.needs.blockers
                      if not any(b.id in self.needs.cleared_by(self.acts[a]) for a in selection.schedule.order)]
        if launch and unresolved:
            selection = self._select(days, horizon, include, exclude, launch=False)
            if selection is None:
                raise self.too_little_time()
            launch_id = self.carrier("production_launch")
            selection.deferred[launch_id] = self._defer(launch_id, "no_milestone", "No production launch in this "
                                                        f"plan: nothing in it can clear "
                                                        f"{'; '.join(b.title for b in unresolved)}.")
        if self.live and launch:  # a product in production: the launch's work hardens it, with no launch to plan
            selection = self._select(days, horizon, include, exclude, launch=False)
            if selection is None:
                raise self.too_little_time()
            launch_id = self.carrier("production_launch")
            selection.deferred[launch_id] = self._defer(launch_id, "no_milestone", "Already in production: there is "
                                                        "no launch to plan; the work on its blockers hardens what "
                                                        "runs.")
            launch = False
            unresolved = [b for b in self.needs.blockers
                          if not any(b.id in self.needs.cleared_by(self.acts[a]) for a in selection.schedule.order)]
        elif not launch:
            unresolved = list(self.needs.blockers)
        needed = self._weeks_needed(first, horizon, selection, launch and not unresolved, weeks)
        return self._roadmap(first, horizon, days, selection, unresolved, notes, include, weeks, paid_weeks, needed)

    def core_fits(self, start: dt.date) -> bool:
        """Whether the route's milestones fit the longest engagement from `start` (the needs play no part in it)."""
        days = self._days(self.first_working_day(start), self.library.plan.long_days, MAX_WEEKS)
        return self._select_core(days, self.launch_planned) is not None

    def first_working_day(self, start: dt.date) -> dt.date:
        return first_working_day(start, self.holidays)

    def _days(self, first: dt.date, horizon: int, weeks: int) -> list[dt.date]:
        """The plan's working days: the plan length, or the engagement if longer; the CTO works only inside it."""
        engaged_last = first + dt.timedelta(days=7 * weeks - 1)
        days = working_days(first, max(first + dt.timedelta(days=horizon - 1), engaged_last), self.holidays)
        self.cto_days = sum(1 for d in days if d <= engaged_last)
        handover = round(self.acts[self.carrier("handover")].effort_days * UNIT)
        per_day = self.per_day["fractional_cto"]
        last_week = sum(1 for d in days if d <= engaged_last - dt.timedelta(days=7))
        self.handover_from = min(last_week, self.cto_days - -(-handover // per_day)) if per_day else 0
        return days

    def _weeks_needed(self, first: dt.date, horizon: int, selection: _Selection, launch: bool,
                      weeks: int) -> int | None:
        """The engagement weeks it would take to plan everything left out for lack of time, or None."""
        late = [d.activity.id for d in selection.deferred.values() if d.kind == "does_not_fit"]
        if not late:
            return None
        order = list(selection.schedule.order)
        for a in late:
            order += [g for g in self._group(a, order) if g not in order]
        for more in range(weeks + 1, MAX_WEEKS + 1):
            days = self._days(first, horizon, more)
            if self._schedule(order, days, launch) is not None:
                self._days(first, horizon, weeks)
                return more
        self._days(first, horizon, weeks)
        return None

    def too_little_time(self) -> InputError:
        core = sum(self.acts[a].effort_days for a in self.always if self.acts[a].owner == "fractional_cto")
        cto = self.capacity["fractional_cto"]
        return InputError("client profile", [Problem(
            "engagement.days_per_week", f"the recommended route's milestones ({core:g} fractional CTO days, with "
            f"the client's part of them) do not fit in {MAX_WEEKS} weeks at {count(cto, 'day')} a week",
            "more days a week, more client capacity, or fewer holidays")])

    # -- selection ---------------------------------------------------------------------------------------------------

    def _select(self, days: list[dt.date], horizon: int, include: Sequence[str], exclude: Sequence[str],
                launch: bool) -> _Selection | None:
        """Greedy: a candidate joins with its dependencies if the whole plan still fits. None if the core does not."""
        schedule = self._select_core(days, launch)
        if schedule is None:
            return None
        deferred: dict[str, Deferred] = {}
        needed_by: dict[str, str] = {}
        for candidate in self._candidates(include):
            if candidate in schedule.order or candidate in deferred:
                continue
            group = self._group(candidate, schedule.order)
            problem = self._group_problem(candidate, group, exclude)
            trial = None if problem else self._schedule(schedule.order + group, days, launch)
            if trial is None:
                deferred[candidate] = problem or self._defer(
                    candidate, "does_not_fit", f"Does not fit in the engagement: higher-priority work takes "
                    f"the time it needs from {_roles(self.acts[a].owner for a in group)}. First in line for the "
                    "reduced-cadence phase.")
                continue
            schedule = trial
            for a in group:
                if a != candidate:
                    needed_by.setdefault(a, candidate)
        review = self.carrier("cost_target_reached")
        if review is not None and review not in schedule.order:
            deferred[review] = self._defer(review, "no_milestone", "No cost target in this plan: " + (
                "no cost lever can be worked on in it." if self.needs.current_monthly else
                "the profile gives no LLM spend."))
        for a in self.library.in_route(self.route):
            if a.id not in schedule.order and a.id not in deferred:
                deferred[a.id] = (self._defer(a.id, "excluded", "Left out in the client profile (roadmap.exclude).")
                                  if a.id in exclude else self._nothing_to_fix(a))
        return _Selection(schedule, deferred, needed_by)

    def _select_core(self, days: list[dt.date], launch: bool) -> _Schedule | None:
        """The work every plan of the route needs (its milestones), scheduled; None if it does not fit the days."""
        launch_id = self.carrier("production_launch")
        return self._schedule([a for a in self.always if launch or a != launch_id], days, launch)

    def _candidates(self, include: Sequence[str]) -> list[str]:
        """Blockers first (the best activity for each, then the rest), then the profile's includes, then value."""
        ranked = sorted((a for a in self.acts.values() if a.id not in self.always),
                        key=lambda a: (-self.needs.value(a, self.points) / a.effort_days, self.rank[a.id]))
        clearing = [a.id for a in ranked if self.needs.cleared_by(a)]
        best = [next(a for a in clearing if b.id in self.needs.cleared_by(self.acts[a]))
                for b in self.needs.blockers if any(b.id in self.needs.cleared_by(self.acts[a]) for a in clearing)]
        valuable = [a.id for a in ranked if self.needs.value(a, self.points) > 0]
        return [a for a in dict.fromkeys([*best, *clearing, *include, *valuable]) if a in self.acts]

    def _group(self, candidate: str, planned: list[str]) -> list[str]:
        """The candidate after its missing dependencies, and the cost review with the first lever activity."""
        group = self._closure(candidate, planned)
        review = self.carrier("cost_target_reached")
        if review and review not in planned and any(self.acts[a].addresses.levers for a in group):
            group += self._closure(review, planned + group)
        return group

    def _closure(self, activity: str, planned: list[str]) -> list[str]:
        """The activity and its transitive dependencies in the route not yet planned, dependencies first."""
        out: list[str] = []

        def visit(a: str) -> None:
            if a in planned or a in out or a not in self.acts:
                return
            for dep in self.acts[a].depends_on:
                visit(dep)
            out.append(a)

        visit(activity)
        return out

    def _group_problem(self, candidate: str, group: list[str], exclude: Sequence[str]) -> Deferred | None:
        """Why the group cannot be planned whatever the schedule: excluded, or a role with no time at all."""
        for a in group:
            needs = "" if a == candidate else f" for {self.acts[a].title!r}, which it needs"
            if a in exclude:
                return self._defer(candidate, "excluded", "Left out in the client profile (roadmap.exclude)"
                                   f"{needs}.")
            for role in (self.acts[a].owner, *self.acts[a].involves):
                if role == "client_engineers" and self.route == "agency_or_cofounder":
                    return self._defer(candidate, "partner_work", "The delivery partner's work, not the client's: "
                                       "it belongs in the brief, and the acceptance tests check it.")
                if self.per_day[role] == 0:
                    return self._defer(candidate, "no_capacity", f"No time from {ROLE_PHRASES[role]}{needs}: the "
                                       "plan has 0 days a week from them.")
        return None

    def _nothing_to_fix(self, activity: Activity) -> Deferred:
        parts = []
        if activity.addresses.questions:
            parts.append("the client already meets the production target on what it addresses")
        if activity.addresses.levers:
            names = ", ".join(mid_sentence(LEVER_NAMES[lever]) for lever in activity.addresses.levers)
            parts.append(f"no saving from {names} on the LLM spend given that pays for the work"
                         if self.needs.current_monthly else "the profile gives no LLM spend")
        if not parts:
            parts.append("not needed on this route")
        return self._defer(activity.id, "nothing_to_fix", f"Nothing to fix: {'; '.join(parts)}.")

    def _defer(self, activity: str, kind: DeferKind, reason: str) -> Deferred:
        return Deferred(self.acts[activity], kind, reason)

    # -- scheduling --------------------------------------------------------------------------------------------------

    def _dependencies(self, order: list[str], launch: bool) -> dict[str, tuple[str, ...]]:
        """The library's dependencies within the route plus the engagement method's: build work waits for the
        route's build gate (the audit read-out, or the product decision), transition work for the launch; the launch
        waits for every blocker's work and launch criterion, the cost review for every lever, the hand-over for all
        of the fractional CTO's work and every milestone (client work nothing waits for may continue after it).
        Behind a later build gate (the product decision) every piece of engineering waits too."""
        own = self.own_dependencies[launch]
        clearing = [a for a in order if a not in self.always
                    and (self.acts[a].before_launch or self.clears_blocker[a])]
        levers = [a for a in order if self.acts[a].addresses.levers]
        waited_for = [a for a in order if self.acts[a].owner == "fractional_cto" or self.acts[a].milestone]
        waits = {"production_launch": clearing, "cost_target_reached": levers, "handover": waited_for}
        planned = set(order)
        deps = {}
        for a in order:
            found = own[a]
            also = waits.get(self.acts[a].milestone)
            if also is not None:
                found = tuple(d for d in dict.fromkeys((*found, *also)) if d != a)
            deps[a] = found if planned.issuperset(found) else tuple(d for d in found if d in planned)
        return deps

    def _own_dependencies(self, launch: bool) -> dict[str, tuple[str, ...]]:
        """Each activity's dependencies whatever else is planned: the library's, and its phase's gate."""
        gate = self.carrier(self.library.routes[self.route].build_gate)
        engineering_waits = self.library.routes[self.route].build_gate != "audit_readout"
        after = self.carrier("production_launch") if launch else (self.carrier("architecture_decided") or gate)
        gates = {"build": gate, "transition": after}
        own = {}
        for a, act in self.acts.items():
            found = [d for d in act.depends_on if d in self.acts]
            if act.phase in gates:
                found.append(gates[act.phase])
            elif engineering_waits and act.owner == "client_engineers":
                found.append(gate)
            own[a] = tuple(d for d in dict.fromkeys(found) if d != a)
        return own

    def _schedule(self, order: list[str], days: list[dt.date], launch: bool) -> _Schedule | None:
        """Day by day, in priority order: an activity works once all its dependencies finished on an earlier day,
        taking up to one person-day a day of its owner's capacity left that day; the fractional CTO works only on
        the engagement's days; work on a cost lever starts no sooner than the first work on a launch blocker. None
        when it does not all fit. (Called for every candidate the plan tries, so the activities are indexed by
        priority and each keeps the first day its dependencies allow.)"""
        deps = self._dependencies(order, launch)
        position = {a: k for k, a in enumerate(order)}
        remaining = [self.units[a] for a in order]
        if not all(remaining):  # work of no effort never finishes, so nothing waiting for it could
            return None
        owner = [self.acts[a].owner for a in order]
        handover = [self.acts[a].milestone == "handover" for a in order]
        # launch blockers before optimisation: cost-lever work starts no sooner than the first work on a blocker
        clears = [bool(self.needs.cleared_by(self.acts[a])) and a not in self.always for a in order]
        lever_only = [bool(self.acts[a].addresses.levers) and not clears[k] and a not in self.always
                      for k, a in enumerate(order)]
        blockers_started = not any(clears)
        waiting = [len(deps[a]) for a in order]  # dependencies not finished yet
        after = [-1] * len(order)  # the last day a finished dependency worked
        dependents: list[list[int]] = [[] for _ in order]
        for a in order:
            for d in deps[a]:
                dependents[position[d]].append(position[a])
        work: dict[str, list[tuple[int, int]]] = {a: [] for a in order}
        active = list(range(len(order)))  # unfinished, in priority order
        for i in range(len(days)):
            left = dict(self.per_day)
            if i >= self.cto_days:
                left["fractional_cto"] = 0
            done = False
            for k in active:
                if waiting[k] or after[k] >= i or (i < self.handover_from and handover[k]):
                    continue
                if lever_only[k] and not blockers_started:
                    continue
                role = owner[k]
                give = min(UNIT, remaining[k], left[role])
                if give > 0:
                    blockers_started = blockers_started or clears[k]
                    left[role] -= give
                    remaining[k] -= give
                    work[order[k]].append((i, give))
                    if not remaining[k]:
                        done = True
                        for later in dependents[k]:
                            waiting[later] -= 1
                            after[later] = max(after[later], i)
            if done:
                active = [k for k in active if remaining[k]]
            if not active:
                return _Schedule(order, deps, work)
        return None

    # -- result ------------------------------------------------------------------------------------------------------

    def _roadmap(self, first: dt.date, horizon: int, days: list[dt.date], selection: _Selection,
                 unresolved: list[Blocker], notes: list[str], include: Sequence[str], weeks: int, paid_weeks: int,
                 needed: int | None) -> Roadmap:
        s = selection.schedule
        planned = []
        for a in s.order:
            act, work = self.acts[a], tuple((days[i], units / UNIT) for i, units in s.work[a])
            planned.append(PlannedActivity(
                act, work[0][0], work[-1][0], work, _reduced(a, s.deps), tuple(self.needs.cleared_by(act))
                if a not in self.always else (), tuple(q for q in act.addresses.questions if q in self.needs.gaps),
                self.needs.saving(act), selection.needed_by.get(a), a in include, a in self.always))
        planned.sort(key=lambda p: (p.start, p.end, self.rank[p.id]))
        by_id = {p.id: p for p in planned}
        order = self.library.milestones_of(self.route)
        info = self.library.milestones
        milestones = sorted((Milestone(m, info[m].title, info[m].meaning_on(self.route), by_id[c].end, c)
                             for m in order if (c := self.carrier(m)) in by_id),
                            key=lambda m: (m.date, order.index(m.id)))
        levers = dict.fromkeys(lever for p in planned for lever in p.activity.addresses.levers)  # summed in plan order
        target = (self.needs.current_monthly - sum(self.needs.savings.get(lever, 0.0) for lever in levers)
                  if levers else None)
        out = sorted(selection.deferred.values(),
                     key=lambda d: (DEFER_ORDER.index(d.kind), self.rank[d.activity.id]))
        engaged_last = first + dt.timedelta(days=7 * weeks - 1)
        return Roadmap(self.route, first, engaged_last, horizon, planned, milestones, out, dict(self.capacity),
                       self.holidays, list(self.needs.blockers), unresolved, notes, self.needs.current_monthly,
                       target, cto_days_paid(self.capacity["fractional_cto"], len(
                           [d for d in days if d <= first + dt.timedelta(days=7 * paid_weeks - 1)])), needed,
                       paid_weeks)


def _reduced(activity: str, deps: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The direct dependencies not already implied by another one (what a tracker needs to show)."""
    def ancestors(a: str) -> set[str]:
        seen: set[str] = set()
        stack = list(deps[a])
        while stack:
            d = stack.pop()
            if d not in seen:
                seen.add(d)
                stack.extend(deps[d])
        return seen

    direct = deps[activity]
    implied = set().union(*(ancestors(d) for d in direct)) if direct else set()
    return tuple(d for d in direct if d not in implied)


def _roles(roles: Iterable[Role]) -> str:
    return listed(list(dict.fromkeys(ROLE_PHRASES[r] for r in roles)))
