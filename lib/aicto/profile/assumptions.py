"""Cost and ROI assumptions: low/high ranges, each citing a source, kept in playbook/{costs,roi}/assumptions.yaml.

A client profile overrides any of them under `costs:` / `roi:` with the same keys. The override model is derived from
the assumption models (`partial`), so the two can never drift apart and an override keeps the bounds of its field.
Each kind of range (money, share, months, ...) has its own bounds, so that every value the playbook or a profile may
hold gives finite, sensible numbers. A source says what kind of support a default has (a publication, the
playbook's own arithmetic on publications, or a judgement) so a reader can check it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from aicto.profile.problems import suggest
from aicto.text.money import DEFAULT_LOCALE, in_locale

CLIENT_SOURCE = "client profile"
# What a derivation's or judgement's text starts with, so the reports say what it is.
TEXT_PREFIX = {"derivation": "Derived", "judgement": "Playbook judgement"}
FULL_REFERENCE = "Author, Title, Publisher, Year"
# Another playbook file's key or heading: "costs/assumptions.yaml: sources.betz", "README.md: The engagement method".
PLAYBOOK_REF = re.compile(r"^[\w./-]+\.(?:yaml|md): \S")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
# Ceilings of money, in the client's currency. Each is one a real client can reach and not far past it: the currencies
# a profile takes run to about 150 units per USD (JPY), so a ceiling leaves room for the yen figure of a real amount.
# Any other amount (a salary, a day rate, a fee, a month's value of an AI feature): the largest real ones are a
# full-time CTO's package (about $1M a year) and the value of a large company's AI feature (Klarna put its assistant
# at $40M of profit in 2024, about $3M a month): 1e10 holds either in yen with room, and sums of it over a 36-month
# horizon stay readable ("$360B"), never "$26,116,827,156,365K".
MAX_MONEY = 1e10
# A month's LLM bill (the bill, its months in actuals and in the imported history): the largest real LLM bills are
# in the low millions of USD a month; 1e9 is past that in USD and still holds a $5M bill in yen (7.5e8).
MAX_BILL = 1e9
EARLIEST_DATE, LATEST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
# The JSON Schema sees a date as an editor does, a string: the pattern holds it to the years 2000-2099.
YEARS_PATTERN = r"^20\d\d-"
Date = Annotated[dt.date, Field(ge=EARLIEST_DATE, le=LATEST_DATE, description="a date from 2000-01-01 to 2099-12-31",
                                json_schema_extra={"pattern": YEARS_PATTERN})]


# Numbers as YAML types them: never the text "1000", never true; finite.
YamlNumber = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Amount = Annotated[YamlNumber, Field(ge=0, le=MAX_MONEY, description="an amount, 0 to 1e10")]
Fraction = Annotated[YamlNumber, Field(ge=0, le=1, description="a fraction, 0 to 1")]
Multiple = Annotated[YamlNumber, Field(ge=0, le=10, description="a multiple, 0 to 10")]
Months = Annotated[YamlNumber, Field(ge=0, le=120, description="months, 0 to 120")]
Weeks = Annotated[YamlNumber, Field(ge=0, le=52, description="weeks, 0 to 52")]
DaysPerWeek = Annotated[YamlNumber, Field(ge=0, le=7, description="days a week, 0 to 7")]


@dataclass(frozen=True)
class ShortForm:
    """Metadata for a model a file may also write in a short form (`question: 3` for `{score: 3}`): the model's
    before-validator accepts it, and the JSON Schema editors read says so, as `anyOf: [short, full]`."""

    short: dict[str, Any]

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"anyOf": [dict(self.short), handler(core_schema)]}


def about(description: str, unit: str | None = None, **kwargs: Any) -> Any:
    """A field's description and the unit consultant mode shows beside it ({currency}: the client's currency); the
    profile's JSON Schema carries both."""
    if unit:
        kwargs["json_schema_extra"] = {"unit": unit}
    return Field(description=description, **kwargs)


MONEY_YEAR, MONEY_MONTH, MONEY_DAY = "{currency}/year", "{currency}/month", "{currency}/day"
SHARE = "fraction 0-1"


