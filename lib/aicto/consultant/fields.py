"""Form inputs derived from the profile schema, so a new profile section gets inputs without new widget code.

Each pydantic field becomes an `Input` (kind, label from the field's `title`, bounds, unit, hint from
`Field(ge=, le=, description=)`); a low/high range (the playbook's override shape) becomes one input of two boxes;
nested models, and list or dict items of models present in the file, become their own groups. Fields of other
shapes are left out of the form and pass through from the file untouched.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import typing
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from aicto.profile.problems import Problem, dotted
from aicto.profile.problems import _unwrap as unwrap_type  # the walk pydantic error paths take, shared
from aicto.text.words import humanize  # a field's label where the schema gives no `title`; the form imports it here

Path = tuple[str | int, ...]
Kind = Literal["int", "float", "bool", "choice", "text", "date", "lines", "range"]
MISSING: Any = object()


def number_text(value: Any) -> str:
    """A number as a person types it: 190000.0 as 190000, no exponent."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else f"{value:g}"


def _number(text: str) -> int | float | str:
    """Typed text as a number when it is one (commas allowed); otherwise the text, for validation to name."""
    plain = text.strip().replace(",", "").replace("_", "")
    for number in (int, float):
        try:
            return number(plain)
        except ValueError:
            pass
    return text.strip()


@dataclass(frozen=True)
class Input:
    path: Path
    label: str
    kind: Kind
    hint: str = ""
    unit: str = ""
    choices: tuple[Any, ...] = ()
    optional: bool = False  # None is allowed: blank means "not set"
    typed_as_text: bool = False  # a number is typed as text and parsed here: text that is not one is kept, and named
    default: Any = None
    replaces: str = ""  # the playbook value an override replaces, as shown

    @property
    def key(self) -> str:
        return dotted(self.path)

    def parse(self, shown: Any, current: Any = MISSING) -> Any:
        """The widget's value as profile data; None means "not set" (the key is left out of the file).
        Text that is not a number is passed on for validation to name. `current` is the file's value."""
        if self.kind == "range":
            return _parse_range(shown, current)
        if self.kind == "lines":
            return [line.strip() for line in str(shown).splitlines() if line.strip()]
        if isinstance(shown, str) and self.kind in ("int", "float", "text") and not shown.strip():
            return None if self.optional or self.kind != "text" else ""
        if self.typed_as_text:
            return _number(shown)
        return shown

    def show(self, value: Any) -> Any:
        """Profile data as the widget's value (a (low, high) pair of texts for a range)."""
        value = self.default if value is MISSING else value
        if self.kind == "range":
            low, high = (value.get("low"), value.get("high")) if isinstance(value, Mapping) else (value, value)
            return tuple("" if v is None else number_text(v) if isinstance(v, int | float) else str(v)
                         for v in (low, high))
        if self.kind == "lines":
            return "\n".join(str(v) for v in value or [])
        if self.typed_as_text or self.kind == "text":
            return "" if value is None else number_text(value) if isinstance(value, int | float) else str(value)
        return value

    def mistyped(self, value: Any) -> list[Problem]:
        """Text typed into a number box, as a problem beside it: "'twelve' is not a number (a whole number, e.g.
        12)"; the box keeps the text (an IntText would silently put the old number back)."""
        if self.kind == "range":
            ends = value.items() if isinstance(value, Mapping) else [("", value)]
            return [Problem(dotted((*self.path, end) if end else self.path), f"{text!r} is not a number",
                            "a number, e.g. 12") for end, text in ends if end in ("", "low", "high")
                    and isinstance(text, str)]
        if self.kind not in ("int", "float") or not isinstance(value, str):
            return []
        example = "a whole number, e.g. 12" if self.kind == "int" else "a number, e.g. 12"
        return [Problem(self.key, f"{value!r} is not a number", example)]

    def unchanged(self, value: Any, current: Any) -> bool:
        """Is `value` what the file already says? An absent key equals blank and the schema's default."""
        return value == current or (current is MISSING and (value is None or value == self.default))


