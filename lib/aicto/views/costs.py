"""The cost breakdown report's sections, each one call from notebooks/02_cost_breakdown.ipynb."""

from __future__ import annotations

from functools import cached_property

from aicto import charts
from aicto.ai_spend import LEVER_NAMES
from aicto.assumptions import Range
from aicto.charts import Chart
from aicto.costs import MONEY_FIELDS, CostBreakdown, Span
from aicto.pricing import GENAI_PRICES_VERSION
from aicto.roi import ARM_NAMES
from aicto.views.common import Html, Kpi, View, fragment, kpis, money, narrative, section, table

RATE_ASSUMPTIONS = {"benefits_rate", "recruiting_fee_rate", "failure_probability", "savings_rate", "cache_hit_rate",
                    "realisation"}


class CostView(View):
    @cached_property
    def result(self) -> CostBreakdown:
        return self.result_engagement.costs

    def span(self, s: Span | Range) -> str:
        return f"{self.money(s.low)}-{self.money(s.high)}" if round(s.low) != round(s.high) else self.money(s.low)

    @section
    def executive_summary(self) -> Html:
        c, p = self.result, self.context.profile
        ft, frac = c.options["full_time"], c.options["fractional"]
        spend = c.ai_spend
        weeks = c.assumptions.leadership.fractional.weeks_to_start
        decision_weeks = c.assumptions.hidden.weeks_per_wrong_decision
        return narrative(
            self.context.playbook, "costs_summary.html.j2",
            client=p.client.name, horizon=c.horizon_months,
            full_time_range=self.span(ft.annual), agency_range=self.span(c.options["agency"].annual),
            fractional_range=self.span(frac.annual), fractional_annual=self.money(c.fractional_annual_for_client),
            fractional_days=f"{p.engagement.days_per_week:g}",
            full_time_months=f"{ft.months_to_impact.low:g}-{ft.months_to_impact.high:g}",
            fractional_weeks=f"{weeks.low:g}-{weeks.high:g}",
            waiting_cost_full_time=self.span(ft.horizon.waiting) if p.monthly_value else "",
            spend_mode=spend.mode, current_bill=self.money(spend.current_monthly),
            optimized_bill=self.money(spend.optimized_monthly), savings_monthly=self.money(spend.savings_monthly),
            savings_pct=f"{spend.savings_pct:.0f}%", savings_year=self.money(spend.savings_per_year),
            wrong_decisions=c.hidden.wrong_decisions, wrong_decisions_cost=self.span(c.hidden.wrong_decisions_cost),
            engagement_cost=self.money(c.engagement_cost), engagement_weeks=p.engagement.weeks,
            weeks_per_decision=f"{decision_weeks.low:g}-{decision_weeks.high:g}",
        )

    @section
    def headline(self) -> Html:
        c = self.result
        spend = c.ai_spend
        items = [
            Kpi("Fractional AI CTO", f"{self.money(c.fractional_annual_for_client)}/yr",
                f"{self.context.profile.engagement.days_per_week:g} days a week", "good"),
            Kpi("Full-time AI CTO", f"{self.span(c.options['full_time'].annual)}/yr",
                f"{c.options['full_time'].time_to_impact}"),
        ]
        if spend.mode != "none":
            items += [Kpi("LLM bill today", f"{self.money(spend.current_monthly)}/mo",
                          "priced per request" if spend.mode == "workloads" else "from the monthly invoice"),
                      Kpi("Optimised LLM bill", f"{self.money(spend.optimized_monthly)}/mo",
                          f"saves {self.money(spend.savings_per_year)} a year ({spend.savings_pct:.0f}%)", "good")]
        return kpis(items)

    @section
    def route_costs(self) -> Html:
        """The recommended route's options at the ROI's own figures: one engagement, one set of numbers."""
        e = self.result_engagement
        roi, rec = e.roi, self.context.playbook.fit.recommendations[e.route]
        rows = [{"Option": ARM_NAMES[k] + (" (recommended)" if i == 0 else ""),
                 f"Cost over {roi.horizon_months} months": self.money(o.total_cost),
                 f"Value over {roi.horizon_months} months": self.money(o.total_value),
                 "Net value": self.money(o.net_value)}
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
        rows = [{"Option": o.name, "Annual cost": self.span(o.annual), "Time to impact": o.time_to_impact,
                 "Risk (expected cost)": self.span(o.risk), "Risk basis": o.risk_basis,
                 "Knowledge stays": o.knowledge_stays,
                 f"Total over {c.horizon_months} months": self.span(o.horizon.total)}
                for o in c.options.values()]
        columns = ["Option", "Annual cost", "Time to impact", "Risk (expected cost)", "Risk basis", "Knowledge stays",
                   f"Total over {c.horizon_months} months"]
        return table(rows, columns, caption=(
            f"Each option as ongoing AI leadership over the {c.horizon_months}-month horizon: leadership fees, "
            f"recruiting, the cost of waiting (months without AI leadership x "
            f"{self.money(self.context.profile.monthly_value)} of monthly feature value) and the expected cost of "
            f"failure; ranges run from the low to the high assumptions. The engagement itself is costed above, as "
            f"in the ROI: {self.money(c.engagement_cost)} of fees for {self.context.profile.engagement.weeks} weeks "
            f"engaged, plus the client's own days in the plan."))

    @section
    def horizon_chart(self) -> Chart:
        return charts.horizon_cost_chart(self.result, self.context.playbook.brand, self.context.profile.client.currency)

    @section
    def time_to_impact_chart(self) -> Chart:
        return charts.time_to_impact_chart(self.result, self.context.playbook.brand)

    @section
    def hidden_costs(self) -> Html:
        h, c = self.result.hidden, self.result
        w = h.weeks_per_wrong_decision
        rows = [
            {"Hidden cost": "Wrong architecture decisions",
             "Inputs": f"{h.wrong_decisions} decisions x {w.low:g}-{w.high:g} weeks x team cost "
                       f"{self.money(h.team_weekly_cost)}/week",
             "Cost": self.span(h.wrong_decisions_cost)},
            {"Hidden cost": "LLM cost overrun",
             "Inputs": f"{self.money(h.llm_overrun_monthly)}/month avoidable x {c.horizon_months} months",
             "Cost": self.money(h.llm_overrun_horizon)},
            {"Hidden cost": "Opportunity cost of delay",
             "Inputs": "monthly value of the AI feature, per month it is not live",
             "Cost": f"{self.money(h.delay_cost_per_month)} per month"},
        ]
        return table(rows, ["Hidden cost", "Inputs", "Cost"], numeric=["Cost"])

    @section
    def spend_mode(self) -> Html:
        spend = self.result.ai_spend
        real = self.result.assumptions.ai_spend.realisation
        if spend.mode == "workloads":
            body = (f"Priced per request with real provider prices (genai-prices {GENAI_PRICES_VERSION}, bundled "
                    f"data, prices as of {spend.price_date:%d %B %Y}). Levers apply in order: prompt caching, batch "
                    f"processing, model routing, prompt trimming, response caching; each saves on what the previous "
                    f"left, so the savings add up without double counting. Production realises part of the modelled "
                    f"saving: {self.money(spend.savings_monthly_low)}-{self.money(spend.savings_monthly_high)} a "
                    f"month ({real.low:.0%}-{real.high:.0%} of it); the bill and savings shown take the middle, "
                    f"{real.mid:.0%}. The table of workloads shows each one's full modelled saving.")
            title = "Mode: workloads priced per request"
        elif spend.mode == "monthly_bill":
            rate = self.result.assumptions.ai_spend.savings_rate
            body = (f"Only the monthly bill is known, so the savings use the playbook's published range of "
                    f"{rate.low:.0%}-{rate.high:.0%} ({self.money(spend.savings_monthly_low)}-"
                    f"{self.money(spend.savings_monthly_high)} a month; the midpoint is shown), split across levers "
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
                + f"; the costs and the ROI carry that growth for {months.low:g}-{months.high:g} months (base "
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
        rows = [{"Feature": w.workload.feature, "Model": f"{w.workload.provider} / {w.workload.model}",
                 "Requests/month": f"{w.workload.requests_per_month:,}",
                 "Tokens in/out": f"{w.workload.input_tokens:,} / {w.workload.output_tokens:,}",
                 "Per request": money(w.current_per_request, self.context.profile.client.currency, 4),
                 "Current/month": self.money(w.current_monthly), "Modelled optimised": self.money(w.optimized_monthly),
                 "Saving": f"{(1 - w.optimized_monthly / w.current_monthly) * 100 if w.current_monthly else 0:.0f}%"}
                for w in spend.workloads]
        lever_rows = [{"Lever": LEVER_NAMES[k], "Saving/month": self.money(v),
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
        rows = []
        groups = [("Full-time", a.leadership.full_time), ("Agency", a.leadership.agency),
                  ("Fractional", a.leadership.fractional), ("Hidden", a.hidden), ("Client time", a.client_time),
                  ("LLM spend", a.ai_spend)]
        for group, model in groups:
            for name in type(model).model_fields:
                value = getattr(model, name)
                if isinstance(value, Range):
                    rows.append({"Area": group, "Assumption": name.replace("_", " "),
                                 "Value": self._assumption_value(name, value), "Source": a.cite(value.source)})
        return table(rows, ["Area", "Assumption", "Value", "Source"])

    def _assumption_value(self, name: str, r: Range) -> str:
        if name in MONEY_FIELDS:
            return self.span(r)
        if name in RATE_ASSUMPTIONS:
            return f"{r.low:.0%}" if r.low == r.high else f"{r.low:.0%}-{r.high:.0%}"
        return f"{r.low:g}" if r.low == r.high else f"{r.low:g}-{r.high:g}"
