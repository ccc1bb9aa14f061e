"""Which months an export covers in full, and the bill's monthly growth over them.

A month is full when every export format read covers it from its first day to its last (a bucket export's empty
days count as covered; a log's first and last records must fall within a day of the month's ends). Partial months at
the edges of an export would read as a drop or a jump in the bill, so only full months make the history and the
growth rate.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import numpy as np

from aicto.usage.aggregate import Month

DAY = dt.timedelta(days=1)
AVERAGE_MONTH_DAYS = 365.2425 / 12


def bounds(month: Month) -> tuple[dt.datetime, dt.datetime]:
    year, number = month
    start = dt.datetime(year, number, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=dt.UTC)
    return start, end


def label(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def parse(text: str) -> Month:
    return int(text[:4]), int(text[5:7])


def full_months(coverage: Mapping[str, Mapping[Month, list[dt.datetime]]]) -> list[Month]:
    """The months every format covers from end to end."""
    full: set[Month] | None = None
    for months in coverage.values():
        covered = set()
        for month, (first, last) in months.items():
            start, end = bounds(month)
            if first < start + DAY and last > end - DAY:
                covered.add(month)
        full = covered if full is None else full & covered
    return sorted(full or ())


def covered_days(coverage: Mapping[str, Mapping[Month, list[dt.datetime]]]) -> float:
    """Days from the first to the last moment any export covers; at least one."""
    spans = [span for months in coverage.values() for span in months.values()]
    if not spans:
        return 1.0
    return max(1.0, (max(s[1] for s in spans) - min(s[0] for s in spans)) / DAY)


def monthly_growth(costs: Mapping[Month, float]) -> float | None:
    """The bill's growth per month: a least-squares line through the log of each month's cost (months without cost
    left out), so that one odd month moves it less than a first-to-last ratio would. None below two months."""
    points = sorted((m, c) for m, c in costs.items() if c > 0)
    if len(points) < 2:
        return None
    x = [year * 12 + number for (year, number), _ in points]
    slope = np.polyfit(x, [math.log(c) for _, c in points], 1)[0]
    return math.exp(float(slope)) - 1
