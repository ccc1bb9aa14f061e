"""The transition at the end of the engagement: hire a full-time AI leader, continue at a reduced cadence, or end.

The criteria and their wording are data (playbook/transition.yaml, read by aicto.profile.transition_criteria); the
progress report computes the signals from the engagement and the client's actuals, and this module turns them into
the recommendation with its reasons, and for a hire, the role profile and the hiring brief.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aicto.profile.transition_criteria import OutcomeId, OutcomeRule, SignalId, TransitionCriteria
from aicto.text.words import count


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
