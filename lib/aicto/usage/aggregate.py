"""Sums of usage records by month, provider, model, group and batch, with the months each format covers.

Model names are mapped to genai-prices ids as records arrive (`gpt-4o-2024-08-06` and `gpt-4o` add up under
`openai/gpt-4o`); a name genai-prices cannot match is summed apart under its own name, never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from aicto.profile.pricing import UnknownModel, find_model
from aicto.profile.problems import InputError, Problem
from aicto.usage.records import Covered, ExportFormat, UsageRecord
from aicto.usage.source import ExportFile

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


@dataclass
class Usage:
    """Everything read from the exports, summed."""

    totals: dict[Key, Totals] = field(default_factory=dict)
    unmapped: dict[tuple[str, str | None, str], Totals] = field(default_factory=dict)  # (file, provider, model)
    coverage: dict[str, dict[Month, list[dt.datetime]]] = field(default_factory=dict)  # format -> first, last
    files: list[FileRead] = field(default_factory=list)

    def read(self, source: ExportFile, fmt: ExportFormat, models: ModelMap) -> None:
        """Add one export file; raises InputError (nothing added that matters: the import stops) on bad records."""
        cover = self.coverage.setdefault(fmt.name, {})
        for item in fmt.read(source):
            if isinstance(item, Covered):
                _extend(cover, item.start, item.end)
                continue
            _extend(cover, item.start, item.start)
            found = models(item.provider, item.model)
            if found is None:
                self.unmapped.setdefault((source.name, item.provider, item.model), Totals()).add(item)
                continue
            key = ((item.start.year, item.start.month), *found, item.group, item.batch)
            totals = self.totals.get(key)
            if totals is None:
                totals = self.totals[key] = Totals()
            totals.add(item)
        source.finish()
        self.files.append(FileRead(source.name, fmt.name, source.records, source.skipped))


def _extend(cover: dict[Month, list[dt.datetime]], start: dt.datetime, end: dt.datetime) -> None:
    span = cover.get((start.year, start.month))
    if span is None:
        cover[(start.year, start.month)] = [start, end]
    else:
        span[0] = min(span[0], start)
        span[1] = max(span[1], end)
