"""The roadmap as files the team works from: a CSV for issue trackers and an iCalendar file of the milestones.

The CSV has one row per activity with a header row Jira's, Linear's and GitHub's importers can map (Summary,
Description, Start date, Due date, ...). The calendar is written with the maintained `icalendar` library, with
stable UIDs, so re-importing an updated plan moves the milestones instead of duplicating them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import icalendar

from aicto.model.ai_spend import LEVER_NAMES
from aicto.model.engagement import build_engagement
from aicto.model.roadmap import PlannedActivity, Roadmap
from aicto.present.spreadsheet import safe_cell
from aicto.profile.activities import ROLE_NAMES
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile
from aicto.text.money import money
from aicto.text.spelling import respell
from aicto.text.words import count

CSV_FILE = "roadmap.csv"
ICS_FILE = "roadmap-milestones.ics"
CSV_COLUMNS = ("ID", "Summary", "Description", "Start date", "Due date", "Owner role", "Labels", "Dependencies",
               "Estimate days")
PRODID = "-//aicto//60-90 day roadmap//EN"


def roadmap_exports(profile: Profile, playbook: Playbook) -> dict[str, str | bytes]:
    """The files written beside roadmap.html (the roadmap deliverable's export hook)."""
    roadmap = build_engagement(profile, playbook).roadmap
    return {CSV_FILE: roadmap_csv(roadmap, profile, playbook),
            ICS_FILE: milestones_ics(roadmap, profile, playbook.brand.locale)}


def labels(planned: PlannedActivity) -> list[str]:
    act = planned.activity
    out = ["aicto-roadmap", f"phase-{act.phase}", f"owner-{act.owner}"]
    out += [f"milestone-{act.milestone}"] if act.milestone else []
    out += [f"blocker-{b}" for b in planned.blockers] + [f"lever-{lever}" for lever in act.addresses.levers]
    return [label.replace("_", "-") for label in out]


def description(planned: PlannedActivity, profile: Profile, playbook: Playbook) -> str:
    act = planned.activity
    lines = [act.why, "", f"Deliverable: {act.deliverable}", f"Definition of done: {act.done_when}",
             f"Effort: {count(act.effort_days, 'person-day')} ({ROLE_NAMES[act.owner]})"]
    titles = {b.id: b.title for b in playbook.scoring.blockers}
    if planned.blockers:
        lines.append(f"Clears launch blocker: {'; '.join(titles[b] for b in planned.blockers)}")
    if planned.gaps:
        lines.append(f"Works on readiness gaps: {', '.join(planned.gaps)}")
    if planned.savings_monthly > 0:
        levers = ", ".join(LEVER_NAMES[lever] for lever in act.addresses.levers)
        saves = money(planned.savings_monthly, profile.client.currency, playbook.brand.locale)
        lines.append(f"Saves {saves} a month ({levers})")
    if act.milestone:
        lines.append(f"Milestone: {playbook.roadmap.milestones[act.milestone].title}")
    return "\n".join(lines)


def roadmap_csv(roadmap: Roadmap, profile: Profile, playbook: Playbook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    locale = playbook.brand.locale  # one spelling in every output: the HTML's, the CSV's and the calendar's
    for a in roadmap.activities:
        writer.writerow([safe_cell(v) for v in (
            a.id, respell(a.activity.title, locale), respell(description(a, profile, playbook), locale),
            a.start.isoformat(),
            a.end.isoformat(), ROLE_NAMES[a.activity.owner], ",".join(labels(a)), ",".join(a.depends_on),
            f"{a.activity.effort_days:g}")])
    return buffer.getvalue()


def milestones_ics(roadmap: Roadmap, profile: Profile, locale: str) -> bytes:
    """All-day events, one per milestone; DTSTAMP is the report date so the same plan gives the same file."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{profile.client.name}: AI roadmap milestones")
    stamp = dt.datetime.combine(profile.report_day or roadmap.start, dt.time(), dt.UTC)
    for m in roadmap.milestones:
        event = icalendar.Event()
        event.add("uid", f"{profile.client.id}-{m.id}@aicto")
        event.add("dtstamp", stamp)
        event.add("dtstart", m.date)
        event.add("dtend", m.date + dt.timedelta(days=1))
        event.add("summary", f"{profile.client.name}: {respell(m.title, locale)}")
        event.add("description", respell(m.meaning, locale))
        event.add("categories", ["AI roadmap", "Milestone"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
