"""The proposal and statement of work, each section one call from notebooks/00_proposal.ipynb.

Every section is built once as blocks (paragraphs, lists, tables): the notebook shows them as HTML, and
proposal.docx (aicto.present.proposal_docx) writes the same blocks as a Word document, so the two never differ.
The words per route, the interaction model, the payment and legal terms are playbook/proposal.yaml's; every figure
(fee, dates, days, value) is the engagement model's, as the reports and summary.json show it.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from aicto.model.proposal import CLIENT_ROLES, ProposalFigures, proposal_figures
from aicto.model.roi import DRIVER_NAMES
from aicto.present.views.common import Html, Kpi, View, kpis, section, table
from aicto.profile.activities import ROLE_NAMES
from aicto.text.money import MoneyFormat
from aicto.text.words import count, listed, mid_sentence, payback, times

# The proposal's sections in order, with their headings: the notebook's headings and proposal.docx's.
SECTIONS = {
    "situation": "The situation",
    "objectives": "Objectives and measurable outcomes",
    "scope": "Scope",
    "deliverables": "Deliverables",
    "engagement": "Engagement and how we work together",
    "responsibilities": "The client's responsibilities",
    "timeline": "Timeline, review gates and acceptance",
    "fees": "Fees and payment",
    "value": "Expected value",
    "risks": "Risks",
    "change_requests": "Change requests",
    "terms": "Terms",
}


@dataclass(frozen=True)
class Para:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]
    heading: str = ""


@dataclass(frozen=True)
class Table:
    rows: Sequence[dict[str, str]]
    columns: Sequence[str]
    numeric: Sequence[str] = ()
    caption: str = ""
    heading: str = ""
    total: bool = False  # the last row is a total (bold)


@dataclass(frozen=True)
class Document:
    """The proposal as proposal.docx writes it: a title, the KPIs, then each section's heading and blocks."""

    title: str
    subtitle: str
    kpis: list[Kpi]
    sections: list[tuple[str, list[Any]]] = field(default_factory=list)


def render(blocks: Sequence[Any]) -> str:
    """Blocks as the report's HTML fragments."""
    out = []
    for b in blocks:
        if isinstance(b, Para):
            text = html.escape(b.text)
            out.append(f"<p><strong>{text}</strong></p>" if b.strong else f"<p>{text}</p>")
        elif isinstance(b, Bullets):
            if b.heading:
                out.append(f'<p class="aicto-callout-heading">{html.escape(b.heading)}</p>')
            out.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            if b.heading:
                out.append(f'<p class="aicto-callout-heading">{html.escape(b.heading)}</p>')
            out.append(table(b.rows, b.columns, b.numeric, b.caption))
    return "\n".join(out)


