"""Chart builders: plotly figures from lib results, and the MIME bundle every notebook displays them with.

`figure_bundle` holds two representations: plotly's own MIME type, drawn live by JupyterLab, and an HTML fragment
without plotly.js, which nbconvert exports. The board template embeds plotly.js once per file, so every chart renders
offline and the library is never repeated per figure.
"""

from __future__ import annotations

import html
import json

import plotly.graph_objects as go
import plotly.io as pio

from aicto.playbook import Brand
from aicto.readiness import ReadinessResult

PLOTLY_MIME = "application/vnd.plotly.v1+json"
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


def readiness_radar(result: ReadinessResult, brand: Brand) -> go.Figure:
    names = [label(d.name) for d in result.dimensions]
    closed = names + names[:1]
    scores = [round(d.score, 2) for d in result.dimensions]
    targets = [d.target for d in result.dimensions]
    fig = go.Figure()
    fig.add_trace(go.Scatterpolar(r=targets + targets[:1], theta=closed, name="Target for production",
                                  line=dict(color=brand.colors.muted, dash="dash"), fill=None))
    fig.add_trace(go.Scatterpolar(r=scores + scores[:1], theta=closed, name="Current",
                                  line=dict(color=brand.colors.primary, width=3), fill="toself",
                                  fillcolor="rgba(31,58,95,0.18)"))
    fig.update_layout(**base_layout(brand, "Readiness by dimension (1-5)", height=480))
    fig.update_layout(polar=dict(radialaxis=dict(range=[0, 5], tickvals=[1, 2, 3, 4, 5])),
                      legend=dict(orientation="h", y=-0.12))
    return fig


def figure_bundle(fig: go.Figure) -> dict:
    """The MIME bundle for one figure: live plotly for JupyterLab, a plotly.js-free div for the export."""
    spec = json.loads(pio.to_json(fig, validate=False))
    spec["config"] = CHART_CONFIG
    div = pio.to_html(fig, full_html=False, include_plotlyjs=False, include_mathjax=False, config=CHART_CONFIG,
                      default_width="100%")
    return {PLOTLY_MIME: spec, "text/html": f'<div class="aicto-chart">{div}</div>'}

