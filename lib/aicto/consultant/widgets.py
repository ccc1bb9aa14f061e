"""The form's building blocks: one widget per schema input, the questionnaire's rows, error labels, the style.

Nothing here knows the client's file; `form.py` wires these to it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w
import traitlets

from aicto.consultant.fields import Input
from aicto.consultant.fields import Path as FieldPath
from aicto.present.views.common import NO_MATHS, report_style
from aicto.profile.playbook import Brand, Question

FORM_CSS = Path(__file__).resolve().parents[1] / "present" / "templates" / "consultant" / "form.css"
SCORE_CHOICES = (1, 2, 3, 4, 5)
LABEL_WIDTH = "160px"  # a longer title wraps (form.css), never cut
INPUT_WIDTH = "330px"  # with its 160 px hint beside it, in the answers and profile tabs beside the results
PANE_HEIGHT = "300px"  # the form stays short enough for the results below it to be in view
ANSWERS_HEIGHT = "240px"  # the answers' pane, below the bar of dimensions


def css_name(path: FieldPath) -> str:
    return "aicto-" + "-".join(str(p) for p in path).replace("_", "-")


OFFLINE = ("<b>This form is not connected to a running kernel</b> (the kernel restarted or stopped, or the page was "
           "reloaded): it cannot change or save anything. Run the notebook again (Run &rarr; Run All Cells): the form "
           "comes back with the client's file as saved, and offers back the changes you had not saved, which this "
           "browser keeps until they are saved.")


def page_style(brand: Brand) -> str:
    """The report look for the notebook's results and the form's own look, for JupyterLab (exports stay plain), and
    the notice shown in place of the form while it is not connected. A plain output, not a widget: the results keep
    their look and the notice shows when the form's widgets cannot (a restarted kernel, a reloaded page)."""
    return (f"<style>{report_style(brand)}\n{FORM_CSS.read_text(encoding='utf-8')}</style>"
            f"<div class='aicto-form-offline'>{OFFLINE}</div>")


def scrolling(children: Sequence[w.Widget], height: str = PANE_HEIGHT) -> w.Widget:
    """A short scrolling pane, the one scroll area of its tab: nothing inside it scrolls on its own, its rows wrap
    instead (form.css). Block layout, because a flex column would squash its rows to fit."""
    pane = w.Box(list(children), layout=w.Layout(display="block", max_height=height, overflow="auto"))
    pane.add_class("aicto-pane")
    return pane


def row(children: Sequence[w.Widget], **layout: str) -> w.HBox:
    """A row that wraps what does not fit onto the next line, so it never scrolls sideways."""
    box = w.HBox(list(children), layout=w.Layout(flex_flow="row wrap", **layout))
    box.add_class("aicto-row")
    return box


def error_label() -> w.HTML:
    """Room for problems; in a row, beside its input when 220 px are left, else on a line of its own below it."""
    label = w.HTML(layout=w.Layout(margin="0 0 0 8px"))
    label.add_class("aicto-error")
    return label


def show_problems(label: w.HTML, problems: Sequence[str]) -> None:
    label.value = "".join(f"<div>{html.escape(p)}</div>" for p in problems)


def named(label: str, path: str) -> str:
    """A value named as the consultant reads it: its label, and its path in the file as a small grey hint."""
    hint = f" <span class='aicto-path'>{html.escape(path)}</span>" if path and path != label else ""
    return f"<b>{html.escape(label)}</b>{hint}" if label else hint.lstrip()


def problem_line(text: str, label: str = "", path: str = "") -> str:
    """One problem beside an input: its words, after the name of the value it concerns when that is another."""
    return f"<div>{named(label, path) + ': ' if label else ''}{html.escape(text)}</div>"


def close(widget: w.Widget) -> None:
    """Close a widget tree with its layouts and styles: ipywidgets keeps every open widget alive in the kernel."""
    for part in (*getattr(widget, "children", ()), getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, w.Widget):
            close(part)
    widget.close()


def watch(widget: w.Widget, on_change: Callable[[], Any]) -> w.Widget:
    widget.observe(lambda _: on_change(), names="value")
    return widget


def heading(text: str) -> w.HTML:
    return w.HTML(f"<h4 class='aicto-form-heading'>{html.escape(text)}</h4>")


