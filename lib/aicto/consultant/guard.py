"""Keep the template notebooks in notebooks/ free of client data, however JupyterLab saves them.

A Jupyter server pre-save hook, switched on by the project's Jupyter config (jupyter-config/jupyter_server_config.json:
`make lab` and `aicto lab` put it on JUPYTER_CONFIG_PATH, and `make` copies it into the venv for any other JupyterLab
of the project's environment). Before a template is written, its outputs, execution counts and widget state go
(nbstripout), the kernel metadata stays as committed, and a parameters cell naming anything but an example profile is
put back as committed. Other notebooks, such as the working copies in lab/, are saved as they are.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import nbformat
from nbstripout import strip_output

EXAMPLES = "parameters/examples/"
STRIPPED_KEYS = [  # nbstripout's own defaults, plus JupyterLab's collapsed/hidden state of a cell
    "metadata.signature", "metadata.widgets", "cell.metadata.collapsed", "cell.metadata.ExecuteTime",
    "cell.metadata.execution", "cell.metadata.heading_collapsed", "cell.metadata.hidden", "cell.metadata.scrolled",
    "cell.metadata.jupyter",
]
COMMITTED_METADATA = ("kernelspec", "language_info")  # JupyterLab fills in the running kernel's details


def templates() -> Path:
    """The folder of template notebooks (imported on first use: the server has no other need for aicto)."""
    from aicto.present.deliverables import notebooks_dir

    return notebooks_dir()


def _parameters(nb: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    return next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)


def names_a_client(source: str) -> bool:
    """Does a parameters cell name a file other than an example profile (or not parse, while being typed)?"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True
    texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return any(not text.startswith(EXAMPLES) for text in texts)


def clean_template(nb: nbformat.NotebookNode, committed: nbformat.NotebookNode | None) -> nbformat.NotebookNode:
    """The notebook as a template may be stored: no outputs or widget state; kernel metadata and an example
    profile in the parameters cell as `committed` has them."""
    strip_output(nb, keep_output=False, keep_count=False, keep_id=True, extra_keys=STRIPPED_KEYS)
    if committed is None:
        return nb
    for key in COMMITTED_METADATA:
        if key in committed.metadata:
            nb.metadata[key] = committed.metadata[key]
        else:
            nb.metadata.pop(key, None)
    cell, before = _parameters(nb), _parameters(committed)
    if cell is not None and before is not None and names_a_client(cell.source):
        cell.source = before.source
    return nb


def pre_save_hook(model: dict[str, Any], path: str, contents_manager: Any, **kwargs: Any) -> None:
    """jupyter_server's ContentsManager.pre_save_hook: clean a template notebook before it is written."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    target = (Path(contents_manager.root_dir) / path.lstrip("/")).resolve()
    if target.parent != templates():
        return
    committed = nbformat.read(target, as_version=4) if target.is_file() else None
    model["content"] = clean_template(nbformat.from_dict(model["content"]), committed)
    contents_manager.log.info("aicto: saved template %s without outputs, widget state or client paths", path)