def _parse_range(shown: tuple[str, str], current: Any) -> Any:
    """Low and high boxes as an override: one number alone stands for both (the file's short form); other keys
    of the file's mapping (its `source`) are kept."""
    low, high = (_number(text) if str(text).strip() else None for text in shown)
    if low is None and high is None:
        return None
    if low is None or high is None or low == high:
        value: Any = low if high is None else high
        if not isinstance(current, Mapping):
            return value
        low = high = value
    extra = {k: v for k, v in current.items() if k not in ("low", "high")} if isinstance(current, Mapping) else {}
    return {"low": low, "high": high, **extra}


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


def _is_range(model: type[BaseModel]) -> bool:
    return {"low", "high"} <= set(model.model_fields)


def _bounds(field: FieldInfo, said: str) -> str:
    """The field's bounds in words, unless its description or unit (`said`) already states them."""
    low = next((m.ge for m in field.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in field.metadata if getattr(m, "le", None) is not None), None)
    stated = set(re.findall(r"\d+(?:\.\d+)?", said))
    if low is None and high is None or {f"{b:g}" for b in (low, high) if b is not None} & stated:
        return ""
    if low is not None and high is not None:
        return f"{low:g} to {high:g}"
    return f"{low:g} or more" if low is not None else f"at most {high:g}"


def _replaced(default: Any) -> str:
    """The playbook value an override replaces, as the consultant reads it."""
    if isinstance(default, BaseModel) and _is_range(type(default)):
        low, high = default.low, default.high  # type: ignore[attr-defined]
        return number_text(low) if low == high else f"{number_text(low)} to {number_text(high)}"
    if isinstance(default, int | float) and not isinstance(default, bool):
        return number_text(default)
    return "" if default is None or isinstance(default, BaseModel | Mapping) else str(default)


def _kind(tp: Any) -> Kind | None:
    origin = typing.get_origin(tp)
    if tp is bool:
        return "bool"
    if origin is Literal:
        return "choice"
    if tp in (int, float):
        return "int" if tp is int else "float"
    if tp is str:
        return "text"
    if tp is dt.date:
        return "date"
    if (inner := _model(tp)) is not None and _is_range(inner):
        return "range"
    if origin is list and typing.get_args(tp) and _unwrap(typing.get_args(tp)[0])[0] is str:
        return "lines"
    return None


def _input(name: str, field: FieldInfo, path: Path, replaced: Any) -> Input | None:
    tp, optional = _unwrap(field.annotation)
    if (kind := _kind(tp)) is None:
        return None
    default = None if field.is_required() else field.get_default(call_default_factory=True)
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    unit = str(extra.get("unit", ""))
    description = "" if kind == "range" else field.description or ""  # a range's boxes say it: "low", "= low"
    hint = "; ".join(p for p in (description, _bounds(field, f"{description} {unit}")) if p)
    return Input(path=path, label=field.title or humanize(name), kind=kind, hint=hint, unit=unit,
                 choices=typing.get_args(tp) if kind == "choice" else (), optional=optional,
                 typed_as_text=kind in ("int", "float"), default=copy.deepcopy(default),
                 replaces=_replaced(replaced))


def _items(value: Any, container: Any) -> list[tuple[str | int, Any]]:
    if container is list and isinstance(value, Sequence) and not isinstance(value, str):
        return list(enumerate(value))
    if container is dict and isinstance(value, Mapping):
        return list(value.items())
    return []


def groups(model: type[BaseModel], data: Any, path: Path = (), title: str = "", skip: Sequence[str] = (),
           defaults: Any = None) -> list[Group]:
    """The form groups for `model` holding `data` (the file's mapping): its own inputs first, then nested groups.

    `defaults` mirrors the model with the values an override replaces (the playbook's assumptions for `costs:`),
    shown beside each input."""
    data = data if isinstance(data, Mapping) else {}
    inputs: list[Input] = []
    nested: list[Group] = []
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        sub, value = (*path, name), data.get(name, MISSING)
        replaced = value_at(defaults, (name,), None) if defaults is not None else None
        tp, _ = _unwrap(field.annotation)
        label = field.title or humanize(name)
        sub_title = f"{title} / {label}" if title else label
        if (inner := _model(tp)) is not None and not _is_range(inner):
            nested += groups(inner, value, sub, sub_title, defaults=replaced)
        elif (container := typing.get_origin(tp)) in (list, dict) and (
                item := _model(_unwrap(typing.get_args(tp)[-1])[0])) is not None:
            for key, item_value in _items(value, container):
                item_label = f"{key + 1}" if isinstance(key, int) else str(key)
                nested += groups(item, item_value, (*sub, key), f"{sub_title} / {item_label}")
        elif (spec := _input(name, field, sub, replaced)) is not None:
            inputs.append(spec)
    return ([Group(path, title, inputs)] if inputs else []) + nested


