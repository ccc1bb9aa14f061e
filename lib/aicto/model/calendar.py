"""The engagement's calendar: its first day, the days nobody works (the profile's own holidays and its country's
public holidays), and the working days the fractional CTO is paid for.

Paid CTO days are working days: a public holiday inside the engagement is neither planned nor billed, so the fee,
the plan's paid days and the ROI's cost all count the same days (days a week x working days / 5).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection

from aicto.model.capacity import WORKDAYS_PER_WEEK
from aicto.profile.schema import Profile, RoadmapSettings

MAX_WEEKS = 52  # the longest engagement a profile may give: how far "the weeks it would need" is searched
UNIT = 100  # effort and capacity in hundredths of a person-day: whole numbers, so capacity checks are exact


def per_day_units(per_week: float) -> int:
    """A weekly capacity spread evenly over the working days, in UNITs."""
    return round(per_week * UNIT / WORKDAYS_PER_WEEK)


def plan_start(profile: Profile, today: dt.date) -> dt.date:
    """The engagement's start date; without one, the Monday after the report date (or today)."""
    if profile.engagement.start_date:
        return profile.engagement.start_date
    base = profile.engagement.report_date or today
    return base + dt.timedelta(days=7 - base.weekday())


def is_working_day(day: dt.date, holidays: Collection[dt.date]) -> bool:
    return day.weekday() < WORKDAYS_PER_WEEK and day not in holidays


def working_days(start: dt.date, last: dt.date, holidays: Collection[dt.date]) -> list[dt.date]:
    days = (start + dt.timedelta(days=i) for i in range((last - start).days + 1))
    return [d for d in days if is_working_day(d, holidays)]


def first_working_day(start: dt.date, holidays: Collection[dt.date]) -> dt.date:
    while not is_working_day(start, holidays):
        start += dt.timedelta(days=1)
    return start


def public_holidays(profile: Profile, start: dt.date) -> frozenset[dt.date]:
    """The client's public holidays (client.country, client.subdivision) over any plan from `start`."""
    if profile.client.country is None:
        return frozenset()
    return _country_holidays(profile.client.country, profile.client.subdivision, start.year)


@functools.lru_cache(maxsize=64)
def _country_holidays(country: str, subdivision: str | None, first_year: int) -> frozenset[dt.date]:
    """Built once per country and year: every profile check and plan of a consultant's edits asks for it again."""
    from aicto.profile import cache
    from aicto.profile.schema import holidays_version

    years = range(first_year, first_year + MAX_WEEKS // 52 + 2)
    name = cache.key("days", holidays_version(), country, subdivision or "", str(first_year), str(len(years)))
    if isinstance(days := cache.load("holidays", name), list):
        return frozenset(days)
    import holidays  # a calendar imports each of its 250 countries: a quarter of a second

    days = sorted(holidays.country_holidays(country, subdiv=subdivision, years=years))
    cache.store("holidays", name, days)
    return frozenset(days)


def days_off(profile: Profile, start: dt.date) -> frozenset[dt.date]:
    """The days no one works: the profile's own holidays and its country's public holidays."""
    return frozenset((profile.roadmap or RoadmapSettings()).holidays) | public_holidays(profile, start)


def engaged_days(profile: Profile, today: dt.date | None = None) -> list[dt.date]:
    """The working days of the engagement: from its first working day for its weeks, less the days off."""
    start = plan_start(profile, today or dt.date.today())
    holidays = days_off(profile, start)
    first = first_working_day(start, holidays)
    return working_days(first, first + dt.timedelta(days=7 * profile.engagement.weeks - 1), holidays)


def cto_days_paid(per_week: float, working: int) -> float:
    """The CTO's paid days over `working` working days at `per_week` days a week: what the plan can use."""
    return per_day_units(per_week) * working / UNIT
