"""Is this kernel a consultant's live notebook? Only then does the form appear.

JupyterLab's server starts each notebook's kernel with `JPY_SESSION_NAME` (the notebook's path), and jupyter_client's
launcher sets `JPY_PARENT_PID` to the launching process: there, the server, which keeps a `jpserver-<pid>.json` file
in the Jupyter runtime folder. papermill and nbclient (jupyter_server 2.21, jupyter_client 8.10) do not set
`JPY_SESSION_NAME`; a run started from inside a Lab kernel (`!aicto run ...`) inherits it, but its kernels' parent is
the runner, which has no such file: hence the second check.
"""

from __future__ import annotations

import os
from pathlib import Path

MODE_ENV = "AICTO_CONSULTANT"  # "1" forces consultant mode on, "0" off (tests, other front-ends)


def _parent_is_jupyter_server() -> bool:
    from jupyter_core.paths import jupyter_runtime_dir

    pid = os.environ.get("JPY_PARENT_PID", "")
    return pid.isdigit() and (Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json").is_file()


def interactive() -> bool:
    """True in a kernel JupyterLab started for a notebook; False under papermill/nbclient and in plain Python."""
    override = os.environ.get(MODE_ENV, "")
    if override in ("0", "1"):
        return override == "1"
    return bool(os.environ.get("JPY_SESSION_NAME")) and _parent_is_jupyter_server()


def session_notebook() -> Path | None:
    """The notebook JupyterLab started this kernel for (its full path), if any."""
    name = os.environ.get("JPY_SESSION_NAME")
    return Path(name) if name else None
