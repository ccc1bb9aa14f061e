"""`make bench`, part two: `aicto import-usage` on generated usage exports of 100,000 and 1,000,000 records.

Two formats that reach such sizes in practice, one record per LLM call: LiteLLM spend logs as JSON lines, and
OpenTelemetry GenAI spans as OTLP JSON lines (100 spans a line, with an HTTP span among them). The files are written
record by record, spread over three months, and imported with --dry-run into a copy of an example profile. It prints
the wall time, the rate and the peak resident memory of the import; memory should stay flat from 100K to 1M records
because the files are read as streams. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import psutil
from measure import measured

ROOT = Path(__file__).resolve().parents[1]
AICTO = Path(sys.executable).parent / "aicto"
START = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
SPAN = dt.timedelta(days=92)  # August to October
MODELS = [("openai", "gpt-4o-2024-08-06"), ("openai", "gpt-4.1-mini-2025-04-14"),
          ("anthropic", "claude-sonnet-4-5-20250929"), ("anthropic", "claude-haiku-4-5-20251001")]
TAGS = ["support", "search", "summaries", "triage"]


def moments(n: int) -> Iterator[tuple[int, dt.datetime]]:
    step = SPAN / n
    for i in range(n):
        yield i, START + step * i


def litellm_rows(out: IO[str], n: int) -> None:
    for i, at in moments(n):
        provider, model = MODELS[i % len(MODELS)]
        prompt, completion = 800 + i % 2400, 60 + i % 500
        out.write(json.dumps({
            "request_id": f"chatcmpl-{i:09d}", "call_type": "acompletion", "api_key": "88dc28d0f0",
            "spend": round((prompt * 2.5 + completion * 10) / 1e6, 8), "total_tokens": prompt + completion,
            "prompt_tokens": prompt, "completion_tokens": completion,
            "startTime": at.isoformat().replace("+00:00", "Z"), "model": model, "custom_llm_provider": provider,
            "metadata": {"usage_object": {"prompt_tokens_details": {"cached_tokens": prompt // 3}}},
            "request_tags": [TAGS[i % len(TAGS)]], "status": "success"}) + "\n")


def otel_lines(out: IO[str], n: int, per_line: int = 100) -> None:
    def attr(key: str, value: object) -> dict:
        return {"key": key, "value": {"intValue": str(value)} if isinstance(value, int) else {"stringValue": value}}

    spans = []
    for i, at in moments(n):
        provider, model = MODELS[i % len(MODELS)]
        nanos = int(at.timestamp() * 1e9)
        if i % per_line == 0:
            spans.append({"name": "GET /api", "startTimeUnixNano": str(nanos), "attributes": [attr("http.route", "/")]})
        spans.append({"name": f"chat {model}", "startTimeUnixNano": str(nanos), "attributes": [
            attr("gen_ai.operation.name", "chat"), attr("gen_ai.provider.name", provider),
            attr("gen_ai.request.model", model), attr("gen_ai.usage.input_tokens", 800 + i % 2400),
            attr("gen_ai.usage.output_tokens", 60 + i % 500)]})
        if len(spans) > per_line or i == n - 1:
            out.write(json.dumps({"resourceSpans": [{"resource": {"attributes": [attr("service.name", "api")]},
                                                     "scopeSpans": [{"spans": spans}]}]}) + "\n")
            spans = []


FORMATS: dict[str, Callable[[IO[str], int], None]] = {"litellm": litellm_rows, "otel": otel_lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB, "
          f"Python {platform.python_version()}, {platform.platform()}")
    with tempfile.TemporaryDirectory(prefix="aicto-bench-usage-") as tmp:
        tmp = Path(tmp)
        profile = tmp / "client.yaml"
        shutil.copy(ROOT / "parameters" / "examples" / "northwind-analytics.yaml", profile)
        for name, write in FORMATS.items():
            for n in args.records:
                path = tmp / f"{name}-{n}.jsonl"
                with path.open("w") as out:
                    write(out, n)
                seconds, peak = measured([AICTO, "import-usage", profile, path, "--dry-run"], ROOT)
                print(f"import-usage {name:8} {n:>9,} records ({path.stat().st_size / 2**20:6.0f} MiB): "
                      f"{seconds:6.1f} s ({n / seconds:,.0f} records/s), peak RSS {peak / 2**20:.0f} MiB")
                path.unlink()


if __name__ == "__main__":
    main()
