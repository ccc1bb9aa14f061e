"""Every client file that an earlier release of this repository accepted (tests/fixtures/earlier_profiles/, taken
from git by bench/earlier_profiles.py) still works: it validates as it is, or each of its problems names
`aicto upgrade FILE` and the upgraded file validates; either way the engagement model runs on it to finite figures."""

import dataclasses
import math
import re

import pytest

from aicto.model.engagement import build_engagement
from aicto.model.validation import load_client
from aicto.profile.problems import InputError
from aicto.profile.upgrade import upgrade_file
from tests.conftest import ROOT
from tests.unit.profile.test_one_rule import finite_numbers

EARLIER = ROOT / "tests" / "fixtures" / "earlier_profiles"
FILES = sorted(EARLIER.glob("*.yaml"))
# The files of the first release (2b970a2), in EUR and GBP before fx_per_usd existed; every other version validates
# as it was written (those refused only for a report dated before the start passed once that was allowed).
NEED_UPGRADE = {"harbor-home-goods@2b970a2.yaml", "meridian-insurance@2b970a2.yaml"}


def test_the_folder_holds_what_its_readme_lists():
    listed = re.findall(r"^\| `([^`]+@[0-9a-f]{7}\.yaml)` \|", (EARLIER / "README.md").read_text(), re.M)
    assert len(FILES) >= 22  # every version of the four examples on main, as bench/earlier_profiles.py harvests it
    assert [p.name for p in FILES] == sorted(listed)


@pytest.fixture(scope="module")
def current(playbook, tmp_path_factory):
    """Each earlier file as it stands today: loaded as it is, or upgraded (a copy) when its problems name the
    upgrade. Maps the file's name to (the profile, the upgrade's problems or None)."""
    folder = tmp_path_factory.mktemp("earlier")
    found = {}
    for path in FILES:
        copy = folder / path.name
        copy.write_bytes(path.read_bytes())
        try:
            found[path.name] = (load_client(copy, playbook), None)
        except InputError as exc:
            upgraded = upgrade_file(copy)
            copy.write_text(upgraded.new, encoding="utf-8")
            found[path.name] = (load_client(copy, playbook), exc.render().splitlines())
    return found


def test_exactly_the_first_releases_eur_and_gbp_files_need_an_upgrade(current):
    assert {name for name, (_, problems) in current.items() if problems is not None} == NEED_UPGRADE


@pytest.mark.parametrize("name", sorted(NEED_UPGRADE))
def test_each_problem_of_a_file_that_needs_an_upgrade_names_it(current, name):
    _, problems = current[name]
    assert problems and all(line.endswith((f"(run: aicto upgrade {line.split(': ')[0]})",
                                           f"; run: aicto upgrade {line.split(': ')[0]}")) for line in problems)
    assert all("fx_per_usd is required" in line for line in problems)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_engagement_model_runs_on_every_earlier_file_to_finite_figures(current, playbook, path):
    profile, _ = current[path.name]
    e = build_engagement(profile, playbook)
    assert finite_numbers([e.readiness, e.costs, e.roadmap]) == []
    base = dataclasses.asdict(e.roi.base)
    numbers = [v for v in base.values() if isinstance(v, float | int)]
    numbers += [v for key in ("value_by_source", "cost_by_source") for v in base[key].values()]
    assert numbers and all(math.isfinite(v) for v in numbers), base
    assert e.roadmap.start >= profile.engagement.start_date  # its first working day
