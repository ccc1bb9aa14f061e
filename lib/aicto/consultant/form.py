"""The consultant's form: the readiness questionnaire from the playbook, the other profile inputs from the schema,
the headline results beside them, Save and Discard, and a Clients tab to open another client or start a new one.

Every change is validated like `aicto validate` and redraws the view in place. The form edits against the version
of the client's file it last read and takes in what other notebooks on the same client saved (`sync.py`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import ipywidgets as w

from aicto.consultant import newclient
from aicto.consultant import widgets as ui
from aicto.consultant.fields import MISSING, Group, Input, groups, humanize, owner, title, value_at, with_edits
from aicto.consultant.fields import Path as FieldPath
from aicto.consultant.live_redraw import LiveRedraw
from aicto.consultant.mode import session_notebook
from aicto.consultant.save import ANSWERS, save_profile
from aicto.consultant.sync import Conflict, Snapshot, rebase
from aicto.consultant.workspace import (
    lab_dir,
    notebook_link,
    parameters_dir,
    profiles,
    shown_path,
    tracked_example,
    working_notebooks,
)
from aicto.model import snapshot as snapshots
from aicto.model.checks import consultant_checks
from aicto.model.costs import client_assumptions
from aicto.model.engagement import build_engagement
from aicto.model.validation import load_client, parse_client
from aicto.present.deliverables import notebooks_dir
from aicto.present.views.common import Context, View
from aicto.profile import cache
from aicto.profile.problems import InputError, Problem, dotted
from aicto.profile.schema import Answer, Client, Profile, Team, resolve_profile_path
from aicto.profile.writing import FileChanged
from aicto.text.words import count

QUESTIONNAIRE = "readiness"  # drawn from the playbook's question bank, not from the schema
TABS = ("Readiness answers", "Profile", "Clients")
NEW_CLIENT: tuple[tuple[str, type], ...] = (("client", Client), ("team", Team))  # what a blank profile asks for


def _answer_value(score: int | None, note: str, current: Any) -> Any:
    """An answer in the shape the file already uses, so putting back the old value counts as no change."""
    if not note and not isinstance(current, Mapping):
        return score
    return {"score": score, "note": note} if note else {"score": score}


def _distribute(problems: list[Problem], labels: Mapping[str, w.HTML],
                label_of: Callable[[str], str] = lambda path: title(Profile, path)) -> None:
    """Each problem beside the input it names, in `aicto validate`'s words without the file; the others under the
    label of key "", after the label of the value they concern (its path a grey hint)."""
    keys = [k for k in labels if k]
    lines: dict[str, list[str]] = {k: [] for k in labels}
    for problem in problems:
        key = owner(problem.path, keys) or ""
        lines[key].append(ui.problem_line(problem.describe()) if problem.path == key else
                          ui.problem_line(problem.describe(), label_of(problem.path), problem.path))
    for key, text in lines.items():
        labels[key].value = "".join(text)


def _retyped(problems: list[Problem], typed: list[Problem]) -> list[Problem]:
    """Validation's problems, with those about text typed into a number box (`Input.mistyped`) in the form's words:
    "'twelve' is not a number (a whole number, e.g. 12)", in place of what the schema says of a string."""
    out: list[Problem] = []
    for problem in problems:
        mistyped = next((t for t in typed if _within(problem.path, t.path)), None)
        if mistyped is None:
            out.append(problem)
        elif mistyped not in out:
            out.append(mistyped)
    return out + [t for t in typed if t not in out]


def _score(answer: Any) -> int | None:
    answer = Answer.coerce(answer)
    return answer.get("score") if isinstance(answer, Mapping) else None


def _short(name: str) -> str:
    """A dimension's name as its button says it: "Strategy" for "Strategy and use-case clarity"."""
    return name.split(" and ")[0].split(",")[0]


