"""Safe YAML reading with errors a consultant can act on (line and column, or the field's path; no traceback).

A file is refused, in milliseconds, when it is too large, nested too deeply (the loader recurses once per level) or
grows through aliases (`*name`) into more values than any profile holds: an "alias bomb" of a few KB expands to
billions of values and would take minutes and gigabytes to validate.

A value YAML can write but Python cannot hold (`2027-02-30`, `2027-13-01`, a 5,000-digit number, a time that
overflows once its offset is applied) and a tag no profile needs (`!!binary`, `!!set`, `!!omap`, `!!pairs`: bytes
and sets that pydantic would quietly take as text and lists) are kept in place as refusals while the file loads,
then reported by their field's path, all at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.parser import Parser
from ruamel.yaml.reader import ReaderError

from aicto.profile.files import open_regular
from aicto.profile.problems import InputError, Problem, dotted

MAX_BYTES = 256 * 1024  # the largest example profile is 4 KB, the largest playbook file 27 KB
MAX_DEPTH = 16  # a profile nests 5 levels deep (costs.leadership.full_time.salary.low), the playbook 5
MAX_VALUES = 20_000  # mappings, lists and scalars once aliases are expanded; a full profile holds about 600
# The largest number a profile holds is 1e12 requests (13 digits); past Python's 4,300 digits int() raises, and long
# before that a number is a typo or an attack.
MAX_DIGITS = 30
PLAIN = "plain YAML: text, numbers, dates, true/false, lists and mappings"


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


class _Refused:
    """A value the reader does not take, kept where it stands so that its problem can name the field's path."""

    __slots__ = ("message", "allowed")

    def __init__(self, message: str, allowed: str):
        self.message, self.allowed = message, allowed

    def __repr__(self) -> str:
        return f"<{self.message}>"


class _Constructor(SafeConstructor):
    """The safe constructor, with a refusal instead of Python's ValueError or OverflowError for a value that cannot
    be built, and instead of bytes or a set for the tags a profile never needs."""

    def construct_yaml_int(self, node: Any) -> Any:
        digits = len(node.value.lstrip("+-").replace("_", ""))
        if digits > MAX_DIGITS:
            return _Refused(f"a number of {digits:,} digits", f"at most {MAX_DIGITS} digits")
        try:
            return super().construct_yaml_int(node)
        except ValueError as exc:
            return _Refused(f"{node.value} is not a number: {exc}", "a whole number, e.g. 12")

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError) as exc:
            return _Refused(f"{node.value} is not a calendar date: {exc}", "a date that exists, e.g. 2027-01-04")

    def construct_refused_tag(self, node: Any) -> Any:
        return _Refused(f"a !!{node.tag.rpartition(':')[2]} value", PLAIN)


# The base class registered its own functions by tag: the overrides take effect once registered for this class.
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
for _tag in ("binary", "set", "omap", "pairs"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _Constructor.construct_refused_tag)


def _refusals(value: Any, path: tuple[Any, ...] = ()) -> list[Problem]:
    """Every refused value in the loaded data, by its path (a refused mapping key by its mapping's)."""
    if isinstance(value, _Refused):
        return [Problem(dotted(path), value.message, value.allowed)]
    found: list[Problem] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _refusals(key, path) if isinstance(key, _Refused) else _refusals(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _refusals(item, (*path, i))
    return found


def _safe_yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.Parser = _LimitedParser
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def _read_text(path: Path) -> str:
    file = str(path)
    try:
        with open_regular(path, "YAML file") as handle:
            data = handle.read(MAX_BYTES + 1)
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


def load_yaml_text(text: str, file: str) -> Any:
    """YAML text as plain Python values (mappings, lists, text, numbers, dates, booleans); InputError naming `file`
    for anything else, never another exception."""
    try:
        data = _safe_yaml().load(text)
    except _OverLimit as exc:
        raise InputError(file, [exc.problem]) from None
    except ReaderError as exc:  # a character YAML does not allow; its message would span two lines
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or b"?")
        raise InputError(file, [Problem(f"line {line}, column {column}",
                                        f"malformed YAML: the character U+{code:04X} is not allowed",
                                        "printable text only")]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "malformed YAML"
        raise InputError(file, [Problem(_where(mark), f"malformed YAML: {what}",
                                        "check indentation, colons and quoting")]) from None
    except YAMLError as exc:
        raise InputError(file, [Problem("(file)", f"malformed YAML: {str(exc).splitlines()[0]}",
                                        "valid YAML")]) from None
    if problems := _refusals(data):
        raise InputError(file, problems)
    return data


def parse_yaml_mapping(text: str, file: str) -> dict[str, Any]:
    """The mapping a YAML text holds, parsed within the limits; InputError names `file` otherwise."""
    data = load_yaml_text(text, file)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(file, [Problem("(top level)", f"expected a mapping of keys, got {type(data).__name__}",
                                        "a YAML mapping such as 'client: ...'")])
    return data


def read_yaml_text(path: str | Path) -> tuple[str, dict[str, Any]]:
    """A YAML file's text and the mapping it holds, read once within the limits (for a round-trip edit of it)."""
    text = _read_text(Path(path))
    return text, parse_yaml_mapping(text, str(path))


def read_yaml_mapping(path: str | Path) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; raise InputError naming the file otherwise."""
    return read_yaml_text(path)[1]


def read_playbook_yaml(path: str | Path) -> dict[str, Any]:
    """A playbook file's mapping, as read_yaml_mapping reads it, kept in the cache by its text: parsing the playbook
    was most of an `aicto validate`. Client files never go through here."""
    from aicto.profile import cache

    text = _read_text(Path(path))
    name = cache.key("yaml", text)
    data = cache.load("yaml", name)
    if isinstance(data, dict):
        return data
    data = parse_yaml_mapping(text, str(path))
    cache.store("yaml", name, data)
    return data
