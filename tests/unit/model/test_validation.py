"""The checks a client passes before any model runs that need the models: the plan's start, the bill a profile's
growth makes, and the snapshots kept beside the file (read by `validate` exactly as `run` reads them)."""

import datetime as dt
import shutil

import pytest

from aicto.model.engagement import build_engagement
from aicto.model.validation import load_client, parse_client
from aicto.profile.problems import InputError
from tests.conftest import ROOT, profile_data

START = dt.date(2027, 1, 11)


def problems(data) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_client(data, "p.yaml")
    return info.value.render().splitlines()


def test_holidays_that_push_the_engagement_out_of_its_start_are_refused():
    """366 days off from the start moved the plan to 2028 while the actuals of 2027 were compared with it."""
    year = [START + dt.timedelta(days=i) for i in range(366)]
    assert problems(profile_data(3, engagement={"start_date": START}, roadmap={"holidays": year})) == [
        "p.yaml: roadmap.holidays: the first working day is 2028-01-12, 366 days after the engagement's start "
        "(2027-01-11); days off that leave a working day within 31 days of the start: a later start is "
        "engagement.start_date"]


def test_a_month_off_at_the_start_is_a_real_closure():
    month = [START + dt.timedelta(days=i) for i in range(28)]
    profile = parse_client(profile_data(3, engagement={"start_date": START}, roadmap={"holidays": month}), "p.yaml")
    assert profile.roadmap.holidays == month


@pytest.mark.parametrize(("spend", "problem"), [
    ({"monthly_bill": 1e9, "monthly_growth": 1.0},
     "ai_spend.monthly_growth: +100% a month for 12 months grows the bill from $1B to $4,096B a month (a bill of "
     "at most 1e9 a month once grown: a lower growth, or fewer costs.ai_spend.growth_months)"),
    ({"workloads": [{"feature": "Chat", "provider": "anthropic", "model": "claude-sonnet-4-5",
                     "requests_per_month": 10**11, "input_tokens": 100_000, "output_tokens": 1000}]},
     "ai_spend.workloads: the workloads price at $32B a month (at most 1e9 a month, the largest real LLM bills "
     "being a few million a month: check requests_per_month and the tokens per request)"),
])
def test_a_bill_no_real_client_reaches_is_refused(spend, problem):
    """1e12 a month growing 100% a month printed "$26,116,827,156,365K"."""
    assert problems(profile_data(3, ai_spend=spend)) == [f"p.yaml: {problem}"]


def test_a_real_growing_bill_is_accepted(playbook):
    profile = parse_client(profile_data(3, ai_spend={"monthly_bill": 1e6, "monthly_growth": 0.3}), "p.yaml")
    assert build_engagement(profile, playbook).costs.ai_spend.current_monthly == 1e6


@pytest.fixture
def northwind(tmp_path):
    path = tmp_path / "northwind-analytics.yaml"
    shutil.copyfile(ROOT / "parameters/examples/northwind-analytics.yaml", path)
    shutil.copytree(ROOT / "parameters/examples/northwind-analytics.snapshots",
                    tmp_path / "northwind-analytics.snapshots")
    return path


@pytest.mark.parametrize(("text", "problem"), [
    ('{"date": "2027-01-11", "trunc', "line 1, column 24: malformed JSON: Unterminated string starting at"),
    ("[]", "(top level): expected a mapping of keys to values, got []"),
    ("", "line 1, column 1: malformed JSON: Expecting value"),
    ("[" * 100_000, "(file): nested too deeply"),
])
def test_validation_reads_the_snapshots_a_run_reads(northwind, text, problem):
    snapshot = northwind.with_name("northwind-analytics.snapshots") / "2027-01-11.json"
    snapshot.write_text(text)
    with pytest.raises(InputError) as info:
        load_client(northwind)
    assert info.value.file == str(snapshot)
    assert info.value.render().startswith(f"{snapshot}: {problem}")
