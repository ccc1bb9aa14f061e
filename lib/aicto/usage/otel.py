"""OpenTelemetry GenAI spans as JSON lines: the OTLP JSON the Collector's file exporter writes (one
`{"resourceSpans": [...]}` per line, attributes as `{key, value: {stringValue | intValue ...}}`), or flat spans with an
`attributes` mapping and an ISO `start_time` as the SDK's console exporter prints them.

A span counts as one request when it carries `gen_ai.usage.input_tokens` or `gen_ai.usage.output_tokens`, with the
model from `gen_ai.response.model` or `gen_ai.request.model` and the provider from `gen_ai.provider.name` (or the
older `gen_ai.system`). As the conventions say, input tokens include `gen_ai.usage.cache_read.input_tokens` and
`gen_ai.usage.cache_creation.input_tokens`. The resource's `service.name` becomes the workload's group; other spans
(HTTP, database, ...) are skipped. A span's trace and span ids tell a span given twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from aicto.profile.problems import Problem
from aicto.usage.records import MAX_NAME, ExportFormat, Item, Name, Tokens, UsageRecord
from aicto.usage.source import ExportFile, Moment

Text = Annotated[str, Field(max_length=MAX_NAME)]

INPUT, OUTPUT = "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"


class GenAiSpan(BaseModel):
    """The attributes of one GenAI span that the import uses, by their semantic-convention names."""

    model_config = ConfigDict(extra="ignore")
    request_model: Name | None = Field(None, alias="gen_ai.request.model")
    response_model: Name | None = Field(None, alias="gen_ai.response.model")
    provider: Text | None = Field(None, alias="gen_ai.provider.name")
    system: Text | None = Field(None, alias="gen_ai.system")
    input_tokens: Tokens = Field(0, alias=INPUT)
    output_tokens: Tokens = Field(0, alias=OUTPUT)
    cache_read: Tokens | None = Field(None, alias="gen_ai.usage.cache_read.input_tokens")
    cache_write: Tokens = Field(0, alias="gen_ai.usage.cache_creation.input_tokens")
    start_time: Moment = Field(description="the span's startTimeUnixNano, or an ISO 8601 start_time, in 2000-2099")


def _value(any_value: Any) -> Any:
    """An OTLP AnyValue (one key: stringValue, intValue, ...) as a plain value; int64 arrives as a string."""
    if not isinstance(any_value, dict) or len(any_value) != 1:
        return any_value
    ((kind, value),) = any_value.items()
    if kind == "intValue" and isinstance(value, str) and value.lstrip("-").isdigit() and len(value) <= 40:
        return int(value)  # an int64 has 19 digits; a longer one stays text, for the check to refuse by name
    return value


def _attributes(items: Any) -> dict[str, Any]:
    if isinstance(items, dict):
        return items
    if not isinstance(items, list):
        return {}
    return {str(a["key"]): _value(a.get("value")) for a in items if isinstance(a, dict) and "key" in a}


def _nanos(value: Any) -> Any:
    """Unix nanoseconds as a time; one no datetime holds stays as text, for the check to refuse by name."""
    if isinstance(value, str) and value.isdigit() and len(value) <= 40:
        value = int(value)
    if not isinstance(value, int):
        return value
    try:
        return dt.datetime.fromtimestamp(value / 1e9, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return f"{value} ns"


def _with_start(attributes: Any, start: Any) -> dict[str, Any]:
    """The span's attributes, with its start time added as `start_time`."""
    plain = _attributes(attributes)
    return plain if start is None else {**plain, "start_time": start}


SPAN_KEYS = ("attributes", "name", "context", "start_time", "startTimeUnixNano", "traceId")


def shape(value: Any) -> bool:
    """An OTLP batch ({"resourceSpans": [...]}) or a flat span as the console exporter prints it."""
    return isinstance(value, dict) and ("resourceSpans" in value or any(k in value for k in SPAN_KEYS))


def _ids(span: dict[str, Any]) -> tuple[str, str] | None:
    """The span's trace and span ids (OTLP's traceId/spanId, the console's context), or None."""
    context = span.get("context") if isinstance(span.get("context"), dict) else {}
    trace, ident = span.get("traceId") or context.get("trace_id"), span.get("spanId") or context.get("span_id")
    return (str(trace)[:MAX_NAME], str(ident)[:MAX_NAME]) if trace and ident else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _spans(source: ExportFile) -> Iterator[tuple[dict[str, Any], str | None, tuple[str, str] | None]]:
    """(attributes with the start time, the service name, the span's ids) for every span in the file."""
    for value in source.values():
        if not source.belongs(value, FORMAT):
            continue
        if "resourceSpans" in value:
            for resource_spans in map(_dict, _list(value["resourceSpans"])):
                resource = _attributes(_dict(resource_spans.get("resource")).get("attributes"))
                for scope in map(_dict, _list(resource_spans.get("scopeSpans"))):
                    for span in map(_dict, _list(scope.get("spans"))):
                        yield _with_start(span.get("attributes"), _nanos(span.get("startTimeUnixNano"))), \
                            resource.get("service.name"), _ids(span)
        else:
            resource = _attributes(_dict(value.get("resource")).get("attributes"))
            yield _with_start(value.get("attributes"), value.get("start_time")), resource.get("service.name"), \
                _ids(value)


def read(source: ExportFile) -> Iterator[Item]:
    for attributes, service, ids in _spans(source):
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
        group = str(service)[:MAX_NAME] if service is not None else None
        yield UsageRecord(s.start_time, s.provider or s.system, model, group, 1, s.input_tokens, s.cache_read,
                          s.cache_write, s.output_tokens, None, None, source.records, ids, "span")


FORMAT = ExportFormat("otel", "OpenTelemetry GenAI spans",
                      ('"resourceSpans"', f'"{INPUT}"', f'"{OUTPUT}"'), read, shape)
