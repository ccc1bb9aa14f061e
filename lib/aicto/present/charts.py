"""Chart builders: plotly figures from lib results, and the MIME bundle every notebook displays them with.

A figure is built as plotly's own JSON (`Chart`: traces and layout as plain dicts, with the default template a
go.Figure carries), not as graph objects: plotly validates every property it is given, which took most of a live
redraw in consultant mode, while the JSON, and so the chart, is the same.

`figure_bundle` holds two representations: plotly's own MIME type, drawn live by JupyterLab, and an HTML fragment
without plotly.js, which nbconvert exports (a consultant-mode redraw sends only the first: nothing exports it). The
board template embeds plotly.js once per file, so every chart renders offline and the library is never repeated per
figure.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import orjson
import plotly.graph_objects as go
import plotly.io as pio

from aicto.model.ai_spend import SpendResult
from aicto.model.costs import CostBreakdown
from aicto.model.readiness import ReadinessResult
from aicto.model.roadmap import Roadmap
from aicto.model.roi import RoiResult
from aicto.profile.activities import ROLE_NAMES
from aicto.profile.playbook import Brand
from aicto.profile.schema import AISpend
from aicto.text.dates import PLOTLY_DATE, PLOTLY_DAY_MONTH, day_month
from aicto.text.money import MoneyFormat, money, money_range
from aicto.text.words import count

PLOTLY_MIME = "application/vnd.plotly.v1+json"
RADAR_LINE = 18  # characters of a dimension name on one line around the radar
CHART_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


class Chart(dict):
    """A plotly figure as its JSON: {"data": [trace, ...], "layout": {...}}."""


UNUSED_SUBPLOTS = ("scene", "geo", "ternary")  # the template's 3-D, map and ternary axes: no report chart has them


@functools.cache
def _template(name: str, kinds: tuple[str, ...]) -> dict:
    """Plotly's template `name` as a chart of these trace types reads it: the defaults of the other two dozen trace
    types and of subplots no report chart has are left out. They were 5 KB of its 7 KB, carried by every chart of
    every output, redraw message and report, and plotly.js never applies them to these traces."""
    full = go.Figure(layout={"template": name}).to_dict()["layout"]["template"]
    return {"data": {kind: defaults for kind, defaults in full["data"].items() if kind in kinds},
            "layout": {key: value for key, value in full["layout"].items() if key not in UNUSED_SUBPLOTS}}


def figure(traces: Iterable[dict], layout: dict) -> Chart:
    """A chart of `traces` with `layout`, in plotly's default template as a go.Figure would have it (trimmed to
    what these traces use)."""
    traces = list(traces)
    kinds = tuple(sorted({t.get("type", "scatter") for t in traces}))
    return Chart(data=traces, layout={**layout, "template": _template(pio.templates.default, kinds)})


def trace(kind: str, **props: Any) -> dict:
    """One trace: its type and the properties given; None leaves a property unset, as in go.Figure."""
    return {"type": kind, **{key: value for key, value in props.items() if value is not None}}


def merged(base: dict, *updates: dict) -> dict:
    """`base` updated as fig.update_layout does: nested dicts key by key, any other value replaced."""
    out = dict(base)
    for update in updates:
        for key, value in update.items():
            old = out.get(key)
            out[key] = merged(old, value) if isinstance(value, dict) and isinstance(old, dict) else value
    return out


def label(text: str) -> str:
    """Client text shown inside a chart: plotly.js interprets a subset of HTML, so escape it."""
    return html.escape(str(text), quote=False)


def base_layout(brand: Brand, title: str, height: int = 420) -> dict:
    return dict(
        title=dict(text=label(title), font=dict(size=16, color=brand.colors.text)),
        font=dict(family=brand.font_family, color=brand.colors.text, size=12),
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin=dict(l=60, r=40, t=60, b=50),
        colorway=[brand.colors.primary, brand.colors.accent, brand.colors.good, brand.colors.warning,
                  brand.colors.muted, brand.colors.bad],
    )


def radar(names: list[str], targets: list[float], series: list[tuple[str, list[float], str]], title: str,
          brand: Brand) -> Chart:
    """Dimension scores (1-5) over the production target, one line per (name, scores, colour); the last filled.

    Dimension names are wrapped onto short lines: around the circle, a long one would run out of a printed page."""
    wrapped = ["<br>".join(label(line) for line in textwrap.wrap(n, RADAR_LINE) or [""]) for n in names]
    closed = wrapped + wrapped[:1]

    def ring(values: list[float]) -> list[float]:
        return [round(v, 2) for v in values] + [round(v, 2) for v in values[:1]]

    traces = [trace("scatterpolar", r=ring(targets), theta=closed, name="Target for production",
                    line=dict(color=brand.colors.muted, dash="dash"))]
    for i, (name, scores, color) in enumerate(series):
        last = i == len(series) - 1
        traces.append(trace("scatterpolar", r=ring(scores), theta=closed, name=name,
                            line=dict(color=color, width=3 if last else 2), fill="toself" if last else None,
                            fillcolor="rgba(31,58,95,0.18)" if last else None))
    return figure(traces, {**base_layout(brand, title, height=480),
                           "polar": dict(radialaxis=dict(range=[0, 5], tickvals=[1, 2, 3, 4, 5])),
                           "legend": dict(orientation="h", y=-0.12)})


def readiness_radar(result: ReadinessResult, brand: Brand) -> Chart:
    return radar([d.name for d in result.dimensions], [d.target for d in result.dimensions],
                 [("Current", [d.score for d in result.dimensions], brand.colors.primary)],
                 "Readiness by dimension (1-5)", brand)


DAY_MS = 86_400_000


def roadmap_gantt(roadmap: Roadmap, phase_names: Mapping[str, str], brand: Brand) -> Chart:
    """One bar per activity, grouped by phase in plan order, with the milestones as diamonds on the top row."""
    colors = {"audit": brand.colors.primary, "build": brand.colors.accent, "transition": brand.colors.good}
    rows = sorted(roadmap.activities, key=lambda a: (list(phase_names).index(a.activity.phase), a.start, a.end))
    top = "Milestones"
    traces = []
    for phase, name in phase_names.items():
        acts = [a for a in rows if a.activity.phase == phase]
        if not acts:
            continue
        traces.append(trace(
            "bar", name=label(name), orientation="h", y=[label(a.activity.title) for a in acts],
            base=[a.start.isoformat() for a in acts], x=[((a.end - a.start).days + 1) * DAY_MS for a in acts],
            marker=dict(color=colors[phase]),
            customdata=[[label(ROLE_NAMES[a.activity.owner]), day_month(a.start, brand.locale),
                         day_month(a.end, brand.locale)]
                        for a in acts],
            hovertemplate="%{y}<br>%{customdata[1]} to %{customdata[2]}, %{customdata[0]}<extra></extra>"))
    traces.append(trace(
        "scatter", name="Milestone", y=[top] * len(roadmap.milestones),
        x=[m.date.isoformat() for m in roadmap.milestones],
        mode="markers+text", marker=dict(symbol="diamond", size=13, color=brand.colors.bad),
        text=[label(m.title) for m in roadmap.milestones], cliponaxis=False,
        textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(roadmap.milestones))],
        hovertemplate=f"%{{text}}: %{{x|{PLOTLY_DATE[brand.locale]}}}<extra></extra>"))
    shapes = [dict(type="line", x0=m.date.isoformat(), x1=m.date.isoformat(), yref="paper", y0=0, y1=1,
                   line=dict(color=brand.colors.muted, width=1, dash="dot"), layer="below")
              for m in roadmap.milestones]
    layout = merged(base_layout(brand, f"The {roadmap.days}-day roadmap by phase, with milestones",
                                height=160 + 26 * (len(rows) + 2)),
                    dict(barmode="overlay", legend=dict(orientation="h", y=-0.08),
                         margin=dict(l=20, r=40, t=60, b=40)))
    if shapes:
        layout["shapes"] = shapes
    layout["yaxis"] = dict(categoryorder="array", categoryarray=[top, *[label(a.activity.title) for a in rows]],
                           autorange="reversed", automargin=True, dtick=1)  # every activity named, in print too
    layout["xaxis"] = dict(type="date", range=[roadmap.start.isoformat(),
                                               (roadmap.end + dt.timedelta(days=2)).isoformat()],
                           tickformat=PLOTLY_DAY_MONTH[brand.locale], dtick=7 * DAY_MS, tick0=roadmap.start.isoformat(),
                           showgrid=True,
                           gridcolor="#eef0f3")
    return figure(traces, layout)


def figure_bundle(chart: Chart, export: bool = True) -> dict:
    """The MIME bundle for one chart: live plotly for JupyterLab, and for the export a plotly.js-free div (which
    repeats the figure's JSON: a consultant's redraw, which nothing exports, leaves it out)."""
    # numpy arrays become JSON lists (plotly's typed-array form saves nothing on a chart's few dozen points, and
    # finding them took most of a redraw's chart time)
    spec = orjson.loads(pio.to_json({"data": chart["data"], "layout": chart["layout"]}, validate=False))
    bundle = {PLOTLY_MIME: spec | {"config": CHART_CONFIG}}
    if export:
        div = pio.to_html(spec, full_html=False, include_plotlyjs=False, include_mathjax=False, config=CHART_CONFIG,
                          default_width="100%", validate=False)
        bundle["text/html"] = f'<div class="aicto-chart">{div}</div>'
    return bundle


TICK_STEPS = (1, 2, 5)  # round steps times a power of ten: whole labels ("$2K, $4K"), never "$2.5K, $7.5K"


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick values covering [low, high] in at most `most` steps of 1, 2 or 5 times a power of ten."""
    if high - low <= 1e-9 * max(abs(low), abs(high), 1.0):  # one value: an axis from it (or zero) to a round step
        high = low + max(abs(low), 1.0)

    def count_from_zero(value: float, step: float, rounding: Any, noise: float) -> int:
        ratio = value / step  # a float's error in the ratio (3.0000000000000004) is not a step more
        return int(rounding(ratio + noise * (1e-15 * abs(ratio) + 1e-12)))

    def first(step: float) -> int:
        return count_from_zero(low, step, np.floor, 1)

    def last(step: float) -> int:
        return count_from_zero(high, step, np.ceil, -1)

    power = 10.0 ** np.floor(np.log10((high - low) / most))
    step = next(s * power * ten for ten in (1, 10, 100) for s in TICK_STEPS
                if last(s * power * ten) - first(s * power * ten) <= most)
    digits = max(0, 1 - int(np.floor(np.log10(step))))  # 0.6, not 0.6000000000000001
    return [round(k * step, digits) for k in range(first(step), last(step) + 1)]


