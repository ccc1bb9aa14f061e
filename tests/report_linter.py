"""The report linter: reads a report as its reader sees it and names every slip a client's CFO would catch.

It works on what a browser shows (the page's innerText, each table's cells, and the strings plotly draws), so it
judges the rendered words, not the code that made them. It is deliberately independent of lib/aicto's own wording
helpers: an oracle that reused them could not catch their mistakes.

Each rule is a function from a text (or a table) to findings; RULES and TABLE_RULES are the registries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import inflect

_ENGINE = inflect.engine()


@dataclass(frozen=True)
class Finding:
    rule: str
    excerpt: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.excerpt!r}"


def _around(text: str, match: re.Match, width: int = 40) -> str:
    """The match in [brackets], with some text either side."""
    before, after = text[max(0, match.start() - width):match.start()], text[match.end():match.end() + width]
    return f"{before}[{match.group(0)}]{after}".replace("\n", " ").replace("\t", " | ")


# --- counts: "1 days", "3 decision" -------------------------------------------------------------------------------

# The nouns reports count. A number before one of them, with at most one word between, must agree with it.
COUNTED = ["day", "week", "month", "year", "hour", "minute", "quarter", "decision", "activity", "engineer",
           "person", "hire", "milestone", "client", "workload", "lever", "question", "dimension", "blocker",
           "request", "model", "page", "risk", "option", "simulation", "item", "task", "meeting", "workshop",
           "interview", "candidate", "source", "check", "deliverable", "role", "feature", "call", "token", "dollar",
           "pound", "euro", "scenario", "step", "week-day", "person-day", "engineer-day", "point", "answer",
           "incident", "snapshot", "draw", "percentile", "month-end"]
_COUNTED = {form for noun in COUNTED for form in (noun, _ENGINE.plural_noun(noun))}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12}
_COUNT = re.compile(r"(?<![\w.,/$£€¥₹×-])(\d[\d,]*(?:\.\d+)?|(?i:one|two|three|four|five|six|seven|eight|nine|ten|"
                    r"eleven|twelve))(?![\w%.,/-]) ([a-z]+(?:-[a-z]+)?)(?: ([a-z]+(?:-[a-z]+)?))?\b")


def _is_plural(noun: str) -> bool:
    return _ENGINE.singular_noun(noun) is not False


def count_agreement(text: str) -> list[Finding]:
    found = []
    for m in _COUNT.finditer(text):
        number, first, second = m.groups()
        # "3 weeks", "3 senior engineers", "six client activities" (the first noun describes the second)
        noun = second if second in _COUNTED else first
        if noun not in _COUNTED:
            continue
        value = _NUMBER_WORDS.get(number.lower()) or float(number.replace(",", ""))
        if (value == 1 and "." not in number) == _is_plural(noun):
            found.append(Finding("count", _around(text, m)))
    return found


# --- articles: "a 8-week", "an pilot" -------------------------------------------------------------------------------

_LETTERS_WITH_AN = set("AEFHILMNORSX")  # letter names that start with a vowel sound: "an LLM", "an ROI", "a KPI"
_ARTICLE = re.compile(r"(?:(?<=^)|(?<=[\s(\"“'‘]))(a|an|A|An) ([^\s]+)")


def _expected_article(word: str) -> str | None:
    word = word.strip("\"“”'‘’()*")
    if not word:
        return None
    if word[0] in "$£€¥₹":
        return "a"  # "a dollar", "a pound", "a euro", "a yen", "a rupee"
    if word[0].isdigit():
        whole = re.match(r"\d[\d,]*", word).group(0).replace(",", "")
        return _ENGINE.a(_ENGINE.number_to_words(int(whole))).split(" ", 1)[0]
    letters = re.match(r"[A-Z]{2,}s?\b", word)
    if letters:
        return "an" if word[0] in _LETTERS_WITH_AN else "a"
    if not word[0].isalpha():
        return None
    return _ENGINE.a(word).split(" ", 1)[0]


def articles(text: str) -> list[Finding]:
    found = []
    for sentence in sentences(text):
        for m in _ARTICLE.finditer(sentence):
            article, word = m.group(1), m.group(2)
            if article[0] == "A" and m.start() != 0:
                continue  # "Plan A", "Option A": a letter, not an article, unless it opens the sentence
            expected = _expected_article(word)
            if expected is not None and expected != article.lower():
                found.append(Finding("article", _around(sentence, m)))
    return found


# --- a sentence that runs into the next: "cost.How sure we are" ------------------------------------------------------

_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w-]+\.(?:com|org|io|ai|gov|edu|net|co\.uk|html|json|"
                  r"csv|ics|yaml|pdf)\b\S*", re.IGNORECASE)
_RUN_ON = re.compile(r"\b[a-z]{2,}[.!?;:,][A-Z][a-z]|\b[a-z]{2,}[;:,][a-z]{2,}")


def missing_space(text: str) -> list[Finding]:
    text = _URL.sub(" ", text)
    return [Finding("missing space", _around(text, m)) for m in _RUN_ON.finditer(text)]


# --- spelling: one variant, the practice's --------------------------------------------------------------------------

# -ise words that are spelled -ise in American English too; every other -ise/-isation word is British.
_ISE_BOTH = ["advise", "advertise", "arise", "chastise", "comprise", "compromise", "concise", "demise", "despise",
             "devise", "disguise", "enterprise", "exercise", "expertise", "franchise", "improvise", "merchandise",
             "noise", "otherwise", "poise", "praise", "precise", "premise", "promise", "raise", "revise", "rise",
             "supervise", "surmise", "surprise", "televise", "treatise", "wise", "likewise", "clockwise", "reprise",
             "paradise", "cruise", "anise"]
_IZE_BOTH = ["size", "seize", "prize", "capsize", "maize", "baize", "downsize", "resize", "oversize"]
_BRITISH_ONLY = ["behaviour", "behaviours", "colour", "colours", "favour", "favourable", "honour", "labour",
                 "neighbour", "centre", "centres", "metre", "litre", "programme", "programmes", "catalogue",
                 "analyse", "analysed", "analysing", "licence", "cheque", "modelling", "modelled", "travelled",
                 "cancelled", "labelled", "fulfil", "judgement"]
_AMERICAN_ONLY = ["behavior", "behaviors", "color", "colors", "favor", "favorable", "honor", "labor", "neighbor",
                  "center", "centers", "meter", "liter", "catalog", "analyze", "analyzed", "analyzing", "license",
                  "modeling", "modeled", "traveled", "canceled", "labeled", "fulfill", "judgment"]


def _ise_word(word: str) -> bool:
    stem = re.match(r"(\w+?)(?:is(?:e|es|ed|ing|ation|ations|er|ers))$", word)
    return bool(stem) and not any(word.startswith(w[:-1]) and len(word) - len(w) <= 2 for w in _ISE_BOTH)


def _ize_word(word: str) -> bool:
    stem = re.match(r"(\w+?)(?:iz(?:e|es|ed|ing|ation|ations|er|ers))$", word)
    return bool(stem) and not any(word.startswith(w[:-1]) and len(word) - len(w) <= 2 for w in _IZE_BOTH)


def spelling(locale: str) -> Callable[[str], list[Finding]]:
    """The rule for one practice locale: no word of the other variant."""
    british = locale == "en-GB"

    def rule(text: str) -> list[Finding]:
        found = []
        text = _URL.sub(" ", text)
        for m in re.finditer(r"[A-Za-z]+", text):
            if m.group(0)[0].isupper() and not re.search(r"(^|[.!?:\n(]\s*)$", text[:m.start()]):
                continue  # a name mid-sentence ("Virtualization Review") is spelled as its owner spells it
            word = m.group(0).lower()
            wrong = (_ize_word(word) or word in _AMERICAN_ONLY) if british else \
                (_ise_word(word) or word in _BRITISH_ONLY)
            if wrong:
                found.append(Finding(f"spelling ({locale})", m.group(0)))
        return found

    return rule


# --- acronyms in capitals ----------------------------------------------------------------------------------------

_ACRONYMS = ["ai", "llm", "roi", "kpi", "cto", "cfo", "ceo", "npv", "api", "fte", "mvp", "sla", "gpu"]
_LOWER_ACRONYM = re.compile(r"(?<![\w./@-])(" + "|".join(
    f"{a}s?|{a.capitalize()}s?" for a in _ACRONYMS) + r")(?![\w/@-]|\.\w)")


def acronyms(text: str) -> list[Finding]:
    return [Finding("acronym", _around(text, m)) for m in _LOWER_ACRONYM.finditer(_URL.sub(" ", text))]


# --- money: one format per sentence or table, ranges in one unit, arithmetic that adds up -----------------------------

_SYMBOLS = "$£€¥₹"
MONEY = (r"(?P<sign>[-−]?)(?:(?P<symbol>[" + _SYMBOLS + r"])|(?P<code>[A-Z]{3})\s)(?P<number>\d[\d,]*(?:\.\d+)?)"
         r"(?P<suffix>[KkMmBGT]|bn)?(?!\w|\.\d)")
# Suffixes as CLDR writes them: "$300K" in en-US, "£300k" and "£2.3m" in en-GB; G and T are SI's (plotly's "~s").
SCALES = {"": 1, "K": 10**3, "k": 10**3, "M": 10**6, "m": 10**6, "B": 10**9, "bn": 10**9, "G": 10**9, "T": 10**12}
LOCALE_SUFFIXES = {"en-US": {"K", "M", "B"}, "en-GB": {"k", "m", "bn"}}
_MONEY = re.compile(r"(?<![\w.])" + MONEY)
_PLAIN_MONEY = re.sub(r"\?P<\w+>", "?:", MONEY)  # the same amount without group names, to repeat in one pattern


@dataclass(frozen=True)
class Amount:
    value: Decimal  # in units of the currency, as shown
    suffix: str
    decimals: int
    text: str

    @property
    def form(self) -> tuple[str, int]:
        return self.suffix, self.decimals

    @property
    def compact(self) -> bool:
        return bool(self.suffix)

    @property
    def step(self) -> Decimal:
        """The smallest difference the shown digits can express."""
        scale = SCALES[self.suffix]
        return Decimal(scale) / (10 ** self.decimals)


def amounts(text: str) -> list[Amount]:
    found = []
    for m in _MONEY.finditer(text):
        number = m.group("number").replace(",", "")
        decimals = len(number.split(".")[1]) if "." in number else 0
        scale = SCALES[m.group("suffix") or ""]
        sign = -1 if m.group("sign") else 1
        found.append(Amount(sign * Decimal(number) * scale, m.group("suffix") or "", decimals, m.group(0)))
    return found


def _mixed(found: Sequence[Amount]) -> str | None:
    """Why a set of amounts shown together does not read as one format, or None."""
    large = [a for a in found if a.compact or abs(a.value) >= 1000]
    if any(a.compact for a in large) and any(not a.compact for a in large):
        return "full and abbreviated amounts mixed"
    by_suffix: dict[str, set[int]] = {}
    for a in large:
        by_suffix.setdefault(a.suffix, set()).add(a.decimals)
    if any(len(d) > 1 for s, d in by_suffix.items() if s):
        return "one unit shown at different precisions"
    return None


def money_suffixes(locale: str) -> Rule:
    """Amounts abbreviated with the locale's own suffixes only: "$300k" or "$2G" is not how en-US writes money."""
    allowed = LOCALE_SUFFIXES[locale]

    def rule(text: str) -> list[Finding]:
        return [Finding(f"money (suffix not {locale}'s)", a.text) for a in amounts(text)
                if a.suffix and a.suffix not in allowed]
    return rule


