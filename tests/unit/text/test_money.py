"""Money's one rule: exact strings for the cases the reports meet, and properties over any set of amounts."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import get_currency_precision
from hypothesis import example, given
from hypothesis import strategies as st

from aicto.model.validation import load_client
from aicto.text.money import MoneyFormat, in_locale, money, money_range, product
from tests.shown_money import amounts


def fmt(values, currency="USD", locale="en-US"):
    f = MoneyFormat.fit(values, currency, locale)
    return [f(v) for v in values]


@pytest.mark.parametrize(("values", "shown"), [
    ([9_000, 11_000], ["$9K", "$11K"]),  # never "$9,000" next to "$11K"
    ([300_000, 450_000], ["$300K", "$450K"]),
    ([2_250_000], ["$2.3M"]),  # half-up on the shown digit; Python's round() and Babel's compact form give $2.2M
    ([2_249_999.9999997], ["$2.3M"]),  # a float's error is rounded to the cent first
    ([2_249_000], ["$2.2M"]),
    ([2_250_000, 12_500_000], ["$2.3M", "$12.5M"]),
    ([1_000_000, 2_250_000], ["$1.0M", "$2.3M"]),  # one precision for the set
    ([150_000, 1_234_567, -20_000], ["$150K", "$1,235K", "-$20K"]),  # the smallest decides the unit
    ([2_437, 1_316, 1_121, 13_452], ["$2.4K", "$1.3K", "$1.1K", "$13.5K"]),
    ([2_437, 450_000], ["$2,437", "$450,000"]),  # $2.4K next to $450.0K would be worse: in full
    ([9_200], ["$9,200"]),  # below 10,000 alone: in full
    ([988, 7_904], ["$988", "$7,904"]),
    ([0.0123, 0.45], ["$0.012", "$0.450"]),  # a price per request: two significant digits
    ([9.5], ["$9.50"]),  # cents in full, never "$9.5"
    ([0, -0.00001], ["$0", "$0"]),  # zero at any scale, never "-$0"
    ([-0.001], ["-$0.001"]),
    ([0, 50_000], ["$0", "$50K"]),
    ([-45_000, 30_000], ["-$45K", "$30K"]),
    ([1e12], ["$1,000B"]),
    ([2e9, 3.5e9], ["$2.0B", "$3.5B"]),
])
def test_one_format_for_a_set(values, shown):
    assert fmt(values) == shown


@pytest.mark.parametrize(("currency", "locale", "values", "shown"), [
    ("GBP", "en-GB", [300_000, 450_000], ["£300k", "£450k"]),
    ("GBP", "en-GB", [2_250_000], ["£2.3m"]),
    ("GBP", "en-GB", [4e9], ["£4bn"]),
    ("USD", "en-GB", [300_000], ["US$300k"]),
    ("GBP", "en-US", [300_000], ["£300K"]),
    ("EUR", "en-US", [-1_800, 810], ["-€1,800", "€810"]),
    ("EUR", "en-GB", [2_500_000], ["€2.5m"]),
    ("JPY", "en-US", [1_234.5, 9_000], ["¥1,235", "¥9,000"]),  # no sen: whole yen, half-up
    ("JPY", "en-US", [45_000_000], ["¥45M"]),
    ("JPY", "en-GB", [45_000_000], ["JP¥45m"]),
    ("INR", "en-US", [4_500_000], ["₹4.5M"]),
    ("INR", "en-GB", [0.5], ["₹0.50"]),
])
def test_currency_and_locale(currency, locale, values, shown):
    assert fmt(values, currency, locale) == shown


def test_ranges_share_one_unit():
    assert money_range(8_000, 14_000, "USD") == "$8K–$14K"
    assert money_range(300_000, 450_000, "USD") == "$300K–$450K"
    assert money_range(8_000, 1_400_000, "USD") == "$8K–$1,400K"
    assert money_range(500, 3_000, "USD") == "$500–$3,000"
    assert money_range(60_000, 60_000, "GBP", "en-GB") == "£60k"  # both ends the same: one amount
    assert money_range(-30_000, 5_000, "USD") == "-$30K–$5K"
    assert money_range(-30_000, 500, "USD") == "-$30,000–$500"


def test_lone_amounts():
    assert money(7_904, "GBP", "en-GB") == "£7,904"
    assert money(45_000, "USD") == "$45K"
    assert money(-385_000, "USD") == "-$385K"
    assert money(300_000, "USD", "en-GB") == "US$300k"


def test_arithmetic_adds_up():
    """The issue's case: £987.50 a day shown as £988 gave "£988/day × 1 × 8 = £7,900"; the product is £7,904."""
    days, weeks = (1, "1 day a week"), (8, "8 weeks")
    assert product(987.5, "/day", [days, weeks], "GBP", "en-GB") == "£988/day × 1 day a week × 8 weeks = £7,904"
    assert product(1_250, "/day", [(1.5, "1.5 days a week"), (10, "10 weeks")], "USD") == (
        "$1,250/day × 1.5 days a week × 10 weeks = $18,750")
    assert product(0.0123, " a request", [(3, "3")], "USD") == "$0.012 a request × 3 = $0.036"
    assert product(40_505.28, "/month", [(36, "36 months")], "USD") == "$40,505/month × 36 months = $1,458,180"


AMOUNT = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
CURRENCY = st.sampled_from(["USD", "EUR", "GBP", "JPY", "INR"])
LOCALE = st.sampled_from(["en-US", "en-GB"])