def money_axis(values: Iterable[float], currency: str, locale: str, tozero: bool = True) -> dict:
    """A money axis over `values` labelled as the reports write money (one format for its ticks, the locale's
    suffixes: "$0, $100K, $200K"), not plotly's SI ticks ("$300k", "$2G")."""
    shown = [float(v) for v in values if np.isfinite(v)] or [0.0]
    low, high = min(shown), max(shown)
    ticks = nice_ticks(min(low, 0.0), max(high, 0.0)) if tozero else nice_ticks(low, high)
    written = MoneyFormat.axis(ticks, currency, locale)
    return dict(tickmode="array", tickvals=ticks, ticktext=[written(t) for t in ticks],
                rangemode="tozero" if tozero else "normal")


def money_labels(values: Iterable[float], currency: str, locale: str) -> list[str]:
    """Each amount as the reports write one on its own: a chart's hover labels (customdata)."""
    return [money(float(v), currency, locale) for v in values]


HOVER_X = "%{x}: %{customdata}<extra>%{fullData.name}</extra>"  # a money trace's hover: its amount as written
HOVER_MONTH = "Month %{x}: %{customdata}<extra>%{fullData.name}</extra>"


def horizon_cost_chart(costs: CostBreakdown, brand: Brand, currency: str) -> Chart:
    """Stacked total cost of each option over the horizon (midpoints), with the low-high range of the total."""
    options = list(costs.options.values())
    names = [o.name for o in options]
    parts = [("Leadership fees", lambda o: o.horizon.leadership.mid, brand.colors.primary),
             ("Recruiting and one-time", lambda o: o.horizon.one_time.mid, brand.colors.muted),
             ("Cost of waiting", lambda o: o.horizon.waiting.mid, brand.colors.accent),
             ("Expected cost of failure", lambda o: o.horizon.risk.mid, brand.colors.bad)]
    locale = brand.locale
    traces = []
    for name, value, color in parts:
        amounts = [round(value(o)) for o in options]
        traces.append(trace("bar", name=name, x=names, y=amounts, marker=dict(color=color),
                            customdata=money_labels(amounts, currency, locale), hovertemplate=HOVER_X))
    totals = [o.horizon.total for o in options]
    traces.append(trace(
        "scatter", name="Low-high range of the total", x=names, y=[round(t.mid) for t in totals], mode="markers",
        marker=dict(color=brand.colors.text, size=8, symbol="line-ew-open"),
        error_y=dict(type="data", symmetric=False, array=[t.high - t.mid for t in totals],
                     arrayminus=[t.mid - t.low for t in totals], color=brand.colors.text),
        customdata=[money_range(t.low, t.high, currency, locale) for t in totals], hovertemplate=HOVER_X))
    stacked = [sum(max(value(o), 0.0) for _, value, _ in parts) for o in options]
    return figure(traces, {**base_layout(brand, f"Total cost over {count(costs.horizon_months, 'month')}"),
                           "barmode": "stack", "legend": dict(orientation="h", y=-0.15),
                           "yaxis": money_axis([*stacked, *(t.high for t in totals)], currency, locale)})


