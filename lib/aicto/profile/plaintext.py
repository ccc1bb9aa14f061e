"""Client text as the reports may show it: printable, visible, and in the direction it was typed.

Client text reaches titles, tables, calendar lines, CSV cells and the board's HTML, so it holds no control character
(a BEL or ESC from a YAML escape such as "\\a" or "\\e" would reach the HTML raw), no line break where one line is
expected, none of the bidirectional overrides and isolates that make text read in another order than it is stored
(U+202A-U+202E, U+2066-U+2069: the "Trojan source" characters), and something visible: a name of only a zero-width
space is blank on every page. Letters of any script, and the marks they need (U+200E/U+200F, joiners inside a
word), are text like any other.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain(text: str, line_breaks: bool = False) -> str:
    """`text` unchanged, or ValueError naming its first control character, line break or direction override."""
    allowed = "\n\t" if line_breaks else ""
    for c in text:
        if c in DIRECTION_OVERRIDES:
            raise ValueError(f"contains a bidirectional override (U+{ord(c):04X})")
        if unicodedata.category(c) in ("Cc", "Zl", "Zp") and c not in allowed:
            kind = "a line break" if c in LINE_BREAKS else "a control character"
            raise ValueError(f"contains {kind} (U+{ord(c):04X})")
    return text


def visible(text: str) -> str:
    """`text` unchanged, or ValueError when it shows nothing: only spaces and invisible format characters."""
    if not text.strip():
        raise ValueError("is blank; give some text")
    if all(c.isspace() or unicodedata.category(c) in ("Cf", "Zs", "Mn") for c in text):
        raise ValueError("has nothing visible; give some text")
    return text


def _note(text: str) -> str:
    return plain(text, line_breaks=True)


# The same rules for editors (the JSON Schema): no control character or direction override (a note may break lines),
# and some text.
_CONTROL = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"
LINE_PATTERN = rf"^(?=.*\S)[^\t\n{_CONTROL}]*$"
NOTE_PATTERN = rf"^[^{_CONTROL}]*$"

# One line of client text (names, titles, an incident's summary); Note: text that may span lines (a score's evidence).
Line = Annotated[str, Field(min_length=1, max_length=120, json_schema_extra={"pattern": LINE_PATTERN}),
                 AfterValidator(plain), AfterValidator(visible)]
Note = Annotated[str, Field(max_length=2000, json_schema_extra={"pattern": NOTE_PATTERN}), AfterValidator(_note)]
