"""One export file read as a stream of JSON values, with the record-numbered problems `aicto import-usage` reports.

A file may be one JSON document, a JSON array, or JSON lines (one value per line), optionally gzip-compressed.
ijson walks it without loading it whole, so memory stays flat however many records the file holds; problems are
collected as `FILE: record N: field: problem` up to a limit, then reading stops.
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import ijson
from pydantic import BaseModel, ValidationError

from aicto.profile.problems import InputError, Problem, problems_from_validation

HEAD_BYTES = 64 * 1024
MAX_PROBLEMS = 20
Model = TypeVar("Model", bound=BaseModel)


def utc(moment: dt.datetime) -> dt.datetime:
    """Exports without a time zone write UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class ExportFile:
    """One export file; `records` counts the usage records read so far, for messages."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = str(path)
        self.records = 0
        self.skipped = 0  # records that are not LLM usage (other spans, failed calls)
        self.problems: list[Problem] = []
        self.head = self._head()

    def open(self) -> IO[bytes]:
        return gzip.open(self.path, "rb") if self.path.suffix == ".gz" else self.path.open("rb")

    def _head(self) -> str:
        """The start of the file as text, for recognising its format."""
        try:
            with self.open() as fh:
                head = fh.read(HEAD_BYTES).decode("utf-8", errors="ignore")
        except FileNotFoundError:
            raise InputError(self.name, [Problem("(file)", "file not found", "a usage export file")]) from None
        except (IsADirectoryError, PermissionError, OSError) as exc:
            raise InputError(self.name, [Problem("(file)", f"cannot be read: {exc.__class__.__name__}",
                                                 "a JSON or JSON lines file, optionally .gz")]) from None
        if not head.lstrip().startswith(("{", "[")):
            raise InputError(self.name, [Problem("(file)", "not JSON" if head.strip() else "empty file",
                                                 "a JSON or JSON lines export")])
        return head

    def items(self, prefix: str) -> Iterator[Any]:
        """The values at `prefix` (ijson's dotted path, '' for the top) inside every top-level value of the file;
        a top-level array counts as its items."""
        if self.head.lstrip().startswith("["):
            prefix = f"item.{prefix}" if prefix else "item"
        with self.open() as fh:
            try:
                yield from ijson.items(fh, prefix, multiple_values=True, use_float=True)
            except ijson.JSONError as exc:
                reason = str(exc).strip().splitlines()[0]
                self.fail(Problem(f"record {self.records + 1}", f"malformed JSON: {reason}",
                                  "the file as the export wrote it"))
            except (OSError, EOFError) as exc:  # a truncated or corrupt .gz
                self.fail(Problem(f"record {self.records + 1}", f"cannot be read: {exc}", "a complete file"))

    def validate(self, model: type[Model], data: Any, where: str) -> Model | None:
        """`data` as `model`, or None after recording each problem as `where: field: problem`."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for p in problems_from_validation(exc, model):
                self.problem(Problem(f"{where}: {p.path}" if p.path != "(top level)" else where, p.message,
                                     p.allowed))
            return None

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        if len(self.problems) >= MAX_PROBLEMS:
            self.fail(Problem("(file)", f"stopped reading after {MAX_PROBLEMS} problems",
                              "fix these, or check that --format names the right export"))

    def fail(self, problem: Problem) -> None:
        raise InputError(self.name, [*self.problems, problem])

    def finish(self) -> None:
        if self.problems:
            raise InputError(self.name, self.problems)
