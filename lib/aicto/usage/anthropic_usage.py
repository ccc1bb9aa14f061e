"""Anthropic's Admin API usage report for messages (`GET /v1/organizations/usage_report/messages`).

A page holds time buckets (`data[]`, `starting_at`/`ending_at` as RFC 3339), each with `results[]`:
`uncached_input_tokens`, `cache_creation` (`ephemeral_5m_input_tokens`, `ephemeral_1h_input_tokens`),
`cache_read_input_tokens`, `output_tokens` and, when the request groups by them, `model`, `workspace_id`,
`api_key_id`, `service_tier` and `context_window`. The report counts tokens, not requests. The import needs
`group_by[]=model`; `workspace_id` becomes the workload's group, `service_tier: batch` marks batched usage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from aicto.profile.schema import Count
from aicto.usage import buckets
from aicto.usage.buckets import bucket_results
from aicto.usage.records import ExportFormat, Item, UsageRecord
from aicto.usage.source import ExportFile


class Bucket(buckets.Bucket):
    starting_at: dt.datetime = Field(description="an RFC 3339 time")
    ending_at: dt.datetime = Field(description="an RFC 3339 time")


class CacheCreation(BaseModel):
    model_config = ConfigDict(extra="ignore")
    ephemeral_5m_input_tokens: Count = Field(0, ge=0)
    ephemeral_1h_input_tokens: Count = Field(0, ge=0)


class Result(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1, description="export with group_by[]=model")
    uncached_input_tokens: Count = Field(ge=0)
    cache_creation: CacheCreation = CacheCreation()
    cache_read_input_tokens: Count = Field(0, ge=0)
    output_tokens: Count = Field(ge=0)
    workspace_id: str | None = None
    service_tier: str | None = None


def _record(start: dt.datetime, r: Result) -> UsageRecord:
    written = r.cache_creation.ephemeral_5m_input_tokens + r.cache_creation.ephemeral_1h_input_tokens
    batch = None if r.service_tier is None else r.service_tier == "batch"
    return UsageRecord(start, "anthropic", r.model, r.workspace_id, None,
                       r.uncached_input_tokens + written + r.cache_read_input_tokens, r.cache_read_input_tokens,
                       written, r.output_tokens, batch, None)


def read(source: ExportFile) -> Iterator[Item]:
    return bucket_results(source, Bucket, Result, "starting_at", "ending_at", _record)


FORMAT = ExportFormat("anthropic_usage", "Anthropic Admin API usage report, messages",
                      ('"uncached_input_tokens"',), read)
