import pytest

from aicto.model.readiness import assess, readiness_index
from tests.conftest import EXAMPLES, make_profile


@pytest.mark.parametrize(("score", "index"), [(1, 0.0), (3, 50.0), (5, 100.0)])
def test_uniform_answers_map_onto_0_100(playbook, score, index):
    assert assess(make_profile(score), playbook).index == pytest.approx(index)


def test_index_is_the_weighted_mean_of_dimensions(playbook):
    # Evaluation (weight 1.25 of 8) at 5, everything else at 1: index = 1.25 / 8 * 100.
    answers = {f"evaluation.{q.id}": 5 for q in playbook.questions.dimension("evaluation").questions}
    result = assess(make_profile(1, answers), playbook)
    assert result.dimension("evaluation").score == 5
    assert result.index == pytest.approx(1.25 / 8 * 100)
    assert readiness_index(result.dimensions) == pytest.approx(result.index)


def test_dimension_score_is_mean_of_its_questions(playbook):
    result = assess(make_profile(3, {"cost.cost_visibility": 1, "cost.budget_controls": 5,
                                     "cost.unit_economics": 2}), playbook)
    assert result.dimension("cost").score == pytest.approx((1 + 5 + 2 + 3) / 4)


@pytest.mark.parametrize(("score", "tier"), [(1, "Exploring"), (2, "Exploring"), (3, "Piloting"),
                                             (4, "Launch-ready"), (5, "Scaling")])
def test_tiers(playbook, score, tier):
    assert assess(make_profile(score), playbook).tier == tier


def test_tier_boundary_is_inclusive(playbook):
    # 35 is the Piloting floor: an index of exactly 35 is Piloting.
    from aicto.model.readiness import tier_for

    assert tier_for(35.0, playbook)[0] == "Piloting"
    assert tier_for(34.99, playbook)[0] == "Exploring"


def test_gaps_ranked_by_weighted_shortfall_with_notes(playbook):
    profile = make_profile(4, {"evaluation.eval_dataset": {"score": 1, "note": "none at all"},
                               "team.capacity": 1, "cost.unit_economics": 2})
    gaps = assess(profile, playbook).gaps
    # evaluation: (4-1)*1.25 = 3.75; team: (4-1)*0.75 = 2.25; cost target 3: (3-2)*0.75 = 0.75
    assert [(g.question_id, g.gap) for g in gaps] == [("eval_dataset", 3.75), ("capacity", 2.25),
                                                     ("unit_economics", 0.75)]
    assert gaps[0].note == "none at all"
    assert gaps[0].next_level.startswith("A spreadsheet")


def test_no_gaps_at_target(playbook):
    assert assess(make_profile(5), playbook).gaps == []


def test_blockers_fire_at_threshold(playbook):
    evaluation = {f"evaluation.{q.id}": 2 for q in playbook.questions.dimension("evaluation").questions}
    result = assess(make_profile(4, evaluation), playbook)
    assert [b.id for b in result.blockers] == ["no_evaluation"]
    evaluation["evaluation.eval_dataset"] = 3  # mean 2.2 > 2: no longer blocking
    assert assess(make_profile(4, evaluation), playbook).blockers == []


def test_question_level_blocker(playbook):
    result = assess(make_profile(4, {"security.data_protection": 1}), playbook)
    assert [b.id for b in result.blockers] == ["customer_data_to_providers"]


def test_fit_no_engineers_recommends_agency(playbook):
    profile = make_profile(3, team={"engineers": 0}, situation={"stalled_pilot": True})
    fit = assess(profile, playbook).fit
    assert fit.recommendation == "agency_or_cofounder"
    assert "no engineers" in fit.reasons[0]


def test_fit_ai_core_recommends_full_time(playbook):
    profile = make_profile(3, situation={"ai_core_to_business": True, "needs_daily_technical_leadership": True})
    assert assess(profile, playbook).fit.recommendation == "full_time"


def test_ai_core_alone_is_not_enough_for_full_time(playbook):
    profile = make_profile(3, situation={"ai_core_to_business": True, "stalled_pilot": True})
    assert assess(profile, playbook).fit.recommendation == "fractional"


def test_fit_unclear_product_recommends_product_first(playbook):
    product = {f"product.{q.id}": 2 for q in playbook.questions.dimension("product").questions}
    assert assess(make_profile(3, product), playbook).fit.recommendation == "product_first"
    declared = make_profile(3, situation={"product_requirements_clear": False})
    assert assess(declared, playbook).fit.recommendation == "product_first"


def test_fit_signals_are_the_reasons(playbook):
    profile = make_profile(3, team={"engineers": 10, "ai_experience": "none"}, situation={
        "stalled_pilot": True, "major_decision_pending": True, "decisions_pending": ["RAG vs fine-tuning"],
        "ai_costs_outgrowing_revenue": True, "ship_deadline_months": 3})
    fit = assess(profile, playbook).fit
    assert fit.recommendation == "fractional"
    assert len(fit.reasons) == 5
    assert "RAG vs fine-tuning" in fit.reasons[1]
    assert "3 months" in fit.reasons[3]


def test_deadline_later_than_hiring_is_no_signal(playbook):
    fit = assess(make_profile(3, situation={"ship_deadline_months": 8}), playbook).fit
    assert fit.recommendation == "fractional"
    assert fit.fit_signals == []
    assert "confirm the need" in fit.reasons[0]


def test_examples_land_on_different_recommendations(playbook):
    from aicto.model.validation import load_client
    recs = {p.stem: assess(load_client(p, playbook), playbook).fit.recommendation for p in EXAMPLES}
    assert recs == {"northwind-analytics": "fractional", "harbor-home-goods": "agency_or_cofounder",
                    "cortex-labs": "full_time", "meridian-insurance": "product_first"}
