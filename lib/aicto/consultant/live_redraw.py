"""Results redrawn in place in JupyterLab, in one message per batch of sections.

JupyterLab handles a display update as a change of the notebook document: it re-renders the output, re-reads the
cell's headings, measures the output's layout and updates the toolbar, 6-10 ms of the page's main thread for each of
the dozen sections a change moves, while the page draws nothing else. Its plotly renderer also ignores display
updates (plotly/plotly.py#3053). So a small widget in the form holds each changed section's newest content (an HTML
section's HTML, a chart's figure) and, in the page, live_redraw.js puts it in place: all of a batch in one message,
HTML at once, a chart with plotly.js when in sight. The notebook's own outputs (what a saved notebook holds) follow
when the consultant pauses, OUTPUTS_AFTER_S after the last change; at once while no view of the widget has found the
notebook's sections in its page (the first redraw; a front-end whose widgets cannot reach the outputs). The contents
are widget state, not one-off messages, so a view of the widget drawn late still finds them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from aicto.present.views.common import LIVE_PREFIX

OUTPUTS_AFTER_S = 2.0  # a pause this long after a change: the notebook's outputs catch up with the page


class LiveWidget(anywidget.AnyWidget):
    _esm = Path(__file__).with_name("live_redraw.js")
    # section -> {"version": the redraw that changed it, and "html": its HTML or "figure": its plotly figure}
    sections = traitlets.Dict().tag(sync=True)
    prefix = traitlets.Unicode(LIVE_PREFIX).tag(sync=True)  # the page finds the report's charts by it


class LiveRedraw:
    """Sends a live notebook's changed sections to the page through a widget in `host`, and updates the notebook's
    outputs after."""

    def __init__(self, host: w.Box):
        self.host = host
        self.widget: LiveWidget | None = None
        self.drawing = False  # a view of the widget found the notebook's sections in its page
        self._pending: asyncio.TimerHandle | None = None

    def draw(self, sections: Mapping[str, dict], update_outputs: Callable[[], None]) -> None:
        """Draw these sections (name -> {"version", "html" or "figure"}) in the page: one state update for all; then
        `update_outputs`, at once while no view draws them, otherwise when the consultant pauses."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        latest = {**(self.widget.sections if self.widget else {}), **sections}
        if self.widget is None:
            # made at the first redraw, not with the form: anywidget gives a new model 2 s to load its code, which a
            # page still drawing a freshly run notebook's charts can exceed (the widget then never draws)
            self.widget = LiveWidget(sections=latest, layout=w.Layout(display="none"))
            self.widget.on_msg(self._message)
            self.host.children = (*self.host.children, self.widget)
        else:
            self.widget.sections = latest
        try:
            loop = asyncio.get_running_loop()  # the kernel's, in a widget's callback
        except RuntimeError:
            loop = None
        if self.drawing and loop is not None:
            self._pending = loop.call_later(OUTPUTS_AFTER_S, update_outputs)
        else:
            update_outputs()

    def _message(self, _: Any, content: Any, buffers: Any) -> None:
        if isinstance(content, dict) and content.get("drawing") is True:
            self.drawing = True