def value_at(data: Any, path: Path, default: Any = MISSING) -> Any:
    """The value at a path through mappings, lists and models; `default` when any step is absent."""
    for part in path:
        if isinstance(data, BaseModel) and isinstance(part, str):
            data = getattr(data, part, default)
        elif isinstance(data, Mapping):
            data = data.get(part, default)
        elif isinstance(data, Sequence) and not isinstance(data, str) and isinstance(part, int) \
                and -len(data) <= part < len(data):
            data = data[part]
        else:
            return default
        if data is default:
            return default
    return data


def with_edits(data: Mapping[str, Any], edits: Mapping[Path, Any]) -> dict[str, Any]:
    """A copy of the file's data with the form's edits applied, as the saved file will hold it: missing mappings
    on the way are created; None removes the key, and a mapping the removal empties."""
    out = copy.deepcopy(dict(data))
    for path, value in edits.items():
        if value is None:
            remove(out, path)
            continue
        node: Any = out
        for part in path[:-1]:
            if isinstance(node, MutableMapping) and not isinstance(node.get(part), Mapping | list):
                node[part] = {}
            node = node[part]
        node[path[-1]] = copy.deepcopy(value)
    return out


def remove(data: MutableMapping[str, Any], path: Path) -> list[tuple[Any, Any]]:
    """Remove the key at `path`, then every mapping on the way that this left empty; returns the (mapping, key)
    pairs removed, innermost first."""
    parents = [data]
    for part in path[:-1]:
        node = parents[-1].get(part) if isinstance(parents[-1], Mapping) else None
        if not isinstance(node, MutableMapping):
            return []
        parents.append(node)
    if path[-1] not in parents[-1]:
        return []
    removed = []
    for parent, key in zip(reversed(parents), reversed(path), strict=False):
        if removed and parent[key]:
            break
        removed.append((parent, key))
        del parent[key]
    return removed


def parts(path: str) -> Path:
    """A dotted path as a problem or a check names it ("ai_spend.workloads[0].route_to") as the form's path."""
    return tuple(int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[\]]+", path))


def title(model: type[BaseModel], path: Path | str) -> str:
    """The label a consultant reads for the value at `path`: its field's title, as the form's input and the
    profile's JSON Schema have it; inside a list item, with the item ("Route to model, workload 2"); a range's
    end after the range ("Salary, low"). A key the schema does not name reads as words."""
    tp: Any = model
    label, items = "", []
    for part in parts(path) if isinstance(path, str) else path:
        tp = unwrap_type(tp)
        inner = _model(tp)
        if inner is not None and isinstance(part, str) and part in inner.model_fields:
            field = inner.model_fields[part]
            name = field.title or humanize(part)
            label, tp = (f"{label}, {name.lower()}" if label and _is_range(inner) else name), field.annotation
        elif typing.get_origin(tp) in (list, dict):
            one = label.lower()[:-1] if label.endswith("s") and not label.endswith("ss") else label.lower()
            items.append(f"{one} {part + 1}" if isinstance(part, int) else str(part))
            tp = (typing.get_args(tp) or (Any,))[-1]
        else:
            label, tp = humanize(str(part)), Any
    return ", ".join([label, *reversed(items[-1:])]) if label else dotted(tuple(path))


def owner(problem_path: str, keys: Sequence[str]) -> str | None:
    """The most specific form key a problem's dotted path falls under, so the message shows beside that input."""
    matches = [k for k in keys if problem_path == k or problem_path.startswith((f"{k}.", f"{k}["))]
    return max(matches, key=len, default=None)
