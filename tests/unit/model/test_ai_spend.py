"""The LLM bill priced per request with genai-prices' bundled data, and the optimisation levers."""

import datetime as dt

import pytest
from genai_prices import Usage, calc_price
from hypothesis import given, settings
from hypothesis import strategies as st

from aicto.model.ai_spend import LEVERS, price_spend, price_workload
from aicto.profile.pricing import RequestTokens, request_price
from aicto.profile.schema import AISpend, Workload

DATE = dt.date(2026, 11, 1)


def rag(**overrides) -> Workload:
    base = dict(feature="RAG assistant", provider="anthropic", model="claude-sonnet-4-5", requests_per_month=100_000,
                input_tokens=6000, output_tokens=400, cacheable_prefix_share=0.6, batchable_share=0.3,
                routable_share=0.5, route_to="claude-haiku-4-5", trimmable_share=0.2, response_cache_share=0.1)
    return Workload(**{**base, **overrides})


def test_published_monthly_bill_case(playbook):
    """$20K a month with the default 40-70% range saves $8K-$14K a month."""
    spend = price_spend(AISpend(monthly_bill=20_000), playbook.costs.ai_spend)
    assert (spend.savings_monthly_low, spend.savings_monthly_high) == pytest.approx((8_000, 14_000))
    assert spend.savings_monthly == pytest.approx(11_000)
    assert sum(spend.savings_by_lever.values()) == pytest.approx(spend.savings_monthly)
    assert spend.mode == "monthly_bill"


def test_naive_vs_optimised_is_2_to_5x_on_a_realistic_workload(playbook):
    spend = price_spend(AISpend(workloads=[rag()]), playbook.costs.ai_spend)
    assert 2 <= spend.current_monthly / spend.optimized_monthly <= 5


def test_current_bill_is_real_price_times_volume():
    w = rag(cacheable_prefix_share=0, batchable_share=0, routable_share=0, trimmable_share=0,
            response_cache_share=0)
    cost = price_workload(w, 0.9, DATE)
    # claude-sonnet-4-5: $3/MTok input, $15/MTok output
    assert cost.current_monthly == pytest.approx(100_000 * (6000 * 3 + 400 * 15) / 1e6)
    assert cost.optimized_monthly == pytest.approx(cost.current_monthly)


def test_long_context_tier_is_priced_per_request():
    """A 250K-token request crosses the 200K tier: the whole request is priced at the tier rate."""
    tokens = RequestTokens(input=250_000, output=1000)
    price = request_price("anthropic", "claude-sonnet-4-5", tokens, False, DATE)
    assert price == pytest.approx((250_000 * 6 + 1000 * 22.5) / 1e6)
    direct = calc_price(Usage(input_tokens=250_000, output_tokens=1000), "claude-sonnet-4-5", provider_id="anthropic",
                        genai_request_timestamp=dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC))
    assert price == pytest.approx(float(direct.total_price))
    # summing tokens across 2 small requests would not cross the tier
    small = request_price("anthropic", "claude-sonnet-4-5", RequestTokens(125_000, 500), False, DATE)
    assert 2 * small < price


def test_batch_lever_uses_the_provider_batch_price():
    w = rag(cacheable_prefix_share=0, batchable_share=1, routable_share=0, trimmable_share=0,
            response_cache_share=0)
    cost = price_workload(w, 0.9, DATE)
    assert cost.savings_by_lever["batch_processing"] == pytest.approx(cost.current_monthly / 2)


def test_caching_uses_cache_read_and_write_prices():
    w = rag(cacheable_prefix_share=0.5, batchable_share=0, routable_share=0, trimmable_share=0,
            response_cache_share=0, input_tokens=10_000, output_tokens=0, requests_per_month=1)
    cost = price_workload(w, 0.9, DATE)
    expected = (5000 * 3 + 4500 * 0.3 + 500 * 3.75) / 1e6
    assert cost.optimized_monthly == pytest.approx(expected)


def test_levers_add_up_without_double_counting(playbook):
    spend = price_spend(AISpend(workloads=[rag(), rag(provider="openai", model="gpt-4.1", route_to="gpt-4.1-mini")]),
                        playbook.costs.ai_spend)
    assert list(spend.savings_by_lever) == list(LEVERS)
    assert sum(spend.savings_by_lever.values()) == pytest.approx(spend.current_monthly - spend.optimized_monthly)
    assert all(v >= 0 for v in spend.savings_by_lever.values())


def test_zero_volume_costs_nothing(playbook):
    spend = price_spend(AISpend(workloads=[rag(requests_per_month=0)]), playbook.costs.ai_spend)
    assert spend.current_monthly == 0 and spend.savings_pct == 0


def test_huge_volume_scales_linearly():
    small = price_workload(rag(requests_per_month=1000), 0.9, DATE)
    huge = price_workload(rag(requests_per_month=10**11), 0.9, DATE)  # the most requests a workload may give
    assert huge.current_monthly == pytest.approx(small.current_monthly * 10**8)
    assert huge.optimized_monthly == pytest.approx(small.optimized_monthly * 10**8)


