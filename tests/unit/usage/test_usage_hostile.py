"""Usage exports a run should never trust: broken or special files, values out of any real range, records that
contradict themselves or repeat, formats mixed in one file. Each is one `FILE: where: problem (allowed)` line, read
in bounded time and memory, and nothing reaches the profile."""

import datetime as dt
import gzip
import json
import os

import pytest

from aicto.profile.problems import InputError
from aicto.usage import source as source_module
from aicto.usage.aggregate import ModelMap, Usage
from aicto.usage.formats import FORMATS, detect
from aicto.usage.source import ExportFile
from tests.conftest import ROOT

USAGE = ROOT / "tests" / "fixtures" / "usage"
GOOD = {"object": "organization.usage.completions.result", "input_tokens": 10, "output_tokens": 5,
        "input_cached_tokens": 0, "num_model_requests": 1, "model": "gpt-4o"}
ROW = {"request_id": "r-1", "model": "gpt-4o", "custom_llm_provider": "openai", "prompt_tokens": 100,
       "completion_tokens": 10, "spend": 0.001, "startTime": "2026-10-01T10:00:00Z"}


def page(*results, start=1_790_000_000, end=None) -> dict:
    return {"object": "page", "data": [{"object": "bucket", "start_time": start,
                                        "end_time": start + 86_400 if end is None else end,
                                        "results": list(results)}]}


def read_all(*paths) -> Usage:
    usage = Usage()
    for path in paths:
        source = ExportFile(path)
        usage.read(source, detect(source), ModelMap())
    usage.check_repeats()
    return usage


def refused(*paths) -> str:
    with pytest.raises(InputError) as err:
        read_all(*paths)
    text = err.value.render()
    for i, path in enumerate(paths):
        text = text.replace(str(path), f"FILE{i + 1}" if len(paths) > 1 else "FILE")
    return text


def write(tmp_path, name: str, value) -> os.PathLike:
    path = tmp_path / name
    path.write_text(value if isinstance(value, str) else json.dumps(value))
    return path


def test_a_truncated_or_corrupt_gzip_is_one_line(tmp_path):
    """A truncated .gz raised EOFError from the first read, before any record."""
    data = (USAGE / "openai-completions.jsonl").read_bytes()
    truncated = tmp_path / "usage.jsonl.gz"
    truncated.write_bytes(gzip.compress(data)[:-40])
    assert refused(truncated).startswith("FILE: record ")
    assert "cannot be read: a truncated or corrupt gzip file (a complete file)" in refused(truncated)
    short = tmp_path / "short.jsonl.gz"
    short.write_bytes(gzip.compress(data)[:30])
    assert refused(short) == "FILE: (file): cannot be read: a truncated or corrupt gzip file (a complete file)"
    corrupt = tmp_path / "corrupt.jsonl.gz"
    corrupt.write_bytes(gzip.compress(data)[:20] + b"\xff" * 200)
    assert refused(corrupt) == "FILE: (file): cannot be read: a truncated or corrupt gzip file (a complete file)"


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00",
                                    "1970-01-01T00:00:00Z", "2150-06-01T00:00:00Z"])
def test_a_time_outside_the_engagements_world_is_refused(tmp_path, moment):
    """Year 1 and 9999 with an offset overflowed; a 1970 row (a zero timestamp) spread the export over 56 years and
    made every workload 0 requests a month."""
    path = write(tmp_path, "logs.json", [ROW, {**ROW, "request_id": "r-2", "startTime": moment}])
    shown = dt.datetime.fromisoformat(moment).isoformat()
    assert refused(path) == (f"FILE: record 2: startTime: {shown} is not a time of 2000-2099 (an ISO 8601 time, "
                             "in 2000-2099)")


def test_a_unix_time_outside_the_world_is_refused(tmp_path):
    assert refused(write(tmp_path, "u.jsonl", page(GOOD, start=0))) == (
        "FILE: bucket 1: start_time: 1970-01-01T00:00:00+00:00 is not a time of 2000-2099 (Unix seconds, in "
        "2000-2099)\n"
        "FILE: bucket 1: end_time: 1970-01-02T00:00:00+00:00 is not a time of 2000-2099 (Unix seconds, in "
        "2000-2099)")
    spans = {"resourceSpans": [{"scopeSpans": [{"spans": [{"startTimeUnixNano": str(10**30), "attributes": [
        {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
        {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "5"}}]}]}]}]}
    assert refused(write(tmp_path, "spans.jsonl", spans)).startswith(
        "FILE: record 1: start_time: expected a time like 2027-01-04T09:30:00Z, got "
        "'1000000000000000000000000000000 ns'")


