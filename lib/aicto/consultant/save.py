"""Write a client's YAML file from consultant mode: only edited values change; comments, key order, quoting, the
blank lines between sections and every untouched value stay as they were (ruamel.yaml round-trip).

Writes are atomic (temp file in the same folder + os.replace) and keep the previous version as `<file>.bak`. The
new text is parsed and validated before it replaces anything, so a file on disk is never left invalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from aicto.consultant.fields import Path as FieldPath
from aicto.consultant.fields import remove
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile
from aicto.profile.writing import Stamp, backup_path, dump, reads_back, round_trip, write_atomic

ANSWERS: FieldPath = ("readiness", "answers")


def _plain(value: Any) -> Any:
    """An edited value as a hand-written file holds it: 190000.0 as 190000, a small mapping on one line."""
    if isinstance(value, Mapping):
        node = CommentedMap((k, _plain(v)) for k, v in value.items())
        node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        return CommentedSeq(_plain(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# -- the blank lines after a section ---------------------------------------------------------------------------------
# ruamel keeps them in the comment after the section's last line, held by its innermost last key or item: edits that
# add or remove that key move them, so sections stay spaced as the file spaced them.

def _tail(container: Any, key: Any) -> tuple[Any, Any, int]:
    """(holder, key, slot) of the comment after the last line of `container[key]`."""
    node = container[key]
    while isinstance(node, CommentedMap | CommentedSeq) and len(node) and not node.fa.flow_style():
        container, key = node, (next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1)
        node = container[key]
    return container, key, 2 if isinstance(container, CommentedMap) else 0


def _blank_lines(container: Any, key: Any) -> int:
    holder, k, slot = _tail(container, key)
    token = (holder.ca.items.get(k) or [None] * 4)[slot]
    return max(0, len(token.value) - len(token.value.rstrip("\n")) - 1) if token is not None else 0


def _set_blank_lines(container: Any, key: Any, count: int) -> None:
    holder, k, slot = _tail(container, key)
    items = holder.ca.items.setdefault(k, [None] * 4)
    token = items[slot]
    comment = token.value.rstrip("\n") if token is not None else ""
    if not comment and not count:
        items[slot] = None
    elif token is not None:
        token.value = comment + "\n" * (1 + count)
    else:
        items[slot] = CommentToken("\n" * (1 + count), CommentMark(0), None)


def _set(doc: CommentedMap, path: FieldPath, value: Any) -> None:
    parent: Any = doc
    for part in path[:-1]:
        child = parent[part] if isinstance(parent, CommentedSeq) else parent.get(part)
        if not isinstance(child, CommentedMap | CommentedSeq):
            parent[part] = child = CommentedMap()
        parent = child
    node = parent[path[-1]] if isinstance(parent, CommentedSeq) else parent.get(path[-1])
    if isinstance(value, Mapping) and isinstance(node, CommentedMap):  # in place: keeps its comments and style
        for key in [k for k in node if k not in value]:
            del node[key]
        for key, item in value.items():
            node[key] = _plain(item)
    else:
        parent[path[-1]] = _plain(value)


def apply_edits(doc: CommentedMap, edits: Mapping[FieldPath, Any]) -> None:
    """Write every edit into the round-trip document, in order, and nothing else; None removes a key (and the
    mappings that leaves empty). A new section is spaced from the one before as the file spaces its sections."""
    sections = list(doc)
    spaced = any(_blank_lines(doc, s) for s in sections[:-1])
    at_end = _blank_lines(doc, sections[-1]) if sections else 0
    for path, value in edits.items():
        section, last = path[0], (list(doc) or [None])[-1]
        blank = 0
        if section in doc:  # taken off the section's last line, to go after its last line once edited
            blank = _blank_lines(doc, section)
            _set_blank_lines(doc, section, 0)
        if value is None:
            remove(doc, path)
        else:
            _set(doc, path, value)
        if section in doc:
            _set_blank_lines(doc, section, blank)
            if section != last and last is not None and list(doc)[-1] == section and spaced:
                _set_blank_lines(doc, last, max(1, _blank_lines(doc, last)))
    if doc:
        _set_blank_lines(doc, list(doc)[-1], at_end)


def save_profile(path: Path, profile: Profile, edits: Mapping[FieldPath, Any], playbook: Playbook,
                 since: Stamp | None = None) -> Path | None:
    """Save the edits (path -> value, as the form validated them into `profile`) into the file; returns the backup
    of the previous version. With `since`, refuses (FileChanged) if the file is no longer that version."""
    text = path.read_text(encoding="utf-8")
    yaml = round_trip(text)
    doc = yaml.load(text)
    apply_edits(doc, edits)
    kept = backup_path(path) if path.exists() else None
    write_atomic(path, dump(yaml, doc), reads_back(profile, playbook, path, since), backup=kept)
    return kept
