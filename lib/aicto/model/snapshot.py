"""Snapshots: the client's answers and headline figures on a date, kept beside the profile, so the progress report
can show what the engagement changed since the baseline (the first snapshot) and the plan that was agreed then.

`aicto snapshot PROFILE` writes `<profile>.snapshots/<date>.json` next to the profile (under parameters/, so git
ignores it like the profile). Each file records what the engagement model computed that day: later changes to the
profile or the playbook never rewrite history.

A snapshot's day lies in the engagement: 2000-2099 like every date of a profile, not before engagement.start_date and
not after the day the reports are dated (engagement.report_date, else the actuals' as_of), when the profile has them.
A snapshot of 1900 or 9999, or of before the start, would become the baseline every later report compares with.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import Field, ValidationError

from aicto.model.engagement import Engagement
from aicto.profile.assumptions import EARLIEST_DATE, LATEST_DATE, Frozen
from aicto.profile.files import open_regular
from aicto.profile.problems import InputError, Problem, problems_from_validation
from aicto.profile.schema import Profile
from aicto.profile.writing import write_atomic

SUFFIX = ".snapshots"
FORMAT = 1
# A snapshot of the longest plan (200 activities) and horizon (36 months) is about 60 KB: a larger file is not one.
MAX_BYTES = 1024 * 1024


class PlannedItem(Frozen):
    id: str
    title: str
    phase: str
    owner: str
    start: dt.date
    end: dt.date


class SnapshotReadiness(Frozen):
    index: float = Field(ge=0, le=100)
    tier: str
    dimensions: dict[str, float]
    blockers: dict[str, str]  # id -> title


class SnapshotPlan(Frozen):
    start: dt.date
    engagement_end: dt.date
    activities: list[PlannedItem]
    milestones: dict[str, dt.date]


class LeverStart(Frozen):
    lever: str
    date: dt.date
    saving: float = Field(ge=0)


class SnapshotBill(Frozen):
    current_monthly: float = Field(ge=0)
    target_monthly: float | None
    levers: list[LeverStart]  # each planned lever's saving from the day its activity is planned done


class SnapshotRoi(Frozen):
    subject: str
    multiple: float | None
    net_value: float
    payback_month: int | None
    value_by_month: list[float]  # the base case's value and cost by engagement month, as promised that day
    cost_by_month: list[float]


class Snapshot(Frozen):
    format: int = FORMAT
    date: dt.date  # a file's is a day of 2000-2099 (read checks it); the engagement as its own baseline may start later
    taken_at: dt.datetime
    client_id: str
    route: str
    answers: dict[str, dict[str, int]]
    readiness: SnapshotReadiness
    plan: SnapshotPlan
    bill: SnapshotBill
    roi: SnapshotRoi


def record(engagement: Engagement, date: dt.date, taken_at: dt.datetime | None = None) -> Snapshot:
    """The engagement's answers and figures as one snapshot; the progress report takes the engagement itself as the
    baseline in this form when no snapshot exists."""
    profile, readiness, roadmap, roi = engagement.profile, engagement.readiness, engagement.roadmap, engagement.roi
    savings = engagement.costs.ai_spend.savings_by_lever
    return Snapshot(
        date=date, taken_at=taken_at or dt.datetime.now(dt.UTC).replace(microsecond=0), client_id=profile.client.id,
        route=engagement.route,
        answers={d: {q: a.score for q, a in qs.items()} for d, qs in profile.readiness.answers.items()},
        readiness=SnapshotReadiness(index=round(readiness.index, 2), tier=readiness.tier,
                                    dimensions={d.id: round(d.score, 3) for d in readiness.dimensions},
                                    blockers={b.id: b.title for b in readiness.blockers}),
        plan=SnapshotPlan(start=roadmap.start, engagement_end=roadmap.engagement_end,
                          activities=[PlannedItem(id=a.id, title=a.activity.title, phase=a.activity.phase,
                                                  owner=a.activity.owner, start=a.start, end=a.end)
                                      for a in roadmap.activities],
                          milestones={m.id: m.date for m in roadmap.milestones}),
        bill=SnapshotBill(current_monthly=round(roadmap.current_monthly, 2),
                          target_monthly=None if roadmap.cost_target_monthly is None
                          else round(roadmap.cost_target_monthly, 2),
                          levers=[LeverStart(lever=lever, date=day, saving=round(savings.get(lever, 0.0), 2))
                                  for lever, day in roadmap.lever_dates.items()]),
        roi=SnapshotRoi(subject=roi.subject,
                        multiple=None if roi.base.multiple is None else round(roi.base.multiple, 3),
                        net_value=round(roi.base.net_value, 2), payback_month=roi.base.payback_month,
                        value_by_month=[round(float(v), 2) for v in roi.flows.total_value],
                        cost_by_month=[round(float(v), 2) for v in roi.flows.cost]),
    )


def folder(profile_path: Path) -> Path:
    """Where a profile's snapshots live: `acme.yaml` -> `acme.snapshots/` beside it."""
    return profile_path.with_name(profile_path.stem + SUFFIX)


