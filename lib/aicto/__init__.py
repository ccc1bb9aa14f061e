"""aicto: the fractional AI CTO playbook as a library.

Layers, each a package that imports only those below it (tests/unit/test_layers.py holds this):

    text        the practice's language: money, dates, plurals, spelling
    profile     the client's profile (schema, YAML reading, problems) and the playbook's data
    model       the engagement computed once: readiness, costs, roadmap, ROI, progress, checks, validation
    present     what a reader sees: report views, charts, summary.json, board pack, exports, templates
    run         kernels, a client's run, the batch, publishing, the portfolio page
    consultant  consultant mode in JupyterLab       usage  importing the client's LLM usage exports
    cli         the `aicto` command

Domain code is pure and typed; notebooks call it and only display.
"""

__version__ = "0.1.0"
