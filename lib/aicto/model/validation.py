"""The one validation step for a client: the schema's checks, then those that need the models.

`aicto validate`, `run`, `batch`, `import-usage` and the consultant's form all read a client through here, so what one
accepts the others accept. The schema (aicto.profile.schema) stands alone; the route's plan needs the readiness
assessment, the client's capacity and the planner, which sit in this layer.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from aicto.model.capacity import client_capacity
from aicto.model.readiness import assess
from aicto.model.roadmap import too_little_time
from aicto.profile.playbook import Playbook, load_playbook
from aicto.profile.problems import InputError, Problem, suggest
from aicto.profile.schema import Profile, parse_profile, read_profile, resolve_profile_path
from aicto.profile.upgrade import upgrade_file
from aicto.profile.yamlio import parse_yaml_mapping


def roadmap_problems(profile: Profile, playbook: Playbook) -> list[Problem]:
    """Activity ids must exist in the library; the engagement method plans the audit and the milestones itself;
    every role the route's milestones need has some time, enough for them to fit the longest engagement."""
    route = assess(profile, playbook).fit.recommendation
    library = playbook.roadmap
    capacity = client_capacity(profile, library.capacity)
    problems = []
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


def parse_client(data: dict[str, Any], source: str, playbook: Playbook | None = None) -> Profile:
    """A client profile from a mapping, every check passed; InputError lists the problems of the first failing step."""
    playbook = playbook or load_playbook()
    profile = parse_profile(data, source, playbook)
    if problems := roadmap_problems(profile, playbook):
        raise InputError(source, problems)
    return profile


def load_client(path: str | Path, playbook: Playbook | None = None) -> Profile:
    """A client profile from its file, every check passed; its problems name the file as the user wrote it, and
    `aicto upgrade FILE` where an upgrade step would fix them (a file written for an earlier release)."""
    playbook = playbook or load_playbook()
    try:
        profile = read_profile(path, playbook)
        if problems := roadmap_problems(profile, playbook):
            raise InputError(str(resolve_profile_path(path)), problems)
    except InputError as exc:
        raise name_upgrade(exc, resolve_profile_path(path), playbook) from None
    return profile


def name_upgrade(error: InputError, path: Path, playbook: Playbook) -> InputError:
    """The file's problems, those that `aicto upgrade` would fix saying so instead of what is allowed:
    `FILE: path: problem (run: aicto upgrade FILE)`. A file that cannot be read or parsed is left as it is (and not
    read again: a hostile file is refused once)."""
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
