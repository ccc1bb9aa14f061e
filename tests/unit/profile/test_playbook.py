import shutil

import pytest

from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError


def test_question_bank_shape(playbook):
    dims = playbook.questions.dimensions
    assert [d.id for d in dims] == ["strategy", "product", "data", "evaluation", "platform", "cost", "security",
                                    "team"]
    assert all(4 <= len(d.questions) <= 6 for d in dims)
    assert all(set(q.anchors) == {1, 3, 5} for d in dims for q in d.questions)


def test_every_blocker_targets_something_real(playbook):
    assert {b.target for b in playbook.scoring.blockers} >= {"evaluation", "security"}


def test_brand_logo_is_embedded(playbook):
    assert playbook.brand.logo_data_uri.startswith("data:image/svg+xml;base64,")


def test_broken_playbook_names_file_and_field(tmp_path, playbook):
    root = tmp_path / "playbook"
    shutil.copytree(playbook.root, root)
    path = root / "readiness" / "scoring.yaml"
    path.write_text(path.read_text().replace("max_score: 2\n", "max_score: 9\n", 1))
    with pytest.raises(InputError) as info:
        load_playbook(root)
    assert info.value.render() == f"{path}: blockers[0].max_score: 9 is out of range (must be <= 5)"
