"""The story's rules, checked on every example client and on a fixed-seed corpus of generated client stories
(tests/story/corpus.py). `STORY_CORPUS=N` sets the corpus's size (`make corpus N=2000`); a failing rule prints the
client, the rule and the text the board would read."""

from __future__ import annotations

import os

import pytest

from aicto.model.validation import load_client, parse_client
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError
from tests.conftest import EXAMPLES
from tests.story.corpus import corpus
from tests.story.reading import read
from tests.story.rules import RULES

PLAYBOOK = load_playbook()
SIZE = int(os.environ.get("STORY_CORPUS", "200"))


def broken(reading) -> list[str]:
    return [f"{reading.name}: {name}: {finding}" for name, check in RULES.items() for finding in check(reading)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_story_holds_for_every_example(path):
    assert not (found := broken(read(load_client(path, PLAYBOOK), PLAYBOOK))), "\n".join(found)


def test_the_story_holds_for_every_generated_client():
    found, refused = [], []
    for i, data in enumerate(corpus(SIZE)):
        try:
            profile = parse_client(data, f"story-{i}.yaml", PLAYBOOK)
        except InputError as exc:
            refused.append(str(exc).splitlines()[0])
            continue
        found += broken(read(profile, PLAYBOOK, f"story-{i} ({profile.client.name})"))
    assert not refused, "generated clients must be valid:\n" + "\n".join(refused[:20])
    assert not found, f"{len(found)} findings:\n" + "\n".join(found[:80])


# The rules a proposal alone is read by, before the audit: the others read the reports that follow the audit.
BEFORE_THE_AUDIT = ("the_proposal_bills_the_engagements_fee", "arithmetic_as_written_adds_up", "no_raw_keys_or_paths",
                    "one_spelling_across_outputs", "dates_in_a_range_agree", "reads_as_a_senior_consultant_writes")


def test_the_story_holds_for_every_proposal_before_the_audit():
    """Each example and generated client as the discovery call leaves it, without its readiness answers: the
    proposal alone, provisional, read by the rules that apply to it."""
    from tests.conftest import profile_data

    clients = [(path.stem, profile_data(path)) for path in EXAMPLES]
    clients += [(f"story-{i}", data) for i, data in enumerate(corpus(min(SIZE, 50)))]
    found = []
    for name, data in clients:
        data = {k: v for k, v in data.items() if k not in ("readiness", "actuals")}
        reading = read(parse_client(data, f"{name}.yaml", PLAYBOOK), PLAYBOOK, f"{name} (before the audit)")
        assert {s.report for s in reading.sections} == {"proposal"} and reading.summary["proposal"]["provisional"]
        found += [f"{reading.name}: {rule}: {finding}" for rule in BEFORE_THE_AUDIT
                  for finding in RULES[rule](reading)]
    assert not found, f"{len(found)} findings:\n" + "\n".join(found[:80])
