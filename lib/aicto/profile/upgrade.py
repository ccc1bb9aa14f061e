"""Client files written for an earlier release, brought to this one (`aicto upgrade FILE`).

A registry of steps, in the order the releases made the changes. Each step is a small function over the file's
ruamel round-trip document (comments, key order, quoting and indentation kept, as profile/writing.py writes): it
reshapes what an earlier release accepted and this one refuses, and says in words what it changed; it changes nothing
in a file that does not need it. The command shows the change as a diff and writes it atomically with the previous
version kept as `<file>.bak`, and only when the result validates.

A step exists for a field that was removed, renamed or newly required, where the change is mechanical. A value that a
release began to refuse because it was wrong (a bound, a typo, a plan that cannot fit) is no step: the message names
the field and the consultant fixes it. tests/fixtures/earlier_profiles/ holds every profile an earlier release of this
repository accepted; each validates today, directly or after these steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from aicto.profile.writing import dump, round_trip
from aicto.profile.yamlio import read_yaml_text

Reshape = Callable[[CommentedMap], list[str]]


@dataclass(frozen=True)
class Step:
    name: str
    release: str  # the commit that changed the schema, and what it did
    reshape: Reshape  # changes the document in place; returns what it changed, [] when the file does not need it

    @property
    def summary(self) -> str:
        """The first line of the step's docstring: what it changes."""
        return (self.reshape.__doc__ or self.name).strip().splitlines()[0]


STEPS: list[Step] = []


def step(release: str) -> Callable[[Reshape], Reshape]:
    """Register an upgrade step, after those already registered (steps run in release order)."""

    def register(reshape: Reshape) -> Reshape:
        STEPS.append(Step(reshape.__name__, release, reshape))
        return reshape

    return register


@dataclass(frozen=True)
class Change:
    step: Step
    notes: list[str]


@dataclass(frozen=True)
class Upgraded:
    old: str
    new: str
    changes: list[Change]


# -- editing a round-trip mapping without losing a comment ----------------------------------------------------------
# ruamel keeps the comment lines (and blank lines) between two entries on the entry before them, after its own
# end-of-line comment. An entry that goes takes its end-of-line comment with it; the lines below it stay in the file.

def _comment(value: str) -> CommentToken:
    return CommentToken(value, CommentMark(0), None)


def _block(value: Any) -> bool:
    """A mapping written as a block, its entries on lines of their own (`{low: 1, high: 2}` is one entry's value)."""
    return isinstance(value, CommentedMap) and bool(value) and not value.fa.flow_style()


def _lines_after(node: CommentedMap, key: Any) -> str:
    """The comment and blank lines below `key`'s entry (a block mapping's: below its last entry)."""
    value = node[key]
    if _block(value):
        return _lines_after(value, list(value)[-1])
    entry = node.ca.items.get(key)
    token = entry[2] if entry is not None and len(entry) > 2 else None
    return token.value.split("\n", 1)[1] if token is not None and "\n" in token.value else ""


def _add_lines_after(node: CommentedMap, key: Any, lines: str) -> None:
    """Append comment or blank lines below `key`'s entry, after those already there."""
    value = node[key]
    if _block(value):
        _add_lines_after(value, list(value)[-1], lines)
        return
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    if entry[2] is None:
        entry[2] = _comment("\n" + lines)
    else:
        own = entry[2].value
        entry[2].value = (own if own.endswith("\n") else own + "\n") + lines


def _add_first_lines(parent: CommentedMap, name: Any, node: CommentedMap, lines: str) -> None:
    """Put comment lines above the first entry of the mapping `parent[name]`."""
    if node.ca.comment is None:
        node.ca.comment = [None, None]
    before = node.ca.comment[1] or []
    before.append(_comment(lines))
    node.ca.comment[1] = before
    parent.ca.items.setdefault(name, [None, None, None, None])[3] = before


def drop(node: CommentedMap, key: Any, parent: CommentedMap | None = None, name: Any = None) -> Any:
    """Remove `key` from the mapping `node` (which is `parent[name]`, if nested) with its end-of-line comment; the
    lines below it stay where they were. When the mapping is left empty, the lines inside it go too (the caller
    removes it): those outside stay, below its entry in the parent."""
    keys = list(node)
    at = keys.index(key)
    lines = _lines_after(node, key)
    value = node.pop(key)
    node.ca.items.pop(key, None)
    if not lines:
        pass
    elif at > 0:
        _add_lines_after(node, keys[at - 1], lines)
    elif node and parent is not None:
        _add_first_lines(parent, name, node, lines)
    elif parent is not None:
        column = parent.lc.col or 0
        outside = [line for line in lines.splitlines(keepends=True)
                   if not line.strip() or len(line) - len(line.lstrip(" ")) <= column]
        _add_lines_after(parent, name, "".join(outside))
    return value


def _comment_columns(node: Any) -> list[int]:
    """The columns of the end-of-line comments in a mapping and the mappings inside it, in file order."""
    if not isinstance(node, CommentedMap):
        return []
    own = [entry[2].column for entry in node.ca.items.values()
           if len(entry) > 2 and entry[2] is not None and entry[2].value.startswith("#")]
    return own + [c for value in node.values() for c in _comment_columns(value)]


