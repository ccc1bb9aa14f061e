"""The headline numbers of a client, read from its summary.json: the board pack's executive summary and the
portfolio page show the same figures, formatted the same way, except that money takes one format per table: a client's
money headlines share one, and the portfolio's table one per currency (aicto.text.money).

A key a deliverable has not written yet is simply absent: nothing is invented for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aicto.profile.playbook import Playbook
from aicto.text.money import MoneyFormat
from aicto.text.spelling import respell
from aicto.text.words import payback, times

MISSING = "—"


@dataclass(frozen=True)
class Headline:
    key: str  # dotted path in summary.json
    label: str
    kind: str  # how to show the value: one of FORMATS, or "money"
    # a figure that can be absent by its nature (payback beyond the horizon, no cost lever in the plan): shown in
    # these words, from this format, whenever the section that holds it is there; every client then has every card
    absent: str | None = None


def _recommendation(value: Any, summary: Mapping[str, Any], playbook: Playbook) -> str:
    known = playbook.fit.recommendations.get(value)
    return known.title if known else str(value)


def _currency(summary: Mapping[str, Any]) -> str:
    return summary.get("client", {}).get("currency", "USD")


def _money(amount: float, summaries: Sequence[Mapping[str, Any]], playbook: Playbook) -> str:
    """Money headlines read together (a client's pack summary, the portfolio's table) share one format: every money
    headline of the first summary and of the others in its currency."""
    currency = _currency(summaries[0])
    amounts = [float(v) for s in summaries if _currency(s) == currency for h in HEADLINES
               if h.kind == "money" and (v := value(s, h.key)) is not None]
    return MoneyFormat.fit(amounts, currency, playbook.brand.locale)(amount)


FORMATS: dict[str, Callable[[Any, Mapping[str, Any], Playbook], str]] = {
    "index": lambda v, s, p: f"{v:.0f}/100",
    "text": lambda v, s, p: str(v),
    "recommendation": _recommendation,
    "multiple": lambda v, s, p: f"{times(float(v))}x",
    "payback": lambda v, s, p: payback(v, int(value(s, "roi.horizon_months") or 0)),
    "plan_target": lambda v, s, p: "no cost lever in the plan",
}

HEADLINES = (
    Headline("readiness.index", "Readiness index", "index"),
    Headline("readiness.tier", "Readiness tier", "text"),
    Headline("readiness.recommendation", "Recommendation", "recommendation"),
    Headline("costs.ai_spend.current_monthly", "AI bill today (monthly)", "money"),
    # the bill the plan brings it to (the plan's cost target): the levers the plan works on, not every lever
    Headline("roadmap.cost_target_monthly", "AI bill optimized (monthly)", "money", absent="plan_target"),
    Headline("roi.subject", "ROI subject", "text"),
    Headline("roi.multiple", "ROI multiple", "multiple"),
    Headline("roi.payback_month", "Payback", "payback", absent="payback"),
    # the trend since the baseline, for clients with a progress report
    Headline("progress.trend.index_then", "Readiness index at baseline", "index"),
    Headline("progress.trend.index_now", "Readiness index now", "index"),
    Headline("progress.trend.bill_then", "AI bill at baseline (monthly)", "money"),
    Headline("progress.trend.bill_now", "AI bill latest (monthly)", "money"),
    Headline("progress.trend.late_milestones", "Late or missed milestones", "text"),
)


def shown(summary: Mapping[str, Any], headline: Headline) -> bool:
    """Whether the headline has a figure to show: its value, or its words for an absent figure once the section
    that would hold it is there."""
    if value(summary, headline.key) is not None:
        return True
    section, _, key = headline.key.rpartition(".")
    holder = value(summary, section)
    return headline.absent is not None and isinstance(holder, Mapping) and key in holder


def value(summary: Mapping[str, Any], key: str) -> Any:
    """The value at a dotted key, or None when any part is absent."""
    node: Any = summary
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def formatted(summary: Mapping[str, Any], headline: Headline, playbook: Playbook,
              table: Sequence[Mapping[str, Any]] = ()) -> str:
    """The headline as shown; `table` holds the other summaries shown in the same table (the portfolio)."""
    raw = value(summary, headline.key)
    if raw is None:
        return FORMATS[headline.absent](None, summary, playbook) if shown(summary, headline) else MISSING
    if headline.kind == "money":
        return _money(float(raw), [summary, *table], playbook)
    return FORMATS[headline.kind](raw, summary, playbook)


def label(headline: Headline, playbook: Playbook) -> str:
    """The headline's label in the practice's spelling."""
    return respell(headline.label, playbook.brand.locale)


def present(summary: Mapping[str, Any], playbook: Playbook) -> list[tuple[str, str]]:
    """(label, shown value) for every headline this summary has, in the practice's spelling (the values come from
    the playbook and the models, never from the client's text)."""
    return [(label(h, playbook), respell(formatted(summary, h, playbook), playbook.brand.locale))
            for h in HEADLINES if shown(summary, h)]
