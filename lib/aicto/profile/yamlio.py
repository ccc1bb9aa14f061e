"""Safe YAML reading with errors a consultant can act on (line and column, no traceback).

A file is refused, in milliseconds, when it is too large, nested too deeply (the loader recurses once per level) or
grows through aliases (`*name`) into more values than any profile holds: an "alias bomb" of a few KB expands to
billions of values and would take minutes and gigabytes to validate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.parser import Parser

from aicto.profile.problems import InputError, Problem

MAX_BYTES = 256 * 1024  # the largest example profile is 4 KB, the largest playbook file 27 KB
MAX_DEPTH = 16  # a profile nests 5 levels deep (costs.leadership.full_time.salary.low), the playbook 5
MAX_VALUES = 20_000  # mappings, lists and scalars once aliases are expanded; a full profile holds about 600


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"


class _OverLimit(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


class _LimitedParser(Parser):
    """The pure-Python parser, counting depth and expanded values as the loader takes each event, so a file past a
    limit stops at that event: before the loader recurses into it or builds it."""

    def __init__(self, loader: Any) -> None:
        super().__init__(loader)
        self._values = 0
        self._open: list[tuple[str | None, int]] = []  # (anchor, values before it) per open mapping or list
        self._expanded: dict[str, int] = {}  # anchor -> how many values one alias to it adds

    def get_event(self) -> Any:
        event = super().get_event()
        if isinstance(event, CollectionStartEvent):
            self._open.append((event.anchor, self._values))
            self._values += 1
            if len(self._open) > MAX_DEPTH:
                raise _OverLimit(Problem(_where(event.start_mark), f"nested deeper than {MAX_DEPTH} levels",
                                         f"at most {MAX_DEPTH} levels of mappings and lists"))
        elif isinstance(event, CollectionEndEvent):
            anchor, before = self._open.pop()
            if anchor:
                self._expanded[anchor] = self._values - before
        elif isinstance(event, ScalarEvent):
            self._values += 1
            if event.anchor:
                self._expanded[event.anchor] = 1
        elif isinstance(event, AliasEvent):
            self._values += self._expanded.get(event.anchor, 1)
        if self._values > MAX_VALUES:
            raise _OverLimit(Problem(_where(event.start_mark),
                                     f"more than {MAX_VALUES} values once aliases (*name) are expanded",
                                     f"at most {MAX_VALUES}; write the values out instead of aliasing"))
        return event


def _safe_yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.Parser = _LimitedParser
    yaml.allow_duplicate_keys = False
    return yaml


def _read_text(path: Path) -> str:
    file = str(path)
    if path.is_symlink() and not path.exists():
        raise InputError(file, [Problem("(file)", f"broken symbolic link to {path.readlink()}",
                                        "a link to an existing YAML file")])
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(file, [Problem("(file)", "file not found", "a YAML file path")]) from None
    except OSError as exc:
        raise InputError(file, [Problem("(file)", f"cannot be read: {exc.__class__.__name__}",
                                        "a UTF-8 YAML file")]) from None
    if len(data) > MAX_BYTES:
        raise InputError(file, [Problem("(file)", f"larger than {MAX_BYTES // 1024} KB",
                                        f"a YAML file of at most {MAX_BYTES // 1024} KB")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(file, [Problem("(file)", "cannot be read: UnicodeDecodeError", "a UTF-8 YAML file")]) from None


def read_yaml_mapping(path: str | Path) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; raise InputError naming the file otherwise."""
    return read_yaml_text(path)[1]


def read_yaml_text(path: str | Path) -> tuple[str, dict[str, Any]]:
    """A YAML file's text and the mapping it holds, read once within the limits (for a round-trip edit of it)."""
    text = _read_text(Path(path))
    return text, parse_yaml_mapping(text, str(path))


def parse_yaml_mapping(text: str, file: str) -> dict[str, Any]:
    """The mapping a YAML text holds, parsed within the limits; InputError names `file` otherwise."""
    try:
        data = _safe_yaml().load(text)
    except _OverLimit as exc:
        raise InputError(file, [exc.problem]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "malformed YAML"
        raise InputError(file, [Problem(_where(mark), f"malformed YAML: {what}",
                                        "check indentation, colons and quoting")]) from None
    except YAMLError as exc:
        raise InputError(file, [Problem("(file)", f"malformed YAML: {exc}", "valid YAML")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(file, [Problem("(top level)", f"expected a mapping of keys, got {type(data).__name__}",
                                        "a YAML mapping such as 'client: ...'")])
    return data
