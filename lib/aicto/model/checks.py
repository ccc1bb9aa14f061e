"""Checks for the consultant: results a model can produce but a CFO would question, each naming the input to look
at. They reach `aicto validate`/`run`, consultant mode, the portfolio and summary.json, never the board's reports.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from aicto.model.engagement import Engagement
from aicto.model.roi import SOURCE_NAMES
from aicto.profile.playbook import CheckRules
from aicto.text.money import DEFAULT_LOCALE, MoneyFormat, money
from aicto.text.words import count, mid_sentence, times

SOURCE_FIELDS = {"speed": "value.monthly_value", "feature": "value.monthly_value",
                 "avoided_mistakes": "value.wrong_decisions", "cost_optimisation": "ai_spend",
                 "wrong_bet": "roi.wrong_bet_probability"}


@dataclass(frozen=True)
class Check:
    code: str
    field: str  # the profile input to look at
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def consultant_checks(engagement: Engagement, rules: CheckRules, locale: str = DEFAULT_LOCALE) -> list[Check]:
    """Every check that holds for this engagement, in a stable order."""
    e, p = engagement, engagement.profile
    roi, spend = e.roi, e.costs.ai_spend
    fx, currency = p.client.fx, p.client.currency
    value = roi.base.value_by_source
    largest = max(value, key=value.get) if value and max(value.values()) > 0 else None
    found: list[Check] = []
    if roi.base.multiple is not None and roi.base.multiple > rules.roi_multiple_max and largest:
        found.append(Check("roi_multiple_high", SOURCE_FIELDS[largest],
                           f"the {roi.subject} is {times(roi.base.multiple)}x, above the playbook's "
                           f"{rules.roi_multiple_max:g}x; most of the value comes from "
                           f"{mid_sentence(SOURCE_NAMES[largest])}"))
    if rules.payback_first_month and roi.base.payback_month == 1 and largest:
        found.append(Check("payback_month_1", SOURCE_FIELDS[largest],
                           "pays back in the engagement's first month: check when the value starts"))
    if spend.savings_monthly_high > spend.current_monthly + 1e-9:
        found.append(Check("savings_above_bill", "ai_spend", "the optimistic LLM saving exceeds the bill"))
    engineers = max(p.team.engineers, 1)
    if spend.current_monthly / engineers > rules.bill_per_engineer_max * fx:
        figures = (spend.current_monthly, spend.current_monthly / engineers, rules.bill_per_engineer_max * fx)
        fmt = MoneyFormat.fit(figures, currency, locale)  # one sentence, one format
        found.append(Check("bill_high_for_team", "ai_spend", f"an LLM bill of {fmt(figures[0])} a month is "
                           f"{fmt(figures[1])} per engineer, above {fmt(figures[2])}"))
    if p.monthly_value / engineers > rules.value_per_engineer_max * fx and p.team.engineers:
        figures = (p.monthly_value, p.monthly_value / engineers, rules.value_per_engineer_max * fx)
        fmt = MoneyFormat.fit(figures, currency, locale)
        found.append(Check("value_high_for_team", "value.monthly_value", f"a feature value of {fmt(figures[0])} a "
                           f"month is {fmt(figures[1])} per engineer, above {fmt(figures[2])}"))
    rates = [p.ai_spend.monthly_growth or 0.0] if p.ai_spend else []
    rates += [w.workload.monthly_growth or 0.0 for w in spend.workloads]
    if rates and max(rates) > rules.bill_growth_max:
        found.append(Check("bill_growth_high", "ai_spend.monthly_growth",
                           f"the LLM bill grows {max(rates):.0%} a month, above {rules.bill_growth_max:.0%}: check "
                           "the months it was measured on"))
    if roi.base.net_value < 0:
        found.append(Check("negative_net_value", SOURCE_FIELDS.get(largest or "", "value.monthly_value"),
                           f"the {roi.subject} is negative over {count(roi.horizon_months, 'month')} "
                           f"({money(roi.base.net_value, currency, locale)})"))
    found += [Check("plan_does_not_fit", w.path, w.describe()) for w in e.roadmap.warnings]
    return found
