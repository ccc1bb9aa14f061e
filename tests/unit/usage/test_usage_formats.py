"""Reading usage exports: each format's fixture (field names as the providers' API references document them),
format detection, model-name mapping to genai-prices ids, and bad files with exact messages."""

import datetime as dt
import gzip
import json

import pytest

from aicto.profile.pricing import UnknownModel, find_model
from aicto.profile.problems import InputError
from aicto.usage.aggregate import ModelMap, Usage
from aicto.usage.formats import FORMATS, detect
from aicto.usage.records import UsageRecord
from aicto.usage.source import MAX_PROBLEMS, ExportFile
from tests.conftest import ROOT

USAGE = ROOT / "tests" / "fixtures" / "usage"


def records(name: str) -> list[UsageRecord]:
    source = ExportFile(USAGE / name)
    items = [i for i in detect(source).read(source) if isinstance(i, UsageRecord)]
    source.finish()
    return items


def read(*paths) -> Usage:
    usage = Usage()
    for path in paths:
        source = ExportFile(path)
        usage.read(source, detect(source), ModelMap())
    return usage


@pytest.mark.parametrize(("name", "fmt"), [
    ("openai-completions.jsonl", "openai_usage"), ("anthropic-messages.json", "anthropic_usage"),
    ("litellm-spend-logs.json", "litellm"), ("otel-collector.jsonl", "otel"), ("otel-console.jsonl", "otel"),
])
def test_each_fixture_is_recognised(name, fmt):
    assert detect(ExportFile(USAGE / name)).name == fmt


def test_openai_buckets_give_requests_tokens_cache_and_batch():
    rows = records("openai-completions.jsonl")
    first = rows[0]
    assert first == UsageRecord(dt.datetime(2026, 8, 18, tzinfo=dt.UTC), "openai", "gpt-4o-2024-08-06",
                                "proj_support", 1000, 3_000_000, 1_200_000, 0, 300_000, False, None)
    assert {(r.model, r.batch) for r in rows} == {("gpt-4o-2024-08-06", False), ("gpt-4.1-mini-2025-04-14", True),
                                                  ("gpt-4.1-mini", False)}


def test_anthropic_report_adds_cache_reads_and_writes_to_input_and_counts_no_requests():
    rows = records("anthropic-messages.json")
    standard, batch = rows[0], rows[1]
    assert standard.input_tokens == 2_400_000 + 150_000 + 1_450_000
    assert (standard.cache_read_tokens, standard.cache_write_tokens) == (1_450_000, 150_000)
    assert standard.requests is None and standard.batch is False and batch.batch is True
    assert standard.group == "wrkspc_01SupportAssist"
    assert standard.start == dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def test_litellm_rows_keep_spend_tags_and_cached_tokens_and_skip_failures():
    source = ExportFile(USAGE / "litellm-spend-logs.json")
    rows = [r for r in FORMATS["litellm"].read(source) if isinstance(r, UsageRecord)]
    assert (source.records, source.skipped, len(rows)) == (25, 1, 24)
    mini = next(r for r in rows if r.model.startswith("gpt-4o-mini"))
    assert (mini.provider, mini.group, mini.requests, mini.input_tokens, mini.cache_read_tokens) == (
        "openai", "chat-widget", 1, 1200, 512)
    assert mini.cost == pytest.approx((688 * 0.15 + 512 * 0.075 + 180 * 0.6) / 1e6)


def test_otel_collector_lines_read_genai_spans_only():
    source = ExportFile(USAGE / "otel-collector.jsonl")
    rows = [r for r in FORMATS["otel"].read(source) if isinstance(r, UsageRecord)]
    assert (source.records, source.skipped, len(rows)) == (16, 4, 12)
    assert {(r.provider, r.model, r.group) for r in rows} == {("openai", "gpt-4.1-2025-04-14", "search-api")}
    assert rows[1].input_tokens == 2600 and rows[1].output_tokens == 400
    assert rows[0].start == dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.UTC)


def test_otel_console_spans_read_provider_name_and_cache_reads():
    rows = records("otel-console.jsonl")
    assert len(rows) == 5
    assert (rows[0].provider, rows[0].model, rows[0].cache_read_tokens, rows[0].group) == (
        "anthropic", "claude-sonnet-4-5", 4000, "support-assistant")


