"""The client profile: the single definition of what a client YAML file may hold.

Sections that later deliverables need (costs, AI workloads, value, roadmap) are optional models, so adding one
never breaks an existing file. Unknown keys are always rejected: a typo must not fall back to a default.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from aicto.profile.actuals import Actuals, actuals_problems
from aicto.profile.assumptions import MAX_BILL, MAX_MONEY, CostOverrides, Date, RoiOverrides, ShortForm
from aicto.profile.plaintext import Line, Note
from aicto.profile.playbook import Playbook, load_playbook
from aicto.profile.pricing import UnknownModel, check_model, check_provider
from aicto.profile.problems import InputError, Problem, problems_from_validation, suggest
from aicto.profile.yamlio import read_yaml_mapping

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"  # for editors; the validator checks the code has a holiday calendar
CURRENCIES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "SGD", "JPY", "INR")

Money = Annotated[float, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False, strict=True,
                               description="an amount of money, 0 to 1e10")]
Bill = Annotated[float, Field(ge=0, le=MAX_BILL, allow_inf_nan=False, strict=True,
                              description="a month's LLM bill, 0 to 1e9")]
# A year's loaded cost of one engineer: the best-paid engineers cost a few million USD a year; 1e9 holds that in yen.
MAX_ENGINEER_COST = 1e9
# Software engineers at one client: the largest employers of engineers (Google, Microsoft, Amazon) have on the order
# of 100,000.
MAX_ENGINEERS = 100_000
# Requests a month of one workload: ChatGPT, the largest LLM service, answered about 2.5 billion prompts a day in 2025
# (7.5e10 a month); no client's feature is larger.
MAX_REQUESTS = 10**11
# Tokens of one request: the largest context windows hold 10M tokens (Llama 4 Scout) and no model writes more than a
# few hundred thousand tokens in one response.
MAX_INPUT_TOKENS, MAX_OUTPUT_TOKENS = 10_000_000, 1_000_000
# Numbers are strict: YAML already types them, and `true` must not quietly count as 1.
Count = Annotated[int, Field(strict=True)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
# Only true or false: "yes", "no", 1 and 0 would otherwise pass as booleans, and "no" as a typo of "on" would not.
Flag = Annotated[bool, Field(strict=True)]


def unit(text: str) -> dict[str, str]:
    """The unit consultant mode shows beside a number field; {currency} becomes the client's currency."""
    return {"unit": text}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)  # built on first use


class Client(Strict):
    """Who the client is: its id, name and industry, the currency of its figures, and the country whose public
    holidays are not worked."""

    # _fx_for_other_currencies, for editors (the JSON Schema): a currency other than USD needs its exchange rate;
    # USD (the default) has none, or 1
    model_config = ConfigDict(json_schema_extra={
        "if": {"required": ["currency"], "properties": {"currency": {"not": {"const": "USD"}}}},
        "then": {"required": ["fx_per_usd"], "properties": {"fx_per_usd": {"type": "number"}}},
        "else": {"properties": {"fx_per_usd": {"enum": [None, 1]}}},
    })

    id: str = Field(
        title="Client ID", pattern=SLUG_PATTERN, description="lower-case letters, digits and hyphens, e.g. acme-corp"
    )
    name: Line = Field(description="the client's display name, one line")
    industry: Line = Field(description="the client's industry, one line")
    currency: Literal[CURRENCIES] = Field(  # type: ignore[valid-type]
        "USD", description="the currency of every amount in the profile; other than USD, give fx_per_usd")
    fx_per_usd: Number | None = Field(
        None,
        title="Exchange rate",
        ge=0.01,
        le=1000,
        description=(
            "units of the client's currency per 1 USD, 0.01-1000, e.g. 0.92 for EUR; converts USD prices and "
            "playbook defaults; required unless the currency is USD"
        ),
        json_schema_extra=unit("{currency} per USD"),
    )

    @model_validator(mode="after")
    def _fx_for_other_currencies(self) -> Client:
        if self.currency != "USD" and self.fx_per_usd is None:
            raise ValueError(
                f"fx_per_usd is required when currency is {self.currency} "
                f"(units of {self.currency} per 1 USD, e.g. 0.92)"
            )
        if self.currency == "USD" and self.fx_per_usd not in (None, 1):
            raise ValueError(f"fx_per_usd is {self.fx_per_usd:g} but currency is USD (leave fx_per_usd out for USD)")
        return self

    @property
    def fx(self) -> float:
        return 1.0 if self.currency == "USD" else float(self.fx_per_usd or 1.0)

    # Public holidays come from the `holidays` package for this country (and subdivision), on top of the profile's
    # own roadmap.holidays: no work is planned on them.
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 country code for public holidays, e.g. US, "
                                "GB, DE", json_schema_extra={"pattern": COUNTRY_PATTERN})
    subdivision: str | None = Field(None, description="the country's subdivision for regional holidays, e.g. CA, "
                                    "ENG, BY")

    @model_validator(mode="after")
    def _known_region(self) -> Client:
        if self.country is None:
            if self.subdivision is not None:
                raise ValueError("subdivision needs a country")
            return self
        known = public_holiday_regions()
        if self.country not in known:
            guess = suggest(self.country, list(known), "an ISO 3166-1 alpha-2 code")
            raise ValueError(f"country {self.country!r} has no public-holiday calendar ({guess})")
        if self.subdivision is not None and self.subdivision not in known[self.country]:
            allowed = ", ".join(known[self.country]) or "none for this country"
            raise ValueError(f"subdivision {self.subdivision!r} is not one of {self.country}'s ({allowed})")
        return self


