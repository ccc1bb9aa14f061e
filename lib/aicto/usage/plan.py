"""From summed usage to the profile's new `ai_spend`: measured workloads, the bill's history and its growth.

Workloads take the last full month (or, with none, the days covered scaled to a month). A workload already in the
profile keeps everything the export does not measure (its name, the shares the levers could reach, the routing
target): the import updates only the fields listed in its `source.fields`. It is found again by its
`source.group` and model, and a hand-typed workload is adopted when it is the only one of its model and the export
has that model in one group only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aicto.profile.pricing import find_model
from aicto.profile.problems import InputError, Problem, suggest
from aicto.profile.schema import GROWTH_LIMITS, Profile, Workload
from aicto.text.money import MoneyFormat
from aicto.usage.aggregate import ModelMap, Month, Totals, Usage, total
from aicto.usage.months import AVERAGE_MONTH_DAYS, covered_days, full_months, label, monthly_growth, parse
from aicto.usage.price import price_totals

COST_GAP = 0.05  # a priced bill further than this from the export's own cost is reported
JUDGEMENTS = ("cacheable_prefix_share", "batchable_share", "routable_share", "trimmable_share",
              "response_cache_share")
FEATURE_LENGTH = 120

WorkloadKey = tuple[str, str, str | None]  # (provider id, model id, group)


@dataclass(frozen=True)
class Settings:
    files: list[str]
    today: dt.date
    price_date: dt.date
    fx: float
    requests: Mapping[str, int] = field(default_factory=dict)  # --requests FEATURE=N


@dataclass
class WorkloadPlan:
    index: int | None  # its place in the profile's workloads; None for a new one
    feature: str
    values: dict[str, Any]  # the fields to write


@dataclass
class Plan:
    workloads: list[WorkloadPlan]
    history: list[dict[str, Any]] | None  # None: leave the profile's history as it is
    monthly_growth: float | None  # None: leave it as it is
    drop_monthly_bill: bool
    notes: list[str]


@dataclass
class Measured:
    """One workload's usage in the period the workloads describe."""

    all: Totals = field(default_factory=Totals)
    batched: Totals = field(default_factory=Totals)
    batch_known: bool = True


def _period(usage: Usage) -> tuple[set[Month], float, str | None, str]:
    """(months the workloads describe, the factor to a month, the month's label, a note)."""
    full = full_months(usage.coverage)
    if full:
        return {full[-1]}, 1.0, label(full[-1]), f"workloads from the last full month, {label(full[-1])}"
    days = covered_days(usage.coverage)
    months = {key[0] for key in usage.totals}
    return months, AVERAGE_MONTH_DAYS / days, None, (
        f"no full month in the exports: workloads from the {days:.1f} days covered, scaled to a month")


def _measured(usage: Usage, months: set[Month]) -> dict[WorkloadKey, Measured]:
    out: dict[WorkloadKey, Measured] = defaultdict(Measured)
    for (month, provider, model, group, batch), totals in sorted(usage.totals.items(), key=lambda kv: repr(kv[0])):
        if month not in months:
            continue
        m = out[(provider, model, group)]
        m.all.merge(totals)
        if batch is None:
            m.batch_known = False
        elif batch:
            m.batched.merge(totals)
    return out


def _match(keys: list[WorkloadKey], workloads: list[Workload]) -> dict[WorkloadKey, int]:
    """Which existing workload each measured one updates: the one imported for it before, else the only hand-typed
    workload of its model when the export has that model in one group only."""
    ids = [find_model(w.provider, w.model) for w in workloads]  # a typed snapshot name compares as its model
    found: dict[WorkloadKey, int] = {}
    for i, w in enumerate(workloads):
        if w.source is not None and (key := (*ids[i], w.source.group)) in keys:
            found[key] = i
    for key in keys:
        if key in found:
            continue
        same_model = [k for k in keys if k[:2] == key[:2]]
        typed = [i for i, w in enumerate(workloads) if w.source is None and ids[i] == key[:2]]
        if len(same_model) == 1 and len(typed) == 1:
            found[key] = typed[0]
    return found