class Frozen(BaseModel):
    """Read-only data (the playbook, a recorded snapshot) that refuses keys it does not know."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use


class Range(Frozen):
    """A low-high pair with its source. The base takes any amount up to MAX_MONEY (money is a MoneyRange); the
    subclasses below narrow the bounds to what their kind of figure can be."""

    low: Amount
    high: Amount
    source: str = CLIENT_SOURCE

    @model_validator(mode="before")
    @classmethod
    def _single_number(cls, value: Any) -> Any:
        """`3` means {low: 3, high: 3}; checked here, so that a bad number is reported once, not as low and high."""
        if isinstance(value, str):
            raise ValueError(f"expected a number or {{low: number, high: number}}, got {value!r}")
        if not isinstance(value, int | float) or isinstance(value, bool):
            return value
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value!r}")
        for bound in cls.model_fields["low"].metadata:
            low, high = getattr(bound, "ge", None), getattr(bound, "le", None)
            if low is not None and value < low or high is not None and value > high:
                op, limit = (">=", low) if low is not None else ("<=", high)
                raise ValueError(f"{value:g} is out of range (must be {op} {limit:g})")
        return {"low": value, "high": value}

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        """The JSON Schema of `_single_number`'s two forms: a number within the bounds, or the low/high mapping."""
        full = handler(core_schema)
        fields = full["properties"]
        bounds = dict(fields["low"])
        fields["low"]["description"] = "the low case (the base case is the middle of low and high)"
        fields["high"]["description"] = "the high case, not below low"
        fields["source"]["description"] = (
            f"a key of the playbook's sources; {CLIENT_SOURCE!r} (the default) for the client's own figure")
        number = {key: bounds[key] for key in ("type", "minimum", "maximum")} | {
            "description": "one number: low and high alike"}
        full.pop("description", None)  # the class's docstring, written for the code
        return {"title": full.pop("title"), "description": f"a number, or {{low: number, high: number}}; "
                f"{bounds['description']}", "anyOf": [number, full]}

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


class MoneyRange(Range):
    """An amount of money in the client's currency: the base bounds."""


class ShareRange(Range):
    """A share, rate or probability."""

    low: Fraction
    high: Fraction


class MultipleRange(Range):
    """A multiplier of another figure (a salary, a client's own estimate)."""

    low: Multiple
    high: Multiple


class MonthsRange(Range):
    low: Months
    high: Months


class WeeksRange(Range):
    """A duration in weeks, or weeks in a year."""

    low: Weeks
    high: Weeks


class DaysPerWeekRange(Range):
    low: DaysPerWeek
    high: DaysPerWeek


class FullTimeAssumptions(Frozen):
    """A full-time AI CTO, hired."""

    salary: MoneyRange = about("a full-time AI CTO's base salary", MONEY_YEAR)
    benefits_rate: ShareRange = about("benefits and payroll taxes, as a share of the salary", SHARE)
    equity_per_year: MoneyRange = about("equity granted a year, valued in money", MONEY_YEAR)
    recruiting_fee_rate: ShareRange = about("the executive search fee, as a share of the salary", SHARE)
    months_to_hire: MonthsRange = about("months from starting the search to the hire's first day", "months")
    months_to_ramp: MonthsRange = about("months from the first day until the hire has an impact", "months")
    failure_probability: ShareRange = about("chance the hire fails", SHARE)
    failure_cost_salary_multiple: MultipleRange = about("the cost of a failed hire, as a multiple of the salary",
                                                        "times the salary")


class AgencyAssumptions(Frozen):
    """An AI consultancy or agency."""

    monthly_retainer: MoneyRange = about("an AI agency's monthly retainer", MONEY_MONTH)
    project_fees_per_year: MoneyRange = about("its project fees on top of the retainer", MONEY_YEAR)
    months_to_impact: MonthsRange = about("months from signing to the agency's first impact", "months")
    failure_probability: ShareRange = about("chance the project is abandoned", SHARE)
    failure_cost_months: MonthsRange = about("months of fees lost when it is", "months")


class FractionalAssumptions(Frozen):
    """A fractional AI CTO."""

    day_rate: MoneyRange = about("a fractional AI CTO's day rate", MONEY_DAY)
    days_per_week: DaysPerWeekRange = about("days a week a fractional CTO gives one client", "days/week")
    working_weeks_per_year: WeeksRange = about("weeks a fractional CTO works in a year", "weeks/year")
    weeks_to_start: WeeksRange = about("weeks from signing to the first day", "weeks")
    failure_probability: ShareRange = about("chance the engagement does not work out", SHARE)
    failure_cost_months: MonthsRange = about("months of fees lost when it does not (the notice period)", "months")


class LeadershipAssumptions(Frozen):
    """The AI leadership options the cost breakdown compares."""

    full_time: FullTimeAssumptions
    agency: AgencyAssumptions
    fractional: FractionalAssumptions


class HiddenCostAssumptions(Frozen):
    """What going without senior AI leadership costs."""

    weeks_per_wrong_decision: WeeksRange = about("weeks of the AI team's time that reworking one wrong AI "
                                                 "architecture decision takes", "weeks")


