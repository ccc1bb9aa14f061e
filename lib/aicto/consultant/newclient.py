"""A new client's profile: blank (what the schema requires, every readiness answer at 1 until scored), or a copy of
another profile's figures without its evidence notes and comments, so no other company's words come along. Its first
line names the profile's JSON Schema by a path relative to the new file, for the consultant's editor (a copied
example's own line, relative to the example, is one of the comments left behind)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aicto.consultant.fields import Path as FieldPath
from aicto.consultant.fields import value_at, with_edits
from aicto.consultant.save import ANSWERS
from aicto.model.validation import parse_client
from aicto.profile.json_schema import editor_line, schema_path
from aicto.profile.playbook import Playbook
from aicto.profile.writing import dump, reads_back, round_trip, write_atomic
from aicto.profile.yamlio import read_yaml_mapping

BLANK_SCORE = 1  # "not there yet": an unscored question shows as a gap, never as quietly adequate


def _scores_only(answers: Any) -> Any:
    """Answers without their evidence notes."""
    if not isinstance(answers, Mapping):
        return answers
    return {dim: {q: a.get("score") if isinstance(a, Mapping) else a for q, a in qs.items()}
            if isinstance(qs, Mapping) else qs for dim, qs in answers.items()}


def starting_data(source: Path | None, playbook: Playbook) -> dict[str, Any]:
    """The new profile before the consultant's values: blank, or the source's data without evidence notes."""
    if source is None:
        answers = {d.id: {q.id: BLANK_SCORE for q in d.questions} for d in playbook.questions.dimensions}
        return {"client": {}, "team": {}, "readiness": {"answers": answers}}
    data = read_yaml_mapping(source)
    if isinstance(data.get("readiness"), Mapping):
        data["readiness"] = {**data["readiness"], "answers": _scores_only(value_at(data, ANSWERS, {}))}
    return data


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def profile_text(data: Mapping[str, Any], header: str, editor: str = "") -> str:
    """A fresh file in the examples' style: the editor's schema line (if any), a header comment, a blank line between
    sections."""
    body = dump(round_trip(""), dict(data))
    return (f"{editor}\n" if editor else "") + f"# {header}\n" + re.sub(r"\n(?=[^\s#-])", "\n\n", body)


def create_client(folder: Path, values: Mapping[FieldPath, Any], source: Path | None, playbook: Playbook) -> Path:
    """Write `<folder>/<id>.yaml` for a new client from the form's values (blank ones are left out, or come from
    `source`). Raises InputError (worded as `aicto validate` words it) or FileExistsError."""
    data = with_edits(starting_data(source, playbook), {p: v for p, v in values.items() if v is not None})
    target = folder / f"{value_at(data, ('client', 'id'), '')}.yaml"
    profile = parse_client(data, str(target), playbook)
    if target.exists():
        raise FileExistsError(f"{target} already exists: open it, or choose another client id")
    today = dt.date.today().isoformat()
    start = (f"started blank on {today}; every readiness answer is {BLANK_SCORE} until scored" if source is None
             else f"started on {today} from a copy of another profile's figures, without its evidence notes")
    header = f"{_one_line(profile.client.name)} ({_one_line(profile.client.industry)}): {start}."
    folder.mkdir(parents=True, exist_ok=True)
    schema = schema_path(playbook)  # a playbook of the practice's own may have no schema: then no line
    editor = editor_line(target, schema) if schema.is_file() else ""
    write_atomic(target, profile_text(data, header, editor), reads_back(profile, playbook, target))
    return target