def money_in_sentences(text: str) -> list[Finding]:
    found = []
    for sentence in sentences(text):
        problem = _mixed(amounts(sentence))
        if problem:
            found.append(Finding(f"money ({problem})", sentence[:160]))
    return found


_RANGE = re.compile(r"(?<![\w.])" + _PLAIN_MONEY + r" ?[-–—] ?" + _PLAIN_MONEY)


def money_ranges(text: str) -> list[Finding]:
    """Both ends of a range in one unit: "$8K–$14K", never "$8,000–$14K". Zero is "$0" at any scale ("$0–$30K")."""
    found = []
    for m in _RANGE.finditer(text):
        ends = amounts(m.group(0))
        if ends[0].form != ends[-1].form and ends[0].value and ends[-1].value:
            found.append(Finding("money (range in two units)", m.group(0)))
    return found


# A factor: an amount or a number, its unit ("/day") and the words that say what it counts ("days a week").
_TERM = r"(?:" + _PLAIN_MONEY + r"|\d[\d,]*(?:\.\d+)?)(?:/[a-z-]+)?(?: [a-z][a-z -]*?)?"
_OPERATOR = r"(?:\s?[×*+]\s?| x )"


def _arithmetic_pattern(terms: int) -> re.Pattern:
    return re.compile(r"(?<![\w.])" + _OPERATOR.join([_TERM] * terms) + r"\s?=\s?" + _PLAIN_MONEY)


