"""What every export format yields: measured usage, and the time span an export says it covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aicto.usage.source import ExportFile


@dataclass(slots=True)
class UsageRecord:
    """One slice of usage as the export gives it: a bucket's result, a gateway log row or a traced call.

    `None` means the export does not say (no request count, no cache or batch breakdown), which is not the same as 0:
    only what an export measures becomes a measured workload field."""

    start: dt.datetime  # UTC
    provider: str | None  # as the export names it; None: known from the model name alone
    model: str  # as the export names it, e.g. gpt-4o-2024-08-06
    group: str | None  # the export's project, workspace or tag
    requests: int | None
    input_tokens: int  # every input token, cached ones included
    cache_read_tokens: int | None
    cache_write_tokens: int
    output_tokens: int
    batch: bool | None
    cost: float | None  # USD, where the export prices its own usage


@dataclass(frozen=True, slots=True)
class Covered:
    """A time span the export reports on, with or without usage in it (an empty day is still a measured day)."""

    start: dt.datetime
    end: dt.datetime


Item = UsageRecord | Covered


@dataclass(frozen=True)
class ExportFormat:
    """One kind of export: how to recognise it from the start of a file, and how to read it."""

    name: str
    title: str
    markers: tuple[str, ...]  # text found near the start of such a file
    read: Callable[[ExportFile], Iterator[Item]]
