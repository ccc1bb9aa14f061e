"""Write a client's YAML file from consultant mode: only edited values change; comments, key order, quoting and
every untouched value stay as they were (ruamel.yaml round-trip).

Writes are atomic (temp file in the same folder + os.replace) and keep the previous version as `<file>.bak`. The
new text is parsed and validated before it replaces anything, so a file on disk is never left invalid.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from aicto.consultant.fields import Path as FieldPath
from aicto.consultant.fields import value_at, with_edits
from aicto.playbook import Playbook
from aicto.profile import Answer, Profile, load_profile, parse_profile
from aicto.publish import write_atomic
from aicto.yamlio import read_yaml_mapping

ANSWERS: FieldPath = ("readiness", "answers")


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.bak")


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file writes them, so a dump does not re-indent it."""
    mapping = re.search(r"^[^\s#-][^\n]*:\s*\n(?:\s*(?:#[^\n]*)?\n)*( +)[^\s#-]", text, re.M)
    sequence = re.search(r"^( *)[^\s#-][^\n]*:\s*\n(?:\s*(?:#[^\n]*)?\n)*( *)- ", text, re.M)
    indent = len(mapping.group(1)) if mapping else 2
    offset = len(sequence.group(2)) - len(sequence.group(1)) if sequence else indent
    return indent, offset + 2, offset


def _round_trip(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long note
    mapping, sequence, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _plain(value: Any) -> Any:
    """A validated value as YAML writes it naturally: 190000.0 as 190000, models as mappings."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _parent(doc: CommentedMap, path: FieldPath) -> Any:
    node = doc
    for part in path[:-1]:
        if isinstance(node, dict) and not isinstance(node.get(part), dict | list):
            node[part] = CommentedMap()
        node = node[part]
    return node


def _set_answer(doc: CommentedMap, path: FieldPath, answer: Answer) -> None:
    """Keep the short form `question: 3` while there is no note; otherwise `{score: 3, note: ...}`."""
    parent, key = _parent(doc, path), path[-1]
    node = parent.get(key)
    if not answer.note and not isinstance(node, dict):
        parent[key] = answer.score
        return
    if not isinstance(node, dict):
        node = CommentedMap()
        node.fa.set_flow_style()
        parent[key] = node
    node["score"] = answer.score
    if answer.note:
        node["note"] = answer.note
    else:
        node.pop("note", None)


def apply_to_document(doc: CommentedMap, profile: Profile, edited: Iterable[FieldPath]) -> None:
    """Write the validated profile's value at every edited path into the round-trip document, and nothing else."""
    for path in sorted(edited, key=lambda p: [str(part) for part in p]):
        value = value_at(profile, path)
        if isinstance(value, Answer):
            _set_answer(doc, path, value)
        else:
            _parent(doc, path)[path[-1]] = _plain(value)


def _dump(yaml: YAML, doc: Any) -> str:
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _reproduces(profile: Profile, playbook: Playbook) -> Callable[[Path], None]:
    def check(written: Path) -> None:
        again = load_profile(written, playbook)
        if again.model_dump() != profile.model_dump():
            raise RuntimeError(f"{written}: the written file does not read back as the profile on screen")

    return check


def save_profile(path: Path, profile: Profile, edited: Iterable[FieldPath], playbook: Playbook) -> Path | None:
    """Save the edited values of a validated profile into its file; returns the backup of the previous version."""
    text = path.read_text(encoding="utf-8")
    yaml = _round_trip(text)
    doc = yaml.load(text)
    apply_to_document(doc, profile, edited)
    kept = backup_path(path) if path.exists() else None
    write_atomic(path, _dump(yaml, doc), _reproduces(profile, playbook), backup=kept)
    return kept


def new_client(template: Path, folder: Path, client: dict[str, str], playbook: Playbook) -> Path:
    """Start `<folder>/<id>.yaml` from a template profile with a new client id, name and industry.

    Raises InputError (bad id/name/industry, worded as `aicto validate` words them) or FileExistsError.
    """
    edits = {("client", key): value for key, value in client.items()}
    target = folder / f"{client.get('id', '')}.yaml"
    profile = parse_profile(with_edits(read_yaml_mapping(template), edits), str(target), playbook)
    if target.exists():
        raise FileExistsError(f"{target} already exists: open it, or choose another client id")
    text = template.read_text(encoding="utf-8")
    yaml = _round_trip(text)
    doc = yaml.load(text)
    apply_to_document(doc, profile, edits)
    body = re.sub(r"\A(?:#[^\n]*\n)+\n?", "", _dump(yaml, doc))
    header = f"# {profile.client.name}: started from {template.name}; every answer is the template's until changed.\n"
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(target, header + body, _reproduces(profile, playbook))
    return target
