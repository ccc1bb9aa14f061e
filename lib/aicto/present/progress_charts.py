"""The progress report's charts: readiness then and now, the burn-up, the plan with its actual bars, the bill against
the plan's target. Same brand, layout and export bundle as every other chart (charts.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from aicto.model.progress import Progress
from aicto.present.charts import (
    DAY_MS,
    HOVER_X,
    Chart,
    base_layout,
    figure,
    label,
    merged,
    money_axis,
    money_labels,
    radar,
    trace,
)
from aicto.profile.playbook import Brand
from aicto.text.dates import PLOTLY_DAY_MONTH, day_month, long_date
from aicto.text.words import count

DONE = ("done", "done_late", "unplanned")
STATE_COLORS = {"on_time": "good", "done": "good", "late": "warning", "done_late": "warning", "missed": "bad",
                "overdue": "bad", "in_progress": "accent", "unplanned": "muted"}


def _color(brand: Brand, state: str) -> str:
    return getattr(brand.colors, STATE_COLORS.get(state, "muted"))


def _today(day: dt.date, brand: Brand) -> tuple[dict, dict]:
    """The report's date as a dotted line with its label: (shape, annotation)."""
    return (dict(type="line", x0=day.isoformat(), x1=day.isoformat(), yref="paper", y0=0, y1=1,
                 line=dict(color=brand.colors.text, width=1, dash="dot")),
            dict(x=day.isoformat(), y=1, yref="paper", yanchor="bottom", showarrow=False,
                 text=f"as of {day_month(day, brand.locale)}", font=dict(color=brand.colors.text, size=11)))


def readiness_then_now(p: Progress, brand: Brand) -> Chart:
    """The radar with the baseline and now over the production target."""
    return radar([d.name for d in p.dimensions], [d.target for d in p.dimensions], [
        (f"Baseline ({long_date(p.baseline.date, brand.locale)})", [d.then for d in p.dimensions], brand.colors.accent),
        (f"Now ({long_date(p.as_of, brand.locale)})", [d.now for d in p.dimensions], brand.colors.primary),
    ], "Readiness by dimension (1-5): baseline and now", brand)


def burn_up(p: Progress, brand: Brand) -> Chart:
    """Activities of the baseline plan done, planned against actual, week by week."""
    points = p.burn_up()
    total = len(p.planned_activities)
    actual = [pt for pt in points if pt.actual is not None]
    traces = [trace("scatter", x=[pt.day.isoformat() for pt in points], y=[pt.planned for pt in points],
                    name="Planned done", mode="lines", line=dict(color=brand.colors.muted, dash="dash")),
              trace("scatter", x=[pt.day.isoformat() for pt in actual], y=[pt.actual for pt in actual],
                    name="Actually done", mode="lines+markers", line=dict(color=brand.colors.primary, width=3))]
    today, as_of = _today(p.as_of, brand)
    return figure(traces, {
        **base_layout(brand, "Burn-up: activities of the plan done, planned against actual", height=380),
        "shapes": [dict(type="line", xref="paper", x0=0, x1=1, y0=total, y1=total,
                        line=dict(color=brand.colors.text, width=1)), today],
        "annotations": [dict(xref="paper", x=0, y=total, xanchor="left", yanchor="bottom", showarrow=False,
                             text=f"{count(total, 'activity')} in the plan", font=dict(size=11)), as_of],
        "legend": dict(orientation="h", y=-0.18), "xaxis": dict(type="date", tickformat=PLOTLY_DAY_MONTH[brand.locale]),
        "yaxis": dict(title=dict(text="activities done"), rangemode="tozero", range=[0, total * 1.12 + 1])})


