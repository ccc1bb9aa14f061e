"""Charts redrawn in place in JupyterLab: its plotly renderer draws a chart once and ignores display updates
(plotly/plotly.py#3053), so a consultant-mode change would leave every chart as first drawn. This widget, part of
the form, holds each changed chart's newest figure; in the page, chart_redraw.js redraws the chart with plotly.js: at
once when in sight, otherwise when scrolled to. The figures are widget state, not one-off messages, so a page that
draws the widget late (its code still loading) still finds them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from aicto.charts import PLOTLY_MIME

META_PREFIX = "aicto:"  # layout.meta of a report chart: "aicto:<section>", how the page finds it


class ChartRedraw(anywidget.AnyWidget):
    _esm = Path(__file__).with_name("chart_redraw.js")
    # section -> {"version": the redraw that changed it, "figure": plotly figure with its config}
    figures = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs: Any):
        super().__init__(layout=w.Layout(display="none"), **kwargs)
        self.redraws = 0

    @staticmethod
    def tag(bundle: dict, section: str) -> dict:
        """A chart's MIME bundle whose figure names its section, for the page to find the chart to redraw."""
        bundle[PLOTLY_MIME]["layout"]["meta"] = META_PREFIX + section
        return bundle

    def draw(self, figures: Mapping[str, dict]) -> None:
        """Redraw these sections' charts (name -> plotly figure with its config): one state update for all."""
        if figures:
            self.redraws += 1
            self.figures = {**self.figures, **{name: {"version": self.redraws, "figure": figure}
                                               for name, figure in figures.items()}}
