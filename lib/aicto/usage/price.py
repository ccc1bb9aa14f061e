"""Summed usage priced with genai-prices, per average request as the cost report prices workloads."""

from __future__ import annotations

import datetime as dt
import math

from aicto.profile.pricing import RequestTokens, request_price
from aicto.usage.aggregate import Totals

# Without request counts (Anthropic's report) the tokens are priced as requests of at most this many input tokens:
# below every long-context price tier, which an average request of an uncounted export cannot be shown to reach.
UNCOUNTED_REQUEST_INPUT = 100_000


def price_totals(provider: str, model: str, totals: Totals, batch: bool, price_date: dt.date) -> float:
    """USD for the summed usage at the prices of `price_date`."""
    if totals.requests_known and totals.requests > 0:
        n = totals.requests
    else:
        n = max(1, math.ceil(totals.input_tokens / UNCOUNTED_REQUEST_INPUT))
    tokens = RequestTokens(input=round(totals.input_tokens / n), output=round(totals.output_tokens / n),
                           cache_read=round(totals.cache_read_tokens / n),
                           cache_write=round(totals.cache_write_tokens / n))
    return n * request_price(provider, model, tokens, batch, price_date)
