"""OpenTelemetry GenAI spans as JSON lines: the OTLP JSON the Collector's file exporter writes (one
`{"resourceSpans": [...]}` per line, attributes as `{key, value: {stringValue | intValue ...}}`), or flat spans with an
`attributes` mapping and an ISO `start_time` as the SDK's console exporter prints them.

A span counts as one request when it carries `gen_ai.usage.input_tokens` or `gen_ai.usage.output_tokens`, with the
model from `gen_ai.response.model` or `gen_ai.request.model` and the provider from `gen_ai.provider.name` (or the
older `gen_ai.system`). As the conventions say, input tokens include `gen_ai.usage.cache_read.input_tokens` and
`gen_ai.usage.cache_creation.input_tokens`. The resource's `service.name` becomes the workload's group; other spans
(HTTP, database, ...) are skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aicto.profile.problems import Problem
from aicto.profile.schema import Count
from aicto.usage.records import ExportFormat, Item, UsageRecord
from aicto.usage.source import ExportFile, utc

INPUT, OUTPUT = "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"


class GenAiSpan(BaseModel):
    """The attributes of one GenAI span that the import uses, by their semantic-convention names."""

    model_config = ConfigDict(extra="ignore")
    request_model: str | None = Field(None, alias="gen_ai.request.model")
    response_model: str | None = Field(None, alias="gen_ai.response.model")
    provider: str | None = Field(None, alias="gen_ai.provider.name")
    system: str | None = Field(None, alias="gen_ai.system")
    input_tokens: Count = Field(0, ge=0, alias=INPUT)
    output_tokens: Count = Field(0, ge=0, alias=OUTPUT)
    cache_read: Count | None = Field(None, ge=0, alias="gen_ai.usage.cache_read.input_tokens")
    cache_write: Count = Field(0, ge=0, alias="gen_ai.usage.cache_creation.input_tokens")
    start_time: dt.datetime = Field(description="the span's startTimeUnixNano, or an ISO 8601 start_time")


def _value(any_value: Any) -> Any:
    """An OTLP AnyValue (one key: stringValue, intValue, ...) as a plain value; int64 arrives as a string."""
    if not isinstance(any_value, dict) or len(any_value) != 1:
        return any_value
    ((kind, value),) = any_value.items()
    if kind == "intValue" and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value


def _attributes(items: Any) -> dict[str, Any]:
    if isinstance(items, dict):
        return items
    return {a["key"]: _value(a.get("value")) for a in items or [] if isinstance(a, dict) and "key" in a}


def _nanos(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return dt.datetime.fromtimestamp(value / 1e9, dt.UTC) if isinstance(value, int) else value


def _with_start(attributes: Any, start: Any) -> dict[str, Any]:
    """The span's attributes, with its start time added as `start_time`."""
    plain = _attributes(attributes)
    return plain if start is None else {**plain, "start_time": start}


def _spans(source: ExportFile) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(attributes with the start time, the service name) for every span in the file."""
    if '"resourceSpans"' in source.head:
        for resource_spans in source.items("resourceSpans.item"):
            resource = _attributes((resource_spans.get("resource") or {}).get("attributes"))
            for scope in resource_spans.get("scopeSpans") or []:
                for span in scope.get("spans") or []:
                    yield _with_start(span.get("attributes"), _nanos(span.get("startTimeUnixNano"))), \
                        resource.get("service.name")
    else:
        for span in source.items(""):
            span = span if isinstance(span, dict) else {}
            resource = _attributes((span.get("resource") or {}).get("attributes"))
            yield _with_start(span.get("attributes"), span.get("start_time")), resource.get("service.name")


def read(source: ExportFile) -> Iterator[Item]:
    for attributes, service in _spans(source):
        source.records += 1
        if INPUT not in attributes and OUTPUT not in attributes:
            source.skipped += 1
            continue
        s = source.validate(GenAiSpan, attributes, f"record {source.records}")
        if s is None:
            continue
        model = s.response_model or s.request_model
        if not model:
            source.problem(Problem(f"record {source.records}: gen_ai.request.model", "is required but missing",
                                   "the model the span called, or gen_ai.response.model"))
            continue
        yield UsageRecord(utc(s.start_time), s.provider or s.system, model, service, 1, s.input_tokens, s.cache_read,
                          s.cache_write, s.output_tokens, None, None)


FORMAT = ExportFormat("otel", "OpenTelemetry GenAI spans",
                      ('"resourceSpans"', f'"{INPUT}"', f'"{OUTPUT}"'), read)
