"""Checks for the consultant: implausible results are raised with the input to look at, never silently."""

from aicto.model.checks import consultant_checks
from aicto.model.engagement import build_engagement
from tests.conftest import make_profile


def codes(profile, playbook) -> dict[str, str]:
    return {c.code: c.field for c in consultant_checks(build_engagement(profile, playbook), playbook.checks)}


def test_a_huge_bill_for_a_small_team_is_raised(playbook):
    """The issue's case: a $5M/month bill for 8 engineers."""
    profile = make_profile(3, team={"engineers": 8, "ai_experience": "limited", "loaded_cost_per_engineer": 150000},
                           ai_spend={"monthly_bill": 5_000_000}, engagement={"start_date": "2027-01-04"})
    found = codes(profile, playbook)
    assert found["bill_high_for_team"] == "ai_spend"
    assert found["roi_multiple_high"] == "ai_spend"  # the saving is most of the value


def test_a_value_out_of_scale_with_the_team_is_raised(playbook):
    profile = make_profile(3, value={"monthly_value": 5_000_000}, engagement={"start_date": "2027-01-04"})
    assert codes(profile, playbook)["value_high_for_team"] == "value.monthly_value"


def test_a_plain_client_raises_nothing_and_a_tight_plan_raises_its_weeks(playbook):
    plain = make_profile(3, value={"monthly_value": 30_000, "wrong_decisions": 1}, ai_spend={"monthly_bill": 8_000},
                         engagement={"start_date": "2027-01-04"})
    assert codes(plain, playbook) == {}
    tight = make_profile(3, engagement={"start_date": "2027-01-04", "weeks": 3, "days_per_week": 0.5})
    assert codes(tight, playbook)["plan_does_not_fit"] == "engagement.weeks"


def test_checks_are_never_in_the_board_reports(playbook):
    """The views never render a check: the board sees the figures, the consultant the doubts."""
    import pathlib

    import aicto.present.views

    views = sorted(pathlib.Path(aicto.present.views.__file__).parent.glob("*.py"))
    assert len(views) > 5
    assert not any("consultant_checks" in p.read_text() for p in views)
