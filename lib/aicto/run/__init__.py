"""Running the reports: the warm kernels, one client's run, the batch over a portfolio, publishing a client's
folder atomically, fingerprints that skip unchanged clients, and the portfolio page.

Imports every layer below (present, model, profile, text); only `aicto.cli`, `aicto.consultant` and `aicto.usage`
sit above it.
"""

import sys

# nbformat imports jsonschema, whose format checks import `rfc3987_syntax` when it is installed (JupyterLab's
# jupyter-events installs it) and build its Lark grammar: 1.4 s at the start of every `aicto run` and batch worker,
# for the "iri" formats no notebook and no profile uses. Without the module jsonschema leaves those two formats
# unchecked; a process that imported it first keeps it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
