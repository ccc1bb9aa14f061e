"""The `aicto` command as a consultant uses it: real subprocesses, exact messages, exit codes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aicto.profile.yamlio import read_yaml_mapping
from tests.conftest import BAD_PROFILES, EXAMPLES, ROOT

AICTO = [sys.executable, "-m", "aicto.cli"]
CASES = sorted(BAD_PROFILES.glob("*.yaml"))


def aicto(*args, cwd=ROOT):
    return subprocess.run([*AICTO, *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module", params=["validate", "run"])
def corpus(request, tmp_path_factory):
    """The whole corpus through one `aicto validate` or `aicto run` (one process: each costs seconds to start)."""
    out = tmp_path_factory.mktemp("reports")
    args = ["--out", out] if request.param == "run" else []
    return aicto(request.param, *[p.relative_to(ROOT) for p in CASES], *args), out


def test_corpus_is_refused_with_exit_2_and_nothing_written(corpus):
    result, out = corpus
    assert result.returncode == 2
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert not any(out.iterdir())


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_bad_profile_gives_exact_message(path, corpus):
    """Each fixture's lines: those naming the profile, or a snapshot beside it ({snapshots} in the .expected)."""
    result, _ = corpus
    file = str(path.relative_to(ROOT))
    snapshots = file.removesuffix(".yaml") + ".snapshots"
    expected = (path.with_suffix(".expected")).read_text().replace("{file}", file).replace("{snapshots}", snapshots)
    assert "".join(line for line in result.stderr.splitlines(keepends=True)
                   if line.startswith((f"{file}: ", f"{snapshots}/"))) == expected


def test_corpus_covers_the_required_kinds():
    names = {p.stem for p in CASES}
    assert {"typo_key", "score_out_of_range", "negative_money", "wrong_type", "unknown_question",
            "unsafe_slug_path", "unsafe_slug_space", "malformed_yaml", "deep_nesting", "alias_bomb",
            "monte_carlo_bounds", "lever_shares_sum", "rates_out_of_range", "override_bounds", "fx_out_of_range",
            "date_out_of_range", "control_characters", "money_too_large", "number_as_text",
            "broken_link", "impossible_date", "huge_integer", "yaml_tags", "nul_byte", "actuals_out_of_world",
            "actuals_after_report", "holidays_push_start", "bill_out_of_reach", "bill_grows_out_of_reach",
            "invisible_text", "bool_as_text", "control_in_incident", "corrupt_snapshot"} <= names
    assert all(p.with_suffix(".expected").is_file() for p in CASES)


def test_malformed_yaml_names_line_and_column():
    text = (BAD_PROFILES / "malformed_yaml.expected").read_text()
    assert ": line 20, column 2: malformed YAML" in text


def test_examples_validate():
    result = aicto("validate", *[p.relative_to(ROOT) for p in EXAMPLES])
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok (") == len(EXAMPLES)


def test_missing_file():
    result = aicto("validate", "parameters/nope.yaml")
    assert result.returncode == 2
    assert result.stderr == "parameters/nope.yaml: (file): file not found (a YAML file path)\n"


def test_run_with_bad_profile_writes_nothing(tmp_path):
    """Not even the --out folder: a refused run left an empty one (and its parents) behind."""
    out = tmp_path / "new" / "reports"
    result = aicto("run", BAD_PROFILES / "typo_key.yaml", "--out", out)
    assert result.returncode == 2
    assert "did you mean 'engineers'" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "kept").mkdir()  # a folder that was there stays, empty as it was
    assert aicto("run", BAD_PROFILES / "typo_key.yaml", "--out", tmp_path / "kept").returncode == 2
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]


