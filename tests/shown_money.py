"""Money read back from report text, to check a figure against the precision it is shown at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

# "-$1,234.5K", "£300k", "US$2.3m", "€0", "JP¥1,200": sign, symbol, digits, decimals, suffix
MONEY = re.compile(r"(-?)(US\$|JP¥|[$£€¥₹])(\d[\d,]*)(?:\.(\d+))?(bn|[KkMmB])?")
SCALES = {None: 1, "K": 10**3, "k": 10**3, "M": 10**6, "m": 10**6, "B": 10**9, "bn": 10**9}


def amounts(text: str) -> Iterator[tuple[Decimal, Decimal, str]]:
    """Each amount in the text: its value, half of its last shown unit, and its form (suffix and decimals)."""
    for sign, _, whole, fraction, suffix in MONEY.findall(text):
        scale = SCALES[suffix or None]
        digits = len(fraction)
        value = Decimal(f"{sign}{whole.replace(',', '')}.{fraction or '0'}") * scale
        yield value, Decimal(scale).scaleb(-digits) / 2, f"{suffix}.{digits}"


def shows(text: str, figure: float) -> bool:
    """Whether the text shows the figure: some amount equals it rounded at that amount's precision."""
    return any(abs(Decimal(str(figure)) - value) <= half for value, half, _ in amounts(text))
