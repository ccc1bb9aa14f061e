"""From read usage to the profile's workloads, history and growth: full months, scaling, matching the workloads a
profile already has, the priced history and the comparison with an export's own cost."""

import datetime as dt
import json

import pytest

from aicto.profile.problems import InputError
from aicto.profile.schema import Workload
from aicto.usage.aggregate import ModelMap, Usage
from aicto.usage.formats import detect
from aicto.usage.months import full_months, monthly_growth
from aicto.usage.plan import Settings, plan
from aicto.usage.source import ExportFile
from tests.conftest import ROOT, make_profile

USAGE = ROOT / "tests" / "fixtures" / "usage"
TODAY = dt.date(2026, 11, 26)
PRICE_DATE = dt.date(2026, 11, 1)
UTC = dt.UTC


def read(*names, models=None):
    usage, models = Usage(), models or ModelMap()
    for name in names:
        source = ExportFile(USAGE / name)
        usage.read(source, detect(source), models)
    return usage, models


def read_file(path):
    usage, models = Usage(), ModelMap()
    source = ExportFile(path)
    usage.read(source, detect(source), models)
    return usage, models


def settings(*names, fx=1.0, requests=None):
    return Settings(list(names), TODAY, PRICE_DATE, fx, requests or {})


def profile(*workloads, **spend):
    return make_profile(ai_spend={"workloads": list(workloads), **spend} if workloads else
                        {"monthly_bill": 5000, **spend})


def test_full_months_need_every_format_to_cover_both_ends():
    day = dt.timedelta(days=1)
    sep, oct_ = (2026, 9), (2026, 10)
    buckets = {sep: [dt.datetime(2026, 9, 1, tzinfo=UTC), dt.datetime(2026, 10, 1, tzinfo=UTC)],
               oct_: [dt.datetime(2026, 10, 1, tzinfo=UTC), dt.datetime(2026, 10, 31, tzinfo=UTC)]}
    assert full_months({"openai_usage": buckets}) == [sep]  # October's last day is missing
    logs = {sep: [dt.datetime(2026, 9, 1, 7, tzinfo=UTC), dt.datetime(2026, 9, 30, 2, tzinfo=UTC)]}
    assert full_months({"litellm": logs}) == [sep]
    late = {sep: [dt.datetime(2026, 9, 1, tzinfo=UTC) + 2 * day, dt.datetime(2026, 9, 30, 23, tzinfo=UTC)]}
    assert full_months({"openai_usage": buckets, "litellm": late}) == []


def test_growth_is_the_log_linear_trend_of_the_monthly_bill():
    assert monthly_growth({(2026, 8): 100, (2026, 9): 110, (2026, 10): 121}) == pytest.approx(0.10)
    assert monthly_growth({(2026, 11): 50, (2026, 12): 40, (2027, 1): 32}) == pytest.approx(-0.20)
    assert monthly_growth({(2026, 9): 100, (2026, 10): 0, (2026, 11): 100}) == pytest.approx(0.0)
    assert monthly_growth({(2026, 10): 100}) is None


def test_openai_export_gives_the_last_full_month_as_new_workloads():
    usage, models = read("openai-completions.jsonl")
    result = plan(usage, models, profile(), settings("openai-completions.jsonl"))
    support, summaries = (next(w for w in result.workloads if w.values["model"] == m) for m in ("gpt-4o",
                                                                                              "gpt-4.1-mini"))
    assert support.index is None and support.feature == "proj_support / gpt-4o"
    # October: 27 days with usage of 1,100 requests each (every 7th day is quiet)
    assert {k: support.values[k] for k in ("requests_per_month", "input_tokens", "output_tokens",
                                           "cached_share_now", "batched_share_now")} == {
        "requests_per_month": 29_700, "input_tokens": 3000, "output_tokens": 300, "cached_share_now": 0.4,
        "batched_share_now": 0.0}
    assert (summaries.values["requests_per_month"], summaries.values["batched_share_now"]) == (14_850, 0.8)
    assert summaries.values["source"] == {
        "files": ["openai-completions.jsonl"], "imported_on": TODAY, "month": "2026-10", "group": "proj_summaries",
        "models": ["gpt-4.1-mini", "gpt-4.1-mini-2025-04-14"],
        "fields": ["requests_per_month", "input_tokens", "output_tokens", "cached_share_now", "batched_share_now"]}
    assert summaries.values["cacheable_prefix_share"] == 0.0  # judgements start at 0 on a new workload
    assert result.drop_monthly_bill


