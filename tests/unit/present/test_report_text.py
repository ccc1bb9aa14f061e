"""Report text built by the views, in both spellings: sentences agree with their numbers, dates follow the practice's
locale, acronyms keep their capitals, and the tier and fit say only what the client's answers state."""

import datetime as dt
import re
from pathlib import Path

import pytest

from aicto.model.ai_spend import LEVER_NAMES
from aicto.model.readiness import assess
from aicto.model.roi import ARM_NAMES, COST_NAMES, DRIVER_NAMES, SOURCE_NAMES
from aicto.present.headlines import HEADLINES, label, present
from aicto.present.views import costs as cost_views
from aicto.present.views import roi as roi_views
from aicto.present.views.common import Context, Html, table
from aicto.present.views.costs import CostView
from aicto.present.views.readiness import ReadinessView
from aicto.present.views.roadmap import RoadmapView
from aicto.present.views.roi import RoiView
from aicto.profile.assumptions import Range
from aicto.text.spelling import variants_in
from aicto.text.words import lowercase_acronyms
from tests.conftest import make_profile

LOCALES = ("en-US", "en-GB")
TAGS = re.compile(r"<[^>]+>")


def in_locale(playbook, locale):
    return playbook.model_copy(update={"brand": playbook.brand.model_copy(update={"locale": locale})})


def text(html: str) -> str:
    return re.sub(r"\s+", " ", TAGS.sub(" ", html))


def small_client(**situation):
    """One day a week for eight weeks, one wrong decision: every count that can be 1 is 1."""
    return make_profile(3, engagement={"start_date": dt.date(2027, 3, 1), "days_per_week": 1, "weeks": 8,
                                       "discount_rate": 0.08},
                        value={"monthly_value": 20000, "wrong_decisions": 1},
                        ai_spend={"monthly_bill": 5000}, situation=situation)


@pytest.fixture(params=LOCALES)
def context(request, playbook):
    profile = small_client()
    return Context(profile, in_locale(playbook, request.param), Path("test.yaml"))


def test_cost_summary_agrees_with_one_day_and_one_decision(context):
    summary = text(CostView(context).build("executive_summary"))
    assert "at 1 day a week)" in summary and "the 8-week engagement" in summary
    assert "the one wrong decision expected without senior AI leadership would cost" in summary
    assert "1 days" not in summary and "1 decisions" not in summary


def test_roi_summary_articles_and_sentences(context):
    summary = text(RoiView(context).build("executive_summary"))
    assert "an 8-week fractional AI CTO engagement at 1 day a week" in summary
    assert "at an 8% discount rate" in summary
    assert not re.search(r"[a-z]\.[A-Z]", summary)  # every sentence ends before the next begins


def test_cost_tables_count_one_of_each(context):
    hidden = text(CostView(context).build("hidden_costs"))
    assert "1 decision × 2-4 weeks × the AI team&#39;s" in hidden
    options = text(CostView(context).build("options_table"))
    assert "× 1 month of fees" in options and "1 months" not in options
    fee = text(RoiView(context).build("value_table"))
    assert "× 8 paid days (1 day a week for 8 weeks)" in fee and "1 wrong decision avoided" in fee


def test_one_spelling_in_every_section_and_chart(context):
    locale = context.playbook.brand.locale
    other = "en-GB" if locale == "en-US" else "en-US"
    shown = [CostView(context).build(name) for name in ("executive_summary", "headline", "workload_table",
                                                         "spend_mode", "assumptions_table")]
    shown += [RoiView(context).build(name) for name in ("executive_summary", "value_table", "scenario_table")]
    shown += [RoadmapView(context).build(name) for name in ("week_table", "milestone_table", "out_of_scope")]
    words = variants_in(" ".join(shown))
    assert not words[other], words[other]
    waterfall = CostView(context).build("savings_waterfall")
    assert list(waterfall["data"][0]["x"])[-1] == {"en-US": "Optimized bill", "en-GB": "Optimised bill"}[locale]
    assert waterfall["layout"]["title"]["text"] == {"en-US": "Monthly LLM bill: current to optimized, by lever",
                                           "en-GB": "Monthly LLM bill: current to optimised, by lever"}[locale]
    target = text(RoadmapView(context).build("milestone_table"))
    assert {"en-US": "optimized LLM bill", "en-GB": "optimised LLM bill"}[locale] in target


def test_client_words_keep_their_spelling(playbook):
    profile = make_profile(3, client={"id": "acme", "name": "Optimization Labs", "industry": "Colour printing",
                                      "currency": "USD"})
    for locale in LOCALES:
        summary = ReadinessView(Context(profile, in_locale(playbook, locale), Path("x.yaml"))).build(
            "executive_summary")
        assert "Optimization Labs" in summary


def test_dates_follow_the_practices_locale(context):
    locale = context.playbook.brand.locale
    view = RoadmapView(context)
    start = view.result.start
    summary = text(view.build("executive_summary"))
    written = {"en-US": f"{start:%B} {start.day}, {start.year}", "en-GB": f"{start.day} {start:%B} {start.year}"}
    assert f"from {written[locale]} to" in summary
    weeks = view.build("week_table")
    assert {"en-US": f"{start:%b} {start.day}\u2009–\u2009", "en-GB": f"{start.day}\u2009–\u2009"}[locale] in weeks
    gantt = view.build("gantt")
    assert gantt["layout"]["xaxis"]["tickformat"] == {"en-US": "%b %-d", "en-GB": "%-d %b"}[locale]


