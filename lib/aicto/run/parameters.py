"""Notebook parameters, checked before papermill turns them into code.

papermill writes each parameter as `name = value` Python source: it does not check names (a name with a newline
injects code) and turns values it cannot type into str(). Only identifiers and JSON-typed values get through here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aicto.profile.problems import InputError, Problem

NAME = re.compile(r"^[A-Za-z_]\w*$", re.ASCII)
ALLOWED = "a JSON value: text, number, true/false, null, or a list/mapping of those"


def _json_typed(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, list | tuple):
        return all(_json_typed(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_typed(v) for k, v in value.items())
    return False


def checked_parameters(parameters: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The parameters unchanged when every name is an identifier and every value JSON-typed; else InputError."""
    problems = []
    for name, value in parameters.items():
        if not isinstance(name, str) or not NAME.fullmatch(name):
            problems.append(Problem("parameters", f"invalid parameter name {name!r}", "a Python identifier"))
        elif not _json_typed(value):
            problems.append(Problem(f"parameters.{name}", f"value of type {type(value).__name__} is not allowed",
                                    ALLOWED))
    if problems:
        raise InputError(source, problems)
    return dict(parameters)
