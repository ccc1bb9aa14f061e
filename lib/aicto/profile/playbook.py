"""The consulting knowledge kept as data in `playbook/`: loaded, validated and typed here.

A consultant edits the YAML; a mistake there gets the same clear `FILE: path: problem` error as a client profile.
"""

from __future__ import annotations

import base64
import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from aicto.profile.activities import ActivityLibrary, library_problems
from aicto.profile.assumptions import CostAssumptions, Frozen, RoiAssumptions
from aicto.profile.problems import InputError, Problem, problems_from_validation
from aicto.profile.proposal_terms import ProposalTerms
from aicto.profile.transition_criteria import TransitionCriteria, criteria_problems
from aicto.profile.yamlio import read_playbook_yaml
from aicto.text import words

if TYPE_CHECKING:
    import jinja2

PLAYBOOK_ENV = "AICTO_PLAYBOOK"
DEFAULT_ROOT = Path(__file__).resolve().parents[3] / "playbook"

Score = Annotated[float, Field(ge=1, le=5)]


class Question(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str
    anchors: dict[Literal[1, 3, 5], str]

    @field_validator("anchors")
    @classmethod
    def _all_anchors(cls, value: dict[int, str]) -> dict[int, str]:
        if set(value) != {1, 3, 5}:
            raise ValueError("anchors must describe exactly the levels 1, 3 and 5")
        return value


class Dimension(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    weight: float = Field(gt=0)
    target: Score
    questions: list[Question] = Field(min_length=4, max_length=6)

    @model_validator(mode="after")
    def _unique_questions(self) -> Dimension:
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError(f"question ids repeat in dimension {self.id!r}")
        return self


class ScoreScale(Frozen):
    min: int
    max: int


class QuestionBank(Frozen):
    scale: ScoreScale
    dimensions: list[Dimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_dimensions(self) -> QuestionBank:
        ids = [d.id for d in self.dimensions]
        if len(ids) != len(set(ids)):
            raise ValueError("dimension ids repeat")
        return self

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)


TierFact = Literal["live", "pilot"]
TIER_FACTS: tuple[TierFact, ...] = ("live", "pilot")  # the order a tier's wordings are tried in


class Tier(Frozen):
    name: str
    min_index: float = Field(ge=0, le=100)
    meaning: str = Field(description="what the band means, true for any client in it")
    when: dict[TierFact, str] = Field({}, description="the meaning for a client whose answers state the fact")

    def meaning_for(self, facts: set[str]) -> str:
        """The wording for what the client's answers state: `live` before `pilot`, else the general meaning."""
        return next((self.when[f] for f in TIER_FACTS if f in facts and f in self.when), self.meaning)


class BlockerRule(Frozen):
    id: str
    scope: Literal["dimension", "question"]
    target: str
    max_score: Score
    title: str
    why: str


class ScoringRules(Frozen):
    tiers: list[Tier] = Field(min_length=1)
    blockers: list[BlockerRule] = []

    @model_validator(mode="after")
    def _tiers_cover_range(self) -> ScoringRules:
        mins = [t.min_index for t in self.tiers]
        if mins[0] != 0 or mins != sorted(mins) or len(set(mins)) != len(mins):
            raise ValueError("tiers must start at min_index 0 and rise strictly")
        return self


class Recommendation(Frozen):
    title: str
    roi_subject: str = Field(min_length=1, description="what the route's ROI is the ROI of, for every headline")
    comparison: str = Field(min_length=1, description="how the ROI report compares the route's options")
    summary: str


class FitCriteria(Frozen):
    hiring_months: float = Field(gt=0)
    strong_team_min_engineers: int = Field(ge=1)
    inexperienced_levels: list[str]
    product_dimension: str
    product_score_max: Score
    recommendations: dict[Literal["fractional", "full_time", "agency_or_cofounder", "product_first"], Recommendation]
    fit_signals: dict[str, str]
    non_fit_reasons: dict[str, str]
    caveats: dict[str, str]


class CheckRules(Frozen):
    """playbook/checks.yaml: the thresholds beyond which a result is raised for the consultant to review."""

    roi_multiple_max: float = Field(gt=0)
    payback_first_month: bool
    bill_per_engineer_max: float = Field(gt=0)
    value_per_engineer_max: float = Field(gt=0)
    bill_growth_max: float = Field(gt=0)


class BrandColors(Frozen):
    primary: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    accent: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    text: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    muted: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    good: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    warning: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    bad: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")


class Brand(Frozen):
    firm: str
    consultant: str
    tagline: str = ""
    logo: str | None = None
    # The logo as a PNG or JPEG beside brand.yaml, for proposal.docx: Word documents cannot hold an SVG
    logo_raster: str | None = None
    colors: BrandColors
    # A CSS font list, written into the reports' style sheet as it is: names, quotes, commas, spaces and hyphens only.
    font_family: str = Field(pattern=r"""^[A-Za-z0-9 ,'"-]+$""", max_length=300)
    # The practice's language: spelling (optimized/optimised), and how money and dates are written (Babel's CLDR).
    locale: Literal["en-US", "en-GB"] = "en-US"
    logo_data_uri: str | None = None


class Playbook(BaseModel):
    """Everything in `playbook/`, loaded once per process."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    root: Path
    questions: QuestionBank
    scoring: ScoringRules
    fit: FitCriteria
    brand: Brand
    costs: CostAssumptions
    roi: RoiAssumptions
    roadmap: ActivityLibrary
    checks: CheckRules
    transition: TransitionCriteria
    proposal: ProposalTerms

    def narrative(self, name: str) -> jinja2.Template:
        """A narrative template from playbook/narrative, rendered with HTML autoescaping of every value."""
        return _narrative_env(str(self.root / "narrative")).get_template(name)


@functools.cache
def _narrative_env(folder: str) -> jinja2.Environment:
    import jinja2  # on first use: `aicto validate` writes no narrative

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(words.FILTERS)  # count, a, count_words, ...: sentences that agree with their numbers
    return env


def _load(model: type[BaseModel], path: Path) -> BaseModel:
    data = read_playbook_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(str(path), problems_from_validation(exc, model)) from None


def _check_blocker_targets(bank: QuestionBank, scoring: ScoringRules, path: Path) -> None:
    dims = {d.id: d for d in bank.dimensions}
    problems = []
    for i, rule in enumerate(scoring.blockers):
        dim_id, _, q_id = rule.target.partition(".")
        ok = dim_id in dims and (
            (rule.scope == "dimension" and not q_id)
            or (rule.scope == "question" and q_id in {q.id for q in dims[dim_id].questions})
        )
        if not ok:
            problems.append(Problem(f"blockers[{i}].target", f"{rule.target!r} names no {rule.scope}",
                                    "a dimension id, or dimension.question for scope question"))
    if problems:
        raise InputError(str(path), problems)


def playbook_root(root: str | Path | None = None) -> Path:
    return Path(root or os.environ.get(PLAYBOOK_ENV) or DEFAULT_ROOT).resolve()


def load_playbook(root: str | Path | None = None) -> Playbook:
    return _load_playbook(playbook_root(root))


@functools.cache
def _load_playbook(root: Path) -> Playbook:
    bank = _load(QuestionBank, root / "readiness" / "questions.yaml")
    scoring = _load(ScoringRules, root / "readiness" / "scoring.yaml")
    _check_blocker_targets(bank, scoring, root / "readiness" / "scoring.yaml")
    fit = _load(FitCriteria, root / "engagement_fit.yaml")
    if fit.product_dimension not in {d.id for d in bank.dimensions}:
        raise InputError(str(root / "engagement_fit.yaml"), [Problem(
            "product_dimension", f"{fit.product_dimension!r} is not a dimension of the question bank",
            ", ".join(d.id for d in bank.dimensions))])
    brand = _load(Brand, root / "brand" / "brand.yaml")
    if brand.logo:
        logo = root / "brand" / brand.logo
        if not logo.is_file():
            raise InputError(str(root / "brand" / "brand.yaml"), [Problem("logo", f"{brand.logo!r} not found",
                                                                          "an SVG file beside brand.yaml")])
        data = base64.b64encode(logo.read_bytes()).decode()
        brand = brand.model_copy(update={"logo_data_uri": f"data:image/svg+xml;base64,{data}"})
    if brand.logo_raster and not (root / "brand" / brand.logo_raster).is_file():
        raise InputError(str(root / "brand" / "brand.yaml"), [Problem(
            "logo_raster", f"{brand.logo_raster!r} not found", "a PNG or JPEG file beside brand.yaml")])
    costs = _load(CostAssumptions, root / "costs" / "assumptions.yaml")
    roi = _load(RoiAssumptions, root / "roi" / "assumptions.yaml")
    roadmap = _load(ActivityLibrary, root / "roadmap" / "activities.yaml")
    checks = _load(CheckRules, root / "checks.yaml")
    transition = _load(TransitionCriteria, root / "transition.yaml")
    proposal = _load(ProposalTerms, root / "proposal.yaml")
    if problems := criteria_problems(transition, [d.id for d in bank.dimensions]):
        raise InputError(str(root / "transition.yaml"), problems)
    problems = library_problems(roadmap, {d.id: [q.id for q in d.questions] for d in bank.dimensions},
                                {b.id: b.target for b in scoring.blockers})
    if problems:
        raise InputError(str(root / "roadmap" / "activities.yaml"), problems)
    return Playbook(root=root, questions=bank, scoring=scoring, fit=fit, brand=brand, costs=costs, roi=roi,
                    roadmap=roadmap, checks=checks,
                    transition=transition, proposal=proposal)