@given(st.lists(AMOUNT, min_size=1, max_size=12), CURRENCY, LOCALE)
@example([1.546875], "JPY", "en-US")  # a price per request in yen: whole yen are the minor unit, "¥1.5"
def test_a_set_never_mixes_scales_and_rounds_half_up(values, currency, locale):
    f = MoneyFormat.fit(values, currency, locale)
    shown = [list(amounts(f(v))) for v in values]
    assert all(len(s) == 1 for s in shown), shown  # each amount is one readable amount
    forms = {form for s in shown for value, _, form in s if value}
    assert len(forms) <= 1, forms  # one suffix and one number of decimals for the whole set
    for v, [(value, half, _)] in zip(values, shown, strict=True):
        minor = get_currency_precision(currency)  # the currency's minor unit first (cents; whole yen), as money is kept
        cents = Decimal(str(v)).quantize(Decimal(1).scaleb(-max(minor, f.decimals)), rounding=ROUND_HALF_UP)
        unit = 2 * half
        expected = (cents / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit
        assert value == expected or (expected == 0 and value == 0), (v, f(v))


@given(AMOUNT, AMOUNT, CURRENCY, LOCALE)
def test_a_range_has_one_unit(low, high, currency, locale):
    text = money_range(min(low, high), max(low, high), currency, locale)
    forms = {form for value, _, form in amounts(text) if value}
    assert len(forms) <= 1, text


@given(st.floats(min_value=0.01, max_value=1e6), st.integers(1, 52), st.integers(1, 7), CURRENCY)
def test_a_product_is_the_product_of_what_it_shows(rate, weeks, days, currency):
    text = product(rate, "/day", [(days, f"{days} days"), (weeks, f"{weeks} weeks")], currency)
    [rate_shown, total] = [value for value, _, _ in amounts(text)]
    assert total == rate_shown * days * weeks, text


def test_the_portfolio_table_has_one_format_per_currency(playbook):
    from aicto.present.headlines import HEADLINES, formatted

    def summary(currency, today, optimised):
        return {"client": {"currency": currency}, "costs": {"ai_spend": {"current_monthly": today}},
                "roadmap": {"cost_target_monthly": optimised}}

    big, small, euro = summary("USD", 108_000, 68_000), summary("USD", 9_333, 4_619), summary("EUR", 1_800, 810)
    bills = [h for h in HEADLINES if h.kind == "money"][:2]
    table = [big, small, euro]
    assert [[formatted(s, h, playbook, table) for h in bills] for s in table] == [
        ["$108,000", "$68,000"], ["$9,333", "$4,619"], ["€1,800", "€810"]]
    assert [formatted(big, h, playbook) for h in bills] == ["$108K", "$68K"]  # the client's own pack summary


def test_an_en_gb_practice_writes_a_pound_client_s_reports_its_way(playbook):
    """Meridian pays in pounds; with the brand's locale en-GB every section writes CLDR's en-GB forms."""
    from aicto.present.views.common import Context
    from aicto.present.views.costs import CostView
    from aicto.present.views.roi import RoiView
    from tests.conftest import EXAMPLES

    british = playbook.model_copy(update={"brand": playbook.brand.model_copy(update={"locale": "en-GB"})})
    path = next(p for p in EXAMPLES if p.stem == "meridian-insurance")
    context = Context(load_client(path, british), british, path)
    costs, roi = CostView(context), RoiView(context)
    summary = costs.build("executive_summary")
    assert "£237k–£356k a year" in summary and "K" not in "".join(a for a in summary.split() if "£" in a)
    fee = roi.build("value_table")
    assert "£988/day × 14.1 paid days (1.5 days a week for 10 weeks, 3 holidays not billed)" in fee


def test_the_playbooks_dollar_amounts_are_written_as_the_practice_writes_them():
    text = "Derived: $300K-$450K a year; $230K x 1.2 + $24K = $300K; $60,000, $0.0031 a request, $1.5B, US$5."
    assert in_locale(text, "en-US") == text
    assert in_locale(text, "en-GB") == ("Derived: US$300k-US$450k a year; US$230k x 1.2 + US$24k = US$300k; US$60,000, "
                                        "US$0.0031 a request, US$1.5bn, US$5.")


def test_a_cited_source_in_a_british_practice_writes_dollars_the_british_way(playbook):
    costs = playbook.costs
    cited = costs.cite(costs.leadership.full_time.salary.source, "en-GB")
    assert "US$" in cited and "$300K" not in cited and "US$300k" in cited


def test_a_bill_what_is_left_and_the_saving_add_up_as_written():
    """'$108K ... bring it to $68K, saving $41K' does not add up; one more decimal does, or the amounts in full."""
    from aicto.text.money import MoneyFormat

    for whole, part in [(108_460.0, 67_950.0), (190_400.0, 85_600.0), (35_300.0, 22_700.0), (9_333.0, 4_619.0),
                        (5_000_000.0, 2_250_000.0), (1_800.0, 810.0), (0.0, 0.0)]:
        fmt = MoneyFormat.adding_up(whole, part, whole - part, "USD")
        assert fmt.shown(whole) - fmt.shown(part) == fmt.shown(whole - part), (whole, part, fmt)
    assert MoneyFormat.adding_up(9_333.0, 4_619.0, 4_714.0, "USD")(4_714.0) == "$4,714"
