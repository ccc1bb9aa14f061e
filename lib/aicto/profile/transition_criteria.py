"""The transition criteria as the playbook states them (playbook/transition.yaml): the signals, the outcomes they
lead to, their wording and the role profile of a hire; checked when the playbook loads.

aicto.model.transition applies them to a client's engagement.
"""

from __future__ import annotations

import typing
from typing import Literal

from pydantic import Field, model_validator

from aicto.profile.assumptions import Frozen
from aicto.profile.problems import Problem

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
