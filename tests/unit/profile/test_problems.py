from aicto.profile.problems import Problem, did_you_mean, dotted


def test_dotted_paths():
    assert dotted(["a", "b", 2, "c"]) == "a.b[2].c"
    assert dotted([]) == "(top level)"


def test_problem_render():
    assert Problem("team.engineers", "bad", "0 or more").render("f.yaml") == "f.yaml: team.engineers: bad (0 or more)"
    assert Problem("x", "bad").render("f.yaml") == "f.yaml: x: bad"


def test_did_you_mean():
    assert did_you_mean("enginers", ["engineers", "team"]) == ["engineers"]
    assert did_you_mean("zzz", ["engineers"]) == []