def test_history_is_the_full_months_priced_with_list_prices_and_growth_follows():
    usage, models = read("openai-completions.jsonl")
    result = plan(usage, models, profile(), settings("openai-completions.jsonl"))
    months = {e["month"] for e in result.history}
    assert months == {"2026-09", "2026-10"}  # August starts on the 18th: partial, left out
    gpt4o_sep = next(e for e in result.history if e["month"] == "2026-09" and e["model"] == "gpt-4o")
    # 26 days x 1,000 requests: gpt-4o at $2.50 input, $1.25 cached input, $10 output per million tokens
    assert gpt4o_sep == {"month": "2026-09", "provider": "openai", "model": "gpt-4o", "requests": 26_000,
                         "input_tokens": 78_000_000, "output_tokens": 7_800_000,
                         "cost": round((78e6 - 31.2e6) * 2.5e-6 + 31.2e6 * 1.25e-6 + 7.8e6 * 10e-6, 2)}
    total = {m: sum(e["cost"] for e in result.history if e["month"] == m) for m in months}
    assert result.monthly_growth == round(total["2026-10"] / total["2026-09"] - 1, 3)


def test_history_cost_is_in_the_clients_currency():
    usage, models = read("openai-completions.jsonl")
    usd = plan(usage, models, profile(), settings("x")).history
    eur = plan(usage, models, profile(), settings("x", fx=0.9)).history
    assert [e["cost"] for e in eur] == [round(e["cost"] * 0.9, 2) for e in usd]


def test_anthropic_tokens_without_requests_need_a_request_count():
    usage, models = read("anthropic-messages.json")
    with pytest.raises(InputError) as err:
        plan(usage, models, profile(), settings("anthropic-messages.json"))
    assert err.value.render() == (
        "anthropic-messages.json: workload 'wrkspc_01SupportAssist / claude-sonnet-4-5': the export counts tokens "
        "but not requests (give --requests 'wrkspc_01SupportAssist / claude-sonnet-4-5=N' with its requests per "
        "month)")
    result = plan(usage, models, profile(), settings(
        "anthropic-messages.json", requests={"wrkspc_01SupportAssist / claude-sonnet-4-5": 155_000}))
    (w,) = result.workloads
    assert w.values["requests_per_month"] == 155_000
    assert w.values["input_tokens"] == round(31 * 4_900_000 / 155_000)
    assert w.values["cached_share_now"] == round(1_450_000 / 4_900_000, 3)
    assert w.values["batched_share_now"] == round(900_000 / 4_900_000, 3)  # by tokens: no request counts
    assert w.values["source"]["fields"] == ["input_tokens", "output_tokens", "cached_share_now",
                                            "batched_share_now"]
    (month,) = result.history
    daily = 2.4e6 * 3 + 150e3 * 3.75 + 1.45e6 * 0.3 + 450e3 * 15 + (900e3 * 3 + 120e3 * 15) / 2
    assert month["requests"] is None and month["cost"] == pytest.approx(31 * daily / 1e6, abs=0.01)


TYPED = {"feature": "Support assistant", "provider": "anthropic", "model": "claude-sonnet-4-5",
         "requests_per_month": 200_000, "input_tokens": 7000, "output_tokens": 450, "cacheable_prefix_share": 0.6,
         "routable_share": 0.4, "route_to": "claude-haiku-4-5"}


