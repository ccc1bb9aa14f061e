"""User-facing input problems: one line each, `FILE: dotted.path: what is wrong (what is allowed)`, with one pair of
parentheses at most, never nested and never two in a row (`Problem.describe`).

Every loader in aicto reports bad input through `InputError` so the CLI can print all problems at once and exit 2
without a traceback.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    allowed: str | None = None

    def render(self, file: str) -> str:
        return f"{file}: {self.path}: {self.describe()}"

    def describe(self) -> str:
        """What is wrong and what is allowed, without the file and path (shown beside the input it concerns).

        The allowed text goes in parentheses, unless the message ends with parentheses of its own or the allowed text
        has some: then it follows a semicolon, so brackets are never doubled ("(must be >= 0) (...)") or nested."""
        if not self.allowed:
            return self.message
        if self.message.endswith(")") or any(b in self.allowed for b in "()"):
            return f"{self.message}; {self.allowed}"
        return f"{self.message} ({self.allowed})"


class InputError(Exception):
    """Bad input in one file; carries every problem found, not only the first."""

    def __init__(self, file: str, problems: Sequence[Problem]):
        self.file = str(file)
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(p.render(self.file) for p in self.problems)


def did_you_mean(word: str, choices: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(str(word), list(choices), n=3, cutoff=0.6)


def suggest(word: str, choices: Iterable[str], allowed: str) -> str:
    """The "(allowed)" part for an unknown name: the closest choice first, when there is one."""
    guess = did_you_mean(word, choices)
    return f"did you mean {guess[0]!r}? {allowed}" if guess else allowed


def dotted(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _short(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unwrap(tp: Any) -> Any:
    """Strip Optional / Annotated so we can walk into the real container type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _walk(model: type[BaseModel], loc: Sequence[Any]) -> tuple[Any, Any]:
    """Follow a pydantic error location through the model; return (type at loc, field info or None)."""
    tp: Any = model
    field = None
    for part in loc:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None, None
            tp = field.annotation
        elif origin in (dict, Mapping) or tp is dict:
            tp = typing.get_args(tp)[1] if typing.get_args(tp) else Any
            field = None
        elif origin in (list, tuple, set, Sequence) or tp is list:
            tp = typing.get_args(tp)[0] if typing.get_args(tp) else Any
            field = None
        else:
            return None, field
    return _unwrap(tp), field


def _literal_choices(tp: Any) -> list[str]:
    if typing.get_origin(tp) is typing.Literal:
        return [str(a) for a in typing.get_args(tp)]
    return []


def problems_from_validation(exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    problems = []
    errors = exc.errors()
    # A misspelt key also makes the real key "missing"; report the typo once, with its suggestion.
    suggested = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            parent, _ = _walk(model, err["loc"][:-1])
            if isinstance(parent, type) and issubclass(parent, BaseModel):
                suggested.update((tuple(err["loc"][:-1]), g) for g in did_you_mean(err["loc"][-1], parent.model_fields))
    for err in errors:
        if err["type"] == "missing" and (tuple(err["loc"][:-1]), err["loc"][-1]) in suggested:
            continue
        loc = [p for p in err["loc"]]
        kind = err["type"]
        value = err.get("input")
        ctx = err.get("ctx") or {}
        tp, field = _walk(model, loc)
        allowed = field.description if field is not None else None
        if kind == "extra_forbidden":
            parent, _ = _walk(model, loc[:-1])
            keys = sorted(parent.model_fields) if isinstance(parent, type) and issubclass(parent, BaseModel) else []
            problems.append(Problem(dotted(loc), f"unknown key {str(loc[-1])!r}",
                                    suggest(loc[-1], keys, f"allowed: {', '.join(keys)}")))
            continue
        if kind == "missing":
            message = "is required but missing"
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
            bound = next(iter(ctx.values()))
            bound = f"{bound:g}" if isinstance(bound, int | float) else bound
            message = f"{_short(value)} is out of range (must be {op} {bound})"
        elif kind == "literal_error":
            choices = _literal_choices(tp) or [ctx.get("expected", "")]
            message = f"{_short(value)} is not allowed"
            allowed = "one of: " + ", ".join(choices)
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            message = f"expected a whole number, got {_short(value)}"
        elif kind in ("float_parsing", "float_type"):
            message = f"expected a number, got {_short(value)}"
        elif kind == "finite_number":
            message = f"expected a finite number, got {_short(value)}"
        elif kind in ("bool_parsing", "bool_type"):
            message = f"expected true or false, got {_short(value)}"
        elif kind in ("string_type",):
            message = f"expected text, got {_short(value)}"
        elif kind in ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"):
            message = f"expected a date like 2027-01-04, got {_short(value)}"
        elif kind in ("datetime_parsing", "datetime_type", "datetime_from_date_parsing"):
            message = f"expected a time like 2027-01-04T09:30:00Z, got {_short(value)}"
        elif kind in ("dict_type", "model_type", "model_attributes_type"):
            message = f"expected a mapping of keys to values, got {_short(value)}"
        elif kind in ("list_type", "tuple_type"):
            message = f"expected a list, got {_short(value)}"
        elif kind == "string_pattern_mismatch":
            message = "must not be blank" if value == "" else f"{_short(value)} is not allowed"
        elif kind in ("string_too_short", "string_too_long", "too_short", "too_long"):
            message = re.sub(r"^(input|value|string|list) should", "must", err["msg"].lower())
        elif kind == "value_error":
            message = str(ctx.get("error", err["msg"]))
        else:
            message = err["msg"]
        problems.append(Problem(dotted(loc), message, allowed))
    return problems
