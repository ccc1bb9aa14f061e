"""Report words: counts and articles from inflect, one spelling variant, dates from Babel, acronyms in capitals."""

import datetime as dt

import pytest

from aicto.text import dates
from aicto.text.spelling import respell, variants_in
from aicto.text.words import (
    a,
    count,
    count_range,
    count_words,
    lowercase_acronyms,
    mid_sentence,
    payback,
    sentence_start,
    times,
)

COUNTS = (0, 1, 2, 8, 11, 18)


@pytest.mark.parametrize(("n", "days", "decisions", "activities"), [
    (0, "0 days", "0 decisions", "0 activities"),
    (1, "1 day", "1 decision", "1 activity"),
    (2, "2 days", "2 decisions", "2 activities"),
    (8, "8 days", "8 decisions", "8 activities"),
    (11, "11 days", "11 decisions", "11 activities"),
    (18, "18 days", "18 decisions", "18 activities"),
])
def test_count_agrees_with_its_number(n, days, decisions, activities):
    assert (count(n, "day"), count(n, "decision"), count(n, "activity")) == (days, decisions, activities)


def test_count_of_a_fraction_or_a_formatted_number():
    assert [count(1.5, "day"), count("1", "day"), count("1.0", "month"), count(0.5, "day")] == [
        "1.5 days", "1 day", "1.0 month", "0.5 days"]
    assert count(10000, "simulation") == "10,000 simulations" and count("10,000", "draw") == "10,000 draws"
    assert [count(1, "person-day"), count(2, "person-day"), count(1, "wrong decision")] == [
        "1 person-day", "2 person-days", "1 wrong decision"]


def test_count_words_spells_one_to_nine():
    assert [count_words(n, "decision") for n in COUNTS] == [
        "no decisions", "one decision", "two decisions", "eight decisions", "11 decisions", "18 decisions"]


def test_count_range_keeps_one_unit_and_agrees():
    assert [count_range(1, 1, "month"), count_range(2, 4, "week"), count_range(0, 0, "week"),
            count_range(0.5, 1, "month")] == ["1 month", "2-4 weeks", "0 weeks", "0.5-1 months"]


@pytest.mark.parametrize(("phrase", "expected"), [
    ("0-week", "a 0-week"), ("1-week", "a 1-week"), ("2-week", "a 2-week"), ("8-week", "an 8-week"),
    ("11-week", "an 11-week"), ("18-month", "an 18-month"), ("12-week", "a 12-week"), ("80-day", "an 80-day"),
    ("100-day", "a 100-day"), ("8%", "an 8%"), ("11%", "an 11%"), ("12%", "a 12%"), ("1.5-day", "a 1.5-day"),
    ("LLM", "an LLM"), ("fee", "a fee"), ("hour", "an hour"),
])
def test_indefinite_article_as_spoken(phrase, expected):
    assert a(phrase) == expected


def test_titles_inside_a_sentence_keep_their_acronyms():
    assert mid_sentence("LLM cost optimization") == "LLM cost optimization"
    assert mid_sentence("Monthly value of the AI feature") == "monthly value of the AI feature"
    assert mid_sentence("KPIs first") == "KPIs first" and mid_sentence("Day rates") == "day rates"
    assert sentence_start("one client activity") == "One client activity"
    assert sentence_start("eLLM") == "ELLM" and sentence_start("") == ""


def test_lower_case_acronyms_are_found_outside_addresses():
    text = "the ai feature, llm saving, Ai spend, Roi; LLMs, AI, KPIs and CTO; https://hodgen.ai/cost-roi, roi.yaml"
    assert lowercase_acronyms(text) == ["ai", "llm", "Ai", "Roi"]
    assert lowercase_acronyms("Monthly value of the AI feature; LLM saving per month") == []


SENTENCE = ("Optimised bill; AI bill optimized. The organisation prioritizes the modelled saving; behavior, "
            "labelled data, a judgement.")


def test_respell_writes_one_variant_for_each_locale():
    assert respell(SENTENCE, "en-US") == ("Optimized bill; AI bill optimized. The organization prioritizes the "
                                          "modeled saving; behavior, labeled data, a judgment.")
    assert respell(SENTENCE, "en-GB") == ("Optimised bill; AI bill optimised. The organisation prioritises the "
                                          "modelled saving; behaviour, labelled data, a judgement.")
    for locale, other in (("en-US", "en-GB"), ("en-GB", "en-US")):
        found = variants_in(respell(SENTENCE, locale))
        assert found[locale] and not found[other]


def test_respell_keeps_case_and_leaves_the_rest_alone():
    assert respell("OPTIMIZATION <th>Realised</th> analysed", "en-US") == "OPTIMIZATION <th>Realized</th> analyzed"
    assert respell("Optimisation", "en-US") == "Optimization"
    text = "Costs, 12 weeks, LLM, the analyses of 2026 and a license to ship."
    assert respell(text, "en-US") == text and respell(text, "en-GB") == text


def test_respell_keeps_client_words_addresses_and_names():
    text = ("Help-centre articles are stale; the centre of it. See https://example.com/llm-cost-optimization and "
            "playbook/costs/optimise.yaml, as reported by Virtualization Review.")
    assert respell(text, "en-US", keep=["Help-centre articles are stale"]) == (
        "Help-centre articles are stale; the center of it. See https://example.com/llm-cost-optimization and "
        "playbook/costs/optimise.yaml, as reported by Virtualization Review.")
    assert respell("O&#39;Brien&#39;s optimised team", "en-US", keep=["O'Brien's optimised team"]) == (
        "O&#39;Brien&#39;s optimised team")


@pytest.mark.parametrize(("locale", "long", "short", "span", "month"), [
    ("en-US", "March 2, 2026", "Mar 2", "Mar 2\u2009–\u20098", "January 2027"),
    ("en-GB", "2 March 2026", "2 Mar", "2\u2009–\u20098 Mar", "January 2027"),
])
def test_dates_in_the_practices_locale(locale, long, short, span, month):
    day = dt.date(2026, 3, 2)
    assert dates.long_date(day, locale) == long
    assert dates.day_month(day, locale) == short
    assert dates.day_month_range(day, dt.date(2026, 3, 8), locale) == span  # CLDR's interval, thin spaces
    assert dates.month_of("2027-01", locale) == month
    assert dates.long_date(dt.date(2027, 12, 25), locale) == {"en-US": "December 25, 2027",
                                                             "en-GB": "25 December 2027"}[locale]


def test_inflect_is_imported_without_instrumenting_it_and_leaves_typeguard_as_it_found_it():
    """A fresh process, as a kernel is: inflect is loaded, its methods are plain functions (no typeguard
    instrumentation), and the real typeguard, imported before, is the one left in sys.modules."""
    import subprocess
    import sys

    code = ("import sys, typeguard; from aicto.text import words; assert words.count(2, 'day') == '2 days'; "
            "import inflect; assert sys.modules['typeguard'] is typeguard; "
            "assert 'typeguard' not in inflect.engine.plural.__code__.co_names; print('ok')")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "ok\n"


@pytest.mark.parametrize(("multiple", "shown"), [(0.96, "0.96"), (0.999, "0.99"), (0.0, "0.00"), (1.0, "1.0"),
                                                 (6.75, "6.8"), (6.7499, "6.7"), (554.46, "554.5")])
def test_a_multiple_is_rounded_once_and_never_reads_as_1_below_it(multiple, shown):
    assert times(multiple) == shown


def test_payback_beyond_the_horizon_is_said():
    assert (payback(4, 24), payback(None, 24), payback(None, 1)) == ("month 4", "not within 24 months",
                                                                     "not within 1 month")