@pytest.mark.parametrize("typed_model", ["claude-sonnet-4-5", "claude-sonnet-4-5-20250929"])
def test_a_hand_typed_workload_is_adopted_keeping_its_judgements_and_requests(typed_model):
    usage, models = read("anthropic-messages.json")
    result = plan(usage, models, profile({**TYPED, "model": typed_model}), settings("anthropic-messages.json"))
    (w,) = result.workloads
    assert (w.index, w.feature) == (0, "Support assistant")
    assert w.values["requests_per_month"] == 200_000  # the report has no request counts: the judgement stays
    assert "cacheable_prefix_share" not in w.values and "route_to" not in w.values
    assert not result.drop_monthly_bill


def test_a_previously_imported_workload_is_found_again_by_group_and_model():
    usage, models = read("openai-completions.jsonl")
    renamed = {"feature": "Support bot", "provider": "openai", "model": "gpt-4o", "requests_per_month": 1,
               "input_tokens": 1, "output_tokens": 1, "cacheable_prefix_share": 0.7,
               "source": {"files": ["old.jsonl"], "imported_on": "2026-10-02", "group": "proj_support",
                          "fields": ["requests_per_month"]}}
    other = {**renamed, "feature": "Other project", "source": {**renamed["source"], "group": "proj_other"}}
    result = plan(usage, models, profile(renamed, other), settings("openai-completions.jsonl"))
    support = next(w for w in result.workloads if w.values["model"] == "gpt-4o")
    assert (support.index, support.feature, support.values["requests_per_month"]) == (0, "Support bot", 29_700)
    assert "kept from an earlier import: 'Other project' (openai/gpt-4o) - the export has this model too: remove " \
           "it if the export covers it" in result.notes


def test_without_a_full_month_the_days_covered_scale_to_a_month():
    usage, models = read("litellm-spend-logs.json")
    result = plan(usage, models, profile(), settings("litellm-spend-logs.json"))
    # 24 calls, one every 3 hours: 69 hours covered
    scale = (365.2425 / 12) / (69 / 24)
    by_model = {w.values["model"]: w.values for w in result.workloads}
    assert by_model["gpt-4o-mini"]["requests_per_month"] == round(16 * scale)
    assert by_model["claude-haiku-4-5"]["requests_per_month"] == round(8 * scale)
    assert (by_model["gpt-4o-mini"]["input_tokens"], by_model["gpt-4o-mini"]["output_tokens"]) == (1200, 180)
    assert by_model["gpt-4o-mini"]["cached_share_now"] == round(512 / 1200, 3)
    assert "batched_share_now" not in by_model["gpt-4o-mini"]  # the logs do not say
    assert by_model["gpt-4o-mini"]["source"]["month"] is None
    assert result.history is None and result.monthly_growth is None


def test_a_gap_between_the_exports_own_cost_and_the_priced_bill_is_reported():
    usage, models = read("litellm-spend-logs.json")
    notes = plan(usage, models, profile(), settings("x")).notes
    gaps = [n for n in notes if n.startswith("cost gap")]
    assert len(gaps) == 1  # gpt-4o-mini's spend is the list price; the proxy charged 25% more for haiku
    assert gaps[0].startswith("cost gap: anthropic/claude-haiku-4-5: the export's own cost $0.029, priced $0.023 "
                              "(-20.0%)")


