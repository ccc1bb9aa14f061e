"""The bridge to a full-time hire: on the full-time route the search outlasts most engagements, so the fractional CTO
stays on, at the transition's bridge cadence (playbook/transition.yaml), from the engagement's end until the hire
can start. Its days are paid working days like the engagement's, at the same day rate; the ROI counts their cost and
the roadmap says when the hire starts, so no report hands over to a hire who is not there yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aicto.model.calendar import cto_days_paid, working_days
from aicto.model.costs import CostBreakdown
from aicto.model.roadmap import Roadmap
from aicto.profile.playbook import Playbook

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class HireBridge:
    first: dt.date  # the first day after the engagement
    hire_starts: dt.date  # the engagement's start + the months a hire takes (costs: months_to_hire, mid)
    months_to_hire: float
    days_per_week: float
    days: float  # paid working days from `first` to the day before the hire starts
    day_rate: float

    @property
    def cost(self) -> float:
        return self.day_rate * self.days

    @property
    def weeks(self) -> int:
        return max(1, round((self.hire_starts - self.first).days / 7))


def hire_bridge(roadmap: Roadmap, costs: CostBreakdown, playbook: Playbook) -> HireBridge | None:
    """The bridge from the engagement's end to the hire's start on the full-time route; None on another route, or
    when the engagement already lasts until the hire can start."""
    if roadmap.route != "full_time":
        return None
    months = costs.assumptions.leadership.full_time.months_to_hire.mid
    hire_starts = roadmap.start + dt.timedelta(days=round(months * DAYS_PER_MONTH))
    first = roadmap.start + dt.timedelta(days=7 * roadmap.engagement_weeks)
    if hire_starts <= first:
        return None
    cadence = float(playbook.transition.outcomes["hire_full_time"].bridge_days_per_week or 1.0)
    days = cto_days_paid(cadence, len(working_days(first, hire_starts - dt.timedelta(days=1), roadmap.holidays)))
    return HireBridge(first, hire_starts, months, cadence, days, costs.assumptions.leadership.fractional.day_rate.mid)
