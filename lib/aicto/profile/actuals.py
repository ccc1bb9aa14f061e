"""What the client reports back during the engagement (the profile's `actuals` section): the LLM bill by month,
milestones reached, activities started and done, the launch date and incidents.

The progress report compares these with the plan; ids are checked against the playbook's activity library and
dates against the engagement, so a typo or a date in the future is an input error, not a silently odd chart.

Every date lies in the engagement's world: 2000-2099 like every date of a profile (9999-12-31 overflowed the bill's
months; 1900 and 2150 read as "As of January 1, 1900" and "reached late"), not before the engagement's start and not
after its report date, when the profile has them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from aicto.profile.activities import ActivityLibrary
from aicto.profile.assumptions import EARLIEST_DATE, LATEST_DATE, MAX_BILL, Date, ShortForm
from aicto.profile.plaintext import LINE_PATTERN, plain, visible
from aicto.profile.problems import Problem, suggest

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
BILL_HISTORY_MONTHS = 12  # bill months before the engagement's start that the report may show as history

BillAmount = Annotated[float, Field(ge=0, le=MAX_BILL, strict=True, allow_inf_nan=False,
                                    description="the month's LLM bill, 0 to 1e9")]
Summary = Annotated[str, Field(min_length=1, max_length=300, json_schema_extra={"pattern": LINE_PATTERN}),
                    AfterValidator(plain), AfterValidator(visible)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)  # built on first use


class ActivityActual(_Strict):
    started: Date | None = Field(None, description="the day work on it started")
    done: Date | None = Field(None, description="the day it met its definition of done")

    @model_validator(mode="after")
    def _in_order(self) -> ActivityActual:
        if self.started is None and self.done is None:
            raise ValueError("give started, done or both")
        if self.started and self.done and self.done < self.started:
            raise ValueError(f"done ({self.done}) is before started ({self.started})")
        return self


class Incident(_Strict):
    date: Date = Field(description="the day it happened")
    severity: Literal["low", "medium", "high"] = Field(description="high: users or data affected")
    summary: Summary = Field(description="what happened, one line of at most 300 characters")


class Actuals(_Strict):
    """Reported by the client; every date at or before `as_of`, the date the report runs to."""

    as_of: Date = Field(description="the date these actuals run to; the progress report is as of this day, and "
                                    "a profile without engagement.report_date is dated by it")
    llm_bill: dict[str, BillAmount] = Field(
        {}, max_length=60, description="the LLM bill by calendar month, e.g. 2027-02: 8400",
        json_schema_extra={"unit": "{currency}/month", "propertyNames": {"pattern": MONTH_PATTERN}})
    milestones: dict[str, Date] = Field(
        {}, max_length=20, description="milestone id -> the day it was reached, ids from playbook/roadmap")
    activities: dict[str, Annotated[ActivityActual, ShortForm({"type": "string", "format": "date"})]] = Field(
        {}, max_length=200, description="activity id -> the day it was done, or {started: date, done: date}")
    launch_date: Date | None = Field(None, description="the day the AI feature went live in production")
    incidents: list[Incident] = Field([], max_length=200, description="production incidents of the AI feature")

    @field_validator("activities", mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        """`id: 2027-02-10` is short for `id: {done: 2027-02-10}`."""
        if isinstance(value, dict):
            return {k: {"done": v} if isinstance(v, dt.date) else v for k, v in value.items()}
        return value

    def dates(self) -> list[tuple[str, dt.date]]:
        """Every reported day with its field path."""
        found = [(f"milestones.{k}", d) for k, d in self.milestones.items()]
        for key, a in self.activities.items():
            found += [(f"activities.{key}.{part}", d) for part, d in (("started", a.started), ("done", a.done)) if d]
        found += [("launch_date", self.launch_date)] if self.launch_date else []
        found += [(f"incidents[{i}].date", incident.date) for i, incident in enumerate(self.incidents)]
        return found


def month_start(month: str) -> dt.date:
    year, number = month.split("-")
    return dt.date(int(year), int(number), 1)


def actuals_problems(actuals: Actuals, library: ActivityLibrary, start: dt.date | None,
                     report: dt.date | None = None) -> list[Problem]:
    """Ids the playbook does not know, and dates after `as_of` or before the engagement's start; `as_of` after the
    report date."""
    problems = []
    milestones = [m for m in library.milestones if m != "production_launch"]
    for key in actuals.milestones:
        if key == "production_launch":
            problems.append(Problem("actuals.milestones.production_launch", "the launch is actuals.launch_date",
                                    "move the date to actuals.launch_date"))
        elif key not in milestones:
            problems.append(Problem(f"actuals.milestones.{key}", f"unknown milestone {key!r}",
                                    suggest(key, milestones, f"allowed: {', '.join(milestones)}")))
    ids = [a.id for a in library.activities]
    for key in actuals.activities:
        if key not in ids:
            problems.append(Problem(f"actuals.activities.{key}", f"unknown activity {key!r}",
                                    suggest(key, ids, "ids from playbook/roadmap/activities.yaml")))
    for path, day in actuals.dates():
        if day > actuals.as_of:
            problems.append(Problem(f"actuals.{path}", f"{day} is after actuals.as_of ({actuals.as_of})",
                                    "report only what has happened"))
        elif start and day < start:
            problems.append(Problem(f"actuals.{path}", f"{day} is before the engagement's start ({start})",
                                    "a date in the engagement"))
    for month in actuals.llm_bill:
        if not re.match(MONTH_PATTERN, month):
            problems.append(Problem(f"actuals.llm_bill.{month}", f"{month!r} is not a month", "YYYY-MM, e.g. 2027-02"))
            continue
        if not EARLIEST_DATE.year <= int(month[:4]) <= LATEST_DATE.year:
            problems.append(Problem(f"actuals.llm_bill.{month}", f"{month!r} is not a month from "
                                    f"{EARLIEST_DATE.year} to {LATEST_DATE.year}", "YYYY-MM, e.g. 2027-02"))
            continue
        first = month_start(month)
        if first > actuals.as_of:
            problems.append(Problem(f"actuals.llm_bill.{month}", f"{month} is after actuals.as_of ({actuals.as_of})",
                                    "months up to as_of"))
        elif start and (start.year - first.year) * 12 + start.month - first.month > BILL_HISTORY_MONTHS:
            problems.append(Problem(f"actuals.llm_bill.{month}", f"{month} is more than {BILL_HISTORY_MONTHS} "
                                    f"months before the engagement's start ({start})", "recent months only"))
    if start and actuals.as_of < start:
        problems.append(Problem("actuals.as_of", f"{actuals.as_of} is before the engagement's start ({start})",
                                "a date on or after engagement.start_date"))
    if report and actuals.as_of > report:
        problems.append(Problem("actuals.as_of", f"{actuals.as_of} is after the report date ({report})",
                                "a date on or before engagement.report_date: the reports are dated then"))
    return problems