class Engagement(Strict):
    """The engagement's terms: its dates, the consultant's days a week, its length, and the horizon over which costs
    and value are compared."""

    consultant: Line | None = Field(None, description="overrides the consultant named in playbook/brand, one line")
    start_date: Date | None = Field(None, description="the engagement's first day, e.g. 2027-01-04; 2000-2099")
    report_date: Date | None = Field(
        None, description="date printed on the reports, before or after start_date (a proposal is often dated before "
        "kickoff); defaults to actuals.as_of, else today"
    )
    days_per_week: Number = Field(
        2, ge=0.5, le=5, description="fractional CTO days per week, 0.5-5", json_schema_extra=unit("days/week")
    )
    weeks: Count = Field(
        12, ge=2, le=52, description="engagement length in weeks, 2-52", json_schema_extra=unit("weeks")
    )
    horizon_months: Literal[12, 24, 36] = Field(
        24, description="the months over which costs and value are compared", json_schema_extra=unit("months")
    )
    discount_rate: Number = Field(
        0.10,
        ge=0,
        le=1,
        description="annual discount rate as a fraction, e.g. 0.1",
        json_schema_extra=unit("fraction per year"),
    )
    paper_size: Literal["A4", "Letter"] = Field("A4", description="the paper size the reports print on")


class Team(Strict):
    """The client's engineering team."""

    engineers: Count = Field(
        ge=0,
        le=MAX_ENGINEERS,
        description="software engineers employed by the client, 0 or more",
        json_schema_extra=unit("engineers"),
    )
    ai_experience: Literal["none", "limited", "moderate", "strong"] = Field(
        description="how much the team has shipped LLM/ML features"
    )
    loaded_cost_per_engineer: Money = Field(
        le=MAX_ENGINEER_COST,
        description="fully loaded annual cost of one engineer (salary, taxes, benefits), 0 to 1e9",
        json_schema_extra=unit("{currency}/year"),
    )


class Situation(Strict):
    """The facts about the client's situation that decide which kind of AI leadership fits."""

    stalled_pilot: Flag = Field(False, description="a pilot or prototype exists but has not reached production")
    in_production: Flag = Field(
        False, description="the AI feature already serves customers in production: the plan hardens and optimises "
        "it, with no launch to make and no value from launching sooner")
    major_decision_pending: Flag = Field(False, description="a major AI architecture decision is open")
    decisions_pending: list[Line] = Field(
        [], max_length=20, description="the open decisions, e.g. 'RAG vs fine-tuning'; at most 20"
    )
    ai_costs_outgrowing_revenue: Flag = Field(False, description="AI costs grow faster than revenue")
    ship_deadline_months: Number | None = Field(
        None, ge=0, le=120, description="months until an AI feature must ship, 0-120", json_schema_extra=unit("months")
    )
    ai_core_to_business: Flag = Field(False, description="AI is the core of the product, not a feature")
    needs_daily_technical_leadership: Flag = Field(
        False, description="needs a technical leader making daily decisions for years"
    )
    product_requirements_clear: Flag = Field(True, description="the product requirements are clear")


