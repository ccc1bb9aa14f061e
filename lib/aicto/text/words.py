"""Counts, articles and number words in report sentences, from inflect, so that a sentence built from a number
reads right whatever the number: "1 day", "2 days", "an 8-week engagement", "one decision".

Every sentence template and every f-string of report text that puts a number before a noun goes through these
functions (and the Jinja filters of the same names), never through a hand-written "s".
"""

from __future__ import annotations

import functools
import re
import sys
import types
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from aicto.text.spelling import PROTECTED

if TYPE_CHECKING:
    import inflect

SPELLED_UP_TO = 9  # number words for one to nine, digits from 10 (the common style-guide rule)
ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9/&-]*[A-Z](s|'s)?$")  # LLM, AI, ROI, KPIs, CTO's, B2B
LEADING_NUMBER = re.compile(r"^[^\d]?(\d[\d,]*)(\.\d+)?")
ACRONYMS = ("AI", "LLM", "ROI", "KPI", "CTO", "CFO", "CEO", "NPV", "RAG", "API", "SLA", "PII", "GDPR", "MVP")
_ACRONYM_WORDS = re.compile(rf"\b({'|'.join(ACRONYMS)})s?\b", re.IGNORECASE)


@functools.cache
def _engine() -> inflect.engine:
    return _import_inflect().engine()


def _import_inflect() -> types.ModuleType:
    """inflect, imported with typeguard's @typechecked as a no-op: applied to inflect's methods, it re-parses
    inflect's 4,000-line module once per method, about 2.5 s of every kernel's and command's start
    (jaraco/inflect#212). The checks only guard inflect's own arguments, which are ours: strings and numbers."""
    if "inflect" in sys.modules:
        return sys.modules["inflect"]
    real = sys.modules.get("typeguard")
    stub = types.ModuleType("typeguard")
    stub.typechecked = lambda target=None, **options: target if target is not None else (lambda t: t)  # type: ignore
    sys.modules["typeguard"] = stub
    try:
        import inflect
    except ImportError:  # a newer inflect that needs more of typeguard: the real one below, slow but right
        sys.modules.pop("inflect", None)
        inflect = None
    finally:
        if real is None:
            del sys.modules["typeguard"]
        else:
            sys.modules["typeguard"] = real
    if inflect is None:
        import inflect
    return inflect


def number(n: float | int | str) -> str:
    """A number as a sentence shows it: whole numbers without a decimal point, others as they come ("1.5")."""
    if isinstance(n, str):
        return n
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:g}"


def plural(noun: str, n: float | int | str) -> str:
    """The noun in the form the count needs: singular for exactly 1, plural otherwise (0, 1.5, 2)."""
    return _noun(noun, _is_one(n))


@functools.lru_cache(maxsize=4096)
def _noun(noun: str, one: bool) -> str:
    """inflect takes about a millisecond a word; a report asks for the same few nouns hundreds of times."""
    return _engine().plural(noun, "1" if one else "2")


def count(n: float | int | str, noun: str) -> str:
    """"1 day", "2 days", "1.5 days", "0 decisions"."""
    return f"{number(n)} {plural(noun, n)}"


def count_words(n: float | int | str, noun: str) -> str:
    """A count as a sentence reads best: "no decisions", "one decision", "eight weeks", "11 weeks", "1.5 days"."""
    value = float(str(n).replace(",", ""))
    if value == 0:
        return f"no {plural(noun, 2)}"
    if value.is_integer() and value <= SPELLED_UP_TO:
        return f"{_engine().number_to_words(int(value))} {plural(noun, value)}"
    return count(n, noun)


def listed(items: list[str]) -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c" (inflect's join, without a serial comma)."""
    return _engine().join(items, final_sep="")


def count_range(low: float, high: float, noun: str) -> str:
    """A range of a count: "2-4 weeks", and "1 month" when both ends are the same."""
    if low == high:
        return count(low, noun)
    return f"{number(low)}-{number(high)} {plural(noun, 2)}"


def article(phrase: str) -> str:
    """"a" or "an" for what follows, as it is spoken: "an 8-week", "an 11%", "a 12-week", "an LLM", "a fee"."""
    found = LEADING_NUMBER.match(phrase)
    if found and phrase[:1].isdigit():
        whole = int(found.group(1).replace(",", ""))
        spoken = _engine().number_to_words(whole)
        return _engine().a(spoken).split(" ", 1)[0]
    return _engine().a(phrase).split(" ", 1)[0] if phrase else "a"


def a(phrase: str) -> str:
    """The phrase with its indefinite article: "an 8-week engagement", "a 12-week engagement"."""
    return f"{article(phrase)} {phrase}"


def sentence_start(text: str) -> str:
    """Text that opens a sentence, its first letter in capitals ("One client activity continues ..."); unlike
    str.capitalize, the rest keeps its case (LLM stays LLM)."""
    return text[:1].upper() + text[1:]


def mid_sentence(title: str) -> str:
    """A title ("LLM cost optimization", "Monthly value of the AI feature") as it reads inside a sentence: the first
    word lower-cased unless it is an acronym, which keeps its capitals."""
    first, _, rest = title.partition(" ")
    if not first or ACRONYM.match(first):
        return title
    return first[:1].lower() + first[1:] + (f" {rest}" if rest else "")


def lowercase_acronyms(text: str) -> list[str]:
    """Acronyms written without their capitals ("llm", "Ai", "roi") in report text, outside web addresses and file
    names: a check for reports, which must write them as LLM, AI, ROI."""
    spans = [m.span() for m in PROTECTED.finditer(text)]
    return [m.group() for m in _ACRONYM_WORDS.finditer(text)
            if m.group(1) != m.group(1).upper() and not any(s <= m.start() < e for s, e in spans)]


# A field name's words written as an acronym in its label (humanize).
LABEL_ACRONYMS = {"ai": "AI", "roi": "ROI", "llm": "LLM", "fx": "FX", "usd": "USD", "id": "ID", "ux": "UX",
                  "npv": "NPV"}


def humanize(name: str) -> str:
    """A field name as a label: `ai_spend` -> "AI spend" (the consultant's form and the profile's JSON Schema use it
    where a field gives no `title`)."""
    words = [LABEL_ACRONYMS.get(word, word) for word in name.split("_")]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def _is_one(n: float | int | str) -> bool:
    try:
        return float(str(n).replace(",", "")) == 1
    except ValueError:
        return False


FILTERS = {"count": count, "count_words": count_words, "count_range": count_range, "a": a, "article": article,
           "plural": plural, "mid_sentence": mid_sentence, "sentence_start": sentence_start}


def times(multiple: float) -> str:
    """A multiple as every report writes it, rounded once from its exact value: one decimal from 1 ("4.5"), two
    below 1 and cut, not rounded, so a multiple below 1 never reads as 1 ("0.96", "0.99", never "1.0")."""
    exact = Decimal(repr(float(multiple)))
    if exact >= 1:
        return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_DOWN))


def payback(month: int | None, horizon: int) -> str:
    """When cumulative value passes cost for good: "month 4", or "not within 24 months"."""
    return f"month {month}" if month is not None else f"not within {count(horizon, 'month')}"
