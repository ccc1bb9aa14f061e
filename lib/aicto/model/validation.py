"""The one validation step for a client: the schema's checks, then those that need the models.

`aicto validate`, `run`, `batch`, `import-usage` and the consultant's form all read a client through here, so what one
accepts the others accept. The schema (aicto.profile.schema) stands alone; the route's plan needs the readiness
assessment, the client's capacity and the planner, the bill's bound needs its prices, and a client's file comes with
the snapshots kept beside it (the progress report reads them): all of these sit in this layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from aicto.model import snapshot
from aicto.model.ai_spend import price_spend
from aicto.model.calendar import days_off, is_working_day, plan_start
from aicto.model.capacity import client_capacity
from aicto.model.costs import client_assumptions
from aicto.model.readiness import assess
from aicto.model.roadmap import too_little_time
from aicto.profile.assumptions import MAX_BILL
from aicto.profile.playbook import Playbook, load_playbook
from aicto.profile.problems import InputError, Problem, suggest
from aicto.profile.schema import Profile, parse_profile, read_profile, resolve_profile_path
from aicto.profile.upgrade import upgrade_file
from aicto.profile.yamlio import parse_yaml_mapping
from aicto.text.money import MoneyFormat

# Days off at the start that a real client takes: a year-end or summer closure lasts two to four weeks (August in
# France). A first working day later than this is an engagement that starts later, and its start_date says so; 366
# days off had moved the whole plan into the next year, while the actuals of this one were compared with it.
MAX_CLOSED_DAYS = 31
BILL_CEILING = f"{MAX_BILL:.0e}".replace("e+0", "e").replace("e+", "e")  # "1e9", as the schema's descriptions write it


def holiday_problems(profile: Profile) -> list[Problem]:
    """The profile's days off may close the start for a month at most."""
    if profile.roadmap is None or not profile.roadmap.holidays:
        return []  # public holidays alone never close more than a few days in a row
    start = plan_start(profile, dt.date.today())
    off = days_off(profile, start)
    first = start
    while not is_working_day(first, off):  # ends: at most every listed day, then a weekday
        first += dt.timedelta(days=1)
    if (first - start).days <= MAX_CLOSED_DAYS:
        return []
    return [Problem("roadmap.holidays", f"the first working day is {first}, {(first - start).days} days after the "
                    f"engagement's start ({start})", f"days off that leave a working day within {MAX_CLOSED_DAYS} "
                    "days of the start: a later start is engagement.start_date")]


def spend_problems(profile: Profile, playbook: Playbook) -> list[Problem]:
    """The LLM bill, priced, and grown at the profile's rates for the months the playbook lets it grow, stays one a
    real client can have (MAX_BILL a month)."""
    if profile.ai_spend is None:
        return []
    assumptions = client_assumptions(profile, playbook).ai_spend
    spend = price_spend(profile.ai_spend, assumptions, profile.client.fx)
    fmt = MoneyFormat.fit([spend.current_monthly], profile.client.currency, playbook.brand.locale)
    if spend.current_monthly > MAX_BILL:
        return [Problem("ai_spend.workloads", f"the workloads price at {fmt(spend.current_monthly)} a month",
                        f"at most {BILL_CEILING} a month, the largest real LLM bills being a few million a month: "
                        "check requests_per_month and the tokens per request")]
    months = assumptions.growth_months.high
    grown = spend.current_monthly * float(np.max(spend.growth(profile.engagement.horizon_months, months, "bill")))
    if grown <= MAX_BILL:
        return []
    rates = [(f"ai_spend.workloads[{i}].monthly_growth", w.monthly_growth)
             for i, w in enumerate(profile.ai_spend.workloads) if w.monthly_growth is not None]
    rates += [("ai_spend.monthly_growth", profile.ai_spend.monthly_growth or 0.0)]
    field, rate = max(rates, key=lambda r: r[1])
    fmt = MoneyFormat.fit([spend.current_monthly, grown], profile.client.currency, playbook.brand.locale)
    return [Problem(field, f"{rate:+.0%} a month for {months:g} months grows the bill from "
                    f"{fmt(spend.current_monthly)} to {fmt(grown)} a month",
                    f"a bill of at most {BILL_CEILING} a month once grown: a lower growth, or fewer "
                    "costs.ai_spend.growth_months")]


