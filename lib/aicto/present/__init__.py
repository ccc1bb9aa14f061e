"""What a reader sees: the report views the notebooks display, charts, summary.json, the board pack, the HTML and
PDF exports, the roadmap's CSV and calendar, and their templates (kept as data under templates/).

Imports `aicto.model`, `aicto.profile` and `aicto.text`; never runs a kernel or publishes a folder.
"""
