"""Who gives the engagement how much time, and what the client's own time costs.

The roadmap schedules within these capacities, and the cost side prices the same people: the avoided-mistakes value
at the AI team the plan uses, the client's person-days in the plan at their loaded day rates.
"""

from __future__ import annotations

from aicto.profile.activities import CapacityDefaults, Role
from aicto.profile.assumptions import CostAssumptions
from aicto.profile.schema import Profile, RoadmapCapacity

WORKDAYS_PER_WEEK = 5
WORKDAYS_PER_YEAR = 52 * WORKDAYS_PER_WEEK


def client_capacity(profile: Profile, defaults: CapacityDefaults) -> dict[Role, float]:
    """Person-days per week per role: the fractional CTO's days, then the client's roles (profile, else defaults)."""
    given = profile.roadmap.capacity if profile.roadmap else RoadmapCapacity()
    engineers = min(profile.team.engineers, defaults.max_engineers) * WORKDAYS_PER_WEEK * defaults.engineer_share
    return {
        "fractional_cto": profile.engagement.days_per_week,
        "client_engineers": engineers if given.client_engineers is None else given.client_engineers,
        "product": defaults.product if given.product is None else given.product,
        "leadership": defaults.leadership if given.leadership is None else given.leadership,
    }


def ai_team_weekly_cost(profile: Profile, defaults: CapacityDefaults) -> float:
    """A week of the client's engineering on the AI work: the engineers' capacity for it at their loaded cost."""
    return client_capacity(profile, defaults)["client_engineers"] * engineer_day_rate(profile)


def engineer_day_rate(profile: Profile) -> float:
    return profile.team.loaded_cost_per_engineer / WORKDAYS_PER_YEAR


def client_day_rates(profile: Profile, assumptions: CostAssumptions, case: str = "base") -> dict[Role, float]:
    """Loaded day rates of the client's roles: engineers from the profile, product and leadership from the
    playbook's cited defaults (a profile overrides them under costs.client_time)."""
    t = assumptions.client_time
    return {"fractional_cto": 0.0, "client_engineers": engineer_day_rate(profile),
            "product": t.product_day_rate.at(case), "leadership": t.leadership_day_rate.at(case)}
