"""Sums of usage records by month, provider, model, group and batch, with the months each format covers.

Model names are mapped to genai-prices ids as records arrive (`gpt-4o-2024-08-06` and `gpt-4o` add up under
`openai/gpt-4o`); a name genai-prices cannot match is summed apart under its own name, never dropped.

A record that contradicts itself is refused with its number: tokens in 0 requests, more cached tokens than input
tokens, more tokens a request than any model reads. So is usage given twice: the same file content under two names,
or the same record (a request id, a span's ids, a bucket and its group) in two overlapping exports; refused rather
than counted once, as which of two differing copies is right is the consultant's to say. Records are remembered by
an 8-byte hash each, so that a million of them cost 16 MB, not a set of their ids.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from aicto.profile.pricing import UnknownModel, find_model
from aicto.profile.problems import InputError, Problem
from aicto.profile.schema import MAX_INPUT_TOKENS, MAX_OUTPUT_TOKENS
from aicto.usage.formats import FORMATS
from aicto.usage.records import Covered, ExportFormat, UsageRecord
from aicto.usage.source import MAX_PROBLEMS, ExportFile

Month = tuple[int, int]  # (year, month)
Key = tuple[Month, str, str, str | None, bool | None]  # (month, provider id, model id, group, batch)


@dataclass(slots=True)
class Totals:
    """Summed usage; a `*_known` flag is False once any record did not say (no request count, no cache split)."""

    records: int = 0
    requests: int = 0
    requests_known: bool = True
    input_tokens: int = 0
    cache_read_tokens: int = 0
    cache_known: bool = True
    cache_write_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    cost_known: bool = True

    def add(self, r: UsageRecord) -> None:
        self.records += 1
        if r.requests is None:
            self.requests_known = False
        else:
            self.requests += r.requests
        self.input_tokens += r.input_tokens
        if r.cache_read_tokens is None:
            self.cache_known = False
        else:
            self.cache_read_tokens += r.cache_read_tokens
        self.cache_write_tokens += r.cache_write_tokens
        self.output_tokens += r.output_tokens
        if r.cost is None:
            self.cost_known = False
        else:
            self.cost += r.cost

    def merge(self, other: Totals) -> None:
        self.records += other.records
        self.requests += other.requests
        self.requests_known &= other.requests_known
        self.input_tokens += other.input_tokens
        self.cache_read_tokens += other.cache_read_tokens
        self.cache_known &= other.cache_known
        self.cache_write_tokens += other.cache_write_tokens
        self.output_tokens += other.output_tokens
        self.cost += other.cost
        self.cost_known &= other.cost_known


def total(parts: list[Totals]) -> Totals:
    out = Totals()
    for part in parts:
        out.merge(part)
    return out


class ModelMap:
    """Export model names to (provider id, model id) through genai-prices, with the consultant's `--map` choices
    (`NAME=provider/model`) first."""

    def __init__(self, overrides: Mapping[str, str] | None = None):
        self.overrides: dict[str, tuple[str, str]] = {}
        self._cache: dict[tuple[str | None, str], tuple[str, str] | None] = {}
        self.failures: dict[tuple[str | None, str], str] = {}  # why genai-prices matched no model, closest ids
        problems = []
        for name, target in (overrides or {}).items():
            provider, _, model = target.rpartition("/")
            try:
                self.overrides[name] = find_model(provider or None, model)
            except UnknownModel as exc:
                problems.append(Problem(name, str(exc), "NAME=provider/model with a genai-prices id"))
        if problems:
            raise InputError("--map", problems)

    def __call__(self, provider: str | None, model: str) -> tuple[str, str] | None:
        key = (provider, model)
        if key not in self._cache:
            try:
                self._cache[key] = self.overrides.get(model) or find_model(provider, model)
            except UnknownModel as exc:
                self._cache[key] = None
                self.failures[key] = str(exc)
        return self._cache[key]

    def names(self, found: tuple[str, str]) -> list[str]:
        """The names the exports wrote for one genai-prices model."""
        return sorted({model for (_, model), target in self._cache.items() if target == found})


@dataclass
class FileRead:
    name: str
    format: str
    records: int
    skipped: int


def contradiction(r: UsageRecord) -> Problem | None:
    """What makes a record impossible, as its problem; None for a record that can be."""
    where = f"record {r.number}"
    if r.requests == 0 and (r.input_tokens or r.output_tokens):
        return Problem(where, f"{r.input_tokens:,} input and {r.output_tokens:,} output tokens in 0 requests",
                       "requests that carry the tokens")
    read, written = r.cache_read_tokens or 0, r.cache_write_tokens
    if read < 0 or written < 0 or read + written > r.input_tokens:
        return Problem(where, f"cached tokens ({read:,} read, {written:,} written) exceed the input tokens "
                              f"({r.input_tokens:,})", "cached tokens are part of the input tokens")
    if r.requests and (r.input_tokens > r.requests * MAX_INPUT_TOKENS or
                       r.output_tokens > r.requests * MAX_OUTPUT_TOKENS):
        tokens = (f"{r.input_tokens:,} input" if r.input_tokens > r.requests * MAX_INPUT_TOKENS
                  else f"{r.output_tokens:,} output")
        return Problem(where, f"{tokens} tokens in {r.requests:,} request{'s' * (r.requests > 1)}: more per request "
                              "than any model reads", f"at most {MAX_INPUT_TOKENS:,} input and {MAX_OUTPUT_TOKENS:,} "
                                                      "output tokens a request")
    return None


@dataclass
class Usage:
    """Everything read from the exports, summed, and what was read per file, month and model as the files name it."""

    totals: dict[Key, Totals] = field(default_factory=dict)
    unmapped: dict[tuple[str, str | None, str], Totals] = field(default_factory=dict)  # (file, provider, model)
    coverage: dict[str, dict[Month, list[dt.datetime]]] = field(default_factory=dict)  # format -> first, last
    files: list[FileRead] = field(default_factory=list)
    by_file: dict[str, dict[tuple[Month, str | None, str], Totals]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # file content -> the first file that had it
    _ids: array = field(default_factory=lambda: array("q"))  # each keyed record's hash ...
    _where: array = field(default_factory=lambda: array("q"))  # ... and its file's index << 32 | its number
    _kinds: dict[int, str] = field(default_factory=dict)  # file index -> what its records are called

    def read(self, source: ExportFile, fmt: ExportFormat, models: ModelMap) -> None:
        """Add one export file; raises InputError (nothing added that matters: the import stops) on bad records."""
        cover = self.coverage.setdefault(fmt.name, {})
        source.formats = tuple(FORMATS.values())
        index = len(self.files)
        per_file = self.by_file.setdefault(source.name, {})
        ids, where = self._ids, self._where
        for item in fmt.read(source):
            if isinstance(item, Covered):
                _extend(cover, item.start, item.end)
                continue
            if (problem := contradiction(item)) is not None:
                source.problem(problem)
                continue
            if item.key is not None:
                ids.append(hash((fmt.name, item.key)))
                where.append(index << 32 | item.number)
                self._kinds[index] = item.kind
            _extend(cover, item.start, item.start)
            month = (item.start.year, item.start.month)
            named = (month, item.provider, item.model)
            totals = per_file.get(named)
            if totals is None:
                totals = per_file[named] = Totals()
            totals.add(item)
            found = models(item.provider, item.model)
            if found is None:
                self.unmapped.setdefault((source.name, item.provider, item.model), Totals()).add(item)
                continue
            key = (month, *found, item.group, item.batch)
            totals = self.totals.get(key)
            if totals is None:
                totals = self.totals[key] = Totals()
            totals.add(item)
        source.finish()
        if source.digest is not None and source.digest in self.digests:
            raise InputError(source.name, [Problem("(file)", f"the same export as {self.digests[source.digest]}",
                                                   "each export once: its usage would count twice")])
        if source.digest is not None:
            self.digests[source.digest] = source.name
        self.files.append(FileRead(source.name, fmt.name, source.records, source.skipped))

    def check_repeats(self) -> None:
        """Refuse a record given twice (InputError naming the file of each repeat, with the record it repeats)."""
        ids = np.frombuffer(self._ids, dtype=np.int64) if self._ids else np.empty(0, np.int64)
        order = np.argsort(ids, kind="stable")  # a run of equal ids in reading order: the first is the original
        same = np.flatnonzero(ids[order][1:] == ids[order][:-1])
        if not len(same):
            return
        where = np.frombuffer(self._where, dtype=np.int64)
        original: dict[int, int] = {}  # a repeat's position -> the position of the record it repeats
        problems: dict[int, list[tuple[int, Problem]]] = {}
        for i in same[: MAX_PROBLEMS * len(self.files)]:
            first = original.setdefault(int(order[i]), int(order[i]))
            original[int(order[i + 1])] = first
            file, number = divmod(int(where[order[i + 1]]), 1 << 32)
            then_file, then = divmod(int(where[first]), 1 << 32)
            of = "" if then_file == file else f" of {self.files[then_file].name}"
            problems.setdefault(file, []).append((number, Problem(
                f"record {number}", f"the same {self._kinds[file]} as record {then}{of}",
                "each record once: overlapping exports would count it twice")))
        file = min(problems)
        raise InputError(self.files[file].name, [p for _, p in sorted(problems[file])][:MAX_PROBLEMS])


def _extend(cover: dict[Month, list[dt.datetime]], start: dt.datetime, end: dt.datetime) -> None:
    span = cover.get((start.year, start.month))
    if span is None:
        cover[(start.year, start.month)] = [start, end]
    else:
        span[0] = min(span[0], start)
        span[1] = max(span[1], end)
