"""The roadmap's activity library, kept as data in playbook/roadmap/activities.yaml: models and integrity checks.

The file is edited by consultants, so every reference in it (dependencies, readiness questions, levers, milestones)
is checked when the playbook loads and reported as `FILE: path: problem`, never found later as a broken plan.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Literal

from pydantic import Field, model_validator

from aicto.profile.assumptions import Frozen, LeverShares
from aicto.profile.problems import Problem, did_you_mean

Role = Literal["fractional_cto", "client_engineers", "product", "leadership"]
ROLES: tuple[Role, ...] = typing.get_args(Role)
ROLE_NAMES: dict[Role, str] = {"fractional_cto": "Fractional CTO", "client_engineers": "Client engineers",
                               "product": "Product", "leadership": "Leadership"}
Phase = Literal["audit", "build", "transition"]
PHASES: tuple[Phase, ...] = typing.get_args(Phase)
MilestoneId = Literal["audit_readout", "product_decision", "architecture_decided", "hiring_ready", "partner_selected",
                      "production_launch", "cost_target_reached", "handover"]
MILESTONES: tuple[MilestoneId, ...] = typing.get_args(MilestoneId)
# The engagement method fixes where each milestone sits; the cost target is planned only with lever work.
MILESTONE_PHASES: dict[MilestoneId, Phase] = {"audit_readout": "audit", "product_decision": "audit",
                                              "architecture_decided": "build", "hiring_ready": "build",
                                              "partner_selected": "build", "production_launch": "build",
                                              "cost_target_reached": "build", "handover": "transition"}
CONDITIONAL_MILESTONES: frozenset[MilestoneId] = frozenset({"cost_target_reached"})
# The readiness assessment's recommendation is the engagement's route; it decides what a plan may contain.
Route = Literal["fractional", "full_time", "agency_or_cofounder", "product_first"]
ROUTES: tuple[Route, ...] = typing.get_args(Route)
Lever = Literal[tuple(LeverShares.model_fields)]  # type: ignore[valid-type]  # the cost breakdown's levers
LEVERS: tuple[str, ...] = tuple(LeverShares.model_fields)


class PlanRules(Frozen):
    short_days: int = Field(ge=20, le=120, description="calendar days of a plan when the gaps are small")
    long_days: int = Field(ge=20, le=120, description="calendar days of a plan when they are not")
    short_min_index: float = Field(ge=0, le=100, description="readiness index from which gaps count as small")
    points_per_bill: float = Field(gt=0, description="value of saving the whole LLM bill, in weighted-gap points")

    @model_validator(mode="after")
    def _ordered(self) -> PlanRules:
        if self.short_days > self.long_days:
            raise ValueError(f"short_days ({self.short_days}) must not exceed long_days ({self.long_days})")
        return self


class CapacityDefaults(Frozen):
    engineer_share: float = Field(gt=0, le=1, description="share of an engineer's week given to the roadmap")
    max_engineers: int = Field(ge=1, le=1000, description="engineers counted at that share, at most")
    product: float = Field(ge=0, le=50, description="product person-days per week")
    leadership: float = Field(ge=0, le=50, description="leadership person-days per week")


class RouteRules(Frozen):
    milestones: list[MilestoneId] = Field(min_length=1, description="milestones every plan of the route has")
    build_gate: MilestoneId = Field(description="the milestone build work waits for")

    @model_validator(mode="after")
    def _gate_planned(self) -> RouteRules:
        if self.build_gate not in self.milestones:
            raise ValueError(f"build_gate {self.build_gate!r} must be one of the route's milestones")
        if "handover" not in self.milestones or "audit_readout" not in self.milestones:
            raise ValueError("every route starts with the audit read-out and ends with the hand-over")
        return self


class PhaseInfo(Frozen):
    name: str = Field(min_length=1)
    when: str = Field(min_length=1)


class MilestoneInfo(Frozen):
    title: str = Field(min_length=1)
    meaning: str = Field(min_length=1)
    # the meaning on a route whose people differ: no team of its own (the agency route), a hire still to start
    meaning_by_route: dict[Route, str] = {}

    def meaning_on(self, route: Route) -> str:
        return self.meaning_by_route.get(route, self.meaning)


class Addresses(Frozen):
    questions: list[str] = Field([], description="readiness questions as dimension.question")
    levers: list[Lever] = Field([], description="LLM cost levers")  # type: ignore[valid-type]


class Activity(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="lower-case letters, digits and underscores")
    title: str = Field(min_length=1, max_length=90, description="a short imperative title")
    routes: list[Route] = Field(list(ROUTES), min_length=1, description="the routes it belongs to; default every route")
    phase: Phase
    owner: Role
    effort_days: float = Field(ge=0.25, le=40, multiple_of=0.05, description="person-days of the owner, 0.25-40")
    involves: list[Role] = Field([], description="roles taking part besides the owner")
    before_launch: bool = Field(False, description="a launch criterion: the launch waits for it when planned")
    addresses: Addresses = Addresses()
    depends_on: list[str] = Field([], description="ids of activities that must finish first")
    milestone: MilestoneId | None = None
    why: str = Field(min_length=1, description="why the activity matters, one sentence")
    deliverable: str = Field(min_length=1, description="what exists when it is done")
    done_when: str = Field(min_length=1, description="the definition of done")


class ActivityLibrary(Frozen):
    plan: PlanRules
    capacity: CapacityDefaults
    routes: dict[Route, RouteRules]
    phases: dict[Phase, PhaseInfo]
    milestones: dict[MilestoneId, MilestoneInfo]
    activities: list[Activity] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> ActivityLibrary:
        missing = ([p for p in PHASES if p not in self.phases] + [m for m in MILESTONES if m not in self.milestones]
                   + [r for r in ROUTES if r not in self.routes])
        if missing:
            raise ValueError(f"phases, milestones and routes must all be described; missing: {', '.join(missing)}")
        return self

    def get(self, activity_id: str) -> Activity:
        return next(a for a in self.activities if a.id == activity_id)

    def in_route(self, route: Route) -> list[Activity]:
        return [a for a in self.activities if route in a.routes]

    def carrier(self, milestone: MilestoneId, route: Route) -> Activity | None:
        """The route's activity whose end is the milestone (library_problems checks there is at most one)."""
        return next((a for a in self.in_route(route) if a.milestone == milestone), None)

    def milestones_of(self, route: Route) -> list[MilestoneId]:
        """Every milestone a plan of the route can have: its own, then the conditional ones it can carry."""
        return [m for m in MILESTONES if m in self.routes[route].milestones
                or (m in CONDITIONAL_MILESTONES and self.carrier(m, route) is not None)]

    def always_planned(self, route: Route) -> list[str]:
        """The route's milestones and everything they depend on within the route, in library order."""
        roots = [c.id for m in self.routes[route].milestones if (c := self.carrier(m, route))]
        needed = self.ancestors(roots, route, include_roots=True)
        return [a.id for a in self.in_route(route) if a.id in needed]

    def fixed(self, route: Route) -> list[str]:
        """What the engagement method plans itself in the route: the always-planned work and the milestones."""
        always = self.always_planned(route)
        return always + [a.id for a in self.in_route(route) if a.milestone and a.id not in always]

    def ancestors(self, ids: Iterable[str], route: Route | None = None, include_roots: bool = False) -> set[str]:
        """Transitive dependencies; within a route, dependencies outside it are not part of its plans."""
        known = {a.id: a for a in (self.in_route(route) if route else self.activities)}
        seen: set[str] = set(ids) if include_roots else set()
        stack = [d for i in ids if i in known for d in known[i].depends_on]
        while stack:
            current = stack.pop()
            if current in known and current not in seen:
                seen.add(current)
                stack.extend(known[current].depends_on)
        return seen


