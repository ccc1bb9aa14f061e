"""Form inputs derived from the profile schema, so a new profile section gets inputs without new widget code.

Each pydantic field becomes an `Input` (kind, bounds, unit, hint from `Field(ge=, le=, description=)`); nested
models, and list or dict items of models present in the file, become their own groups. Fields of other shapes are
left out of the form and pass through from the file untouched.
"""

from __future__ import annotations

import copy
import datetime as dt
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from aicto.problems import _unwrap as unwrap_type  # the walk pydantic error paths take, shared
from aicto.problems import dotted

Path = tuple[str | int, ...]
Kind = Literal["int", "float", "bool", "choice", "text", "date", "lines"]
MISSING: Any = object()


@dataclass(frozen=True)
class Input:
    path: Path
    label: str
    kind: Kind
    hint: str = ""
    unit: str = ""
    choices: tuple[Any, ...] = ()
    optional: bool = False  # None is allowed: blank means "not set"
    typed_as_text: bool = False  # a number with no value yet, or one that may be blank, is typed as text
    default: Any = None

    @property
    def key(self) -> str:
        return dotted(self.path)

    def parse(self, shown: Any) -> Any:
        """The widget's value as profile data. Text that is not a number is passed on for validation to name."""
        if self.kind == "lines":
            return [line.strip() for line in str(shown).splitlines() if line.strip()]
        if isinstance(shown, str) and self.kind in ("int", "float", "text") and not shown.strip():
            return None if self.optional or self.kind != "text" else ""
        if self.typed_as_text:
            text = shown.strip()
            for number in (int, float):
                try:
                    return number(text)
                except ValueError:
                    pass
            return text
        return shown

    def show(self, value: Any) -> Any:
        """Profile data as the widget's value."""
        value = self.default if value is MISSING else value
        if self.kind == "lines":
            return "\n".join(str(v) for v in value or [])
        if self.typed_as_text or self.kind == "text":
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return "" if value is None else str(value)
        return value


@dataclass(frozen=True)
class Group:
    path: Path
    title: str
    inputs: list[Input]

    @property
    def key(self) -> str:
        return dotted(self.path)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type inside Optional/Annotated, whether None is allowed)."""
    return unwrap_type(annotation), type(None) in typing.get_args(annotation)


def _model(tp: Any) -> type[BaseModel] | None:
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _bounds(field: FieldInfo) -> str:
    low = next((f"{m.ge:g}" for m in field.metadata if getattr(m, "ge", None) is not None), None)
    high = next((f"{m.le:g}" for m in field.metadata if getattr(m, "le", None) is not None), None)
    if low is not None and high is not None:
        return f"{low} to {high}"
    return f"{low} or more" if low is not None else f"at most {high}" if high is not None else ""


def _input(name: str, field: FieldInfo, path: Path, value: Any) -> Input | None:
    tp, optional = _unwrap(field.annotation)
    origin = typing.get_origin(tp)
    if tp is bool:
        kind: Kind = "bool"
    elif origin is Literal:
        kind = "choice"
    elif tp in (int, float):
        kind = "int" if tp is int else "float"
    elif tp is str:
        kind = "text"
    elif tp is dt.date:
        kind = "date"
    elif origin is list and typing.get_args(tp) and _unwrap(typing.get_args(tp)[0])[0] is str:
        kind = "lines"
    else:
        return None
    default = None if field.is_required() else field.get_default(call_default_factory=True)
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    bounds = _bounds(field)
    hint = "; ".join(p for p in (field.description or "", "" if bounds in (field.description or "") else bounds) if p)
    unset = (value if value is not MISSING else default) is None
    return Input(path=path, label=(field.title or name.replace("_", " ")).capitalize(), kind=kind, hint=hint,
                 unit=str(extra.get("unit", "")), choices=typing.get_args(tp) if kind == "choice" else (),
                 optional=optional, typed_as_text=kind in ("int", "float") and (optional or unset),
                 default=copy.deepcopy(default))


def _items(value: Any, container: Any) -> list[tuple[str | int, Any]]:
    if container is list and isinstance(value, Sequence) and not isinstance(value, str):
        return list(enumerate(value))
    if container is dict and isinstance(value, Mapping):
        return list(value.items())
    return []


def groups(model: type[BaseModel], data: Any, path: Path = (), title: str = "",
           skip: Sequence[str] = ()) -> list[Group]:
    """The form groups for `model` holding `data` (the file's mapping): its own inputs first, then nested groups."""
    data = data if isinstance(data, Mapping) else {}
    inputs: list[Input] = []
    nested: list[Group] = []
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        sub, value = (*path, name), data.get(name, MISSING)
        tp, _ = _unwrap(field.annotation)
        sub_title = f"{title} / {name.replace('_', ' ')}" if title else name.replace("_", " ").capitalize()
        if (inner := _model(tp)) is not None:
            nested += groups(inner, value, sub, sub_title)
        elif (container := typing.get_origin(tp)) in (list, dict) and (
                item := _model(_unwrap(typing.get_args(tp)[-1])[0])) is not None:
            for key, item_value in _items(value, container):
                label = f"{key + 1}" if isinstance(key, int) else str(key)
                nested += groups(item, item_value, (*sub, key), f"{sub_title} / {label}")
        elif (spec := _input(name, field, sub, value)) is not None:
            inputs.append(spec)
    return ([Group(path, title, inputs)] if inputs else []) + nested


def value_at(data: Any, path: Path, default: Any = MISSING) -> Any:
    """The value at a path through mappings, lists and models; `default` when any step is absent."""
    for part in path:
        if isinstance(data, BaseModel) and isinstance(part, str):
            data = getattr(data, part, default)
        elif isinstance(data, Mapping):
            data = data.get(part, default)
        elif isinstance(data, Sequence) and isinstance(part, int) and -len(data) <= part < len(data):
            data = data[part]
        else:
            return default
        if data is default:
            return default
    return data


def with_edits(data: Mapping[str, Any], edits: Mapping[Path, Any]) -> dict[str, Any]:
    """A copy of the file's data with the form's edits applied; missing mappings on the way are created."""
    out = copy.deepcopy(dict(data))
    for path, value in edits.items():
        node: Any = out
        for part in path[:-1]:
            if isinstance(node, Mapping) and not isinstance(node.get(part), Mapping | list):
                node[part] = {}
            node = node[part]
        node[path[-1]] = copy.deepcopy(value)
    return out


def owner(problem_path: str, keys: Sequence[str]) -> str | None:
    """The most specific form key a problem's dotted path falls under, so the message shows beside that input."""
    matches = [k for k in keys if problem_path == k or problem_path.startswith((f"{k}.", f"{k}["))]
    return max(matches, key=len, default=None)
