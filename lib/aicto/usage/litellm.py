"""LiteLLM proxy spend logs: one row per request, as `GET /spend/logs` (a JSON array), `GET /spend/logs/v2` (pages
with `data[]`) or a dump of the LiteLLM_SpendLogs table as JSON lines return them.

Each row has `model`, `custom_llm_provider`, `prompt_tokens` (cached included, in the OpenAI format LiteLLM uses),
`completion_tokens`, `spend` (USD, LiteLLM's own price), `startTime`, `request_tags` and `metadata` (with `tags`,
and `usage_object` whose cache fields give the cached tokens). Rows whose `status` is `failure` are not usage.
The row's tags become the workload's group; its `request_id` tells a row given twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from aicto.profile.assumptions import MAX_BILL
from aicto.usage.records import MAX_NAME, ExportFormat, Item, Name, Tokens, UsageRecord
from aicto.usage.source import ExportFile, Moment

MAX_TAGS = 100  # tags on one request: LiteLLM's own UI shows a handful
Text = Annotated[str, Field(max_length=MAX_NAME)]  # a name the export may leave empty


class Details(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cached_tokens: Tokens | None = None


class UsageObject(BaseModel):
    """The cache fields of the row's usage object, as OpenAI (prompt_tokens_details) or Anthropic name them."""

    model_config = ConfigDict(extra="ignore")
    cache_read_input_tokens: Tokens | None = None
    cache_creation_input_tokens: Tokens | None = None
    prompt_tokens_details: Details | None = None


class Metadata(BaseModel):
    model_config = ConfigDict(extra="ignore")
    tags: Any = None  # a list of names; anything else is not tags and is left out
    usage_object: UsageObject | None = None


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore")
    request_id: str | None = Field(None, max_length=MAX_NAME)
    model: Name = Field(description="the model the proxy called")
    custom_llm_provider: Text | None = None
    prompt_tokens: Tokens = 0
    completion_tokens: Tokens = 0
    spend: float | None = Field(None, ge=0, le=MAX_BILL, allow_inf_nan=False, description="USD")
    startTime: Moment = Field(description="an ISO 8601 time, in 2000-2099")
    request_tags: list[Text] | None = Field(None, max_length=MAX_TAGS)
    metadata: Metadata | None = None  # only its tags and usage object are read
    status: str | None = None

    @classmethod
    def lenient(cls, raw: Any) -> Any:
        """A row's metadata that is not a mapping holds nothing the import reads: it is left out, not refused."""
        if isinstance(raw, dict) and not isinstance(raw.get("metadata"), dict | None):
            return {k: v for k, v in raw.items() if k != "metadata"}
        return raw


def _tags(row: Row) -> str | None:
    meta_tags = row.metadata.tags if row.metadata else None
    tags = row.request_tags or (meta_tags if isinstance(meta_tags, list) else None)
    names = sorted(str(t)[:MAX_NAME] for t in (tags or [])[:MAX_TAGS])
    return ", ".join(names)[:MAX_NAME] if names else None


def _cache(row: Row) -> tuple[int | None, int]:
    """(cache reads, cache writes) from the row's usage object; reads are None when the row does not say."""
    usage = row.metadata.usage_object if row.metadata else None
    if usage is None:
        return None, 0
    read = usage.cache_read_input_tokens
    if read is None and usage.prompt_tokens_details is not None:
        read = usage.prompt_tokens_details.cached_tokens
    return (read or 0), (usage.cache_creation_input_tokens or 0)


def _is_row(value: Any) -> bool:
    return isinstance(value, dict) and ("startTime" in value or "prompt_tokens" in value)


def shape(value: Any) -> bool:
    """A row, or a page of rows (an empty page too)."""
    data = value.get("data") if isinstance(value, dict) and "model" not in value else None
    return _is_row(value) or isinstance(data, list) and all(_is_row(r) for r in data[:1])


def _rows(source: ExportFile) -> Iterator[Any]:
    for value in source.values():
        if not source.belongs(value, FORMAT):
            continue
        if isinstance(value, dict) and isinstance(value.get("data"), list) and "model" not in value:
            yield from value["data"]
        else:
            yield value


def read(source: ExportFile) -> Iterator[Item]:
    for raw in _rows(source):
        source.records += 1
        row = source.validate(Row, Row.lenient(raw), f"record {source.records}")
        if row is None:
            continue
        if row.status == "failure":
            source.skipped += 1
            continue
        read, written = _cache(row)
        yield UsageRecord(row.startTime, row.custom_llm_provider, row.model, _tags(row), 1, row.prompt_tokens,
                          read, written, row.completion_tokens, None, row.spend, source.records, row.request_id,
                          "request")


FORMAT = ExportFormat("litellm", "LiteLLM spend logs", ('"prompt_tokens"', '"startTime"'), read, shape)
