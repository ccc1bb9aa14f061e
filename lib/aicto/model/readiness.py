"""Readiness scoring and engagement fit: answers -> dimension scores, index, tier, gaps, blockers, recommendation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile
from aicto.text.words import count

RecommendationId = Literal["fractional", "full_time", "agency_or_cofounder", "product_first"]


@dataclass(frozen=True)
class DimensionScore:
    id: str
    name: str
    score: float
    target: float
    weight: float

    @property
    def gap(self) -> float:
        """Weighted shortfall against the target; 0 when the target is met."""
        return max(0.0, self.target - self.score) * self.weight


@dataclass(frozen=True)
class QuestionGap:
    dimension_id: str
    dimension: str
    question_id: str
    question: str
    score: int
    target: float
    gap: float
    note: str
    next_level: str


@dataclass(frozen=True)
class Blocker:
    id: str
    title: str
    why: str
    target: str
    score: float


@dataclass(frozen=True)
class Fit:
    recommendation: RecommendationId
    title: str
    summary: str
    reasons: list[str]
    fit_signals: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadinessResult:
    dimensions: list[DimensionScore]
    index: float
    tier: str
    tier_meaning: str
    gaps: list[QuestionGap]
    blockers: list[Blocker]
    fit: Fit
    provisional: bool = False  # no answers yet (a proposal-stage profile): the fit from the situation alone

    @property
    def top_dimension_gaps(self) -> list[DimensionScore]:
        return sorted((d for d in self.dimensions if d.gap > 0), key=lambda d: -d.gap)

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dimension_id)


def dimension_scores(profile: Profile, playbook: Playbook) -> list[DimensionScore]:
    out = []
    for dim in playbook.questions.dimensions:
        scores = [profile.score(dim.id, q.id) for q in dim.questions]
        out.append(DimensionScore(dim.id, dim.name, sum(scores) / len(scores), dim.target, dim.weight))
    return out


def readiness_index(dimensions: list[DimensionScore], scale_min: int = 1, scale_max: int = 5) -> float:
    """Weighted mean of the dimension scores, mapped from the 1-5 scale onto 0-100."""
    span = scale_max - scale_min
    total_weight = sum(d.weight for d in dimensions)
    return sum(d.weight * (d.score - scale_min) / span * 100 for d in dimensions) / total_weight


def tier_facts(profile: Profile) -> set[str]:
    """What the client's answers state that a tier's wording depends on: a live feature, a pilot."""
    facts = set()
    if profile.situation.in_production or profile.actuals and profile.actuals.launch_date:
        facts.add("live")
    if profile.situation.stalled_pilot:
        facts.add("pilot")
    return facts


def tier_for(index: float, playbook: Playbook, facts: set[str] = frozenset()) -> tuple[str, str]:
    """The tier's name and its meaning, worded for the facts the client's answers state (none: the general one)."""
    tier = [t for t in playbook.scoring.tiers if index >= t.min_index][-1]
    return tier.name, tier.meaning_for(facts)


def question_gaps(profile: Profile, playbook: Playbook) -> list[QuestionGap]:
    """Every answer below its dimension's target, largest weighted gap first (ties keep playbook order)."""
    gaps = []
    for dim in playbook.questions.dimensions:
        for q in dim.questions:
            answer = profile.readiness.answers[dim.id][q.id]
            if answer.score < dim.target:
                next_anchor = min((lvl for lvl in q.anchors if lvl > answer.score), default=5)
                gaps.append(QuestionGap(dim.id, dim.name, q.id, q.text, answer.score, dim.target,
                                        (dim.target - answer.score) * dim.weight, answer.note,
                                        q.anchors[next_anchor]))
    return sorted(gaps, key=lambda g: -g.gap)


def find_blockers(profile: Profile, playbook: Playbook, dimensions: list[DimensionScore]) -> list[Blocker]:
    by_id = {d.id: d.score for d in dimensions}
    found = []
    for rule in playbook.scoring.blockers:
        if rule.scope == "dimension":
            score = by_id[rule.target]
        else:
            dim_id, _, q_id = rule.target.partition(".")
            score = profile.score(dim_id, q_id)
        if score <= rule.max_score:
            found.append(Blocker(rule.id, rule.title, rule.why, rule.target, score))
    return found


def engagement_fit(profile: Profile, playbook: Playbook, dimensions: list[DimensionScore]) -> Fit:
    """The published fit criteria: non-fit rules first (they decide alone), then the fit signals as reasons."""
    crit = playbook.fit
    sit, team = profile.situation, profile.team

    def decide(rec: RecommendationId, reasons: list[str], signals: list[str] | None = None) -> Fit:
        r = crit.recommendations[rec]
        return Fit(rec, r.title, r.summary, reasons, signals or [])

    signals = []
    if sit.stalled_pilot:
        signals.append(crit.fit_signals["stalled_pilot"])
    if sit.major_decision_pending:
        decisions = f" ({'; '.join(sit.decisions_pending)})" if sit.decisions_pending else ""
        signals.append(crit.fit_signals["major_decision_pending"].format(decisions=decisions))
    if sit.ai_costs_outgrowing_revenue:
        signals.append(crit.fit_signals["ai_costs_outgrowing_revenue"])
    if sit.ship_deadline_months is not None and sit.ship_deadline_months < crit.hiring_months:
        signals.append(crit.fit_signals["urgent_deadline"].format(
            months=count(sit.ship_deadline_months, "month"), hiring_months=count(crit.hiring_months, "month")))
    if team.engineers >= crit.strong_team_min_engineers and team.ai_experience in crit.inexperienced_levels:
        signals.append(crit.fit_signals["strong_but_inexperienced"].format(
            engineers=count(team.engineers, "engineer"), experience=team.ai_experience))

    if team.engineers == 0:
        return decide("agency_or_cofounder", [crit.non_fit_reasons["no_engineers"]], signals)
    if sit.ai_core_to_business and sit.needs_daily_technical_leadership:
        return decide("full_time", [crit.non_fit_reasons["ai_core_daily_leadership"]], signals)
    if not sit.product_requirements_clear:
        return decide("product_first", [crit.non_fit_reasons["product_unclear_declared"]], signals)
    product = next((d.score for d in dimensions if d.id == crit.product_dimension), None)  # None before the audit
    if product is not None and product <= crit.product_score_max:
        return decide("product_first", [crit.non_fit_reasons["product_unclear"].format(score=f"{product:.1f}")],
                      signals)
    if not signals:
        return decide("fractional", [crit.caveats["no_fit_signal"]])
    return decide("fractional", signals, signals)


NOT_ASSESSED = ("Not yet assessed", "The readiness questionnaire is answered in the audit.")


def assess(profile: Profile, playbook: Playbook) -> ReadinessResult:
    """The assessment; before the audit (no answers) a provisional one: no scores, gaps or blockers, and the fit from
    the engagement-fit criteria the situation and the team decide alone."""
    if profile.readiness is None:
        return ReadinessResult([], 0.0, *NOT_ASSESSED, [], [], engagement_fit(profile, playbook, []), provisional=True)
    dims = dimension_scores(profile, playbook)
    scale = playbook.questions.scale
    index = readiness_index(dims, scale.min, scale.max)
    tier, meaning = tier_for(index, playbook, tier_facts(profile))
    return ReadinessResult(
        dimensions=dims,
        index=index,
        tier=tier,
        tier_meaning=meaning,
        gaps=question_gaps(profile, playbook),
        blockers=find_blockers(profile, playbook, dims),
        fit=engagement_fit(profile, playbook, dims),
    )
