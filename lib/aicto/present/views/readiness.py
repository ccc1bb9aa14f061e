"""The readiness report's sections, each one call from notebooks/01_readiness.ipynb."""

from __future__ import annotations

from functools import cached_property

from aicto.model.readiness import ReadinessResult
from aicto.present import charts
from aicto.present.charts import Chart
from aicto.present.views.common import Html, Kpi, View, fragment, kpis, narrative, section, table
from aicto.text.words import count_words, sentence_start

TONE = {"fractional": "good", "full_time": "warning", "agency_or_cofounder": "warning", "product_first": "bad"}


class ReadinessView(View):
    @cached_property
    def result(self) -> ReadinessResult:
        return self.result_engagement.readiness

    @section
    def executive_summary(self) -> Html:
        r = self.result
        strongest = max(r.dimensions, key=lambda d: (d.score - d.target, d.score))
        return narrative(
            self.context.playbook, "readiness_summary.html.j2",
            client=self.context.profile.client.name, index=f"{r.index:.0f}", tier=r.tier,
            tier_meaning=r.tier_meaning, top_gaps=[d.name for d in r.top_dimension_gaps[:3]],
            blockers=[b.title for b in r.blockers], fit_title=r.fit.title, fit_summary=r.fit.summary,
            recommendation=r.fit.recommendation, strongest=strongest.name,
        )

    @section
    def headline(self) -> Html:
        r = self.result
        return kpis([
            Kpi("Readiness index", f"{r.index:.0f}/100",
                f"weighted across {count_words(len(r.dimensions), 'dimension')}"),
            Kpi("Tier", r.tier, r.tier_meaning),
            Kpi("Launch blockers", str(len(r.blockers)), "must be fixed before production",
                "bad" if r.blockers else "good"),
            Kpi("Recommendation", r.fit.title, "", TONE[r.fit.recommendation]),
        ])

    @section
    def radar(self) -> Chart:
        return charts.readiness_radar(self.result, self.context.playbook.brand)

    @section
    def dimension_table(self) -> Html:
        rows = [{"Dimension": d.name, "Score": f"{d.score:.1f}", "Target": f"{d.target:g}",
                 "Weight": f"{d.weight:g}", "Weighted gap": f"{d.gap:.2f}"} for d in self.result.dimensions]
        return table(rows, ["Dimension", "Score", "Target", "Weight", "Weighted gap"],
                     numeric=["Score", "Target", "Weight", "Weighted gap"])

    @section
    def gap_table(self, limit: int = 12) -> Html:
        gaps = self.result.gaps
        rows = [{"#": i, "Dimension": g.dimension, "Question": g.question, "Score": g.score,
                 "Evidence": g.note or "-", "Next level looks like": g.next_level}
                for i, g in enumerate(gaps[:limit], start=1)]
        more = len(gaps) - limit
        caption = "Ranked by weighted gap to the production target."
        if more > 0:
            caption += f" {sentence_start(count_words(more, 'smaller gap'))} not shown."
        return table(rows, ["#", "Dimension", "Question", "Score", "Evidence", "Next level looks like"],
                     numeric=["#", "Score"], caption=caption, empty="No answer is below its target.")

    @section
    def blockers(self) -> Html:
        items = [{"title": f"{b.title} (score {b.score:.1f})", "body": b.why} for b in self.result.blockers]
        return fragment("callouts", items=items, tone="bad", heading="",
                        empty="No blocker: nothing in the assessment stops a production launch outright.")

    @section
    def recommendation(self) -> Html:
        fit = self.result.fit
        context = [s for s in fit.fit_signals if s not in fit.reasons]
        return fragment("recommendation", title=fit.title, summary=fit.summary, reasons=fit.reasons,
                        context=context, tone=TONE[fit.recommendation])