class ClientTimeAssumptions(Frozen):
    """The client's own people in the plan, at loaded day rates."""

    product_day_rate: MoneyRange = about("the loaded day rate of the client's product people in the plan", MONEY_DAY)
    leadership_day_rate: MoneyRange = about("the loaded day rate of the client's leadership in the plan", MONEY_DAY)


class LeverShares(Frozen):
    """Monthly-bill mode: the share of the saving each lever delivers; the five add up to 1."""

    prompt_caching: Fraction = about("share of the saving from prompt caching, 0 to 1", SHARE)
    batch_processing: Fraction = about("share of the saving from batch processing, 0 to 1", SHARE)
    model_routing: Fraction = about("share of the saving from routing requests to a cheaper model, 0 to 1", SHARE)
    prompt_trimming: Fraction = about("share of the saving from trimming prompts, 0 to 1", SHARE)
    response_caching: Fraction = about("share of the saving from caching responses, 0 to 1", SHARE)

    @model_validator(mode="after")
    def _sum_to_one(self) -> LeverShares:
        total = sum(self.model_dump().values())
        if abs(total - 1) > 1e-9:
            raise ValueError(f"lever shares must add up to 1, they add up to {total:g}")
        return self


class AISpendAssumptions(Frozen):
    """Pricing the LLM bill, and what the levers save."""

    price_date: Date = about("the day of the genai-prices prices workloads are priced at, 2000-2099")
    savings_rate: ShareRange = about("monthly-bill mode: the share of the bill the levers save", SHARE)
    lever_shares: LeverShares
    cache_hit_rate: ShareRange = about("workload mode: the share of requests with a cacheable prefix that hit a warm "
                                       "cache", SHARE)
    realisation: ShareRange = about("the share of the modelled LLM saving production realises", SHARE)
    growth_months: MonthsRange = about("months a growing LLM bill keeps compounding, then holds", "months")


class Source(Frozen):
    """Where a default comes from. The reports print `text` with the `url` or `reference` a reader checks it by.

    published: a publication that states the number (url or full reference required). derivation: the playbook's
    arithmetic, shown in `text`, on the sources named in `derives_from`. judgement: the playbook's own call, saying
    in `text` what it rests on (optionally naming sources in `rests_on`).
    """

    kind: Literal["published", "derivation", "judgement"]
    text: str = Field(min_length=1)
    url: str | None = None
    reference: str | None = None
    derives_from: tuple[str, ...] = ()
    rests_on: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _not_plain_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError("is plain text (a mapping: kind published|derivation|judgement, text, url or reference)")
        return value

    @model_validator(mode="after")
    def _complete(self) -> Source:
        problem = _source_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def inputs(self) -> tuple[str, ...]:
        """The sources a derivation derives from or a judgement rests on."""
        return self.derives_from + self.rests_on

    @property
    def location(self) -> str | None:
        return self.url or self.reference


def _source_problem(s: Source) -> str | None:
    if s.url is not None:
        parts = urlsplit(s.url)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in s.url:
            return f"url {s.url!r} is not a web address (https://...)"
    if s.reference is not None and (len(s.reference.split(",")) < 4 or not _YEAR.search(s.reference)):
        return f"reference {s.reference!r} is not a full reference ({FULL_REFERENCE})"
    if s.kind == "published" and not s.location:
        return f"a published source needs a url or a reference (url: https://..., or reference: {FULL_REFERENCE})"
    if s.derives_from and s.kind != "derivation":
        return "only a derivation has derives_from (kind: derivation)"
    if s.rests_on and s.kind != "judgement":
        return "only a judgement has rests_on (kind: judgement)"
    if s.kind == "derivation" and not s.derives_from:
        return ("a derivation must name what it derives from (derives_from: keys of sources, or a playbook file and "
                "key like 'costs/assumptions.yaml: sources.betz')")
    prefix = TEXT_PREFIX.get(s.kind)
    if prefix and not s.text.startswith(prefix):
        return f"a {s.kind}'s text must start with {prefix!r} (so the reports say what it is)"
    return None


def _errors(problems: list[tuple[tuple[str, ...], str, Any]]) -> ValidationError:
    """Problems at their own locations (sources.KEY, a range's .source), not at the top of the file."""
    return ValidationError.from_exception_data("sources", [
        InitErrorDetails(type=PydanticCustomError("value_error", "{error}", {"error": message}), loc=loc, input=value)
        for loc, message, value in problems])