class Answer(Strict):
    score: Count = Field(ge=1, le=5, description="a whole number 1-5; see the anchors in playbook/readiness")
    note: Note = Field("", description="evidence for the score, shown in the gap table; at most 2000 characters")

    @classmethod
    def coerce(cls, value: Any) -> Any:
        """Allow the short form `question: 3` next to `question: {score: 3, note: ...}`."""
        return {"score": value} if isinstance(value, int | float | str | bool) else value


ShortAnswer = Annotated[Answer, ShortForm({"type": "integer", "minimum": 1, "maximum": 5}),
                        Field(description="a score 1-5, or {score: 1-5, note: text}")]


class Readiness(Strict):
    """The readiness assessment: a score from 1 to 5 for every question of playbook/readiness/questions.yaml."""

    answers: dict[str, dict[str, ShortAnswer]] = Field(
        description="dimension -> question -> answer, ids from playbook/readiness/questions.yaml"
    )

    @field_validator("answers", mode="before")
    @classmethod
    def _short_answers(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                d: ({q: Answer.coerce(a) for q, a in qs.items()} if isinstance(qs, dict) else qs)
                for d, qs in value.items()
            }
        return value


Share = Annotated[
    float,
    Field(
        ge=0,
        le=1,
        strict=True,
        allow_inf_nan=False,
        description="a fraction from 0 to 1",
        json_schema_extra={"unit": "fraction 0-1"},
    ),
]


class Value(Strict):
    """What the AI feature is worth once live, and the wrong decisions senior AI leadership avoids; without it the
    feature's value counts as 0."""

    monthly_value: Money = Field(
        description="value per month of the AI feature once live (revenue or cost saved), 0 to 1e10",
        json_schema_extra=unit("{currency}/month"),
    )
    wrong_decisions: Count = Field(
        0,
        ge=0,
        le=50,
        description=("wrong AI architecture decisions expected without senior AI leadership, 0-50"),
        json_schema_extra=unit("decisions"),
    )


MONTH_PATTERN = r"^20\d\d-(0[1-9]|1[0-2])$"  # a month of 2000-2099, the world of every date of a profile
GROWTH_LIMITS = (-0.5, 1.0)
DATA_FIELDS = ("requests_per_month", "input_tokens", "output_tokens", "cached_share_now", "batched_share_now")


class WorkloadSource(Strict):
    """Where an imported workload's figures come from. The fields named in `fields` were measured in the export;
    every other field of the workload (the shares the levers could reach, the routing target, the feature's name)
    stays the consultant's judgement, and a new import leaves those alone."""

    files: list[str] = Field(min_length=1, description="the usage export files, by name")
    imported_on: Date = Field(description="the day of the import")
    month: str | None = Field(None, pattern=MONTH_PATTERN,
                              description="the month the figures describe, YYYY-MM; none: the days covered, "
                                          "scaled to a month")
    group: str | None = Field(None, description="the export's project, workspace or tag the workload stands for")
    models: list[str] = Field([], description="the model names as the export wrote them")
    fields: list[Literal[DATA_FIELDS]] = Field(  # type: ignore[valid-type]
        [], description="the workload fields that came from the export")


class UsageMonth(Strict):
    """One month of one model's real usage, from `aicto import-usage`, for the bill-by-month chart."""

    month: str = Field(pattern=MONTH_PATTERN, description="YYYY-MM")
    provider: str = Field(min_length=1, description="a genai-prices provider id")
    model: str = Field(min_length=1, description="a genai-prices model id")
    requests: Count | None = Field(None, ge=0, description="requests that month; none when the export has no "
                                   "request counts", json_schema_extra=unit("requests"))
    input_tokens: Count = Field(ge=0, description="input tokens that month, cached ones included",
                                json_schema_extra=unit("tokens"))
    output_tokens: Count = Field(ge=0, description="output tokens that month", json_schema_extra=unit("tokens"))
    cost: Bill = Field(description="the month's tokens at the cost report's prices",
                        json_schema_extra=unit("{currency}"))