_ARITHMETIC = [_arithmetic_pattern(n) for n in (4, 3, 2)]


def _shown_value(text: str) -> Decimal:
    money = amounts(text)
    if money:
        return money[0].value
    return Decimal(re.match(r"\d[\d,]*(?:\.\d+)?", text).group(0).replace(",", ""))


def arithmetic(text: str) -> list[Finding]:
    """'£988/day × 1 × 8 = £7,900' does not add up: the total shown must be the result of the factors shown,
    rounded half-up to the total's own precision."""
    found, seen = [], []
    for pattern in _ARITHMETIC:  # the longest expressions first; their tails are not judged again
        for m in pattern.finditer(text):
            if any(start <= m.start() < end for start, end in seen):
                continue
            seen.append(m.span())
            expression = m.group(0)
            left, total_text = expression.rsplit("=", 1)
            operators = [op.strip() for op in re.findall(_OPERATOR, left)]
            terms = [_shown_value(t.strip()) for t in re.split(_OPERATOR, left.strip())]
            result = terms[0]
            for op, term in zip(operators, terms[1:], strict=True):
                result = result + term if op == "+" else result * term
            total = amounts(total_text)[0]
            shown = (result / total.step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * total.step
            if shown != total.value:
                found.append(Finding("arithmetic", f"{expression} (the factors give {result:,.2f})"))
    return found


_ZERO_CLAIM = re.compile(r"\b(?:would|will|could) (?:cost|save|return|earn)s? (?:about |only )?[" + _SYMBOLS
                         + r"]0(?![\d]|[.,]\d)")


# a factor of a worked sum that is a rate of nothing: "× 2-4 weeks × team cost €0/week"
_ZERO_RATE = re.compile(r"×[^×=|\n]*?(?<![\w.])[A-Z]{0,2}[" + _SYMBOLS + r"]0(?:\.0+)?/(?:day|week|month|year)\b")


def zero_claims(text: str) -> list[Finding]:
    """A sentence that claims a cost or saving of nothing, or a worked sum that multiplies by a rate of nothing
    ("× team cost €0/week"): the template should not have said it, or priced it at whoever really pays."""
    return ([Finding("zero amount claimed", _around(text, m)) for m in _ZERO_CLAIM.finditer(text)]
            + [Finding("zero rate", _around(text, m)) for m in _ZERO_RATE.finditer(text)])


# --- dates: written in the practice's locale ------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_US_DATE = re.compile(rf"\b(?:{_MONTHS}) \d{{1,2}}, \d{{4}}\b")
_GB_DATE = re.compile(rf"\b\d{{1,2}} (?:{_MONTHS}) \d{{4}}\b")


def dates_in(locale: str) -> Callable[[str], list[Finding]]:
    other = _US_DATE if locale == "en-GB" else _GB_DATE

    def rule(text: str) -> list[Finding]:
        return [Finding(f"date not in {locale}", m.group(0)) for pattern in (_ISO_DATE, other)
                for m in pattern.finditer(text)]

    return rule


# --- the registries -------------------------------------------------------------------------------------------------

Rule = Callable[[str], list[Finding]]
# Rules for all the text, the client's words included: the counts and articles our templates put around them.
_SPACED_X = re.compile(r"(?<![\w.])(?:[$£€¥]?\d[\d,.]*[KkMmB%]?\)?) x (?=[\w$£€¥(])")


def times_sign(text: str) -> list[Finding]:
    """A worked sum multiplies with ×; a spaced " x " ("2 x salary", "$230K x 1.2") is the other sign."""
    return [Finding("multiplication sign", _around(text, m)) for m in _SPACED_X.finditer(text)]


_RAW = re.compile(r"\bplaybook/[\w/.-]+\.(?:ya?ml|j2)\b|\((?:costs|roi|engagement|team|value|situation|roadmap|client|"
                  r"ai_spend|actuals|readiness)\.[\w.]+\)|\b(?:None|nan|inf|NaN)\b|\b[a-z]+_[a-z_]+\.[a-z_]+\b")


def raw_keys(text: str) -> list[Finding]:
    """A file path, a profile key or a Python value is the consultant's, never the board's: "(costs.client_time)",
    "playbook/engagement_fit.yaml", "None"."""
    return [Finding("raw key or path", _around(text, m)) for m in _RAW.finditer(text)]


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DAY_MONTH = rf"(?:({_MONTH}) \d{{1,2}}|\d{{1,2}} ({_MONTH}))"
_DATE_RANGE = re.compile(rf"\b{_DAY_MONTH}(,? \d{{4}})?\s?(?:to|–|-)\s?{_DAY_MONTH}(,? \d{{4}})")


def _abbreviated(month: str) -> bool | None:
    """Whether a month is written short ("Jan"), long ("January"), or either ("May")."""
    name = month.rstrip(".")
    return None if name == "May" else name in ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
                                                "Nov", "Dec")