def test_history_of_other_months_and_providers_is_kept():
    usage, models = read("openai-completions.jsonl")
    older = [{"month": "2026-07", "provider": "openai", "model": "gpt-4o", "input_tokens": 1, "output_tokens": 1,
              "cost": 200.0},
             {"month": "2026-09", "provider": "anthropic", "model": "claude-sonnet-4-5", "input_tokens": 1,
              "output_tokens": 1, "cost": 50.0},
             {"month": "2026-09", "provider": "openai", "model": "gpt-4-turbo", "input_tokens": 1,
              "output_tokens": 1, "cost": 999.0}]
    result = plan(usage, models, profile(history=older), settings("x"))
    keys = [(e["month"], e["provider"], e["model"]) for e in result.history]
    assert ("2026-07", "openai", "gpt-4o") in keys and ("2026-09", "anthropic", "claude-sonnet-4-5") in keys
    assert ("2026-09", "openai", "gpt-4-turbo") not in keys  # September's OpenAI bill is measured again


def test_growth_beyond_the_profiles_bounds_is_capped_and_said(tmp_path):
    rows = []
    for month, calls, last in ((9, 1, 30), (10, 4, 31)):
        for day in (1, 15, last):
            rows += [{"model": "gpt-4o", "custom_llm_provider": "openai", "prompt_tokens": 1000,
                      "completion_tokens": 100, "startTime": f"2026-{month:02d}-{day:02d}T12:00:00Z"}] * calls
    path = tmp_path / "logs.json"
    path.write_text(json.dumps(rows))
    usage, models = read_file(path)
    result = plan(usage, models, profile(), settings("logs.json"))
    assert result.monthly_growth == 1.0
    assert "the bill grew +300.0% a month; the profile takes -50% to +100%" in result.notes


def test_profile_accepts_what_the_import_writes():
    w = Workload(**{**TYPED, "cached_share_now": 0.3, "batched_share_now": 0.1, "source": {
        "files": ["a.json"], "imported_on": TODAY, "month": "2026-10", "group": None, "models": ["x"],
        "fields": ["input_tokens", "cached_share_now"]}})
    assert w.source.fields == ["input_tokens", "cached_share_now"]
    with pytest.raises(InputError) as err:
        make_profile(ai_spend={"monthly_bill": 1, "monthly_growth": 1.5, "history": [
            {"month": "2026-13", "provider": "openai", "model": "gpt-4o", "input_tokens": 1, "output_tokens": 1,
             "cost": 1}]})
    assert err.value.render() == (
        "test.yaml: ai_spend.monthly_growth: 1.5 is out of range (must be <= 1); growth of the LLM bill per month "
        "as a fraction, e.g. 0.25; set by `aicto import-usage` from the export's full months\n"
        "test.yaml: ai_spend.history[0].month: '2026-13' is not allowed (YYYY-MM)")


def test_a_last_full_month_without_usage_leaves_the_workloads_alone(tmp_path):
    result_ = {"object": "organization.usage.completions.result", "input_tokens": 10, "output_tokens": 5,
               "input_cached_tokens": 0, "num_model_requests": 1, "model": "gpt-4o"}
    days = [dt.datetime(2026, 8, 1, tzinfo=UTC) + dt.timedelta(days=d) for d in range(61)]  # August, September
    buckets = [{"object": "bucket", "start_time": int(day.timestamp()), "end_time": int(day.timestamp()) + 86_400,
                "results": [result_] if day.month == 8 else []} for day in days]
    path = tmp_path / "quiet.json"
    path.write_text(json.dumps({"object": "page", "data": buckets}))
    usage, models = read_file(path)
    result = plan(usage, models, profile(), settings("quiet.json"))
    assert (result.workloads, result.drop_monthly_bill) == ([], False)
    assert [e["month"] for e in result.history] == ["2026-08"]
    assert "no usage in the period the workloads describe: workloads left as they are" in result.notes


def test_requests_for_a_feature_the_export_does_not_have_are_refused():
    usage, models = read("anthropic-messages.json")
    with pytest.raises(InputError) as err:
        plan(usage, models, profile(TYPED), settings("a.json", requests={"Suport assistant": 5}))
    assert err.value.render() == ("a.json: --requests 'Suport assistant': names no workload of the export (did you "
                                  "mean 'Support assistant'? allowed: Support assistant)")
