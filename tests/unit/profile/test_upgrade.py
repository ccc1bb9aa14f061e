"""Upgrade steps (aicto.profile.upgrade): each reshapes only what an earlier release accepted and this one refuses,
keeps every comment but the removed entries' own, and changes nothing in a current file."""

import re

import pytest

from aicto.model.validation import parse_client
from aicto.profile.problems import InputError
from aicto.profile.upgrade import STEPS, upgrade_text
from aicto.profile.yamlio import parse_yaml_mapping
from tests.conftest import EXAMPLES, ROOT

EARLIER = ROOT / "tests" / "fixtures" / "earlier_profiles"
HARBOR = EARLIER / "harbor-home-goods@2b970a2.yaml"  # EUR, written before fx_per_usd existed
MERIDIAN = EARLIER / "meridian-insurance@2b970a2.yaml"  # GBP, likewise


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def eol_comments(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"\S[ \t]+(#.*)$", text, re.M)]


def validates(text: str) -> bool:
    try:
        parse_client(parse_yaml_mapping(text, "p.yaml"), "p.yaml")
    except InputError:
        return False
    return True


def test_every_step_says_what_it_changes_and_which_release_changed_it():
    assert [s.name for s in STEPS] == ["fx_for_other_currencies", "roi_timing_from_the_plan", "no_fx_for_usd"]
    for s in STEPS:
        assert s.reshape.__doc__ and s.summary.endswith(".")
        assert re.match(r"^[0-9a-f]{7} \(", s.release), s.release


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_current_file_is_left_as_it_is(path):
    text = path.read_text()
    upgraded = upgrade_text(text)
    assert upgraded.changes == [] and upgraded.new is text


@pytest.mark.parametrize(("path", "rate"), [(HARBOR, 0.92), (MERIDIAN, 0.79)], ids=["EUR", "GBP"])
def test_a_file_from_before_fx_per_usd_gets_the_examples_rate(path, rate):
    text = path.read_text()
    assert not validates(text)
    upgraded = upgrade_text(text)
    [change] = upgraded.changes
    assert change.step.name == "fx_for_other_currencies" and "check it" in change.notes[0]
    added = [line for line in upgraded.new.splitlines() if line not in text.splitlines()]
    assert added == [f"  fx_per_usd: {rate}  # units of the currency per 1 USD, as of 2026-11 (set by aicto "
                     "upgrade: check it)"]
    assert upgraded.new.replace(added[0] + "\n", "") == text  # nothing else moves, comments included
    assert validates(upgraded.new)
    assert upgrade_text(upgraded.new).changes == []  # once is enough


def test_no_rate_is_made_up_for_another_currency():
    text = HARBOR.read_text().replace("currency: EUR", "currency: CHF")
    assert upgrade_text(text).changes == []


FX_COMMENTED = """\
# A client file of an earlier release.
client:
  id: acme   # the slug
  name: Acme
  industry: Testing
  currency: CHF             # francs
  # the rate of the week the proposal went out
  country: CH
"""


def test_the_rate_comes_in_below_the_currency_and_above_the_comments_that_introduce_the_next_key():
    upgraded = upgrade_text(FX_COMMENTED.replace("CHF", "EUR").replace("CH\n", "DE\n"))
    assert upgraded.new.splitlines()[5:8] == [
        "  currency: EUR             # francs",
        "  fx_per_usd: 0.92          # units of the currency per 1 USD, as of 2026-11 (set by aicto upgrade: check it)",
        "  # the rate of the week the proposal went out"]


ROI_TIMING = """\
# Northwind, as an earlier release wrote it.
client:
  id: northwind
roi:                 # the consultant's ROI judgement
  launch_month: {low: 2, high: 3}   # the first release's own timing
  # value from speed, as the CFO asked
  months_earlier: {low: 1, high: 2}
  savings_start_month: 1
  # the Monte Carlo as before
  monte_carlo:
    draws: 5000
# the value the product owner gave

value:
  monthly_value: 1000
"""


def test_roi_timing_overrides_go_and_every_other_comment_stays():
    upgraded = upgrade_text(ROI_TIMING)
    [change] = upgraded.changes
    assert change.step.name == "roi_timing_from_the_plan"
    assert [n.split(":")[0] for n in change.notes] == ["roi.launch_month", "roi.savings_start_month"]
    assert "{'low': 2, 'high': 3} removed" in change.notes[0]
    assert comments(upgraded.new) == [c for c in comments(ROI_TIMING) if c != "# the first release's own timing"]
    assert "launch_month" not in upgraded.new and "savings_start_month" not in upgraded.new
    assert upgraded.new.splitlines()[3:9] == [
        "roi:                 # the consultant's ROI judgement",
        "  # value from speed, as the CFO asked",
        "  months_earlier: {low: 1, high: 2}",
        "  # the Monte Carlo as before",
        "  monte_carlo:",
        "    draws: 5000"]


def test_an_roi_section_of_timing_alone_goes_with_the_lines_inside_it():
    text = ROI_TIMING.replace("  # value from speed, as the CFO asked\n  months_earlier: {low: 1, high: 2}\n", "")
    text = text.replace("  # the Monte Carlo as before\n  monte_carlo:\n    draws: 5000\n", "")
    upgraded = upgrade_text(text)
    assert [n.split(":")[0] for n in upgraded.changes[0].notes] == ["roi.launch_month", "roi.savings_start_month",
                                                                    "roi"]
    assert upgraded.new == ("# Northwind, as an earlier release wrote it.\nclient:\n  id: northwind\n"
                            "# the value the product owner gave\n\nvalue:\n  monthly_value: 1000\n")


def test_an_earlier_file_with_roi_timing_validates_once_upgraded():
    """Northwind as of 6550609 with the ROI timing that the releases 7e8fda2 to 1334e15 took: 7e8fda2's own
    `aicto validate` accepts it (checked by hand with `git archive 7e8fda2`; no committed file ever set these)."""
    earlier = (EARLIER / "northwind-analytics@6550609.yaml").read_text()
    text = earlier + ("\nroi:                  # the ROI judgement of the proposal\n"
                      "  launch_month: {low: 2, high: 3}   # months\n"
                      "  # the bill falls from the second month\n"
                      "  savings_start_month: 2\n")
    assert not validates(text)
    upgraded = upgrade_text(text)
    assert upgraded.new == earlier
    assert validates(upgraded.new)


def test_a_usd_clients_rate_goes_and_nothing_else():
    text = (ROOT / "tests/fixtures/bad_profiles/fx_for_usd.yaml").read_text()
    assert not validates(text)
    upgraded = upgrade_text(text)
    [change] = upgraded.changes
    assert change.step.name == "no_fx_for_usd"
    assert upgraded.new == text.replace("  fx_per_usd: 0.92\n", "")
    assert validates(upgraded.new)
    assert upgrade_text(text.replace("fx_per_usd: 0.92", "fx_per_usd: 1")).changes == []  # 1 was always allowed


def test_comments_at_the_end_of_kept_lines_stay_in_their_column():
    upgraded = upgrade_text(ROI_TIMING)
    kept = [c for c in eol_comments(ROI_TIMING) if c != "# the first release's own timing"]
    assert eol_comments(upgraded.new) == kept
