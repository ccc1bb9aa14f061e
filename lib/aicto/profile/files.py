"""Opening a user's file: a regular file only, never a named pipe, socket, device or folder.

Every file a run touches (a profile, a snapshot, a usage export) is opened here. A named pipe would block `open()` or
the first read until some writer came, so `aicto validate` on a FIFO hung for good: the file is opened without
blocking and its type checked before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from aicto.profile.problems import InputError, Problem

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def special_kind(mode: int) -> str | None:
    """What a file of this st_mode is when it is not a regular file ("a named pipe (FIFO)"), else None."""
    return None if stat.S_ISREG(mode) else next((kind for test, kind in _KINDS if test(mode)), "a special file")


def open_regular(path: Path, what: str) -> BinaryIO:
    """`path` opened for binary reading; InputError naming the file when it is missing, a broken link, not a regular
    file, or unreadable. `what` is the kind of file expected, e.g. "YAML file"."""
    file = str(path)
    if path.is_symlink() and not path.exists():
        raise InputError(file, [Problem("(file)", f"broken symbolic link to {path.readlink()}",
                                        f"a link to an existing {what}")])
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO opens at once, and is refused
    except FileNotFoundError:
        raise InputError(file, [Problem("(file)", "file not found", f"a {what} path")]) from None
    except OSError as exc:
        raise InputError(file, [Problem("(file)", f"cannot be read: {exc.__class__.__name__}",
                                        f"a readable {what}")]) from None
    kind = special_kind(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        raise InputError(file, [Problem("(file)", f"{kind}, not a file", f"a {what} path")])
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")