def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path):
    """validate on a FIFO hung for good; in a folder given to batch it was skipped with exit 0."""
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = subprocess.run([*AICTO, "validate", str(fifo)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"{fifo}: (file): a named pipe (FIFO), not a file (a YAML file path)\n"


@pytest.mark.parametrize("name", ["impossible_date", "huge_integer"])
def test_a_bad_profile_in_a_batch_is_refused_as_that_client(tmp_path, name):
    """2027-02-30 made `aicto batch` exit 1 after 1 s with a traceback and no client published; the folder's FIFO was
    skipped. (A good client beside them is published: tests/integration/test_batch.py's mixed batch.)"""
    import os

    folder = tmp_path / "clients"
    folder.mkdir()
    (folder / f"{name}.yaml").write_text((BAD_PROFILES / f"{name}.yaml").read_text())
    os.mkfifo(folder / "pipe.yaml")
    result = aicto("batch", "--no-progress", folder, "--out", tmp_path / "reports")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    expected = (BAD_PROFILES / f"{name}.expected").read_text().replace("{file}", str(folder / f"{name}.yaml"))
    assert expected in result.stderr
    assert f"{folder / 'pipe.yaml'}: (file): a named pipe (FIFO), not a file" in result.stderr


def test_run_rejects_unknown_report(tmp_path):
    result = aicto("run", EXAMPLES[0], "--only", "nonsense", "--out", tmp_path)
    assert result.returncode == 2
    assert "--only: unknown report nonsense" in result.stderr


def test_cli_entry_point_installed():
    exe = Path(sys.executable).parent / "aicto"
    assert exe.exists()


def test_lab_with_a_missing_profile_says_where_it_looked(tmp_path):
    result = aicto("lab", "--folder", tmp_path / "lab", "parameters/nobody.yaml")
    assert result.returncode == 2
    assert result.stderr == ("parameters/nobody.yaml: (file): file not found (a path to a profile, or a client id: "
                             "aicto lab NEW-ID starts a new client)\n")
    assert not (tmp_path / "lab").exists() and not (ROOT / "parameters" / "nobody.yaml").exists()


def test_lab_with_an_invalid_profile_opens_nothing(tmp_path):
    result = aicto("lab", "--folder", tmp_path / "lab", BAD_PROFILES / "typo_key.yaml")
    assert result.returncode == 2
    assert "did you mean 'engineers'" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "lab").exists()


def test_snapshot_records_beside_the_profile_and_keeps_the_first(tmp_path):
    profile = tmp_path / "harbor-home-goods.yaml"
    profile.write_text((ROOT / "parameters/examples/harbor-home-goods.yaml").read_text())
    result = aicto("snapshot", profile, "--date", "2027-02-01")
    written = tmp_path / "harbor-home-goods.snapshots" / "2027-02-01.json"
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{profile}: snapshot of 2027-02-01 in {written}\n"
    first = written.read_text()
    again = aicto("snapshot", profile, "--date", "2027-02-01")
    assert again.returncode == 2 and written.read_text() == first
    assert again.stderr == (f"{written}: (file): a snapshot of 2027-02-01 exists (--replace to record it again, or "
                            "--date for another day)\n")
    assert aicto("snapshot", profile, "--date", "2027-02-01", "--replace").returncode == 0


def test_snapshot_of_a_bad_profile_or_date_writes_nothing(tmp_path):
    bad = tmp_path / "typo_key.yaml"
    bad.write_text((BAD_PROFILES / "typo_key.yaml").read_text())
    result = aicto("snapshot", bad)
    assert result.returncode == 2 and "did you mean 'engineers'" in result.stderr
    assert "Traceback" not in result.stderr
    result = aicto("snapshot", EXAMPLES[0], "--date", "2027-02-30")
    assert result.returncode == 2 and "'2027-02-30' is not a date (YYYY-MM-DD)" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["typo_key.yaml"]


def test_schema_prints_the_shipped_schema_and_writes_it_with_the_reference(tmp_path):
    printed = aicto("schema")
    assert printed.returncode == 0 and printed.stdout == (ROOT / "playbook" / "profile.schema.json").read_text()
    out, reference = tmp_path / "playbook" / "profile.schema.json", tmp_path / "docs" / "profile-reference.md"
    written = aicto("schema", "--out", out, "--reference", reference)
    assert written.returncode == 0 and written.stdout == f"{out}: written\n{reference}: written\n"
    assert out.read_text() == printed.stdout
    assert reference.read_text() == (ROOT / "docs" / "profile-reference.md").read_text()
    again = aicto("schema", "--reference", reference)
    assert again.returncode == 0 and again.stdout == f"{reference}: unchanged\n"


def test_a_proposal_stage_profile_runs_and_batches_to_the_proposal_alone(tmp_path):
    """Before the audit (no readiness answers) `aicto run` and `aicto batch` produce the proposal and summary.json:
    no readiness, costs, ROI or roadmap report, and no board pack yet."""
    import json

    profile = ROOT / "tests" / "fixtures" / "proposal_stage" / "lumen-legal.yaml"
    assert aicto("validate", profile).returncode == 0
    result = aicto("run", profile, "--out", tmp_path / "run")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "run" / "lumen-legal"
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == [
        "fingerprint.txt", "proposal.docx", "proposal.html", "summary.json"]
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["proposal"]["provisional"] is True and summary["proposal"]["route"] == "fractional"
    clients = tmp_path / "clients"
    clients.mkdir()
    (clients / "lumen-legal.yaml").write_text(profile.read_text())
    result = aicto("batch", "--no-progress", clients, "--out", tmp_path / "batch")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "batch" / "lumen-legal" / "proposal.html").is_file()
    assert not (tmp_path / "batch" / "lumen-legal" / "readiness.html").exists()