def roadmap_problems(profile: Profile, playbook: Playbook) -> list[Problem]:
    """Activity ids must exist in the library; the engagement method plans the audit and the milestones itself;
    every role the route's milestones need has some time, enough for them to fit the longest engagement."""
    route = assess(profile, playbook).fit.recommendation
    library = playbook.roadmap
    capacity = client_capacity(profile, library.capacity)
    problems = holiday_problems(profile)
    if problems:
        return problems
    for role in ("product", "leadership"):
        needed = [a for a in library.always_planned(route) if role in (library.get(a).owner, *library.get(a).involves)]
        if needed and capacity[role] == 0:
            problems.append(Problem(f"roadmap.capacity.{role}", f"0 days a week, but the recommended route's "
                                    f"milestones need {role} time ({library.get(needed[0]).title})", "more than 0"))
    if not problems:
        problems += [p for p in [too_little_time(profile, playbook, route)] if p]
    if profile.roadmap is None:
        return problems
    ids = [a.id for a in library.activities]
    fixed = library.fixed(route)
    for key in ("include", "exclude"):
        for i, activity in enumerate(getattr(profile.roadmap, key)):
            if activity not in ids:
                problems.append(Problem(f"roadmap.{key}[{i}]", f"unknown activity {activity!r}",
                                        suggest(activity, ids, "ids from playbook/roadmap/activities.yaml")))
            elif activity in fixed:
                problems.append(
                    Problem(
                        f"roadmap.{key}[{i}]",
                        f"{activity!r} is planned by the engagement method",
                        f"cannot {key}: {', '.join(fixed)}",
                    )
                )
            elif key == "exclude" and activity in profile.roadmap.include:
                problems.append(
                    Problem(
                        f"roadmap.exclude[{i}]",
                        f"{activity!r} is also in roadmap.include",
                        "include or exclude, not both",
                    )
                )
    return problems


def model_problems(profile: Profile, playbook: Playbook) -> list[Problem]:
    return spend_problems(profile, playbook) or roadmap_problems(profile, playbook)


def parse_client(data: dict[str, Any], source: str, playbook: Playbook | None = None) -> Profile:
    """A client profile from a mapping, every check passed; InputError lists the problems of the first failing step."""
    playbook = playbook or load_playbook()
    profile = parse_profile(data, source, playbook)
    if problems := model_problems(profile, playbook):
        raise InputError(source, problems)
    return profile


def load_client(path: str | Path, playbook: Playbook | None = None) -> Profile:
    """A client profile from its file, every check passed, and its snapshots read as the progress report reads them;
    its problems name the file as the user wrote it (a snapshot's, the snapshot's file), and `aicto upgrade FILE`
    where an upgrade step would fix them (a file written for an earlier release)."""
    playbook = playbook or load_playbook()
    try:
        profile = read_profile(path, playbook)
        if problems := model_problems(profile, playbook):
            raise InputError(str(resolve_profile_path(path)), problems)
    except InputError as exc:
        raise name_upgrade(exc, resolve_profile_path(path), playbook) from None
    snapshot.load(resolve_profile_path(path), profile.client.id, profile)  # named beside the path as written
    return profile


def name_upgrade(error: InputError, path: Path, playbook: Playbook) -> InputError:
    """The file's problems, those that `aicto upgrade` would fix saying so instead of what is allowed:
    `FILE: path: problem (run: aicto upgrade FILE)`, or `...; run: aicto upgrade FILE` after a message that ends
    in brackets. A file that cannot be read or parsed is left as it is (and not read again: a hostile file is refused
    once)."""
    if all(p.path == "(file)" or p.path.startswith("line ") for p in error.problems):
        return error
    try:
        upgraded = upgrade_file(path)
    except Exception:  # the hint is an extra: a file that no step can read keeps its own problems
        return error
    if not upgraded.changes:
        return error
    try:
        parse_client(parse_yaml_mapping(upgraded.new, error.file), error.file, playbook)
        remaining: set[tuple[str, str]] = set()
    except InputError as still:
        remaining = {(p.path, p.message) for p in still.problems}
    hint = f"run: aicto upgrade {error.file}"
    problems = [p if (p.path, p.message) in remaining else replace(p, allowed=hint) for p in error.problems]
    return error if problems == error.problems else InputError(error.file, problems)
