"""The roadmap's files for issue trackers and calendars, parsed back as a tracker or a calendar would."""

import csv
import datetime as dt
import io

import icalendar
import pytest

from aicto.model.roadmap import plan_roadmap
from aicto.present.deliverables import REGISTRY
from aicto.present.roadmap_export import CSV_COLUMNS, CSV_FILE, ICS_FILE, roadmap_exports
from aicto.present.spreadsheet import safe_cell
from aicto.text.spelling import respell
from tests.conftest import make_profile

PROFILE = make_profile(2, client={"id": "exp-co", "name": "Exp & Co", "industry": "Retail", "currency": "EUR",
                                  "fx_per_usd": 0.92},
                       engagement={"start_date": "2027-01-04", "report_date": "2027-01-15"},
                       ai_spend={"monthly_bill": 20000})


@pytest.fixture(scope="module")
def files(playbook):
    return roadmap_exports(PROFILE, playbook)


@pytest.fixture(scope="module")
def roadmap(playbook):
    return plan_roadmap(PROFILE, playbook)


def test_csv_has_one_importable_row_per_activity(files, roadmap):
    rows = list(csv.DictReader(io.StringIO(files[CSV_FILE])))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["ID"] for r in rows] == [a.id for a in roadmap.activities]
    ids = {r["ID"] for r in rows}
    for row, planned in zip(rows, roadmap.activities, strict=True):
        assert row["Summary"] == respell(planned.activity.title, "en-US")  # the practice's spelling, as the HTML
        assert dt.date.fromisoformat(row["Start date"]) <= dt.date.fromisoformat(row["Due date"])
        assert row["Due date"] == planned.end.isoformat()
        assert "Deliverable: " in row["Description"] and "Definition of done: " in row["Description"]
        assert row["Owner role"] in {"Fractional CTO", "Client engineers", "Product", "Leadership"}
        labels = row["Labels"].split(",")
        assert f"phase-{planned.activity.phase}" in labels and all(" " not in label for label in labels)
        deps = [d for d in row["Dependencies"].split(",") if d]
        assert set(deps) <= ids and deps == list(planned.depends_on)
        assert float(row["Estimate days"]) == planned.activity.effort_days


def test_csv_marks_blockers_and_savings(files, roadmap):
    rows = {r["ID"]: r for r in csv.DictReader(io.StringIO(files[CSV_FILE]))}
    eval_set = rows["eval_set"]
    assert "blocker-no-evaluation" in eval_set["Labels"].split(",")
    assert "Clears launch blocker: No systematic evaluation" in eval_set["Description"]
    assert "Saves €" in rows["prompt_caching"]["Description"] and "lever-prompt-caching" in rows["prompt_caching"][
        "Labels"]


def test_cells_that_look_like_formulas_stay_text():
    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_cell("-1") == "'-1" and safe_cell("plain") == "plain"
    assert safe_cell(-1.5) == -1.5  # a number stays a number


def test_ics_parses_back_with_one_event_per_milestone(files, roadmap):
    cal = icalendar.Calendar.from_ical(files[ICS_FILE])
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(roadmap.milestones) == 5
    for event, milestone in zip(events, roadmap.milestones, strict=True):
        assert event.decoded("dtstart") == milestone.date
        assert event.decoded("dtend") == milestone.date + dt.timedelta(days=1)
        assert str(event["summary"]) == f"Exp & Co: {respell(milestone.title, 'en-US')}"
        assert str(event["uid"]) == f"exp-co-{milestone.id}@aicto"
    assert str(cal["prodid"]) and str(cal["version"]) == "2.0"


def test_exports_are_deterministic(files, playbook):
    assert roadmap_exports(PROFILE, playbook) == files


def test_deliverable_writes_exports_and_refuses_paths(tmp_path, playbook):
    deliverable = REGISTRY["roadmap"]
    written = deliverable.write_exports(tmp_path, PROFILE, playbook)
    assert sorted(p.name for p in written) == sorted([CSV_FILE, ICS_FILE])
    assert (tmp_path / CSV_FILE).read_text(encoding="utf-8").startswith("ID,Summary,")
    assert icalendar.Calendar.from_ical((tmp_path / ICS_FILE).read_bytes())
    bad = type(deliverable)("x", "x.ipynb", "X", deliverable.summarize, exports=lambda p, b: {"../evil.csv": ""})
    with pytest.raises(ValueError, match="plain file name"):
        bad.write_exports(tmp_path, PROFILE, playbook)
    assert REGISTRY["readiness"].write_exports(tmp_path, PROFILE, playbook) == []
