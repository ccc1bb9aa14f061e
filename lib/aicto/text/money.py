"""Money as every report writes it: one rule, in the client's currency and the practice's locale (Babel's CLDR data).

The rule, for a set of amounts shown together (a sentence, a table, a KPI card, a range):
- One scale and one number of decimals for the whole set, so that "$9,000" never stands next to "$11K".
- The scale is the largest of thousands, millions and billions (the locale's own suffixes: "$300K", "£300k",
  "£2.3m") at which every non-zero amount of the set is at least one unit and shows two significant digits with
  at most one decimal; a decimal is only used while every amount stays below 100 at that scale (never "$450.0K"),
  and a set below 10,000 throughout stays in full ("$9,200", not "$9.2K").
  Otherwise the set is written in full ("$2,437", "$450,000"), with the decimals two significant digits need
  (at least the currency's own, e.g. "$0.012" a request, "$9.50"; none for JPY's whole yen).
- Rounding is half-up on the shown digit ($2,250,000 is "$2.3M"), after rounding to the currency's minor unit,
  so that a float's error (2,249,999.9999997) does not turn a half into less than a half.
- Zero is "$0"; negative amounts carry the locale's minus sign ("-$30K"); ranges share one scale and are joined
  by an en dash ("$8K–$14K").
- Arithmetic shown in a sentence adds up: `product` formats the factors, then the product of the shown factors.
- A chart's axis is one set too, written at the scale of its largest tick ("$0.5M, $1.0M, $1.5M").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import format_currency, get_currency_precision

COMPACT_SCALES = (10**9, 10**6, 10**3)  # billions, millions, thousands; amounts are at most 1e12
FULL_BELOW = 10_000  # a set whose amounts are all below this is written in full: "$9,200", not "$9.2K"
MAX_DECIMALS = 4  # in full: a price per request needs up to four (0.0012 of a dollar)
RANGE_DASH = "–"  # en dash between the ends of a range: "$8K–$14K", "-$30K–$5K"
TIMES = "×"
DEFAULT_LOCALE = "en-US"


@cache
def _locale(tag: str) -> Locale:
    return Locale.parse(tag, sep="-")


@cache
def _suffix(tag: str, scale: int) -> str:
    """The locale's short suffix for a scale ("K", "k", "M", "m", "B", "bn"), from CLDR's compact currency formats."""
    pattern = _locale(tag).compact_currency_formats["short"]["other"][str(scale)].pattern
    return pattern.replace("¤", "").replace("0", "").replace("\u00a0", "").strip()


@lru_cache(maxsize=65536)
def _decimal(amount: float | Decimal, currency: str, decimals: int = 0) -> Decimal:
    """The amount as a Decimal rounded half-up to the currency's minor unit (or finer, for `decimals`); cached, as
    a redraw formats most amounts again (a chart's labels, the table beside it, the sentence that cites them)."""
    places = max(get_currency_precision(currency), decimals)
    return Decimal(str(amount)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _decimals_needed(value: Decimal) -> int:
    """Decimals that show a positive value to two significant digits, trailing zeros dropped (8.0 needs none)."""
    places = max(0, 1 - value.adjusted())
    shown = _half_up(value, places).normalize()
    return max(0, -shown.as_tuple().exponent)


@dataclass(frozen=True)
class MoneyFormat:
    """One way of writing amounts of a currency: a scale (1, 1e3, 1e6, 1e9) and a number of decimals at it."""

    currency: str
    locale: str = DEFAULT_LOCALE
    scale: int = 1
    decimals: int = 0

    @classmethod
    def fit(cls, amounts: Iterable[float | None], currency: str, locale: str = DEFAULT_LOCALE) -> MoneyFormat:
        """The one format for a set of amounts shown together (None, e.g. a missing figure, is left out)."""
        given = [a for a in amounts if a is not None]
        whole = [abs(v) for v in (_decimal(a, currency) for a in given) if v]  # in minor units, as compact forms round
        for scale in COMPACT_SCALES:
            if not whole or min(whole) < scale or max(whole) < FULL_BELOW:
                continue
            decimals = max(_decimals_needed(v / scale) for v in whole)
            if decimals == 0 or (decimals == 1 and _half_up(max(whole) / scale, 1) < 100):
                return cls(currency, locale, scale, decimals)
        return cls.full(given, currency, locale)

    @classmethod
    def axis(cls, ticks: Sequence[float], currency: str, locale: str = DEFAULT_LOCALE) -> MoneyFormat:
        """A chart axis's ticks (round steps): the scale of the largest, with the decimals that show every tick
        exactly ("$0, $0.5M, $1.0M, $1.5M", not "$1,000K, $1,500K"); a set below 10,000 in full, as `fit`."""
        whole = [abs(v) for v in (_decimal(t, currency) for t in ticks) if v]
        scale = next((s for s in COMPACT_SCALES if whole and max(whole) >= max(s, FULL_BELOW)), 1)
        if scale == 1:
            return cls.fit(ticks, currency, locale)
        return cls(currency, locale, scale, max(max(0, -(v / scale).normalize().as_tuple().exponent) for v in whole))

    @classmethod
    def full(cls, amounts: Iterable[float | None], currency: str, locale: str = DEFAULT_LOCALE) -> MoneyFormat:
        """Amounts written in full ("$7,904"), with the decimals two significant digits of the smallest need."""
        fine = [abs(v) for v in (_decimal(a, currency, MAX_DECIMALS) for a in amounts if a is not None) if v]
        decimals = max((_decimals_needed(v) for v in fine), default=0)
        minor = get_currency_precision(currency)
        return cls(currency, locale, 1, min(max(decimals, minor), MAX_DECIMALS) if decimals else 0)

    @classmethod
    def adding_up(cls, whole: float, part: float, rest: float, currency: str,
                  locale: str = DEFAULT_LOCALE) -> MoneyFormat:
        """One format for "the bill is X; the levers bring it to Y, saving Z", in which X - Y = Z as written: the
        usual format when its rounding keeps the sum, else one more decimal at its scale (up to two), else in full
        ("$108K ... $68K, saving $41K" reads wrong; "$108.3K ... $67.6K, saving $40.7K" adds up)."""
        fitted = cls.fit([whole, part, rest], currency, locale)
        tries = [replace(fitted, decimals=fitted.decimals + n) for n in (0, 1, 2)] if fitted.scale > 1 else [fitted]
        for form in [*tries, cls.full([whole, part, rest], currency, locale)]:
            if form.shown(whole) - form.shown(part) == form.shown(rest):
                return form
        return cls(currency, locale, 1, get_currency_precision(currency))

    def shown(self, amount: float | Decimal) -> Decimal:
        """The amount as written, in units of the currency (2,250,000 at one decimal of millions: 2,300,000)."""
        value = _decimal(amount, self.currency, self.decimals if self.scale == 1 else 0)
        return _half_up(value / self.scale, self.decimals) * self.scale

    def __call__(self, amount: float | Decimal) -> str:
        return _written(self, self.shown(amount) / self.scale)

    def range(self, low: float | Decimal, high: float | Decimal) -> str:
        """Both ends in this format, "$8K–$14K"; one amount when both ends are written the same."""
        first, second = self(low), self(high)
        return first if first == second else f"{first}{RANGE_DASH}{second}"


@lru_cache(maxsize=16384)
def _written(form: MoneyFormat, value: Decimal) -> str:
    """A value at its format's scale as written: Babel takes about 70 µs an amount, and a consultant's edit redraws
    hundreds of amounts (tables, hover labels), most of them as written before."""
    if not value:  # zero is "$0" at any scale, never "-$0" or "$0.0K"
        return format_currency(0, form.currency, format="¤0", locale=_locale(form.locale), currency_digits=False)
    fraction = "." + "0" * form.decimals if form.decimals else ""
    suffix = f"'{_suffix(form.locale, form.scale)}'" if form.scale > 1 else ""
    return format_currency(value, form.currency, format=f"¤#,##0{fraction}{suffix}", locale=_locale(form.locale),
                           currency_digits=False)


@lru_cache(maxsize=16384)
def money(amount: float, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """One amount on its own (a KPI, a cell of its own, a chart's label), by the rule above; cached like `_written`."""
    return MoneyFormat.fit([amount], currency, locale)(amount)


def money_range(low: float, high: float, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """A low-high range on its own, both ends at one scale: "$300K–$450K"."""
    return MoneyFormat.fit([low, high], currency, locale).range(low, high)


PLAYBOOK_CURRENCY = "USD"  # the playbook's own texts (sources, derivations) write US dollars as en-US does: "$300K"
PLAYBOOK_AMOUNT = re.compile(r"(?<![\w$])\$(\d{1,3}(?:,\d{3})*|\d+)(\.\d+)?([KMB])?(?![\w,]\d|\w)")
PLAYBOOK_SCALES = {None: 1, "K": 10**3, "M": 10**6, "B": 10**9}


def in_locale(text: str, locale: str) -> str:
    """The playbook's text with its dollar amounts written as the practice's locale writes them, at the scale and
    precision they have ("$300K-$450K" is "US$300k-US$450k" in en-GB); the words are left as they are."""
    if locale == DEFAULT_LOCALE:
        return text

    def written(m: re.Match) -> str:
        whole, fraction, suffix = m.group(1).replace(",", ""), m.group(2) or "", m.group(3)
        decimals = len(fraction) - 1 if fraction else 0
        form = MoneyFormat(PLAYBOOK_CURRENCY, locale, PLAYBOOK_SCALES[suffix], decimals)
        return form(Decimal(whole + fraction) * form.scale)
    return PLAYBOOK_AMOUNT.sub(written, text)


WRITTEN_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def product(rate: float, unit: str, factors: Sequence[tuple[float, str]], currency: str,
            locale: str = DEFAULT_LOCALE, total: bool = True) -> str:
    """Arithmetic that adds up: "£988/day × 1 day a week × 8 weeks = £7,904". The rate is written in full, rounded
    half-up like any amount (£987.50 is £988), and the total is the product of the rate as written and the factors,
    in the same format, so the reader's own multiplication gives the figure shown.

    `factors` are (number, its words as written); the product uses each number as its words write it ("4.2 days a
    week" for 4.2054), so the sum shown is the reader's own. Without `total` the factors stand alone, for a table
    whose amount column shows the result in its own format: a figure is shown once, not twice at two precisions."""
    fmt = MoneyFormat.full([rate], currency, locale)
    result = fmt.shown(rate)
    for number, words in factors:
        written = WRITTEN_NUMBER.search(words)
        result *= Decimal(written.group(0).replace(",", "")) if written else Decimal(str(number))
    terms = f" {TIMES} ".join([f"{fmt(rate)}{unit}", *(words for _, words in factors)])
    return terms + f" = {fmt(result)}" if total else terms
