"""One engagement, one story: every figure two outputs show is the same figure, for every example client.

The outputs are the four HTML reports, the board pack, summary.json, portfolio.csv, roadmap.csv and the calendar.
"""

import csv
import datetime as dt
import html
import io
import json

import icalendar
import pytest

from aicto.present.headlines import present
from aicto.run.portfolio import render_csv, rows
from tests.shown_money import shows


def summaries(example_runs):
    return {cid: json.loads(run.summary.read_text(encoding="utf-8")) for cid, run in example_runs.items()}


def text(path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


def test_the_route_is_the_same_everywhere(example_runs):
    for cid, s in summaries(example_runs).items():
        route = s["readiness"]["recommendation"]
        assert s["engagement"]["route"] == s["roadmap"]["route"] == s["roi"]["route"] == route, cid
        assert s["engagement"]["roi_subject"] == s["roi"]["subject"]


def test_headlines_in_the_pack_are_the_summarys(example_runs, playbook):
    for cid, run in example_runs.items():
        s = json.loads(run.summary.read_text(encoding="utf-8"))
        pack = text(run.pack)
        for label, shown in present(s, playbook):  # every headline the summary has
            assert shown in pack, f"{cid}: {label} {shown!r} not in the board pack"
        assert s["roi"]["subject"] in text(run.reports["roi"])


def test_roi_figures_in_the_roi_report_and_the_cost_report(example_runs):
    for cid, run in example_runs.items():
        s = json.loads(run.summary.read_text(encoding="utf-8"))
        roi = s["roi"]
        roi_html, costs_html = text(run.reports["roi"]), text(run.reports["costs"])
        for figure in (roi["net_value"], roi["total_value"], -roi["total_cost"]):
            assert shows(roi_html, figure), f"{cid}: {figure} not in roi.html"
        assert f"{roi['multiple']:.1f}x" in roi_html
        # the cost report's route table shows the same options at the same figures as the ROI
        for option in roi["alternatives"].values():
            assert shows(costs_html, option["net_value"]), cid
        assert sum(roi["value_by_source"].values()) == pytest.approx(roi["total_value"], abs=0.05)
        assert sum(roi["cost_by_source"].values()) == pytest.approx(roi["total_cost"], abs=0.05)


def test_roadmap_files_and_the_engagement_window_agree(example_runs):
    for run in example_runs.values():
        s = json.loads(run.summary.read_text(encoding="utf-8"))
        roadmap, engagement = s["roadmap"], s["engagement"]
        table = list(csv.DictReader((run.folder / "roadmap.csv").open(encoding="utf-8", newline="")))
        assert [(r["ID"], r["Start date"], r["Due date"]) for r in table] == [
            (a["id"], a["start"], a["end"]) for a in roadmap["activities"]]
        cal = icalendar.Calendar.from_ical((run.folder / "roadmap-milestones.ics").read_bytes())
        assert {e.decoded("dtstart").isoformat() for e in cal.walk("VEVENT")} == set(roadmap["milestones"].values())
        assert roadmap["engagement_end"] == engagement["end"] and roadmap["start"] == engagement["start"]
        cto = [a for a in roadmap["activities"] if a["owner"] == "fractional_cto"]
        assert all(dt.date.fromisoformat(a["end"]) <= dt.date.fromisoformat(engagement["end"]) for a in cto)
        assert sum(a["effort_days"] for a in cto) == pytest.approx(engagement["cto_days_planned"])
        page = text(run.reports["roadmap"])
        assert f"{engagement['cto_days_planned']:g} of {engagement['cto_days_paid']:g}" in page


def test_portfolio_csv_carries_the_summarys_figures(example_runs):
    out_root = next(iter(example_runs.values())).folder.parent
    found = list(csv.DictReader(io.StringIO(render_csv(rows(out_root, {})))))
    by_id = {r["client_id"]: r for r in found}
    for cid, s in summaries(example_runs).items():
        row = by_id[cid]
        assert row["roi.subject"] == s["roi"]["subject"]
        assert float(row["roi.multiple"]) == s["roi"]["multiple"]
        assert row["readiness.recommendation"] == s["readiness"]["recommendation"]
        assert row["checks"] == "; ".join(f"{c['code']} ({c['field']})" for c in s["checks"])
