"""The activity library itself: the shipped file is complete, and every rule catches the mistake it is for."""

import copy
import shutil

import pytest
from ruamel.yaml import YAML

from aicto.profile.activities import LEVERS, MILESTONES, ActivityLibrary, library_problems
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError
from aicto.profile.yamlio import read_yaml_mapping


@pytest.fixture(scope="module")
def raw(playbook):
    return read_yaml_mapping(playbook.root / "roadmap" / "activities.yaml")


def problems(playbook, data) -> list[str]:
    """Every problem in a library mapping, rendered like a loader does."""
    library = ActivityLibrary.model_validate(data)
    bank = {d.id: [q.id for q in d.questions] for d in playbook.questions.dimensions}
    return [p.render("activities.yaml") for p in
            library_problems(library, bank, {b.id: b.target for b in playbook.scoring.blockers})]


def edited(raw, activity_id, **changes):
    data = copy.deepcopy(raw)
    for a in data["activities"]:
        if a["id"] == activity_id:
            a.update(changes)
    return data


def index(raw, activity_id) -> int:
    return next(i for i, a in enumerate(raw["activities"]) if a["id"] == activity_id)


def test_shipped_library_has_no_problem(playbook, raw):
    assert problems(playbook, raw) == []


def test_every_dimension_question_and_lever_is_covered(playbook):
    lib = playbook.roadmap
    addressed = {q for a in lib.activities for q in a.addresses.questions}
    questions = {f"{d.id}.{q.id}" for d in playbook.questions.dimensions for q in d.questions}
    assert questions <= addressed, f"uncovered questions: {sorted(questions - addressed)}"
    assert {lever for a in lib.activities for lever in a.addresses.levers} == set(LEVERS)


def test_no_dangling_dependency_and_no_cycle(playbook):
    lib = playbook.roadmap
    ids = {a.id for a in lib.activities}
    assert all(dep in ids for a in lib.activities for dep in a.depends_on)
    for a in lib.activities:
        assert a.id not in lib.ancestors([a.id]), f"{a.id} depends on itself through a cycle"


def test_each_milestone_has_one_activity_and_the_plan_shape(playbook):
    lib = playbook.roadmap
    for route, rules in lib.routes.items():
        carried = [a.milestone for a in lib.in_route(route) if a.milestone]
        assert len(carried) == len(set(carried)) and set(rules.milestones) <= set(carried) <= set(MILESTONES)
        assert "client_engineers" not in {lib.get(a).owner for a in lib.always_planned(route)}
    assert {lib.get(a).owner for a in lib.always_planned("fractional")} == {"fractional_cto"}
    assert lib.plan.short_days == 60 and lib.plan.long_days == 90
    assert all(a.deliverable and a.done_when and a.why for a in lib.activities)


def test_dangling_dependency_is_named_with_a_suggestion(playbook, raw):
    data = edited(raw, "eval_metrics", depends_on=["eval_sett"])
    i = index(raw, "eval_metrics")
    assert f"activities.yaml: activities[{i}].depends_on[0]: 'eval_sett' is not an activity id " \
           "(did you mean 'eval_set'?)" in problems(playbook, data)


def test_cycle_is_reported(playbook, raw):
    data = edited(raw, "eval_set", depends_on=["quality_bar", "eval_ci_gate"])
    found = [p for p in problems(playbook, data) if "dependency cycle" in p]
    assert len(found) == 1
    assert "eval_set -> eval_ci_gate -> eval_metrics -> eval_set" in found[0]


def test_dependency_on_a_later_phase_is_refused(playbook, raw):
    data = edited(raw, "eval_set", depends_on=["quality_bar", "runbooks"])
    assert any("build activity 'eval_set' depends on 'runbooks' of the later transition phase" in p
               for p in problems(playbook, data))


def test_uncovered_dimension_and_lever_are_refused(playbook, raw):
    data = copy.deepcopy(raw)
    for a in data["activities"]:  # nothing works on the team dimension or on batching any more
        addresses = a.get("addresses", {})
        addresses["questions"] = [q for q in addresses.get("questions", []) if not q.startswith("team.")]
        addresses["levers"] = [lever for lever in addresses.get("levers", []) if lever != "batch_processing"]
    found = problems(playbook, data)
    assert "activities.yaml: activities: no activity addresses dimension 'team' (at least one per dimension)" in found
    assert "activities.yaml: activities: no activity addresses lever 'batch_processing' (at least one per lever)" \
        in found


def test_a_blocker_nothing_can_clear_is_refused(playbook, raw):
    data = edited(raw, "data_protection", addresses={"questions": ["security.regulatory"]})
    assert any("nothing can clear blocker 'customer_data_to_providers'" in p for p in problems(playbook, data))


def test_milestone_rules(playbook, raw):
    twice = edited(raw, "mentoring", milestone="handover")
    assert "activities.yaml: activities: milestone 'handover' is carried by 2 activities of route 'fractional' " \
           "(exactly one activity per milestone in each route)" in problems(playbook, twice)
    wrong_phase = edited(raw, "launch_review", phase="transition")
    assert any("milestone 'production_launch' must sit in the build phase" in p
               for p in problems(playbook, wrong_phase))
    client_owned = edited(raw, "architecture_review", owner="client_engineers")
    assert any("'architecture_review' is in every fractional plan but owned by client engineers" in p
               for p in problems(playbook, client_owned))
    after_handover = edited(raw, "runbooks", depends_on=["handover"])
    assert any("depends on the hand-over" in p for p in problems(playbook, after_handover))


def test_activity_rules(playbook, raw):
    assert any("'runbooks' is transition work" in p
               for p in problems(playbook, edited(raw, "runbooks", before_launch=True)))
    assert any("'eval_set' addresses nothing" in p
               for p in problems(playbook, edited(raw, "eval_set", addresses={})))
    assert any("'evaluation.eval_data' names no question (did you mean 'evaluation.eval_dataset'?)" in p
               for p in problems(playbook, edited(raw, "eval_set", addresses={"questions": ["evaluation.eval_data"]})))


def test_broken_library_file_fails_the_playbook_load_with_file_and_field(tmp_path, playbook):
    root = tmp_path / "playbook"
    shutil.copytree(playbook.root, root)
    path = root / "roadmap" / "activities.yaml"
    yaml = YAML()
    data = yaml.load(path.read_text())
    data["activities"][0]["owner"] = "intern"
    data["activities"][1]["efort_days"] = 2
    with path.open("w") as fh:
        yaml.dump(data, fh)
    with pytest.raises(InputError) as info:
        load_playbook(root)
    lines = info.value.render().splitlines()
    assert f"{path}: activities[0].owner: 'intern' is not allowed (one of: fractional_cto, client_engineers, " \
           "product, leadership)" in lines
    assert any(line.startswith(f"{path}: activities[1].efort_days: unknown key 'efort_days' (did you mean "
                               "'effort_days'?") for line in lines)