def library_problems(library: ActivityLibrary, questions: dict[str, list[str]],
                     blocker_targets: dict[str, str]) -> list[Problem]:
    """Every broken reference or rule in the library. `questions` maps dimension -> question ids; `blocker_targets`
    maps blocker id -> its target (a dimension, or dimension.question)."""
    acts = library.activities
    index = {a.id: i for i, a in enumerate(acts)}
    problems = [Problem(f"activities[{i}].id", f"{a.id!r} repeats activities[{index[a.id]}]", "unique ids")
                for i, a in enumerate(acts) if index[a.id] != i]
    known_questions = [f"{d}.{q}" for d, qs in questions.items() for q in qs]
    for i, a in enumerate(acts):
        for j, dep in enumerate(a.depends_on):
            where = f"activities[{i}].depends_on[{j}]"
            if dep not in index:
                guess = did_you_mean(dep, index)
                problems.append(Problem(where, f"{dep!r} is not an activity id",
                                        f"did you mean {guess[0]!r}?" if guess else "an id of this file"))
            elif PHASES.index(acts[index[dep]].phase) > PHASES.index(a.phase):
                problems.append(Problem(where, f"{a.phase} activity {a.id!r} depends on {dep!r} of the later "
                                               f"{acts[index[dep]].phase} phase", "same or earlier phase"))
        for j, q in enumerate(a.addresses.questions):
            if q not in known_questions:
                guess = did_you_mean(q, known_questions)
                problems.append(Problem(f"activities[{i}].addresses.questions[{j}]", f"{q!r} names no question",
                                        f"did you mean {guess[0]!r}?" if guess else "dimension.question"))
    problems += _cycle_problems(acts, index)
    problems += _milestone_problems(library, index)
    if any(p.path.endswith("milestone") or p.path == "activities" or "cycle" in p.message for p in problems):
        return problems  # the rules below walk dependencies and milestones
    always = {r: set(library.always_planned(r)) for r in ROUTES}
    for i, a in enumerate(acts):
        routes = [r for r in a.routes if a.id in always[r]]
        if routes and a.owner == "client_engineers":
            problems.append(Problem(f"activities[{i}].owner", f"{a.id!r} is in every {routes[0]} plan but owned by "
                                    "client engineers, whom a client may not have",
                                    "fractional_cto, product or leadership"))
        if a.before_launch and a.phase == "transition":
            problems.append(Problem(f"activities[{i}].before_launch", f"{a.id!r} is transition work, which starts "
                                    "after the launch", "before_launch only on audit or build activities"))
        if not (a.addresses.questions or a.addresses.levers or routes or a.milestone):
            problems.append(Problem(f"activities[{i}].addresses", f"{a.id!r} addresses nothing",
                                    "readiness questions or cost levers it improves"))
    handovers = {a.id for a in acts if a.milestone == "handover"}
    problems += [Problem(f"activities[{i}].depends_on", f"{a.id!r} depends on the hand-over, which comes last",
                         "any other activity") for i, a in enumerate(acts) if handovers & set(a.depends_on)]
    return problems + _coverage_problems(library, questions, blocker_targets, always["fractional"])


