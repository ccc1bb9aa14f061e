"""Derived data kept on disk between commands, so that `aicto validate` answers at once: the playbook's parsed YAML
(keyed by each file's text), the `holidays` package's calendars (keyed by its version) and genai-prices' answers
(keyed by its version: whether a provider and model are known, the price of a request of so many tokens). Of what a
client wrote only those model names and token counts are kept, with no client's name: a profile is parsed on every
run.

Values are JSON (dates tagged), never pickles, and a value is only stored when it reads back equal, so the cache can
change no result; a cache that cannot be read or written is skipped. The folder is $AICTO_CACHE_DIR, else
$XDG_CACHE_HOME/aicto, else ~/.cache/aicto; AICTO_CACHE_DIR=off turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_ENV = "AICTO_CACHE_DIR"
FORMAT = "1"  # part of every key: a new layout of the values makes new keys


def cache_dir() -> Path | None:
    chosen = os.environ.get(CACHE_ENV)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "aicto"


def key(*parts: str) -> str:
    return hashlib.sha256("\0".join((FORMAT, *parts)).encode()).hexdigest()


def pack(value: Any) -> Any:
    """JSON values for YAML's: dates tagged, and a mapping with keys other than text (a scale's 1-5) as its pairs."""
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: pack(v) for k, v in value.items()}
        return {"$map": [[pack(k), pack(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [pack(v) for v in value]
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def _unpack(obj: dict) -> Any:
    if len(obj) == 1:
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return dt.datetime.fromisoformat(obj["$datetime"])
        if "$map" in obj:
            return {k: v for k, v in obj["$map"]}
    return obj


def unpack(value: Any) -> Any:
    """What `pack` made, back as YAML's values (dates, mappings with number keys)."""
    return json.loads(json.dumps(value), object_hook=_unpack)


def load(kind: str, name: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / kind / f"{name}.json").read_bytes(), object_hook=_unpack)
    except (OSError, ValueError):
        return None


def store(kind: str, name: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        text = json.dumps(pack(value), allow_nan=False)
        if json.loads(text, object_hook=_unpack) != value:
            return  # a value JSON cannot hold as it is (a set, a float's infinity): never stored
        (folder / kind).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=folder / kind, suffix=".tmp", delete=False) as handle:
            handle.write(text)
        os.replace(handle.name, folder / kind / f"{name}.json")
    except (OSError, TypeError, ValueError):
        return
