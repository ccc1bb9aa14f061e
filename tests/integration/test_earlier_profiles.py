"""A client file of the first release, upgraded and dated a few days before its kickoff (as a proposal is), runs
every report with real kernels (issue 25). The model's side of every earlier file is tests/unit/model/
test_earlier_profiles.py; one run here is enough."""

import json

import pytest

from tests.conftest import ROOT
from tests.functional.test_cli import aicto

pytestmark = pytest.mark.slow


def test_an_upgraded_earlier_file_dated_before_its_start_runs(tmp_path):
    path = tmp_path / "harbor-home-goods.yaml"
    text = (ROOT / "tests/fixtures/earlier_profiles/harbor-home-goods@2b970a2.yaml").read_text()
    path.write_text(text.replace("  start_date: 2027-02-01\n", "  start_date: 2027-02-01\n  report_date: 2027-01-27\n"))
    assert aicto("validate", path).returncode == 2
    upgrade = aicto("upgrade", path)
    assert upgrade.returncode == 0, upgrade.stderr
    out = tmp_path / "reports"
    run = aicto("run", path, "--out", out)
    assert run.returncode == 0, run.stderr
    folder = out / "harbor-home-goods"
    assert {p.name for p in folder.glob("*.html")} >= {"readiness.html", "costs.html", "roi.html", "roadmap.html"}
    assert not (folder / "progress.html").exists()
    assert "January 27, 2027" in (folder / "roi.html").read_text()
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["client"]["currency"] == "EUR"
    assert summary["roadmap"]["start"] == "2027-02-01"
