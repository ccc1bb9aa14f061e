"""What a client's reports were made from: one hash of the profile, the playbook data and the code.

Stored beside the last good reports, it lets a batch skip a client whose inputs have not changed since.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

from aicto.model import snapshot

LIB = Path(__file__).resolve().parents[1]
FILE = "fingerprint.txt"


@functools.cache
def _tree_hash(root: Path) -> str:
    """Hash of every file under `root`; cached, as a batch worker reads the same code for every client."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(profile_path: Path, playbook_root: Path, notebooks: Iterable[Path]) -> str:
    """Changes when the profile or its snapshots, any playbook file, any lib/aicto file or one of the notebooks
    changes."""
    digest = hashlib.sha256(profile_path.read_bytes())
    for path in snapshot.files(profile_path):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for root in (playbook_root, LIB):
        digest.update(_tree_hash(root).encode())
    for nb in notebooks:
        digest.update(nb.name.encode() + b"\0" + nb.read_bytes())
    return digest.hexdigest()


def is_current(folder: Path | None, value: str) -> bool:
    stored = folder / FILE if folder else None
    return stored is not None and stored.is_file() and stored.read_text().strip() == value
