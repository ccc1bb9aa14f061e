"""The profile's JSON Schema for editors (playbook/profile.schema.json) and the reference made from it
(docs/profile-reference.md): both up to date, and the schema agreeing with the models on what a profile may hold."""

import copy
import datetime as dt
import json

import jsonschema
import pytest

from aicto.model.validation import parse_client
from aicto.profile.json_schema import EDITOR_LINE, SCHEMA_FILE, editor_line, profile_schema, schema_text
from aicto.profile.playbook import DEFAULT_ROOT, load_playbook
from aicto.profile.problems import InputError
from aicto.profile.reference import reference_text
from aicto.profile.yamlio import read_yaml_mapping
from tests.conftest import BAD_PROFILES, EXAMPLES, ROOT, profile_data

SHIPPED = ROOT / "playbook" / SCHEMA_FILE
REFERENCE = ROOT / "docs" / "profile-reference.md"
# Bad fixtures only `aicto validate` refuses: rules across fields that the schema does not state.
VALIDATE_ONLY = {"lever_shares_sum": "the lever shares add up to 1 once merged with the playbook's",
                 "actuals_after_report": "actuals.as_of is not after engagement.report_date (two fields)",
                 "bill_grows_out_of_reach": "the bill, grown at the profile's rate, stays in reach (the model's)",
                 "corrupt_snapshot": "the snapshots beside the profile are read as run reads them",
                 "holidays_push_start": "the days off leave a working day near the start (the calendar's)"}
WORKLOAD = {"feature": "Assistant", "provider": "anthropic", "model": "claude-sonnet-4-5", "requests_per_month": 1000,
            "input_tokens": 1000, "output_tokens": 100}


@pytest.fixture(scope="module")
def schema():
    return profile_schema(load_playbook(DEFAULT_ROOT))


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def as_an_editor_sees_it(data):
    """YAML as an editor's schema check sees it: a date is a string (YAML 1.2 has no date type)."""
    if isinstance(data, dict):
        return {as_an_editor_sees_it(k): as_an_editor_sees_it(v) for k, v in data.items()}
    if isinstance(data, list):
        return [as_an_editor_sees_it(v) for v in data]
    return data.isoformat() if isinstance(data, dt.date) else data


def schema_errors(validator, data) -> list[str]:
    """Every error, with those inside an `anyOf` (an optional section: the mapping, or null)."""
    def messages(errors):
        for e in errors:
            yield f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            yield from messages(e.context)
    return list(messages(validator.iter_errors(as_an_editor_sees_it(data))))


# -- the shipped files -------------------------------------------------------------------------------------------------

def test_the_shipped_schema_is_what_aicto_schema_writes_now():
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(load_playbook(DEFAULT_ROOT)), (
        "playbook/profile.schema.json is out of date: run `aicto schema --out playbook/profile.schema.json` "
        "(or `make schema`) and commit it")


def test_the_reference_is_what_aicto_schema_writes_now(schema):
    assert REFERENCE.read_text(encoding="utf-8") == reference_text(schema), (
        "docs/profile-reference.md is out of date: run `aicto schema --reference docs/profile-reference.md` "
        "(or `make schema`) and commit it")


def test_the_schema_text_is_the_same_every_time():
    playbook = load_playbook(DEFAULT_ROOT)
    text = schema_text(playbook)
    assert text == schema_text(playbook) and text.endswith("}\n") and text.startswith('{\n  "$defs": {\n    ')
    assert json.loads(text) == profile_schema(playbook)


def test_every_example_names_the_shipped_schema_relative_to_itself():
    for path in EXAMPLES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"{EDITOR_LINE}../../playbook/{SCHEMA_FILE}", path.name
        assert (path.parent / first.removeprefix(EDITOR_LINE)).resolve() == SHIPPED


def test_a_client_file_in_parameters_names_the_schema_one_folder_up():
    assert editor_line(ROOT / "parameters" / "acme.yaml", SHIPPED) == f"{EDITOR_LINE}../playbook/{SCHEMA_FILE}"
    assert editor_line(ROOT / "parameters" / "examples" / "x.yaml", SHIPPED) == \
        f"{EDITOR_LINE}../../playbook/{SCHEMA_FILE}"


# -- what editors need -------------------------------------------------------------------------------------------------

def test_a_draft_2020_12_schema_with_an_id_and_a_title(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] and schema["description"]


def _fields(schema):
    """(path, field schema) of every property, in every model and every inline mapping (not in the conditions of an
    if/then/else, which restate fields)."""
    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                yield f"{path}.{key}", value
            for key, value in node.items():
                if key not in ("if", "then", "else"):
                    yield from walk(value, f"{path}.{key}" if key != "properties" else path)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, path)
    return list(walk(schema, ""))


