"""The client's LLM bill, priced per request, and what each optimisation lever saves.

Levers apply in a fixed order, each on what the previous ones left, so the savings add up to exactly the gap
between the current and the optimised bill: nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from aicto.profile.assumptions import AISpendAssumptions
from aicto.profile.pricing import RequestTokens, request_price
from aicto.profile.schema import AISpend, Workload

LEVERS = ("prompt_caching", "batch_processing", "model_routing", "prompt_trimming", "response_caching")
LEVER_NAMES = {
    "prompt_caching": "Prompt caching",
    "batch_processing": "Batch processing",
    "model_routing": "Model routing",
    "prompt_trimming": "Prompt trimming",
    "response_caching": "Response caching",
}


@dataclass(frozen=True)
class WorkloadCost:
    workload: Workload
    current_monthly: float
    optimized_monthly: float
    savings_by_lever: dict[str, float]

    @property
    def current_per_request(self) -> float:
        n = self.workload.requests_per_month
        return self.current_monthly / n if n else 0.0


@dataclass(frozen=True)
class SpendResult:
    mode: Literal["workloads", "monthly_bill", "none"]
    current_monthly: float
    optimized_monthly: float
    savings_by_lever: dict[str, float]
    savings_monthly_low: float
    savings_monthly_high: float
    price_date: dt.date
    workloads: list[WorkloadCost] = field(default_factory=list)
    monthly_growth: float = 0.0  # of the whole bill; a workload may grow at its own rate

    def growth(self, horizon: int, growth_months, weight: str = "savings") -> np.ndarray:
        """How the bill (or its savings) grows month by month relative to today, shape (..., horizon): each workload
        compounds at its own rate (or the bill's) for `growth_months`, then holds; the mix is weighted by each
        workload's savings (or current cost)."""
        months = np.arange(horizon, dtype=float)
        held = np.asarray(growth_months, dtype=float)[..., None]
        growing = months < held  # before its growth stops a month compounds for itself, after it for the held months
        parts = [(w.current_monthly if weight == "bill" else w.current_monthly - w.optimized_monthly,
                  self.monthly_growth if w.workload.monthly_growth is None else w.workload.monthly_growth)
                 for w in self.workloads] or [(1.0, self.monthly_growth)]
        total = sum(share for share, _ in parts) or 1.0
        weights: dict[float, float] = {}  # workloads growing at one rate share its curve
        for share, rate in parts:
            weights[rate] = weights.get(rate, 0.0) + share / total
        return sum(weight * np.where(growing, (1 + rate) ** months, (1 + rate) ** held)  # type: ignore[return-value]
                   for rate, weight in weights.items())

    @property
    def savings_monthly(self) -> float:
        return self.current_monthly - self.optimized_monthly

    @property
    def savings_pct(self) -> float:
        return 100 * self.savings_monthly / self.current_monthly if self.current_monthly else 0.0

    @property
    def savings_per_year(self) -> float:
        return 12 * self.savings_monthly


def workload_monthly_cost(w: Workload, levers: frozenset[str], hit_rate: float, price_date: dt.date,
                          fx: float = 1.0) -> float:
    """The monthly cost of one workload with the given levers switched on, in the client's currency.

    What the client already does counts in every state, the current bill included: `cached_share_now` of the input
    is read from the cache and `batched_share_now` of the requests is batched. The caching and batching levers act
    only on the rest: the cacheable prefix not cached yet, the batchable requests not batched yet."""
    cached_now = w.input_tokens * w.cached_share_now
    extra = max(0.0, w.cacheable_prefix_share - w.cached_share_now) if "prompt_caching" in levers else 0.0
    trim = w.trimmable_share if "prompt_trimming" in levers else 0.0
    batch = max(w.batched_share_now, w.batchable_share if "batch_processing" in levers else 0.0)
    route = w.routable_share if "model_routing" in levers else 0.0
    answered = 1 - (w.response_cache_share if "response_caching" in levers else 0.0)
    cached = round(cached_now)
    prefix = round(w.input_tokens * extra)
    read = round(prefix * hit_rate)  # whole tokens that add up: reads and writes never exceed the input
    tokens = RequestTokens(
        input=round(max(w.input_tokens - cached - prefix, 0) * (1 - trim)) + cached + prefix,
        output=w.output_tokens,
        cache_read=cached + read,
        cache_write=prefix - read,
    )

    def per_request(provider: str, model: str) -> float:
        realtime = request_price(provider, model, tokens, False, price_date)
        return (1 - batch) * realtime + (batch * request_price(provider, model, tokens, True, price_date)
                                         if batch else 0.0)

    price = (1 - route) * per_request(w.provider, w.model)
    if route:
        price += route * per_request(w.route_to_provider or w.provider, w.route_to or w.model)
    return w.requests_per_month * answered * price * fx


def price_workload(w: Workload, hit_rate: float, price_date: dt.date, fx: float = 1.0) -> WorkloadCost:
    """Levers in order, each on what the previous ones left. A lever that would cost more (a cache written more
    often than it is read, routing to a dearer model) is left off, as an engineer would: no lever saves less than 0."""
    levers: frozenset[str] = frozenset()
    current = cost = workload_monthly_cost(w, levers, hit_rate, price_date, fx)
    savings = dict.fromkeys(LEVERS, 0.0)
    for lever in LEVERS:
        with_lever = workload_monthly_cost(w, levers | {lever}, hit_rate, price_date, fx)
        if with_lever < cost:
            levers, savings[lever], cost = levers | {lever}, cost - with_lever, with_lever
    return WorkloadCost(w, current, cost, savings)


def price_spend(spend: AISpend | None, assumptions: AISpendAssumptions, fx: float = 1.0) -> SpendResult:
    """Workload mode prices every request; monthly-bill mode applies the playbook's published savings range."""
    date = assumptions.price_date
    if spend is None:
        return SpendResult("none", 0.0, 0.0, dict.fromkeys(LEVERS, 0.0), 0.0, 0.0, date)
    if spend.monthly_bill is not None:
        rate = assumptions.savings_rate
        saving = spend.monthly_bill * rate.mid
        shares = assumptions.lever_shares.model_dump()
        return SpendResult("monthly_bill", spend.monthly_bill, spend.monthly_bill - saving,
                           {lever: saving * shares[lever] for lever in LEVERS},
                           spend.monthly_bill * rate.low, spend.monthly_bill * rate.high, date,
                           monthly_growth=spend.monthly_growth or 0.0)
    priced = [price_workload(w, assumptions.cache_hit_rate.mid, date, fx) for w in spend.workloads]
    current = sum(p.current_monthly for p in priced)
    optimized = sum(p.optimized_monthly for p in priced)
    by_lever = {lever: sum(p.savings_by_lever[lever] for p in priced) for lever in LEVERS}
    saving = current - optimized
    real = assumptions.realisation  # production realises part of the modelled saving: base is the range's middle
    return SpendResult("workloads", current, current - saving * real.mid,
                       {lever: v * real.mid for lever, v in by_lever.items()}, saving * real.low, saving * real.high,
                       date, priced, spend.monthly_growth or 0.0)
