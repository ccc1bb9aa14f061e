"""The shape both providers' usage reports share: pages whose `data[]` holds time buckets with `results[]`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from aicto.profile.problems import Problem
from aicto.usage.records import MAX_BUCKET_DAYS, Covered, Item, UsageRecord
from aicto.usage.source import ExportFile

Result = TypeVar("Result", bound=BaseModel)


class Bucket(BaseModel):
    """One time bucket of a report; each format names its start and end as its API does."""

    model_config = ConfigDict(extra="ignore")
    results: list[Any] = []


def is_page(value: Any, start: str, end: str) -> bool:
    """A page of a bucket report whose buckets span `start` to `end` (an empty page is any report's)."""
    data = value.get("data") if isinstance(value, dict) else None
    return isinstance(data, list) and all(isinstance(b, dict) and (start in b or end in b) for b in data[:1])


def bucket_results(source: ExportFile, fmt: Any, bucket: type[Bucket], result: type[Result], start: str, end: str,
                   dimensions: tuple[str, ...], record: Callable[[dt.datetime, Result], UsageRecord]
                   ) -> Iterator[Item]:
    """Each bucket's time span (an empty bucket still counts as a measured day), then its results as records; a bad
    page, bucket or result is recorded as a problem and skipped. A result is known by its bucket and its
    `dimensions` (what the report groups by), so the same one given twice is found."""
    number = 0
    for page in source.values():
        if not source.belongs(page, fmt):
            continue
        for data in page["data"]:
            number += 1
            parsed = source.validate(bucket, data, f"bucket {number}")
            if parsed is None:
                continue
            begin, finish = getattr(parsed, start), getattr(parsed, end)
            if not begin < finish <= begin + dt.timedelta(days=MAX_BUCKET_DAYS):
                side = "before the bucket's start" if finish <= begin else f"more than {MAX_BUCKET_DAYS} days after it"
                source.problem(Problem(f"bucket {number}: {end}", f"{finish.isoformat()} is {side} "
                                       f"({begin.isoformat()})", "a bucket that ends after it starts, within "
                                       f"{MAX_BUCKET_DAYS} days"))
                continue
            yield Covered(begin, finish)
            for raw in parsed.results:
                source.records += 1
                r = source.validate(result, raw, f"record {source.records}")
                if r is not None:
                    found = record(begin, r)
                    found.number = source.records
                    found.kind = "bucket and group"
                    found.key = (begin, finish, json.dumps([raw.get(d) for d in dimensions], default=str))
                    yield found