def time_to_impact_chart(costs: CostBreakdown, brand: Brand) -> Chart:
    options = list(costs.options.values())
    bars = trace(
        "bar", y=[o.name for o in options],
        x=[o.months_to_impact.high - o.months_to_impact.low or 0.05 for o in options],
        base=[o.months_to_impact.low for o in options], orientation="h",
        marker=dict(color=[brand.colors.muted, brand.colors.warning, brand.colors.good]),
        text=[o.time_to_impact for o in options], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{base:.1f}-%{x:.1f} months<extra></extra>")
    return figure([bars], {**base_layout(brand, "Months until AI leadership has impact (low-high)", height=320),
                           "xaxis": dict(title=dict(text="months"), rangemode="tozero",
                                         range=[0, max(o.months_to_impact.high for o in options) * 1.6])})


def savings_waterfall(spend: SpendResult, brand: Brand, currency: str) -> Chart:
    from aicto.model.ai_spend import LEVER_NAMES

    levers = list(spend.savings_by_lever.items())
    amounts = [spend.current_monthly, *[-v for _, v in levers], spend.optimized_monthly]
    steps = trace(
        "waterfall",
        x=["Current bill", *[LEVER_NAMES[k] for k, _ in levers], "Optimised bill"],
        measure=["absolute", *["relative"] * len(levers), "total"],
        y=[round(spend.current_monthly, 2), *[-round(v, 2) for _, v in levers], 0],
        connector=dict(line=dict(color=brand.colors.muted)),
        decreasing=dict(marker=dict(color=brand.colors.good)),
        increasing=dict(marker=dict(color=brand.colors.bad)),
        totals=dict(marker=dict(color=brand.colors.primary)),
        customdata=money_labels(amounts, currency, brand.locale), hovertemplate="%{x}: %{customdata}<extra></extra>",
    )
    return figure([steps], {**base_layout(brand, "Monthly LLM bill: current to optimised, by lever"),
                            "showlegend": False, "yaxis": money_axis([spend.current_monthly], currency, brand.locale)})


def bill_history_chart(spend: AISpend, brand: Brand, currency: str) -> Chart:
    """The measured bill by month, one stacked bar per model, from the profile's imported usage history."""
    months = sorted({e.month for e in spend.history})
    models = sorted({(e.provider, e.model) for e in spend.history})
    cost = {(e.month, e.provider, e.model): e.cost for e in spend.history}
    traces = []
    for provider, model in models:
        amounts = [round(cost.get((m, provider, model), 0.0), 2) for m in months]
        traces.append(trace("bar", name=label(f"{provider}/{model}"), x=months, y=amounts,
                            customdata=money_labels(amounts, currency, brand.locale), hovertemplate=HOVER_X))
    by_month = [sum(cost.get((m, provider, model), 0.0) for provider, model in models) for m in months]
    growth = f", growing {spend.monthly_growth:+.0%} a month" if spend.monthly_growth is not None else ""
    return figure(traces, {
        **base_layout(brand, f"LLM bill by month and model, measured usage at today's prices{growth}"),
        "barmode": "stack", "legend": dict(orientation="h", y=-0.15), "xaxis": dict(type="category"),
        "yaxis": money_axis(by_month, currency, brand.locale)})


def vertical_line(x: float, color: str, dash: str = "dash") -> dict:
    """A full-height marker line as a plain layout shape."""
    return dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=color, dash=dash))


