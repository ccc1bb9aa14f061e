"""One engagement, one story: each client's engagement computed once, in dependency order - readiness and fit, then
the cost breakdown, the plan on the recommended route, then the ROI timed by that plan - for every notebook, the
board pack, summary.json and the portfolio to read. No report recomputes another's result in its own way.

Each part is worked out when first read, and only once: the readiness report's results need only the readiness,
so in consultant mode they redraw before the plan and the ROI that the form's checks read are computed.
"""

from __future__ import annotations

import datetime as dt
import functools

from aicto.model.bridge import HireBridge, hire_bridge
from aicto.model.costs import CostBreakdown, cost_breakdown
from aicto.model.readiness import ReadinessResult, assess
from aicto.model.roadmap import Roadmap, plan_roadmap
from aicto.model.roi import RoiResult, roi_analysis
from aicto.profile.activities import Route
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile


class Engagement:
    def __init__(self, profile: Profile, playbook: Playbook, today: dt.date | None = None):
        self.profile, self.playbook, self.today = profile, playbook, today

    @functools.cached_property
    def readiness(self) -> ReadinessResult:
        return assess(self.profile, self.playbook)

    @functools.cached_property
    def costs(self) -> CostBreakdown:
        return cost_breakdown(self.profile, self.playbook, self.today)

    @functools.cached_property
    def roadmap(self) -> Roadmap:
        return plan_roadmap(self.profile, self.playbook, self.today, self.readiness, self.costs.ai_spend)

    @functools.cached_property
    def bridge(self) -> HireBridge | None:
        """On the full-time route, the fractional CTO's bridge from the engagement's end to the hire's start."""
        return hire_bridge(self.roadmap, self.costs, self.playbook)

    @functools.cached_property
    def roi(self) -> RoiResult:
        return roi_analysis(self.profile, self.playbook, self.costs, self.roadmap, self.bridge)

    @property
    def route(self) -> Route:
        return self.readiness.fit.recommendation

    @property
    def provisional(self) -> bool:
        """Before the audit: the route and the plan come from the discovery call alone."""
        return self.readiness.provisional

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
    found = Engagement(profile, playbook, today)
    _LAST[:] = [(key, found)]
    return found
