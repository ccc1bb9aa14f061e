"""CSV cells a spreadsheet opens as data: text that starts like a formula is never run (CSV injection).

Excel, LibreOffice and Google Sheets evaluate a cell starting with = + - @ (and tab or carriage return before one);
a leading apostrophe keeps such text as text. Numbers are written as they are, so a negative figure stays a number.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value for a CSV cell: text starting like a formula gets a leading quote; anything else is unchanged."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value