def test_currency_conversion_of_prices():
    usd = price_workload(rag(), 0.9, DATE)
    eur = price_workload(rag(), 0.9, DATE, fx=0.9)
    assert eur.current_monthly == pytest.approx(usd.current_monthly * 0.9)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_optimised_never_exceeds_current(cache, batch, route, trim, response):
    w = rag(cacheable_prefix_share=cache, batchable_share=batch, routable_share=route, trimmable_share=trim,
            response_cache_share=response)
    cost = price_workload(w, 0.9, DATE)
    assert cost.optimized_monthly <= cost.current_monthly + 1e-9
    assert sum(cost.savings_by_lever.values()) == pytest.approx(cost.current_monthly - cost.optimized_monthly)


def test_what_is_already_cached_is_in_the_current_bill_and_not_saved_again():
    """Half the input already read from the cache: today's bill prices it at cache-read prices, and caching a 50%
    prefix has nothing left to save."""
    plain = dict(batchable_share=0, routable_share=0, trimmable_share=0, response_cache_share=0,
                 input_tokens=10_000, output_tokens=0, requests_per_month=1)
    done = price_workload(rag(**plain, cacheable_prefix_share=0.5, cached_share_now=0.5), 0.9, DATE)
    assert done.current_monthly == pytest.approx((5000 * 3 + 5000 * 0.3) / 1e6)
    assert done.savings_by_lever["prompt_caching"] == pytest.approx(0)
    # a 70% prefix, 50% cached today: the lever caches the other 20% (90% read, 10% written)
    more = price_workload(rag(**plain, cacheable_prefix_share=0.7, cached_share_now=0.5), 0.9, DATE)
    assert more.optimized_monthly == pytest.approx((3000 * 3 + 5000 * 0.3 + 1800 * 0.3 + 200 * 3.75) / 1e6)


def test_what_is_already_batched_is_in_the_current_bill_and_not_saved_again():
    plain = dict(cacheable_prefix_share=0, routable_share=0, trimmable_share=0, response_cache_share=0)
    full = price_workload(rag(**plain, batchable_share=1, batched_share_now=0), 0.9, DATE)
    part = price_workload(rag(**plain, batchable_share=1, batched_share_now=0.4), 0.9, DATE)
    done = price_workload(rag(**plain, batchable_share=0.6, batched_share_now=0.6), 0.9, DATE)
    assert part.current_monthly == pytest.approx(full.current_monthly * (1 - 0.4 / 2))
    assert part.savings_by_lever["batch_processing"] == pytest.approx(full.savings_by_lever["batch_processing"] * 0.6)
    assert part.optimized_monthly == pytest.approx(full.optimized_monthly)
    assert done.savings_by_lever["batch_processing"] == pytest.approx(0)


def test_done_shares_never_make_a_lever_cost_money(playbook):
    spend = price_spend(AISpend(workloads=[rag(cached_share_now=0.8, batched_share_now=0.9),
                                           rag(cached_share_now=0.2, batched_share_now=0.1)]),
                        playbook.costs.ai_spend)
    assert all(v >= -1e-9 for v in spend.savings_by_lever.values())
    assert sum(spend.savings_by_lever.values()) == pytest.approx(spend.current_monthly - spend.optimized_monthly)
def test_every_model_id_genai_prices_lists_is_accepted_and_priced():
    """Ids such as aws `regional.amazon.nova-2-lite-v1:0` are not matched by genai-prices' own match rules; a
    profile naming one exactly must still validate and be priced, not be told the id is unknown."""
    from aicto.profile.pricing import check_model, model_ids

    model = "regional.amazon.nova-2-lite-v1:0"
    assert model in model_ids("aws")
    check_model("aws", model)
    assert request_price("aws", model, RequestTokens(input=1000, output=100), False, DATE) > 0
    workload = rag(provider="aws", model=model, routable_share=0, route_to=None)
    assert price_workload(workload, 0.9, DATE).current_monthly > 0


def test_a_lever_that_would_cost_more_is_left_off():
    """Routing to a dearer model, or caching a prefix that is never read back (hit rate 0: every request pays the
    cache write premium), would show a negative saving: such a lever is not applied."""
    dearer = price_workload(rag(model="claude-haiku-4-5", route_to="claude-sonnet-4-5"), 0.9, DATE)
    assert dearer.savings_by_lever["model_routing"] == 0
    never_read = price_workload(rag(), 0.0, DATE)
    assert never_read.savings_by_lever["prompt_caching"] == 0
    for cost in (dearer, never_read):
        assert min(cost.savings_by_lever.values()) >= 0
        assert cost.current_monthly - cost.optimized_monthly == pytest.approx(sum(cost.savings_by_lever.values()))


def test_cache_tokens_never_exceed_the_input_after_rounding():
    """1.4 prefix tokens, half read and half written, used to round to 1 + 1 cache tokens out of 1 input token: a
    usage genai-prices rightly rejects."""
    w = rag(input_tokens=2, cacheable_prefix_share=0.7, trimmable_share=0.9)
    assert price_workload(w, 0.5, DATE).current_monthly >= 0
