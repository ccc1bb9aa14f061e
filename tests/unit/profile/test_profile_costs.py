"""Validation of the cost sections of a profile: workloads, bills, overrides, currencies."""

import pytest

from aicto.model.validation import parse_client
from aicto.profile.problems import InputError
from tests.conftest import profile_data

WORKLOAD = {"feature": "Assistant", "provider": "anthropic", "model": "claude-sonnet-4-5", "requests_per_month": 1000,
            "input_tokens": 1000, "output_tokens": 100}


def problems(**sections) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_client(profile_data(3, **sections), "p.yaml")
    return info.value.render().splitlines()


def test_unknown_model_names_the_closest_known_models():
    assert problems(ai_spend={"workloads": [{**WORKLOAD, "model": "claude-sonet-4-5"}]}) == [
        "p.yaml: ai_spend.workloads[0].model: unknown model 'claude-sonet-4-5' for provider 'anthropic'; "
        "closest known: claude-sonnet-4-5, claude-sonnet-5-5, claude-sonnet-4-6 (a model id known to genai-prices "
        "for that provider, e.g. claude-sonnet-4-5)"]


def test_unknown_provider():
    [line] = problems(ai_spend={"workloads": [{**WORKLOAD, "provider": "antropic"}]})
    assert line.startswith("p.yaml: ai_spend.workloads[0].provider: unknown provider 'antropic'; closest: anthropic")


def test_unknown_route_target():
    [line] = problems(ai_spend={"workloads": [{**WORKLOAD, "routable_share": 0.3, "route_to": "claude-haiku-9"}]})
    assert "ai_spend.workloads[0].route_to: unknown model 'claude-haiku-9'" in line


def test_routing_needs_a_target():
    [line] = problems(ai_spend={"workloads": [{**WORKLOAD, "routable_share": 0.3}]})
    assert line == "p.yaml: ai_spend.workloads[0]: routable_share > 0 needs route_to: the cheaper model to route to"


def test_shares_are_fractions():
    [line] = problems(ai_spend={"workloads": [{**WORKLOAD, "batchable_share": 1.5}]})
    assert line == ("p.yaml: ai_spend.workloads[0].batchable_share: 1.5 is out of range (must be <= 1); "
                    "share of requests that could wait for the provider's batch API (the batch processing lever), "
                    "0 to 1")


def test_negative_volume_and_bill():
    lines = problems(ai_spend={"workloads": [{**WORKLOAD, "requests_per_month": -5}]})
    assert lines[0].startswith("p.yaml: ai_spend.workloads[0].requests_per_month: -5 is out of range (must be >= 0)")
    assert problems(ai_spend={"monthly_bill": -1})[0].startswith("p.yaml: ai_spend.monthly_bill: -1 is out of range")


def test_bill_and_workloads_are_exclusive():
    msg = "give either workloads (priced per request) or monthly_bill, not both or neither"
    assert problems(ai_spend={"workloads": [WORKLOAD], "monthly_bill": 100}) == [f"p.yaml: ai_spend: {msg}"]
    assert problems(ai_spend={}) == [f"p.yaml: ai_spend: {msg}"]


def test_override_keys_are_checked():
    [line] = problems(costs={"leadership": {"fractional": {"day_rat": 1500}}})
    assert line.startswith("p.yaml: costs.leadership.fractional.day_rat: unknown key 'day_rat' "
                           "(did you mean 'day_rate'?")


def test_override_range_order():
    [line] = problems(costs={"leadership": {"fractional": {"days_per_week": {"low": 3, "high": 1}}}})
    assert line == ("p.yaml: costs.leadership.fractional.days_per_week: low (3) must not exceed high (1); "
                    "days a week a fractional CTO gives one client; a number, or {low: number, high: number}; "
                    "days a week, 0 to 7")


def test_other_currency_needs_an_exchange_rate():
    [line] = problems(client={"currency": "EUR"})
    assert line == "p.yaml: client: fx_per_usd is required when currency is EUR (units of EUR per 1 USD, e.g. 0.92)"


def test_realisation_is_a_share_range():
    """The ROI's base case realises the middle of the range, its best case the high end (at most all of it)."""
    assert problems(costs={"ai_spend": {"realisation": {"low": 0.6, "high": 1.5}}}) == [
        "p.yaml: costs.ai_spend.realisation.high: 1.5 is out of range (must be <= 1); a fraction, 0 to 1"]
    parse_client(profile_data(3, costs={"ai_spend": {"realisation": {"low": 0.2, "high": 0.9}}}), "p.yaml")


def test_lever_shares_must_still_add_up_to_1_once_merged():
    assert problems(costs={"ai_spend": {"lever_shares": {"model_routing": 0.9}}}) == [
        "p.yaml: costs.ai_spend.lever_shares: lever shares must add up to 1, they add up to 1.55"]
