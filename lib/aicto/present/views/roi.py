"""The ROI report's sections, each one call from notebooks/03_roi.ipynb."""

from __future__ import annotations

from functools import cached_property

from aicto.model.capacity import engineer_day_rate
from aicto.model.costs import rework
from aicto.model.roi import ARM_NAMES, CASES, COST_NAMES, DRIVER_NAMES, SOURCE_NAMES, RoiResult
from aicto.present import charts
from aicto.present.charts import Chart
from aicto.present.views.common import Html, Kpi, View, bold, fragment, kpis, narrative, section, table
from aicto.text.words import count, listed, mid_sentence, payback, times

# The ROI's own assumptions, in the order and the words of its assumptions table.
ASSUMPTION_NAMES = {"months_earlier": DRIVER_NAMES["months_earlier"], "delivery_slip": DRIVER_NAMES["delivery_slip"],
                    "monthly_value_factor": "Monthly value, as a multiple of the client's estimate",
                    "wrong_bet_probability": "Probability that an unchosen idea misses",
                    "wrong_bet_months": "Months of the AI team a wrong bet wastes"}


# A source named inside a sentence, with its article where it needs one ("most of it from the wrong bet avoided").
SOURCE_IN_A_SENTENCE = {"wrong_bet": "the wrong bet avoided", "feature": "the feature, live with the partner"}


def source_in_a_sentence(source: str) -> str:
    return SOURCE_IN_A_SENTENCE.get(source) or mid_sentence(SOURCE_NAMES[source])


def month_label(month: int | None, horizon: int) -> str:
    return payback(month, horizon)


def multiple_label(multiple: float | None) -> str:
    return f"{times(multiple)}x" if multiple is not None else "-"