def insert_after(node: CommentedMap, after: Any, key: Any, value: Any, comment: str, doc: CommentedMap) -> None:
    """Add `key: value  # comment` right after `after`'s entry, the comment where the mapping's (or else the file's)
    comments start; the lines that were below `after` move below the new entry (they introduce what follows)."""
    lines = _lines_after(node, after)
    entry = node.ca.items.get(after)
    if lines and entry is not None and entry[2] is not None and not _block(node[after]):
        entry[2].value = entry[2].value.split("\n", 1)[0] + "\n"
    else:
        lines = ""
    node.insert(list(node).index(after) + 1, key, value)
    columns = _comment_columns(node) or _comment_columns(doc)
    width = len(f"{key}: {value}") + (node.lc.col or 0)
    column = max(set(columns), key=columns.count) if columns else 0
    node.yaml_add_eol_comment(comment, key, column=column if column > width else width + 2)
    if lines:
        _add_lines_after(node, key, lines)


def _mapping(doc: CommentedMap, key: str) -> CommentedMap | None:
    value = doc.get(key)
    return value if isinstance(value, CommentedMap) else None


# -- the steps, oldest change first ---------------------------------------------------------------------------------

# The rates the example clients took when fx_per_usd came in (parameters/examples at 6550609): the only rates this
# repository has stated. Another currency gets no rate made up; the validation message asks the consultant for it.
REFERENCE_FX = {"EUR": 0.92, "GBP": 0.79}
REFERENCE_FX_DATE = "2026-11"


@step("6550609 (cost breakdown): prices and the playbook's defaults are in USD, converted with fx_per_usd")
def fx_for_other_currencies(doc: CommentedMap) -> list[str]:
    """A client in EUR or GBP without fx_per_usd gets the rate the examples took when the field came in."""
    client = _mapping(doc, "client")
    currency = client.get("currency") if client else None
    if client is None or "fx_per_usd" in client or not isinstance(currency, str) or currency not in REFERENCE_FX:
        return []
    rate = REFERENCE_FX[currency]
    insert_after(client, "currency", "fx_per_usd", rate,
                 f"units of the currency per 1 USD, as of {REFERENCE_FX_DATE} (set by aicto upgrade: check it)", doc)
    return [f"client.fx_per_usd: {rate} added, {currency} per 1 USD as of {REFERENCE_FX_DATE} (the examples' rate); "
            "check it: it converts LLM prices and the playbook's USD defaults into the client's currency"]


@step("0764df9 (one engagement, one story): the plan's milestones and lever work time the launch and the savings")
def roi_timing_from_the_plan(doc: CommentedMap) -> list[str]:
    """roi.launch_month and roi.savings_start_month go: the roadmap now times the launch and each lever's savings."""
    roi = _mapping(doc, "roi")
    notes = []
    for key in ("launch_month", "savings_start_month"):
        if roi is not None and key in roi:
            was = drop(roi, key, doc, "roi")
            shown = {k: was[k] for k in was} if isinstance(was, dict) else was
            notes.append(f"roi.{key}: {shown} removed; the plan's launch milestone and the activities of each lever "
                         "time these now (move them with the roadmap's capacity, include or exclude)")
    if roi is not None and notes and not roi:
        drop(doc, "roi")
        notes.append("roi: removed, nothing else was overridden in it")
    return notes


@step("d33133d (bounds on every profile field): fx_per_usd is refused for a USD client")
def no_fx_for_usd(doc: CommentedMap) -> list[str]:
    """A USD client's fx_per_usd goes: no release converted a USD client's figures with it."""
    client = _mapping(doc, "client")
    if client is None or client.get("currency", "USD") != "USD" or "fx_per_usd" not in client:
        return []
    rate = client["fx_per_usd"]
    if rate == 1 or not isinstance(rate, int | float) or isinstance(rate, bool):
        return []
    drop(client, "fx_per_usd")
    return [f"client.fx_per_usd: {rate} removed; a USD client's figures are in USD (no figure changes)"]


# -- upgrading a file -----------------------------------------------------------------------------------------------

def upgrade_text(text: str) -> Upgraded:
    """Every step applied in order to a profile's YAML text; the text as it was when no step changes anything."""
    yaml = round_trip(text)
    doc = yaml.load(text)
    if not isinstance(doc, CommentedMap):
        return Upgraded(text, text, [])
    changes = [Change(s, notes) for s in STEPS if (notes := s.reshape(doc))]
    if not changes:
        return Upgraded(text, text, [])
    new = dump(yaml, doc)
    if not text.endswith("\n\n"):  # a section removed at the end leaves no blank line behind it
        new = new.rstrip("\n") + "\n"
    return Upgraded(text, new, changes)


def upgrade_file(path: str | Path) -> Upgraded:
    """A client's file upgraded in memory. The file is read within the YAML limits first (InputError otherwise), so
    the round-trip loader only sees what the validation's reader accepts."""
    text, _ = read_yaml_text(path)
    return upgrade_text(text)
