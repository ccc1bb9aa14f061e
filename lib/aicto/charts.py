"""Chart builders: plotly figures from lib results, and the MIME bundle every notebook displays them with.

`figure_bundle` holds two representations: plotly's own MIME type, drawn live by JupyterLab, and an HTML fragment
without plotly.js, which nbconvert exports. The board template embeds plotly.js once per file, so every chart renders
offline and the library is never repeated per figure.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import textwrap
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from aicto.activities import ROLE_NAMES
from aicto.ai_spend import SpendResult
from aicto.costs import CostBreakdown
from aicto.dates import PLOTLY_DATE, PLOTLY_DAY_MONTH, day_month
from aicto.money import currency_symbol
from aicto.playbook import Brand
from aicto.profile import AISpend
from aicto.readiness import ReadinessResult
from aicto.roadmap import Roadmap
from aicto.roi import RoiResult
from aicto.words import count

PLOTLY_MIME = "application/vnd.plotly.v1+json"
RADAR_LINE = 18  # characters of a dimension name on one line around the radar
CHART_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


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
          brand: Brand) -> go.Figure:
    """Dimension scores (1-5) over the production target, one line per (name, scores, colour); the last filled.

    Dimension names are wrapped onto short lines: around the circle, a long one would run out of a printed page."""
    wrapped = ["<br>".join(label(line) for line in textwrap.wrap(n, RADAR_LINE) or [""]) for n in names]
    closed = wrapped + wrapped[:1]

    def ring(values: list[float]) -> list[float]:
        return [round(v, 2) for v in values] + [round(v, 2) for v in values[:1]]

    fig = go.Figure()
    fig.add_trace(go.Scatterpolar(r=ring(targets), theta=closed, name="Target for production",
                                  line=dict(color=brand.colors.muted, dash="dash"), fill=None))
    for i, (name, scores, color) in enumerate(series):
        last = i == len(series) - 1
        fig.add_trace(go.Scatterpolar(r=ring(scores), theta=closed, name=name,
                                      line=dict(color=color, width=3 if last else 2), fill="toself" if last else None,
                                      fillcolor="rgba(31,58,95,0.18)" if last else None))
    fig.update_layout(**base_layout(brand, title, height=480))
    fig.update_layout(polar=dict(radialaxis=dict(range=[0, 5], tickvals=[1, 2, 3, 4, 5])),
                      legend=dict(orientation="h", y=-0.12))
    return fig


def readiness_radar(result: ReadinessResult, brand: Brand) -> go.Figure:
    return radar([d.name for d in result.dimensions], [d.target for d in result.dimensions],
                 [("Current", [d.score for d in result.dimensions], brand.colors.primary)],
                 "Readiness by dimension (1-5)", brand)


DAY_MS = 86_400_000


def roadmap_gantt(roadmap: Roadmap, phase_names: Mapping[str, str], brand: Brand) -> go.Figure:
    """One bar per activity, grouped by phase in plan order, with the milestones as diamonds on the top row."""
    colors = {"audit": brand.colors.primary, "build": brand.colors.accent, "transition": brand.colors.good}
    rows = sorted(roadmap.activities, key=lambda a: (list(phase_names).index(a.activity.phase), a.start, a.end))
    top = "Milestones"
    fig = go.Figure()
    for phase, name in phase_names.items():
        acts = [a for a in rows if a.activity.phase == phase]
        if not acts:
            continue
        fig.add_trace(go.Bar(
            name=label(name), orientation="h", y=[label(a.activity.title) for a in acts],
            base=[a.start.isoformat() for a in acts], x=[((a.end - a.start).days + 1) * DAY_MS for a in acts],
            marker_color=colors[phase],
            customdata=[[label(ROLE_NAMES[a.activity.owner]), day_month(a.start, brand.locale),
                         day_month(a.end, brand.locale)] for a in acts],
            hovertemplate="%{y}<br>%{customdata[1]} to %{customdata[2]}, %{customdata[0]}<extra></extra>"))
    fig.add_trace(go.Scatter(
        name="Milestone", y=[top] * len(roadmap.milestones), x=[m.date.isoformat() for m in roadmap.milestones],
        mode="markers+text", marker=dict(symbol="diamond", size=13, color=brand.colors.bad),
        text=[label(m.title) for m in roadmap.milestones], cliponaxis=False,
        textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(roadmap.milestones))],
        hovertemplate=f"%{{text}}: %{{x|{PLOTLY_DATE[brand.locale]}}}<extra></extra>"))
    for m in roadmap.milestones:
        fig.add_shape(type="line", x0=m.date.isoformat(), x1=m.date.isoformat(), yref="paper", y0=0, y1=1,
                      line=dict(color=brand.colors.muted, width=1, dash="dot"), layer="below")
    fig.update_layout(**base_layout(brand, f"The {roadmap.days}-day roadmap by phase, with milestones",
                                    height=160 + 26 * (len(rows) + 2)))
    fig.update_layout(barmode="overlay", legend=dict(orientation="h", y=-0.08), margin=dict(l=20, r=40, t=60, b=40))
    fig.update_yaxes(categoryorder="array", categoryarray=[top, *[label(a.activity.title) for a in rows]],
                     autorange="reversed", automargin=True, dtick=1)  # every activity named, printed smaller too
    fig.update_xaxes(type="date", range=[roadmap.start.isoformat(), (roadmap.end + dt.timedelta(days=2)).isoformat()],
                     tickformat=PLOTLY_DAY_MONTH[brand.locale], dtick=7 * DAY_MS, tick0=roadmap.start.isoformat(),
                     showgrid=True,
                     gridcolor="#eef0f3")
    return fig


def figure_bundle(fig: go.Figure) -> dict:
    """The MIME bundle for one figure: live plotly for JupyterLab, a plotly.js-free div for the export."""
    spec = json.loads(pio.to_json(fig, validate=False))
    spec["config"] = CHART_CONFIG
    div = pio.to_html(fig, full_html=False, include_plotlyjs=False, include_mathjax=False, config=CHART_CONFIG,
                      default_width="100%")
    return {PLOTLY_MIME: spec, "text/html": f'<div class="aicto-chart">{div}</div>'}



def money_axis(currency: str, locale: str) -> dict:
    """A money axis with the currency's symbol as the locale writes it (CLDR: "$", "£", "US$" in en-GB)."""
    return dict(tickprefix=currency_symbol(currency, locale), separatethousands=True,
                tickformat="~s", rangemode="tozero")