@pytest.mark.parametrize(("usage_object", "problem"), [
    ({"prompt_tokens_details": {"cached_tokens": -5}},
     "metadata.usage_object.prompt_tokens_details.cached_tokens: -5 is out of range (must be >= 0)"),
    ({"cache_read_input_tokens": 500}, "cached tokens (500 read, 0 written) exceed the input tokens (100)"),
    ({"cache_read_input_tokens": 60, "cache_creation_input_tokens": 60},
     "cached tokens (60 read, 60 written) exceed the input tokens (100)"),
])
def test_cache_token_counts_that_cannot_be_are_refused_by_record(tmp_path, usage_object, problem):
    """They raised in the aggregation, or were refused as the profile's cached_share_now instead of the record."""
    path = write(tmp_path, "logs.json", [{**ROW, "metadata": {"usage_object": usage_object}}])
    assert refused(path) == f"FILE: record 1: {problem}" + ("; cached tokens are part of the input tokens"
                                                            if "exceed" in problem else "")


def test_a_bucket_that_contradicts_itself_is_refused(tmp_path):
    assert refused(write(tmp_path, "a.jsonl", page({**GOOD, "num_model_requests": 0}))) == (
        "FILE: record 1: 10 input and 5 output tokens in 0 requests (requests that carry the tokens)")
    assert refused(write(tmp_path, "b.jsonl", page({**GOOD, "input_cached_tokens": 11}))) == (
        "FILE: record 1: cached tokens (11 read, 0 written) exceed the input tokens (10); cached tokens are part of "
        "the input tokens")
    assert refused(write(tmp_path, "c.jsonl", page(GOOD, end=1_790_000_000 - 60))) == (
        "FILE: bucket 1: end_time: 2026-09-21T14:12:20+00:00 is before the bucket's start "
        "(2026-09-21T14:13:20+00:00); a bucket that ends after it starts, within 31 days")
    assert refused(write(tmp_path, "d.jsonl", page({**GOOD, "input_tokens": 10**9}))) == (
        "FILE: record 1: 1,000,000,000 input tokens in 1 request: more per request than any model reads "
        "(at most 10,000,000 input and 1,000,000 output tokens a request)")


@pytest.mark.parametrize(("field", "value", "problem"), [
    ("model", "m" * 300, "model: must have at most 256 characters"),
    ("input_tokens", 10**16, "input_tokens: 10000000000000000 is out of range (must be <= 1e+15)"),
    ("num_model_requests", 10**12, "num_model_requests: 1000000000000 is out of range (must be <= 1e+11)"),
])
def test_every_field_is_bounded(tmp_path, field, value, problem):
    assert refused(write(tmp_path, "e.jsonl", page({**GOOD, field: value}))).startswith(f"FILE: record 1: {problem}")


def test_a_value_longer_than_any_export_holds_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    """A gzip bomb whose model name was a 1 GB string: RSS still rising at 300 s."""
    monkeypatch.setattr(source_module, "MAX_VALUE_BYTES", 1 << 20)
    bomb = tmp_path / "bomb.json.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as out:
        out.write(b'[{"request_id": "r", "startTime": "2026-10-01T10:00:00Z", "prompt_tokens": 1, "model": "')
        for _ in range(8):
            out.write(b"a" * (1 << 20))
        out.write(b'"}]')
    assert refused(bomb) == ("FILE: record 1: a value of more than 1 MB (an export's names and numbers are short; "
                             "the file as the export wrote it)")
    escaped = tmp_path / "escaped.json.gz"  # a string of escaped quotes is still one value
    with gzip.open(escaped, "wb", compresslevel=1) as out:
        out.write(b'[{"prompt_tokens": 1, "startTime": "2026-10-01T10:00:00Z", "model": "' + b'\\"' * (1 << 21))
    assert refused(escaped).startswith("FILE: record 1: a value of more than 1 MB")


def test_a_special_file_is_refused_without_waiting(tmp_path):
    """A FIFO given as an export hung the import."""
    fifo = tmp_path / "usage.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as err:
        ExportFile(fifo)
    assert err.value.render() == f"{fifo}: (file): a named pipe (FIFO), not a file (a usage export path)"


