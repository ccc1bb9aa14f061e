"""A client's file on disk: its version stamp, and writes that never leave it half written or invalid.

Writes go through a temporary file in the same folder and one rename, after the new text has been read back as the
profile it should hold; the previous version is kept as `<file>.bak`. YAML is written back round-trip (ruamel.yaml)
in the file's own style: comments, key order, quoting and indentation stay as the consultant wrote them.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile, read_profile


class FileChanged(Exception):
    """The client's file is not the version the edits were made against."""


@dataclass(frozen=True)
class Stamp:
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Stamp | None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(st.st_ino, st.st_size, st.st_mtime_ns)


def write_atomic(path: Path, text: str, check: Callable[[Path], None] | None = None,
                 backup: Path | None = None) -> None:
    """Write via a temporary file in the same folder and one rename, so a reader never sees half a file.

    `check` may reject the written temporary file (by raising): then nothing is replaced. `backup` receives a copy
    of the previous version, if there was one."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if check is not None:
            check(tmp)
        if path.exists():
            shutil.copymode(path, tmp)
            if backup is not None:
                shutil.copy2(path, backup)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.bak")


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file writes them, so a dump does not re-indent it."""
    mapping = re.search(r"^[^\s#-][^\n]*:\s*\n(?:\s*(?:#[^\n]*)?\n)*( +)[^\s#-]", text, re.M)
    sequence = re.search(r"^( *)[^\s#-][^\n]*:\s*\n(?:\s*(?:#[^\n]*)?\n)*( *)- ", text, re.M)
    indent = len(mapping.group(1)) if mapping else 2
    offset = len(sequence.group(2)) - len(sequence.group(1)) if sequence else indent
    return indent, offset + 2, offset


def round_trip(text: str) -> YAML:
    """A round-trip YAML that writes back in the style of `text`."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long note
    mapping, sequence, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def dump(yaml: YAML, doc: Any) -> str:
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def reads_back(profile: Profile, playbook: Playbook, path: Path, since: Stamp | None = None) -> Callable[[Path], None]:
    """A check for write_atomic: the written text must read as `profile`, over the version `since` of `path`."""

    def check(written: Path) -> None:
        again = read_profile(written, playbook)
        if again.model_dump() != profile.model_dump():
            raise RuntimeError(f"{path}: the written file does not read back as the profile on screen")
        if since is not None and Stamp.of(path) != since:
            raise FileChanged(f"{path} was saved elsewhere while saving")

    return check


def diff(path: Path, old: str, new: str, label: str) -> str:
    """A change to a client's file as a unified diff; `label` names the new version, e.g. "upgraded"."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"{path}", f"{path} ({label})"))


def save_profile(path: Path, text: str, profile: Profile, playbook: Playbook) -> Path:
    """Write a client's file atomically, once `text` reads back as `profile`, keeping the previous version as
    `<file>.bak`; returns the backup's path."""
    backup = backup_path(path)
    write_atomic(path, text, reads_back(profile, playbook, path), backup=backup)
    return backup