def month_axis(horizon_months: int) -> dict:
    return dict(title=dict(text="month of the engagement"), dtick=3 if horizon_months > 12 else 1)


def roi_value_chart(roi: RoiResult, brand: Brand, currency: str) -> Chart:
    """The build-up a CFO asks for: value (above the line) and cost (below) by month and by source, with the net."""
    from aicto.model.roi import COST_NAMES, SOURCE_NAMES

    months = list(range(1, roi.horizon_months + 1))
    traces = []
    value_colors = [brand.colors.primary, brand.colors.good, brand.colors.accent, "#7a9cc6", "#9bc59d"]
    locale = brand.locale

    def monthly(series: np.ndarray, name: str, **style: Any) -> dict:
        amounts = series.round()
        return trace(style.pop("kind", "bar"), x=months, y=amounts, name=name, **style,
                     customdata=money_labels(amounts, currency, locale), hovertemplate=HOVER_MONTH)

    for color, (key, series) in zip(value_colors, roi.flows.value.items(), strict=False):
        if np.any(series):
            traces.append(monthly(series, SOURCE_NAMES[key], marker=dict(color=color)))
    cost_colors = [brand.colors.bad, brand.colors.warning, "#b07a7a", "#8c6d62"]
    for color, (key, series) in zip(cost_colors, roi.flows.costs.items(), strict=False):
        if np.any(series):
            traces.append(monthly(-series, COST_NAMES[key], marker=dict(color=color)))
    traces.append(monthly(roi.flows.net, "Net, month by month", kind="scatter", mode="lines+markers",
                          line=dict(color=brand.colors.text, width=2)))
    extent = [*roi.flows.total_value, *(-roi.flows.cost), *roi.flows.net]
    return figure(traces, {
        **base_layout(brand, "Value and cost by month and by source (base case, "
                          f"{count(roi.horizon_months, 'month')})"),
        "barmode": "relative", "legend": dict(orientation="h", y=-0.2), "xaxis": month_axis(roi.horizon_months),
        "yaxis": money_axis(extent, currency, locale)})


