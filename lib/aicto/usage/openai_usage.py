"""OpenAI's organization Usage API, completions endpoint (`GET /v1/organization/usage/completions`).

A page holds time buckets (`data[]`, `start_time`/`end_time` in Unix seconds), each with `results[]`:
`input_tokens` (cached included), `input_cached_tokens`, `output_tokens`, `num_model_requests` and, when the
request groups by them, `model`, `project_id`, `api_key_id` and `batch`. Saved pages come as one page, a JSON array
of pages or one page per line. The import needs `group_by=model`; `project_id` becomes the workload's group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aicto.profile.schema import Count
from aicto.usage import buckets
from aicto.usage.buckets import bucket_results
from aicto.usage.records import ExportFormat, Item, UsageRecord
from aicto.usage.source import ExportFile

RESULT = "organization.usage.completions.result"


class Bucket(buckets.Bucket):
    start_time: dt.datetime = Field(description="Unix seconds")
    end_time: dt.datetime = Field(description="Unix seconds")


class Result(BaseModel):
    model_config = ConfigDict(extra="ignore")
    object: Literal[RESULT] = RESULT  # type: ignore[valid-type]
    model: str = Field(min_length=1, description="export with group_by=model")
    input_tokens: Count = Field(ge=0)
    input_cached_tokens: Count | None = Field(None, ge=0)
    output_tokens: Count = Field(ge=0)
    num_model_requests: Count = Field(ge=0)
    project_id: str | None = None
    batch: bool | None = None


def _record(start: dt.datetime, r: Result) -> UsageRecord:
    return UsageRecord(start, "openai", r.model, r.project_id, r.num_model_requests, r.input_tokens,
                       r.input_cached_tokens, 0, r.output_tokens, r.batch, None)


def read(source: ExportFile) -> Iterator[Item]:
    return bucket_results(source, Bucket, Result, "start_time", "end_time", _record)


FORMAT = ExportFormat("openai_usage", "OpenAI Usage API, completions", (RESULT, '"num_model_requests"'), read)
