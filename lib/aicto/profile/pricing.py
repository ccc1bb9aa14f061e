"""Real LLM prices from the genai-prices package's bundled data: never its network auto-update.

Each request is priced on its own (long-context tiers apply per request), at a fixed price date so that the same
profile always gives the same bill.

genai-prices takes longer to import than the rest of `aicto validate` together, so its answers for a profile (is this
model known, what does this request cost) are kept on disk per genai-prices version (aicto.profile.cache) and the
package is imported only for a question not asked before. New answers are written once, at the process's end.
"""

from __future__ import annotations

import atexit
import datetime as dt
import difflib
import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import TYPE_CHECKING, TypeVar

from aicto.profile import cache

if TYPE_CHECKING:
    from genai_prices import Usage, types
    from genai_prices.data_snapshot import DataSnapshot

GENAI_PRICES_VERSION = version("genai-prices")
BOOK_SIZE = 5_000  # answers kept on disk, the newest: far more than a practice's profiles ask (~100 a day of work)
Answer = TypeVar("Answer")
_added: set[str] = set()  # questions this process answered that the book on disk did not hold


class UnknownModel(LookupError):
    """A provider or model genai-prices does not know; the message names the closest known ones."""


@functools.cache
def _book() -> dict:
    """The answers kept on disk for this genai-prices version (empty when there is no cache); the new ones are
    written back once, when the process ends: a live form asks new questions on every change."""
    kept = cache.load("prices", cache.key(GENAI_PRICES_VERSION))
    atexit.register(_keep_book)
    return kept if isinstance(kept, dict) else {}


def _keep_book() -> None:
    """Write the book if this process added answers: the newest BOOK_SIZE of them, so the file stays small."""
    if _added:
        cache.store("prices", cache.key(GENAI_PRICES_VERSION), dict(list(_book().items())[-BOOK_SIZE:]))


def _remembered(question: str, answer: Callable[[], Answer]) -> Answer:
    book = _book()
    if question not in book:
        book[question] = answer()
        _added.add(question)
    return book[question]


def _unknown(check: Callable[[], object]) -> str | None:
    """The message of the UnknownModel a check raises, else None: an answer the book can keep."""
    try:
        check()
    except UnknownModel as exc:
        return str(exc)
    return None


def _snapshot() -> DataSnapshot:
    from genai_prices.data_snapshot import get_snapshot

    return get_snapshot()


@functools.cache
def provider_ids() -> tuple[str, ...]:
    return tuple(p.id for p in _snapshot().providers)


@functools.cache
def model_ids(provider_id: str) -> tuple[str, ...]:
    provider = next(p for p in _snapshot().providers if p.id == provider_id)
    return tuple(m.id for m in provider.models)


def check_provider(provider_id: str) -> None:
    message = _remembered(f"provider\0{provider_id}", lambda: _unknown(lambda: _check_provider(provider_id)))
    if message is not None:
        raise UnknownModel(message)


def _check_provider(provider_id: str) -> None:
    if provider_id not in provider_ids():
        close = difflib.get_close_matches(provider_id, provider_ids(), n=3, cutoff=0.5)
        raise UnknownModel(f"unknown provider {provider_id!r}" + (f"; closest: {', '.join(close)}" if close else ""))


def closest_models(provider_id: str | None, model: str) -> list[str]:
    """The known model ids nearest to `model`: the provider's own, or every provider's as `provider/model`."""
    if provider_id in provider_ids():
        return difflib.get_close_matches(model, model_ids(provider_id), n=3, cutoff=0.4)
    every = {f"{p}/{m}": m for p in provider_ids() for m in model_ids(p)}
    close = difflib.get_close_matches(model, list(every.values()), n=3, cutoff=0.4)
    return [key for m in close for key in every if every[key] == m][:3]


@functools.cache
def priced_model(provider_id: str, model: str) -> tuple[types.Provider, types.ModelInfo]:
    """A model by its exact id, else as genai-prices matches a reference (aliases, dated names). The exact id comes
    first: some ids (e.g. aws `regional.amazon.nova-2-lite-v1:0`) are not matched by their own match rules."""
    _check_provider(provider_id)
    provider = next(p for p in _snapshot().providers if p.id == provider_id)
    exact = next((m for m in provider.models if m.id == model), None)
    if exact is not None:
        return provider, exact
    try:
        return _snapshot().find_provider_model(model, None, provider_id, None)
    except LookupError:
        close = closest_models(provider_id, model)
        hint = f"; closest known: {', '.join(close)}" if close else ""
        raise UnknownModel(f"unknown model {model!r} for provider {provider_id!r}{hint}") from None


@functools.cache
def find_model(provider: str | None, model: str) -> tuple[str, str]:
    """(provider id, model id) for a model name as a provider, gateway or tracer writes it, with genai-prices' own
    matching: dated snapshots (gpt-4o-2024-08-06), `openai/gpt-4o`, provider aliases (aws.bedrock, gcp.vertex_ai).
    A provider genai-prices does not know is left to the model name alone. Raises UnknownModel."""
    from genai_prices.data_snapshot import find_provider_by_id

    snapshot = _snapshot()
    known = find_provider_by_id(snapshot.providers, provider) if provider else None
    try:
        found, info = snapshot.find_provider_model(
            model, None, known.id if known else "litellm" if "/" in model else None, None)
    except LookupError:
        close = closest_models(known.id if known else None, model)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise UnknownModel(f"model {model!r}" + (f" ({provider})" if provider else "")
                           + f" is not in genai-prices{hint}") from None
    return found.id, info.id


def check_model(provider_id: str, model: str) -> None:
    message = _remembered(f"model\0{provider_id}\0{model}", lambda: _unknown(lambda: priced_model(provider_id, model)))
    if message is not None:
        raise UnknownModel(message)


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
    provider, info = priced_model(provider_id, model)
    return info.calc_price(usage, provider, genai_request_timestamp=_timestamp(price_date),
                           price_context={"processing": "batch"} if batch else None)


@functools.cache
def supports_cache(provider_id: str, model: str, price_date: dt.date) -> bool:
    from genai_prices import Usage

    calc = _calc(Usage(input_tokens=1000, output_tokens=0), provider_id, model, price_date)
    return calc.model_price.cache_read_mtok is not None


@functools.cache
def request_price(provider_id: str, model: str, tokens: RequestTokens, batch: bool, price_date: dt.date) -> float:
    """USD for one request. Cache tokens count as plain input on a model without cache prices."""
    question = "\0".join(map(str, ("price", provider_id, model, tokens.input, tokens.output, tokens.cache_read,
                                    tokens.cache_write, batch, price_date)))
    return _remembered(question, lambda: _request_price(provider_id, model, tokens, batch, price_date))


def _request_price(provider_id: str, model: str, tokens: RequestTokens, batch: bool, price_date: dt.date) -> float:
    from genai_prices import Usage

    cached = supports_cache(provider_id, model, price_date)
    usage = Usage(input_tokens=tokens.input, output_tokens=tokens.output,
                  cache_read_tokens=tokens.cache_read if cached else None,
                  cache_write_tokens=tokens.cache_write if cached else None)
    return float(_calc(usage, provider_id, model, price_date, batch).total_price)