def test_every_field_has_a_title_and_a_description(schema):
    fields = _fields(schema)
    assert len(fields) > 150
    assert [p for p, f in fields if not f.get("title") or not f.get("description")] == []


def test_the_form_labels_are_the_titles(schema):
    client = schema["$defs"]["Client"]["properties"]
    assert client["id"]["title"] == "Client ID" and client["fx_per_usd"]["title"] == "Exchange rate"
    assert schema["properties"]["ai_spend"]["title"] == "AI spend"
    assert schema["$defs"]["Team"]["properties"]["ai_experience"]["title"] == "AI experience"
    assert schema["$defs"]["Workload"]["properties"]["route_to"]["title"] == "Route to model"


def test_units_are_in_the_descriptions_editors_show(schema):
    fx = schema["$defs"]["Client"]["properties"]["fx_per_usd"]
    assert fx["unit"] == "{currency} per USD" and fx["description"].endswith("(unit: currency per USD)")
    days = schema["$defs"]["Engagement"]["properties"]["days_per_week"]
    assert days["description"] == "fractional CTO days per week, 0.5-5 (unit: days/week)"


def test_every_mapping_refuses_keys_it_does_not_know(schema):
    mappings = [n for _, n in _fields({"properties": {"": schema}}) if "properties" in n]
    mappings += [d for d in schema["$defs"].values() if "properties" in d]
    assert mappings and all(m.get("additionalProperties") is False for m in mappings)


def test_choices_bounds_and_dates_are_stated(schema):
    defs = schema["$defs"]
    assert defs["Team"]["properties"]["ai_experience"]["enum"] == ["none", "limited", "moderate", "strong"]
    days = defs["Engagement"]["properties"]["days_per_week"]
    assert (days["minimum"], days["maximum"]) == (0.5, 5)
    start = defs["Engagement"]["properties"]["start_date"]["anyOf"][0]
    assert start["type"] == "string" and start["format"] == "date"
    salary = defs["FullTimeAssumptionsOverride"]["properties"]["salary"]
    assert salary["anyOf"][0] == {"$ref": "#/$defs/MoneyRange"}
    assert defs["MoneyRange"]["anyOf"][0]["type"] == "number"  # the short form: one number


# -- the schema and the models agree -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_matches_the_schema(path, validator):
    assert schema_errors(validator, read_yaml_mapping(path)) == []


ACCEPTED = {
    "minimal": {},
    "answers_with_notes": {"readiness": None},
    "other_currency": {"client": {"id": "test-client", "name": "Test Client", "industry": "Testing",
                                  "currency": "EUR", "fx_per_usd": 0.92, "country": "DE", "subdivision": "BY"}},
    "engagement": {"engagement": {"start_date": dt.date(2027, 1, 4), "report_date": dt.date(2027, 2, 1),
                                  "days_per_week": 1.5, "weeks": 10, "horizon_months": 36, "paper_size": "Letter"}},
    "workloads": {"ai_spend": {"workloads": [{**WORKLOAD, "routable_share": 0.3, "route_to": "claude-haiku-4-5",
                                              "cacheable_prefix_share": 0.6, "monthly_growth": 0.05}],
                               "monthly_growth": 0.1}},
    "monthly_bill": {"ai_spend": {"monthly_bill": 12000}, "value": {"monthly_value": 50000, "wrong_decisions": 2}},
    "overrides": {"costs": {"leadership": {"fractional": {"day_rate": 1500, "days_per_week": {"low": 1, "high": 2}}},
                            "ai_spend": {"price_date": dt.date(2026, 11, 1)}},
                  "roi": {"delivery_slip": {"low": 0.1, "high": 0.4, "source": "client profile"},
                          "monte_carlo": {"draws": 1000}}},
    "roadmap": {"roadmap": {"capacity": {"product": 2}, "holidays": [dt.date(2027, 4, 5)], "include": ["red_team"]}},
    "actuals": {"engagement": {"start_date": dt.date(2027, 1, 4)},
                "actuals": {"as_of": dt.date(2027, 3, 1), "llm_bill": {"2027-01": 8400},
                            "milestones": {"audit_readout": dt.date(2027, 1, 22)},
                            "activities": {"discovery": dt.date(2027, 1, 15),
                                           "eval_set": {"started": dt.date(2027, 2, 1)}},
                            "incidents": [{"date": dt.date(2027, 2, 10), "severity": "low", "summary": "A slow day"}]}},
}


def accepted(name):
    data = profile_data(3, **{k: v for k, v in ACCEPTED[name].items() if v is not None})
    if name == "answers_with_notes":
        data["readiness"]["answers"]["strategy"]["use_case_defined"] = {"score": 4, "note": "a brief\nand an owner"}
    return data


