"""The export formats `aicto import-usage` reads, and how a file's format is recognised."""

from __future__ import annotations

from aicto.profile.problems import InputError, Problem
from aicto.usage import anthropic_usage, litellm, openai_usage, otel
from aicto.usage.records import ExportFormat
from aicto.usage.source import ExportFile

# In the order they are tried: the provider exports' markers are the most specific.
FORMATS: dict[str, ExportFormat] = {f.name: f for f in (openai_usage.FORMAT, anthropic_usage.FORMAT, otel.FORMAT,
                                                        litellm.FORMAT)}


def detect(source: ExportFile) -> ExportFormat:
    """The format whose markers appear in the start of the file."""
    for fmt in FORMATS.values():
        if any(marker in source.head for marker in fmt.markers):
            return fmt
    raise InputError(source.name, [Problem("(file)", "not a usage export this command knows",
                                           f"one of: {', '.join(FORMATS)}; name it with --format")])
