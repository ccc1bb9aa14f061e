"""docs/profile-reference.md, made from the profile's JSON Schema (`aicto schema --reference FILE`, `make schema`).

One section per top-level key of a profile, in the order of the model's fields; one table row per field, by its
dotted path: its type, the values it allows (choices, range, length) and its unit, its default, whether it is
required, and its description (with the consultant form's label where the label is not just the key in words). A
value with a short form (a range as one number, an answer as its score) is one row; the fields of its long form are
listed once below the section's table. Lists of values too long for a table cell are written once, at the end.

Only the schema is read, so the reference says what editors and the form say, and a test fails when the committed
file is not what this writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aicto.profile.actuals import MONTH_PATTERN
from aicto.profile.assumptions import YEARS_PATTERN
from aicto.profile.json_schema import SCHEMA_FILE, unit_text
from aicto.profile.plaintext import LINE_PATTERN, NOTE_PATTERN
from aicto.profile.schema import COUNTRY_PATTERN, SLUG_PATTERN
from aicto.text.words import count, humanize

MAX_LISTED = 12  # values of a choice beyond this are written once, under "Long lists"
PATTERNS = {  # patterns as words; any other is shown as it is
    LINE_PATTERN: "one line, not blank",
    NOTE_PATTERN: "no control characters",
    YEARS_PATTERN: "a year from 2000 to 2099",
    MONTH_PATTERN: "YYYY-MM",
    COUNTRY_PATTERN: "two capital letters",
    SLUG_PATTERN: "a-z, 0-9 and inner hyphens, at most 64 characters",
}
TYPES = {"string": "text", "integer": "integer", "number": "number", "boolean": "true/false", "null": "null"}


@dataclass
class _Section:
    rows: list[list[str]] = field(default_factory=list)
    shapes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # {low, high, source} -> its variants


def _number(value: float) -> str:
    if float(value).is_integer():
        value = int(value)
        exponent = len(str(abs(value))) - 1
        return f"1e{exponent}" if exponent >= 9 and abs(value) == 10**exponent else f"{value:,}"
    return f"{value:g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _code(value: Any) -> str:
    return f"`{value}`" if isinstance(value, str) and value else f"`{json.dumps(value)}`"


class _Reference:
    def __init__(self, schema: dict[str, Any]):
        self.schema = schema
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.long_lists: dict[tuple[Any, ...], list[str]] = {}  # values -> the fields that take one of them

    # -- reading the schema ------------------------------------------------------------------------------------------

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """The node with its `$ref` followed and `anyOf: [X, null]` taken as X; the node's own keys win."""
        node = dict(node)
        while "$ref" in node:
            target = self.defs[node.pop("$ref").rpartition("/")[2]]
            node = {**target, **node}
        branches = [b for b in node.get("anyOf", []) if b != {"type": "null"}]
        if "anyOf" in node and len(branches) == 1:
            del node["anyOf"]
            node = {**self.resolve(branches[0]), **node}
        elif "anyOf" in node:
            node["anyOf"] = [self.resolve(b) for b in branches]
        return node

    @staticmethod
    def is_group(node: dict[str, Any]) -> bool:
        return "properties" in node

    def shape(self, node: dict[str, Any]) -> str:
        """A mapping's keys as a short form's type names it: {low, high, source}."""
        return "{" + ", ".join(node["properties"]) + "}"

    def type_name(self, node: dict[str, Any]) -> str:
        if "anyOf" in node:  # a short form, then the long form by its keys
            return ", or ".join(self.shape(b) if self.is_group(b) else self.type_name(b) for b in node["anyOf"])
        kind = node.get("type")
        if kind == "string" and node.get("format") == "date":
            return "date"
        if kind == "array":
            item = self.resolve(node.get("items", {}))
            return "list of mappings" if self.is_group(item) else f"list of {self.plural(self.type_name(item))}"
        if kind == "object":
            value = node.get("additionalProperties")
            return f"mapping to {self.type_name(self.resolve(value))}" if isinstance(value, dict) else "mapping"
        return TYPES.get(kind, str(kind or "any"))

    @staticmethod
    def plural(name: str) -> str:
        return {"text": "texts", "date": "dates", "integer": "integers", "number": "numbers"}.get(name, name)

    def allowed(self, node: dict[str, Any], path: str) -> str:
        """Choices, range, length, key rules and unit, in words."""
        parts = []
        for branch in node.get("anyOf", [node]):
            parts += self._limits(branch, path)
        if node.get("type") == "array":
            parts += self._limits(self.resolve(node.get("items", {})), path, "each ")
        if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
            parts += self._limits(self.resolve(node["additionalProperties"]), path, "each value ")
        parts += self._limits({k: node[k] for k in ("pattern",) if k in node and "anyOf" in node}, path)
        if "propertyNames" in node:
            parts += self._limits(node["propertyNames"], path, "keys: ")
        for key, word, noun in (("minItems", "at least", "item"), ("maxItems", "at most", "item"),
                                ("maxProperties", "at most", "entry")):
            if key in node:
                parts.append(f"{word} {count(node[key], noun)}")
        if "unit" in node:
            parts.append(f"unit: {unit_text(node['unit'])}")
        return "; ".join(dict.fromkeys(parts))

    def _limits(self, node: dict[str, Any], path: str, prefix: str = "") -> list[str]:
        parts = []
        if "enum" in node:
            values = [v for v in node["enum"] if v is not None]
            if len(values) > MAX_LISTED:
                self.long_lists.setdefault(tuple(values), []).append(path)
                parts.append(f"{prefix}one of {len(values)} values ([long lists](#long-lists))")
            else:
                parts.append(f"{prefix}one of " + ", ".join(_code(v) for v in values))
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            parts.append(f"{prefix}{_number(low)} to {_number(high)}")
        elif low is not None:
            parts.append(f"{prefix}{_number(low)} or more")
        elif high is not None:
            parts.append(f"{prefix}at most {_number(high)}")
        short, long = node.get("minLength"), node.get("maxLength")
        if long is not None:
            parts.append(f"{prefix}{short} to {long} characters" if short else f"{prefix}at most {long} characters")
        if "pattern" in node:
            pattern = node["pattern"]
            parts.append(prefix + PATTERNS.get(pattern, f"pattern `{pattern}`"))
        return parts

    def description(self, node: dict[str, Any], key: str) -> str:
        text = node.get("description", "")
        if "unit" in node:
            text = text.removesuffix(f" (unit: {unit_text(node['unit'])})")
        title = node.get("title", "")
        if title and title != humanize(key) and not text.startswith(title):
            text = f"**{title}**: {text}" if text else f"**{title}**"
        return _cell(text)

    # -- writing rows ------------------------------------------------------------------------------------------------

    def rows(self, section: _Section, parent: dict[str, Any], path: str) -> None:
        """A row for every field of `parent` (a mapping), and the rows of the mappings inside it."""
        required = set(parent.get("required", []))
        for key, raw in parent["properties"].items():
            node = self.resolve(raw)
            dotted = f"{path}.{key}"
            default = "" if node.get("default") is None else _code(node["default"])
            section.rows.append([f"`{dotted}`", _cell(self.type_name(node)), _cell(self.allowed(node, dotted)),
                                 default, "yes" if key in required else "no", self.description(node, key)])
            self.inner(section, node, dotted)

    def inner(self, section: _Section, node: dict[str, Any], path: str) -> None:
        """Rows for what a field holds: a mapping's fields, a list's items (`[]`), a short form's long form once."""
        if self.is_group(node):
            self.rows(section, node, path)
        elif node.get("type") == "array" and self.is_group(item := self.resolve(node.get("items", {}))):
            self.rows(section, item, f"{path}[]")
        elif node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
            self.inner(section, self.resolve(node["additionalProperties"]), f"{path}.<key>")
        for branch in node.get("anyOf", []):
            if self.is_group(branch) and branch not in (variants := section.shapes.setdefault(self.shape(branch), [])):
                variants.append(branch)

    def shape_rows(self, variants: list[dict[str, Any]]) -> list[list[str]]:
        """A long form's fields; where its variants differ (a range of months, one of money), the limits are its
        row's."""
        shape = variants[0]
        required = set(shape.get("required", []))
        out = []
        for key, raw in shape["properties"].items():
            node = self.resolve(raw)
            same = all(self.resolve(v["properties"][key]) == node for v in variants)
            allowed = self.allowed(node, key) if same else "as its row says"
            default = "" if node.get("default") is None else _code(node["default"])
            out.append([f"`{key}`", _cell(self.type_name(node)), _cell(allowed), default,
                        "yes" if key in required else "no", self.description(node, key)])
        return out

    # -- the document ------------------------------------------------------------------------------------------------

    def text(self) -> str:
        header = ["Field", "Type", "Allowed", "Default", "Required", "Description"]
        required = set(self.schema.get("required", []))
        out = [
            "# Client profile reference",
            "",
            f"<!-- Generated from playbook/{SCHEMA_FILE} by `aicto schema --reference docs/profile-reference.md` "
            "(`make schema`); do not edit by hand. -->",
            "",
            _cell(self.schema.get("description", "")),
            "",
            "Each section below is a top-level key of the profile. **Required** says whether a field must be given "
            "when the mapping holding it is there; a field left out takes its **default**. `[]` stands for any item "
            "of a list, `<key>` for any key of a mapping. The same schema drives editors: a profile whose first line "
            f"is `# yaml-language-server: $schema=../../playbook/{SCHEMA_FILE}` (the examples' relative path) gets "
            "completion, these descriptions on hover, and these checks as it is typed.",
            "",
            "Sections: " + ", ".join(f"[`{key}`](#{key})" for key in self.schema["properties"])
            + ".",
        ]
        for key, raw in self.schema["properties"].items():
            node = self.resolve(raw)
            section = _Section()
            self.inner(section, node, key)
            about = [node.get("description", "")]
            if (ref := raw.get("$ref") or next((b["$ref"] for b in raw.get("anyOf", []) if "$ref" in b), None)):
                about.append(self.defs[ref.rpartition("/")[2]].get("description", ""))
            about = [a for a in dict.fromkeys(about) if a]
            out += ["", f"## {key}", "", f"**{node.get('title', humanize(key))}**: "
                    + " ".join(_cell(a if a.endswith(".") else f"{a}.") for a in about) + " "
                    + ("A required section." if key in required else "An optional section."), ""]
            out += _table(header, section.rows)
            for name, variants in section.shapes.items():
                out += ["", f"The long form `{name}` of the rows above:", ""]
                out += _table(header, self.shape_rows(variants))
        if self.long_lists:
            out += ["", "## Long lists", ""]
            for values, fields in self.long_lists.items():
                out += [f"{', '.join(f'`{f}`' for f in fields)}: one of", "",
                        ", ".join(_code(v) for v in values), ""]
            out.pop()
        return "\n".join(out) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(row) + " |" for row in rows)]


def reference_text(schema: dict[str, Any]) -> str:
    """The Markdown reference of a profile JSON Schema (profile_schema's)."""
    return _Reference(schema).text()


