"""The shape both providers' usage reports share: pages whose `data[]` holds time buckets with `results[]`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from aicto.usage.records import Covered, Item, UsageRecord
from aicto.usage.source import ExportFile, utc

Result = TypeVar("Result", bound=BaseModel)


class Bucket(BaseModel):
    """One time bucket of a report; each format names its start and end as its API does."""

    model_config = ConfigDict(extra="ignore")
    results: list[Any] = []


def bucket_results(source: ExportFile, bucket: type[Bucket], result: type[Result], start: str, end: str,
                   record: Callable[[dt.datetime, Result], UsageRecord]) -> Iterator[Item]:
    """Each bucket's time span (an empty bucket still counts as a measured day), then its results as records; a bad
    bucket or result is recorded as a problem and skipped."""
    for number, data in enumerate(source.items("data.item"), 1):
        parsed = source.validate(bucket, data, f"bucket {number}")
        if parsed is None:
            continue
        begin = utc(getattr(parsed, start))
        yield Covered(begin, utc(getattr(parsed, end)))
        for raw in parsed.results:
            source.records += 1
            r = source.validate(result, raw, f"record {source.records}")
            if r is not None:
                yield record(begin, r)
