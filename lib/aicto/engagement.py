"""One engagement, one story: each client's engagement computed once, in dependency order - readiness and fit, then
the cost breakdown, the plan on the recommended route, then the ROI timed by that plan - for every notebook, the
board pack, summary.json and the portfolio to read. No report recomputes another's result in its own way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aicto.activities import Route
from aicto.costs import CostBreakdown, cost_breakdown
from aicto.playbook import Playbook
from aicto.profile import Profile
from aicto.readiness import ReadinessResult, assess
from aicto.roadmap import Roadmap, plan_roadmap
from aicto.roi import RoiResult, roi_analysis


@dataclass(frozen=True)
class Engagement:
    profile: Profile
    readiness: ReadinessResult
    costs: CostBreakdown
    roadmap: Roadmap
    roi: RoiResult

    @property
    def route(self) -> Route:
        return self.readiness.fit.recommendation

    @property
    def start(self) -> dt.date:
        return self.roadmap.start

    @property
    def end(self) -> dt.date:
        """The fractional CTO's last engaged day."""
        return self.roadmap.engagement_end

    @property
    def weeks(self) -> int:
        return self.profile.engagement.weeks

    @property
    def cto_days_paid(self) -> float:
        return self.roadmap.cto_days_paid

    @property
    def cto_days_planned(self) -> float:
        return self.roadmap.cto_days_planned

    @property
    def cto_days_free(self) -> float:
        """Paid days the plan's activities leave for reviews of the team's work, advisory and reserve."""
        return max(self.cto_days_paid - self.cto_days_planned, 0.0)


_LAST: list[tuple[tuple[int, int, dt.date | None], Engagement]] = []


def build_engagement(profile: Profile, playbook: Playbook, today: dt.date | None = None) -> Engagement:
    """The client's engagement; the same profile object asked again (four notebooks, a summary) is not recomputed."""
    key = (id(profile), id(playbook), today)
    if _LAST and _LAST[0][0] == key and _LAST[0][1].profile is profile:
        return _LAST[0][1]
    readiness = assess(profile, playbook)
    costs = cost_breakdown(profile, playbook)
    roadmap = plan_roadmap(profile, playbook, today, readiness, costs.ai_spend)
    found = Engagement(profile, readiness, costs, roadmap, roi_analysis(profile, playbook, costs, roadmap))
    _LAST[:] = [(key, found)]
    return found