def horizon_cost_chart(costs: CostBreakdown, brand: Brand, currency: str) -> go.Figure:
    """Stacked total cost of each option over the horizon (midpoints), with the low-high range of the total."""
    options = list(costs.options.values())
    names = [o.name for o in options]
    parts = [("Leadership fees", lambda o: o.horizon.leadership.mid, brand.colors.primary),
             ("Recruiting and one-time", lambda o: o.horizon.one_time.mid, brand.colors.muted),
             ("Cost of waiting", lambda o: o.horizon.waiting.mid, brand.colors.accent),
             ("Expected cost of failure", lambda o: o.horizon.risk.mid, brand.colors.bad)]
    fig = go.Figure()
    for name, value, color in parts:
        fig.add_trace(go.Bar(name=name, x=names, y=[round(value(o)) for o in options], marker_color=color))
    totals = [o.horizon.total for o in options]
    fig.add_trace(go.Scatter(
        name="Low-high range of the total", x=names, y=[round(t.mid) for t in totals], mode="markers",
        marker=dict(color=brand.colors.text, size=8, symbol="line-ew-open"),
        error_y=dict(type="data", symmetric=False, array=[t.high - t.mid for t in totals],
                     arrayminus=[t.mid - t.low for t in totals], color=brand.colors.text)))
    fig.update_layout(**base_layout(brand, f"Total cost over {count(costs.horizon_months, 'month')}"), barmode="stack",
                      legend=dict(orientation="h", y=-0.15))
    fig.update_yaxes(**money_axis(currency, brand.locale))
    return fig


