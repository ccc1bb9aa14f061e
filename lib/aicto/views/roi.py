"""The ROI report's sections, each one call from notebooks/03_roi.ipynb."""

from __future__ import annotations

from functools import cached_property

from aicto import charts
from aicto.capacity import engineer_day_rate
from aicto.charts import Chart
from aicto.roi import ARM_NAMES, CASES, COST_NAMES, DRIVER_NAMES, SOURCE_NAMES, RoiResult
from aicto.views.common import Html, Kpi, View, bold, fragment, kpis, narrative, section, table


def month_label(month: int | None, horizon: int) -> str:
    return f"month {month}" if month is not None else f"not within {horizon} months"


def multiple_label(multiple: float | None) -> str:
    return f"{multiple:.1f}x" if multiple is not None else "-"


class RoiView(View):
    @cached_property
    def result(self) -> RoiResult:
        return self.result_engagement.roi

    @section
    def executive_summary(self) -> Html:
        r, p = self.result, self.context.profile
        base, mc = r.base, r.monte_carlo
        largest = max(base.value_by_source, key=base.value_by_source.get)
        return narrative(
            self.context.playbook, "roi_summary.html.j2",
            client=p.client.name, subject=r.subject, route=r.route, cost=self.money(base.total_cost),
            weeks=p.engagement.weeks,
            days_per_week=f"{p.engagement.days_per_week:g}", horizon=r.horizon_months,
            total_value=self.money(base.total_value), net_value=self.money(base.net_value),
            multiple=f"{base.multiple:.1f}" if base.multiple is not None else "",
            payback=month_label(base.payback_month, r.horizon_months) if base.payback_month else "",
            npv=self.money(base.npv), discount_rate=f"{r.discount_rate:.0%}",
            largest_source=SOURCE_NAMES[largest].lower(),
            p10=self.money(mc.net_percentile(10)), p50=self.money(mc.net_percentile(50)),
            p90=self.money(mc.net_percentile(90)), draws=f"{mc.draws:,}",
            conservative_net=self.money(r.scenarios["conservative"].net_value),
            optimistic_net=self.money(r.scenarios["optimistic"].net_value),
            comparisons=[{"name": ARM_NAMES[k], "net": self.money(o.net_value)}
                         for k, o in list(r.alternatives.items())[1:]],
        )

    @section
    def headline(self) -> Html:
        r = self.result
        b = r.base
        return kpis([
            Kpi("Net value", self.money(b.net_value), f"over {r.horizon_months} months", "good" if b.net_value > 0
                else "bad"),
            Kpi("ROI multiple", multiple_label(b.multiple), r.subject),
            Kpi("Payback", month_label(b.payback_month, r.horizon_months), "cumulative value passes cost",
                "good" if b.payback_month else "bad"),
            Kpi("NPV", self.money(b.npv), f"at {r.discount_rate:.0%} a year"),
        ])

    @section
    def value_chart(self) -> Chart:
        return charts.roi_value_chart(self.result, self.context.playbook.brand, self.context.profile.client.currency)

    def _when(self, month: float | None) -> str:
        return f"month {month + 1:.1f} of the engagement" if month is not None else "never in this plan"

    @section
    def value_table(self) -> Html:
        r = self.result
        d, t, c = r.drivers["base"], r.timing, r.costs
        a = c.assumptions.leadership.agency
        slip = f"the plan's dates slipped {d.delivery_slip:.0%}"
        redo = (f"the agency's {self.money(c.options['agency'].annual.mid / 52)}/week of fees"
                if r.route == "agency_or_cofounder" else f"the AI team's {self.money(c.hidden.team_weekly_cost)}/week")
        inputs = {
            "speed": f"{d.months_earlier:g} months earlier x {self.money(d.monthly_value)}/month of feature value, "
                     f"from the launch in {self._when(t.launch)} ({slip})",
            "feature": f"{self.money(d.monthly_value)}/month once the partner launches, {self._when(t.launch)} "
                       f"(selection plus the agency's {c.options['agency'].months_to_impact.mid:g} months to impact; "
                       f"{slip}), x {1 - a.failure_probability.mid:.0%} chance the project succeeds",
            "avoided_mistakes": f"{c.hidden.wrong_decisions} wrong decisions avoided x "
                                f"{c.assumptions.hidden.weeks_per_wrong_decision.mid:g} weeks x {redo}, booked in "
                                f"months {r.assumptions.rework_months.low:g}-{r.assumptions.rework_months.high:g} "
                                "after the launch, when the rework would have happened",
            "wrong_bet": f"{r.assumptions.wrong_bet_probability.mid:.0%} chance an unchosen idea misses x "
                         f"{r.assumptions.wrong_bet_months.mid:g} months of the AI team, after the product decision "
                         f"in {self._when(t.decision)}",
            "cost_optimisation": f"{self.money(d.savings_monthly)}/month LLM saving at full effect, each lever from "
                                 f"the day the plan's work on it is done ({slip}), to month {r.horizon_months}, "
                                 f"less the {d.self_found_savings:.0%} the client would find itself from month "
                                 f"{r.costs.options['full_time'].months_to_impact.mid:g}",
        }
        rows = [{"Source": SOURCE_NAMES[k], "Inputs": inputs[k], "Amount": self.money(v)}
                for k, v in r.base.value_by_source.items() if round(v)]  # a source this route does not have
        rows.append({"Source": bold("Total value"), "Inputs": "", "Amount": bold(self.money(r.base.total_value))})
        rows += [{"Source": COST_NAMES[k], "Inputs": self._cost_inputs(k), "Amount": self.money(-v)}
                 for k, v in r.base.cost_by_source.items()]
        rows.append({"Source": bold("Total cost"), "Inputs": "", "Amount": bold(self.money(-r.base.total_cost))})
        rows.append({"Source": bold("Net value"), "Inputs": "", "Amount": bold(self.money(r.base.net_value))})
        return table(rows, ["Source", "Inputs", "Amount"], numeric=["Amount"], caption=(
            f"Base case over {r.horizon_months} months. Value counts from the dates the roadmap delivers it; every "
            "cost of the route is counted, the client's own days included."))

    def _cost_inputs(self, key: str) -> str:
        r, p = self.result, self.context.profile
        d, c = r.drivers["base"], r.costs
        roadmap = self.result_engagement.roadmap
        days = {role: sum(a.activity.effort_days for a in roadmap.activities if a.activity.owner == role)
                for role in ("client_engineers", "product", "leadership")}
        rates = c.assumptions.client_time
        return {
            "fee": f"{self.money(d.day_rate)}/day x {p.engagement.days_per_week:g} days a week x "
                   f"{p.engagement.weeks} weeks engaged",
            "client_time": f"the plan's {days['client_engineers']:g} engineer-days at "
                           f"{self.money(engineer_day_rate(p))}/day (loaded cost / 260), "
                           f"{days['product']:g} product days at {self.money(rates.product_day_rate.mid)} and "
                           f"{days['leadership']:g} leadership days at {self.money(rates.leadership_day_rate.mid)}",
            "agency": f"{self.money(c.options['agency'].annual.mid / 12)}/month from the partner's selection for "
                      f"the project, plus the expected cost of a failure",
            "hire": "the full-time hire's salary, recruiting fee and expected cost of a failed hire",
            "wasted_build": "the AI team's months a wrong bet would waste",
        }[key]

    @section
    def drivers(self) -> Html:
        """The few assumptions that move the result most, and the counterfactual, in plain words."""
        r = self.result
        top = [f"{DRIVER_NAMES[name]}: net value {self.money(low)} at its conservative end, {self.money(high)} at "
               f"its optimistic end" for name, low, high in r.tornado[:3]]
        found = r.assumptions.self_found_savings
        items = [{"title": "What drives the result", "body": "; ".join(top) + "."}]
        if r.timing.lever_starts:
            items.append({"title": "Without senior AI leadership", "body": (
                f"The client would still find {found.low:.0%}-{found.high:.0%} of the LLM saving itself (caching and "
                f"batching are switches in the providers' APIs), once it has an AI leader: from month "
                f"{r.costs.options['full_time'].months_to_impact.mid:g}, the full-time hire's time to impact. Only "
                "the difference is counted as value.")})
        return fragment("callouts", items=items, tone="", heading="", empty="")

    @section
    def cumulative_chart(self) -> Chart:
        return charts.cumulative_cash_chart(self.result, self.context.playbook.brand,
                                            self.context.profile.client.currency)

    @section
    def scenario_table(self) -> Html:
        r = self.result
        rows = []
        for case in CASES:
            d, o = r.drivers[case], r.scenarios[case]
            rows.append({"Scenario": case.capitalize(), "Months earlier": f"{d.months_earlier:g}",
                         "Delivery slip": f"{d.delivery_slip:.0%}",
                         "Monthly value": self.money(d.monthly_value),
                         "LLM saving/month": self.money(d.savings_monthly),
                         "Avoided mistakes": self.money(d.avoided_mistakes), "Net value": self.money(o.net_value),
                         "Multiple": multiple_label(o.multiple),
                         "Payback": month_label(o.payback_month, r.horizon_months), "NPV": self.money(o.npv)})
        columns = ["Scenario", "Months earlier", "Delivery slip", "Monthly value", "LLM saving/month",
                   "Avoided mistakes", "Net value",
                   "Multiple", "Payback", "NPV"]
        return table(rows, columns, numeric=columns[1:], caption=(
            "Conservative takes every uncertain input at its least favourable end, optimistic at its most "
            "favourable; base at the midpoint (the modelled LLM saving)."))

    @section
    def distribution_chart(self) -> Chart:
        return charts.net_value_distribution(self.result, self.context.playbook.brand,
                                             self.context.profile.client.currency)

    @section
    def percentiles(self) -> Html:
        r, mc = self.result, self.result.monte_carlo
        rows = [{"Percentile": f"P{p}", "Net value": self.money(mc.net_percentile(p)),
                 "Payback": month_label(mc.payback_percentile(p, r.horizon_months), r.horizon_months)}
                for p in (10, 50, 90)]
        inputs = ", ".join(DRIVER_NAMES[n].lower() for n, _, _ in r.tornado)
        return table(rows, ["Percentile", "Net value", "Payback"], numeric=["Net value"], caption=(
            f"Monte Carlo: {mc.draws:,} draws, seed {mc.seed}; triangular between each input's conservative and "
            f"optimistic end, peaked at the base value. Uncertain inputs: {inputs}. The same profile always gives "
            f"the same numbers. Payback percentiles: P10 is the quickest decile."))

    @section
    def tornado_chart(self) -> Chart:
        return charts.tornado_chart(self.result, self.context.playbook.brand, self.context.profile.client.currency)

    @section
    def alternatives_table(self) -> Html:
        r = self.result
        rows = [{"Option": ARM_NAMES[k] + (" (recommended)" if i == 0 else ""), "Cost": self.money(o.total_cost),
                 "Value": self.money(o.total_value), "Net value": self.money(o.net_value),
                 "Multiple": multiple_label(o.multiple),
                 "Payback": month_label(o.payback_month, r.horizon_months), "NPV": self.money(o.npv)}
                for i, (k, o) in enumerate(r.alternatives.items())]
        columns = ["Option", "Cost", "Value", "Net value", "Multiple", "Payback", "NPV"]
        return table(rows, columns, numeric=columns[1:], caption=self.context.playbook.fit.recommendations[
            r.route].comparison)

    @section
    def assumptions_table(self) -> Html:
        a = self.result.assumptions
        rows = [{"Assumption": DRIVER_NAMES.get(name, name.replace("_", " ")).capitalize(),
                 "Low": f"{getattr(a, name).low:g}", "High": f"{getattr(a, name).high:g}",
                 "Source": a.cite(getattr(a, name).source)}
                for name in ("months_earlier", "delivery_slip", "monthly_value_factor", "wrong_bet_probability",
                             "wrong_bet_months")]
        return table(rows, ["Assumption", "Low", "High", "Source"], numeric=["Low", "High"], caption=(
            "Fee, hidden-cost ranges and LLM savings come from the cost breakdown and its sources; the dates of "
            "the launch, the levers and the product decision from the roadmap."))
