"""The transition at the end of the engagement: criteria as data, the first outcome with a signal that holds."""

import pytest
from pydantic import ValidationError

from aicto.model.transition import Signal, cadence_days, recommend
from aicto.profile.transition_criteria import SIGNAL_FIELDS, TransitionCriteria, criteria_problems


def signal(name, holds=True):
    return Signal(name, holds, dict.fromkeys(SIGNAL_FIELDS[name], "X"))


def decide(playbook, *holding, days=2.0, role=None):
    found = [signal(name, name in holding) for name in SIGNAL_FIELDS]
    return recommend(found, playbook.transition, days, "4-6 months", role)


def test_hire_wins_and_lists_what_stays_open(playbook):
    t = decide(playbook, "route_full_time", "bill_above_target")
    assert t.outcome == "hire_full_time" and t.days_per_week == playbook.transition.outcomes[
        "hire_full_time"].bridge_days_per_week
    assert t.reasons == [playbook.transition.signals["route_full_time"].holds.format(reason="X")]
    assert len(t.also) == 1 and "LLM bill" in t.also[0]
    assert "4-6 months" in t.summary


def test_open_work_means_a_reduced_cadence(playbook):
    t = decide(playbook, "milestones_missed", "blockers_open")
    assert t.outcome == "reduced_cadence" and len(t.reasons) == 2
    assert t.weeks == playbook.transition.outcomes["reduced_cadence"].weeks
    assert t.days_per_week < 2.0


def test_nothing_open_means_the_engagement_ends_with_the_clear_wording(playbook):
    t = decide(playbook)
    assert t.outcome == "end" and t.days_per_week is None
    clear = [s.clear for s in playbook.transition.signals.values() if s.clear]
    assert len(t.reasons) == len(clear) and "Every milestone due by now is reached." in t.reasons


def test_only_signals_that_could_be_judged_are_reasons(playbook):
    t = recommend([signal("index_below_ready", False)], playbook.transition, 2, "4-6 months", None)
    assert t.outcome == "end" and len(t.reasons) == 1


@pytest.mark.parametrize(("reasons", "engaged", "days"), [
    (1, 2, 0.5), (3, 2, 1.0), (5, 4, 1.5), (6, 2, 1.0), (3, 1, 0.5), (1, 0.5, 0.5),
])
def test_cadence_days_follow_the_bands_capped_at_half_the_engagement(playbook, reasons, engaged, days):
    assert cadence_days(playbook.transition.outcomes["reduced_cadence"], reasons, engaged) == days


def test_criteria_name_only_fields_their_signal_has(playbook):
    data = playbook.transition.model_dump()
    data["signals"]["blockers_open"]["holds"] = "{count} blockers, {severity}"
    data["role"]["strengths"].pop("team")
    found = criteria_problems(TransitionCriteria.model_validate(data), [d.id for d in playbook.questions.dimensions])
    assert [(p.path, p.message) for p in found] == [("signals.blockers_open.holds", "unknown field 'severity'"),
                                                    ("role.strengths", "no line for team")]


@pytest.mark.parametrize("change", [
    lambda d: d["outcomes"].pop("end"),
    lambda d: d["signals"].pop("bill_above_target"),
    lambda d: d["outcomes"]["end"].update(signals=["blockers_open"]),
    lambda d: d["outcomes"]["reduced_cadence"].update(cadence=[{"reasons": 3, "days_per_week": 1},
                                                               {"reasons": 1, "days_per_week": 0.5}]),
    lambda d: d["tolerances"].update(late_days=-1),
])
def test_incomplete_criteria_are_rejected(playbook, change):
    data = playbook.transition.model_dump()
    change(data)
    with pytest.raises(ValidationError):
        TransitionCriteria.model_validate(data)
