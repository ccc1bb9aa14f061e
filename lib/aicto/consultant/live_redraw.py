"""The form's link to the page: results redrawn in place, the notebook's outputs kept up to date, unsaved edits kept
in the browser.

JupyterLab handles a display update as a change of the notebook document: it re-renders the output, re-reads the
cell's headings, measures the output's layout and updates the toolbar, 6-10 ms of the page's main thread for each of
the dozen sections a change moves, while the page draws nothing else. Its plotly renderer also ignores display
updates (plotly/plotly.py#3053). So a small widget in the form holds each changed section's newest content (an HTML
section's HTML, a chart's figure, and the output's data) and, in the page, live_redraw.js puts it in place: all of a
batch in one message, HTML at once, a chart with plotly.js when in sight.

The notebook's outputs (what a saved notebook holds) follow when the consultant pauses, and before any save of the
notebook (Ctrl+S, autosave, the form's Save): where the page reaches JupyterLab's application (`aicto lab` exposes
it), the page writes them into the notebook's document itself, which also works after a reload of the page (the
kernel's display updates then have nothing to update: display ids are not saved); elsewhere the kernel updates them
OUTPUTS_AFTER_S after the last change. Before any view has found the notebook's sections (the first redraw), the
kernel updates them at once.

The page also keeps the form's unsaved edits in the browser's storage until they are saved, so that a form run again
after a kernel restart, or after a reload, offers them back.

The widget sits in an Output of its own, not among the form's widgets: anywidget gives a new model 2 s to load its
code, which a page still drawing a freshly run notebook exceeds now and then, and a widget that fails to load takes
every widget that holds it down with it. Its view greets the kernel when drawn; a widget not greeted within
GREETING_S is made again (the page is idle by then), up to GREETING_TRIES times."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from aicto.present.views.common import LIVE_PREFIX

OUTPUTS_AFTER_S = 2.0  # a pause this long after a change: the notebook's outputs catch up with the page
GREETING_S = 8.0  # a view drawn in a page still busy with a fresh run greets within a few seconds
GREETING_TRIES = 3
Kept = Callable[[list, str], None]  # unsaved edits the page kept from an earlier form: [[path, value], ...], when


class LiveWidget(anywidget.AnyWidget):
    _esm = Path(__file__).with_name("live_redraw.js")
    # section -> {"version": the redraw that changed it, "html" or "figure", and "data": its output's other data}
    sections = traitlets.Dict().tag(sync=True)
    prefix = traitlets.Unicode(LIVE_PREFIX).tag(sync=True)  # the page finds the report's charts by it
    outputs_after_ms = traitlets.Int(int(OUTPUTS_AFTER_S * 1000)).tag(sync=True)
    key = traitlets.Unicode("").tag(sync=True)  # the client's file and the notebook: where the page keeps edits
    unsaved = traitlets.Dict().tag(sync=True)  # {"edits": [[path, value], ...], "at": ISO time}, or {} when saved
    form_shown = traitlets.Bool(False).tag(sync=True)  # the page brought the new form into view after its run


class LiveRedraw:
    """Sends a live notebook's changed sections to the page through a widget in `host`, has the notebook's outputs
    updated after, and hands the page the unsaved edits to keep."""

    def __init__(self, host: w.Box, on_kept: Kept):
        self.host, self.on_kept = host, on_kept
        self.slot = w.Output(layout=w.Layout(display="none"))
        host.children = (*host.children, self.slot)
        self.widget = self._made(LiveWidget())
        self.greeted = False  # a view of the widget was drawn in the page
        self.drawing = False  # ... and found the notebook's sections
        self.page_outputs = False  # ... and writes the notebook's outputs itself
        self._pending: asyncio.TimerHandle | None = None
        self._later(GREETING_S, self._greeted_or_again, GREETING_TRIES)

    def _made(self, widget: LiveWidget) -> LiveWidget:
        widget.on_msg(self._message)
        self.slot.outputs = ()
        self.slot.append_display_data(widget)
        return widget

    @staticmethod
    def _later(seconds: float, callback: Callable[..., None], *args: Any) -> asyncio.TimerHandle | None:
        """`callback` after `seconds` on the kernel's loop; None where there is no loop (plain Python)."""
        try:
            loop = asyncio.get_running_loop()  # the kernel's, in a cell or a widget's callback
        except RuntimeError:
            return None
        return loop.call_later(seconds, callback, *args)

    def _greeted_or_again(self, tries: int) -> None:
        """No view greeted the widget: its model failed to load in a busy page; make it again, state and all."""
        if self.greeted or tries <= 0 or self.widget.comm is None:
            return
        old = self.widget
        self.widget = self._made(LiveWidget(sections=old.sections, key=old.key, unsaved=old.unsaved,
                                            form_shown=old.form_shown))
        old.close()
        self._later(GREETING_S, self._greeted_or_again, tries - 1)

    def draw(self, sections: Mapping[str, dict], update_outputs: Callable[[], None]) -> None:
        """Draw these sections (name -> {"version", "html" or "figure", "data"}) in the page: one state update for
        all; then the notebook's outputs: by the page, or by `update_outputs` at once while no view draws them,
        otherwise when the consultant pauses."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self.widget.sections = {**self.widget.sections, **sections}
        if self.page_outputs:
            return
        self._pending = self._later(OUTPUTS_AFTER_S, update_outputs) if self.drawing else None
        if self._pending is None:
            update_outputs()

    def keep(self, key: str, edits: list) -> None:
        """The page keeps these unsaved edits (JSON) in the browser under `key`; none: it forgets them."""
        self.widget.key = key
        self.widget.unsaved = {"edits": edits, "at": dt.datetime.now().isoformat(timespec="seconds")} if edits else {}

    def forget(self) -> None:
        """The page drops the edits it kept under this form's key."""
        self.widget.send({"forget": True})

    def save_notebook(self) -> None:
        """Ask the page to save the notebook, its outputs brought up to date first."""
        self.widget.send({"save_notebook": True})

    def _message(self, _: Any, content: Any, buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        self.greeted = True
        if content.get("drawing") is True:
            self.drawing = True
        if content.get("outputs") is True:
            self.page_outputs = True
        kept = content.get("kept")
        if isinstance(kept, dict) and isinstance(kept.get("edits"), list) and kept["edits"]:
            self.on_kept(kept["edits"], str(kept.get("at", "")))
