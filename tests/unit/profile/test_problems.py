import re

import pytest

from aicto.profile.problems import Problem, did_you_mean, dotted
from tests.conftest import EXAMPLES


def test_dotted_paths():
    assert dotted(["a", "b", 2, "c"]) == "a.b[2].c"
    assert dotted([]) == "(top level)"


def test_problem_render():
    assert Problem("team.engineers", "bad", "0 or more").render("f.yaml") == "f.yaml: team.engineers: bad (0 or more)"
    assert Problem("x", "bad").render("f.yaml") == "f.yaml: x: bad"


def test_did_you_mean():
    assert did_you_mean("enginers", ["engineers", "team"]) == ["engineers"]
    assert did_you_mean("zzz", ["engineers"]) == []


def brackets_read_once(text: str) -> bool:
    """Balanced parentheses, never nested, never two groups in a row ("(must be >= 0) (...)")."""
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth not in (0, 1):
            return False
    return depth == 0 and not re.search(r"\)\s*\(", text)


def test_the_allowed_text_never_doubles_or_nests_brackets():
    assert Problem("a", "-3 is out of range (must be >= 0)", "0 or more").describe() == \
        "-3 is out of range (must be >= 0); 0 or more"
    assert Problem("a", "bad", "the cost (salary, taxes)").describe() == "bad; the cost (salary, taxes)"
    assert Problem("a", "aliases (*name) are expanded", "at most 9").describe() == \
        "aliases (*name) are expanded (at most 9)"


BAD_VALUES = {"int": ("twelve", -1e12, 1e12, ""), "float": ("twelve", -1e12, 1e12, float("inf")),
              "text": ("", "x\ny", "x" * 500), "choice": ("nope", ""), "date": ("soon", "1900-01-01"),
              "bool": ("maybe",), "lines": ([""], ["x\ny"]), "range": ({"low": 5, "high": 1}, -1e12, "twelve")}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_schema_fields_problems_read_with_single_brackets(example):
    """Every input of the schema (as the consultant's form lists them, in every example), given values of the
    wrong kind, out of range or blank: each problem reads with single, balanced brackets, in `aicto validate`'s
    line and beside the form's input."""
    from aicto.consultant.fields import groups, with_edits
    from aicto.model.validation import parse_client
    from aicto.profile.problems import InputError
    from aicto.profile.schema import Profile
    from aicto.profile.yamlio import read_yaml_mapping

    data = read_yaml_mapping(example)
    inputs = [spec for group in groups(Profile, data) for spec in group.inputs]
    assert len(inputs) > 60
    seen = 0
    for spec in inputs:
        for value in BAD_VALUES[spec.kind]:
            try:
                parse_client(with_edits(data, {spec.path: value}), "p.yaml")
            except InputError as exc:
                for problem in exc.problems:
                    seen += 1
                    assert brackets_read_once(problem.describe()), problem.render("p.yaml")
                    assert brackets_read_once(problem.render("p.yaml"))
    assert seen > 2 * len(inputs)
