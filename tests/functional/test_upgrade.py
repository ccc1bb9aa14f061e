"""`aicto upgrade FILE...` as a consultant uses it on client files written for an earlier release: a diff, the file
rewritten with a .bak (comments kept), nothing written on --dry-run, for a current file or for one that would still
not validate; and `aicto validate` names the upgrade."""

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.functional.test_cli import aicto

EARLIER = ROOT / "tests" / "fixtures" / "earlier_profiles"
FX_LINE = "  fx_per_usd: 0.92  # units of the currency per 1 USD, as of 2026-11 (set by aicto upgrade: check it)\n"
ROI_TIMING = ("\nroi:                  # the ROI judgement of the proposal\n"
              "  launch_month: {low: 2, high: 3}   # months\n"
              "  # the bill falls from the second month, as the CFO asked\n"
              "  savings_start_month: 2\n"
              "  months_earlier: {low: 1, high: 2}   # kept\n")


@pytest.fixture
def harbor(tmp_path):
    """The first release's Harbor (EUR, written before fx_per_usd existed), copied."""
    path = tmp_path / "harbor.yaml"
    path.write_bytes((EARLIER / "harbor-home-goods@2b970a2.yaml").read_bytes())
    return path


def files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_validate_names_the_upgrade(harbor):
    result = aicto("validate", harbor)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"{harbor}: client: fx_per_usd is required when currency is EUR (units of EUR per 1 USD, "
                             f"e.g. 0.92); run: aicto upgrade {harbor}\n")


def test_dry_run_shows_the_diff_and_writes_nothing(harbor):
    before = harbor.read_bytes()
    result = aicto("upgrade", "--dry-run", harbor)
    assert result.returncode == 0, result.stderr
    assert f"--- {harbor}\n+++ {harbor} (upgraded)\n" in result.stdout
    assert "\n+" + FX_LINE in result.stdout
    assert "[6550609 (cost breakdown)" in result.stdout and "check it" in result.stdout
    assert result.stdout.endswith("--dry-run: nothing written\n")
    assert harbor.read_bytes() == before and files(harbor.parent) == ["harbor.yaml"]


def test_upgrade_writes_the_file_with_a_backup_and_keeps_the_comments(harbor):
    original = harbor.read_text() + ROI_TIMING  # and the ROI timing that the releases 7e8fda2 to 1334e15 took
    harbor.write_text(original)
    result = aicto("upgrade", harbor)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(f"wrote {harbor} (the previous version is {harbor}.bak)\n")
    assert harbor.with_name("harbor.yaml.bak").read_text() == original
    upgraded = harbor.read_text()
    aligned = "  fx_per_usd: 0.92".ljust(38) + FX_LINE.split("  ", 2)[2]  # in the column of the file's comments
    assert upgraded == (original.replace("  currency: EUR\n", "  currency: EUR\n" + aligned)
                        .replace("  launch_month: {low: 2, high: 3}   # months\n", "")
                        .replace("  savings_start_month: 2\n", ""))
    assert "# the bill falls from the second month, as the CFO asked" in upgraded  # the lines between entries stay
    assert aicto("validate", harbor).returncode == 0
    again = aicto("upgrade", harbor)
    assert (again.returncode, again.stdout) == (0, f"{harbor}: already current\n")


def test_a_current_file_is_already_current(tmp_path):
    paths = []
    for example in EXAMPLES:
        paths.append(tmp_path / example.name)
        paths[-1].write_bytes(example.read_bytes())
    result = aicto("upgrade", *paths)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "".join(f"{p}: already current\n" for p in paths)
    assert files(tmp_path) == sorted(p.name for p in EXAMPLES)


def test_a_file_that_would_still_not_validate_is_refused_and_left_alone(harbor):
    text = harbor.read_text().replace("  engineers: 0", "  enginers: 0")
    harbor.write_text(text)
    result = aicto("upgrade", harbor)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{harbor}: upgraded, it would still not validate; nothing written:\n")
    assert f"{harbor}: team.enginers: unknown key 'enginers'" in result.stderr
    assert harbor.read_text() == text and files(harbor.parent) == ["harbor.yaml"]


def test_a_bad_file_is_refused_with_its_problems(tmp_path):
    bad = tmp_path / "typo_key.yaml"
    bad.write_bytes((ROOT / "tests/fixtures/bad_profiles/typo_key.yaml").read_bytes())
    malformed = tmp_path / "malformed_yaml.yaml"
    malformed.write_bytes((ROOT / "tests/fixtures/bad_profiles/malformed_yaml.yaml").read_bytes())
    result = aicto("upgrade", bad, malformed, tmp_path / "missing.yaml")
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert f"{bad}: no upgrade step applies; nothing written:\n{bad}: team.enginers: unknown key" in result.stderr
    assert f"{malformed}: line 20, column 2: malformed YAML" in result.stderr
    assert f"{tmp_path / 'missing.yaml'}: (file): file not found" in result.stderr
    assert files(tmp_path) == ["malformed_yaml.yaml", "typo_key.yaml"]


def test_upgrade_needs_a_file():
    result = aicto("upgrade")
    assert result.returncode == 2 and "PROFILE.yaml" in result.stderr


def test_validate_names_the_upgrade_only_on_the_problems_it_fixes(harbor):
    harbor.write_text(harbor.read_text().replace("  engineers: 0", "  enginers: 0"))
    result = aicto("validate", harbor)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{harbor}: client: fx_per_usd is required when currency is EUR (units of EUR per 1 USD, e.g. 0.92); "
        f"run: aicto upgrade {harbor}",
        f"{harbor}: team.enginers: unknown key 'enginers' (did you mean 'engineers'? allowed: ai_experience, "
        "engineers, loaded_cost_per_engineer)"]