def cumulative_cash_chart(roi: RoiResult, brand: Brand, currency: str) -> Chart:
    months = list(range(1, roi.horizon_months + 1))
    value = roi.flows.total_value.cumsum()
    cost = roi.flows.cost.cumsum()
    lines = [(value.round(), "Cumulative value", dict(color=brand.colors.good)),
             (cost.round(), "Cumulative cost", dict(color=brand.colors.bad)),
             ((value - cost).round(), "Cumulative net", dict(color=brand.colors.primary, width=3))]
    traces = [trace("scatter", x=months, y=amounts, name=name, line=line, hovertemplate=HOVER_MONTH,
                    customdata=money_labels(amounts, currency, brand.locale)) for amounts, name, line in lines]
    layout = {**base_layout(brand, "Cumulative cash: value against cost, month by month"),
              "legend": dict(orientation="h", y=-0.18), "xaxis": month_axis(roi.horizon_months),
              "yaxis": money_axis([v for amounts, _, _ in lines for v in amounts], currency, brand.locale)}
    month = roi.base.payback_month
    if month is not None:
        layout["shapes"] = [vertical_line(month, brand.colors.accent)]
        layout["annotations"] = [dict(x=month, y=float(value[month - 1]), text=f"Break-even: month {month}",
                                      showarrow=True, arrowhead=2, font=dict(color=brand.colors.accent))]
    return figure(traces, layout)