def _feature(key: WorkloadKey) -> str:
    provider, model, group = key
    return (f"{group} / {model}" if group else model)[:FEATURE_LENGTH]


def _workload(key: WorkloadKey, m: Measured, scale: float, existing: Workload | None, feature: str,
              settings: Settings, month: str | None, models: ModelMap) -> tuple[dict[str, Any], Problem | None]:
    fields: list[str] = []
    values: dict[str, Any] = {"provider": key[0], "model": key[1]}
    if feature in settings.requests:
        requests = settings.requests[feature]
    elif m.all.requests_known:
        requests = round(m.all.requests * scale)
        fields.append("requests_per_month")
    elif existing is not None:
        requests = existing.requests_per_month
    else:
        return {}, Problem(f"workload {feature!r}", "the export counts tokens but not requests",
                           f"give --requests '{feature}=N' with its requests per month")
    values["requests_per_month"] = requests
    # the requests the tokens were spread over: as counted, or the monthly figure brought back to the period read
    count = m.all.requests if "requests_per_month" in fields else requests / scale
    values["input_tokens"] = round(m.all.input_tokens / count) if count else 0
    values["output_tokens"] = round(m.all.output_tokens / count) if count else 0
    fields += ["input_tokens", "output_tokens"]
    if m.all.cache_known:
        values["cached_share_now"] = round(m.all.cache_read_tokens / m.all.input_tokens, 3) if m.all.input_tokens \
            else 0.0
        fields.append("cached_share_now")
    if m.batch_known:
        share = (m.batched.requests / m.all.requests if m.all.requests_known and m.all.requests
                 else m.batched.input_tokens / m.all.input_tokens if m.all.input_tokens else 0.0)
        values["batched_share_now"] = round(share, 3)
        fields.append("batched_share_now")
    values["source"] = {"files": settings.files, "imported_on": settings.today, "month": month, "group": key[2],
                        "models": models.names(key[:2]), "fields": fields}
    return values, None


def _workloads(measured: dict[WorkloadKey, Measured], scale: float, month: str | None, profile: Profile,
               settings: Settings, models: ModelMap, notes: list[str]) -> list[WorkloadPlan]:
    existing = profile.ai_spend.workloads if profile.ai_spend else []
    keys = sorted(measured, key=lambda k: (k[0], k[1], k[2] or ""))
    matched = _match(keys, existing)
    features = {k: existing[matched[k]].feature if k in matched else _feature(k) for k in keys}
    plans, problems = [], []
    for key in keys:
        index = matched.get(key)
        old = existing[index] if index is not None else None
        feature = features[key]
        values, problem = _workload(key, measured[key], scale, old, feature, settings, month, models)
        if problem is not None:
            problems.append(problem)
            continue
        if old is None:
            values = {"feature": feature, **{k: v for k, v in values.items() if k != "source"},
                      **dict.fromkeys(JUDGEMENTS, 0.0), "source": values["source"]}
        plans.append(WorkloadPlan(index, feature, values))
    names = list(features.values())
    problems += [Problem(f"--requests {name!r}", "names no workload of the export",
                         suggest(name, names, f"allowed: {', '.join(names)}"))
                 for name in sorted(set(settings.requests) - set(names))]
    if problems:
        raise InputError(", ".join(settings.files), problems)
    for i, w in enumerate(existing):
        if i not in matched.values():
            how = "from an earlier import" if w.source else "as typed"
            also = " - the export has this model too: remove it if the export covers it" if any(
                k[:2] == (w.provider, w.model) for k in keys) else ""
            notes.append(f"kept {how}: {w.feature!r} ({w.provider}/{w.model}){also}")
    return plans