class ProposalView(View):
    @cached_property
    def result(self) -> ProposalFigures:
        return proposal_figures(self.result_engagement)

    # -- the pieces every section shares ------------------------------------------------------------------------------

    @property
    def words(self) -> Any:
        return self.context.playbook.proposal.routes[self.result.route]

    def fill(self, text: str) -> str:
        """A playbook text with the client's figures in its {fields}."""
        e, p = self.result_engagement, self.context.profile
        b, brand = e.bridge, self.context.playbook.brand
        return text.format(
            client=p.client.name, start=self.date(e.start), end=self.date(e.end), weeks=count(e.weeks, "week"),
            days_per_week=count(p.engagement.days_per_week, "day"), handover=self.date(e.roadmap.handover.date),
            hire_starts=self.date(b.hire_starts) if b else self.date(e.end),
            bridge_days_per_week=count(b.days_per_week, "day") if b else "",
            bridge_cost=self.fee_format(b.cost) if b else "", firm=brand.firm,
            notice_days=count(self.context.playbook.proposal.terms.termination_notice_days, "day"))

    @property
    def fee_format(self) -> MoneyFormat:
        """Fees in full, to the cent when one has cents: the fee, its instalments and the bridge's fee."""
        e, r = self.result_engagement, self.result
        amounts = [r.fee, *(i.amount for i in r.instalments), *([e.bridge.cost] if e.bridge else [])]
        cents = any(round(a, 2) != round(a) for a in amounts)  # an invoice is exact: £28,637.50, never £28,638
        return MoneyFormat(self.context.profile.client.currency, self.locale, 1, 2 if cents else 0)

    @property
    def fee(self) -> str:
        """The fee as every part of the proposal (and proposal.docx) writes it."""
        return self.fee_format(self.result.fee)

    def rate_times_days(self, rate: float, days: float, days_words: str, total: float) -> str:
        """"£987.50/day × 22.8 paid days = £22,515": the day rate with its cents when it has some, so the reader's
        own multiplication gives the fee as the model has it."""
        currency = self.context.profile.client.currency
        whole = MoneyFormat.full([rate], currency, self.locale)
        rate_format = whole if whole.shown(rate) == Decimal(str(round(rate, 2))) else MoneyFormat(
            currency, self.locale, 1, 2)
        return f"{rate_format(rate)}/day × {days_words} = {self.fee_format(total)}"

    def milestone_dates(self) -> dict[str, str]:
        return {m.title: self.date(m.date) for m in self.result_engagement.roadmap.milestones}

    def blocks(self, name: str) -> list[Any]:
        return [*getattr(self, f"_{name}")()]

    def document(self) -> Document:
        """The whole proposal, in the practice's spelling, for proposal.docx."""
        p = self.context.profile

        def spelled(block: Any) -> Any:
            s = self.respelled
            if isinstance(block, Para):
                return Para(str(s(block.text)), block.strong)
            if isinstance(block, Bullets):
                return Bullets([str(s(i)) for i in block.items], str(s(block.heading)))
            if isinstance(block, Table):
                return Table([{k: str(s(str(v))) for k, v in r.items()} for r in block.rows],
                             [str(s(c)) for c in block.columns], [str(s(c)) for c in block.numeric],
                             str(s(block.caption)), str(s(block.heading)), block.total)
            return block

        return Document(
            f"Proposal and statement of work: {self.words.title}", f"{p.client.name}, {self.date(self.today)}",
            self._kpis(),
            [(str(self.respelled(title)), [spelled(b) for b in self.blocks(name)]) for name, title in SECTIONS.items()])

    @property
    def today(self) -> dt.date:
        """The proposal's date, as the HTML report's header gives it: the report date, else the actuals', else today."""
        return self.context.profile.report_day or dt.date.today()

    # -- the sections ----------------------------------------------------------------------------------------------

    def _kpis(self) -> list[Kpi]:
        e, r = self.result_engagement, self.result
        base = e.roi.base
        return [
            Kpi("Fee", self.fee, f"{count(round(e.cto_days_paid, 2), 'paid day')}"),
            Kpi("Engagement", count(e.weeks, "week"), self.date_range(e.start, e.end)),
            Kpi("Exit", self.date(e.bridge.hire_starts), "the hire starts; the bridge ends") if e.bridge else
            Kpi("Hand-over", self.date(e.roadmap.handover.date), "the engagement's exit"),
            Kpi("Payback", payback(base.payback_month, e.roi.horizon_months),
                "provisional until the audit" if r.provisional else "base case"),
        ]

    @section
    def headline(self) -> Html:
        return kpis(self._kpis())

    def _situation(self) -> list[Any]:
        e, p = self.result_engagement, self.context.profile
        fit = e.readiness.fit
        team = (f"{count(p.team.engineers, 'engineer')} (AI experience: {p.team.ai_experience})"
                if p.team.engineers else "no engineers of its own")
        out: list[Any] = []
        if self.result.provisional:
            out.append(Para(self.context.playbook.proposal.provisional, strong=True))
        out.append(Para(f"{p.client.name} has {team}. What we heard in the discovery call:"))
        heard = list(dict.fromkeys([*fit.fit_signals, *fit.reasons]))
        if heard:
            out.append(Bullets(heard))
        if p.situation.decisions_pending:
            out.append(Bullets(list(p.situation.decisions_pending), heading="The open decisions, in your words"))
        out.append(Para(f"What we propose: {mid_sentence(fit.title)}. {fit.summary}"))
        out.append(Para(self.fill(self.words.purpose)))
        return out

    @section
    def situation(self) -> Html:
        return Html(render(self._situation()))

    def _objectives(self) -> list[Any]:
        e = self.result_engagement
        roadmap = e.roadmap
        rows = [{"Outcome": m.title, "Measured by": m.meaning, "By": self.date(m.date)} for m in roadmap.milestones]
        target = roadmap.milestone("cost_target_reached")
        if target is not None and roadmap.cost_target_monthly is not None:
            fmt = self.money_format(roadmap.current_monthly, roadmap.cost_target_monthly)
            rows[[m.id for m in roadmap.milestones].index("cost_target_reached")]["Measured by"] = (
                f"The LLM bill down from {fmt(roadmap.current_monthly)} to {fmt(roadmap.cost_target_monthly)} a "
                "month, on the cost dashboard.")
        return [Table(rows, ["Outcome", "Measured by", "By"], caption=(
            "Each outcome is a milestone of the plan, on the date the plan gives it."))]

    @section
    def objectives(self) -> Html:
        return Html(render(self._objectives()))

    def _scope(self) -> list[Any]:
        e = self.result_engagement
        library = self.context.playbook.roadmap
        out: list[Any] = []
        for phase, info in library.phases.items():
            items = [f"{a.activity.title} ({ROLE_NAMES[a.activity.owner]})"
                     for a in e.roadmap.activities if a.activity.phase == phase]
            if items:
                out.append(Bullets(items, heading=f"{info.name} ({info.when})"))
        outside = list(self.words.out_of_scope)
        deferred = [d.activity.title for d in e.roadmap.out_of_scope if d.kind in ("does_not_fit", "no_capacity")]
        if deferred:
            outside.append(f"Left out of this plan for time or capacity: {listed(deferred)}.")
        out.append(Bullets(outside, heading="Out of scope"))
        if self.result.provisional:
            out.append(Para("The audit read-out confirms this scope against the readiness assessment."))
        return out

    @section
    def scope(self) -> Html:
        return Html(render(self._scope()))

    def _deliverables(self) -> list[Any]:
        e = self.result_engagement
        roadmap = e.roadmap
        readout, handover = roadmap.milestone("audit_readout"), roadmap.handover
        rows = []
        if readout is not None:
            rows.append({"Deliverable": "The audit reports: readiness assessment, cost breakdown, ROI framing and the "
                                        "60-90 day roadmap, with the board pack", "Due": self.date(readout.date)})
        for a in roadmap.activities:
            if a.activity.owner == "fractional_cto" and a.id not in ("audit_readout", "handover"):
                rows.append({"Deliverable": a.activity.deliverable, "Due": self.date(a.end)})
        rows.append({"Deliverable": "The progress report and the transition recommendation",
                     "Due": self.date(handover.date)})
        return [Table(rows, ["Deliverable", "Due"], caption="The fractional CTO's deliverables, each due on the day "
                      "the plan finishes it; the decisions are recorded with their criteria.")]

    @section
    def deliverables(self) -> Html:
        return Html(render(self._deliverables()))

    def _engagement(self) -> list[Any]:
        e, p = self.result_engagement, self.context.profile
        terms = self.context.playbook.proposal
        consultant = p.engagement.consultant or self.context.playbook.brand.consultant
        rows = [{"Parameter": "Fractional CTO", "Value": consultant},
                {"Parameter": "Start", "Value": self.date(e.start)},
                {"Parameter": "Last engaged day", "Value": self.date(e.end)},
                {"Parameter": "Days", "Value": self.paid_days()},
                {"Parameter": "Reporting line", "Value": terms.interaction.reporting_line},
                {"Parameter": "Availability", "Value": terms.interaction.availability},
                {"Parameter": "Steering", "Value": terms.interaction.steering}]
        if e.bridge is not None:
            b = e.bridge
            rows.insert(4, {"Parameter": "Bridge to the hire", "Value": (
                f"{count(b.days_per_week, 'day')} a week from {self.date(b.first)} until the hire starts, about "
                f"{self.date(b.hire_starts)}")})
        decisions = [{"Decision": d.decision, "Who decides": d.decides} for d in terms.interaction.decision_rights]
        return [Table(rows, ["Parameter", "Value"]),
                Table(decisions, ["Decision", "Who decides"], heading="Who decides what"),
                Para(self.fill(self.words.exit))]

    @section
    def engagement(self) -> Html:
        return Html(render(self._engagement()))

    def _responsibilities(self) -> list[Any]:
        e = self.result_engagement
        roadmap = e.roadmap
        rows = []
        for role in CLIENT_ROLES:
            mine = [a for a in roadmap.activities if a.activity.owner == role]
            joins = [a for a in roadmap.activities if role in a.activity.involves and a.activity.owner != role]
            if not mine and not joins:
                continue
            what = [a.activity.title for a in mine] + [f"takes part in: {a.activity.title}" for a in joins]
            rows.append({"Role": ROLE_NAMES[role], "Person-days": f"{self.result.client_days[role]:g}",
                         "Reserved a week": f"{roadmap.capacity[role]:g}", "For": "; ".join(what)})
        return [Table(rows, ["Role", "Person-days", "Reserved a week", "For"], numeric=["Person-days",
                      "Reserved a week"], caption=(
            "Person-days the plan's activities take of each of the client's roles, and the days a week the plan "
            "reserves for it; the sponsor and the engineers also attend the weekly steering meeting."))]

    @section
    def responsibilities(self) -> Html:
        return Html(render(self._responsibilities()))

    def _timeline(self) -> list[Any]:
        roadmap = self.result_engagement.roadmap
        rows = [{"Milestone": m.title, "Date": self.date(m.date), "Review gate": m.meaning,
                 "Acceptance criterion": roadmap.planned(m.activity).activity.done_when} for m in roadmap.milestones]
        return [Table(rows, ["Milestone", "Date", "Review gate", "Acceptance criterion"],
                      caption=f"The plan runs from {self.date(roadmap.start)} to {self.date(roadmap.end)}."),
                Para(self.fill(self.context.playbook.proposal.terms.acceptance))]

    @section
    def timeline(self) -> Html:
        return Html(render(self._timeline()))

    def _fees(self) -> list[Any]:
        e, r, p = self.result_engagement, self.result, self.context.profile
        costs = e.costs
        terms = self.context.playbook.proposal.payment
        day_rate = costs.assumptions.leadership.fractional.day_rate.mid
        fee = self.rate_times_days(day_rate, costs.cto_days_paid, self.paid_days(), r.fee)
        out: list[Any] = [Para(f"The fee: {fee}.")]
        if e.bridge is not None:
            b = e.bridge
            bridge = self.rate_times_days(b.day_rate, b.days, count(round(b.days, 2), "paid day"), b.cost)
            out.append(Para(f"The bridge until the hire starts: {bridge}, invoiced in the same way."))
        fmt = self.fee_format
        rows = [{"Invoice date": self.date(i.date), "For": i.label, "Amount": fmt(i.amount)} for i in r.instalments]
        rows.append({"Invoice date": "Total", "For": "", "Amount": fmt(r.fee)})
        how = ("monthly in arrears, for the days of each month" if r.schedule == "monthly_in_arrears"
               else "in equal parts at each milestone")
        out.append(Table(rows, ["Invoice date", "For", "Amount"], numeric=["Amount"], total=True,
                         heading="Payment schedule", caption=(
                             f"Invoiced {how}; due {count(terms.due_days, 'day')} after the invoice date.")))
        out.append(Bullets([f"All amounts are in {p.client.currency}.", terms.tax, terms.expenses]))
        return out

    @section
    def fees(self) -> Html:
        return Html(render(self._fees()))

    def _value(self) -> list[Any]:
        e, r = self.result_engagement, self.result
        roi = e.roi
        base, mc = roi.base, roi.monte_carlo
        p10, p90 = mc.net_percentile(10), mc.net_percentile(90)
        fmt = self.money_format(base.net_value, p10, p90, base.total_cost)
        horizon = count(roi.horizon_months, "month")
        out: list[Any] = []
        if r.provisional:
            out.append(Para("Provisional: estimated from the discovery call's figures; the audit's ROI replaces it."))
        multiple = f", {times(base.multiple)} times the cost" if base.multiple is not None else ""
        out.append(Para(
            f"{roi.subject}: a net value of {fmt(base.net_value)} over {horizon} in the base case{multiple}, against "
            f"every cost of the route ({fmt(base.total_cost)}, the fee included); payback: "
            f"{mid_sentence(payback(base.payback_month, roi.horizon_months))}. "
            f"In {mc.draws:,} simulations the net value lies between {fmt(p10)} (P10) and {fmt(p90)} (P90)."))
        out.append(Para(f"Against what: {self.context.playbook.fit.recommendations[roi.route].comparison}"))
        drivers = [DRIVER_NAMES[name] for name, _, _ in roi.tornado[:3]]
        if drivers:
            out.append(Bullets(drivers, heading="The assumptions that carry it"))
        return out

    @section(late=True)
    def value(self) -> Html:
        return Html(render(self._value()))

    def _risks(self) -> list[Any]:
        rows = [{"Risk": x.risk, "What we do about it": x.response} for x in self.words.risks]
        roadmap = self.result_engagement.roadmap
        for b in roadmap.unresolved_blockers:
            rows.append({"Risk": f"{b.title}: nothing in this plan clears it.",
                         "What we do about it": "The launch waits for it; the audit read-out proposes how to clear "
                                                "it, by change request."})
        return [Table(rows, ["Risk", "What we do about it"])]

    @section
    def risks(self) -> Html:
        return Html(render(self._risks()))

    def _change_requests(self) -> list[Any]:
        return [Para(self.fill(self.context.playbook.proposal.change_requests))]

    @section
    def change_requests(self) -> Html:
        return Html(render(self._change_requests()))

    def _terms(self) -> list[Any]:
        t = self.context.playbook.proposal.terms
        rows = [{"Term": "Confidentiality", "Agreed": self.fill(t.confidentiality)},
                {"Term": "Intellectual property", "Agreed": self.fill(t.intellectual_property)},
                {"Term": "Termination", "Agreed": self.fill(t.termination)}]
        return [Table(rows, ["Term", "Agreed"])]

    @section
    def terms(self) -> Html:
        return Html(render(self._terms()))
