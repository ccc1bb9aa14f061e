"""LiteLLM proxy spend logs: one row per request, as `GET /spend/logs` (a JSON array), `GET /spend/logs/v2` (pages
with `data[]`) or a dump of the LiteLLM_SpendLogs table as JSON lines return them.

Each row has `model`, `custom_llm_provider`, `prompt_tokens` (cached included, in the OpenAI format LiteLLM uses),
`completion_tokens`, `spend` (USD, LiteLLM's own price), `startTime`, `request_tags` and `metadata` (with `tags`,
and `usage_object` whose cache fields give the cached tokens). Rows whose `status` is `failure` are not usage.
The row's tags become the workload's group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aicto.profile.schema import Count
from aicto.usage.records import ExportFormat, Item, UsageRecord
from aicto.usage.source import ExportFile, utc


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1, description="the model the proxy called")
    custom_llm_provider: str | None = None
    prompt_tokens: Count = Field(0, ge=0)
    completion_tokens: Count = Field(0, ge=0)
    spend: float | None = Field(None, ge=0, allow_inf_nan=False, description="USD")
    startTime: dt.datetime = Field(description="an ISO 8601 time")
    request_tags: list[str] | None = None
    metadata: Any = None  # a mapping; left unvalidated, only its tags and usage object are read
    status: str | None = None


def _tags(row: Row) -> str | None:
    meta_tags = row.metadata.get("tags") if isinstance(row.metadata, dict) else None
    tags = row.request_tags or (meta_tags if isinstance(meta_tags, list) else None)
    return ", ".join(sorted(str(t) for t in tags)) if tags else None


def _cache(row: Row) -> tuple[int | None, int]:
    """(cache reads, cache writes) from the row's usage object; reads are None when the row does not say."""
    usage = row.metadata.get("usage_object") if isinstance(row.metadata, dict) else None
    if not isinstance(usage, dict):
        return None, 0
    details = usage.get("prompt_tokens_details")
    read = usage.get("cache_read_input_tokens")
    if read is None and isinstance(details, dict):
        read = details.get("cached_tokens")
    written = usage.get("cache_creation_input_tokens")
    return (read if isinstance(read, int) else 0), (written if isinstance(written, int) else 0)


def _rows(source: ExportFile) -> Iterator[Any]:
    for value in source.items(""):
        if isinstance(value, dict) and isinstance(value.get("data"), list) and "model" not in value:
            yield from value["data"]
        else:
            yield value


def read(source: ExportFile) -> Iterator[Item]:
    for raw in _rows(source):
        source.records += 1
        row = source.validate(Row, raw, f"record {source.records}")
        if row is None:
            continue
        if row.status == "failure":
            source.skipped += 1
            continue
        read, written = _cache(row)
        yield UsageRecord(utc(row.startTime), row.custom_llm_provider, row.model, _tags(row), 1, row.prompt_tokens,
                          read, written, row.completion_tokens, None, row.spend)


FORMAT = ExportFormat("litellm", "LiteLLM spend logs", ('"prompt_tokens"', '"startTime"'), read)
