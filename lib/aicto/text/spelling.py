"""One spelling variant in every report, the practice's (`playbook/brand/brand.yaml: locale`, en-US or en-GB).

The playbook, the templates and the code may be written in either variant; `respell` turns report text into the
practice's: "optimized" and "optimised" both become "optimised" for en-GB and "optimized" for en-US. What it must
not change is kept as written: the client's own words (`keep`), web addresses, and capitalised words inside a
sentence (proper names such as "Virtualization Review").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from markupsafe import escape

Locale = str  # "en-US" | "en-GB"

# -ize / -ise verbs and their nouns: stem + ending. Only stems whose -ise form is the British spelling.
_IZE_STEMS = ("optim", "real", "organ", "summar", "recogn", "priorit", "normal", "standard", "minim", "maxim",
              "util", "custom", "central", "character", "emphas", "special", "stabil", "author", "capital",
              "categor", "financial", "operational", "visual", "final", "initial", "monet", "commercial",
              "modern", "jeopard", "apolog", "critic", "familiar", "formal", "industrial", "legal", "local",
              "memor", "mobil", "neutral", "penal", "rational", "scrutin", "synchron", "vector", "token",
              "personal", "harmon", "global", "incentiv", "democrat", "digit")
_IZE_ENDINGS = (("ize", "ise"), ("izes", "ises"), ("ized", "ised"), ("izing", "ising"), ("izer", "iser"),
                ("izers", "isers"), ("ization", "isation"), ("izations", "isations"))
# Other pairs, US first. Each word form is listed whole.
_PAIRS = (
    ("analyze", "analyse"), ("analyzed", "analysed"), ("analyzing", "analysing"),
    ("color", "colour"), ("colors", "colours"), ("colored", "coloured"),
    ("favor", "favour"), ("favors", "favours"), ("favored", "favoured"), ("favoring", "favouring"),
    ("favorable", "favourable"), ("favorite", "favourite"),
    ("behavior", "behaviour"), ("behaviors", "behaviours"), ("behavioral", "behavioural"),
    ("labor", "labour"), ("honor", "honour"), ("neighbor", "neighbour"), ("endeavor", "endeavour"),
    ("center", "centre"), ("centers", "centres"), ("centered", "centred"), ("fiber", "fibre"),
    ("catalog", "catalogue"), ("catalogs", "catalogues"),
    ("modeled", "modelled"), ("modeling", "modelling"), ("labeled", "labelled"), ("labeling", "labelling"),
    ("canceled", "cancelled"), ("canceling", "cancelling"), ("traveled", "travelled"), ("traveling", "travelling"),
    ("signaled", "signalled"), ("totaled", "totalled"), ("fueled", "fuelled"),
    ("judgment", "judgement"), ("judgments", "judgements"), ("acknowledgment", "acknowledgement"),
    ("defense", "defence"), ("offense", "offence"), ("aging", "ageing"), ("gray", "grey"),
    ("fulfill", "fulfil"), ("fulfills", "fulfils"), ("enroll", "enrol"), ("skeptical", "sceptical"),
    ("installment", "instalment"), ("enrollment", "enrolment"),
)
# British forms that read as US words too, turned into US spelling only: "licence" is the British noun, but
# "license" is the British verb as well; "analyses" is also the plural of "analysis".
_GB_ONLY = (("licence", "license"), ("licences", "licenses"))

WORD = re.compile(r"[A-Za-z]+")
# Web addresses, e-mail addresses, file names and profile field paths (roi.monthly_value_factor): never respelled.
PROTECTED = re.compile(r"https?://[^\s<>\"')]+|[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:ya?ml|json|csv|ics|html|py)\b"
                       r"|\b[a-z_]+(?:\.[a-z_]+)+\b")
SENTENCE_START = re.compile(r"(?:[.!?:;>(\"'\n\u201c\u2018]|&#34;|&#39;)\s*$")


@functools.cache
def _tables() -> dict[Locale, dict[str, str]]:
    us_gb = [(stem + us, stem + gb) for stem in _IZE_STEMS for us, gb in _IZE_ENDINGS] + list(_PAIRS)
    to_gb = {us: gb for us, gb in us_gb}
    to_us = {gb: us for us, gb in us_gb} | dict(_GB_ONLY)
    return {"en-GB": to_gb, "en-US": to_us}


def _cased(word: str, replacement: str) -> str:
    if word.isupper():
        return replacement.upper()
    if word[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _spans(text: str, keep: Iterable[str]) -> list[tuple[int, int]]:
    spans = [m.span() for m in PROTECTED.finditer(text)]
    for kept in keep:
        for form in {kept, str(escape(kept))}:
            start = text.find(form)
            while start >= 0:
                spans.append((start, start + len(form)))
                start = text.find(form, start + 1)
    return spans


def _to_respell(text: str, locale: Locale, keep: Iterable[str]) -> list[re.Match]:
    """The words of `text` that are in the other variant, outside what is kept as written."""
    table = _tables()[locale]
    candidates = [m for m in WORD.finditer(text) if m.group().lower() in table]
    if not candidates:
        return []
    spans = _spans(text, keep)
    return [m for m in candidates if not any(s <= m.start() < e for s, e in spans) and not _is_name(text, m)]


def _is_name(text: str, m: re.Match) -> bool:
    """A capitalised word inside a sentence is a name ("Virtualization Review"), kept as its owner writes it."""
    word = m.group()
    return (word[:1].isupper() and not word.isupper() and m.start() > 0
            and not SENTENCE_START.search(text[max(0, m.start() - 6):m.start()]))


def respell(text: str, locale: Locale, keep: Iterable[str] = ()) -> str:
    """The text in the locale's spelling, except within `keep` (the client's own words), web addresses and file
    names, and capitalised words inside a sentence (names)."""
    return _respelled(text, locale, tuple(keep))


@functools.lru_cache(maxsize=4096)
def _respelled(text: str, locale: Locale, keep: tuple[str, ...]) -> str:
    """`respell`, cached: a consultant's edit redraws hundreds of texts (chart labels, table cells, the profile's
    own words), most of them as they were."""
    table = _tables()[locale]
    out, last = [], 0
    for m in _to_respell(text, locale, keep):
        out.append(text[last:m.start()])
        out.append(_cased(m.group(), table[m.group().lower()]))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def variants_in(text: str, keep: Iterable[str] = ()) -> dict[Locale, set[str]]:
    """The words of each variant a text holds (as `respell` sees them), for checks: a report in one spelling has
    one empty set."""
    return {"en-US": {m.group().lower() for m in _to_respell(text, "en-GB", keep)},
            "en-GB": {m.group().lower() for m in _to_respell(text, "en-US", keep)}}
