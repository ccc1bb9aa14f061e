"""The profile's actuals section: what the client reports back, checked against the playbook and the engagement."""

import datetime as dt

import pytest

from aicto.profile.problems import InputError
from tests.conftest import make_profile

START = {"start_date": dt.date(2027, 1, 11)}


def actuals(**fields):
    return {"as_of": dt.date(2027, 3, 31), **fields}


def problems(**fields) -> list[str]:
    with pytest.raises(InputError) as exc:
        make_profile(engagement=START, actuals=actuals(**fields))
    return [f"{p.path}: {p.message}" for p in exc.value.problems]


def test_short_and_long_forms_of_an_activity():
    profile = make_profile(engagement=START, actuals=actuals(activities={
        "eval_set": dt.date(2027, 2, 10), "tracing": {"started": dt.date(2027, 2, 1)}}))
    reported = profile.actuals.activities
    assert reported["eval_set"].done == dt.date(2027, 2, 10) and reported["eval_set"].started is None
    assert reported["tracing"].started == dt.date(2027, 2, 1) and reported["tracing"].done is None


def test_a_profile_without_actuals_has_none():
    assert make_profile().actuals is None


def test_as_of_is_required():
    with pytest.raises(InputError) as exc:
        make_profile(engagement=START, actuals={"llm_bill": {"2027-02": 100}})
    assert [p.path for p in exc.value.problems] == ["actuals.as_of"]


def test_unknown_ids_get_a_suggestion():
    found = problems(milestones={"handvoer": dt.date(2027, 3, 1)}, activities={"eval_sett": dt.date(2027, 2, 1)})
    assert found == ["actuals.milestones.handvoer: unknown milestone 'handvoer'",
                     "actuals.activities.eval_sett: unknown activity 'eval_sett'"]


def test_the_launch_is_its_own_field():
    assert problems(milestones={"production_launch": dt.date(2027, 3, 1)}) == [
        "actuals.milestones.production_launch: the launch is actuals.launch_date"]


def test_dates_must_lie_between_the_start_and_as_of():
    found = problems(launch_date=dt.date(2027, 4, 1), milestones={"audit_readout": dt.date(2027, 1, 4)},
                     incidents=[{"date": dt.date(2027, 5, 1), "severity": "low", "summary": "x"}])
    assert found == ["actuals.milestones.audit_readout: 2027-01-04 is before the engagement's start (2027-01-11)",
                     "actuals.launch_date: 2027-04-01 is after actuals.as_of (2027-03-31)",
                     "actuals.incidents[0].date: 2027-05-01 is after actuals.as_of (2027-03-31)"]


def test_as_of_before_the_start():
    with pytest.raises(InputError) as exc:
        make_profile(engagement=START, actuals={"as_of": dt.date(2027, 1, 1)})
    assert [p.path for p in exc.value.problems] == ["actuals.as_of"]


@pytest.mark.parametrize(("month", "message"), [
    ("2027-13", "'2027-13' is not a month"), ("27-01", "'27-01' is not a month"),
    ("2027-04", "2027-04 is after actuals.as_of (2027-03-31)"),
    ("2025-12", "2025-12 is more than 12 months before the engagement's start (2027-01-11)"),
])
def test_bill_months(month, message):
    assert problems(llm_bill={month: 100}) == [f"actuals.llm_bill.{month}: {message}"]


def test_bill_history_up_to_a_year_before_the_start_is_allowed():
    profile = make_profile(engagement=START, actuals=actuals(llm_bill={"2026-01": 10.0, "2027-03": 5}))
    assert profile.actuals.llm_bill == {"2026-01": 10.0, "2027-03": 5}


@pytest.mark.parametrize(("fields", "path"), [
    ({"llm_bill": {"2027-02": -1}}, "actuals.llm_bill.2027-02"),
    ({"llm_bill": {"2027-02": 2e9}}, "actuals.llm_bill.2027-02"),
    ({"llm_bill": {"2027-02": True}}, "actuals.llm_bill.2027-02"),
    ({"activities": {"eval_set": {}}}, "actuals.activities.eval_set"),
    ({"activities": {"eval_set": {"started": dt.date(2027, 2, 2), "done": dt.date(2027, 2, 1)}}},
     "actuals.activities.eval_set"),
    ({"incidents": [{"date": dt.date(2027, 2, 1), "severity": "critical", "summary": "x"}]},
     "actuals.incidents[0].severity"),
    ({"incidents": [{"date": dt.date(2027, 2, 1), "severity": "low", "summary": "x" * 301}]},
     "actuals.incidents[0].summary"),
    ({"incidents": [{"date": dt.date(2027, 2, 1), "severity": "low", "summary": "x"}] * 201}, "actuals.incidents"),
    ({"notes": "x"}, "actuals.notes"),
])
def test_bounded_fields(fields, path):
    with pytest.raises(InputError) as exc:
        make_profile(engagement=START, actuals=actuals(**fields))
    assert [p.path for p in exc.value.problems] == [path]


@pytest.mark.parametrize("as_of", [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(2150, 6, 1)])
@pytest.mark.parametrize("start", [START, {}])
def test_every_date_lies_in_the_engagements_world(as_of, start):
    """9999-12-31 and 0001-01-01 overflowed the progress report's bill months; 1900 and 2150 read as nonsense."""
    with pytest.raises(InputError) as exc:
        make_profile(engagement=start, actuals={"as_of": as_of, "launch_date": as_of})
    lines = [f"{p.path}: {p.message}" for p in exc.value.problems]
    bound = "<= 2099-12-31" if as_of.year > 2099 else ">= 2000-01-01"
    assert lines == [f"actuals.as_of: {as_of.isoformat()} is out of range (must be {bound})",
                     f"actuals.launch_date: {as_of.isoformat()} is out of range (must be {bound})"]


@pytest.mark.parametrize("month", ["1999-12", "2100-01"])
def test_bill_months_lie_in_the_engagements_world(month):
    assert problems(llm_bill={month: 100})[0] == f"actuals.llm_bill.{month}: '{month}' is not a month from 2000 " \
        "to 2099"


def test_actuals_run_to_the_report_date_at_most():
    with pytest.raises(InputError) as exc:
        make_profile(engagement={**START, "report_date": dt.date(2027, 3, 15)},
                     actuals=actuals(milestones={"audit_readout": dt.date(2027, 3, 20)}))
    assert [f"{p.path}: {p.describe()}" for p in exc.value.problems] == [
        "actuals.as_of: 2027-03-31 is after the report date (2027-03-15); a date on or before "
        "engagement.report_date: the reports are dated then"]
    dated = make_profile(engagement={**START, "report_date": dt.date(2027, 3, 31)}, actuals=actuals())
    assert dated.report_day == dt.date(2027, 3, 31)


def test_a_profile_without_a_report_date_is_dated_by_its_actuals():
    assert make_profile(engagement=START, actuals=actuals()).report_day == dt.date(2027, 3, 31)
    assert make_profile(engagement=START).report_day is None


@pytest.mark.parametrize("summary", ["bell \a here", "escape \x1b[31m red", "two\nlines", "\u202eevil"])
def test_an_incident_summary_is_one_plain_line(summary):
    found = problems(incidents=[{"date": dt.date(2027, 2, 1), "severity": "low", "summary": summary}])
    assert len(found) == 1 and found[0].startswith("actuals.incidents[0].summary: contains ")