def plan_against_actual(p: Progress, phase_names: Mapping[str, str], brand: Brand) -> Chart:
    """The baseline plan's bars, with each activity's actual bar over it (start to done, or to the report while
    open) and the milestones planned and reached."""
    phases = list(phase_names)
    rows = sorted(p.planned_activities, key=lambda a: (phases.index(a.planned.phase) if a.planned else 0,
                                                       a.planned.start if a.planned else dt.date.min))
    titles = [label(a.title) for a in rows]
    top = "Milestones"
    worked = [a for a in rows if a.started or a.done or a.state == "overdue"]
    starts = [a.started or (a.planned.start if a.planned else p.as_of) for a in worked]
    ends = [a.done or p.as_of for a in worked]
    planned = [m for m in p.milestones if m.planned]
    reached = [m for m in p.milestones if m.actual]
    traces = [
        trace("bar", name="Planned", orientation="h", y=titles,
              base=[a.planned.start.isoformat() for a in rows if a.planned],
              x=[((a.planned.end - a.planned.start).days + 1) * DAY_MS for a in rows if a.planned],
              marker=dict(color=brand.colors.muted), opacity=0.35, width=0.8,
              hovertemplate="%{y}: planned<extra></extra>"),
        trace("bar", name="Actual", orientation="h", y=[label(a.title) for a in worked],
              base=[s.isoformat() for s in starts],
              x=[max((e - s).days + 1, 1) * DAY_MS for s, e in zip(starts, ends, strict=True)], width=0.4,
              marker=dict(color=[_color(brand, a.state) for a in worked],
                          pattern=dict(shape=["/" if a.started is None and a.done is None else "" for a in worked])),
              customdata=[a.state.replace("_", " ") + ("" if a.started or a.done else ", not started")
                          for a in worked],
              hovertemplate="%{y}: %{customdata}<extra></extra>"),
        trace("scatter", name="Milestone planned", y=[top] * len(planned),
              x=[m.planned.isoformat() for m in planned if m.planned],
              mode="markers", marker=dict(symbol="diamond-open", size=13, line=dict(width=2),
                                          color=[_color(brand, m.state) if m.state == "missed" else brand.colors.text
                                                 for m in planned]),
              text=[label(m.title) for m in planned],
              hovertemplate=f"%{{text}}: planned %{{x|{PLOTLY_DAY_MONTH[brand.locale]}}}<extra></extra>"),
        trace("scatter", name="Milestone reached", y=[top] * len(reached),
              x=[m.actual.isoformat() for m in reached if m.actual],
              mode="markers", marker=dict(symbol="diamond", size=11, color=[_color(brand, m.state) for m in reached]),
              text=[label(m.title) for m in reached],
              hovertemplate=f"%{{text}}: reached %{{x|{PLOTLY_DAY_MONTH[brand.locale]}}}<extra></extra>"),
    ]
    today, as_of = _today(p.as_of, brand)
    layout = merged(base_layout(brand, "The plan agreed at the baseline, with what actually happened",
                                height=160 + 26 * (len(rows) + 2)),
                    dict(shapes=[today], annotations=[as_of], barmode="overlay", legend=dict(orientation="h", y=-0.06),
                         margin=dict(l=20, r=40, t=60, b=40),
                         yaxis=dict(categoryorder="array", categoryarray=[top, *titles], autorange="reversed",
                                    automargin=True, dtick=1),  # every activity named, in print too
                         xaxis=dict(type="date", tickformat=PLOTLY_DAY_MONTH[brand.locale], dtick=7 * DAY_MS,
                                    tick0=p.baseline.plan.start.isoformat(), showgrid=True, gridcolor="#eef0f3")))
    return figure(traces, layout)


def bill_against_target(p: Progress, brand: Brand, currency: str, tolerance: float) -> Chart:
    """The bill month by month against the plan's target, and the bill at the baseline."""
    months = [b.month for b in p.bill]
    reported = [b for b in p.bill if b.actual is not None]
    over = [b.target is not None and b.actual is not None and b.actual > b.target * (1 + tolerance) for b in reported]
    planned = [b for b in p.bill if b.target is not None]
    actual = [round(b.actual or 0.0) for b in reported]
    target = [round(b.target or 0.0) for b in planned]
    baseline = [round(p.bill_then)] * len(months)

    def hover(amounts: list[int]) -> dict:
        return dict(customdata=money_labels(amounts, currency, brand.locale), hovertemplate=HOVER_X)

    traces = [
        trace("bar", x=[b.month for b in reported], y=actual, name="Actual bill",
              marker=dict(color=[brand.colors.bad if o else brand.colors.primary for o in over]), **hover(actual)),
        trace("scatter", x=[b.month for b in planned], y=target, name="The plan's target", mode="lines+markers",
              line=dict(color=brand.colors.good, width=3), **hover(target)),
        trace("scatter", x=months, y=baseline, name="Bill at the baseline", mode="lines",
              line=dict(color=brand.colors.muted, dash="dash"), **hover(baseline)),
    ]
    return figure(traces, {**base_layout(brand, "Monthly LLM bill against the plan's target", height=380),
                           "legend": dict(orientation="h", y=-0.18), "xaxis": dict(type="category"),
                           "yaxis": money_axis([*actual, *target, *baseline], currency, brand.locale)})
