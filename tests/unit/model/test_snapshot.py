"""Snapshots: written beside the profile by the engagement model, read back checked, kept out of git like profiles."""

import datetime as dt
import json
import shutil
import subprocess

import pytest

from aicto.model import snapshot
from aicto.model.engagement import build_engagement
from aicto.model.progress import has_progress
from aicto.model.validation import load_client
from aicto.profile.problems import InputError
from aicto.run.fingerprint import fingerprint
from tests.conftest import EXAMPLES, ROOT

DAY = dt.date(2027, 2, 1)  # harbor-home-goods' start


@pytest.fixture
def harbor(tmp_path, playbook):
    """A copy of an example without snapshots or actuals, and its engagement."""
    path = tmp_path / "harbor-home-goods.yaml"
    shutil.copyfile(ROOT / "parameters" / "examples" / path.name, path)
    profile = load_client(path, playbook)
    return path, build_engagement(profile, playbook)


def test_a_snapshot_records_the_engagement_model(harbor):
    path, e = harbor
    written = snapshot.write(e, path, DAY)
    assert written == path.parent / "harbor-home-goods.snapshots" / "2027-02-01.json"
    (found,) = snapshot.load(path, "harbor-home-goods")
    assert found.date == DAY and found.route == e.route == "agency_or_cofounder"
    assert found.readiness.index == pytest.approx(e.readiness.index, abs=0.01)
    assert found.answers["strategy"] == {q: a.score for q, a in e.profile.readiness.answers["strategy"].items()}
    assert found.plan.milestones == {m.id: m.date for m in e.roadmap.milestones}
    assert [a.id for a in found.plan.activities] == [a.id for a in e.roadmap.activities]
    assert found.bill.current_monthly == pytest.approx(e.costs.ai_spend.current_monthly)
    assert sum(found.roi.value_by_month) == pytest.approx(e.roi.base.total_value, abs=1)
    assert sum(found.roi.cost_by_month) == pytest.approx(e.roi.base.total_cost, abs=1)


def test_levers_start_when_the_plan_has_their_activity_done(playbook):
    e = build_engagement(load_client(ROOT / "parameters/examples/northwind-analytics.yaml", playbook), playbook)
    levers = snapshot.record(e, DAY).bill.levers
    assert {lever.lever: lever.date for lever in levers} == e.roadmap.lever_dates
    assert e.costs.ai_spend.current_monthly - sum(lever.saving for lever in levers) == pytest.approx(
        e.roadmap.cost_target_monthly, abs=0.1)


def test_a_second_snapshot_of_the_same_day_needs_replace(harbor):
    path, e = harbor
    snapshot.write(e, path, DAY)
    with pytest.raises(InputError, match="a snapshot of 2027-02-01 exists"):
        snapshot.write(e, path, DAY)
    snapshot.write(e, path, DAY, replace=True)
    snapshot.write(e, path, DAY + dt.timedelta(days=30))
    assert [p.name for p in snapshot.files(path)] == ["2027-02-01.json", "2027-03-03.json"]


def test_snapshots_make_the_progress_report_apply_and_change_the_fingerprint(harbor, playbook):
    path, e = harbor
    # dated after the start: a report dated before it describes the plan, not progress (test_report_before_start)
    path.write_text(path.read_text().replace("  start_date: 2027-02-01\n",
                                             "  start_date: 2027-02-01\n  report_date: 2027-03-01\n"))
    profile = load_client(path, playbook)
    assert not has_progress(profile)
    before = fingerprint(path, playbook.root, [])
    snapshot.write(e, path, DAY)
    assert has_progress(profile)
    assert fingerprint(path, playbook.root, []) != before


@pytest.mark.parametrize(("edit", "problem"), [
    (lambda text: text[:-5], "malformed JSON"),
    (lambda text: text.replace('"format": 1', '"format": 7'), "format: 7 is not supported"),
    (lambda text: text.replace('"client_id": "harbor-home-goods"', '"client_id": "acme"'),
     "client_id: a snapshot of 'acme', not of 'harbor-home-goods'"),
    (lambda text: text.replace('"date": "2027-02-01"', '"date": "2027-02-02"'),
     "date: 2027-02-02 does not match the file name 2027-02-01.json"),
    (lambda text: text.replace('"route"', '"routes"'), "unknown key 'routes'"),
])
def test_a_broken_snapshot_is_a_clear_input_error(harbor, edit, problem):
    path, e = harbor
    written = snapshot.write(e, path, DAY)
    written.write_text(edit(written.read_text()))
    with pytest.raises(InputError) as exc:
        snapshot.load(path, "harbor-home-goods")
    assert exc.value.file == str(written)
    assert problem in exc.value.render()


def test_example_snapshots_are_valid_and_committed():
    found = {p.stem: snapshot.load(p, p.stem) for p in EXAMPLES}
    assert [s.date.isoformat() for s in found["northwind-analytics"]] == ["2027-01-11", "2027-02-22"]
    assert [s.date.isoformat() for s in found["cortex-labs"]] == ["2027-01-18"]
    for path in snapshot.files(ROOT / "parameters/examples/northwind-analytics.yaml"):
        assert json.loads(path.read_text())["format"] == snapshot.FORMAT
        tracked = subprocess.run(["git", "ls-files", "--error-unmatch", str(path)], cwd=ROOT, capture_output=True)
        assert tracked.returncode == 0, f"{path.name} is not committed"


@pytest.mark.parametrize(("day", "problem"), [
    (dt.date(1900, 1, 1), "1900-01-01 is not a day of 2000-2099"),
    (dt.date(9999, 12, 31), "9999-12-31 is not a day of 2000-2099"),
    (dt.date(2027, 1, 31), "2027-01-31 is before the engagement's start (2027-02-01)"),
])
def test_a_snapshot_outside_the_engagement_is_refused_and_nothing_written(harbor, day, problem):
    """A snapshot of 1900, 9999 or before the start was written and became the baseline."""
    path, e = harbor
    with pytest.raises(InputError) as exc:
        snapshot.write(e, path, day)
    allowed = "a day from 2027-02-01 to 2099-12-31: the engagement's start to its report date"
    joined = f"; {allowed}" if problem.endswith(")") else f" ({allowed})"  # never two brackets in a row
    assert exc.value.render() == f"{path}: --date: {problem}{joined}"
    assert not snapshot.folder(path).exists()


def test_a_snapshot_after_the_report_date_is_refused(tmp_path, playbook):
    path = tmp_path / "northwind-analytics.yaml"
    shutil.copyfile(ROOT / "parameters/examples/northwind-analytics.yaml", path)
    e = build_engagement(load_client(path, playbook), playbook)
    assert snapshot.default_date(e.profile) == dt.date(2027, 3, 31)  # no report_date: dated by its actuals
    with pytest.raises(InputError, match=r"--date: 2027-04-01 is after the report date \(2027-03-31\)"):
        snapshot.write(e, path, dt.date(2027, 4, 1))
    written = snapshot.write(e, path, dt.date(2027, 3, 31))
    moved = written.with_name("2027-04-02.json")
    moved.write_text(written.read_text().replace('"date": "2027-03-31"', '"date": "2027-04-02"'))
    with pytest.raises(InputError) as exc:
        load_client(path, playbook)  # what run reads, validate reads
    assert exc.value.render() == (f"{moved}: date: 2027-04-02 is after the report date (2027-03-31); a day from "
                                  "2027-01-11 to 2027-03-31: the engagement's start to its report date")
