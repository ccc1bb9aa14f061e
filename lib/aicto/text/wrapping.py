"""Break opportunities in long unbroken strings (a client name without spaces, a URL), for table cells.

A table sizes each column to at least its longest unbreakable run of text, so a 120-character name or a long URL
would push the table off the page. CSS `overflow-wrap: anywhere` would let every word break, and squeezes short
columns into broken words; an invisible `<wbr>` every few characters of a long run only, leaves ordinary words whole.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

LONGEST_RUN = 24  # characters a run keeps unbroken; longer than any ordinary word
_TAG = re.compile(r"(<[^>]*>)")
_RUN = re.compile(r"(?:&#?\w+;|[^\s<&])+")  # an escaped entity counts as one character
_CHAR = re.compile(r"&#?\w+;|.", re.S)


def _split(run: re.Match[str]) -> str:
    chars = _CHAR.findall(run.group(0))
    if len(chars) <= LONGEST_RUN:
        return run.group(0)
    return "<wbr>".join("".join(chars[i:i + LONGEST_RUN]) for i in range(0, len(chars), LONGEST_RUN))


def breakable(value: Any) -> Markup:
    """`value` escaped (markup stays markup), with a break opportunity every LONGEST_RUN characters of any longer
    run of text outside its tags."""
    parts = _TAG.split(str(escape(value)))
    parts[::2] = [_RUN.sub(_split, text) for text in parts[::2]]
    return Markup("".join(parts))
