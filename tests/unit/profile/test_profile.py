import pytest

from aicto.model.validation import load_client, parse_client
from aicto.profile.problems import InputError
from tests.conftest import EXAMPLES, profile_data


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_valid(path, playbook):
    profile = load_client(path, playbook)
    assert profile.client.id == path.stem


def test_short_and_long_answers_are_equivalent():
    data = profile_data(3)
    data["readiness"]["answers"]["team"]["capacity"] = {"score": 3, "note": "half the team"}
    profile = parse_client(data, "x.yaml")
    assert profile.score("team", "capacity") == 3
    assert profile.readiness.answers["team"]["capacity"].note == "half the team"


def test_sections_for_later_deliverables_default():
    profile = parse_client(profile_data(3), "x.yaml")
    assert profile.engagement.days_per_week == 2
    assert profile.situation.stalled_pilot is False


def _problems(data) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_client(data, "p.yaml")
    return info.value.render().splitlines()


def test_all_problems_reported_at_once():
    data = profile_data(3, team={"engineers": -1, "ai_experience": "lots", "loaded_cost_per_engineer": "x"})
    lines = _problems(data)
    assert len(lines) == 3
    assert all(line.startswith("p.yaml: team.") for line in lines)


def test_unknown_top_level_section_suggests():
    data = profile_data(3)
    data["situaton"] = data.pop("situation")
    assert _problems(data) == [
        "p.yaml: situaton: unknown key 'situaton' (did you mean 'situation'? allowed: actuals, ai_spend, client, "
        "costs, engagement, readiness, roadmap, roi, situation, team, value)"]


@pytest.mark.parametrize("slug", ["a/b", "..", "Acme", "acme corp", "-acme", "acme-", "a" * 70, ""])
def test_client_id_must_be_a_safe_slug(slug):
    data = profile_data(3, client={"id": slug})
    assert _problems(data)[0].startswith("p.yaml: client.id: ")


@pytest.mark.parametrize("slug", ["acme", "acme-corp", "a1", "x"])
def test_safe_slugs_accepted(slug):
    assert parse_client(profile_data(3, client={"id": slug}), "p.yaml").client.id == slug


def test_booleans_are_not_numbers():
    data = profile_data(3, team={"engineers": True})
    assert _problems(data) == ["p.yaml: team.engineers: expected a whole number, got True "
                               "(software engineers employed by the client, 0 or more)"]


def test_engineers_at_no_cost_are_refused_naming_the_field():
    with pytest.raises(InputError) as info:
        parse_client(profile_data(3, team={"engineers": 12, "ai_experience": "moderate",
                                            "loaded_cost_per_engineer": 0}), "p.yaml")
    assert info.value.render() == ("p.yaml: team.loaded_cost_per_engineer: 0 a year for 12 engineers (at least 1: "
                                   "one engineer's salary, taxes and benefits; less only with 0 engineers)")
    parse_client(profile_data(3, team={"engineers": 0, "ai_experience": "none", "loaded_cost_per_engineer": 0}),
                  "p.yaml")


@pytest.mark.parametrize("value", ["yes", 1, "true", 0.0])
def test_yes_and_1_are_not_booleans(value):
    data = profile_data(3, situation={"stalled_pilot": value})
    assert _problems(data) == [f"p.yaml: situation.stalled_pilot: expected true or false, got {value!r} "
                               "(a pilot or prototype exists but has not reached production)"]


@pytest.mark.parametrize(("text", "problem"), [
    ("\u200b", "has nothing visible; give some text"),
    ("\u200b\u200d\ufeff ", "has nothing visible; give some text"),
    ("Acme\u202eevil", "contains a bidirectional override (U+202E)"),
    ("\u2066Acme\u2069", "contains a bidirectional override (U+2066)"),
])
def test_a_name_is_visible_text_without_direction_overrides(text, problem):
    assert _problems(profile_data(3, client={"name": text})) == [
        f"p.yaml: client.name: {problem}" + ("; " if problem.endswith(")") else " (")
        + "the client's display name, one line" + ("" if problem.endswith(")") else ")")]


@pytest.mark.parametrize("name", ["Ünal & Söhne", "شركة الرياض", "株式会社アクメ", "O\u2019Brien Ltd"])
def test_names_in_any_script_are_accepted(name):
    assert parse_client(profile_data(3, client={"name": name}), "p.yaml").client.name == name