class RoiView(View):
    @cached_property
    def result(self) -> RoiResult:
        return self.result_engagement.roi

    @section(late=True)
    def executive_summary(self) -> Html:
        r, p = self.result, self.context.profile
        base, mc = r.base, r.monte_carlo
        largest = max(base.value_by_source, key=base.value_by_source.get)
        conservative, optimistic = r.scenarios["conservative"].net_value, r.scenarios["optimistic"].net_value
        others = list(r.alternatives.items())[1:]
        get = self.money_format(base.total_value, base.net_value, base.npv)  # one format per sentence
        parts = base.cost_by_source
        spend = self.money_format(base.total_cost, *parts.values())
        sure = self.money_format(*(mc.net_percentile(q) for q in (10, 50, 90)), conservative, optimistic)
        compare = self.money_format(*(o.net_value for _, o in others))
        return narrative(
            self.context.playbook, "roi_summary.html.j2",
            client=p.client.name, subject=r.subject, route=r.route, cost=spend(base.total_cost),
            fee=spend(parts.get("fee", 0.0)), team_time=spend(parts.get("client_time", 0.0)) if parts.get(
                "client_time") else "", agency=spend(parts["agency"]) if parts.get("agency") else "",
            bridge=spend(parts["bridge"]) if parts.get("bridge") else "",
            weeks=p.engagement.weeks,
            days_per_week=f"{p.engagement.days_per_week:g}", horizon=r.horizon_months,
            total_value=get(base.total_value), net_value=get(abs(base.net_value)), loss=base.net_value < 0,
            multiple=times(base.multiple) if base.multiple is not None else "",
            payback=month_label(base.payback_month, r.horizon_months) if base.payback_month else "",
            npv=get(base.npv), discount_rate=f"{r.discount_rate:.0%}",
            largest_source=source_in_a_sentence(largest),
            p10=sure(mc.net_percentile(10)), p50=sure(mc.net_percentile(50)),
            p90=sure(mc.net_percentile(90)), draws=f"{mc.draws:,}",
            conservative_net=sure(conservative), optimistic_net=sure(optimistic),
            comparisons=[{"name": ARM_NAMES[k], "net": compare(abs(o.net_value)), "loss": o.net_value < 0}
                         for k, o in others],
            why_high=self._why_high(largest),
        )

    def _why_high(self, largest: str) -> str:
        """For a multiple above the playbook's threshold, why, in the board's own paragraph: which source carries
        the value and what it rests on (a check also asks the consultant to confirm the input)."""
        r = self.result
        base = r.base
        if base.multiple is None or base.multiple <= self.context.playbook.checks.roi_multiple_max:
            return ""
        d, c = r.drivers["base"], r.costs
        share = base.value_by_source[largest] / base.total_value if base.total_value else 0.0
        fmt = self.money_format(base.value_by_source[largest], base.total_cost, c.ai_spend.current_monthly,
                                d.savings_monthly, d.monthly_value)  # one format for the sentence
        rests = {
            "cost_optimisation": f"an LLM bill of {fmt(c.ai_spend.current_monthly)} a month, of which the "
                                 f"plan's levers save {fmt(d.savings_monthly)} a month; the "
                                 f"{d.self_found_savings:.0%} the client's team would find on its own once it has an "
                                 f"AI leader (from month {c.options['full_time'].months_to_impact.mid:g}) is already "
                                 "deducted",
            "speed": f"a feature worth {fmt(d.monthly_value)} a month (the client's estimate), live "
                     f"{count(d.months_earlier, 'month')} earlier",
            "feature": f"a feature worth {fmt(d.monthly_value)} a month (the client's estimate)",
            "avoided_mistakes": f"{count(c.hidden.wrong_decisions, 'wrong decision')} avoided, each redone at the AI "
                                f"team's cost",
            "wrong_bet": "the AI team's months a wrong bet would waste",
        }
        return (f"Why the multiple is this high: {source_in_a_sentence(largest)} brings {share:.0%} of the "
                f"value ({fmt(base.value_by_source[largest])}, against {fmt(base.total_cost)} of cost), and it rests "
                f"on {rests[largest]}.")

    @section
    def headline(self) -> Html:
        r = self.result
        b = r.base
        fmt = self.money_format(b.net_value, b.npv)  # cards side by side: one format
        return kpis([
            Kpi("Net value", fmt(b.net_value), f"over {count(r.horizon_months, 'month')}",
                "good" if b.net_value > 0 else "bad"),
            Kpi("ROI multiple", multiple_label(b.multiple), r.subject),
            Kpi("Payback", month_label(b.payback_month, r.horizon_months), "cumulative value passes cost",
                "good" if b.payback_month else "bad"),
            Kpi("NPV", fmt(b.npv), f"at {r.discount_rate:.0%} a year"),
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
        shown = {k: v for k, v in r.base.value_by_source.items() if round(v)}  # a source this route does not have
        fmt = self.money_format(*shown.values(), r.base.total_value, *r.base.cost_by_source.values(),
                                r.base.total_cost, r.base.net_value)
        slip = f"the plan's dates slipped {d.delivery_slip:.0%}"
        redo = self.rework_rate(rework(c, r.route))
        inputs = {
            "speed": f"{count(d.months_earlier, 'month')} earlier × {self.money(d.monthly_value)}/month of feature "
                     "value, "
                     f"from the launch in {self._when(t.launch)} ({slip})",
            "feature": f"{self.money(d.monthly_value)}/month once the partner launches, {self._when(t.launch)} "
                       f"(selection plus the agency's {count(c.options['agency'].months_to_impact.mid, 'month')} to "
                       f"impact; "
                       f"{slip}), × {1 - a.failure_probability.mid:.0%} chance the project succeeds",
            "avoided_mistakes": f"{count(c.hidden.wrong_decisions, 'wrong decision')} avoided × "
                                f"{count(c.assumptions.hidden.weeks_per_wrong_decision.mid, 'week')} × {redo}, "
                                "booked in "
                                f"months {r.assumptions.rework_months.low:g}-{r.assumptions.rework_months.high:g} "
                                "after the launch, when the rework would have happened",
            "wrong_bet": f"{r.assumptions.wrong_bet_probability.mid:.0%} chance an unchosen idea misses × "
                         f"{count(r.assumptions.wrong_bet_months.mid, 'month')} of the AI team, after the product "
                         f"decision "
                         f"in {self._when(t.decision)}",
            "cost_optimisation": f"{self.money(d.savings_monthly)}/month LLM saving at full effect, each lever from "
                                 f"the day the plan's work on it is done ({slip}), to month {r.horizon_months}, "
                                 f"less the {d.self_found_savings:.0%} the client would find itself from month "
                                 f"{r.costs.options['full_time'].months_to_impact.mid:g}",
        }
        rows = [{"Source": SOURCE_NAMES[k], "Inputs": inputs[k], "Amount": fmt(v)} for k, v in shown.items()]
        rows.append({"Source": bold("Total value"), "Inputs": "", "Amount": bold(fmt(r.base.total_value))})
        rows += [{"Source": COST_NAMES[k], "Inputs": self._cost_inputs(k), "Amount": fmt(-v)}
                 for k, v in r.base.cost_by_source.items()]
        rows.append({"Source": bold("Total cost"), "Inputs": "", "Amount": bold(fmt(-r.base.total_cost))})
        rows.append({"Source": bold("Net value"), "Inputs": "", "Amount": bold(fmt(r.base.net_value))})
        return table(rows, ["Source", "Inputs", "Amount"], numeric=["Amount"], caption=(
            f"Base case over {count(r.horizon_months, 'month')}. Value counts from the dates the roadmap delivers it; "
            "every cost of the route is counted, the client's own days included."))

    def _cost_inputs(self, key: str) -> str:
        r, p = self.result, self.context.profile
        d, c = r.drivers["base"], r.costs
        roadmap = self.result_engagement.roadmap
        days = {role: sum(a.activity.effort_days for a in roadmap.activities if a.activity.owner == role)
                for role in ("client_engineers", "product", "leadership")}
        rates = c.assumptions.client_time
        day_rate = self.money_format(engineer_day_rate(p), rates.product_day_rate.mid, rates.leadership_day_rate.mid)
        return {
            "fee": self.product(d.day_rate, "/day", (c.cto_days_paid, self.paid_days()), total=False),
            "bridge": self._bridge_inputs(),
            "client_time": "the plan's " + (listed([
                f"{count(n, noun)} at {day_rate(rate)}{how}" for n, noun, rate, how in (
                    (days["client_engineers"], "engineer-day", engineer_day_rate(p), "/day (loaded cost / 260)"),
                    (days["product"], "product day", rates.product_day_rate.mid, ""),
                    (days["leadership"], "leadership day", rates.leadership_day_rate.mid, "")) if n])
                or "activities take none of the client's own days"),
            "agency": f"{self.money(c.options['agency'].annual.mid / 12)}/month from the partner's selection for "
                      f"the project, plus the expected cost of a failure",
            "hire": "the full-time hire's salary, recruiting fee and expected cost of a failed hire",
            "wasted_build": "the AI team's months a wrong bet would waste",
        }[key]

    def _bridge_inputs(self) -> str:
        b = self.result_engagement.bridge
        if b is None:
            return ""
        days = (f"{count(round(b.days, 2), 'paid day')} ({count(b.days_per_week, 'day')} a week from "
                f"{self.date(b.first)} until the hire starts about {self.date(b.hire_starts)})")
        return self.product(b.day_rate, "/day", (b.days, days), total=False)

    @section
    def drivers(self) -> Html:
        """The few assumptions that move the result most, and the counterfactual, in plain words."""
        r = self.result
        fmt = self.money_format(*(x for _, low, high in r.tornado[:3] for x in (low, high)))  # one sentence
        top = [f"{DRIVER_NAMES[name]}: net value {fmt(low)} at its conservative end, {fmt(high)} at "
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
        fmt = self.money_format(*(x for case in CASES for x in (
            r.drivers[case].monthly_value, r.drivers[case].savings_monthly, r.drivers[case].avoided_mistakes,
            r.scenarios[case].net_value, r.scenarios[case].npv)))
        for case in CASES:
            d, o = r.drivers[case], r.scenarios[case]
            rows.append({"Scenario": case.capitalize(), "Months earlier": f"{d.months_earlier:g}",
                         "Delivery slip": f"{d.delivery_slip:.0%}",
                         "Monthly value": fmt(d.monthly_value),
                         "LLM saving a month": fmt(d.savings_monthly),
                         "Avoided mistakes": fmt(d.avoided_mistakes), "Net value": fmt(o.net_value),
                         "Multiple": multiple_label(o.multiple),
                         "Payback": month_label(o.payback_month, r.horizon_months), "NPV": fmt(o.npv)})
        columns = ["Scenario", "Months earlier", "Delivery slip", "Monthly value", "LLM saving a month",
                   "Avoided mistakes", "Net value",
                   "Multiple", "Payback", "NPV"]
        return table(rows, columns, numeric=columns[1:], caption=(
            "Conservative takes every uncertain input at its least favourable end, optimistic at its most "
            "favourable; base at the midpoint (the modelled LLM saving)."))

    @section(late=True)
    def distribution_chart(self) -> Chart:
        return charts.net_value_distribution(self.result, self.context.playbook.brand,
                                             self.context.profile.client.currency)

    @section(late=True)
    def percentiles(self) -> Html:
        r, mc = self.result, self.result.monte_carlo
        fmt = self.money_format(*(mc.net_percentile(p) for p in (10, 50, 90)))
        rows = [{"Percentile": f"P{p}", "Net value": fmt(mc.net_percentile(p)),
                 "Payback": month_label(mc.payback_percentile(p, r.horizon_months), r.horizon_months)}
                for p in (10, 50, 90)]
        inputs = ", ".join(mid_sentence(DRIVER_NAMES[n]) for n, _, _ in r.tornado)
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
        fmt = self.money_format(*(x for o in r.alternatives.values() for x in (o.total_cost, o.total_value,
                                                                             o.net_value, o.npv)))
        rows = [{"Option": ARM_NAMES[k] + (" (recommended)" if i == 0 else ""), "Cost": fmt(o.total_cost),
                 "Value": fmt(o.total_value), "Net value": fmt(o.net_value),
                 "Multiple": multiple_label(o.multiple),
                 "Payback": month_label(o.payback_month, r.horizon_months), "NPV": fmt(o.npv)}
                for i, (k, o) in enumerate(r.alternatives.items())]
        columns = ["Option", "Cost", "Value", "Net value", "Multiple", "Payback", "NPV"]
        return table(rows, columns, numeric=columns[1:], caption=self.context.playbook.fit.recommendations[
            r.route].comparison)

    @section
    def assumptions_table(self) -> Html:
        a = self.result.assumptions
        rows = [{"Assumption": title, "Low": f"{getattr(a, name).low:g}", "High": f"{getattr(a, name).high:g}",
                 "Source": a.cite(getattr(a, name).source, self.locale)} for name, title in ASSUMPTION_NAMES.items()]
        return table(rows, ["Assumption", "Low", "High", "Source"], numeric=["Low", "High"], caption=(
            "Fee, hidden-cost ranges and LLM savings come from the cost breakdown and its sources; the dates of "
            "the launch, the levers and the product decision from the roadmap."))
