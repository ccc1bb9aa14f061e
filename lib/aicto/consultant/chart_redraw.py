"""Charts redrawn in place in JupyterLab: its plotly renderer draws a chart once and ignores display updates
(plotly/plotly.py#3053), so a consultant-mode change would leave every chart as first drawn. A small widget in the
form holds each changed chart's newest figure; in the page, chart_redraw.js redraws the chart with plotly.js: at once
when in sight, otherwise when scrolled to. The figures are widget state, not one-off messages, so a view of the
widget drawn late still finds them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import anywidget
import ipywidgets as w
import traitlets

from aicto.charts import PLOTLY_MIME

META_PREFIX = "aicto:"  # layout.meta of a report chart: "aicto:<section>", how the page finds it


class ChartWidget(anywidget.AnyWidget):
    _esm = Path(__file__).with_name("chart_redraw.js")
    # section -> {"version": the redraw that changed it, "figure": plotly figure with its config}
    figures = traitlets.Dict().tag(sync=True)
    prefix = traitlets.Unicode(META_PREFIX).tag(sync=True)  # the page finds the report's charts by it


class ChartRedraw:
    """Marks a live notebook's charts and sends their new figures to the page, through a widget in `host`."""

    def __init__(self, host: w.Box):
        self.host = host
        self.widget: ChartWidget | None = None
        self.redraws = 0

    @staticmethod
    def tag(bundle: dict, section: str) -> dict:
        """A chart's MIME bundle whose figure names its section, for the page to find the chart to redraw."""
        bundle[PLOTLY_MIME]["layout"]["meta"] = META_PREFIX + section
        return bundle

    def draw(self, figures: Mapping[str, dict]) -> None:
        """Redraw these sections' charts (name -> plotly figure with its config): one state update for all."""
        if not figures:
            return
        self.redraws += 1
        latest = {**(self.widget.figures if self.widget else {}),
                  **{name: {"version": self.redraws, "figure": figure} for name, figure in figures.items()}}
        if self.widget is None:
            # made at the first redraw, not with the form: anywidget gives a new model 2 s to load its code, which a
            # page still drawing a freshly run notebook's charts can exceed (the widget then never draws)
            self.widget = ChartWidget(figures=latest, layout=w.Layout(display="none"))
            self.host.children = (*self.host.children, self.widget)
        else:
            self.widget.figures = latest