def test_pack_headlines_in_the_practices_spelling(playbook):
    summary = {"client": {"currency": "USD"}, "costs": {"ai_spend": {"current_monthly": 9000.0}},
               "roadmap": {"cost_target_monthly": 4000.0}}
    assert dict(present(summary, in_locale(playbook, "en-GB")))["AI bill optimised (monthly)"] == "US$4,000"
    assert dict(present(summary, in_locale(playbook, "en-US")))["AI bill optimized (monthly)"] == "$4,000"


def test_every_client_has_the_payback_and_target_cards(playbook):
    """A figure absent by its nature is said in words, so every client's pack shows the same cards."""
    summary = {"client": {"currency": "USD"}, "roi": {"horizon_months": 24, "payback_month": None},
               "roadmap": {"cost_target_monthly": None}}
    shown = dict(present(summary, playbook))
    assert shown["Payback"] == "not within 24 months"
    assert shown["AI bill optimized (monthly)"] == "no cost lever in the plan"
    assert "Readiness index" not in shown  # a section not written yet shows nothing


def test_display_names_write_acronyms_in_capitals(playbook):
    names = [*LEVER_NAMES.values(), *SOURCE_NAMES.values(), *DRIVER_NAMES.values(), *COST_NAMES.values(),
             *ARM_NAMES.values(), *cost_views.ASSUMPTION_NAMES.values(), *roi_views.ASSUMPTION_NAMES.values(),
             *(label(h, playbook) for h in HEADLINES)]
    assert not [n for n in names if lowercase_acronyms(n)]
    inside = ", ".join(n.lower() for n in DRIVER_NAMES.values())  # what the old `.lower()` produced
    assert lowercase_acronyms(inside)  # the check does catch it


def test_every_cost_assumption_has_a_display_name(playbook):
    a = playbook.costs
    groups = [a.leadership.full_time, a.leadership.agency, a.leadership.fractional, a.hidden, a.client_time,
              a.ai_spend]
    fields = {name for g in groups for name in type(g).model_fields if isinstance(getattr(g, name), Range)}
    assert fields <= set(cost_views.ASSUMPTION_NAMES)


def piloting(playbook, **sections):
    """A client in the Piloting band (index 50), with the given situation and actuals."""
    profile = make_profile(3, **sections)
    result = assess(profile, playbook)
    assert result.tier == "Piloting"
    return result


def test_tier_says_a_pilot_exists_only_when_the_answers_say_so(playbook):
    without = piloting(playbook, situation={"stalled_pilot": False})
    assert "pilot" not in without.tier_meaning.lower()
    assert without.tier_meaning == "Some foundations are in place, but production needs work on several fronts."
    with_pilot = piloting(playbook, situation={"stalled_pilot": True})
    assert with_pilot.tier_meaning == "A pilot exists, but production needs work on several fronts."
    assert "A pilot has stalled before production." in with_pilot.fit.fit_signals
    assert not any("pilot" in s.lower() for s in without.fit.fit_signals)


def test_tier_says_a_feature_is_live_only_when_it_launched(playbook):
    live = piloting(playbook, situation={"stalled_pilot": True},
                    actuals={"as_of": dt.date(2027, 3, 1), "launch_date": dt.date(2027, 2, 1)})
    assert live.tier_meaning == "An AI feature is live, but running it well needs work on several fronts."
    for tier in playbook.scoring.tiers:  # the general wording claims neither a pilot nor a live feature
        assert "pilot" not in tier.meaning.lower() and "is live" not in tier.meaning
        assert not (tier.min_index >= 80 and "runs in production" in tier.meaning)


def test_fit_signals_count_with_their_nouns(playbook):
    fit = assess(make_profile(3, team={"engineers": 3, "ai_experience": "none", "loaded_cost_per_engineer": 1e5},
                              situation={"ship_deadline_months": 1}), playbook).fit
    assert "AI must ship within 1 month, sooner than the 5 months a full-time hire takes." in fit.fit_signals
    assert "The team is strong (3 engineers) but inexperienced with AI (AI experience: none)." in fit.fit_signals


@pytest.mark.parametrize(("extra", "inputs"), [
    ({"value": {"monthly_value": 1000, "wrong_decisions": 0}}, "none expected"),
    ({"value": {"monthly_value": 1000, "wrong_decisions": 2}, "roadmap": {"capacity": {"client_engineers": 0}}},
     "2 decisions, but no engineering time on the AI work to redo them"),
])
def test_wrong_decisions_that_cost_nothing_say_why_instead_of_multiplying_by_nothing(playbook, extra, inputs):
    profile = make_profile(3, **extra)
    row = text(CostView(Context(profile, playbook, Path("p.yaml"))).build("hidden_costs"))
    assert f"Wrong architecture decisions {inputs} $0" in row and "$0/week" not in row


def test_an_html_section_carries_its_html_once_and_its_words_as_plain_text():
    """IPython's repr of a fragment would put its HTML in every output a second time, as text/plain."""
    fragment = table([{"Item": "R&D <lab>", "Amount": "$1,200"}, {"Item": "Fees", "Amount": "$300"}],
                     ["Item", "Amount"], numeric=["Amount"], caption="What it costs")
    assert fragment._repr_mimebundle_() == {"text/html": fragment._repr_html_(),
                                           "text/plain": "Item Amount\nR&D <lab> $1,200\nFees $300\nWhat it costs"}
    paragraphs = Html("<p>One<br>two &amp; <strong>three</strong>.</p>\n\n<p>Four</p>")
    assert paragraphs.plain_text() == "One\ntwo & three.\nFour"