def net_value_distribution(roi: RoiResult, brand: Brand, currency: str) -> Chart:
    mc = roi.monte_carlo
    # binned here: the page carries 50 bars, not every draw. Draws that barely differ (a result no uncertain input
    # moves, or a spread below a float's precision at its size) get a range wide enough for 50 distinct bins.
    low, high = float(mc.net_values.min()), float(mc.net_values.max())
    pad = max(abs(high), abs(low), 1.0) * 1e-3
    span = (low, high) if high - low > pad else (low - pad, high + pad)
    counts, edges = np.histogram(mc.net_values, bins=50, range=span)
    bins = [money_range(low, high, currency, brand.locale) for low, high in zip(edges[:-1], edges[1:], strict=True)]
    bars = trace("bar", x=((edges[:-1] + edges[1:]) / 2).round(), y=counts, width=np.diff(edges),
                 marker=dict(color=brand.colors.primary), opacity=0.8, name="Simulated net value",
                 customdata=bins, hovertemplate="Net value %{customdata}: %{y} simulations<extra></extra>")
    marks = [(mc.net_percentile(p), f"P{p}", color)
             for p, color in ((10, brand.colors.bad), (50, brand.colors.text), (90, brand.colors.good))]
    return figure([bars], {
        **base_layout(brand, f"Net value over {count(roi.horizon_months, 'month')}: {count(mc.draws, 'simulation')}"),
        "showlegend": False, "bargap": 0.02, "shapes": [vertical_line(x, color) for x, _, color in marks],
        "annotations": [dict(x=x, y=1, yref="paper", yanchor="bottom", text=text, showarrow=False,
                             font=dict(color=color)) for x, text, color in marks],
        "xaxis": money_axis([edges[0], edges[-1]], currency, brand.locale, tozero=False),
        "yaxis": dict(title=dict(text="simulations"))})


def tornado_chart(roi: RoiResult, brand: Brand, currency: str) -> Chart:
    from aicto.model.roi import DRIVER_NAMES

    base = roi.base.net_value
    rows = list(reversed(roi.tornado))
    names = [DRIVER_NAMES[name] for name, _, _ in rows]
    ends = [("Conservative end", [low for _, low, _ in rows], brand.colors.bad),
            ("Optimistic end", [high for _, _, high in rows], brand.colors.good)]
    traces = [trace("bar", y=names, x=[v - base for v in values], base=base, orientation="h", name=name,
                    marker=dict(color=color), customdata=money_labels(values, currency, brand.locale),
                    hovertemplate="%{y}: net value %{customdata}<extra>%{fullData.name}</extra>")
              for name, values, color in ends]
    layout = merged(base_layout(brand, "What moves net value most (one input at a time)", height=380),
                    dict(shapes=[vertical_line(base, brand.colors.text, dash="solid")], barmode="overlay",
                         legend=dict(orientation="h", y=-0.2), margin=dict(l=220),
                         xaxis=money_axis([base, *ends[0][1], *ends[1][1]], currency, brand.locale, tozero=False)))
    return figure(traces, layout)
