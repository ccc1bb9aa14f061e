"""Dates as the practice writes them (`brand.locale`), from Babel's CLDR data: en-US "March 2, 2026", en-GB
"2 March 2026"; in tables and chart axes day and month alone, "Mar 2" / "2 Mar". Files for other tools (CSV, ICS,
summary.json) keep ISO dates.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_interval, format_skeleton

# The same formats for plotly's d3 time axes and hover labels, which Babel cannot reach.
PLOTLY_DAY_MONTH = {"en-US": "%b %-d", "en-GB": "%-d %b"}
PLOTLY_DATE = {"en-US": "%B %-d, %Y", "en-GB": "%-d %B %Y"}


def _babel(locale: str) -> str:
    return locale.replace("-", "_")


def long_date(date: dt.date, locale: str) -> str:
    """A full date in a sentence or a table: "March 2, 2026" / "2 March 2026"."""
    return format_date(date, "long", locale=_babel(locale))


def day_month(date: dt.date, locale: str) -> str:
    """A day within a plan whose year is known: "Mar 2" / "2 Mar"."""
    return format_skeleton("MMMd", date, locale=_babel(locale))


def day_month_range(start: dt.date, end: dt.date, locale: str) -> str:
    """Days of a plan from start to end: "Feb 1 – 7" / "1–7 Feb", "Feb 24 – Mar 2" / "24 Feb – 2 Mar"."""
    return format_interval(start, end, "MMMd", locale=_babel(locale))


def date_range(start: dt.date, end: dt.date, locale: str) -> str:
    """A dated span in one style, each end with its year when they differ: "Jan 11 – Mar 31, 2027",
    "Dec 14, 2026 – Mar 3, 2027" (en-GB "11 Jan – 31 Mar 2027")."""
    return format_interval(start, end, "yMMMd", locale=_babel(locale))


def month_year(date: dt.date, locale: str) -> str:
    """A calendar month: "March 2026" in both variants."""
    return format_skeleton("yMMMM", date, locale=_babel(locale))


def month_of(key: str, locale: str) -> str:
    """A "YYYY-MM" month key (the bill's months) as a month: "March 2026"."""
    year, month = key.split("-")
    return month_year(dt.date(int(year), int(month), 1), locale)