def test_gzip_and_json_array_of_pages_read_the_same(tmp_path):
    lines = (USAGE / "openai-completions.jsonl").read_text().splitlines()
    array = tmp_path / "pages.json"
    array.write_text(json.dumps([json.loads(line) for line in lines], indent=2))
    packed = tmp_path / "pages.jsonl.gz"
    packed.write_bytes(gzip.compress((USAGE / "openai-completions.jsonl").read_bytes()))
    expected = read(USAGE / "openai-completions.jsonl").totals
    assert read(array).totals == expected
    assert read(packed).totals == expected


@pytest.mark.parametrize(("provider", "model", "expected"), [
    ("openai", "gpt-4o-2024-08-06", ("openai", "gpt-4o")),
    ("anthropic", "claude-3-5-sonnet-20241022", ("anthropic", "claude-3-5-sonnet")),
    ("anthropic", "claude-sonnet-4-5-20250929", ("anthropic", "claude-sonnet-4-5")),
    (None, "gpt-4.1-mini-2025-04-14", ("openai", "gpt-4.1-mini")),
    ("litellm", "openai/gpt-4o", ("openai", "gpt-4o")),
    ("gcp.vertex_ai", "gemini-2.0-flash-001", ("google", "gemini-2.0-flash")),
    ("some-gateway", "gpt-4o-mini", ("openai", "gpt-4o-mini")),
])
def test_provider_model_names_map_to_genai_prices_ids(provider, model, expected):
    assert find_model(provider, model) == expected


def test_an_unknown_model_names_the_closest_ids():
    with pytest.raises(UnknownModel, match=r"model 'gpt-4o-turbo-max' \(openai\) is not in genai-prices; "
                                           r"closest: gpt-4-turbo, gpt-3.5-turbo, gpt-3.5-turbo-16k$"):
        find_model("openai", "gpt-4o-turbo-max")


def test_an_unmapped_model_is_kept_apart_not_dropped(tmp_path):
    path = tmp_path / "spans.jsonl"
    path.write_text("\n".join(json.dumps({"start_time": "2026-10-01T10:00:00Z", "attributes": {
        "gen_ai.system": "openai", "gen_ai.request.model": model, "gen_ai.usage.input_tokens": 100,
        "gen_ai.usage.output_tokens": 10}}) for model in ("gpt-4o", "house-model-v2", "house-model-v2")))
    usage = read(path)
    assert usage.unmapped[(str(path), "openai", "house-model-v2")].records == 2
    assert sum(t.records for t in usage.totals.values()) == 1


def test_map_option_prices_a_house_name_as_a_known_model(tmp_path):
    models = ModelMap({"house-model-v2": "openai/gpt-4o-mini"})
    assert models("openai", "house-model-v2") == ("openai", "gpt-4o-mini")
    with pytest.raises(InputError) as err:
        ModelMap({"x": "openai/gpt-nope"})
    assert err.value.render().startswith("--map: x: model 'gpt-nope' (openai) is not in genai-prices")


def bad(tmp_path, text: str, name: str = "export.jsonl", fmt: str | None = None) -> str:
    path = tmp_path / name
    path.write_text(text)
    source = ExportFile(path)
    with pytest.raises(InputError) as err:
        list((FORMATS[fmt] if fmt else detect(source)).read(source))
        source.finish()
    return err.value.render().replace(str(path), "FILE")


def page(*results, start=1_790_000_000) -> str:
    return json.dumps({"object": "page", "data": [{"object": "bucket", "start_time": start,
                                                   "end_time": start + 86_400, "results": list(results)}]})


GOOD = {"object": "organization.usage.completions.result", "input_tokens": 10, "output_tokens": 5,
        "input_cached_tokens": 0, "num_model_requests": 1, "model": "gpt-4o"}


