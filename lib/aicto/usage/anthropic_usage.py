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
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aicto.usage import buckets
from aicto.usage.buckets import bucket_results, is_page
from aicto.usage.records import ExportFormat, Item, Name, Tokens, UsageRecord
from aicto.usage.source import ExportFile, Moment

DIMENSIONS = ("model", "workspace_id", "api_key_id", "service_tier", "context_window", "inference_geo")


class Bucket(buckets.Bucket):
    starting_at: Moment = Field(description="an RFC 3339 time, in 2000-2099")
    ending_at: Moment = Field(description="an RFC 3339 time, in 2000-2099")


class CacheCreation(BaseModel):
    model_config = ConfigDict(extra="ignore")
    ephemeral_5m_input_tokens: Tokens = 0
    ephemeral_1h_input_tokens: Tokens = 0


class Result(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: Name = Field(description="export with group_by[]=model")
    uncached_input_tokens: Tokens
    cache_creation: CacheCreation = CacheCreation()
    cache_read_input_tokens: Tokens = 0
    output_tokens: Tokens
    workspace_id: Name | None = None
    service_tier: Name | None = None


def _record(start: dt.datetime, r: Result) -> UsageRecord:
    written = r.cache_creation.ephemeral_5m_input_tokens + r.cache_creation.ephemeral_1h_input_tokens
    batch = None if r.service_tier is None else r.service_tier == "batch"
    return UsageRecord(start, "anthropic", r.model, r.workspace_id, None,
                       r.uncached_input_tokens + written + r.cache_read_input_tokens, r.cache_read_input_tokens,
                       written, r.output_tokens, batch, None)


def read(source: ExportFile) -> Iterator[Item]:
    return bucket_results(source, FORMAT, Bucket, Result, "starting_at", "ending_at", DIMENSIONS, _record)


def shape(value: Any) -> bool:
    return is_page(value, "starting_at", "ending_at")


FORMAT = ExportFormat("anthropic_usage", "Anthropic Admin API usage report, messages",
                      ('"uncached_input_tokens"',), read, shape)