def test_the_same_export_twice_is_refused(tmp_path):
    """A copy of an export under another name counted its usage twice."""
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes((USAGE / "openai-completions.jsonl").read_bytes())
    assert refused(USAGE / "openai-completions.jsonl", copy) == (
        "FILE2: (file): the same export as FILE1 (each export once: its usage would count twice)")


def test_a_record_given_twice_is_refused_naming_both(tmp_path):
    """Overlapping exports (two date ranges that share a day) would count the shared records twice."""
    first = write(tmp_path, "first.json", [ROW, {**ROW, "request_id": "r-2"}])
    second = write(tmp_path, "second.json", [{**ROW, "request_id": "r-3"}, {**ROW, "request_id": "r-2"}])
    assert refused(first, second) == (
        "FILE2: record 2: the same request as record 2 of FILE1 (each record once: overlapping exports would count "
        "it twice)")
    pages = [json.dumps(page(GOOD)), json.dumps(page({**GOOD, "input_tokens": 9}))]  # the same bucket, recounted
    bucket = write(tmp_path, "b.jsonl", "\n".join(pages))
    assert refused(bucket) == (
        "FILE: record 2: the same bucket and group as record 1 (each record once: overlapping exports would count "
        "it twice)")


def test_formats_mixed_in_one_file_are_refused(tmp_path):
    """An OpenAI page and a LiteLLM row in one file: the row was dropped without a word."""
    path = write(tmp_path, "mixed.jsonl", json.dumps(page(GOOD)) + "\n" + json.dumps(ROW) + "\n")
    assert refused(path) == ("FILE: record 2: a LiteLLM spend logs record in an OpenAI Usage API, completions export "
                             "(one format per file)")
    path = write(tmp_path, "mixed2.jsonl", json.dumps(ROW) + "\n" + json.dumps(page(GOOD)) + "\n")
    assert refused(path) == ("FILE: record 1: a LiteLLM spend logs record in an OpenAI Usage API, completions export "
                             "(one format per file)")  # the provider's markers win the recognition
    spans = {"start_time": "2026-10-01T10:00:00Z", "attributes": {"gen_ai.request.model": "gpt-4o",
                                                                  "gen_ai.usage.input_tokens": 5}}
    path = write(tmp_path, "mixed3.jsonl", json.dumps(spans) + "\n" + json.dumps(page(GOOD)) + "\n")
    with pytest.raises(InputError) as err:
        usage = Usage()
        source = ExportFile(path)
        usage.read(source, FORMATS["otel"], ModelMap())
    assert err.value.render() == (f"{path}: record 2: an OpenAI Usage API, completions record in an OpenTelemetry "
                                  "GenAI spans export (one format per file)")


def test_what_was_read_is_summed_per_file_month_and_model():
    usage = read_all(USAGE / "openai-completions.jsonl")
    per = usage.by_file[str(USAGE / "openai-completions.jsonl")]
    assert sum(t.records for t in per.values()) == 195  # calendar months of the records' UTC start, as named
    assert per[((2026, 10), "openai", "gpt-4o-2024-08-06")].requests == sum(
        t.requests for (month, _, model, _, _), t in usage.totals.items()
        if month == (2026, 10) and model == "gpt-4o")


HOSTILE = sorted(p for p in (USAGE / "hostile").iterdir() if p.suffix != ".expected")
FIRST = {"litellm-overlap.json": USAGE / "litellm-spend-logs.json"}  # read after this one


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
def test_hostile_export_gives_exact_message(path):
    """The corpus: one export per class of issue 26, each with its exact lines (.expected beside it)."""
    first = FIRST.get(path.name)
    with pytest.raises(InputError) as err:
        read_all(*([first] if first else []), path)
    expected = path.with_name(path.name.split(".")[0] + ".expected").read_text()
    assert err.value.render() + "\n" == expected.replace("{file}", str(path)).replace("{first}", str(first))


def test_hostile_corpus_covers_every_class():
    assert {p.name.split(".")[0] for p in HOSTILE} >= {
        "truncated", "litellm-year-1", "litellm-year-9999", "litellm-1970", "litellm-negative-cache",
        "litellm-cache-above-input", "openai-tokens-without-requests", "openai-bucket-ends-first",
        "openai-page-and-litellm-row", "litellm-overlap", "bomb-model-name"}
