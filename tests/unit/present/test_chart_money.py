"""Money on charts is written as the reports write it: axis ticks at round steps in one format with the locale's
suffixes, and each hover label one amount, never plotly's SI ticks ("$300k", "$2G") or raw numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicto.model.engagement import build_engagement
from aicto.model.validation import load_client
from aicto.present import charts
from aicto.present.charts import money_axis, nice_ticks
from aicto.text.money import MoneyFormat
from tests.conftest import EXAMPLES


@pytest.mark.parametrize(("ticks", "currency", "locale", "written"), [
    ([0, 2_000, 4_000, 10_000], "USD", "en-US", ["$0", "$2K", "$4K", "$10K"]),
    ([-500_000, 0, 500_000, 1_500_000], "USD", "en-US", ["-$0.5M", "$0", "$0.5M", "$1.5M"]),
    ([0, 1e9, 2e9], "USD", "en-US", ["$0", "$1B", "$2B"]),
    ([0, 100_000, 300_000], "USD", "en-GB", ["US$0", "US$100k", "US$300k"]),
    ([0, 500_000, 2_000_000], "GBP", "en-GB", ["£0", "£0.5m", "£2.0m"]),
    ([0, 200, 600], "EUR", "en-US", ["€0", "€200", "€600"]),
    ([0, 0.5, 1.5], "USD", "en-US", ["$0", "$0.50", "$1.50"]),
])
def test_axis_ticks_read_as_one_set(ticks, currency, locale, written):
    fmt = MoneyFormat.axis(ticks, currency, locale)
    assert [fmt(t) for t in ticks] == written


@settings(deadline=None)  # a loaded CI machine is no reason to fail
@given(st.floats(-1e12, 1e12), st.floats(-1e12, 1e12))
def test_ticks_cover_the_values_in_round_steps(a, b):
    low, high = min(a, b), max(a, b)
    ticks = nice_ticks(low, high)
    slack = 1e-9 * max(abs(low), abs(high), 1.0)  # a billionth: what a float's error may round away
    assert ticks[0] <= low + slack and ticks[-1] >= high - slack and 2 <= len(ticks) <= 7
    assert float(f"{ticks[1] - ticks[0]:.2e}".split("e")[0]) in (1.0, 2.0, 5.0)


def test_every_money_chart_of_the_examples_labels_its_axis_and_hovers_as_the_reports_do(playbook):
    money_charts = [("horizon_cost_chart", "costs"), ("savings_waterfall", "spend"), ("roi_value_chart", "roi"),
                    ("cumulative_cash_chart", "roi"), ("net_value_distribution", "roi"), ("tornado_chart", "roi")]
    for path in EXAMPLES:
        profile = load_client(path, playbook)
        e = build_engagement(profile, playbook)
        results = {"costs": e.costs, "spend": e.costs.ai_spend, "roi": e.roi}
        for name, result in money_charts:
            chart = getattr(charts, name)(results[result], playbook.brand, profile.client.currency)
            axis = next(a for a in (chart["layout"].get("yaxis", {}), chart["layout"].get("xaxis", {}))
                        if "tickvals" in a)
            fmt = MoneyFormat.axis(axis["tickvals"], profile.client.currency, playbook.brand.locale)
            assert axis["ticktext"] == [fmt(t) for t in axis["tickvals"]], (path.stem, name)
            assert "tickformat" not in axis and "tickprefix" not in axis
            for trace in chart["data"]:
                assert "%{customdata}" in trace["hovertemplate"] and "%{y:" not in trace["hovertemplate"]
                assert all(str(label)[:1] in "-$£€¥" for label in trace["customdata"]), (path.stem, name)


def test_an_axis_spans_zero_unless_told_not_to():
    assert money_axis([120_000, 340_000], "USD", "en-US")["tickvals"][0] == 0
    assert money_axis([120_000, 340_000], "USD", "en-US", tozero=False)["tickvals"][0] == 100_000
