"""The proposal's figures: the engagement's fee split into the payment schedule the practice bills by
(playbook/proposal.yaml), the client's days by role, and whether the proposal is provisional (no audit yet).

Nothing here is priced again: the fee is the cost breakdown's (the day rate x the paid days), split over the
engagement's working days by month, or in equal shares at the route's milestones; the instalments add up to it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from aicto.model.calendar import engaged_days
from aicto.model.engagement import Engagement
from aicto.profile.activities import Role

CLIENT_ROLES: tuple[Role, ...] = ("client_engineers", "product", "leadership")


@dataclass(frozen=True)
class Instalment:
    date: dt.date  # the invoice's date
    label: str  # what it bills: "March 2027" or a milestone's title
    amount: float


@dataclass(frozen=True)
class ProposalFigures:
    route: str
    provisional: bool
    fee: float
    schedule: str  # monthly_in_arrears or by_milestone
    instalments: list[Instalment]
    client_days: dict[Role, float]  # person-days the plan's activities take of each client role


def _split(fee: float, weights: list[float]) -> list[float]:
    """`fee` in shares proportional to `weights`, to the cent, the last taking the rounding: they add up to it."""
    total = sum(weights)
    parts = [round(fee * w / total, 2) for w in weights[:-1]]
    return [*parts, round(fee - sum(parts), 2)]


def payment_schedule(engagement: Engagement) -> tuple[str, list[Instalment]]:
    terms, fee = engagement.playbook.proposal.payment, engagement.costs.engagement_cost
    if terms.schedule == "by_milestone":
        milestones = engagement.roadmap.milestones
        amounts = _split(fee, [1.0] * len(milestones))
        return terms.schedule, [Instalment(m.date, m.title, a) for m, a in zip(milestones, amounts, strict=True)]
    days = engaged_days(engagement.profile, engagement.today)
    months: dict[tuple[int, int], int] = {}
    for day in days:
        months[(day.year, day.month)] = months.get((day.year, day.month), 0) + 1
    amounts = _split(fee, [float(n) for n in months.values()])
    out = []
    for ((year, month), _), amount in zip(months.items(), amounts, strict=True):
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        out.append(Instalment(min(last, days[-1]) if (year, month) == (days[-1].year, days[-1].month) else last,
                              dt.date(year, month, 1).strftime("%B %Y"), amount))
    return terms.schedule, out


def proposal_figures(engagement: Engagement) -> ProposalFigures:
    schedule, instalments = payment_schedule(engagement)
    roadmap = engagement.roadmap
    days = {role: sum(a.activity.effort_days for a in roadmap.activities if a.activity.owner == role)
            for role in CLIENT_ROLES}
    return ProposalFigures(engagement.route, engagement.provisional, engagement.costs.engagement_cost, schedule,
                           instalments, days)
