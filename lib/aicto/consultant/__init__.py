"""Consultant mode: a live form above a notebook's results in JupyterLab; nothing at all under papermill.

Above run/ (it opens a client's working notebooks and saves its file); beside usage/, which it does not import.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from aicto.consultant.mode import interactive
from aicto.present.views.common import Context, View

if TYPE_CHECKING:
    from aicto.consultant.form import ConsultantForm


def consultant_form(client: Context, view: View) -> ConsultantForm | None:
    """The form for this client and view when a consultant runs the notebook in JupyterLab (the cell shows it);
    None, so the cell shows nothing, under papermill, nbclient or plain Python."""
    if not interactive():
        return None
    from IPython.display import HTML, display

    from aicto.consultant.form import ConsultantForm
    from aicto.consultant.widgets import page_style

    form = ConsultantForm(client, view)
    display(HTML(page_style(client.playbook.brand)))  # before the form: the notice stands in for it when offline
    # The kernel's long-lived objects (libraries, playbook, the form's widgets) leave the collector's full scans,
    # which would otherwise pause a redraw by 100 ms and more now and then.
    gc.freeze()
    return form
