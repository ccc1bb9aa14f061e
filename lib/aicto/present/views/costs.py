"""The cost breakdown report's sections, each one call from notebooks/02_cost_breakdown.ipynb."""

from __future__ import annotations

import math
from functools import cached_property

from aicto.model.ai_spend import LEVER_NAMES
from aicto.model.costs import MONEY_FIELDS, CostBreakdown, Span, rework
from aicto.model.roi import ARM_NAMES
from aicto.present import charts
from aicto.present.charts import Chart
from aicto.present.views.common import Html, Kpi, View, fragment, kpis, narrative, section, table
from aicto.profile.assumptions import Range
from aicto.profile.pricing import GENAI_PRICES_VERSION
from aicto.text.money import MoneyFormat
from aicto.text.words import count, count_range

# How each cost assumption is named in the report (a field name turned into words would lose its capitals).
ASSUMPTION_NAMES = {
    "salary": "Salary", "benefits_rate": "Benefits rate", "equity_per_year": "Equity per year",
    "recruiting_fee_rate": "Recruiting fee rate", "months_to_hire": "Months to hire",
    "months_to_ramp": "Months to ramp up",
    "failure_probability": "Probability of failure", "failure_cost_salary_multiple": "Cost of a failure, in salaries",
    "monthly_retainer": "Monthly retainer", "project_fees_per_year": "Project fees per year",
    "months_to_impact": "Months to impact", "failure_cost_months": "Cost of a failure, in months of fees",
    "day_rate": "Day rate", "days_per_week": "Days a week", "working_weeks_per_year": "Working weeks a year",
    "weeks_to_start": "Weeks to start", "weeks_per_wrong_decision": "Weeks lost per wrong AI decision",
    "product_day_rate": "Product day rate", "leadership_day_rate": "Leadership day rate",
    "savings_rate": "LLM savings rate", "cache_hit_rate": "Cache hit rate",
    "realisation": "Share of the modelled LLM saving realised", "growth_months": "Months the LLM bill keeps growing",
}
RATE_ASSUMPTIONS = {"benefits_rate", "recruiting_fee_rate", "failure_probability", "savings_rate", "cache_hit_rate",
                    "realisation"}


