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
from aicto.profile.problems import InputError, Problem
from aicto.profile.schema import SLUG_PATTERN
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


def create_client(folder: Path, values: Mapping[FieldPath, Any], source: Path | None, playbook: Playbook,
                  note: str = "") -> Path:
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
    header = f"{_one_line(profile.client.name)} ({_one_line(profile.client.industry)}): {start}{note and '; '}{note}."
    folder.mkdir(parents=True, exist_ok=True)
    schema = schema_path(playbook)  # a playbook of the practice's own may have no schema: then no line
    editor = editor_line(target, schema) if schema.is_file() else ""
    write_atomic(target, profile_text(data, header, editor), reads_back(profile, playbook, target))
    return target


# `aicto lab NEW-ID` asks for nothing but the id: what the schema requires beyond it is a plain placeholder, named in
# the file's header and in what the command prints, until the discovery call gives the figures.
PLACEHOLDERS: dict[FieldPath, Any] = {("client", "industry"): "To be confirmed", ("team", "engineers"): 0,
                                      ("team", "ai_experience"): "none", ("team", "loaded_cost_per_engineer"): 0}
PLACEHOLDERS_SAID = "its industry and team are placeholders to set in the form's Profile tab"


def readable_name(client_id: str) -> str:
    """A client's name from its id: "acme-robotics" -> "Acme Robotics"."""
    return " ".join(word.capitalize() for word in client_id.split("-"))


def id_problem(client_id: str) -> Problem | None:
    """Why `client_id` cannot be a client's id (the schema's rule, in words), or None."""
    if re.fullmatch(SLUG_PATTERN, client_id):
        return None
    return Problem("client id", f"{client_id!r} is not a client id",
                   "lower-case letters, digits and hyphens, starting and ending with a letter or digit, at most 64, "
                   "e.g. acme-robotics")


def start_client(folder: Path, client_id: str, source: Path | None, playbook: Playbook) -> Path:
    """`aicto lab NEW-ID`: a new client's file named after its id, blank (with placeholders) or from `source`'s
    figures. Raises InputError or FileExistsError as `create_client` does."""
    if problem := id_problem(client_id):
        raise InputError(client_id, [problem])
    values = {("client", "id"): client_id, ("client", "name"): readable_name(client_id)}
    if source is not None:
        return create_client(folder, values, source, playbook)
    return create_client(folder, {**values, **PLACEHOLDERS}, None, playbook, note=PLACEHOLDERS_SAID)
