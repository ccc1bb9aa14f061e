"""Cost assumptions: low/high ranges with sources, kept in playbook/costs/assumptions.yaml.

A client profile overrides any of them under `costs:` with the same keys. The override model is derived from the
assumption models (`partial`), so the two can never drift apart.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

CLIENT_SOURCE = "client profile"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Strict):
    low: float = Field(ge=0, allow_inf_nan=False)
    high: float = Field(ge=0, allow_inf_nan=False)
    source: str = CLIENT_SOURCE

    @model_validator(mode="before")
    @classmethod
    def _single_number(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"low": value, "high": value}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) must not exceed high ({self.high:g})")
        return self

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    def at(self, case: str) -> float:
        """The value for a scenario case: low, base (midpoint) or high."""
        return {"low": self.low, "base": self.mid, "high": self.high}[case]


class FullTimeAssumptions(_Strict):
    salary: Range
    benefits_rate: Range
    equity_per_year: Range
    recruiting_fee_rate: Range
    months_to_hire: Range
    months_to_ramp: Range
    failure_probability: Range
    failure_cost_salary_multiple: Range


class AgencyAssumptions(_Strict):
    monthly_retainer: Range
    project_fees_per_year: Range
    months_to_impact: Range
    failure_probability: Range
    failure_cost_months: Range


class FractionalAssumptions(_Strict):
    day_rate: Range
    days_per_week: Range
    working_weeks_per_year: Range
    weeks_to_start: Range
    failure_probability: Range
    failure_cost_months: Range


class LeadershipAssumptions(_Strict):
    full_time: FullTimeAssumptions
    agency: AgencyAssumptions
    fractional: FractionalAssumptions


class HiddenCostAssumptions(_Strict):
    weeks_per_wrong_decision: Range


class ClientTimeAssumptions(_Strict):
    product_day_rate: Range
    leadership_day_rate: Range


class LeverShares(_Strict):
    prompt_caching: float = Field(ge=0, le=1)
    batch_processing: float = Field(ge=0, le=1)
    model_routing: float = Field(ge=0, le=1)
    prompt_trimming: float = Field(ge=0, le=1)
    response_caching: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> LeverShares:
        total = sum(self.model_dump().values())
        if abs(total - 1) > 1e-9:
            raise ValueError(f"lever shares must add up to 1, they add up to {total:g}")
        return self


class AISpendAssumptions(_Strict):
    price_date: dt.date
    savings_rate: Range
    lever_shares: LeverShares
    cache_hit_rate: Range
    realisation: Range
    growth_months: Range


class _Sourced(_Strict):
    """A set of assumptions whose ranges cite keys of its own `sources` mapping."""

    sources: dict[str, str] = {}

    @model_validator(mode="after")
    def _sources_exist(self) -> _Sourced:
        missing = sorted({r.source for r in _ranges(self) if r.source != CLIENT_SOURCE} - set(self.sources))
        if missing:
            raise ValueError(f"source keys not defined under sources: {', '.join(missing)}")
        return self

    def cite(self, source: str) -> str:
        return self.sources.get(source, source)

    def with_overrides(self, overrides: BaseModel | None) -> Self:
        """Apply a profile's overrides; every overridden range is cited as the client profile."""
        if overrides is None:
            return self
        return type(self).model_validate(_merge(self.model_dump(), overrides.model_dump(exclude_none=True)))


class CostAssumptions(_Sourced):
    leadership: LeadershipAssumptions
    hidden: HiddenCostAssumptions
    client_time: ClientTimeAssumptions
    ai_spend: AISpendAssumptions


class MonteCarloSettings(_Strict):
    draws: int = Field(ge=100, le=1_000_000)
    seed: int = Field(ge=0)


class RoiAssumptions(_Sourced):
    months_earlier: Range
    delivery_slip: Range = Field(description="share of the plan's time to a delivery by which it slips")
    monthly_value_factor: Range
    wrong_bet_probability: Range = Field(description="chance an idea chosen without a KPI misses its goal")
    wrong_bet_months: Range = Field(description="months of building before a wrong bet shows")
    rework_months: Range = Field(description="months after the launch in which a wrong decision's rework happens")
    self_found_savings: Range = Field(description="share of the LLM saving the client would find without us")
    monte_carlo: MonteCarloSettings


def _ranges(model: BaseModel) -> list[Range]:
    out = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, Range):
            out.append(value)
        elif isinstance(value, BaseModel):
            out.extend(_ranges(value))
    return out


def _merge(base: dict, update: dict) -> dict:
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict) and set(value) != {"low", "high", "source"}:
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


@functools.cache
def partial(model: type[BaseModel]) -> type[BaseModel]:
    """The same keys as `model`, every one optional: the shape of a profile's overrides."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "sources":
            continue
        tp = info.annotation
        if tp is Range:
            fields[name] = (Range | None, Field(None, description="a number, or {low: number, high: number}"))
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            fields[name] = (partial(tp) | None, None)
        else:
            fields[name] = (tp | None, None)
    return create_model(f"{model.__name__}Override", __config__=ConfigDict(extra="forbid", frozen=True), **fields)


CostOverrides = partial(CostAssumptions)
RoiOverrides = partial(RoiAssumptions)