class _Sourced(Frozen):
    """A set of assumptions whose ranges cite keys of its own `sources` mapping."""

    sources: dict[str, Source] = {}

    @field_validator("sources")
    @classmethod
    def _inputs_exist(cls, sources: dict[str, Source]) -> dict[str, Source]:
        allowed = "another key of sources, or a playbook file and key like 'costs/assumptions.yaml: sources.betz'"
        problems = [((key, "derives_from" if name in s.derives_from else "rests_on"),
                     f"{name!r} names no source ({suggest(name, set(sources) - {key}, allowed)})", name)
                    for key, s in sources.items() for name in s.inputs
                    if name == key or (name not in sources and not PLAYBOOK_REF.match(name))]
        if problems:
            raise _errors(problems)
        return sources

    @model_validator(mode="after")
    def _sources_exist(self) -> _Sourced:
        problems = [((*path, "source"), f"{r.source!r} is not defined under sources "
                     f"({suggest(r.source, self.sources, 'a key of sources, or ' + repr(CLIENT_SOURCE))})", r.source)
                    for path, r in ranges(self) if r.source != CLIENT_SOURCE and r.source not in self.sources]
        if problems:
            raise _errors(problems)
        return self

    def cite(self, source: str, locale: str = DEFAULT_LOCALE) -> str:
        """What the reports print for a range's source: its text (its dollar amounts as the practice's locale writes
        them), then where to check it and the sources it uses."""
        s = self.sources.get(source)
        if s is None:
            return source
        used = [s, *(self.sources[k] for k in s.inputs if k in self.sources)]
        places = list(dict.fromkeys(u.location for u in used if u.location))
        text = in_locale(s.text, locale)
        return f"{text} ({'; '.join(places)})" if places else text

    def with_overrides(self, overrides: BaseModel | None) -> Self:
        """Apply a profile's overrides; every overridden range is cited as the client profile."""
        if overrides is None:
            return self
        return type(self).model_validate(_merge(self.model_dump(), overrides.model_dump(exclude_none=True)))


class CostAssumptions(_Sourced):
    """The cost breakdown's assumptions, in playbook/costs/assumptions.yaml: low-high ranges, each citing a source. A
    profile's `costs:` overrides any of them with the same keys, one number setting low and high alike."""

    leadership: LeadershipAssumptions
    hidden: HiddenCostAssumptions
    client_time: ClientTimeAssumptions
    ai_spend: AISpendAssumptions


class MonteCarloSettings(Frozen):
    """The Monte Carlo simulation of the ROI's spread."""

    # 100,000 draws over 36 months take about 0.6 s and 14 MB (evaluated 1,000 at a time; measured 2026-11-27).
    draws: int = Field(ge=100, le=100_000, strict=True, description="Monte Carlo draws, 100 to 100000")
    seed: int = Field(ge=0, le=2**32 - 1, strict=True, description="random seed, 0 to 4294967295")


class RoiAssumptions(_Sourced):
    """The ROI's assumptions, in playbook/roi/assumptions.yaml: low-high ranges, each citing a source. A profile's
    `roi:` overrides any of them with the same keys, one number setting low and high alike."""

    months_earlier: MonthsRange = about("months earlier to production with a fractional CTO", "months")
    delivery_slip: ShareRange = about("share of the plan's time to a delivery by which it slips", SHARE)
    monthly_value_factor: MultipleRange = about("the uncertainty on the client's monthly value, as a multiple of it",
                                                "times the monthly value")
    wrong_bet_probability: ShareRange = about("chance an idea chosen without a KPI misses its goal", SHARE)
    wrong_bet_months: MonthsRange = about("months of building before a wrong bet shows", "months")
    rework_months: MonthsRange = about("months after the launch in which a wrong decision's rework happens", "months")
    self_found_savings: ShareRange = about("share of the LLM saving the client would find without us", SHARE)
    monte_carlo: MonteCarloSettings


def ranges(model: BaseModel, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Range]]:
    """Every range in a set of assumptions, with its path (e.g. ("leadership", "full_time", "salary"))."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, Range):
            yield (*path, name), value
        elif isinstance(value, BaseModel):
            yield from ranges(value, (*path, name))


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
    """The same keys as `model`, every one optional, each with the bounds of its field: the shape of a profile's
    overrides. Checks across fields (lever shares adding up to 1) need the merged result: see `with_overrides`."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "sources":
            continue
        tp = info.annotation
        if isinstance(tp, type) and issubclass(tp, Range):
            shape = f"a number, or {{low: number, high: number}}; {tp.model_fields['low'].description}"
            text = f"{info.description}; {shape}" if info.description else shape
            fields[name] = (tp | None, Field(None, description=text, json_schema_extra=info.json_schema_extra))
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            fields[name] = (partial(tp) | None, None)
        else:
            fields[name] = (tp | None, FieldInfo.merge_field_infos(info, default=None))
    config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    return create_model(f"{model.__name__}Override", __config__=config, __doc__=model.__doc__, **fields)


CostOverrides = partial(CostAssumptions)
RoiOverrides = partial(RoiAssumptions)
