"""How a client run behaves beyond which client: the batch flags, small enough to send to every worker."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    force: bool = True  # re-run even when inputs are unchanged (`aicto run` always does)
    timeout: float | None = None  # seconds one notebook may take
    pdf: bool = False  # also print the board pack to PDF
