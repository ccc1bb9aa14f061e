"""Real LLM prices from the genai-prices package's bundled data: never its network auto-update.

Each request is priced on its own (long-context tiers apply per request), at a fixed price date so that the same
profile always gives the same bill.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass
from importlib.metadata import version

from genai_prices import Usage, types
from genai_prices.data_snapshot import get_snapshot

GENAI_PRICES_VERSION = version("genai-prices")


class UnknownModel(LookupError):
    """A provider or model genai-prices does not know; the message names the closest known ones."""


@functools.cache
def provider_ids() -> tuple[str, ...]:
    return tuple(p.id for p in get_snapshot().providers)


@functools.cache
def model_ids(provider_id: str) -> tuple[str, ...]:
    provider = next(p for p in get_snapshot().providers if p.id == provider_id)
    return tuple(m.id for m in provider.models)


def check_provider(provider_id: str) -> None:
    if provider_id not in provider_ids():
        close = difflib.get_close_matches(provider_id, provider_ids(), n=3, cutoff=0.5)
        raise UnknownModel(f"unknown provider {provider_id!r}" + (f"; closest: {', '.join(close)}" if close else ""))


@functools.cache
def find_model(provider_id: str, model: str) -> tuple[types.Provider, types.ModelInfo]:
    """A model by its exact id, else as genai-prices matches a reference (aliases, dated names). The exact id comes
    first: some ids (e.g. aws `regional.amazon.nova-2-lite-v1:0`) are not matched by their own match rules."""
    check_provider(provider_id)
    provider = next(p for p in get_snapshot().providers if p.id == provider_id)
    exact = next((m for m in provider.models if m.id == model), None)
    if exact is not None:
        return provider, exact
    try:
        return get_snapshot().find_provider_model(model, None, provider_id, None)
    except LookupError:
        close = difflib.get_close_matches(model, model_ids(provider_id), n=3, cutoff=0.4)
        hint = f"; closest known: {', '.join(close)}" if close else ""
        raise UnknownModel(f"unknown model {model!r} for provider {provider_id!r}{hint}") from None


def check_model(provider_id: str, model: str) -> None:
    find_model(provider_id, model)


@dataclass(frozen=True)
class RequestTokens:
    """One average request: total input (including cached), its cache reads and writes, and output."""

    input: int
    output: int
    cache_read: int = 0
    cache_write: int = 0


def _timestamp(price_date: dt.date) -> dt.datetime:
    return dt.datetime.combine(price_date, dt.time(12), tzinfo=dt.UTC)


def _calc(usage: Usage, provider_id: str, model: str, price_date: dt.date, batch: bool = False
          ) -> types.PriceCalculation:
    provider, info = find_model(provider_id, model)
    return info.calc_price(usage, provider, genai_request_timestamp=_timestamp(price_date),
                           price_context={"processing": "batch"} if batch else None)


@functools.cache
def supports_cache(provider_id: str, model: str, price_date: dt.date) -> bool:
    calc = _calc(Usage(input_tokens=1000, output_tokens=0), provider_id, model, price_date)
    return calc.model_price.cache_read_mtok is not None


@functools.cache
def request_price(provider_id: str, model: str, tokens: RequestTokens, batch: bool, price_date: dt.date) -> float:
    """USD for one request. Cache tokens count as plain input on a model without cache prices."""
    cached = supports_cache(provider_id, model, price_date)
    usage = Usage(input_tokens=tokens.input, output_tokens=tokens.output,
                  cache_read_tokens=tokens.cache_read if cached else None,
                  cache_write_tokens=tokens.cache_write if cached else None)
    return float(_calc(usage, provider_id, model, price_date, batch).total_price)