class RangeInput(w.HBox):
    """Low and high of an override in two boxes; `value` is the pair of texts (kernel-side only)."""

    value = traitlets.Tuple(("", ""))

    def __init__(self, label: str, value: tuple[str, str]):
        self.low, self.high = (w.Text(value=v, placeholder=p, continuous_update=False,
                                      layout=w.Layout(width="72px", flex="0 0 72px"))
                               for v, p in zip(value, ("low", "= low"), strict=True))  # Low alone sets both
        title = w.Label(label, layout=w.Layout(width=LABEL_WIDTH, flex=f"0 0 {LABEL_WIDTH}"))
        title.add_class("aicto-label")
        to = w.Label("to", layout=w.Layout(flex="0 0 auto", margin="0 4px"))
        super().__init__([title, self.low, to, self.high], value=tuple(value),
                         layout=w.Layout(width=INPUT_WIDTH, flex=f"0 1 {INPUT_WIDTH}", min_width="0"))
        for box in (self.low, self.high):
            box.observe(lambda _: setattr(self, "value", (self.low.value, self.high.value)), names="value")
        self.observe(self._show, names="value")

    def _show(self, change: dict[str, Any]) -> None:
        self.low.value, self.high.value = change["new"]


def _blank(spec: Input) -> str:
    """What a blank box means."""
    if spec.optional:
        return "blank = not set"
    if spec.default is not None and spec.typed_as_text:
        return f"blank = {spec.show(spec.default)}"
    return "required" if spec.typed_as_text else ""


def input_widget(spec: Input, value: Any) -> w.Widget:
    """The widget for one schema input, showing `value` (already in the widget's terms, from `Input.show`)."""
    common = {"description": spec.label, "style": {"description_width": LABEL_WIDTH},
              "layout": w.Layout(width=INPUT_WIDTH, flex=f"0 1 {INPUT_WIDTH}", min_width="0")}
    if spec.kind == "range":
        widget: w.Widget = RangeInput(spec.label, value)
    elif spec.typed_as_text or spec.kind == "text":  # a number too: the form parses it and names text that is not
        widget = w.Text(value=value, placeholder=_blank(spec), continuous_update=False, **common)
    elif spec.kind == "bool":
        widget = w.Checkbox(value=bool(value), indent=True, **common)
    elif spec.kind == "choice":
        widget = w.Dropdown(options=[(str(c), c) for c in spec.choices], value=value, **common)
    elif spec.kind == "date":
        widget = w.DatePicker(value=value, **common)
    else:
        widget = w.Textarea(value=value, placeholder="one per line", continuous_update=False, **common)
    widget.add_class(css_name(spec.path))
    return widget


def input_row(widget: w.Widget, spec: Input, currency: str, error: w.HTML) -> w.Widget:
    """An input with its unit, the playbook value it replaces and its hint on one line, its problems after: beside
    it when there is room, below it otherwise (the row wraps)."""
    unit = spec.unit.format(currency=currency or "money")
    if unit == f"{currency} per {currency}":  # an exchange rate in the client's own currency means nothing
        unit = ""
    replaces = f"playbook: {spec.replaces}" if spec.replaces else ""
    parts = [f"<b>{html.escape(p)}</b>" if p is replaces else html.escape(p) for p in (unit, replaces, spec.hint) if p]
    note = w.HTML("<span class='aicto-hint'>" + " · ".join(parts) + "</span>",
                  layout=w.Layout(margin="0 0 0 8px", flex="1 1 160px", min_width="160px"))
    return row([widget, note, error], align_items="flex-start")


def _anchors(question: Question) -> str:
    parts = [f"<b>{level}</b> {html.escape(text)}" for level, text in sorted(question.anchors.items())]
    return "<div class='aicto-anchors'>" + "<br>".join(parts) + "</div>"


def question_row(path: FieldPath, question: Question, error: w.HTML) -> tuple[w.Widget, w.ToggleButtons, w.Text]:
    """A question with its 1/3/5 anchors, a 1-5 choice and an evidence note."""
    score = w.ToggleButtons(options=SCORE_CHOICES, value=None, tooltips=[f"score {s}" for s in SCORE_CHOICES],
                            style={"button_width": "2.4em"}, layout=w.Layout(width="auto"))
    score.add_class("aicto-score")
    score.add_class(css_name((*path, "score")))
    note = w.Text(placeholder="evidence", continuous_update=False, layout=w.Layout(width="auto", flex="1 1 auto"))
    note.add_class(css_name((*path, "note")))
    text = w.HTML(f"<div class='aicto-question'>{html.escape(question.text)}</div>{_anchors(question)}",
                  layout=w.Layout(flex="1 1 280px", min_width="0"))
    controls = w.VBox([score, note, error], layout=w.Layout(flex="1 1 240px", min_width="0", margin="0 0 0 8px"))
    return row([text, controls], border_bottom="1px solid #eee", padding="4px 0"), score, note


def no_maths(widget: w.Widget) -> w.Widget:
    """JupyterLab typesets "$" in widget text as maths unless told not to."""
    for name in NO_MATHS.split():
        widget.add_class(name)
    return widget