class Workload(Strict):
    """One LLM feature in production or pilot, priced per request with real provider prices."""

    feature: Line = Field(description="the feature's name, one line")
    provider: str = Field(description="a genai-prices provider id, e.g. anthropic, openai, google")
    model: str = Field(description="a model id known to genai-prices for that provider, e.g. claude-sonnet-4-5")
    requests_per_month: Count = Field(
        ge=0, le=MAX_REQUESTS, description="requests per month, 0 to 1e11",
        json_schema_extra=unit("requests/month")
    )
    input_tokens: Count = Field(
        ge=0, le=MAX_INPUT_TOKENS, description="average input tokens per request, 0 to 10,000,000",
        json_schema_extra=unit("tokens/request")
    )
    output_tokens: Count = Field(
        ge=0, le=MAX_OUTPUT_TOKENS, description="average output tokens per request, 0 to 1,000,000",
        json_schema_extra=unit("tokens/request")
    )
    cacheable_prefix_share: Share = Field(
        0.0, description="share of a request's input tokens that is a fixed prefix the provider's prompt cache could "
                         "serve (the prompt caching lever), 0 to 1")
    batchable_share: Share = Field(
        0.0, description="share of requests that could wait for the provider's batch API (the batch processing "
                         "lever), 0 to 1")
    routable_share: Share = Field(
        0.0, description="share of requests a cheaper model, route_to, could answer (the model routing lever), 0 to 1")
    route_to_provider: str | None = Field(None, description="its provider, if not the same provider")
    route_to: str | None = Field(None, title="Route to model", description="the cheaper model routable requests go to")
    trimmable_share: Share = Field(
        0.0, description="share of the input tokens not cached that could be cut from the prompt (the prompt "
                         "trimming lever), 0 to 1")
    response_cache_share: Share = Field(
        0.0, description="share of requests a cache of earlier responses could answer (the response caching "
                         "lever), 0 to 1")
    monthly_growth: Number | None = Field(
        None, ge=GROWTH_LIMITS[0], le=GROWTH_LIMITS[1],
        description="this workload's own growth of requests per month as a fraction; default ai_spend.monthly_growth",
        json_schema_extra=unit("fraction per month"))
    cached_share_now: Share = Field(
        0.0, description="share of input tokens already read from the provider's prompt cache today",
        json_schema_extra={"unit": "fraction 0-1"})
    batched_share_now: Share = Field(
        0.0, description="share of requests already sent through the provider's batch API today",
        json_schema_extra={"unit": "fraction 0-1"})
    source: WorkloadSource | None = Field(
        None, description="set by `aicto import-usage`: which fields came from the client's usage export")

    @field_validator("provider", "route_to_provider")
    @classmethod
    def _known_provider(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                check_provider(value)
            except UnknownModel as exc:
                raise ValueError(str(exc)) from None
        return value

    @field_validator("model", "route_to")
    @classmethod
    def _known_model(cls, value: str | None, info: ValidationInfo) -> str | None:
        provider = info.data.get("route_to_provider") if info.field_name == "route_to" else None
        provider = provider or info.data.get("provider")
        if value is not None and provider is not None:
            try:
                check_model(provider, value)
            except UnknownModel as exc:
                raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _route_target(self) -> Workload:
        if self.routable_share > 0 and not self.route_to:
            raise ValueError("routable_share > 0 needs route_to: the cheaper model to route to")
        return self


class AISpend(Strict):
    """The client's LLM spend: its workloads, each priced per request, or its monthly bill alone."""

    workloads: list[Workload] = Field(
        [], max_length=100, description="the client's LLM workloads, priced per request; at most 100"
    )
    monthly_bill: Bill | None = Field(
        None,
        title="Monthly LLM bill",
        description="the monthly LLM bill, when workloads are not known, 0 to 1e9",
        json_schema_extra=unit("{currency}/month"),
    )
    monthly_growth: Number | None = Field(
        None, ge=GROWTH_LIMITS[0], le=GROWTH_LIMITS[1],
        description="growth of the LLM bill per month as a fraction, e.g. 0.25; set by `aicto import-usage` from "
                    "the export's full months",
        json_schema_extra=unit("fraction per month"))
    history: list[UsageMonth] = Field([], description="the bill by month and model, from `aicto import-usage`")

    @model_validator(mode="after")
    def _one_mode(self) -> AISpend:
        if bool(self.workloads) == (self.monthly_bill is not None):
            raise ValueError("give either workloads (priced per request) or monthly_bill, not both or neither")
        return self


class RoadmapCapacity(Strict):
    """Person-days per week the client gives the roadmap, by owner role; unset roles take the playbook default."""

    client_engineers: Number | None = Field(
        None,
        ge=0,
        le=1000,
        description=("engineers' person-days per week; default: half the week of up to four engineers"),
        json_schema_extra=unit("person-days/week"),
    )
    product: Number | None = Field(
        None,
        ge=0,
        le=50,
        description="product person-days per week; default 1",
        json_schema_extra=unit("person-days/week"),
    )
    leadership: Number | None = Field(
        None,
        ge=0,
        le=50,
        description="leadership person-days per week; default 0.5",
        json_schema_extra=unit("person-days/week"),
    )


class RoadmapSettings(Strict):
    """Inputs to the 60-90 day roadmap beyond the assessment: who is available, days off, and the consultant's
    choices of activities from playbook/roadmap/activities.yaml."""

    capacity: RoadmapCapacity = RoadmapCapacity()
    holidays: list[Date] = Field(
        [], max_length=366, description="days nobody works on the roadmap, e.g. 2027-04-05; at most 366"
    )
    exclude: list[str] = Field([], max_length=100, description="activity ids to leave out of the plan")
    include: list[str] = Field(
        [], max_length=100, description="activity ids to plan even where the assessment does not call for them"
    )


class Profile(Strict):
    """One client. The YAML file under parameters/ is the single source of truth for every report."""

    client: Client
    engagement: Engagement = Engagement()
    team: Team
    situation: Situation = Situation()
    readiness: Readiness | None = Field(
        None, description="the readiness questionnaire's answers; left out before the audit (a proposal-stage "
        "profile: the route comes from the engagement-fit criteria alone and only the proposal is produced)")
    value: Value | None = Field(None, title="Value of the AI feature")
    costs: CostOverrides | None = Field(
        None, title="Cost assumptions", description="overrides of playbook/costs/assumptions.yaml, same keys"
    )
    ai_spend: AISpend | None = None
    roadmap: RoadmapSettings | None = None
    roi: RoiOverrides | None = Field(
        None, title="ROI assumptions", description="overrides of playbook/roi/assumptions.yaml, same keys"
    )
    actuals: Actuals | None = Field(None, description="what the client reports during the engagement")
    _source: Path | None = PrivateAttr(None)

    @property
    def source(self) -> Path | None:
        """The file this profile was loaded from: its snapshots are kept beside it."""
        return self._source

    @property
    def report_day(self) -> dt.date | None:
        """The day the reports are dated: engagement.report_date, else the day the actuals run to (a profile without a
        report date is dated by its latest actuals), else None (today, when the reports run)."""
        return self.engagement.report_date or (self.actuals.as_of if self.actuals else None)

    @property
    def monthly_value(self) -> float:
        return self.value.monthly_value if self.value else 0.0

    @property
    def proposal_stage(self) -> bool:
        """Before the audit: no readiness answers yet, so only the proposal applies, and it is provisional."""
        return self.readiness is None

    def score(self, dimension: str, question: str) -> int:
        if self.readiness is None:
            raise ValueError("a proposal-stage profile has no readiness answers")
        return self.readiness.answers[dimension][question].score


@functools.cache
def public_holiday_regions() -> dict[str, list[str]]:
    """Two-letter country codes the `holidays` package has calendars for, with their subdivisions."""
    from aicto.profile import cache

    name = cache.key("regions", holidays_version())
    if isinstance(known := cache.load("holidays", name), dict):
        return known
    import holidays  # listing them imports each of its 250 countries: a quarter of a second

    known = {code: list(subs) for code, subs in holidays.list_supported_countries().items() if len(code) == 2}
    cache.store("holidays", name, known)
    return known


@functools.cache
def holidays_version() -> str:
    from importlib.metadata import version

    return version("holidays")


def _answer_problems(profile: Profile, playbook: Playbook) -> list[Problem]:
    """Answers must match the question bank exactly: unknown ids are typos, missing ids are gaps in the audit."""
    problems: list[Problem] = []
    if profile.readiness is None:  # a proposal-stage profile: the audit answers them
        return problems
    bank = {d.id: [q.id for q in d.questions] for d in playbook.questions.dimensions}
    answers = profile.readiness.answers
    for dim, given in answers.items():
        if dim not in bank:
            problems.append(Problem(f"readiness.answers.{dim}", f"unknown dimension {dim!r}",
                                    suggest(dim, bank, f"allowed: {', '.join(bank)}")))
            continue
        for q in given:
            if q not in bank[dim]:
                problems.append(Problem(f"readiness.answers.{dim}.{q}", f"unknown question {q!r} in {dim!r}",
                                        suggest(q, bank[dim], f"allowed: {', '.join(bank[dim])}")))
    for dim, questions in bank.items():
        missing = [q for q in questions if q not in answers.get(dim, {})]
        if missing:
            problems.append(
                Problem(
                    f"readiness.answers.{dim}",
                    f"missing answers for {', '.join(missing)}",
                    "every question in playbook/readiness/questions.yaml needs a score 1-5",
                )
            )
    return problems


def _team_problems(profile: Profile) -> list[Problem]:
    """Engineers cost something: at nothing a year, the rework they would do and their days in the plan would be
    priced at "$0/week"."""
    team = profile.team
    if team.engineers and team.loaded_cost_per_engineer < 1:
        return [Problem("team.loaded_cost_per_engineer",
                        f"{team.loaded_cost_per_engineer:g} a year for {team.engineers:,} engineers",
                        "at least 1: one engineer's salary, taxes and benefits; less only with 0 engineers")]
    return []


def _override_problems(profile: Profile, playbook: Playbook) -> list[Problem]:
    """Overrides merged into the playbook's assumptions must still hold together (lever shares adding up to 1, low
    not above high), exactly as the models will merge them."""
    problems = []
    merges = (("costs", playbook.costs, profile.costs), ("roi", playbook.roi, profile.roi))
    for section, assumptions, overrides in merges:
        try:
            assumptions.with_overrides(overrides)
        except ValidationError as exc:
            problems += [replace(p, path=section if p.path == "(top level)" else f"{section}.{p.path}")
                         for p in problems_from_validation(exc, type(assumptions))]
    return problems


def parse_profile(data: dict[str, Any], source: str, playbook: Playbook | None = None) -> Profile:
    """Validate a profile mapping against the schema and the playbook's data; raise InputError listing every problem
    at once. A client is read with aicto.model.validation, which adds the checks that need the models."""
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, problems_from_validation(exc, Profile)) from None
    playbook = playbook or load_playbook()
    problems = _answer_problems(profile, playbook) + _team_problems(profile)
    problems += [] if problems else _override_problems(profile, playbook)
    if profile.actuals is not None:
        problems += actuals_problems(profile.actuals, playbook.roadmap, profile.engagement.start_date,
                                     profile.engagement.report_date)
        if profile.situation.in_production and profile.actuals.launch_date is not None:
            problems.append(Problem("actuals.launch_date", "the product was already in production (situation."
                                    "in_production): the plan has no launch to date", "leave launch_date out, or "
                                    "set in_production: false for a feature launched during the engagement"))
    if problems:
        raise InputError(source, problems)
    return profile


def read_profile(path: str | Path, playbook: Playbook | None = None) -> Profile:
    """A profile file as the schema reads it (parse_profile); aicto.model.validation.load_client reads a client."""
    path = resolve_profile_path(path)
    profile = parse_profile(read_yaml_mapping(path), str(path), playbook)
    profile._source = path.resolve()
    return profile


def resolve_profile_path(path: str | Path) -> Path:
    """Relative paths work from the repository root and from notebooks/ (where JupyterLab starts kernels)."""
    path = Path(path).expanduser()
    if path.is_absolute() or path.exists():
        return path
    for base in (Path.cwd().parent, Path(__file__).resolve().parents[3]):
        if (base / path).exists():
            return base / path
    return path
