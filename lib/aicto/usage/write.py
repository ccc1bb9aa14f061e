"""The import's change to the client's YAML file: a ruamel round-trip edit (comments, key order and untouched
values kept), shown as a unified diff, written atomically with the previous version kept as `<file>.bak`
(aicto.profile.writing: diff and save_profile, as `aicto upgrade` writes).

The edited text is validated as `aicto validate` would before anything is written, and the written file must read
back as the same profile, so an import never leaves the file invalid.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from aicto.model.validation import parse_client
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile
from aicto.profile.writing import dump, round_trip
from aicto.profile.yamlio import load_yaml_text
from aicto.usage.plan import Plan

SOURCE_COMMENT = "aicto import-usage: `fields` came from the export; every other field is a consultant judgement"


def _flow(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _source(values: dict[str, Any]) -> CommentedMap:
    source = CommentedMap()
    for key, value in values.items():
        if value is not None:
            source[key] = _flow(value) if isinstance(value, list) else value
    return source


def _set_workload(node: CommentedMap, values: dict[str, Any]) -> None:
    for key, value in values.items():
        node[key] = _source(value) if key == "source" else value
    node.yaml_add_eol_comment(SOURCE_COMMENT, "source")


def _history(entries: list[dict[str, Any]]) -> CommentedSeq:
    seq = CommentedSeq()
    for entry in entries:
        item = CommentedMap((k, v) for k, v in entry.items() if v is not None)
        item.fa.set_flow_style()
        seq.append(item)
    return seq


def apply(doc: CommentedMap, plan: Plan) -> None:
    """Write the plan into the round-trip document, touching only what the import measures."""
    if not isinstance(doc.get("ai_spend"), dict):
        doc["ai_spend"] = CommentedMap()
    spend = doc["ai_spend"]
    if plan.drop_monthly_bill:
        del spend["monthly_bill"]
    if plan.workloads and (not isinstance(spend.get("workloads"), list) or not spend["workloads"]):
        spend["workloads"] = CommentedSeq()
    for w in plan.workloads:
        if w.index is None:
            spend["workloads"].append(CommentedMap())
        _set_workload(spend["workloads"][-1 if w.index is None else w.index], w.values)
    if plan.monthly_growth is not None:
        spend["monthly_growth"] = plan.monthly_growth
    if plan.history is not None:
        spend["history"] = _history(plan.history)


def render(path: Path, plan: Plan, playbook: Playbook) -> tuple[str, str, Profile]:
    """(the file's text, its text after the import, the profile it holds), validated; raises InputError."""
    text = path.read_text(encoding="utf-8")
    yaml = round_trip(text)
    aliases = yaml.representer.ignore_aliases
    yaml.representer.ignore_aliases = lambda data: isinstance(data, dt.date) or aliases(data)  # no &id001 dates
    doc = yaml.load(text)
    apply(doc, plan)
    new = dump(yaml, doc)
    return text, new, parse_client(load_yaml_text(new, str(path)), str(path), playbook)

