"""The optional `roadmap:` section of a client profile: capacity, holidays and the consultant's choices."""

import datetime as dt

import pytest

from aicto.model.roadmap import client_capacity
from aicto.model.validation import parse_client
from aicto.profile.problems import InputError
from tests.conftest import make_profile, profile_data


def _problems(data) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_client(data, "p.yaml")
    return info.value.render().splitlines()


def test_section_is_optional_and_defaults_come_from_the_playbook(playbook):
    profile = make_profile(3)
    assert profile.roadmap is None
    assert client_capacity(profile, playbook.roadmap.capacity) == {
        "fractional_cto": 2, "client_engineers": 10, "product": 1, "leadership": 0.5}  # 4 of 5 engineers at half


def test_section_overrides_capacity_and_lists_holidays(playbook):
    profile = make_profile(3, roadmap={"capacity": {"client_engineers": 3, "leadership": 0},
                                       "holidays": ["2027-04-05"], "include": ["citations_ux"]})
    assert profile.roadmap.holidays == [dt.date(2027, 4, 5)]
    capacity = client_capacity(profile, playbook.roadmap.capacity)
    assert capacity["client_engineers"] == 3 and capacity["leadership"] == 0 and capacity["product"] == 1


def test_unknown_keys_suggest_the_right_one():
    data = profile_data(3, roadmap={"capacty": {"product": 1}, "holidays": ["2027-04-05"]})
    assert _problems(data) == ["p.yaml: roadmap.capacty: unknown key 'capacty' (did you mean 'capacity'? allowed: "
                               "capacity, exclude, holidays, include)"]
    data = profile_data(3, roadmap={"capacity": {"engineers": 2}})
    assert _problems(data)[0].startswith("p.yaml: roadmap.capacity.engineers: unknown key 'engineers' (did you mean "
                                         "'client_engineers'?")


def test_bad_values_are_named():
    data = profile_data(3, roadmap={"capacity": {"product": -1}, "holidays": ["Easter"]})
    assert _problems(data) == [
        "p.yaml: roadmap.capacity.product: -1 is out of range (must be >= 0); product person-days per week; default 1",
        "p.yaml: roadmap.holidays[0]: expected a date like 2027-01-04, got 'Easter'"]


def test_activity_ids_are_checked_against_the_library():
    data = profile_data(3, roadmap={"include": ["eval_sett", "model_routing", "cost_review"],
                                    "exclude": ["handover", "red_team", "model_routing"]})
    assert _problems(data) == [
        "p.yaml: roadmap.include[0]: unknown activity 'eval_sett' (did you mean 'eval_set'? ids from "
        "playbook/roadmap/activities.yaml)",
        "p.yaml: roadmap.include[2]: 'cost_review' is planned by the engagement method (cannot include: discovery, "
        "architecture_review, audit_readout, architecture_decisions, launch_review, handover, cost_review)",
        "p.yaml: roadmap.exclude[0]: 'handover' is planned by the engagement method (cannot exclude: discovery, "
        "architecture_review, audit_readout, architecture_decisions, launch_review, handover, cost_review)",
        "p.yaml: roadmap.exclude[2]: 'model_routing' is also in roadmap.include (include or exclude, not both)"]
