"""OpenAI's organization Usage API, completions endpoint (`GET /v1/organization/usage/completions`).

A page holds time buckets (`data[]`, `start_time`/`end_time` in Unix seconds), each with `results[]`:
`input_tokens` (cached included), `input_cached_tokens`, `output_tokens`, `num_model_requests` and, when the
request groups by them, `model`, `project_id`, `api_key_id` and `batch`. Saved pages come as one page, a JSON array
of pages or one page per line. The import needs `group_by=model`; `project_id` becomes the workload's group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from aicto.usage import buckets
from aicto.usage.buckets import bucket_results, is_page
from aicto.usage.records import ExportFormat, Item, Name, Requests, Tokens, UsageRecord
from aicto.usage.source import ExportFile, Moment

RESULT = "organization.usage.completions.result"
DIMENSIONS = ("model", "project_id", "user_id", "api_key_id", "batch", "service_tier")  # what a report groups by


class Bucket(buckets.Bucket):
    start_time: Moment = Field(description="Unix seconds, in 2000-2099")
    end_time: Moment = Field(description="Unix seconds, in 2000-2099")


class Result(BaseModel):
    model_config = ConfigDict(extra="ignore")
    object: Literal[RESULT] = RESULT  # type: ignore[valid-type]
    model: Name = Field(description="export with group_by=model")
    input_tokens: Tokens
    input_cached_tokens: Tokens | None = None
    output_tokens: Tokens
    num_model_requests: Requests
    project_id: Name | None = None
    batch: bool | None = None


def _record(start: dt.datetime, r: Result) -> UsageRecord:
    return UsageRecord(start, "openai", r.model, r.project_id, r.num_model_requests, r.input_tokens,
                       r.input_cached_tokens, 0, r.output_tokens, r.batch, None)


def read(source: ExportFile) -> Iterator[Item]:
    return bucket_results(source, FORMAT, Bucket, Result, "start_time", "end_time", DIMENSIONS, _record)


def shape(value: Any) -> bool:
    return is_page(value, "start_time", "end_time")


FORMAT = ExportFormat("openai_usage", "OpenAI Usage API, completions", (RESULT, '"num_model_requests"'), read, shape)