def time_to_impact_chart(costs: CostBreakdown, brand: Brand) -> go.Figure:
    options = list(costs.options.values())
    fig = go.Figure(go.Bar(
        y=[o.name for o in options], x=[o.months_to_impact.high - o.months_to_impact.low or 0.05 for o in options],
        base=[o.months_to_impact.low for o in options], orientation="h",
        marker_color=[brand.colors.muted, brand.colors.warning, brand.colors.good],
        text=[o.time_to_impact for o in options], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{base:.1f}-%{x:.1f} months<extra></extra>"))
    fig.update_layout(**base_layout(brand, "Months until AI leadership has impact (low-high)", height=320))
    fig.update_xaxes(title="months", rangemode="tozero", range=[0, max(o.months_to_impact.high for o in options) * 1.6])
    return fig


def savings_waterfall(spend: SpendResult, brand: Brand, currency: str) -> go.Figure:
    from aicto.ai_spend import LEVER_NAMES

    levers = list(spend.savings_by_lever.items())
    fig = go.Figure(go.Waterfall(
        x=["Current bill", *[LEVER_NAMES[k] for k, _ in levers], "Optimised bill"],
        measure=["absolute", *["relative"] * len(levers), "total"],
        y=[round(spend.current_monthly, 2), *[-round(v, 2) for _, v in levers], 0],
        connector=dict(line=dict(color=brand.colors.muted)),
        decreasing=dict(marker=dict(color=brand.colors.good)),
        increasing=dict(marker=dict(color=brand.colors.bad)),
        totals=dict(marker=dict(color=brand.colors.primary)),
    ))
    fig.update_layout(**base_layout(brand, "Monthly LLM bill: current to optimised, by lever"), showlegend=False)
    fig.update_yaxes(**money_axis(currency, brand.locale))
    return fig


def bill_history_chart(spend: AISpend, brand: Brand, currency: str) -> go.Figure:
    """The measured bill by month, one stacked bar per model, from the profile's imported usage history."""
    months = sorted({e.month for e in spend.history})
    models = sorted({(e.provider, e.model) for e in spend.history})
    cost = {(e.month, e.provider, e.model): e.cost for e in spend.history}
    fig = go.Figure()
    for provider, model in models:
        fig.add_trace(go.Bar(name=label(f"{provider}/{model}"), x=months,
                             y=[round(cost.get((m, provider, model), 0.0), 2) for m in months],
                             hovertemplate="%{x}: %{y:,.0f}<extra>%{fullData.name}</extra>"))
    growth = f", growing {spend.monthly_growth:+.0%} a month" if spend.monthly_growth is not None else ""
    fig.update_layout(**base_layout(brand, f"LLM bill by month and model, measured usage at today's prices{growth}"),
                      barmode="stack", legend=dict(orientation="h", y=-0.15))
    fig.update_xaxes(type="category")
    fig.update_yaxes(**money_axis(currency, brand.locale))
    return fig


def vertical_line(x: float, color: str, dash: str = "dash") -> dict:
    """A full-height marker line as a plain layout shape (plotly's add_vline is slow for live redraws)."""
    return dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=color, dash=dash))


def roi_value_chart(roi: RoiResult, brand: Brand, currency: str) -> go.Figure:
    """The build-up a CFO asks for: value (above the line) and cost (below) by month and by source, with the net."""
    from aicto.roi import COST_NAMES, SOURCE_NAMES

    months = list(range(1, roi.horizon_months + 1))
    fig = go.Figure()
    value_colors = [brand.colors.primary, brand.colors.good, brand.colors.accent, "#7a9cc6", "#9bc59d"]
    for color, (key, series) in zip(value_colors, roi.flows.value.items(), strict=False):
        if np.any(series):
            fig.add_trace(go.Bar(x=months, y=series.round(), name=SOURCE_NAMES[key], marker_color=color))
    cost_colors = [brand.colors.bad, brand.colors.warning, "#b07a7a", "#8c6d62"]
    for color, (key, series) in zip(cost_colors, roi.flows.costs.items(), strict=False):
        if np.any(series):
            fig.add_trace(go.Bar(x=months, y=(-series).round(), name=COST_NAMES[key], marker_color=color))
    fig.add_trace(go.Scatter(x=months, y=roi.flows.net.round(), name="Net, month by month", mode="lines+markers",
                             line=dict(color=brand.colors.text, width=2)))
    fig.update_layout(**base_layout(brand, "Value and cost by month and by source (base case, "
                                           f"{count(roi.horizon_months, 'month')})"), barmode="relative",
                      legend=dict(orientation="h", y=-0.2))
    fig.update_xaxes(title="month of the engagement", dtick=3 if roi.horizon_months > 12 else 1)
    fig.update_yaxes(**{**money_axis(currency, brand.locale), "rangemode": "normal"})
    return fig