def _history(usage: Usage, settings: Settings, profile: Profile) -> list[dict[str, Any]] | None:
    """The full months by model, priced; the profile's entries for other months or providers are kept."""
    full = set(full_months(usage.coverage))
    if not full:
        return None
    months: dict[tuple[Month, str, str], list[Totals]] = defaultdict(list)
    cost: dict[tuple[Month, str, str], float] = defaultdict(float)
    for (month, provider, model, _, batch), totals in usage.totals.items():
        if month in full:
            months[(month, provider, model)].append(totals)
            cost[(month, provider, model)] += price_totals(provider, model, totals, bool(batch), settings.price_date)
    new = []
    for key in sorted(months):
        t = total(months[key])
        new.append({"month": label(key[0]), "provider": key[1], "model": key[2],
                    "requests": t.requests if t.requests_known else None, "input_tokens": t.input_tokens,
                    "output_tokens": t.output_tokens, "cost": round(cost[key] * settings.fx, 2)})
    replaced = {(e["month"], e["provider"]) for e in new}
    kept = [e.model_dump() for e in (profile.ai_spend.history if profile.ai_spend else [])
            if (e.month, e.provider) not in replaced]
    return sorted(kept + new, key=lambda e: (e["month"], e["provider"], e["model"]))


def _growth(history: list[dict[str, Any]], notes: list[str]) -> float | None:
    by_month: dict[Month, float] = defaultdict(float)
    for entry in history:
        by_month[parse(entry["month"])] += entry["cost"]
    growth = monthly_growth(by_month)
    if growth is None:
        notes.append("one full month only: no growth rate")
        return None
    low, high = GROWTH_LIMITS
    if not low <= growth <= high:
        notes.append(f"the bill grew {growth:+.1%} a month; the profile takes {low:+.0%} to {high:+.0%}")
        growth = min(high, max(low, growth))
    notes.append(f"bill growth {growth:+.1%} a month (log-linear fit over {len(by_month)} full months)")
    return round(growth, 3)


def cost_gaps(usage: Usage, price_date: dt.date) -> list[str]:
    """Where the export prices its own usage: models whose priced bill is more than COST_GAP from it."""
    own: dict[tuple[str, str], float] = defaultdict(float)
    priced: dict[tuple[str, str], float] = defaultdict(float)
    for (_, provider, model, _, batch), totals in usage.totals.items():
        if totals.cost_known:
            own[(provider, model)] += totals.cost
            priced[(provider, model)] += price_totals(provider, model, totals, bool(batch), price_date)
    lines = []
    for key in sorted(own):
        if own[key] > 0 and abs(priced[key] - own[key]) / own[key] > COST_GAP:
            fmt = MoneyFormat.fit([own[key], priced[key]], "USD")
            lines.append(f"cost gap: {key[0]}/{key[1]}: the export's own cost {fmt(own[key])}, priced "
                         f"{fmt(priced[key])} ({(priced[key] - own[key]) / own[key]:+.1%}): prices may have "
                         f"changed since, or the export applies discounts or prices other token kinds")
    return lines


def plan(usage: Usage, models: ModelMap, profile: Profile, settings: Settings) -> Plan:
    """What the import writes; raises InputError when a workload cannot be measured."""
    months, scale, month, note = _period(usage)
    notes = [note]
    workloads = _workloads(_measured(usage, months), scale, month, profile, settings, models, notes)
    history = _history(usage, settings, profile)
    growth = _growth(history, notes) if history is not None else None
    notes += cost_gaps(usage, settings.price_date)
    if not workloads:
        notes.append("no usage in the period the workloads describe: workloads left as they are")
    drop = bool(workloads) and profile.ai_spend is not None and profile.ai_spend.monthly_bill is not None
    if drop:
        notes.append("ai_spend.monthly_bill replaced by the measured workloads")
    return Plan(workloads, history, growth, drop, notes)
