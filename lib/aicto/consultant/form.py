"""The consultant's form: the readiness questionnaire from the playbook, the other profile inputs from the schema,
Save, and a new-client form. Every change is validated like `aicto validate` and redraws the view in place.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import ipywidgets as w

from aicto import snapshot
from aicto.consultant.fields import Group, Input, groups, owner, value_at, with_edits
from aicto.consultant.fields import Path as FieldPath
from aicto.consultant.save import ANSWERS, new_client, save_profile
from aicto.engagement import build_engagement
from aicto.playbook import Question
from aicto.problems import InputError, Problem
from aicto.profile import Profile, parse_profile, resolve_profile_path
from aicto.views.common import Context, View
from aicto.yamlio import read_yaml_mapping

PARAMETERS = Path(__file__).resolve().parents[3] / "parameters"
QUESTIONNAIRE = "readiness"  # drawn from the playbook's question bank, not from the schema
SCORE_CHOICES = (1, 2, 3, 4, 5)
NEW = "new"  # error keys of the new-client form: "new.client.id", ...
NEW_CLIENT_FIELDS = (("id", "Client id", "lower-case letters, digits and hyphens; the file name"),
                     ("name", "Name", "the client's display name"), ("industry", "Industry", ""))


def _css_name(path: FieldPath) -> str:
    return "aicto-" + "-".join(str(p) for p in path).replace("_", "-")


def _scrolling(children: list[w.Widget]) -> w.Widget:
    """A fixed-height scrolling pane; block layout, because a flex column would squash its rows to fit."""
    return w.Box(children, layout=w.Layout(display="block", max_height="560px", overflow="auto"))


def _error_label() -> w.HTML:
    return w.HTML(layout=w.Layout(margin="0 0 0 8px"))


def _show_problems(label: w.HTML, problems: list[str]) -> None:
    label.value = "".join(f'<div style="color:#b3261e;line-height:1.3">{html.escape(p)}</div>' for p in problems)


def _close(widget: w.Widget) -> None:
    """Close a widget tree with its layouts and styles: ipywidgets keeps every open widget alive in the kernel."""
    for part in (*getattr(widget, "children", ()), getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, w.Widget):
            _close(part)
    widget.close()


def _watch(widget: w.Widget, on_change: Callable[[], Any]) -> w.Widget:
    widget.observe(lambda _: on_change(), names="value")
    return widget


def _answer_value(score: int, note: str, current: Any) -> Any:
    """An answer in the shape the file already uses, so putting back the old value counts as no change."""
    if not note and not isinstance(current, dict):
        return score
    return {"score": score, "note": note} if note else {"score": score}


def _anchors(question: Question) -> str:
    parts = [f"<b>{level}</b> {html.escape(text)}" for level, text in sorted(question.anchors.items())]
    return '<div style="font-size:85%;color:#555;line-height:1.3">' + "<br>".join(parts) + "</div>"


class ConsultantForm:
    """Edits one client's profile live: `edits` holds changed values by path; the file is untouched until Save.

    One form is live per kernel: a new one (the cell run again) closes the previous one's widgets."""

    live: ClassVar[ConsultantForm | None] = None

    def __init__(self, context: Context, view: View, parameters: Path = PARAMETERS):
        self.view = view
        self.playbook = context.playbook
        self.parameters = parameters
        self.inputs: dict[FieldPath, w.Widget] = {}
        self.errors: dict[str, w.HTML] = {}
        self.status = w.HTML(layout=w.Layout(margin="0 0 0 12px"))
        self.save_button = w.Button(description="Save", button_style="primary", icon="save",
                                    tooltip="write the client's YAML file (previous version kept as .bak)")
        self.save_button.add_class("aicto-save")
        self.save_button.on_click(lambda _: self.save())
        self.snapshot_button = w.Button(description="Snapshot", icon="camera",
                                        tooltip="record today's answers and figures beside the file (aicto snapshot)")
        self.snapshot_button.on_click(lambda _: self.snapshot())
        self.actions = w.HBox([self.save_button, self.snapshot_button, self.status])
        self.body = w.VBox()
        self.widget = w.VBox([self.body], layout=w.Layout(border="1px solid #c8ccd2", padding="8px"))
        self.widget.add_class("aicto-consultant")
        self.load(resolve_profile_path(context.profile_path), context.profile, context.profile_path)
        if ConsultantForm.live is not None:
            _close(ConsultantForm.live.widget)
        ConsultantForm.live = self

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """A notebook cell that returns the form shows its widget."""
        return self.widget._repr_mimebundle_(**kwargs)

    # -- state -------------------------------------------------------------------------------------------------------

    def load(self, path: Path, profile: Profile, shown_as: str | Path) -> None:
        """Start editing the file at `path` (already validated as `profile`); rebuild every input from it."""
        self.path, self.profile, self.shown_as = path, profile, Path(shown_as)
        self.base = read_yaml_mapping(path)
        self.edits: dict[FieldPath, Any] = {}
        self.problems: list[Problem] = []
        self.inputs.clear()
        self.errors.clear()
        tabs = w.Tab([self._questionnaire(), self._profile_inputs(), self._new_client()])
        for i, title in enumerate(("Readiness answers", "Profile", "New client")):
            tabs.set_title(i, title)
        header = w.HTML(f"<b>Consultant mode</b>: editing <code>{html.escape(str(self.shown_as))}</code>. "
                        "Every change redraws the results below; Save writes the file.")
        for old in self.body.children:
            if old is not self.actions:
                _close(old)
        self.body.children = [header, self.actions, self._error(""), tabs]
        self._say("No changes yet.")

    def change(self, path: FieldPath, value: Any) -> Profile | None:
        """One input changed: record it (or forget it when back to the file's value), validate, redraw."""
        if value == value_at(self.base, path):
            self.edits.pop(path, None)
        else:
            self.edits[path] = value
        return self.apply()

    def apply(self) -> Profile | None:
        """Validate the file's data plus the edits; show problems beside their inputs, or redraw the view."""
        try:
            profile = parse_profile(with_edits(self.base, self.edits), str(self.shown_as), self.playbook)
        except InputError as exc:
            self._problems(exc.problems, exc.file)
            self._say(f"{len(exc.problems)} problem(s): the results below still show the last valid answers.")
            return None
        self._problems([])
        self.profile = profile
        try:
            self.view.refresh(Context(profile, self.playbook, self.shown_as))
        except Exception as exc:  # a failing section must not leave the consultant with a traceback in a callback
            self._say(f"Could not redraw the results: {type(exc).__name__}: {exc}")
            return profile
        self._say("Unsaved changes." if self.edits else "No changes.")
        return profile

    def save(self) -> Path | None:
        """Write the edited values to the client's file; refuse while any input is invalid."""
        if self.problems:
            self._say(f"Not saved: fix the {len(self.problems)} problem(s) shown first.")
            return None
        if not self.edits:
            self._say("Nothing to save.")
            return None
        try:
            kept = save_profile(self.path, self.profile, self.edits, self.playbook)
        except (OSError, RuntimeError, InputError) as exc:
            self._say(f"Not saved: {exc}")
            return None
        self.base, self.edits = read_yaml_mapping(self.path), {}
        backup = f"; previous version in {kept.name}" if kept else ""
        self._say(f"Saved {self.shown_as} at {dt.datetime.now():%H:%M:%S}{backup}.")
        return self.path

    def snapshot(self) -> Path | None:
        """Record a snapshot of the saved file, as `aicto snapshot` does, and redraw (the progress report reads it)."""
        if self.edits or self.problems:
            self._say("Save the changes first: a snapshot records the saved file.")
            return None
        date = snapshot.default_date(self.profile)
        try:
            written = snapshot.write(build_engagement(self.profile, self.playbook), self.path, date)
        except InputError as exc:
            self._say(f"No snapshot: {exc.problems[0].message}.")
            return None
        self.view.refresh(Context(self.profile, self.playbook, self.shown_as))
        self._say(f"Snapshot of {date} in {written.parent.name}/{written.name}.")
        return written

    def create_client(self, template: Path, client: dict[str, str]) -> Path | None:
        """Write a new client's file from a template and switch the form (and the results) to it."""
        if self.edits:
            self._say("Save the current client's changes before starting a new client.")
            return None
        try:
            target = new_client(template, self.parameters, client, self.playbook)
        except InputError as exc:
            self._problems(exc.problems, exc.file, scope=NEW)
            return None
        except FileExistsError as exc:
            _show_problems(self.errors[f"{NEW}.client.id"], [str(exc)])
            return None
        self._problems([], scope=NEW)
        profile = parse_profile(read_yaml_mapping(target), str(target), self.playbook)
        self.load(target, profile, target)
        self.view.refresh(Context(profile, self.playbook, target))
        self._say(f"Created {target}; the form and the results now show this client.")
        return target

    def open_section(self, name: str) -> None:
        """Unfold a profile section (its inputs are built on first opening)."""
        folds, index = self.sections[name]
        folds.selected_index = index

    def _problems(self, problems: list[Problem], file: str = "", scope: str = "") -> None:
        """Show each problem beside the input it names, worded as `aicto validate` words it; the rest at the top."""
        if not scope:
            self.problems = problems
        keys = [k for k in self.errors if (k.startswith(f"{scope}.") if scope else not k.startswith(NEW))]
        by_key: dict[str, list[str]] = {k: [] for k in (*keys, scope)}
        for problem in problems:
            path = f"{scope}.{problem.path}" if scope else problem.path
            by_key[owner(path, keys) or scope].append(problem.render(file))
        for key, lines in by_key.items():
            _show_problems(self.errors[key], lines)

    def _say(self, text: str) -> None:
        self.status.value = html.escape(text)

    def _error(self, key: str) -> w.HTML:
        self.errors[key] = label = _error_label()
        return label

    # -- widgets -----------------------------------------------------------------------------------------------------

    def _questionnaire(self) -> w.Widget:
        """One row per question: text and 1/3/5 anchors, a 1-5 choice, an evidence note, its problems."""
        blocks = []
        for dim in self.playbook.questions.dimensions:
            rows = [w.HTML(f"<h4 style='margin:10px 0 4px'>{html.escape(dim.name)}</h4>"), self._error(
                ".".join((*ANSWERS, dim.id)))]
            rows += [self._question_row(dim.id, q) for q in dim.questions]
            blocks.append(w.VBox(rows))
        return _scrolling(blocks)

    def _question_row(self, dim: str, question: Question) -> w.Widget:
        path = (*ANSWERS, dim, question.id)
        answer = self.profile.readiness.answers[dim][question.id]
        score = w.ToggleButtons(options=SCORE_CHOICES, value=answer.score,
                                tooltips=[f"score {s}" for s in SCORE_CHOICES],
                                style={"button_width": "2.4em"}, layout=w.Layout(width="auto"))
        score.add_class(_css_name((*path, "score")))
        note = w.Text(value=answer.note, placeholder="evidence", continuous_update=False,
                      layout=w.Layout(width="auto", flex="1 1 auto"))
        note.add_class(_css_name((*path, "note")))
        self.inputs[(*path, "score")], self.inputs[(*path, "note")] = score, note

        def answer_changed() -> None:
            self.change(path, _answer_value(score.value, note.value, value_at(self.base, path)))

        _watch(score, answer_changed)
        _watch(note, answer_changed)
        text = w.HTML(f"<div style='line-height:1.35'><b>{html.escape(question.text)}</b></div>{_anchors(question)}",
                      layout=w.Layout(width="48%", min_width="320px"))
        controls = w.VBox([score, note, self._error(".".join(path))], layout=w.Layout(flex="1 1 auto"))
        return w.HBox([text, controls], layout=w.Layout(border_bottom="1px solid #eee", padding="4px 0"))

    def _profile_inputs(self) -> w.Widget:
        """Every other section of the schema, one fold each, built when first opened (a fold can hold hundreds of
        inputs); sections absent from the file show their defaults."""
        sections: dict[str, list[Group]] = {}
        for group in groups(Profile, self.base, skip=(QUESTIONNAIRE,)):
            sections.setdefault(str(group.path[0]), []).append(group)
        titles = [name.replace("_", " ").capitalize() + ("" if name in self.base else " (not in the file yet)")
                  for name in sections]
        folds = w.Accordion([w.VBox() for _ in sections], titles=titles, selected_index=None)
        contents = list(sections.values())

        def open_fold(change: dict[str, Any]) -> None:
            index = change["new"]
            if index is not None and not folds.children[index].children:
                folds.children[index].children = [self._group(g) for g in contents[index]]

        folds.observe(open_fold, names="selected_index")
        self.sections = {name: (folds, i) for i, name in enumerate(sections)}
        return _scrolling([folds])

    def _group(self, group: Group) -> w.Widget:
        """A section's inputs, each with its unit and hint and room for its problems; nested parts get a heading."""
        heading = f"<h4 style='margin:10px 0 4px'>{html.escape(group.title)}</h4>" if len(group.path) > 1 else ""
        rows: list[w.Widget] = [w.HTML(heading), self._error(group.key)]
        currency = self.profile.client.currency
        for spec in group.inputs:
            widget = self._input_widget(spec)
            unit = spec.unit.format(currency=currency)
            hint = " - ".join(part for part in (unit, spec.hint) if part)
            note = f"<div style='color:#555;font-size:85%;line-height:1.3'>{html.escape(hint)}</div>"
            rows.append(w.HBox([widget, w.HTML(note, layout=w.Layout(margin="0 0 0 8px", max_width="360px")),
                                self._error(spec.key)]))
        return w.VBox(rows)

    def _input_widget(self, spec: Input) -> w.Widget:
        value = spec.show(value_at(self.base, spec.path))
        common = {"description": spec.label, "style": {"description_width": "180px"},
                  "layout": w.Layout(width="420px")}
        if spec.typed_as_text or spec.kind == "text":
            placeholder = "blank = not set" if spec.optional else ""
            widget: w.Widget = w.Text(value=value, placeholder=placeholder, continuous_update=False, **common)
        elif spec.kind == "int":
            widget = w.IntText(value=value, continuous_update=False, **common)
        elif spec.kind == "float":
            widget = w.FloatText(value=value, continuous_update=False, **common)
        elif spec.kind == "bool":
            widget = w.Checkbox(value=bool(value), indent=True, **common)
        elif spec.kind == "choice":
            widget = w.Dropdown(options=[(str(c), c) for c in spec.choices], value=value, **common)
        elif spec.kind == "date":
            widget = w.DatePicker(value=value, **common)
        else:
            widget = w.Textarea(value=value, placeholder="one per line", continuous_update=False, **common)
        widget.add_class(_css_name(spec.path))
        self.inputs[spec.path] = widget
        return _watch(widget, lambda: self.change(spec.path, spec.parse(widget.value)))

    def _new_client(self) -> w.Widget:
        """A new client's file from an example: new id, name and industry; everything else copied."""
        fields = {key: w.Text(description=label, placeholder=hint, style={"description_width": "180px"},
                              layout=w.Layout(width="520px")) for key, label, hint in NEW_CLIENT_FIELDS}
        templates = sorted((self.parameters / "examples").glob("*.yaml"))
        template = w.Dropdown(options=[(p.stem, p) for p in templates], description="Start from",
                              style={"description_width": "180px"}, layout=w.Layout(width="520px"))
        create = w.Button(description="Create and edit", icon="plus")
        create.on_click(lambda _: self.create_client(template.value, {k: v.value.strip() for k, v in fields.items()}))
        rows: list[w.Widget] = [w.HTML(f"Writes <code>{html.escape(str(self.parameters))}/&lt;id&gt;.yaml</code> "
                                       "and switches this form to it.")]
        for key, widget in fields.items():
            rows.append(w.HBox([widget, self._error(f"{NEW}.client.{key}")]))
        return w.VBox([*rows, template, create, self._error(NEW)])
