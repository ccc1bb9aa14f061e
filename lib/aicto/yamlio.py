"""Safe YAML reading with errors a consultant can act on (line and column, no traceback)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from aicto.problems import InputError, Problem


def _safe_yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_duplicate_keys = False
    return yaml


def read_yaml_mapping(path: str | Path) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; raise InputError naming the file otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), [Problem("(file)", "file not found", "a YAML file path")]) from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise InputError(str(path), [Problem("(file)", f"cannot be read: {exc.__class__.__name__}",
                                             "a UTF-8 YAML file")]) from None
    try:
        data = _safe_yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        what = exc.problem or exc.context or "malformed YAML"
        raise InputError(str(path), [Problem(where, f"malformed YAML: {what}",
                                             "check indentation, colons and quoting")]) from None
    except YAMLError as exc:
        raise InputError(str(path), [Problem("(file)", f"malformed YAML: {exc}", "valid YAML")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(str(path), [Problem("(top level)", f"expected a mapping of keys, got {type(data).__name__}",
                                             "a YAML mapping such as 'client: ...'")])
    return data