def cumulative_cash_chart(roi: RoiResult, brand: Brand, currency: str) -> go.Figure:
    months = list(range(1, roi.horizon_months + 1))
    value = roi.flows.total_value.cumsum()
    cost = roi.flows.cost.cumsum()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months, y=value.round(), name="Cumulative value", line=dict(color=brand.colors.good)))
    fig.add_trace(go.Scatter(x=months, y=cost.round(), name="Cumulative cost", line=dict(color=brand.colors.bad)))
    fig.add_trace(go.Scatter(x=months, y=(value - cost).round(), name="Cumulative net",
                             line=dict(color=brand.colors.primary, width=3)))
    month = roi.base.payback_month
    if month is not None:
        fig.update_layout(shapes=[vertical_line(month, brand.colors.accent)])
        fig.add_annotation(x=month, y=float(value[month - 1]), text=f"Break-even: month {month}", showarrow=True,
                           arrowhead=2, font=dict(color=brand.colors.accent))
    fig.update_layout(**base_layout(brand, "Cumulative cash: value against cost, month by month"),
                      legend=dict(orientation="h", y=-0.18))
    fig.update_xaxes(title="month of the engagement", dtick=3 if roi.horizon_months > 12 else 1)
    fig.update_yaxes(**{**money_axis(currency, brand.locale), "rangemode": "normal"})
    return fig


def net_value_distribution(roi: RoiResult, brand: Brand, currency: str) -> go.Figure:
    mc = roi.monte_carlo
    counts, edges = np.histogram(mc.net_values, bins=50)  # binned here: the page carries 50 bars, not every draw
    fig = go.Figure(go.Bar(x=((edges[:-1] + edges[1:]) / 2).round(), y=counts, width=np.diff(edges),
                           marker_color=brand.colors.primary, opacity=0.8, name="Simulated net value"))
    marks = [(mc.net_percentile(p), f"P{p}", color)
             for p, color in ((10, brand.colors.bad), (50, brand.colors.text), (90, brand.colors.good))]
    fig.update_layout(**base_layout(brand, f"Net value over {count(roi.horizon_months, 'month')}: "
                                           f"{count(mc.draws, 'simulation')}"),
                      showlegend=False, bargap=0.02, shapes=[vertical_line(x, color) for x, _, color in marks],
                      annotations=[dict(x=x, y=1, yref="paper", yanchor="bottom", text=text, showarrow=False,
                                        font=dict(color=color)) for x, text, color in marks])
    fig.update_xaxes(**{**money_axis(currency, brand.locale), "rangemode": "normal"})
    fig.update_yaxes(title="simulations")
    return fig


def tornado_chart(roi: RoiResult, brand: Brand, currency: str) -> go.Figure:
    from aicto.roi import DRIVER_NAMES

    base = roi.base.net_value
    rows = list(reversed(roi.tornado))
    names = [DRIVER_NAMES[name] for name, _, _ in rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=[low - base for _, low, _ in rows], base=base, orientation="h",
                         name="Conservative end", marker_color=brand.colors.bad))
    fig.add_trace(go.Bar(y=names, x=[high - base for _, _, high in rows], base=base, orientation="h",
                         name="Optimistic end", marker_color=brand.colors.good))
    fig.update_layout(shapes=[vertical_line(base, brand.colors.text, dash="solid")])
    fig.update_layout(**base_layout(brand, "What moves net value most (one input at a time)", height=380),
                      barmode="overlay", legend=dict(orientation="h", y=-0.2))
    fig.update_layout(margin=dict(l=220))
    fig.update_xaxes(**{**money_axis(currency, brand.locale), "rangemode": "normal"})
    return fig
