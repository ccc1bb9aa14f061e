"""The client profile: the single definition of what a client YAML file may hold.

Sections that later deliverables need (costs, AI workloads, value, roadmap) are optional models, so adding one
never breaks an existing file. Unknown keys are always rejected: a typo must not fall back to a default.
"""

from __future__ import annotations

import datetime as dt
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

from aicto.actuals import Actuals, actuals_problems
from aicto.assumptions import CostOverrides, RoiOverrides
from aicto.playbook import Playbook, load_playbook
from aicto.pricing import UnknownModel, check_model, check_provider
from aicto.problems import InputError, Problem, problems_from_validation, suggest
from aicto.yamlio import read_yaml_mapping

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
CURRENCIES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "SGD", "JPY", "INR")

Money = Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True, description="an amount of money, 0 or more")]
# Numbers are strict: YAML already types them, and `true` must not quietly count as 1.
Count = Annotated[int, Field(strict=True)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


def unit(text: str) -> dict[str, str]:
    """The unit consultant mode shows beside a number field; {currency} becomes the client's currency."""
    return {"unit": text}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Client(Strict):
    id: str = Field(pattern=SLUG_PATTERN, description="lower-case letters, digits and hyphens, e.g. acme-corp")
    name: str = Field(min_length=1, max_length=120, description="the client's display name")
    industry: str = Field(min_length=1, max_length=120, description="the client's industry")
    currency: Literal[CURRENCIES] = "USD"  # type: ignore[valid-type]
    fx_per_usd: Number | None = Field(
        None,
        gt=0,
        description=(
            "units of the client's currency per 1 USD, e.g. 0.92 for EUR; converts USD prices and playbook defaults"
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
        return self

    @property
    def fx(self) -> float:
        return 1.0 if self.currency == "USD" else float(self.fx_per_usd or 1.0)


class Engagement(Strict):
    consultant: str | None = Field(None, description="overrides the consultant named in playbook/brand")
    start_date: dt.date | None = Field(None, description="the engagement's first day, e.g. 2027-01-04")
    report_date: dt.date | None = Field(None, description="date printed on the reports; defaults to today")
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
    paper_size: Literal["A4", "Letter"] = "A4"


class Team(Strict):
    engineers: Count = Field(
        ge=0,
        le=100_000,
        description="software engineers employed by the client, 0 or more",
        json_schema_extra=unit("engineers"),
    )
    ai_experience: Literal["none", "limited", "moderate", "strong"] = Field(
        description="how much the team has shipped LLM/ML features"
    )
    loaded_cost_per_engineer: Money = Field(
        description="fully loaded annual cost of one engineer (salary, taxes, benefits), 0 or more",
        json_schema_extra=unit("{currency}/year"),
    )


class Situation(Strict):
    stalled_pilot: bool = Field(False, description="a pilot or prototype exists but has not reached production")
    major_decision_pending: bool = Field(False, description="a major AI architecture decision is open")
    decisions_pending: list[str] = Field([], description="the open decisions, e.g. 'RAG vs fine-tuning'")
    ai_costs_outgrowing_revenue: bool = Field(False, description="AI costs grow faster than revenue")
    ship_deadline_months: Number | None = Field(
        None, ge=0, le=120, description="months until an AI feature must ship, 0-120", json_schema_extra=unit("months")
    )
    ai_core_to_business: bool = Field(False, description="AI is the core of the product, not a feature")
    needs_daily_technical_leadership: bool = Field(
        False, description="needs a technical leader making daily decisions for years"
    )
    product_requirements_clear: bool = Field(True, description="the product requirements are clear")


class Answer(Strict):
    score: Count = Field(ge=1, le=5, description="a whole number 1-5; see the anchors in playbook/readiness")
    note: str = Field("", max_length=2000, description="evidence for the score, shown in the gap table")

    @classmethod
    def coerce(cls, value: Any) -> Any:
        """Allow the short form `question: 3` next to `question: {score: 3, note: ...}`."""
        return {"score": value} if isinstance(value, int | float | str | bool) else value


ShortAnswer = Annotated[Answer, Field(description="a score 1-5, or {score: 1-5, note: text}")]


class Readiness(Strict):
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
    monthly_value: Money = Field(
        description="value per month of the AI feature once live (revenue or cost saved)",
        json_schema_extra=unit("{currency}/month"),
    )
    wrong_decisions: Count = Field(
        0,
        ge=0,
        le=50,
        description=("wrong AI architecture decisions expected without senior AI leadership, 0-50"),
        json_schema_extra=unit("decisions"),
    )


class Workload(Strict):
    """One LLM feature in production or pilot, priced per request with real provider prices."""

    feature: str = Field(min_length=1, max_length=120, description="the feature's name")
    provider: str = Field(description="a genai-prices provider id, e.g. anthropic, openai, google")
    model: str = Field(description="a model id known to genai-prices for that provider, e.g. claude-sonnet-4-5")
    requests_per_month: Count = Field(
        ge=0, le=10**12, description="requests per month, 0 or more", json_schema_extra=unit("requests/month")
    )
    input_tokens: Count = Field(
        ge=0, le=10_000_000, description="average input tokens per request", json_schema_extra=unit("tokens/request")
    )
    output_tokens: Count = Field(
        ge=0, le=1_000_000, description="average output tokens per request", json_schema_extra=unit("tokens/request")
    )
    cacheable_prefix_share: Share = 0.0
    batchable_share: Share = 0.0
    routable_share: Share = 0.0
    route_to_provider: str | None = Field(None, description="its provider, if not the same provider")
    route_to: str | None = Field(None, description="the cheaper model routable requests go to")
    trimmable_share: Share = 0.0
    response_cache_share: Share = 0.0

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
    workloads: list[Workload] = Field([], description="the client's LLM workloads, priced per request")
    monthly_bill: Money | None = Field(
        None,
        description="the monthly LLM bill, when workloads are not known",
        json_schema_extra=unit("{currency}/month"),
    )

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
    holidays: list[dt.date] = Field([], description="days nobody works on the roadmap, e.g. 2027-04-05")
    exclude: list[str] = Field([], description="activity ids to leave out of the plan")
    include: list[str] = Field([], description="activity ids to plan even where the assessment does not call for them")


class Profile(Strict):
    """One client. The YAML file under parameters/ is the single source of truth for every report."""

    client: Client
    engagement: Engagement = Engagement()
    team: Team
    situation: Situation = Situation()
    readiness: Readiness
    value: Value | None = None
    costs: CostOverrides | None = Field(None, description="overrides of playbook/costs/assumptions.yaml, same keys")
    ai_spend: AISpend | None = None
    roadmap: RoadmapSettings | None = None
    roi: RoiOverrides | None = Field(None, description="overrides of playbook/roi/assumptions.yaml, same keys")
    actuals: Actuals | None = Field(None, description="what the client reports during the engagement")
    _source: Path | None = PrivateAttr(None)

    @property
    def source(self) -> Path | None:
        """The file this profile was loaded from: its snapshots are kept beside it."""
        return self._source

    @property
    def monthly_value(self) -> float:
        return self.value.monthly_value if self.value else 0.0

    def score(self, dimension: str, question: str) -> int:
        return self.readiness.answers[dimension][question].score


def _answer_problems(profile: Profile, playbook: Playbook) -> list[Problem]:
    """Answers must match the question bank exactly: unknown ids are typos, missing ids are gaps in the audit."""
    problems = []
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


def _roadmap_problems(profile: Profile, playbook: Playbook) -> list[Problem]:
    """Activity ids must exist in the library; the engagement method plans the audit and the milestones itself."""
    if profile.roadmap is None:
        return []
    ids = [a.id for a in playbook.roadmap.activities]
    from aicto.readiness import assess  # the route is the assessment's recommendation

    fixed = playbook.roadmap.fixed(assess(profile, playbook).fit.recommendation)
    problems = []
    for key in ("include", "exclude"):
        for i, activity in enumerate(getattr(profile.roadmap, key)):
            if activity not in ids:
                problems.append(Problem(f"roadmap.{key}[{i}]", f"unknown activity {activity!r}",
                                        suggest(activity, ids, "ids from playbook/roadmap/activities.yaml")))
            elif activity in fixed:
                problems.append(
                    Problem(
                        f"roadmap.{key}[{i}]",
                        f"{activity!r} is planned by the engagement method",
                        f"cannot {key}: {', '.join(fixed)}",
                    )
                )
            elif key == "exclude" and activity in profile.roadmap.include:
                problems.append(
                    Problem(
                        f"roadmap.exclude[{i}]",
                        f"{activity!r} is also in roadmap.include",
                        "include or exclude, not both",
                    )
                )
    return problems


def parse_profile(data: dict[str, Any], source: str, playbook: Playbook | None = None) -> Profile:
    """Validate a profile mapping; raise InputError listing every problem at once."""
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, problems_from_validation(exc, Profile)) from None
    playbook = playbook or load_playbook()
    problems = _answer_problems(profile, playbook)
    problems += [] if problems else _roadmap_problems(profile, playbook)
    if profile.actuals is not None:
        problems += actuals_problems(profile.actuals, playbook.roadmap, profile.engagement.start_date)
    if problems:
        raise InputError(source, problems)
    return profile


def load_profile(path: str | Path, playbook: Playbook | None = None) -> Profile:
    path = resolve_profile_path(path)
    profile = parse_profile(read_yaml_mapping(path), str(path), playbook)
    profile._source = path.resolve()
    return profile


def resolve_profile_path(path: str | Path) -> Path:
    """Relative paths work from the repository root and from notebooks/ (where JupyterLab starts kernels)."""
    path = Path(path).expanduser()
    if path.is_absolute() or path.exists():
        return path
    for base in (Path.cwd().parent, Path(__file__).resolve().parents[2]):
        if (base / path).exists():
            return base / path
    return path
