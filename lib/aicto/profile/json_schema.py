"""The profile's JSON Schema, for editors: `aicto schema` writes it to playbook/profile.schema.json, and a profile's
first line names it (`# yaml-language-server: $schema=../../playbook/profile.schema.json`), so an editor running
yaml-language-server (VS Code's YAML extension, for one) completes keys, shows each field's description and unit, and
marks a typo, a value out of range or an unknown choice as it is typed, offline.

The schema is the pydantic models' (`Profile`, validation mode), so it cannot drift from them: titles are the
consultant form's labels (`title`, else the field's name as words), descriptions its hints with the unit. The short
forms the models accept are spelled out (a range as one number, an answer as its score, an activity as its day), and
the playbook's ids are added: readiness dimensions and questions (with each question's text and anchors), activities
and milestones.

It checks a file's shape, as an editor sees it: dates are strings of `format: date`. `aicto validate` stays the full
check: providers and models known to genai-prices, a holiday calendar for the country, lever shares adding up to 1,
dates in order (a report after the start, actuals within the engagement), the route's plan fitting the engagement.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile
from aicto.text.words import count, humanize

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:aicto:playbook:profile.schema.json"
SCHEMA_FILE = "profile.schema.json"  # in the playbook's folder
EDITOR_LINE = "# yaml-language-server: $schema="  # the comment yaml-language-server reads a file's schema from
TITLE = "aicto client profile"
DESCRIPTION = ("One client of the fractional AI CTO playbook: a YAML file under parameters/, the single source of "
               "every report. This schema checks a file's shape as it is typed; `aicto validate` is the full check.")


class _Generator(GenerateJsonSchema):
    """Pydantic's generator with the form's labels as titles, on every field (models and ranges too)."""

    def get_title_from_name(self, name: str) -> str:
        return humanize(name)

    def field_title_should_be_set(self, schema: Any) -> bool:
        return True

    def handle_ref_overrides(self, json_schema: dict[str, Any]) -> dict[str, Any]:
        return json_schema  # a field's own title and description stay beside the $ref of its model


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in the schema, the outer ones first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def _ref(node: dict[str, Any]) -> str | None:
    """The model a field holds (`$ref`, or `anyOf: [$ref, null]` when it may be left out)."""
    refs = [n["$ref"] for n in [node, *node.get("anyOf", [])] if "$ref" in n]
    return refs[0].rpartition("/")[2] if refs else None


def _readable(schema: dict[str, Any]) -> None:
    """Descriptions for people: a model's docstring as one paragraph, and the description of a field holding a model
    when the field has none; a unit at the end of the description editors show (the `unit` keyword stays, for tools).
    A section's default (the model's own defaults, dumped in full) is left out: each of its fields states its own."""
    defs = schema["$defs"]
    for model in defs.values():
        if "description" in model:
            model["description"] = " ".join(model["description"].split())
    for node in _nodes(schema):
        for field in node.get("properties", {}).values():
            if "description" not in field and (ref := _ref(field)) and "description" in defs[ref]:
                field["description"] = defs[ref]["description"]
    for node in _nodes(schema):
        if "unit" in node and "description" in node:
            node["description"] += f" (unit: {unit_text(node['unit'])})"
        if isinstance(node.get("default"), dict) and node["default"]:
            del node["default"]


def unit_text(unit: str) -> str:
    """A unit as a reader outside the form sees it: the form puts the client's currency for {currency}."""
    return unit.replace("{currency}", "currency")


def _playbook_ids(schema: dict[str, Any], playbook: Playbook) -> None:
    """The ids the playbook defines, where a profile uses them: readiness answers by dimension and question (each
    with its text and anchors), activity ids (roadmap.include/exclude, actuals.activities) and milestone ids."""
    defs = schema["$defs"]
    answers = defs["Readiness"]["properties"]["answers"]
    defs["ReadinessAnswer"] = {"title": "Readiness answer", **answers["additionalProperties"]["additionalProperties"]}
    answers["additionalProperties"] = False
    answers["required"] = [d.id for d in playbook.questions.dimensions]
    answers["properties"] = {d.id: {
        "title": d.name,
        "description": f"{d.name}: a score from {playbook.questions.scale.min} to {playbook.questions.scale.max} "
                       f"for each of its {count(len(d.questions), 'question')}",
        "type": "object",
        "properties": {q.id: {"$ref": "#/$defs/ReadinessAnswer", "title": q.text, "description": q.text + "".join(
            f"\n{level}: {text}" for level, text in sorted(q.anchors.items()))} for q in d.questions},
        "required": [q.id for q in d.questions],
        "additionalProperties": False,
    } for d in playbook.questions.dimensions}
    activities = [a.id for a in playbook.roadmap.activities]
    for key in ("include", "exclude"):
        defs["RoadmapSettings"]["properties"][key]["items"]["enum"] = activities
    actuals = defs["Actuals"]["properties"]
    actuals["activities"]["propertyNames"] = {"enum": activities}
    # the launch has a field of its own, actuals.launch_date
    actuals["milestones"]["propertyNames"] = {"enum": [m for m in playbook.roadmap.milestones
                                                       if m != "production_launch"]}


def profile_schema(playbook: Playbook) -> dict[str, Any]:
    """The profile's JSON Schema (draft 2020-12), with the ids of `playbook`."""

    class Generator(_Generator):
        def generate(self, schema: Any, mode: Any = "validation") -> dict[str, Any]:
            out = super().generate(schema, mode)
            out.update({"$schema": DIALECT, "$id": SCHEMA_ID, "title": TITLE, "description": DESCRIPTION})
            _readable(out)
            _playbook_ids(out, playbook)
            return self.sort(out)  # keys sorted, but a model's properties in the order of its fields

    return Profile.model_json_schema(mode="validation", schema_generator=Generator)


def schema_text(playbook: Playbook) -> str:
    """The schema as the file holds it: 2-space indent, a newline at the end; the same text for the same models."""
    return json.dumps(profile_schema(playbook), indent=2, ensure_ascii=False) + "\n"


def schema_path(playbook: Playbook) -> Path:
    return playbook.root / SCHEMA_FILE


def editor_line(profile: Path, schema: Path) -> str:
    """The first line of a profile at `profile` naming the schema at `schema` for its editor: a relative path, so it
    works offline and wherever the repository is cloned."""
    try:
        target = Path(os.path.relpath(schema.resolve(), profile.resolve().parent)).as_posix()
    except ValueError:  # another drive (Windows): no relative path
        target = schema.resolve().as_uri()
    return f"{EDITOR_LINE}{target}"