class CostView(View):
    @cached_property
    def result(self) -> CostBreakdown:
        return self.result_engagement.costs

    @section
    def executive_summary(self) -> Html:
        c, p = self.result, self.context.profile
        ft, frac = c.options["full_time"], c.options["fractional"]
        spend = c.ai_spend
        weeks = c.assumptions.leadership.fractional.weeks_to_start
        decision_weeks = c.assumptions.hidden.weeks_per_wrong_decision
        redo = rework(c, self.result_engagement.route)
        leadership = self.money_format(ft.annual, c.options["agency"].annual)  # one format per sentence
        fractional = self.money_format(frac.annual, c.fractional_annual_for_client, c.engagement_cost)
        # the bill, what the levers leave and what they save add up as written, the year's saving in the same format
        bill = MoneyFormat.adding_up(spend.current_monthly, spend.optimized_monthly, spend.savings_monthly,
                                     p.client.currency, self.locale)
        return narrative(
            self.context.playbook, "costs_summary.html.j2",
            client=p.client.name, horizon=c.horizon_months,
            full_time_range=leadership.range(ft.annual.low, ft.annual.high),
            agency_range=leadership.range(c.options["agency"].annual.low, c.options["agency"].annual.high),
            fractional_range=fractional.range(frac.annual.low, frac.annual.high),
            fractional_annual=fractional(c.fractional_annual_for_client),
            fractional_days=f"{p.engagement.days_per_week:g}",
            full_time_months=count_range(ft.months_to_impact.low, ft.months_to_impact.high, "month"),
            fractional_weeks=count_range(weeks.low, weeks.high, "week"),
            waiting_cost_full_time=self.money_range(ft.horizon.waiting) if p.monthly_value else "",
            earlier=self._earlier(),
            spend_mode=spend.mode, current_bill=bill(spend.current_monthly),
            optimized_bill=bill(spend.optimized_monthly),
            # the difference of the amounts as written: off the model's saving by a cent at most, when in full
            savings_monthly=bill(bill.shown(spend.current_monthly) - bill.shown(spend.optimized_monthly)),
            savings_pct=f"{spend.savings_pct:.0f}%", savings_year=bill(spend.savings_per_year),
            wrong_decisions=redo.decisions if round(redo.cost.high) else 0, redoes=redo.payer,
            wrong_decisions_cost=self.money_range(redo.cost),
            engagement_cost=fractional(c.engagement_cost), engagement_weeks=p.engagement.weeks,
            paid_days=self.paid_days(),
            weeks_per_decision=count_range(decision_weeks.low, decision_weeks.high, "week"),
        )

    @section
    def headline(self) -> Html:
        c = self.result
        spend = c.ai_spend
        full_time = c.options["full_time"].annual
        leaders = self.money_format(c.fractional_annual_for_client, full_time)  # cards side by side: one format
        items = [
            Kpi("Fractional AI CTO", f"{leaders(c.fractional_annual_for_client)}/yr",
                f"{count(self.context.profile.engagement.days_per_week, 'day')} a week", "good"),
            Kpi("Full-time AI CTO", f"{leaders.range(full_time.low, full_time.high)}/yr",
                f"{c.options['full_time'].time_to_impact}"),
        ]
        if spend.mode != "none":
            bill = self.money_format(spend.current_monthly, spend.optimized_monthly, spend.savings_per_year)
            items += [Kpi("LLM bill today", f"{bill(spend.current_monthly)}/mo",
                          "priced per request" if spend.mode == "workloads" else "from the monthly invoice"),
                      # every lever the workloads allow; the pack shows the plan's target (the levers it plans)
                      Kpi("LLM bill with every lever", f"{bill(spend.optimized_monthly)}/mo",
                          f"saves {bill(spend.savings_per_year)} a year ({spend.savings_pct:.0f}%)", "good")]
        return kpis(items)

    @section
    def route_costs(self) -> Html:
        """The recommended route's options at the ROI's own figures: one engagement, one set of numbers."""
        e = self.result_engagement
        roi, rec = e.roi, self.context.playbook.fit.recommendations[e.route]
        fmt = self.money_format(*(x for o in roi.alternatives.values() for x in (o.total_cost, o.total_value,
                                                                               o.net_value)))
        rows = [{"Option": ARM_NAMES[k] + (" (recommended)" if i == 0 else ""),
                 f"Cost over {count(roi.horizon_months, 'month')}": fmt(o.total_cost),
                 f"Value over {count(roi.horizon_months, 'month')}": fmt(o.total_value),
                 "Net value": fmt(o.net_value)}
                for i, (k, o) in enumerate(roi.alternatives.items())]
        columns = list(rows[0])
        intro = fragment("callouts", items=[{"title": rec.title, "body": f"{rec.summary} {rec.comparison}"}],
                         tone="", heading="", empty="")
        return Html(intro + table(rows, columns, numeric=columns[1:], caption=(
            f"The same figures as the ROI report ({roi.subject}): fees, the client's own costs and value, month by "
            f"month over the {roi.horizon_months}-month horizon.")))

    @section
    def options_table(self) -> Html:
        c = self.result
        options = list(c.options.values())
        # one format a column, as a table of figures is read down its columns: a $500 risk does not turn the
        # annual costs into full figures
        annual, risk, total = (self.money_format(*(part(o) for o in options))
                               for part in (lambda o: o.annual, lambda o: o.risk, lambda o: o.horizon.total))
        rows = [{"Option": o.name, "Annual cost": annual.range(o.annual.low, o.annual.high),
                 "Time to impact": o.time_to_impact,
                 "Risk (expected cost)": risk.range(o.risk.low, o.risk.high), "Risk basis": o.risk_basis,
                 "Knowledge stays": o.knowledge_stays,
                 f"Total over {count(c.horizon_months, 'month')}": total.range(o.horizon.total.low,
                                                                              o.horizon.total.high)}
                for o in options]
        columns = ["Option", "Annual cost", "Time to impact", "Risk (expected cost)", "Risk basis", "Knowledge stays",
                   f"Total over {count(c.horizon_months, 'month')}"]
        return table(rows, columns, caption=(
            f"Each option as ongoing AI leadership over the {c.horizon_months}-month horizon: leadership fees, "
            f"recruiting, the cost of waiting (the months the launch comes later than with the fractional CTO, at most "
            f"the {self._earlier()} senior AI leadership brings it forward, × "
            f"{self.money(self.context.profile.monthly_value)} of monthly feature value, as the ROI counts it) and the "
            f"expected cost of failure; ranges run from the low to the high assumptions. The engagement itself is "
            f"costed above, as in the ROI: a fee of {self.money(c.engagement_cost)} for {self.paid_days()}, plus the "
            f"client's own days in the plan."))

    def _earlier(self) -> str:
        e = self.context.playbook.roi.with_overrides(self.context.profile.roi).months_earlier
        return count_range(e.low, e.high, "month")

    @section
    def horizon_chart(self) -> Chart:
        return charts.horizon_cost_chart(self.result, self.context.playbook.brand, self.context.profile.client.currency)

    @section
    def time_to_impact_chart(self) -> Chart:
        return charts.time_to_impact_chart(self.result, self.context.playbook.brand)

    @section
    def hidden_costs(self) -> Html:
        h, c = self.result.hidden, self.result
        redo = rework(c, self.result_engagement.route)
        w = redo.weeks
        fmt = self.money_format(redo.cost, h.llm_overrun_horizon, h.delay_cost_per_month)
        rows = [
            {"Hidden cost": "Wrong architecture decisions",
             "Inputs": f"{count(redo.decisions, 'decision')} × {count_range(w.low, w.high, 'week')} × "
                       f"{self.rework_rate(redo)}" if redo.decisions and round(redo.weekly) else
                       "none expected" if not redo.decisions else
                       f"{count(redo.decisions, 'decision')}, but no engineering time on the AI work to redo them",
             "Cost": fmt.range(redo.cost.low, redo.cost.high)},
            {"Hidden cost": "LLM cost overrun",
             "Inputs": self._overrun_inputs(),
             "Cost": fmt(h.llm_overrun_horizon)},
            {"Hidden cost": "Opportunity cost of delay",
             "Inputs": "monthly value of the AI feature, per month it is not live",
             "Cost": f"{fmt(h.delay_cost_per_month)} per month"},
        ]
        return table(rows, ["Hidden cost", "Inputs", "Cost"], numeric=["Cost"])

    def _overrun_inputs(self) -> str:
        """How the LLM overrun adds up; nothing to price when there is no bill or nothing left to save on it."""
        h, c = self.result.hidden, self.result
        months = count(c.horizon_months, "month")
        if not round(h.llm_overrun_monthly, 2):
            return ("nothing avoidable: the profile gives no LLM spend" if c.ai_spend.mode == "none" else
                    "nothing avoidable: no lever saves anything on this bill")
        if math.isclose(h.llm_overrun_horizon, h.llm_overrun_monthly * c.horizon_months):
            return self.product(h.llm_overrun_monthly, "/month avoidable", (c.horizon_months, months))
        return f"{self.money(h.llm_overrun_monthly)}/month avoidable today, growing with the bill, over {months}"

    @section
    def spend_mode(self) -> Html:
        spend = self.result.ai_spend
        real = self.result.assumptions.ai_spend.realisation
        if spend.mode == "workloads":
            body = (f"Priced per request with real provider prices (genai-prices {GENAI_PRICES_VERSION}, bundled "
                    f"data, prices as of {self.date(spend.price_date)}). Levers apply in order: prompt caching, batch "
                    f"processing, model routing, prompt trimming, response caching; each saves on what the previous "
                    f"left, so the savings add up without double counting. Production realises part of the modelled "
                    f"saving: {self.money_range(Span(spend.savings_monthly_low, spend.savings_monthly_high))} a "
                    f"month ({real.low:.0%}-{real.high:.0%} of it); the bill and savings shown take the middle, "
                    f"{real.mid:.0%}. The table of workloads shows each one's full modelled saving.")
            title = "Mode: workloads priced per request"
        elif spend.mode == "monthly_bill":
            rate = self.result.assumptions.ai_spend.savings_rate
            body = (f"Only the monthly bill is known, so the savings use the playbook's published range of "
                    f"{rate.low:.0%}-{rate.high:.0%} ("
                    f"{self.money_range(Span(spend.savings_monthly_low, spend.savings_monthly_high))} a month; the "
                    "midpoint is shown), split across levers "
                    f"by the playbook's default shares. List the workloads in the profile to price them for real.")
            title = "Mode: monthly bill with default lever percentages"
        else:
            body = "The profile lists no AI spend (ai_spend: workloads or monthly_bill); no LLM savings are counted."
            title = "No AI spend given"
        items = [{"title": title, "body": body}]
        growth = self.context.profile.ai_spend.monthly_growth if self.context.profile.ai_spend else None
        rates = {w.workload.monthly_growth for w in spend.workloads if w.workload.monthly_growth is not None}
        if growth or rates:
            months = self.result.assumptions.ai_spend.growth_months
            factor = spend.growth(int(months.mid) + 1, months.mid, weight="bill")[-1]
            items.append({"title": "A growing bill", "body": (
                f"The bill grows {growth or 0:.0%} a month" + (" (some workloads at their own rate)" if rates else "")
                + "; the costs and the ROI carry that growth for "
                f"{count_range(months.low, months.high, 'month')} (base "
                f"{months.mid:g}), then hold it, so the bill reaches {self.money(spend.current_monthly * factor)} a "
                "month and the savings grow with it.")})
        return fragment("callouts", items=items, tone="", heading="", empty="")

    @section
    def bill_history_chart(self) -> Chart | Html:
        """Shown when the profile holds imported usage (`aicto import-usage`); nothing otherwise."""
        spend = self.context.profile.ai_spend
        if spend is None or not spend.history:
            return Html("")
        return charts.bill_history_chart(spend, self.context.playbook.brand, self.context.profile.client.currency)

    @section
    def savings_waterfall(self) -> Chart | Html:
        if self.result.ai_spend.mode == "none":
            return Html("")
        return charts.savings_waterfall(self.result.ai_spend, self.context.playbook.brand,
                                        self.context.profile.client.currency)

    @section
    def workload_table(self) -> Html:
        spend = self.result.ai_spend
        price = self.money_format(*(w.current_per_request for w in spend.workloads))  # a price: its own column
        fmt = self.money_format(*(x for w in spend.workloads for x in (w.current_monthly, w.optimized_monthly)),
                                *spend.savings_by_lever.values())
        rows = [{"Feature": w.workload.feature, "Model": f"{w.workload.provider} / {w.workload.model}",
                 "Requests/month": f"{w.workload.requests_per_month:,}",
                 "Tokens in/out": f"{w.workload.input_tokens:,} / {w.workload.output_tokens:,}",
                 "Per request": price(w.current_per_request),
                 "Current/month": fmt(w.current_monthly), "Modelled optimised": fmt(w.optimized_monthly),
                 "Saving": f"{(1 - w.optimized_monthly / w.current_monthly) * 100 if w.current_monthly else 0:.0f}%"}
                for w in spend.workloads]
        lever_rows = [{"Lever": LEVER_NAMES[k], "Saving/month": fmt(v),
                       "Share of saving": f"{v / spend.savings_monthly * 100 if spend.savings_monthly else 0:.0f}%"}
                      for k, v in spend.savings_by_lever.items()]
        workloads = table(rows, ["Feature", "Model", "Requests/month", "Tokens in/out", "Per request",
                                 "Current/month", "Modelled optimised", "Saving"],
                          numeric=["Requests/month", "Per request", "Current/month", "Modelled optimised", "Saving"],
                          empty="No workloads listed: the bill comes from the monthly invoice.")
        levers = table(lever_rows, ["Lever", "Saving/month", "Share of saving"],
                       numeric=["Saving/month", "Share of saving"])
        return Html(workloads + levers)

    @section
    def assumptions_table(self) -> Html:
        a = self.result.assumptions
        groups = [("Full-time", a.leadership.full_time), ("Agency", a.leadership.agency),
                  ("Fractional", a.leadership.fractional), ("Hidden", a.hidden), ("Client time", a.client_time),
                  ("LLM spend", a.ai_spend)]
        ranges = [(group, name, getattr(model, name)) for group, model in groups for name in type(model).model_fields
                  if isinstance(getattr(model, name), Range)]
        fmt = self.money_format(*(value for _, name, value in ranges if name in MONEY_FIELDS))
        rows = [{"Area": group, "Assumption": ASSUMPTION_NAMES[name],
                 "Value": self._assumption_value(name, value, fmt), "Source": a.cite(value.source, self.locale)}
                for group, name, value in ranges]
        return table(rows, ["Area", "Assumption", "Value", "Source"])

    def _assumption_value(self, name: str, r: Range, fmt: MoneyFormat) -> str:
        if name in MONEY_FIELDS:
            return fmt.range(r.low, r.high)
        if name in RATE_ASSUMPTIONS:
            return f"{r.low:.0%}" if r.low == r.high else f"{r.low:.0%}-{r.high:.0%}"
        return f"{r.low:g}" if r.low == r.high else f"{r.low:g}-{r.high:g}"
