"""The roadmap report's sections, each one call from notebooks/04_roadmap.ipynb."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from markupsafe import Markup

from aicto.model.calendar import working_days
from aicto.model.roadmap import Roadmap
from aicto.present import charts
from aicto.present.charts import Chart
from aicto.present.views.common import Html, Kpi, View, fragment, kpis, narrative, section, table
from aicto.profile.activities import ROLE_NAMES, ROLES
from aicto.text.words import count

# The launch card without a launch in the plan: (value, note), in words that do not contradict each other.
NO_LAUNCH = {"fractional": ("Not planned", "blockers cannot be cleared in this plan"),
             "full_time": ("Not planned", "blockers cannot be cleared in this plan"),
             "agency_or_cofounder": ("By the partner", "after its selection, in the partner's plan"),
             "product_first": ("After the decision", "planned once the product is decided")}


def lines(items: list[str]) -> Markup:
    """Several escaped items in one table cell, one per line."""
    return Markup("<br>").join(items) if items else Markup("-")


class RoadmapView(View):
    @cached_property
    def result(self) -> Roadmap:
        return self.result_engagement.roadmap

    def person_days(self, role: str) -> float:
        return sum(a.activity.effort_days for a in self.result.activities if a.activity.owner == role)

    def week(self, date: dt.date) -> int:
        return (date - self.result.start).days // 7 + 1

    @section
    def executive_summary(self) -> Html:
        r, p, pb = self.result, self.context.profile, self.context.playbook
        dated = {m.id: self.date(m.date) for m in r.milestones}
        bill = self.money_format(r.cost_target_monthly, r.current_monthly)  # one sentence
        return narrative(
            pb, "roadmap_summary.html.j2",
            client=p.client.name, route=r.route, days=r.days, horizon_days=r.horizon_days,
            small_gaps=r.horizon_days == pb.roadmap.plan.short_days, start=self.date(r.start), end=self.date(r.end),
            engagement_end=self.date(r.engagement_end), weeks=(r.engagement_end - r.start).days // 7 + 1,
            planned=len(r.activities), out_of_scope=len(r.out_of_scope), audit_readout=dated["audit_readout"],
            architecture_decided=dated.get("architecture_decided", ""), decisions=p.situation.decisions_pending,
            product_decision=dated.get("product_decision", ""), hiring_ready=dated.get("hiring_ready", ""),
            partner_selected=dated.get("partner_selected", ""),
            launch=dated.get("production_launch", ""), blockers=[b.title for b in r.cleared_blockers],
            unresolved=[b.title for b in r.unresolved_blockers],
            cost_target=bill(r.cost_target_monthly) if r.cost_target_monthly is not None else "",
            cost_date=dated.get("cost_target_reached", ""), current_bill=bill(r.current_monthly),
            handover=dated["handover"], cto_days=f"{r.cto_days_planned:g}", cto_paid=f"{r.cto_days_paid:g}",
            cto_free=f"{max(r.cto_days_paid - r.cto_days_planned, 0):g}",
            cto_per_week=f"{r.capacity['fractional_cto']:g}",
            engineer_days=f"{self.person_days('client_engineers'):g}",
            product_days=f"{self.person_days('product'):g}", after_handover=len(r.after_handover),
            weeks_needed=r.weeks_needed or "", live=p.situation.in_production, **self._bridge(),
        )

    def _bridge(self) -> dict[str, str]:
        """The full-time route's bridge until the hire starts, in the summary's words ("" without one)."""
        b = self.result_engagement.bridge
        if b is None:
            return {"hire_starts": "", "bridge_weeks": "", "bridge_days": "", "bridge_cost": "", "hire_months": ""}
        return {"hire_starts": self.date(b.hire_starts), "bridge_weeks": count(b.weeks, "week"),
                "bridge_days": count(b.days_per_week, "day"), "bridge_cost": self.money(b.cost),
                "hire_months": count(round(b.months_to_hire, 1), "month")}

    @section
    def headline(self) -> Html:
        r = self.result
        launch, cost = r.milestone("production_launch"), r.milestone("cost_target_reached")
        live = self.context.profile.situation.in_production
        return kpis([
            Kpi("Plan", count(r.days, "day"), self.date_range(r.start, r.end)),
            Kpi("Fractional CTO days", f"{r.cto_days_planned:g} of {r.cto_days_paid:g}",
                f"planned of paid, to {self.day_month(r.engagement_end)}; the rest for reviews, advisory and reserve"),
            Kpi("Production launch", "Already live", "the plan hardens what runs", "good") if live else
            Kpi("Production launch", self.day_month(launch.date) if launch else NO_LAUNCH[r.route][0],
                f"week {self.week(launch.date)}" if launch else NO_LAUNCH[r.route][1],
                "good" if launch else "bad" if r.route in ("fractional", "full_time") else ""),
            Kpi("Activities", str(len(r.activities)), f"{len(r.out_of_scope)} deliberately out of scope"),
            Kpi("Cost target", f"{self.money(r.cost_target_monthly)}/mo" if r.cost_target_monthly is not None
                else "No cost lever", f"by {self.day_month(cost.date)}" if cost else "in this plan",
                "good" if cost else ""),
        ])

    @section
    def gantt(self) -> Chart:
        names = {phase: info.name for phase, info in self.context.playbook.roadmap.phases.items()}
        return charts.roadmap_gantt(self.result, names, self.context.playbook.brand)

    @section
    def milestone_table(self) -> Html:
        r = self.result
        rows = [{"Milestone": m.title, "Date": self.date(m.date), "Week": self.week(m.date),
                 "What it means": m.meaning, "Reached with": r.planned(m.activity).activity.title}
                for m in r.milestones]
        return table(rows, ["Milestone", "Date", "Week", "What it means", "Reached with"], numeric=["Week"])

    @section
    def blocker_table(self) -> Html:
        r = self.result
        launch = r.milestone("production_launch")
        unresolved = {"agency_or_cofounder": ("The delivery partner, against the contract's acceptance tests",
                                              "after the partner's delivery"),
                      "product_first": ("The build plan that follows the product decision", "after the decision")}
        cleared_by, when = unresolved.get(r.route, ("Nothing this team can do in the plan", "not planned"))
        rows = [{"Blocker": b.title, "Cleared by": lines([a.activity.title for a in r.clearing(b.id)]),
                 "Done by": self.date(max(a.end for a in r.clearing(b.id))),
                 "Launch": self.date(launch.date) if launch else when} for b in r.cleared_blockers]
        rows += [{"Blocker": b.title, "Cleared by": cleared_by, "Done by": "-", "Launch": when}
                 for b in r.unresolved_blockers]
        return table(rows, ["Blocker", "Cleared by", "Done by", "Launch"], caption=(
            "The launch review waits for every activity that clears a blocker, and for the launch criteria in "
            "the playbook (evaluation gate, tracing, delivery pipeline, data protection, governance) when planned."),
            empty="No blocker: nothing in the assessment stops a production launch outright.")

    @section
    def week_table(self) -> Html:
        r = self.result
        phases = self.context.playbook.roadmap.phases
        rows = []
        per_day = r.daily_capacity("fractional_cto")
        for week in range(1, max(self.week(r.end), self.week(r.engagement_end)) + 1):
            first = r.start + dt.timedelta(days=7 * (week - 1))
            last = first + dt.timedelta(days=6)
            active = [a for a in r.activities if any(first <= d <= last for d, _ in a.work)]
            ending = [a for a in active if a.end <= last]
            # a paid week with no activity of the fractional CTO says what its paid days are for
            paid = per_day * len(working_days(first, min(last, r.engagement_end), r.holidays)) if first <= \
                r.engagement_end else 0
            free = [] if any(a.activity.owner == "fractional_cto" for a in active) or not paid else [
                f"Reviews of the team's work, advisory and reserve ({ROLE_NAMES['fractional_cto']}, "
                f"{count(round(paid, 2), 'paid day')})"]
            rows.append({
                "Week": week, "Dates": self.day_month_range(first, last),
                "Phase": lines(list(dict.fromkeys(phases[a.activity.phase].name for a in active))),
                "In progress (owner)": lines([f"{a.activity.title} ({ROLE_NAMES[a.activity.owner]})"
                                              for a in active] + free),
                "Deliverables due": lines([a.activity.deliverable for a in ending]),
                "Milestones": lines([m.title for m in r.milestones if first <= m.date <= last]),
            })
        return table(rows, ["Week", "Dates", "Phase", "In progress (owner)", "Deliverables due", "Milestones"],
                     numeric=["Week"], caption="Weeks run from the plan's first day; weekends"
                     + (" and the client's holidays" if r.holidays else "") + " are not worked.")

    @section
    def capacity_table(self) -> Html:
        r = self.result
        days = len(working_days(r.start, r.end, r.holidays))
        engaged = len(working_days(r.start, r.engagement_end, r.holidays))

        def available(role: str) -> str:
            if role == "fractional_cto":
                return f"{r.daily_capacity(role) * engaged:g} (paid: {r.cto_days_paid:g})"
            return f"{r.daily_capacity(role) * days:g}"

        rows = [{"Role": ROLE_NAMES[role], "Days a week": f"{r.capacity[role]:g}",
                 "Planned person-days": f"{self.person_days(role):g}", "Available in the plan": available(role)}
                for role in ROLES]
        return table(rows, ["Role", "Days a week", "Planned person-days", "Available in the plan"],
                     numeric=["Days a week", "Planned person-days", "Available in the plan"], caption=(
                         "Each role's weekly days are spread evenly over the working days; no day is planned "
                         "beyond them, and the fractional CTO's only inside the engagement. Paid CTO days the "
                         "activities leave free go to reviews of the team's work, advisory and reserve. Client "
                         "capacity comes from the profile's roadmap section or the playbook defaults."))

    @section
    def out_of_scope(self) -> Html:
        r = self.result
        rows = [{"Activity": d.activity.title, "Owner": ROLE_NAMES[d.activity.owner],
                 "Effort (days)": f"{d.activity.effort_days:g}", "Why it is not in this plan": d.reason}
                for d in r.out_of_scope]
        notes = fragment("callouts", items=[{"title": n, "body": ""} for n in r.notes], tone="warning",
                         heading="", empty="") if r.notes else Html("")
        return Html(notes + table(rows, ["Activity", "Owner", "Effort (days)", "Why it is not in this plan"],
                                  numeric=["Effort (days)"], empty="Every activity in the playbook is planned."))