def date_ranges(text: str) -> list[Finding]:
    """"Dec 14 to March 3, 2027": a range writes both months alike, and gives its first end a year when the
    second's is not the first's."""
    found = []
    for m in _DATE_RANGE.finditer(text):
        first, second = m.group(1) or m.group(2), m.group(4) or m.group(5)
        short = [_abbreviated(first), _abbreviated(second)]
        if None not in short and short[0] != short[1] or (m.group(3) is None and
                                                         dt.datetime.strptime(first[:3], "%b").month >
                                                         dt.datetime.strptime(second[:3], "%b").month):
            found.append(Finding("date range", m.group(0)))
    return found


# A count noun in the singular needs its article: "most of it from avoided wrong bet" reads as a slip.
_BARE = re.compile(r"\b(?:from|of|with) (?:avoided |a |an |the )?(?:wrong )?(bet|decision|launch|pilot|sprint|hire)\b"
                   r"(?! (?:criteria|date|review|plan|work|day|days))")


def bare_singular(text: str) -> list[Finding]:
    found = []
    for m in _BARE.finditer(text):
        if not re.search(r"\b(?:a|an|the)\b", m.group(0)) and not re.match(r"of (?:the )?hire\b", m.group(0)):
            found.append(Finding("noun without its article", _around(text, m)))
    return found


