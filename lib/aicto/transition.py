"""The transition at the end of the engagement: hire a full-time AI leader, continue at a reduced cadence, or end.

The criteria and their wording are data (playbook/transition.yaml); the progress report computes the signals from
the engagement and the client's actuals, and this module turns them into the recommendation with its reasons, and
for a hire, the role profile and the hiring brief.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, model_validator

from aicto.assumptions import Frozen
from aicto.problems import Problem
from aicto.words import count

SignalId = Literal["route_full_time", "value_at_scale", "milestones_missed", "activities_overdue", "blockers_open",
                   "bill_above_target", "index_below_ready", "incidents_recent"]
SIGNALS: tuple[SignalId, ...] = typing.get_args(SignalId)
OutcomeId = Literal["hire_full_time", "reduced_cadence", "end"]
OUTCOMES: tuple[OutcomeId, ...] = typing.get_args(OutcomeId)
# The {fields} each signal's wording may use; checked when the playbook loads.
SIGNAL_FIELDS: dict[SignalId, tuple[str, ...]] = {
    "route_full_time": ("reason",),
    "value_at_scale": ("value", "engineers"),
    "milestones_missed": ("count", "names"),
    "activities_overdue": ("count", "names"),
    "blockers_open": ("count", "names"),
    "bill_above_target": ("month", "bill", "share", "target"),
    "index_below_ready": ("index", "ready"),
    "incidents_recent": ("count", "names", "days"),
}
SUMMARY_FIELDS = ("days", "weeks", "months")
ROLE_FIELDS = ("client", "decisions")


class Tolerances(Frozen):
    late_days: int = Field(ge=0, le=60, description="days after the planned date that still count as on time")
    bill_share: float = Field(ge=0, le=5, description="share above the plan's bill target that counts as on target")
    incident_days: int = Field(ge=1, le=365, description="days before the report in which incidents count")
    ready_index: float = Field(ge=0, le=100, description="readiness index from which a team needs no senior help")
    value_at_scale_monthly: float = Field(ge=0, description="USD a month of live AI value needing a full-time leader")
    value_at_scale_engineers: int = Field(ge=0, description="engineers that leader would lead, at least")


class SignalText(Frozen):
    holds: str = Field(min_length=1)
    clear: str = ""


class CadenceBand(Frozen):
    reasons: int = Field(ge=1, le=20)
    days_per_week: float = Field(gt=0, le=5)


class OutcomeRule(Frozen):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    signals: list[SignalId]
    bridge_days_per_week: float | None = Field(None, gt=0, le=5)
    weeks: int | None = Field(None, ge=1, le=52)
    cadence: list[CadenceBand] = []
    share_of_engagement: float | None = Field(None, gt=0, le=1)


class RoleRules(Frozen):
    title: str = Field(min_length=1)
    reports_to: str = Field(min_length=1)
    mandate: str = Field(min_length=1)
    strengths: dict[str, str]
    first_year: list[str] = Field(min_length=1)
    interview_loop: list[str] = Field(min_length=1)


class TransitionCriteria(Frozen):
    """playbook/transition.yaml."""

    tolerances: Tolerances
    signals: dict[SignalId, SignalText]
    outcomes: dict[OutcomeId, OutcomeRule]
    role: RoleRules

    @model_validator(mode="after")
    def _complete(self) -> TransitionCriteria:
        if list(self.outcomes) != list(OUTCOMES):
            raise ValueError(f"outcomes must be {', '.join(OUTCOMES)}, in this order")
        if missing := [s for s in SIGNALS if s not in self.signals]:
            raise ValueError(f"signals without wording: {', '.join(missing)}")
        if self.outcomes["end"].signals:
            raise ValueError("end has no signals: it is recommended when no other outcome's signal holds")
        cadence = self.outcomes["reduced_cadence"]
        if not cadence.cadence or cadence.weeks is None or cadence.share_of_engagement is None:
            raise ValueError("reduced_cadence needs cadence, weeks and share_of_engagement")
        if [b.reasons for b in cadence.cadence] != sorted({b.reasons for b in cadence.cadence}):
            raise ValueError("reduced_cadence.cadence: reasons must rise strictly")
        if self.outcomes["hire_full_time"].bridge_days_per_week is None:
            raise ValueError("hire_full_time needs bridge_days_per_week")
        return self


def criteria_problems(criteria: TransitionCriteria, dimensions: list[str]) -> list[Problem]:
    """Wording that names a field its signal does not have, and role strengths that miss a readiness dimension."""
    problems = []
    for signal, text in criteria.signals.items():
        fields = dict.fromkeys(SIGNAL_FIELDS[signal], "x")
        for part in ("holds", "clear"):
            try:
                getattr(text, part).format(**fields)
            except (KeyError, IndexError, ValueError) as exc:
                problems.append(Problem(f"signals.{signal}.{part}", f"unknown field {exc}",
                                        f"fields: {', '.join(SIGNAL_FIELDS[signal])}"))
    texts = [(f"outcomes.{o}.summary", rule.summary, SUMMARY_FIELDS) for o, rule in criteria.outcomes.items()]
    texts += [("role.mandate", criteria.role.mandate, ROLE_FIELDS)]
    texts += [(f"role.interview_loop[{i}]", t, ROLE_FIELDS) for i, t in enumerate(criteria.role.interview_loop)]
    for path, text, names in texts:
        try:
            text.format(**dict.fromkeys(names, "x"))
        except (KeyError, IndexError, ValueError) as exc:
            problems.append(Problem(path, f"unknown field {exc}", f"fields: {', '.join(names)}"))
    if missing := [d for d in dimensions if d not in criteria.role.strengths]:
        problems.append(Problem("role.strengths", f"no line for {', '.join(missing)}",
                                "one line per readiness dimension"))
    if unknown := [d for d in criteria.role.strengths if d not in dimensions]:
        problems.append(Problem("role.strengths", f"unknown dimension {', '.join(unknown)}",
                                f"allowed: {', '.join(dimensions)}"))
    return problems


@dataclass(frozen=True)
class Signal:
    id: SignalId
    holds: bool
    fields: dict[str, str]

    def text(self, criteria: TransitionCriteria) -> str:
        wording = criteria.signals[self.id]
        return (wording.holds if self.holds else wording.clear).format(**self.fields)


@dataclass(frozen=True)
class RoleProfile:
    """The full-time hire the transition recommends, and the brief a search firm starts from."""

    title: str
    reports_to: str
    mandate: str
    strengths: list[tuple[str, str]]  # (dimension name, what the hire must have done)
    first_year: list[str]
    package: str
    search: str
    interview_loop: list[str]


@dataclass(frozen=True)
class Transition:
    outcome: OutcomeId
    title: str
    summary: str
    reasons: list[str]
    days_per_week: float | None  # the reduced cadence, or the bridge until a hire starts; None when it ends
    weeks: int | None
    role: RoleProfile | None = None
    also: list[str] = field(default_factory=list)  # signals that hold for a later outcome: open work for the hire


def cadence_days(rule: OutcomeRule, reasons: int, engagement_days: float) -> float:
    """Days a week for the reduced cadence: the band for the number of reasons, at most the engagement's share,
    in half days and at least half a day."""
    band = max((b for b in rule.cadence if b.reasons <= reasons), key=lambda b: b.reasons, default=rule.cadence[0])
    cap = engagement_days * float(rule.share_of_engagement or 1.0)
    return max(0.5, round(min(band.days_per_week, cap) * 2) / 2)


def recommend(signals: list[Signal], criteria: TransitionCriteria, engagement_days: float, hire_months: str,
              role: RoleProfile | None) -> Transition:
    """The first outcome with a signal that holds, its signals as reasons; `end` when none holds, with the wording
    of every signal that is clear. `hire_months` is the search's length with its unit ("4-6 months")."""
    holding = {s.id: s for s in signals if s.holds}
    hire = criteria.outcomes["hire_full_time"]
    if reasons := [holding[s].text(criteria) for s in hire.signals if s in holding]:
        days = float(hire.bridge_days_per_week or 1.0)
        summary = hire.summary.format(days=count(days, "day"), weeks="", months=hire_months)
        also = [holding[s].text(criteria) for s in criteria.outcomes["reduced_cadence"].signals if s in holding]
        return Transition("hire_full_time", hire.title, summary, reasons, days, None, role, also)
    cadence = criteria.outcomes["reduced_cadence"]
    if reasons := [holding[s].text(criteria) for s in cadence.signals if s in holding]:
        days = cadence_days(cadence, len(reasons), engagement_days)
        summary = cadence.summary.format(days=count(days, "day"), weeks=count(cadence.weeks, "week"), months="")
        return Transition("reduced_cadence", cadence.title, summary, reasons, days, cadence.weeks)
    end = criteria.outcomes["end"]
    clear = [s.text(criteria) for s in signals if not s.holds and criteria.signals[s.id].clear]
    return Transition("end", end.title, end.summary.format(days="", weeks="", months=""), clear, None, None)