def test_bad_openai_records_name_the_record_and_field(tmp_path):
    text = page(GOOD, {**GOOD, "input_tokens": "3000"}, {**GOOD, "model": None}, {**GOOD, "output_tokens": -5},
                {k: v for k, v in GOOD.items() if k != "num_model_requests"})
    assert bad(tmp_path, text) == (
        "FILE: record 2: input_tokens: expected a whole number, got '3000'\n"
        "FILE: record 3: model: expected text, got None (export with group_by=model)\n"
        "FILE: record 4: output_tokens: -5 is out of range (must be >= 0)\n"
        "FILE: record 5: num_model_requests: is required but missing")


def test_an_embeddings_export_is_not_taken_for_completions(tmp_path):
    text = page({**GOOD, "object": "organization.usage.embeddings.result"})
    assert bad(tmp_path, text) == ("FILE: record 1: object: 'organization.usage.embeddings.result' is not allowed "
                                   "(one of: organization.usage.completions.result)")


def test_bad_bucket_and_broken_json(tmp_path):
    assert bad(tmp_path, json.dumps({"data": [{"end_time": 1, "results": [GOOD]}]}), fmt="openai_usage") == (
        "FILE: bucket 1: start_time: is required but missing (Unix seconds, in 2000-2099)\n"
        "FILE: bucket 1: end_time: 1970-01-01T00:00:01+00:00 is not a time of 2000-2099 (Unix seconds, in 2000-2099)")
    assert bad(tmp_path, page(GOOD) + "\n" + page(GOOD)[:-30]) == (
        "FILE: record 2: malformed JSON: parse error: premature EOF (the file as the export wrote it)")


def test_bad_anthropic_litellm_and_otel_records(tmp_path):
    anthropic = {"data": [{"starting_at": "2026-10-01T00:00:00Z", "ending_at": "2026-10-02T00:00:00Z", "results": [
        {"model": "claude-sonnet-4-5", "uncached_input_tokens": 1.5, "output_tokens": 3}]}]}
    assert bad(tmp_path, json.dumps(anthropic)) == (
        "FILE: record 1: uncached_input_tokens: expected a whole number, got 1.5")
    litellm = [{"model": "gpt-4o", "prompt_tokens": 1, "completion_tokens": 1, "startTime": "yesterday"}]
    assert bad(tmp_path, json.dumps(litellm), "logs.json") == (
        "FILE: record 1: startTime: expected a time like 2027-01-04T09:30:00Z, got 'yesterday' (an ISO 8601 time, in "
        "2000-2099)")
    spans = [{"start_time": "2026-10-01T00:00:00Z", "attributes": {"gen_ai.usage.input_tokens": "many",
                                                                   "gen_ai.request.model": "gpt-4o"}},
             {"attributes": {"gen_ai.usage.input_tokens": 5, "gen_ai.request.model": "gpt-4o"}},
             {"start_time": "2026-10-01T00:00:00Z", "attributes": {"gen_ai.usage.output_tokens": 5}}]
    assert bad(tmp_path, "\n".join(map(json.dumps, spans))) == (
        "FILE: record 1: gen_ai.usage.input_tokens: expected a whole number, got 'many'\n"
        "FILE: record 2: start_time: is required but missing (the span's startTimeUnixNano, or an ISO 8601 "
        "start_time, in 2000-2099)\n"
        "FILE: record 3: gen_ai.request.model: is required but missing (the model the span called, or "
        "gen_ai.response.model)")


def test_reading_stops_after_a_bounded_number_of_problems(tmp_path):
    text = page(*[{**GOOD, "input_tokens": -1}] * 500)
    lines = bad(tmp_path, text).splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1] == (f"FILE: (file): stopped reading after {MAX_PROBLEMS} problems (fix these, or check that "
                         f"--format names the right export)")


def test_files_that_are_not_exports(tmp_path):
    for name, text, problem in [
        ("empty.json", "", "empty file (a JSON or JSON lines export)"),
        ("sheet.csv", "model,tokens\n", "not JSON (a JSON or JSON lines export)"),
        ("other.json", '{"hello": 1}', "not a usage export this command knows (one of: openai_usage, "
                                        "anthropic_usage, otel, litellm; name it with --format)"),
    ]:
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(InputError) as err:
            detect(ExportFile(path))
        assert err.value.render() == f"{path}: (file): {problem}"
    with pytest.raises(InputError, match="missing.json: \\(file\\): file not found"):
        ExportFile(tmp_path / "missing.json")