@pytest.mark.parametrize("name", ACCEPTED)
def test_profiles_the_models_accept_match_the_schema(name, validator):
    data = accepted(name)
    parse_client(copy.deepcopy(data), "p.yaml")
    assert schema_errors(validator, data) == []


def score(value):
    data = profile_data(3)
    data["readiness"]["answers"]["strategy"]["use_case_defined"] = value
    return data


REFUSED = {
    "unknown key": (profile_data(3, team={"enginers": 5}), "Additional properties are not allowed ('enginers' was"),
    "wrong choice": (profile_data(3, team={"ai_experience": "expert"}), "'expert' is not one of"),
    "out of range": (profile_data(3, engagement={"days_per_week": 6}), "6 is greater than the maximum of 5"),
    "score of 0": (score(0), "0 is less than the minimum of 1"),
    "score as true": (score(True), "True is not of type 'integer'"),
    "share above 1": (profile_data(3, costs={"ai_spend": {"realisation": {"low": 0.5, "high": 1.5}}}),
                      "1.5 is greater than the maximum of 1"),
    "no exchange rate": (profile_data(3, client={"currency": "EUR"}), "'fx_per_usd' is a required property"),
    "unknown activity": (profile_data(3, roadmap={"include": ["red_teem"]}), "'red_teem' is not one of"),
    "text for a number": (profile_data(3, value={"monthly_value": "90000"}), "'90000' is not of type 'number'"),
    "a date past 2099": (profile_data(3, engagement={"start_date": dt.date(2100, 1, 4)}), "does not match '^20"),
    "a line break in a name": (profile_data(3, client={"name": "A\nB"}), "does not match"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_profiles_the_models_refuse_are_refused_by_the_schema_too(case, validator):
    data, message = REFUSED[case]
    with pytest.raises(InputError):
        parse_client(copy.deepcopy(data), "p.yaml")
    errors = schema_errors(validator, data)
    assert any(message in e for e in errors), errors


def _mapping(path):
    """The fixture as a YAML editor would hand it to the schema; None when the YAML reader refuses it first."""
    try:
        return read_yaml_mapping(path)
    except InputError:
        return None


# Fixtures the YAML reader refuses before any schema (alias bombs, bad syntax) are the reader's tests, not these.
SCHEMA_FIXTURES = [p for p in sorted(BAD_PROFILES.glob("*.yaml")) if _mapping(p) is not None]


def test_some_fixtures_reach_the_schema():
    assert len(SCHEMA_FIXTURES) > 20


@pytest.mark.parametrize("path", SCHEMA_FIXTURES, ids=lambda p: p.stem)
def test_bad_fixtures_are_refused_by_the_schema_unless_only_validate_can_tell(path, validator):
    errors = schema_errors(validator, _mapping(path))
    if path.stem in VALIDATE_ONLY:
        assert errors == [], f"the schema now refuses {path.stem}: take it off VALIDATE_ONLY"
    else:
        assert errors, f"{path.name} passes the JSON Schema"


# -- the reference -----------------------------------------------------------------------------------------------------

def test_the_reference_has_a_section_and_a_row_per_field(schema):
    text = reference_text(schema)
    for section in schema["properties"]:
        assert f"\n## {section}\n" in text
    assert ("| `client.fx_per_usd` | number | 0.01 to 1,000; unit: currency per USD |  | no | **Exchange rate**: "
            in text)
    assert "| `engagement.horizon_months` | integer | one of `12`, `24`, `36`; unit: months | `24` | no |" in text
    assert "| `ai_spend.workloads[].feature` | text |" in text
    assert "| `readiness.answers.strategy.use_case_defined` | integer, or {score, note} | 1 to 5 |" in text


def test_the_reference_lists_the_playbook_keys_an_override_replaces(schema):
    text = reference_text(schema)
    costs = text[text.index("\n## costs\n"):text.index("\n## ai_spend\n")]
    assert "overrides of playbook/costs/assumptions.yaml" in costs
    assert ("| `costs.leadership.full_time.salary` | number, or {low, high, source} | 0 to 1e10; "
            "unit: currency/year |") in costs
    playbook_keys = json.dumps(load_playbook(DEFAULT_ROOT).costs.model_dump(mode="json", exclude={"sources"}))
    for key in ("months_to_hire", "weeks_per_wrong_decision", "cache_hit_rate", "prompt_caching"):
        assert key in playbook_keys and f".{key}` |" in costs
    roi = text[text.index("\n## roi\n"):text.index("\n## actuals\n")]
    assert "overrides of playbook/roi/assumptions.yaml" in roi and "| `roi.monte_carlo.draws` | integer | 100 to" in roi


def test_the_shipped_schema_gives_the_same_reference(schema):
    """The reference reads only the schema: the shipped file's JSON gives the committed text."""
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert reference_text(shipped) == reference_text(schema)
