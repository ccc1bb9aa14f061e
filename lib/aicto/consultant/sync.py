"""One client, several notebooks: each form edits against the version of the client's file it last read, and
takes in what other notebooks saved since, keeping its own edits on top.

A value changed both here and in the file since this form read it is a conflict: the form says so and saves only
when asked again. The version of a file is its stamp (inode, size, modification time): a save replaces the file
with a new inode, so even two saves within the clock's resolution are told apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aicto.consultant.fields import MISSING, value_at
from aicto.consultant.fields import Path as FieldPath
from aicto.profile.problems import dotted
from aicto.profile.writing import Stamp
from aicto.profile.yamlio import read_yaml_mapping


@dataclass(frozen=True)
class Snapshot:
    """The client's file as a form last read it: its data and its stamp."""

    path: Path
    data: dict[str, Any]
    stamp: Stamp | None

    @classmethod
    def read(cls, path: Path) -> Snapshot:
        stamp = Stamp.of(path)  # taken first: a save in between makes the snapshot look stale, never fresh
        return cls(path, read_yaml_mapping(path), stamp)

    def stale(self) -> bool:
        return Stamp.of(self.path) != self.stamp


@dataclass(frozen=True)
class Conflict:
    path: FieldPath
    theirs: Any  # the file's value now (MISSING: removed)
    mine: Any

    def describe(self, label: str = "") -> str:
        """The clash in words, after the value's label (the form's; its dotted path when none is given)."""
        def text(value: Any) -> str:
            """A value as the consultant typed or chose it: an answer's score and note, a quoted text, a list."""
            if _unset(value):
                return "not set"
            if isinstance(value, Mapping) and "score" in value:
                note = value.get("note")
                return f"score {text(value['score'])}" + (f" ({text(note)})" if note else "")
            if isinstance(value, str):
                return f"'{value}'"  # as the form's other messages quote what was typed
            if isinstance(value, list | tuple):
                return ", ".join(text(item) for item in value) or "none"
            return str(value)

        return f"{label or dotted(self.path)}: the file now says {text(self.theirs)}, this form {text(self.mine)}"


def _unset(value: Any) -> bool:
    return value is MISSING or value is None


def _same(a: Any, b: Any) -> bool:
    """Equal as file data, where an absent key and "not set" are the same."""
    return a == b or (_unset(a) and _unset(b))


def rebase(edits: Mapping[FieldPath, Any], old: Mapping[str, Any],
           new: Mapping[str, Any]) -> tuple[dict[FieldPath, Any], list[Conflict]]:
    """This form's edits on top of a newer version of the file: an edit the file now already holds is done; one
    whose value also changed in the file since `old` is kept and reported as a conflict."""
    kept: dict[FieldPath, Any] = {}
    conflicts = []
    for path, mine in edits.items():
        theirs = value_at(new, path)
        if _same(mine, theirs):
            continue
        if not _same(theirs, value_at(old, path)):
            conflicts.append(Conflict(path, theirs, mine))
        kept[path] = mine
    return kept, conflicts
