"""A report dated a few days before kickoff (the proposal, the assessment) is normal practice: such a profile
validates, as a profile without report_date (dated today, before a future start) always did. Its reports describe the
plan from the start date; no progress report is dated before the engagement it reports on (issue 25)."""

import datetime as dt

import pytest
import yaml

from aicto.model import snapshot
from aicto.model.engagement import build_engagement
from aicto.model.progress import has_progress, progress
from aicto.model.validation import load_client
from aicto.present.deliverables import applicable
from aicto.present.report import ReportHeader
from aicto.profile.problems import InputError
from tests.conftest import ROOT, make_profile, profile_data
from tests.unit.profile.test_one_rule import finite_numbers

START, REPORT = dt.date(2027, 1, 11), dt.date(2027, 1, 8)  # the dates of the refused client files
BEFORE = {"start_date": START, "report_date": REPORT}
SECTIONS = {"answers": {"evaluation.eval_dataset": 1}, "engagement": BEFORE, "value": {"monthly_value": 50000},
            "ai_spend": {"monthly_bill": 20000}}


def test_a_report_dated_before_the_start_validates():
    profile = make_profile(3, **SECTIONS)
    assert (profile.engagement.start_date, profile.engagement.report_date) == (START, REPORT)


def test_the_plan_starts_at_kickoff_and_the_reports_are_dated_the_report_date(playbook):
    profile = make_profile(3, **SECTIONS)
    e = build_engagement(profile, playbook)
    assert e.start == e.roadmap.start == START
    assert min(a.start for a in e.roadmap.activities) >= START
    assert all(m.date >= START for m in e.roadmap.milestones)
    assert finite_numbers([e.readiness, e.costs, e.roi, e.roadmap]) == []
    assert ReportHeader.for_profile("ROI", profile, playbook).report_date == "January 8, 2027"


def test_the_example_dated_before_its_start_runs_the_same_plan(playbook):
    """The same client, its report moved from after the start to before it: the plan, costs and ROI do not move."""
    data = yaml.safe_load((ROOT / "parameters/examples/northwind-analytics.yaml").read_text())
    data.pop("actuals", None)
    start = dt.date.fromisoformat(str(data["engagement"]["start_date"]))
    after, before = (build_engagement(make_profile(3, **{**data, "engagement": {**data["engagement"],
                                                                                 "report_date": day}}), playbook)
                     for day in (start + dt.timedelta(days=3), start - dt.timedelta(days=3)))
    assert before.roadmap.activities == after.roadmap.activities
    assert before.roi.base == after.roi.base


def test_a_report_before_kickoff_has_no_progress_report(tmp_path, playbook):
    """Before the start there is no progress to report, and no snapshot to take (a snapshot lies in the engagement,
    issue 26); the baseline is taken on the first day, and a later report compares with it."""
    path = tmp_path / "acme.yaml"
    plain = {k: v for k, v in SECTIONS.items() if k != "answers"}
    path.write_text(yaml.safe_dump(profile_data(3, **plain), sort_keys=False))
    profile = load_client(path, playbook)
    with pytest.raises(InputError, match="before the engagement's start"):
        snapshot.write(build_engagement(profile, playbook), path, REPORT)
    assert not snapshot.folder(path).exists() or not any(snapshot.folder(path).iterdir())
    assert not has_progress(profile)
    assert "progress" not in applicable(profile)
    later = tmp_path / "later.yaml"
    later.write_text(yaml.safe_dump(profile_data(3, **{**plain, "engagement": {
        "start_date": START, "report_date": START + dt.timedelta(days=30)}}), sort_keys=False))
    later_profile = load_client(later, playbook)
    snapshot.write(build_engagement(later_profile, playbook), later, START)
    assert has_progress(load_client(later, playbook))


def test_progress_as_of_before_the_start_counts_nothing_and_nothing_negative(playbook):
    e = build_engagement(make_profile(3, **SECTIONS), playbook)
    p = progress(e, [], playbook)
    assert p.as_of == REPORT
    assert p.roi.months == 0 and p.roi.promised_value == 0 and p.roi.promised_cost == 0
    assert [(b.month, b.actual) for b in p.bill] == [("2027-01", None)]  # the start's month, nothing reported
    assert {a.state for a in p.activities} == {"not_due"}
    assert {m.state for m in p.milestones} == {"upcoming"}
    assert {pt.actual for pt in p.burn_up()} == {None}
    assert all(pt.planned >= 0 for pt in p.burn_up())
