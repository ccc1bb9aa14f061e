"""The pieces of a batch that need no kernel: parameter checks, atomic publish and locks, fingerprints, headline
numbers, the portfolio page, finding profiles."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
import time

import pytest

from aicto.present.headlines import HEADLINES, MISSING, formatted, present, value
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError
from aicto.profile.writing import write_atomic
from aicto.run import publish
from aicto.run.batch import find_profiles
from aicto.run.fingerprint import fingerprint, is_current
from aicto.run.parameters import checked_parameters
from aicto.run.portfolio import render_csv, render_html, rows, write_portfolio
from tests.conftest import EXAMPLES, ROOT


@pytest.mark.parametrize("name", ["a\nimport os", "1x", "a-b", "", "profile path", "é"])
def test_parameter_names_must_be_identifiers(name):
    with pytest.raises(InputError, match="invalid parameter name"):
        checked_parameters({name: "x"}, "p.yaml")


@pytest.mark.parametrize("value", [object(), {1, 2}, float("nan"), b"x", {"k": [object()]}, {1: "x"}])
def test_parameter_values_must_be_json(value):
    with pytest.raises(InputError, match="is not allowed"):
        checked_parameters({"x": value}, "p.yaml")


def test_good_parameters_pass_unchanged():
    params = {"profile_path": "a\"b'\nc", "n": 3, "f": 0.5, "flag": True, "none": None, "nested": {"a": [1, "x"]}}
    assert checked_parameters(params, "p.yaml") == params


def _version(out, client_id, text):
    version = publish.new_version(out, client_id)
    (version / "report.html").write_text(text)
    return version


def test_swap_replaces_the_whole_folder_and_drops_old_versions(tmp_path):
    first = _version(tmp_path, "acme", "one")
    publish.swap(tmp_path, "acme", first)
    assert (tmp_path / "acme").is_symlink() and (tmp_path / "acme" / "report.html").read_text() == "one"
    stale = _version(tmp_path, "acme", "a killed run")  # never published
    second = _version(tmp_path, "acme", "two")
    publish.swap(tmp_path, "acme", second)
    assert (tmp_path / "acme" / "report.html").read_text() == "two"
    assert not first.exists() and not stale.exists()
    assert os.readlink(tmp_path / "acme") == os.path.join(publish.VERSIONS, second.name)  # relative: movable


def test_swap_takes_over_a_folder_from_before_versions(tmp_path):
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "report.html").write_text("old")
    publish.swap(tmp_path, "acme", _version(tmp_path, "acme", "new"))
    assert (tmp_path / "acme" / "report.html").read_text() == "new"
    assert len(list((tmp_path / publish.VERSIONS).glob("acme.*"))) == 1


def test_client_ids_sharing_a_prefix_keep_their_versions(tmp_path):
    publish.swap(tmp_path, "acme-corp", _version(tmp_path, "acme-corp", "corp"))
    publish.swap(tmp_path, "acme", _version(tmp_path, "acme", "acme"))
    assert (tmp_path / "acme-corp" / "report.html").read_text() == "corp"


def test_lock_makes_the_second_holder_wait_and_say_for_whom(tmp_path, capsys):
    events = []

    def second():
        with publish.locked(tmp_path, "acme"):
            events.append("second")

    with publish.locked(tmp_path, "acme"):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        events.append("first done")
    thread.join(5)
    assert events == ["first done", "second"]
    assert f"{tmp_path}: acme: waiting for the lock held by process {os.getpid()} on " in capsys.readouterr().err


HOLD_AND_DIE = """import os, sys
from pathlib import Path
from aicto.run import publish
with publish.locked(Path(sys.argv[1]), "acme"):
    publish.new_version(Path(sys.argv[1]), "acme")  # a run midway, killed before it could clean up
    os._exit(9)
