"""What every export format yields: measured usage, and the time span an export says it covers; and the bounds of
one record, each one a real export reaches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from aicto.profile.schema import MAX_REQUESTS

if TYPE_CHECKING:
    from aicto.usage.source import ExportFile

# A model, project, workspace, key or tag name: provider ids and names are under 100 characters.
MAX_NAME = 256
# A record's requests: a bucket (a day at most) or a row never holds more than a month of the largest workload a
# profile may give (MAX_REQUESTS, 1e11: ChatGPT's scale).
MAX_RECORD_REQUESTS = MAX_REQUESTS
# A record's tokens: ChatGPT-scale traffic (7.5e10 requests a month) of 10,000 tokens each is 7.5e14 a month.
MAX_RECORD_TOKENS = 10**15
# A bucket's span: the providers' reports bucket by the minute, hour or day; a month is past any of them.
MAX_BUCKET_DAYS = 31

Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Tokens = Annotated[int, Field(strict=True, ge=0, le=MAX_RECORD_TOKENS)]
Requests = Annotated[int, Field(strict=True, ge=0, le=MAX_RECORD_REQUESTS)]


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
    # Where it stands, not what it measures (two equal records compare equal wherever they stand):
    number: int = field(default=0, compare=False)  # the record's number in its file, for messages
    key: Hashable = field(default=None, compare=False)  # what makes it this record and no other (a request id, a
    # bucket and its group); None: the export does not say
    kind: str = field(default="record", compare=False)  # what a repeat is called: request, span, bucket and group


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
    shape: Callable[[Any], bool]  # whether a top-level value of a file (an array's item) is one of this format's
