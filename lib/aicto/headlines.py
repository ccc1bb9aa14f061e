"""The headline numbers of a client, read from its summary.json: the board pack's executive summary and the
portfolio page show the same figures, formatted the same way.

A key a deliverable has not written yet is simply absent: nothing is invented for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aicto.playbook import Playbook
from aicto.spelling import respell
from aicto.views.common import money

MISSING = "—"


@dataclass(frozen=True)
class Headline:
    key: str  # dotted path in summary.json
    label: str
    kind: str  # how to show the value: one of FORMATS


def _recommendation(value: Any, summary: Mapping[str, Any], playbook: Playbook) -> str:
    known = playbook.fit.recommendations.get(value)
    return known.title if known else str(value)


FORMATS: dict[str, Callable[[Any, Mapping[str, Any], Playbook], str]] = {
    "index": lambda v, s, p: f"{v:.0f}/100",
    "text": lambda v, s, p: str(v),
    "recommendation": _recommendation,
    "money": lambda v, s, p: money(float(v), s.get("client", {}).get("currency", "USD")),
    "multiple": lambda v, s, p: f"{float(v):.1f}x",
    "month": lambda v, s, p: f"month {v}",
}

HEADLINES = (
    Headline("readiness.index", "Readiness index", "index"),
    Headline("readiness.tier", "Readiness tier", "text"),
    Headline("readiness.recommendation", "Recommendation", "recommendation"),
    Headline("costs.ai_spend.current_monthly", "AI bill today (monthly)", "money"),
    Headline("costs.ai_spend.optimized_monthly", "AI bill optimized (monthly)", "money"),
    Headline("roi.subject", "ROI subject", "text"),
    Headline("roi.multiple", "ROI multiple", "multiple"),
    Headline("roi.payback_month", "Payback", "month"),
    # the trend since the baseline, for clients with a progress report
    Headline("progress.trend.index_then", "Readiness index at baseline", "index"),
    Headline("progress.trend.index_now", "Readiness index now", "index"),
    Headline("progress.trend.bill_then", "AI bill at baseline (monthly)", "money"),
    Headline("progress.trend.bill_now", "AI bill latest (monthly)", "money"),
    Headline("progress.trend.late_milestones", "Late or missed milestones", "text"),
)


def value(summary: Mapping[str, Any], key: str) -> Any:
    """The value at a dotted key, or None when any part is absent."""
    node: Any = summary
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def formatted(summary: Mapping[str, Any], headline: Headline, playbook: Playbook) -> str:
    raw = value(summary, headline.key)
    return MISSING if raw is None else FORMATS[headline.kind](raw, summary, playbook)


def label(headline: Headline, playbook: Playbook) -> str:
    """The headline's label in the practice's spelling."""
    return respell(headline.label, playbook.brand.locale)


def present(summary: Mapping[str, Any], playbook: Playbook) -> list[tuple[str, str]]:
    """(label, shown value) for every headline this summary has, in the practice's spelling (the values come from
    the playbook and the models, never from the client's text)."""
    return [(label(h, playbook), respell(formatted(summary, h, playbook), playbook.brand.locale))
            for h in HEADLINES if value(summary, h.key) is not None]