def _cycle_problems(acts: list[Activity], index: dict[str, int]) -> list[Problem]:
    """Depth-first search; each cycle is reported once, at the activity where it was entered."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    problems = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in acts[index[node]].depends_on:
            if dep not in index:
                continue
            if state.get(dep) == 1:
                cycle = [*path[path.index(dep):], dep]
                problems.append(Problem(f"activities[{index[dep]}].depends_on",
                                        f"dependency cycle {' -> '.join(cycle)}", "dependencies must not loop"))
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for a in acts:
        if a.id not in state:
            visit(a.id, [a.id])
    return problems


def _milestone_problems(library: ActivityLibrary, index: dict[str, int]) -> list[Problem]:
    """In each route, each of its milestones is carried by exactly one of its activities, in the method's phase."""
    problems = []
    for a in library.activities:
        if a.milestone and MILESTONE_PHASES[a.milestone] != a.phase:
            problems.append(Problem(f"activities[{index[a.id]}].phase",
                                    f"milestone {a.milestone!r} must sit in the {MILESTONE_PHASES[a.milestone]} phase",
                                    "the engagement method's order of milestones"))
    for route, rules in library.routes.items():
        for m in MILESTONES:
            carriers = [a for a in library.in_route(route) if a.milestone == m]
            required = m in rules.milestones
            if len(carriers) != 1 and required or len(carriers) > 1:
                problems.append(Problem("activities", f"milestone {m!r} is carried by {len(carriers)} activities of "
                                        f"route {route!r}", "exactly one activity per milestone in each route"))
            elif carriers and not required and m not in CONDITIONAL_MILESTONES:
                problems.append(Problem(f"activities[{index[carriers[0].id]}].routes", f"{carriers[0].id!r} carries "
                                        f"{m!r}, which route {route!r} does not plan",
                                        f"routes whose milestones include {m!r}"))
    return problems


def _coverage_problems(library: ActivityLibrary, questions: dict[str, list[str]], blocker_targets: dict[str, str],
                       always: set[str]) -> list[Problem]:
    """Every dimension and lever can be worked on, and every blocker can be cleared before launch."""
    addressed = {q for a in library.activities for q in a.addresses.questions}
    problems = [Problem("activities", f"no activity addresses dimension {d!r}", "at least one per dimension")
                for d in questions if not any(q.startswith(f"{d}.") for q in addressed)]
    problems += [Problem("activities", f"no activity addresses lever {lever!r}", "at least one per lever")
                 for lever in LEVERS if not any(lever in a.addresses.levers for a in library.activities)]
    for blocker, target in blocker_targets.items():
        if not any(clears(a, target, None) for a in library.activities if a.id not in always):
            problems.append(Problem("activities", f"nothing can clear blocker {blocker!r} ({target}) before launch",
                                    "an audit or build activity addressing it"))
    return problems


def clears(activity: Activity, target: str, below_target: set[str] | None) -> bool:
    """Whether an activity works on a blocker's target (a question, or any question of a dimension) before launch.
    With `below_target`, only questions the client still scores below target count."""
    if activity.phase == "transition":
        return False  # transition work starts after the launch, so it cannot clear a launch blocker
    return any((q == target or q.startswith(f"{target}.")) and (below_target is None or q in below_target)
               for q in activity.addresses.questions)