"""


def test_a_lock_whose_holder_died_is_taken_over_and_its_partial_version_removed(tmp_path, capsys):
    publish.swap(tmp_path, "acme", _version(tmp_path, "acme", "good"))
    published = (tmp_path / "acme").resolve()
    died = subprocess.run([sys.executable, "-c", HOLD_AND_DIE, str(tmp_path)], capture_output=True, text=True)
    assert died.returncode == 9, died.stderr
    assert len(list((tmp_path / publish.VERSIONS).glob("acme.*"))) == 2
    (tmp_path / publish.VERSIONS / ".link-acme.x").symlink_to(published)  # a swap killed before its rename
    with publish.locked(tmp_path, "acme"):
        publish.remove_unpublished(tmp_path, "acme")
    assert list((tmp_path / publish.VERSIONS).iterdir()) == [published]
    assert (tmp_path / "acme" / "report.html").read_text() == "good"
    err = capsys.readouterr().err
    assert "acme: taking over the lock of process " in err and "which ended without releasing it" in err
    with publish.locked(tmp_path, "acme"):  # released cleanly: nothing to take over
        pass
    assert "taking over" not in capsys.readouterr().err


def test_an_unwritable_output_folder_is_one_line_not_a_traceback(tmp_path):
    taken = tmp_path / "a-file"
    taken.write_text("")
    with pytest.raises(publish.OutputError) as info:
        publish.check_writable(taken)
    assert str(info.value) == (f"{taken}: (folder): cannot write: File exists "
                               "(a writable folder with free space; --out names another)")
    (tmp_path / "out" / publish.LOCKS).parent.mkdir()
    (tmp_path / "out" / publish.LOCKS).write_text("")  # the lock folder cannot be made
    with pytest.raises(publish.OutputError, match="cannot write: File exists"):
        write_portfolio(tmp_path / "out", {}, load_playbook())
    with pytest.raises(KeyError), publish.writing(tmp_path):  # anything else passes through
        raise KeyError("x")


def test_write_atomic_leaves_no_temporary_file(tmp_path):
    write_atomic(tmp_path / "index.html", "x")
    write_atomic(tmp_path / "index.html", "y")
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
    assert (tmp_path / "index.html").read_text() == "y"


def test_fingerprint_follows_the_profile(tmp_path, playbook):
    profile = tmp_path / "p.yaml"
    profile.write_text(EXAMPLES[0].read_text())
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    first = fingerprint(profile, playbook.root, notebooks)
    assert fingerprint(profile, playbook.root, notebooks) == first
    (tmp_path / "fingerprint.txt").write_text(first + "\n")
    assert is_current(tmp_path, first) and not is_current(None, first)
    profile.write_text(EXAMPLES[0].read_text() + "\n# edited\n")
    assert fingerprint(profile, playbook.root, notebooks) != first


SUMMARY = {"client": {"id": "acme", "name": "Acme <script>x</script>", "currency": "EUR"},
           "readiness": {"index": 41.6, "tier": "Piloting", "recommendation": "fractional"},
           "costs": {"ai_spend": {"current_monthly": 20000.0}}, "roadmap": {"cost_target_monthly": 9000.0}}


def test_headlines_show_what_exists_and_invent_nothing(playbook):
    shown = dict(present(SUMMARY, playbook))
    assert shown["Readiness index"] == "42/100"
    assert shown["Recommendation"] == "Engage a fractional AI CTO"
    assert shown["AI bill today (monthly)"] == "€20K"
    assert "ROI multiple" not in shown and "Payback" not in shown
    assert value(SUMMARY, "roi.multiple") is None and value(SUMMARY, "readiness.tier") == "Piloting"


def _published(tmp_path, summary):
    version = publish.new_version(tmp_path, summary["client"]["id"])
    (version / "summary.json").write_text(json.dumps(summary))
    (version / publish.PACK_FILE).write_text("")
    publish.swap(tmp_path, summary["client"]["id"], version)


def test_portfolio_rows_escape_client_text_and_mark_missing(tmp_path, playbook):
    _published(tmp_path, SUMMARY)
    found = rows(tmp_path, {"acme": ("ok", ""), "broken-co": ("failed", "broken-co: readiness failed\nmore")})
    assert [r.client_id for r in found] == ["acme", "broken-co"]
    html = render_html(found, playbook)
    assert "<script>x</script>" not in html and "Acme &lt;script&gt;x&lt;/script&gt;" in html
    assert html.count(MISSING) >= 2 and 'href="acme/board-pack.html"' in html
    assert formatted(SUMMARY, next(h for h in HEADLINES if h.key == "roi.payback_month"), playbook) == MISSING
    lines = render_csv(found).splitlines()
    assert lines[0].startswith("client_id,name,status,readiness.index")
    assert lines[1].startswith('acme,Acme <script>x</script>,ok,41.6,Piloting,fractional,20000.0,9000.0,,,')
    assert lines[2].endswith(",broken-co: readiness failed")


def test_portfolio_csv_keeps_formulas_as_text_and_numbers_as_numbers(tmp_path):
    evil = {**SUMMARY, "client": {"id": "evil", "name": "=HYPERLINK(\"http://x\",\"y\")", "currency": "USD"},
            "roi": {"net_value": -5000.0, "multiple": -0.5}}
    _published(tmp_path, evil)
    found = rows(tmp_path, {"evil": ("failed", "@SUM(1+1) went wrong")})
    row = next(csv.DictReader(io.StringIO(render_csv(found))))
    assert row["name"] == "'=HYPERLINK(\"http://x\",\"y\")" and row["error"] == "'@SUM(1+1) went wrong"
    assert row["roi.multiple"] == "-0.5"


def test_find_profiles_keeps_broken_links_for_validation_to_report(tmp_path):
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "moved-away.yaml")
    (tmp_path / "ok.yaml").write_text("")
    assert [p.name for p in find_profiles([tmp_path])] == ["gone.yaml", "ok.yaml"]
    assert [p.name for p in find_profiles([tmp_path / "gone.yaml"])] == ["gone.yaml"]


def test_find_profiles_searches_folders_and_rejects_missing_paths(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.yaml", "a/b/two.yml", "a/notes.txt"):
        (tmp_path / name).write_text("")
    assert [p.relative_to(tmp_path).as_posix() for p in find_profiles([tmp_path / "a"])] == ["a/b/two.yml",
                                                                                           "a/one.yaml"]
    with pytest.raises(InputError, match="not found"):
        find_profiles([tmp_path / "nope"])


def test_notebook_imports_are_only_the_imports_of_every_notebook():
    from aicto.run.kernels import notebook_imports

    code = notebook_imports(tuple(sorted((ROOT / "notebooks").glob("*.ipynb"))))
    lines = code.splitlines()
    assert lines and all(line.startswith(("import ", "from ")) for line in lines)
    assert len(lines) == len(set(lines))


def test_find_profiles_rejects_a_folder_without_profiles(tmp_path):
    with pytest.raises(InputError, match=r"\(folder\): no profile found \(\*\.yaml files below it\)"):
        find_profiles([tmp_path])


def test_find_profiles_keeps_special_files_for_validation_to_refuse(tmp_path):
    """A FIFO in a folder was skipped without a word (exit 0); validation refuses it, naming it."""
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "ok.yaml").write_text("")
    assert [p.name for p in find_profiles([tmp_path])] == ["ok.yaml", "pipe.yaml"]
    assert [p.name for p in find_profiles([tmp_path / "pipe.yaml"])] == ["pipe.yaml"]


def test_batch_validation_turns_any_failure_into_an_outcome_of_that_client(tmp_path, monkeypatch):
    """A profile that raised anything but InputError (a bug, an unforeseen input) stopped the whole batch."""
    from aicto.run import batch

    good, fifo = tmp_path / "good.yaml", tmp_path / "pipe.yaml"
    good.write_text(EXAMPLES[0].read_text())
    os.mkfifo(fifo)
    ok, bad = batch.validate([fifo, good])
    assert list(ok) == [str(good)] and [o.error for o in bad] == [
        f"{fifo}: (file): a named pipe (FIFO), not a file (a YAML file path)"]

    def broken(path, playbook):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("aicto.model.validation.load_client", broken)
    ok, bad = batch.validate([good])
    assert ok == {} and [(o.status, o.error) for o in bad] == [("failed", f"{good}: ZeroDivisionError: a bug")]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_batch_removes_what_killed_batches_left_and_nothing_else(tmp_path):
    """Killing a batch's process group left its kernels' connection files (each with the kernel's signing key) and
    multiprocessing's sockets in TMPDIR; the next batch removes its own prefix's folders whose owner is gone."""
    from aicto.run.batch import OWN_PREFIX, remove_leftovers

    dead = _dead_pid()
    killed = tmp_path / f"{OWN_PREFIX}{dead}-abc"
    (killed / "kernels").mkdir(parents=True)
    (killed / "kernels" / "kernel-1-2.json").write_text("{}")
    (killed / "mp").mkdir()
    (killed / "lock").write_text("")
    alive = tmp_path / f"{OWN_PREFIX}{os.getpid()}-def"  # a live batch: this process
    alive.mkdir()
    locked = tmp_path / f"{OWN_PREFIX}{dead}-ghi"  # its pid gone (or reused), its lock still held
    locked.mkdir()
    legacy = tmp_path / "aicto-kernels-x1y2"  # an earlier version's folder, named by its workers' kernel files
    legacy.mkdir()
    (legacy / f"kernel-{dead}-140.json").write_text("{}")
    legacy_live = tmp_path / "aicto-kernels-z3"
    legacy_live.mkdir()
    (legacy_live / f"kernel-{os.getpid()}-140.json").write_text("{}")
    foreign = [tmp_path / "pymp-abc", tmp_path / f"{OWN_PREFIX}notapid", tmp_path / "other"]
    for path in foreign:
        path.mkdir()
    import fcntl

    with (locked / "lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        removed = remove_leftovers(tmp_path)
    assert sorted(p.name for p in removed) == sorted([killed.name, legacy.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [alive.name, locked.name, legacy_live.name, *(p.name for p in foreign)])