RULES: tuple[Rule, ...] = (count_agreement, articles, money_in_sentences, money_ranges, arithmetic, zero_claims,
                           times_sign)
# Rules for our own words only; the practice's locale adds its spelling and date rules.
# (raw_keys reads our words with their file names and addresses: a path is exactly what it looks for)
OUR_TEXT_RULES: tuple[Rule, ...] = (missing_space, acronyms, date_ranges, bare_singular)


def sentences(text: str) -> list[str]:
    """The text's sentences: its lines (blocks and table cells), each split after a full stop and a space."""
    return [s for line in re.split(r"[\n\t]+", text) for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line) if s.strip()]


def lint_text(text: str, locale: str = "en-US", client_text: Iterable[str] = ()) -> list[Finding]:
    """Every finding in a report's visible text. The client's own words (names, notes) are theirs: they are
    judged only for the articles and counts our templates put around them."""
    mine = text
    for words in sorted({w for w in client_text if w and len(w) > 1}, key=len, reverse=True):
        mine = mine.replace(words, " ")
    ours = _URL.sub(" ", mine)  # an address is not prose: "blog/2024-07-01-routellm" is no date
    found = [f for rule in (*RULES, money_suffixes(locale)) for f in rule(text)] + raw_keys(mine)
    return found + [f for rule in (*OUR_TEXT_RULES, spelling(locale), dates_in(locale)) for f in rule(ours)]


FIGURE_CELL = 32  # characters: a longer cell is prose (a worked sum, a citation), read by the sentence rules


def lint_axis(ticks: Sequence[str]) -> list[Finding]:
    """A chart axis's tick labels are one set of figures: one unit and precision."""
    shown = amounts("\n".join(ticks))
    return [Finding(f"money on a chart axis ({problem})", " | ".join(a.text for a in shown[:8]))
            for problem in [_mixed(shown)] if problem]


def lint_table(rows: Sequence[Sequence[str]]) -> list[Finding]:
    """A table's figures read as one format down each column: one unit and precision across the column's amounts.
    Cells of prose (a worked sum "£988/day × 10 days = £9,880", a source's own words) are sentences, judged as such."""
    found = []
    for column in zip(*[row for row in rows if len(row) == len(rows[0])], strict=True) if rows else ():
        shown = amounts("\n".join(cell for cell in column if len(cell) <= FIGURE_CELL))
        if problem := _mixed(shown):
            found.append(Finding(f"money in a table column ({problem})", " | ".join(a.text for a in shown[:8])))
    return found


def working_day_findings(days: Iterable[tuple[str, dt.date]], public_holidays: Iterable[dt.date]) -> list[Finding]:
    """Work that starts or ends on a weekend or a public holiday."""
    closed = set(public_holidays)
    return [Finding("date on a day off", f"{what}: {day:%a %Y-%m-%d}") for what, day in days
            if day.weekday() >= 5 or day in closed]
