"""The report linter catches every slip the board-grade issue quoted, and passes the same texts written right:
a linter that cannot fail would let the reports regress unseen."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.report_linter import lint_axis, lint_table, lint_text, working_day_findings

WRONG = {
    "The figures assume no hidden cost.How sure we are": "missing space",
    "The CTO works 1 days a week.": "count",
    "It is a 8-week engagement.": "article",
    "It avoids 1 decisions.": "count",
    "The notice period is 1 months of fees.": "count",
    "The team has 1 senior engineers.": "count",
    "Three weeks or 2 day.": "count",
    "the 1 expected without senior AI leadership would cost £0.": "zero amount claimed",
    "Price the llm bill first.": "acronym",
    "Our Ai plan.": "acronym",
    "AI bill optimized\nOptimised bill": "spelling",
    "A fee of $9,000 against $11K.": "money",
    "A range of $8,000-$14K.": "money",
    "£988/day × 1 × 8 = £7,900": "arithmetic",
    "£988/day × 1.5 days a week × 10 weeks engaged = £14,800": "arithmetic",
    "A fee of £9,000 against £11k.": "money",
    "$2.2M and $2.25M": "money",
    "It pays back with a ROI of 3x.": "article",
    "It starts on 2026-03-02.": "date not in en-US",
    "It starts on 2 March 2026.": "date not in en-US",
    "Total cost $0 $500k $1M $1.5M": "money (suffix not en-US's)",  # plotly's SI ticks
    "Net value $2G": "money (suffix not en-US's)",
    "27%-46% chance the hire fails × 2 x salary": "multiplication sign",
    "1 decision × 2-4 weeks × team cost €0/week": "zero rate",
    "equity is the remainder: $230K x 1.2 + $24K = $300K": "multiplication sign",
    # issue 25's words
    "What we get: $3K of value, most of it from avoided wrong bet.": "noun without its article",
    "Cost target\nNone\nno cost lever in this plan": "raw key or path",
    "Replace both with the client's own figure (costs.client_time).": "raw key or path",
    "See playbook/engagement_fit.yaml for the routes.": "raw key or path",
    "The plan runs Dec 14 to March 3, 2027.": "date range",
    "The plan runs Jan 11 to March 31, 2027.": "date range",
}

RIGHT = [
    "The figures assume no hidden cost. How sure we are",
    "The CTO works 1 day a week, or one day; 1.5 days; 0 days; 3 senior engineers.",
    "It is an 8-week engagement, an 11-week plan, an 18-month horizon, a 12-week sprint, a $20K fee, an LLM, a KPI.",
    "Plan A is cheaper. A pilot plan exists. Six client activities continue.",
    "The AI bill optimized; an ROI of 3x; $8K-$14K; $300K-$450K; $2.3M and $1.1M; $9K against $11K; $0–$30K.",
    "£988/day × 1 × 8 = £7,904, and $1,250/day × 2 × 4 = $10,000",
    "£988/day × 1.5 days a week × 10 weeks engaged = £14,820.",
    "It starts on March 2, 2026; see https://www.bls.gov/oes/Current/oes111011.htm and summary.json.",
    "We advise on the enterprise's expertise, and the size of the prize.",
    "Most of it from the wrong bet avoided; the plan runs Dec 14, 2026 to Mar 3, 2027, or March 1 to May 19, 2027.",
]


@pytest.mark.parametrize("text,rule", WRONG.items())
def test_every_quoted_slip_is_caught(text, rule):
    assert any(f.rule.startswith(rule) for f in lint_text(text)), lint_text(text)


@pytest.mark.parametrize("text", RIGHT)
def test_the_same_texts_written_right_pass(text):
    assert lint_text(text) == []


def test_spelling_follows_the_practice_locale():
    assert [f.excerpt for f in lint_text("The optimized bill, its behavior.", "en-GB")] == ["optimized", "behavior"]
    assert lint_text("The optimised bill, its behaviour, on 2 March 2026, per Virtualization Review.", "en-GB") == []


def test_client_words_are_theirs_but_the_counts_around_them_are_ours():
    client = ["Optimisation Ltd"]
    assert lint_text("A report for Optimisation Ltd.", client_text=client) == []
    assert [f.rule for f in lint_text("1 days for Optimisation Ltd.", client_text=client)] == ["count"]


def test_a_table_shows_money_in_one_format():
    assert lint_table([["Option", "Cost"], ["Agency", "$9,000"], ["Hire", "$11K"]])
    assert lint_table([["Option", "Cost"], ["Agency", "$2.2M"], ["Hire", "$2.25M"]])
    assert lint_table([["Option", "Cost"], ["Agency", "$9K"], ["Hire", "$11K"], ["Tokens", "$0.0031"]]) == []
    assert lint_table([["Inputs", "Cost"], ["$988/day × 10 days = $9,880", "$10K"], ["$4,000 × 3", "$12K"]]) == []


def test_a_chart_axis_shows_money_in_one_format():
    assert lint_axis(["$0", "$500K", "$1M", "$1.5M"])  # plotly's "~s" ticks, with en-US suffixes
    assert lint_axis(["$0", "$5,000", "$10K"])
    assert lint_axis(["$0", "$0.5M", "$1.0M", "$1.5M"]) == lint_axis(["£0", "£100k", "£200k"]) == []
    assert lint_text("£300k–£450k, then £2.3m and £1.0bn.", "en-GB") == [] and lint_text("£0.5M", "en-GB")


def test_work_on_a_weekend_or_public_holiday_is_found():
    christmas, saturday, monday = dt.date(2026, 12, 25), dt.date(2026, 12, 26), dt.date(2026, 12, 28)
    found = working_day_findings([("a start", christmas), ("b due", saturday), ("c start", monday)], {christmas})
    assert [f.excerpt.split(":")[0] for f in found] == ["a start", "b due"]