def file_of(profile_path: Path, date: dt.date) -> Path:
    """The file of the profile's snapshot of `date`."""
    return folder(profile_path) / f"{date.isoformat()}.json"


def files(profile_path: Path | None) -> list[Path]:
    """The profile's snapshot files, oldest first (named by date)."""
    where = folder(profile_path) if profile_path else None
    return sorted(where.glob("*.json")) if where and where.is_dir() else []


def default_date(profile: Profile) -> dt.date:
    """A snapshot's date unless one is given: the day the profile's reports are dated, else today."""
    return profile.report_day or dt.date.today()


def days(profile: Profile) -> tuple[dt.date, dt.date]:
    """The first and last day a snapshot of this profile may be of."""
    return profile.engagement.start_date or EARLIEST_DATE, profile.report_day or LATEST_DATE


def day_problem(day: dt.date, profile: Profile | None, where: str) -> Problem | None:
    """Why `day` cannot be a snapshot's day of this profile (of any, without one), or None."""
    first, last = days(profile) if profile is not None else (EARLIEST_DATE, LATEST_DATE)
    allowed = f"a day from {first} to {last}: the engagement's start to its report date"
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return Problem(where, f"{day} is not a day of {EARLIEST_DATE.year}-{LATEST_DATE.year}", allowed)
    if day < first:
        return Problem(where, f"{day} is before the engagement's start ({first})", allowed)
    if day > last:
        return Problem(where, f"{day} is after the report date ({last})", allowed)
    return None


def write(engagement: Engagement, profile_path: Path, date: dt.date, replace: bool = False) -> Path:
    """Record a snapshot of `date` beside the profile; an existing one of that date is kept unless `replace`. A day
    outside the engagement is refused (InputError naming the profile and `--date`), and so is a profile without
    readiness answers (before the audit there is nothing to record)."""
    if engagement.provisional:
        raise InputError(str(profile_path), [Problem("readiness", "no readiness answers yet: a snapshot records the "
                                                     "audit's answers and figures", "answer readiness.answers first")])
    if problem := day_problem(date, engagement.profile, "--date"):
        raise InputError(str(profile_path), [problem])
    target = file_of(profile_path, date)
    if target.exists() and not replace:
        raise InputError(str(target), [Problem("(file)", f"a snapshot of {date} exists",
                                               "--replace to record it again, or --date for another day")])
    target.parent.mkdir(parents=True, exist_ok=True)
    snapshot = record(engagement, date)
    write_atomic(target, snapshot.model_dump_json(indent=2) + "\n")
    return target


def _text(path: Path) -> str:
    allowed = "a snapshot written by aicto snapshot"
    try:
        with open_regular(path, "snapshot file") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(str(path), [Problem("(file)", f"larger than {MAX_BYTES // 1024} KB", allowed)])
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), [Problem("(file)", f"cannot be read: {exc.__class__.__name__}",
                                             allowed)]) from None


def read(path: Path, client_id: str, profile: Profile | None = None) -> Snapshot:
    """One snapshot file, checked: valid JSON of this format, of this client, named by its date, and (with the
    profile) of a day of its engagement."""
    allowed = "a snapshot written by aicto snapshot"
    text = _text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), [Problem(f"line {exc.lineno}, column {exc.colno}", f"malformed JSON: {exc.msg}",
                                             allowed)]) from None
    except RecursionError:
        raise InputError(str(path), [Problem("(file)", "nested too deeply", allowed)]) from None
    except ValueError as exc:  # a number of more digits than Python reads
        raise InputError(str(path), [Problem("(file)", f"malformed JSON: {exc}", allowed)]) from None
    if isinstance(data, dict) and data.get("format") != FORMAT:
        raise InputError(str(path), [Problem("format", f"{data.get('format')!r} is not supported",
                                             f"format {FORMAT}")])
    try:
        snapshot = Snapshot.model_validate(data)
    except ValidationError as exc:
        raise InputError(str(path), problems_from_validation(exc, Snapshot)) from None
    problems = []
    if snapshot.client_id != client_id:
        problems.append(Problem("client_id", f"a snapshot of {snapshot.client_id!r}, not of {client_id!r}",
                                "snapshots of the profile's client only"))
    if path.stem != snapshot.date.isoformat():
        problems.append(Problem("date", f"{snapshot.date} does not match the file name {path.name}",
                                "files are named <date>.json"))
    elif problem := day_problem(snapshot.date, profile, "date"):
        problems.append(problem)
    if problems:
        raise InputError(str(path), problems)
    return snapshot


def load(profile_path: Path | None, client_id: str, profile: Profile | None = None) -> list[Snapshot]:
    """Every snapshot of the profile, oldest first; with the profile, each of a day of its engagement."""
    return [read(path, client_id, profile) for path in files(profile_path)]
