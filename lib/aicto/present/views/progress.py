"""The progress and transition report's sections, each one call from notebooks/05_progress.ipynb."""

from __future__ import annotations

from functools import cached_property

from aicto.model.progress import BillMonth, Progress, progress
from aicto.model.roi import SOURCE_NAMES
from aicto.model.snapshot import load
from aicto.present import progress_charts
from aicto.present.charts import Chart
from aicto.present.views.common import Html, Kpi, View, fragment, kpis, narrative, section, table
from aicto.present.views.roadmap import lines
from aicto.profile.schema import resolve_profile_path
from aicto.text.dates import month_of
from aicto.text.words import count, times

STATE_NAMES = {"on_time": "On time", "late": "Late", "missed": "Missed", "upcoming": "Upcoming",
               "not_reported": "Not reported", "unplanned": "Reached, not in the plan", "done": "Done",
               "done_late": "Done late", "in_progress": "In progress", "overdue": "Overdue", "not_due": "Not due"}
TONE = {"hire_full_time": "warning", "reduced_cadence": "warning", "end": "good"}


def signed(value: float, digits: int = 1) -> str:
    return f"{value:+.{digits}f}"


class ProgressView(View):
    @cached_property
    def result(self) -> Progress:
        profile = self.context.profile
        snapshots = load(resolve_profile_path(self.context.profile_path), profile.client.id, profile)
        return progress(self.result_engagement, snapshots, self.context.playbook)

    def route_title(self, route: str) -> str:
        return self.context.playbook.fit.recommendations[route].title  # type: ignore[index]

    @section
    def executive_summary(self) -> Html:
        p = self.result
        due = [m for m in p.milestones if m.state in ("on_time", "late", "missed")]
        latest = next((b for b in reversed(p.bill) if b.actual is not None and b.target is not None), None)
        rise = sorted((d for d in p.dimensions if d.delta > 0), key=lambda d: -d.delta)[:2]
        plan = p.planned_activities
        launch = next((m.actual for m in p.milestones if m.id == "production_launch" and m.actual), None)
        tolerance = self.context.playbook.transition.tolerances.bill_share
        target = latest.target if latest else None
        bill = self.money_format(p.bill_now, target, p.bill_then)  # one format per sentence
        net = self.money_format(p.roi.realised_net, p.roi.promised_net)
        return narrative(
            self.context.playbook, "progress_summary.html.j2",
            client=self.context.profile.client.name, as_of=self.date(p.as_of), baseline=self.date(p.baseline.date),
            from_snapshot=p.from_snapshot, reported=p.reported, index_then=f"{p.index_then:.0f}",
            index_now=f"{p.index_now:.0f}", tier_then=p.baseline.readiness.tier, tier_now=p.tier_now,
            improved=[d.name for d in rise], cleared=p.blockers_cleared, new_blockers=p.blockers_new,
            open_blockers=p.blockers_open, route_then=self.route_title(p.baseline.route),
            route_now=self.route_title(p.route_now), due=len(due),
            on_time=sum(1 for m in due if m.state == "on_time"),
            late=[m.title for m in due if m.state == "late"], missed=[m.title for m in due if m.state == "missed"],
            launch=self.date(launch) if launch else "", done=sum(1 for a in plan if a.done),
            due_activities=sum(1 for a in plan if a.planned and a.planned.end <= p.as_of), planned=len(plan),
            bill_then=bill(p.bill_then), bill_now=bill(p.bill_now),
            bill_target=bill(target) if target is not None else "",
            bill_month=month_of(latest.month, self.locale) if latest else "",
            bill_over=bool(latest and latest.actual is not None and latest.target is not None
                           and latest.actual > latest.target * (1 + tolerance)),
            promised_net=net(p.roi.promised_net),
            realised_net=net(p.roi.realised_net) if p.roi.realised_net is not None else "",
            transition=p.transition.title, transition_summary=p.transition.summary,
        )

    @section
    def headline(self) -> Html:
        p = self.result
        due = [m for m in p.milestones if m.state in ("on_time", "late", "missed")]
        plan = p.planned_activities
        roi = p.roi
        items = [
            Kpi("Readiness index", f"{p.index_now:.0f}/100",
                f"{signed(p.index_now - p.index_then, 0)} since {self.date(p.baseline.date)}",
                "good" if p.index_now > p.index_then else "bad" if p.index_now < p.index_then else ""),
            Kpi("Launch blockers", str(len(p.blockers_open)), f"{len(p.blockers_cleared)} cleared since the baseline",
                "bad" if p.blockers_open else "good"),
        ]
        if p.reported:
            bill = self.money_format(p.bill_now, p.bill_then)
            net = self.money_format(roi.realised_net, roi.promised_net)
            items += [
                Kpi("Milestones on time", f"{sum(1 for m in due if m.state == 'on_time')} of {len(due)}",
                    f"{len(p.late_milestones)} late or missed", "bad" if p.late_milestones else "good"),
                Kpi("Activities done", f"{sum(1 for a in plan if a.done)} of {len(plan)}",
                    f"{sum(1 for a in plan if a.planned and a.planned.end <= p.as_of)} planned by now"),
                Kpi("AI bill (latest month)", bill(p.bill_now), f"{bill(p.bill_then)} at the baseline",
                    "good" if p.bill_now <= p.bill_then else "bad"),
                Kpi("Net realised to date", net(roi.realised_net or 0.0),
                    f"{net(roi.promised_net)} promised by now",
                    "good" if (roi.realised_net or 0.0) >= roi.promised_net else "warning"),
            ]
        items.append(Kpi("At the end of the engagement", p.transition.title,
                         f"{count(p.transition.days_per_week, 'day')} a week" if p.transition.days_per_week else "",
                         TONE[p.transition.outcome]))
        return kpis(items)

    # -- readiness ---------------------------------------------------------------------------------------------------

    @section
    def radar(self) -> Chart:
        return progress_charts.readiness_then_now(self.result, self.context.playbook.brand)

    @section
    def dimension_table(self) -> Html:
        rows = [{"Dimension": d.name, "Baseline": f"{d.then:.1f}", "Now": f"{d.now:.1f}", "Change": signed(d.delta),
                 "Target": f"{d.target:g}", "Gap left": f"{max(d.target - d.now, 0):.1f}"}
                for d in self.result.dimensions]
        return table(rows, ["Dimension", "Baseline", "Now", "Change", "Target", "Gap left"],
                     numeric=["Baseline", "Now", "Change", "Target", "Gap left"])

    @section
    def blockers(self) -> Html:
        p = self.result
        cleared = fragment("callouts", items=[{"title": t, "body": "Cleared since the baseline."}
                                              for t in p.blockers_cleared], tone="good", heading="", empty="")
        still = [t for t in p.blockers_open if t not in p.blockers_new]
        open_ = fragment("callouts", items=[{"title": t, "body": "Still blocks a production launch."} for t in still]
                         + [{"title": t, "body": "New since the baseline: blocks a production launch."}
                            for t in p.blockers_new], tone="bad", heading="",
                         empty="No launch blocker remains in the assessment.")
        return Html((cleared if p.blockers_cleared else "") + open_)

    @section
    def snapshot_table(self) -> Html:
        p = self.result
        bill = self.money_format(p.bill_now, *(s.bill.current_monthly for s in p.snapshots))
        rows = [{"Date": self.date(s.date), "Readiness index": f"{s.readiness.index:.0f}", "Tier": s.readiness.tier,
                 "Launch blockers": len(s.readiness.blockers), "AI bill (monthly)": bill(s.bill.current_monthly),
                 "Recommendation": self.route_title(s.route)} for s in p.snapshots]
        rows.append({"Date": f"{self.date(p.as_of)} (now)", "Readiness index": f"{p.index_now:.0f}",
                     "Tier": p.tier_now, "Launch blockers": len(p.blockers_open), "AI bill (monthly)": bill(p.bill_now),
                     "Recommendation": self.route_title(p.route_now)})
        return table(rows, ["Date", "Readiness index", "Tier", "Launch blockers", "AI bill (monthly)",
                            "Recommendation"], numeric=["Readiness index", "Launch blockers", "AI bill (monthly)"],
                     caption="Each snapshot records the answers and figures of its day (aicto snapshot); the first is "
                     "the baseline." if p.snapshots else "No snapshot yet: the baseline is the plan agreed at the "
                     "start.")

    # -- plan against actual -----------------------------------------------------------------------------------------

    @section
    def milestone_table(self) -> Html:
        rows = [{"Milestone": m.title, "Planned": self.date(m.planned) if m.planned else "-",
                 "Reached": self.date(m.actual) if m.actual else "-", "Status": STATE_NAMES[m.state],
                 "Days late": m.days_late or "-"} for m in self.result.milestones]
        return table(rows, ["Milestone", "Planned", "Reached", "Status", "Days late"], numeric=["Days late"],
                     caption=f"Against the plan of {self.date(self.result.baseline.date)}; up to "
                     f"{count(self.context.playbook.transition.tolerances.late_days, 'day')} after the planned date "
                     "counts as "
                     "on time. Missed: past its date and not reached.")

    @section
    def burn_up(self) -> Chart:
        return progress_charts.burn_up(self.result, self.context.playbook.brand)

    @section
    def gantt(self) -> Chart:
        names = {phase: info.name for phase, info in self.context.playbook.roadmap.phases.items()}
        return progress_charts.plan_against_actual(self.result, names, self.context.playbook.brand)

    @section
    def activity_table(self) -> Html:
        """What needs attention: overdue, late or in progress, and work done that the plan did not have."""
        shown = [a for a in self.result.activities if a.state in ("overdue", "done_late", "in_progress", "unplanned")]
        rows = [{"Activity": a.title,
                 "Planned": self.day_month_range(a.planned.start, a.planned.end) if a.planned else "-",
                 "Started": self.day_month(a.started) if a.started else "-",
                 "Done": self.day_month(a.done) if a.done else "-",
                 "Status": STATE_NAMES[a.state]} for a in shown]
        return table(rows, ["Activity", "Planned", "Started", "Done", "Status"],
                     empty="Every activity due by now is done on time." if self.result.reported
                     else "No actuals reported yet.")

    # -- the bill and the ROI ----------------------------------------------------------------------------------------

    @section
    def bill_chart(self) -> Chart:
        return progress_charts.bill_against_target(self.result, self.context.playbook.brand,
                                                   self.context.profile.client.currency,
                                                   self.context.playbook.transition.tolerances.bill_share)

    @section
    def bill_table(self) -> Html:
        def less(b: BillMonth) -> float | None:
            return b.actual - b.target if b.actual is not None and b.target is not None else None

        bills = self.result.bill
        fmt = self.money_format(*(x for b in bills for x in (b.target, b.actual, less(b))))
        rows = [{"Month": month_of(b.month, self.locale),
                 "The plan's target": fmt(b.target) if b.target is not None else "-",
                 "Actual": fmt(b.actual) if b.actual is not None else "-",
                 "Actual less target": fmt(less(b)) if less(b) is not None else "-"} for b in bills]
        return table(rows, ["Month", "The plan's target", "Actual", "Actual less target"],
                     numeric=["The plan's target", "Actual", "Actual less target"],
                     caption="The plan's target: the bill at the baseline less each cost lever's saving from the day "
                     "its activity was planned done.")

    @section
    def roi_table(self) -> Html:
        r = self.result.roi
        realised = r.realised_value is not None
        sources = {k: v for k, v in r.realised_by_source.items() if abs(v) >= 0.5}
        fmt = self.money_format(r.promised_value, r.promised_cost, r.promised_net, r.realised_value, r.realised_cost,
                                r.realised_net, *sources.values())

        def cell(amount: float | None) -> str:
            return fmt(amount) if amount is not None else "not reported"

        rows = [{"": "Value", "Promised by now": fmt(r.promised_value), "Realised to date": cell(r.realised_value)},
                {"": "Cost", "Promised by now": fmt(r.promised_cost), "Realised to date": cell(r.realised_cost)},
                {"": "Net", "Promised by now": fmt(r.promised_net), "Realised to date": cell(r.realised_net)}]
        rows += [{"": f"of which: {SOURCE_NAMES[k]}", "Promised by now": "", "Realised to date": fmt(v)}
                 for k, v in sources.items()]
        multiple = f"{times(r.promised_multiple)}x" if r.promised_multiple is not None else "-"
        return table(rows, ["", "Promised by now", "Realised to date"], numeric=["Promised by now", "Realised to date"],
                     caption=f"{r.subject}, over the first {count(f'{r.months:.1f}', 'month')}; promised over the "
                     "whole horizon: "
                     f"{multiple}. Realised: the same ROI model timed by the dates things actually happened (the "
                     "launch, each cost lever's activity done), with no slip added; LLM savings count at the "
                     "modelled saving once their lever is live, and the bill above shows whether it followed."
                     + ("" if realised else " Nothing is realised before the client reports actuals."))

    @section
    def incident_table(self) -> Html:
        rows = [{"Date": self.date(i.date), "Severity": i.severity, "What happened": i.summary}
                for i in self.result.incidents]
        return table(rows, ["Date", "Severity", "What happened"], empty="No incident reported.")

    # -- the transition ----------------------------------------------------------------------------------------------

    @section
    def transition(self) -> Html:
        t = self.result.transition
        return fragment("recommendation", title=t.title, summary=t.summary, reasons=t.reasons, context=t.also,
                        tone=TONE[t.outcome])

    @section
    def hiring_brief(self) -> Html:
        """The role profile and the brief a search firm starts from, when the recommendation is a hire."""
        role = self.result.transition.role
        if role is None:
            return Html("")
        p, profile = self.result, self.context.profile
        reached = [m.title for m in p.milestones if m.actual]
        open_items = [m.title for m in p.milestones if m.state in ("missed", "upcoming")] + p.blockers_open
        rows = [
            {"": "Role", "Brief": role.title},
            {"": "Reports to", "Brief": role.reports_to},
            {"": "Mandate", "Brief": role.mandate},
            {"": "Must have done", "Brief": lines([f"{name}: {text}" for name, text in role.strengths])},
            {"": "First-year outcomes", "Brief": lines(role.first_year)},
            {"": "The company", "Brief": f"{profile.client.name}, {profile.client.industry}; "
                                         f"{count(profile.team.engineers, 'engineer')}, AI experience "
                                         f"{profile.team.ai_experience}"},
            {"": "In place at hand-over", "Brief": lines(reached)},
            {"": "Still open", "Brief": lines(open_items)},
            {"": "Package", "Brief": role.package},
            {"": "Search", "Brief": role.search},
            {"": "Interview loop", "Brief": lines(role.interview_loop)},
        ]
        return Html("<h3>Role profile and hiring brief</h3>" + table(rows, ["", "Brief"]))