def _within(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((f"{prefix}.", f"{prefix}["))


def _warned(title: str, count: int) -> str:
    return f"{title} ⚠ {count} problem{'s' if count > 1 else ''}" if count else title


class ConsultantForm:
    """Edits one client's profile live: `edits` holds changed values by path; the file is untouched until Save.

    One form is live per kernel: a new one (the cell run again) closes the previous one's widgets."""

    live: ClassVar[ConsultantForm | None] = None

    def __init__(self, context: Context, view: View, parameters: Path | None = None, lab: Path | None = None):
        self.view, self.playbook = view, context.playbook
        self.parameters, self.lab = parameters or parameters_dir(), lab or lab_dir()
        self.inputs: dict[FieldPath, w.Widget] = {}
        self.specs: dict[FieldPath, Input] = {}
        self.errors: dict[str, w.HTML] = {}
        self.quiet = False  # True while the form itself sets widget values
        self.edits: dict[FieldPath, Any] = {}
        self.conflicts: dict[FieldPath, Conflict] = {}
        self.problems: list[Problem] = []
        self.status = w.HTML(layout=w.Layout(margin="0 0 4px 0"))
        self.status.add_class("aicto-status")
        self.link = w.Output(layout=w.Layout(margin="0 0 4px 0"))  # rendered by JupyterLab: its links open documents
        self.link.add_class("aicto-link")
        self.asked: tuple[str, Any] | None = None  # a Save or Snapshot that asked first, and the state it asked in
        self.title = w.HTML(layout=w.Layout(margin="0 12px 0 0", flex="1 1 auto", min_width="0"))
        self.save_button = self._button("Save", "save", "write the client's YAML file (previous version kept as "
                                        ".bak)", self.save, "primary")
        self.discard_button = self._button("Discard", "undo", "forget the unsaved changes and show the file as "
                                           "saved, with what other notebooks saved", self.discard)
        self.snapshot_button = self._button("Snapshot", "camera", "record today's answers and figures beside the "
                                            "file (aicto snapshot)", self.snapshot)
        self.summary = w.HTML(layout=w.Layout(flex="1 1 0", min_width="240px", margin="0 0 0 12px"))
        self.summary.add_class("aicto-summary")
        self.folds = w.Accordion()
        self.sections: dict[str, list[Group]] = {}
        self.profile_tab = w.VBox()
        self.tabs = w.Tab([self._questionnaire(), self.profile_tab, self._clients()], titles=TABS,
                          layout=w.Layout(flex="2 1 0", min_width="0"))
        top = w.HBox([self.title, self.save_button, self.discard_button, self.snapshot_button],
                     layout=w.Layout(align_items="center"))
        self.offer = w.HBox(layout=w.Layout(display="none", align_items="center", flex_flow="row wrap"))
        self.offer.add_class("aicto-offer")
        self.widget = ui.no_maths(w.VBox([top, self.status, self.link, self.offer, self._error(""),
                                          w.HBox([self.tabs, self.summary])],
                                         layout=w.Layout(border="1px solid #c8ccd2", padding="6px 8px")))
        self.widget.add_class("aicto-consultant")
        self.redraw = LiveRedraw(self.widget, self._offer)
        view.live_redraw = self.redraw  # the sections are shown after the form: they get marked for the page
        self.load(resolve_profile_path(context.profile_path), context.profile, context.profile_path)
        if ConsultantForm.live is not None:
            ui.close(ConsultantForm.live.widget)
        ConsultantForm.live = self

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """A notebook cell that returns the form shows its widget."""
        return self.widget._repr_mimebundle_(**kwargs)

    # -- state -------------------------------------------------------------------------------------------------------

    @property
    def base(self) -> dict[str, Any]:
        """The client's file as this form last read it."""
        return self.file.data

    def load(self, path: Path, profile: Profile, shown_as: str | Path) -> None:
        """Start editing the file at `path` (already validated as `profile`): every input shows the file."""
        self.path, self.profile, self.shown_as = path, profile, Path(shown_as)
        self.file = Snapshot.read(path)
        self.edits, self.conflicts = {}, {}
        self.kept: dict[FieldPath, Any] = {}  # unsaved edits the browser kept from an earlier form, on offer
        self._show_offer()
        self._show_file()
        notebook = session_notebook()
        template = ("<br><b>This is a template:</b> outputs and client paths are never saved into it; work on a "
                    "client in its own notebooks (<code>aicto lab CLIENT</code>, or Clients &rarr; Open)."
                    if notebook is not None and notebook.resolve().parent == notebooks_dir() else "")
        self.example = tracked_example(path)
        example = ("<br><b>A tracked example:</b> saving it changes the repository for everyone (Save asks first); "
                   "start a client from it in Clients instead." if self.example else "")
        self.title.value = (f"<b>{html.escape(profile.client.name)}</b> "
                            f"<code>{html.escape(str(self.shown_as))}</code>{example}{template}")
        self._problems([])
        self._summarize()
        self._say("No changes yet.")
        self._keep()  # the page learns where this form's edits are kept, and offers back any kept there

    def change(self, path: FieldPath, value: Any) -> Profile | None:
        """One input changed: record it (or forget it when back to the file's value), validate, redraw."""
        self.asked = None
        if self._is_saved(path, value):
            self.edits.pop(path, None)
            self.conflicts.pop(path, None)
        else:
            self.edits[path] = value
        profile = self.apply()
        self._keep()
        return profile

    def apply(self) -> Profile | None:
        """Take in what other notebooks saved, validate the file's data plus the edits, show problems beside their
        inputs, or redraw the view."""
        taken_in = self._sync()
        self._progress()
        try:
            profile = parse_client(with_edits(self.base, self.edits), str(self.shown_as), self.playbook)
        except InputError as exc:
            problems = _retyped(exc.problems, [p for path, value in self.edits.items() if path in self.specs
                                               for p in self.specs[path].mistyped(value)])
            self._problems(problems)
            count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
            self._say(f"{count}: the results still show the last valid answers.{taken_in}", warn=True)
            return None
        if self.problems:
            self._problems([])
        self.profile = profile
        if self._redraw(profile):
            self._say(("Unsaved changes." if self.edits else "No changes.") + taken_in)
        return profile

    def _offer(self, edits: list, at: str) -> None:
        """Unsaved edits the browser kept from an earlier form on this file and notebook (the kernel restarted, or
        the page reloaded and the notebook ran again): offer them back, unless this form has edits of its own."""
        if self.edits:
            return
        kept: dict[FieldPath, Any] = {}
        for item in edits:
            try:
                path, value = item
                kept[tuple(path)] = cache.unpack(value)
            except (TypeError, ValueError):
                continue  # not an edit this form made
        known = {*self.question_paths, *self.specs}
        self.kept = {path: value for path, value in kept.items() if path in known and not self._is_saved(path, value)}
        self._show_offer(at)

    def _is_saved(self, path: FieldPath, value: Any) -> bool:
        """Is `value` what the file says? For an input, an absent key equals blank and the default (Input.unchanged)."""
        spec = self.specs.get(path)
        current = value_at(self.base, path)
        return spec.unchanged(value, current) if spec is not None else value == current

    def _show_offer(self, at: str = "") -> None:
        old = self.offer.children
        self.offer.children = ()
        for widget in old:
            ui.close(widget)
        self.offer.layout.display = "none" if not self.kept else None
        if not self.kept:
            return
        when = f" at {at[11:16]}" if len(at) >= 16 else ""
        names = ", ".join(self._label(dotted(path)) for path in self.kept)
        text = w.HTML(f"<b>{html.escape(count(len(self.kept), 'unsaved change'))}</b>, kept in this browser{when} "
                      f"from an earlier run of this notebook: {html.escape(names)}.",
                      layout=w.Layout(margin="0 8px 0 0"))
        self.offer.children = (text, self._button("Restore", "undo", "put these changes back in the form (then Save "
                                                                     "to keep them)", self.restore),
                               self._button("Forget", "trash", "drop these changes for good", self.forget))

    def restore(self) -> None:
        """Put the kept edits back in the form, as unsaved changes."""
        restored, self.kept = self.kept, {}
        self._show_offer()
        self.edits.update(restored)
        self._show_file()
        self._keep()
        if self.apply() is not None:
            self._say(f"Restored {count(len(restored), 'unsaved change')}: Save to keep "
                      f"{'them' if len(restored) > 1 else 'it'}.")

    def forget(self) -> None:
        """Drop the kept edits, here and in the browser."""
        self.kept = {}
        self._show_offer()
        self.redraw.forget()
        self._say("Forgot the changes kept in this browser.")

    def _keep(self) -> None:
        """Hand the unsaved edits to the page, which keeps them in the browser until saved: a kernel that restarts
        loses them, the next form offers them back."""
        notebook = session_notebook()
        self.redraw.keep(f"{self.path.resolve()}|{notebook.resolve() if notebook else ''}",
                         [[list(path), cache.pack(value)] for path, value in self.edits.items()])

    def _sync(self) -> str:
        """If another notebook saved the file, rebase the edits on it and show it; returns what to tell."""
        if not self.file.stale():
            return ""
        try:
            latest = Snapshot.read(self.path)
        except InputError as exc:
            return f" The file changed on disk and does not read: {exc.render()}"
        self.edits, conflicts = rebase(self.edits, self.base, latest.data)
        self.file = latest
        self.conflicts = {p: c for p, c in self.conflicts.items() if p in self.edits} | {c.path: c for c in conflicts}
        self._show_file()
        when = dt.datetime.fromtimestamp(latest.stamp.mtime_ns / 1e9) if latest.stamp else dt.datetime.now()
        clash = f"; {len(conflicts)} of your changes clash with it (Save says which)" if conflicts else ""
        return f" Took in what was saved to the file at {when:%H:%M:%S}{clash}."

    def save(self) -> Path | None:
        """Write the edited values to the client's file; refuse while any input is invalid, and once on a clash
        with what another notebook saved."""
        if self.file.stale():
            self.apply()
        if self.problems:
            self._say(f"Not saved: fix the {len(self.problems)} problem(s) shown first.", warn=True)
            return None
        if self.conflicts:
            clashes = "; ".join(html.escape(c.describe(self._label(dotted(c.path))))
                                + " " + ui.named("", dotted(c.path)) for c in self.conflicts.values())
            self.conflicts = {}
            self._say(f"Not saved: another notebook changed the same values: {clashes}. Save again to keep this "
                      "form's values, or Discard to take the file's.", warn=True, markup=True)
            return None
        if not self.edits:
            self._say("Nothing to save.")
            return None
        if self.example and not self._confirmed("save", dict(self.edits)):
            self._say(f"{self.shown_as} is a tracked example: Save again to write it anyway, or start a client "
                      "from it in Clients (a copy of its figures).", warn=True)
            return None
        edits = dict(sorted(self.edits.items(), key=lambda item: self.order.get(item[0], len(self.order))))
        try:
            kept = save_profile(self.path, self.profile, edits, self.playbook, since=self.file.stamp)
        except FileChanged:
            self._say("Not saved: another notebook saved the file at the same moment; Save again.", warn=True)
            return None
        except (OSError, RuntimeError, InputError) as exc:
            self._say(f"Not saved: {exc}", warn=True)
            return None
        self.file, self.edits = Snapshot.read(self.path), {}
        self._keep()
        self.redraw.save_notebook()  # the notebook too, its outputs brought up to date first
        backup = f"; previous version in {kept.name}" if kept else ""
        self._say(f"Saved {self.shown_as} at {dt.datetime.now():%H:%M:%S}{backup}, and this notebook.")
        return self.path

    def discard(self) -> None:
        """Forget the unsaved changes: show the file as saved now (with what other notebooks saved)."""
        try:
            self.file = Snapshot.read(self.path)
        except InputError as exc:
            self._say(f"Cannot read the file: {exc.render()}", warn=True)
            return
        self.edits, self.conflicts = {}, {}
        self._show_file()
        self._keep()
        if self.apply() is not None:
            self._say("Discarded the unsaved changes: the form shows the file as saved.")

    def snapshot(self) -> Path | None:
        """Record a snapshot of the saved file, as `aicto snapshot` does, and redraw (the progress report reads it)."""
        if self.edits or self.problems:
            self._say("Save the changes first: a snapshot records the saved file.")
            return None
        date = snapshots.default_date(self.profile)
        replace = snapshots.file_of(self.path, date).exists()
        if replace and not self._confirmed("snapshot", (date, self.file.stamp)):
            self._say(f"A snapshot of {date} exists: Snapshot again to replace it with the file as saved now.",
                      warn=True)
            return None
        try:
            written = snapshots.write(build_engagement(self.profile, self.playbook), self.path, date, replace)
        except InputError as exc:
            self._say(f"No snapshot: {exc.problems[0].message}.")
            return None
        self.view.refresh(Context(self.profile, self.playbook, self.shown_as))
        done = "replaced" if replace else "recorded"
        self._say(f"Snapshot of {date} {done} in {written.parent.name}/{written.name}.")
        return written

    def _confirmed(self, action: str, state: Any) -> bool:
        """True at the second click of `action` in the same state; the first one asks (the caller says what)."""
        if self.asked == (action, state):
            self.asked = None
            return True
        self.asked = (action, state)
        return False

    def open_client(self, path: Path) -> Path | None:
        """Make another client's own working notebooks (lab/<id>/) and link to the one of this deliverable: this
        notebook and its form stay on their client, so one client's figures never go into another's notebook."""
        label = self.open_error
        try:
            profile = load_client(path, self.playbook)
        except InputError as exc:
            ui.show_problems(label, exc.render().splitlines())
            return None
        ui.show_problems(label, [])
        name = profile.client.name
        if path.resolve() == self.path.resolve():
            self._say(f"This notebook is {name}'s already.")
            return path
        made = [m.path for m in working_notebooks(path, profile, self.lab)]
        here = session_notebook()
        target = next((m for m in made if here is not None and m.name == here.name), made[0])
        href = notebook_link(here, target, self.lab)
        whose = f"{name}'" if name.endswith("s") else f"{name}'s"
        where = f"{whose} notebooks are ready in {shown_path(target.parent)}/"
        stays = f"this notebook stays on {self.profile.client.name}."
        if href is None:
            self.link.outputs = ()
            self._say(f"{where}: open them with aicto lab {profile.client.id} (this JupyterLab does not reach that "
                      f"folder); {stays}")
        else:
            self.link.outputs = ({"output_type": "display_data", "metadata": {}, "data": {
                "text/html": f"<a href='{html.escape(href, quote=True)}'>Open {html.escape(name)}: "
                             f"{html.escape(target.stem)}</a>",
                "text/plain": f"{name}: {href}"}},)
            self._say(f"{where}: open {target.stem} (the link below); {stays}")
        return path

    def create_client(self, values: Mapping[FieldPath, Any], source: Path | None) -> Path | None:
        """Write a new client's file (blank, or from `source` without evidence notes) and make its notebooks."""
        try:
            target = newclient.create_client(self.parameters, values, source, self.playbook)
        except InputError as exc:
            specs = {spec.path: spec for spec, _ in self.new_client_fields.values()}
            _distribute(_retyped(exc.problems, [p for path, value in values.items() if path in specs
                                                for p in specs[path].mistyped(value)]), self.new_client_errors)
            return None
        except FileExistsError as exc:
            _distribute([Problem("client.id", str(exc))], self.new_client_errors)
            return None
        _distribute([], self.new_client_errors)
        self.open_choice.options = self._profile_choices()
        return self.open_client(target)

    def open_section(self, name: str) -> None:
        """Unfold a profile section (its inputs are built on first opening)."""
        self.tabs.selected_index = TABS.index("Profile")
        self.folds.selected_index = list(self.sections).index(name)

    # -- showing the file and the problems ---------------------------------------------------------------------------

    def _value(self, path: FieldPath) -> Any:
        return self.edits[path] if path in self.edits else value_at(self.base, path)

    def _show_file(self) -> None:
        """Every input shows the file's value, or its edit: answers in place, profile sections rebuilt (their
        inputs depend on what the file holds)."""
        self.quiet = True
        try:
            for path in self.question_paths:
                answer = Answer.coerce(self._value(path))
                score, note = (_score(answer), answer.get("note")) if isinstance(answer, Mapping) else (None, "")
                self.inputs[(*path, "score")].value = score if score in ui.SCORE_CHOICES else None
                self.inputs[(*path, "note")].value = str(note or "")
            self._build_profile_tab()
        finally:
            self.quiet = False

    def _build_profile_tab(self) -> None:
        """One fold per profile section, its inputs built on first opening (a fold can hold hundreds)."""
        reopen = self.folds.selected_index
        reopen_name = list(self.sections)[reopen] if reopen is not None and reopen < len(self.sections) else None
        defaults = {"costs": client_assumptions(self.profile.model_copy(update={"costs": None}), self.playbook),
                    "roi": self.playbook.roi}  # what each override replaces
        self.sections = {}
        for group in groups(Profile, self.base, skip=(QUESTIONNAIRE,), defaults=defaults):
            self.sections.setdefault(str(group.path[0]), []).append(group)
        self.specs = {spec.path: spec for groups_ in self.sections.values() for g in groups_ for spec in g.inputs}
        self.order = {path: i for i, path in enumerate([*self.question_paths, *self.specs])}
        for path in [p for p in self.inputs if p[0] != QUESTIONNAIRE]:
            del self.inputs[path]
        for key in [k for k in self.errors if k and not _within(k, QUESTIONNAIRE)]:
            del self.errors[key]
        old = self.profile_tab.children
        self.folds = w.Accordion([w.VBox() for _ in self.sections], selected_index=None)
        self.folds.observe(self._open_fold, names="selected_index")
        self.profile_tab.children = [ui.scrolling([self.folds])]
        for widget in old:
            ui.close(widget)
        if reopen_name in self.sections:
            self.folds.selected_index = list(self.sections).index(reopen_name)

    def _open_fold(self, change: dict[str, Any]) -> None:
        index = change["new"]
        if index is not None and not change["owner"].children[index].children:
            change["owner"].children[index].children = [self._group(g) for g in list(self.sections.values())[index]]
            self._problems(self.problems)  # beside the inputs now shown

    def _problems(self, problems: list[Problem]) -> None:
        """Show each problem beside the input it names, in `aicto validate`'s words without the file; the rest at
        the top. Tabs and folds holding problems say how many."""
        self.problems = problems
        _distribute(problems, self.errors, self._label)
        self._progress()
        answers = sum(_within(p.path, QUESTIONNAIRE) for p in problems)
        self.tabs.titles = tuple(f"{title} ⚠ {count}" if count else title for title, count in zip(
            TABS, (answers, len(problems) - answers, 0), strict=True))
        self.folds.titles = tuple(
            _warned((Profile.model_fields[name].title or humanize(name))
                    + ("" if name in self.base else " (not in the file yet)"),
                    sum(_within(p.path, name) for p in problems)) for name in self.sections)

    def _redraw(self, profile: Profile) -> bool:
        """Redraw the results and the headline beside the form; a failing section is a message, never a
        traceback in a widget callback."""
        try:
            self.view.refresh(Context(profile, self.playbook, self.shown_as))
            self._summarize()  # after the results: its checks read parts of the engagement they may not need
        except Exception as exc:
            self._say(f"Could not redraw the results: {type(exc).__name__}: {exc}", warn=True)
            return False
        return True

    def _summarize(self) -> None:
        """The view's headline numbers beside the form, so they stay in sight while editing."""
        headline = getattr(type(self.view), "headline", None)
        self.summary.layout.display = None if headline is not None else "none"
        if headline is not None:
            self.summary.value = ("<div class='aicto-form-heading'>Results now</div>" + self.view.build("headline")
                                  + self._checks())

    def _checks(self) -> str:
        """Checks for the consultant (never in the board's reports), each with the input to look at."""
        found = consultant_checks(self.view.result_engagement, self.playbook.checks,
                                  self.playbook.brand.locale)
        if not found:
            return ""
        items = "".join(f"<li>{ui.named(self._label(c.field), c.field)}: {html.escape(c.message)}</li>" for c in found)
        return f"<div class='aicto-form-heading aicto-warn'>Check before the board sees it</div><ul>{items}</ul>"

    def _label(self, path: str) -> str:
        """The label of the value at a dotted path: a readiness answer's question, else the schema's title."""
        if _within(path, ".".join(ANSWERS)):
            return self.question_titles.get(".".join(path.split(".")[:4]), title(Profile, path))
        return title(Profile, path)

    def _say(self, text: str, warn: bool = False, markup: bool = False) -> None:
        self.status.value = text if markup else html.escape(text)
        (self.status.add_class if warn else self.status.remove_class)("aicto-warn")

    def _error(self, key: str) -> w.HTML:
        self.errors[key] = label = ui.error_label()
        return label

    def _button(self, description: str, icon: str, tooltip: str, action: Callable[[], Any],
                style: str = "") -> w.Button:
        """A button that is disabled while its action runs, so a second click cannot start it again."""
        button = w.Button(description=description, icon=icon, tooltip=tooltip, button_style=style,
                          layout=w.Layout(width="auto", flex="0 0 auto", margin="0 0 0 4px"))
        button.add_class(f"aicto-{description.split()[0].lower()}")

        def clicked(_: Any) -> None:
            button.disabled = True
            try:
                action()
            finally:
                button.disabled = False

        button.on_click(clicked)
        return button

    # -- widgets -----------------------------------------------------------------------------------------------------

    def _questionnaire(self) -> w.Widget:
        """One row per question of the playbook (the same for every client), filled from the file by `load`; a bar
        of the dimensions above, each with its progress, shows one dimension's questions at a time."""
        blocks = []
        self.question_paths: list[FieldPath] = []
        self.question_titles: dict[str, str] = {}
        self.dimension_buttons: dict[str, w.Button] = {}
        for dim in self.playbook.questions.dimensions:
            rows = [ui.heading(dim.name), self._error(".".join((*ANSWERS, dim.id)))]
            for question in dim.questions:
                path = (*ANSWERS, dim.id, question.id)
                row, score, note = ui.question_row(path, question, self._error(".".join(path)))
                self.inputs[(*path, "score")], self.inputs[(*path, "note")] = score, note
                ui.watch(score, lambda path=path, score=score, note=note: self._answer_changed(path, score, note))
                ui.watch(note, lambda path=path, score=score, note=note: self._answer_changed(path, score, note))
                self.question_paths.append(path)
                self.question_titles[".".join(path)] = f"{dim.name} / {humanize(question.id)}"
                rows.append(row)
            blocks.append(w.VBox(rows))
            button = w.Button(tooltip=dim.name, layout=w.Layout(width="auto", flex="0 0 auto"))
            button.add_class("aicto-dimension")
            button.add_class(ui.css_name(("dimension", dim.id)))
            button.on_click(lambda _, dim_id=dim.id: self.show_dimension(dim_id))
            self.dimension_buttons[dim.id] = button
        self.dimension_blocks = dict(zip(self.dimension_buttons, blocks, strict=True))
        bar = ui.row(list(self.dimension_buttons.values()))
        bar.add_class("aicto-dimensions")
        self.show_dimension(next(iter(self.dimension_buttons)))
        return w.VBox([bar, ui.scrolling(blocks, ui.ANSWERS_HEIGHT)])

    def show_dimension(self, dim_id: str) -> None:
        """Show one dimension's questions, the others' hidden: the pane scrolls through one dimension at a time."""
        for key, block in self.dimension_blocks.items():
            block.layout.display = None if key == dim_id else "none"
            self.dimension_buttons[key].button_style = "info" if key == dim_id else ""

    def _progress(self) -> None:
        """Each dimension's button says how many of its questions have a score, and how many problems it holds."""
        for dim in self.playbook.questions.dimensions:
            paths = [(*ANSWERS, dim.id, q.id) for q in dim.questions]
            answered = sum(_score(self._value(path)) is not None for path in paths)
            problems = sum(_within(p.path, ".".join((*ANSWERS, dim.id))) for p in self.problems)
            button = self.dimension_buttons[dim.id]
            button.description = f"{_short(dim.name)} {answered}/{len(paths)}" + (f" ⚠ {problems}" if problems else "")
            button.tooltip = f"{dim.name}: {answered} of {len(paths)} answered" + (
                f", {problems} problem{'s' if problems > 1 else ''}" if problems else "")

    def _answer_changed(self, path: FieldPath, score: w.ToggleButtons, note: w.Text) -> None:
        if not self.quiet:
            self.change(path, _answer_value(score.value, note.value.strip(), value_at(self.base, path)))

    def _group(self, group: Group) -> w.Widget:
        """A section's inputs, each with its unit, default and hint, and room for its problems."""
        rows: list[w.Widget] = [ui.heading(group.title)] if len(group.path) > 1 else []
        rows.append(self._error(group.key))
        for spec in group.inputs:
            widget = ui.input_widget(spec, spec.show(self._value(spec.path)))
            self.inputs[spec.path] = widget
            ui.watch(widget, lambda spec=spec, widget=widget: self._input_changed(spec, widget))
            rows.append(ui.input_row(widget, spec, self.profile.client.currency, self._error(spec.key)))
        return w.VBox(rows)

    def _input_changed(self, spec: Input, widget: w.Widget) -> None:
        if not self.quiet:
            self.change(spec.path, spec.parse(widget.value, value_at(self.base, spec.path)))

    def _profile_choices(self) -> list[tuple[str, Path]]:
        return [(str(p.relative_to(self.parameters)), p) for p in profiles(self.parameters)]

    def _clients(self) -> w.Widget:
        """Open another client, or start a new one: blank (what the schema requires) or from a copy of another
        profile's figures without its evidence notes."""
        self.open_error = ui.error_label()
        self.open_choice = w.Dropdown(options=self._profile_choices(), layout=w.Layout(width="320px"))
        opener = self._button("Open", "folder-open", "make this client's own notebooks in lab/ and link to them; "
                              "this notebook stays on its client", lambda: self.open_client(self.open_choice.value))
        source = w.Dropdown(options=[("blank", None)] + [(f"copy of {name} (figures, no notes)", p)
                                                         for name, p in self._profile_choices()],
                            description="Start from", style={"description_width": ui.LABEL_WIDTH},
                            layout=w.Layout(width="520px"))
        source.add_class("aicto-start-from")
        self.new_client_errors: dict[str, w.HTML] = {}
        fields: dict[FieldPath, tuple[Input, w.Widget]] = {}
        rows: list[w.Widget] = []
        for spec in (s for name, model in NEW_CLIENT for g in groups(model, {}, (name,)) for s in g.inputs):
            if spec.kind == "choice":  # blank: the copy's value, or the schema's default
                widget = w.Dropdown(options=[("(from the copy, or the default)", None),
                                             *((str(c), c) for c in spec.choices)], value=None,
                                    description=spec.label, style={"description_width": ui.LABEL_WIDTH},
                                    layout=w.Layout(width=ui.INPUT_WIDTH))
                widget.add_class(ui.css_name(spec.path))
            else:
                widget = ui.input_widget(spec, spec.show(MISSING))
            fields[spec.path] = (spec, widget)
            self.new_client_errors[spec.key] = ui.error_label()
            rows.append(ui.input_row(widget, spec, "", self.new_client_errors[spec.key]))
        self.new_client_errors[""] = ui.error_label()
        self.new_client_fields = fields
        self.new_client_source = source

        def create() -> None:
            self.create_client({path: spec.parse(widget.value) for path, (spec, widget) in fields.items()},
                               source.value)

        creator = self._button("Create and open", "plus", "write parameters/<id>.yaml and make its own notebooks",
                               create)
        pane = ui.scrolling([ui.heading("Open a client"), w.HBox([self.open_choice, opener]), self.open_error,
                             ui.heading("New client"), source, *rows, creator, self.new_client_errors[""]])
        pane.add_class("aicto-clients")
        return pane
