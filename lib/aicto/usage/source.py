"""One export file read as a stream of JSON values, with the record-numbered problems `aicto import-usage` reports.

A file may be one JSON document, a JSON array, or JSON lines (one value per line), optionally gzip-compressed.
ijson walks it without loading it whole, so memory stays flat however many records the file holds; problems are
collected as `FILE: record N: field: problem` up to a limit, then reading stops.

The file is opened as a regular file only (a FIFO would block for good), and read through a guard that bounds what
one value may hold: ijson builds each string and number whole, so a gzip bomb whose model name is a 1 GB string had
grown memory for minutes. A truncated or corrupt .gz is one line, never EOFError or zlib.error.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any, Protocol, TypeVar

import ijson
from pydantic import AfterValidator, BaseModel, ValidationError

from aicto.profile.assumptions import EARLIEST_DATE, LATEST_DATE
from aicto.profile.files import open_regular
from aicto.profile.problems import InputError, Problem, problems_from_validation

HEAD_BYTES = 64 * 1024
MAX_PROBLEMS = 20
# The longest single value (a string or number, or a run of spaces) the reader takes: an export's names, ids and
# numbers are short; a LiteLLM row that stores its prompt holds a long text, and a 1M-token context is about 4 MB of
# it. 16 MB holds that with room, and bounds the memory a gzip bomb of one endless string takes to be refused.
MAX_VALUE_BYTES = 16 * 1024 * 1024
EARLIEST = dt.datetime.combine(EARLIEST_DATE, dt.time(), dt.UTC)
LATEST = dt.datetime.combine(LATEST_DATE + dt.timedelta(days=1), dt.time(), dt.UTC)
GZIP_BROKEN = "cannot be read: a truncated or corrupt gzip file"
Model = TypeVar("Model", bound=BaseModel)


class Format(Protocol):
    """What a reader checks a value against (records.ExportFormat, which imports this module)."""

    title: str

    def shape(self, value: Any) -> bool: ...


def utc(moment: dt.datetime) -> dt.datetime:
    """Exports without a time zone write UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _in_world(moment: dt.datetime) -> dt.datetime:
    """The moment in UTC, if it lies in 2000-2099 like every date of a profile: year 1 or 9999 with an offset
    overflowed, and a 1970 row (a zero timestamp) spread an export over 56 years."""
    try:
        found = utc(moment)
    except OverflowError:
        found = None
    if found is None or not EARLIEST <= found < LATEST:
        raise ValueError(f"{moment.isoformat()} is not a time of {EARLIEST.year}-{LATEST_DATE.year}")
    return found


Moment = Annotated[dt.datetime, AfterValidator(_in_world)]


class _TooLong(Exception):
    pass


class _Bounded:
    """A binary stream that raises _TooLong once MAX_VALUE_BYTES pass without an unescaped double quote: every JSON
    string starts and ends with one, and between strings an export has punctuation, numbers and a little space.
    It also hashes what it reads, so that the same export given twice is found."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.run = 0  # bytes since the last unescaped quote
        self.backslashes = 0  # backslashes ending the previous chunk (an odd count escapes the next byte)
        self.digest = hashlib.blake2b(digest_size=16)

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        if not chunk:
            return chunk
        self.digest.update(chunk)
        masked = (b"\\" * (self.backslashes % 2) + chunk).replace(b"\\\\", b"..").replace(b'\\"', b"..")
        masked = masked[self.backslashes % 2:]
        first, last = masked.find(b'"'), masked.rfind(b'"')
        if first < 0:
            self.run += len(chunk)
        else:
            if self.run + first > MAX_VALUE_BYTES or _longest_gap(masked) > MAX_VALUE_BYTES:
                raise _TooLong()
            self.run = len(masked) - last - 1
        if self.run > MAX_VALUE_BYTES:
            raise _TooLong()
        self.backslashes = len(chunk) - len(chunk.rstrip(b"\\"))
        return chunk

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> _Bounded:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _longest_gap(masked: bytes) -> int:
    """The longest run between two quotes inside one chunk: chunks are smaller than MAX_VALUE_BYTES (ijson reads
    64 KB), so this is 0 unless a caller reads more at once."""
    if len(masked) <= MAX_VALUE_BYTES:
        return 0
    return max(len(part) for part in masked.split(b'"'))


class ExportFile:
    """One export file; `records` counts the usage records read so far, for messages."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = str(path)
        self.records = 0
        self.skipped = 0  # records that are not LLM usage (other spans, failed calls)
        self.problems: list[Problem] = []
        self.digest: str | None = None  # of the file's content, once read to its end
        self.formats: tuple[Format, ...] = ()  # every known format, to name the one a stray record is of
        self.head = self._head()

    def open(self) -> _Bounded:
        raw = open_regular(self.path, "usage export")
        return _Bounded(gzip.GzipFile(fileobj=raw, mode="rb") if self.path.suffix == ".gz" else raw)

    def _head(self) -> str:
        """The start of the file as text, for recognising its format."""
        try:
            with self.open() as fh:
                head = fh.read(HEAD_BYTES).decode("utf-8", errors="ignore")
        except (EOFError, zlib.error, gzip.BadGzipFile):
            raise InputError(self.name, [Problem("(file)", GZIP_BROKEN, "a complete file")]) from None
        except _TooLong:
            head = "{"  # a value longer than the head: reading the records says so
        except OSError as exc:
            raise InputError(self.name, [Problem("(file)", f"cannot be read: {exc.__class__.__name__}",
                                                 "a JSON or JSON lines file, optionally .gz")]) from None
        if not head.lstrip().startswith(("{", "[")):
            raise InputError(self.name, [Problem("(file)", "not JSON" if head.strip() else "empty file",
                                                 "a JSON or JSON lines export")])
        return head

    def values(self) -> Iterator[Any]:
        """Every top-level value of the file (a top-level array counts as its items)."""
        return self.items("")

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
            except (EOFError, zlib.error, gzip.BadGzipFile):
                self.fail(Problem(f"record {self.records + 1}", GZIP_BROKEN, "a complete file"))
            except _TooLong:
                self.fail(Problem(f"record {self.records + 1}",
                                  f"a value of more than {MAX_VALUE_BYTES // 2**20} MB",
                                  "an export's names and numbers are short; the file as the export wrote it"))
            except OSError as exc:
                self.fail(Problem(f"record {self.records + 1}", f"cannot be read: {exc}", "a complete file"))
            self.digest = fh.digest.hexdigest()

    def belongs(self, value: Any, fmt: Format) -> bool:
        """Whether a top-level value is of `fmt`; if not, records the problem, naming the format it is of."""
        if fmt.shape(value):
            return True
        other = next((f for f in self.formats if f is not fmt and f.shape(value)), None)
        where = f"record {self.records + 1}"
        if other is None:
            self.problem(Problem(where, f"not {_a(fmt.title)} record", "one format per file"))
        else:
            self.problem(Problem(where, f"{_a(other.title)} record in {_a(fmt.title)} export", "one format per file"))
        self.records += 1
        return False

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


def _a(title: str) -> str:
    return ("an " if title[:1] in "AEIOU" else "a ") + title
