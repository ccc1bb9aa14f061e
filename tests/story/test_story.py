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