def test_a_proposal_stage_profile_has_no_snapshot_to_record(tmp_path):
    profile = tmp_path / "lumen-legal.yaml"
    text = (ROOT / "tests" / "fixtures" / "proposal_stage" / "lumen-legal.yaml").read_text()
    profile.write_text(text.replace("report_date: 2027-02-15", "report_date: 2027-03-15"))
    result = aicto("snapshot", profile)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == f"{profile}: readiness: no readiness answers yet: a snapshot records the audit's answers " \
                            "and figures (answer readiness.answers first)\n"
    assert not (tmp_path / "lumen-legal.snapshots").exists()


def lab_version(tmp_path, *args):
    """`aicto lab` with clients in tmp_path/parameters; `jupyter lab --version` instead of a server: it prints the
    version and exits, after aicto made what it makes."""
    env = {**os.environ, "AICTO_PARAMETERS": str(tmp_path / "parameters")}
    return subprocess.run([*AICTO, "lab", "--folder", str(tmp_path / "lab"), *map(str, args), "--version"],
                          capture_output=True, text=True, cwd=ROOT, env=env)


def test_lab_with_a_new_id_starts_a_blank_client(tmp_path):
    result = lab_version(tmp_path, "acme-robotics")
    assert result.returncode == 0, result.stderr
    profile = tmp_path / "parameters" / "acme-robotics.yaml"
    assert result.stdout.splitlines()[:2] == [
        f"acme-robotics: a new client in {profile} (blank, every readiness answer 1 until scored; its industry and "
        "team are placeholders to set in the form's Profile tab)", f"acme-robotics: {profile}"]
    data = read_yaml_mapping(profile)
    assert data["client"] == {"id": "acme-robotics", "name": "Acme Robotics", "industry": "To be confirmed"}
    assert {s for answers in data["readiness"]["answers"].values() for s in answers.values()} == {1}
    made = sorted(p.name for p in (tmp_path / "lab" / "acme-robotics").iterdir())
    assert made == ["00_proposal.ipynb", "01_readiness.ipynb", "02_cost_breakdown.ipynb", "03_roi.ipynb",
                    "04_roadmap.ipynb"]  # no progress notebook: no baseline yet
    again = lab_version(tmp_path, "acme-robotics")  # the id has a profile now: it opens it
    assert again.returncode == 0 and again.stdout.splitlines()[0] == f"acme-robotics: {profile}"
    assert "kept" in again.stdout and "new client" not in again.stdout


def test_lab_with_a_new_id_from_an_example_copies_its_figures_and_leaves_it_alone(tmp_path):
    examples = EXAMPLES[0].parent
    before = {p: p.read_bytes() for p in examples.rglob("*") if p.is_file()}
    (tmp_path / "parameters" / "examples").mkdir(parents=True)
    source = tmp_path / "parameters" / "examples" / "northwind-analytics.yaml"
    source.write_bytes((examples / "northwind-analytics.yaml").read_bytes())
    result = lab_version(tmp_path, "--from", "northwind-analytics", "beta")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (f"beta: a new client in {tmp_path / 'parameters' / 'beta.yaml'} (a copy "
                                             f"of {source}'s figures, without its evidence notes)")
    text = (tmp_path / "parameters" / "beta.yaml").read_text()
    assert "name: Beta" in text and "Northwind" not in text and "note:" not in text
    assert source.read_bytes() == (examples / "northwind-analytics.yaml").read_bytes()
    from_path = lab_version(tmp_path, "--from", examples / "cortex-labs.yaml", "gamma")  # a path
    assert from_path.returncode == 0, from_path.stderr
    assert {p: p.read_bytes() for p in examples.rglob("*") if p.is_file()} == before


def test_lab_refuses_a_bad_client_id_and_a_copy_over_an_existing_client(tmp_path):
    result = lab_version(tmp_path, "Acme_Robotics")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("Acme_Robotics: client id: 'Acme_Robotics' is not a client id (lower-case letters, "
                             "digits and hyphens, starting and ending with a letter or digit, at most 64, e.g. "
                             "acme-robotics)\n")
    assert not (tmp_path / "parameters").exists() and not (tmp_path / "lab").exists()
    assert lab_version(tmp_path, "acme").returncode == 0
    copy = lab_version(tmp_path, "--from", EXAMPLES[0], "acme")
    assert copy.returncode == 2 and copy.stderr.startswith("acme: --from: acme already has a profile")
    missing = lab_version(tmp_path, "--from", "nobody", "delta")
    assert missing.returncode == 2 and missing.stderr.startswith("delta: --from: no profile for nobody")

