"""Client stories of every kind, generated from a seed: the four routes, no engineers to 500, no AI bill to $5M a
month, dollars, euros and pounds, with and without a feature's value, engagements of 2 to 52 weeks, public and
client holidays, a product already live, a report dated before kickoff. The examples are where we look first; these
are the clients we have not seen.

Each story is a profile mapping as a consultant would write it (plausible figures, not fuzz: the hostile inputs have
their own corpus); `story(i)` is the same mapping on every machine.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from aicto.profile.playbook import load_playbook

ROUTES = ("fractional", "full_time", "agency_or_cofounder", "product_first")
CURRENCIES = {"USD": None, "EUR": 0.92, "GBP": 0.79}
COUNTRIES = {"USD": [("US", None), ("US", "NY"), ("US", "CA")], "EUR": [("DE", None), ("FR", None), ("IE", None)],
             "GBP": [("GB", None), ("GB", "SCT")]}
# Real models with real prices (genai-prices), as a client's workloads name them.
MODELS = [("openai", "gpt-4o", "gpt-4o-mini"), ("openai", "gpt-5", "gpt-5-mini"),
          ("anthropic", "claude-sonnet-4-5", "claude-haiku-4-5"), ("anthropic", "claude-opus-4-5", "claude-sonnet-4-5"),
          ("google", "gemini-2.5-pro", "gemini-2.5-flash")]
FEATURES = ["Support answers", "Claims triage", "Contract review", "Search re-ranking", "Sales email drafts",
            "Invoice extraction", "Code review bot", "Meeting notes"]
SEED = 2027


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _money(amount: float) -> int:
    """A figure as a consultant writes it: two significant digits."""
    if amount <= 0:
        return 0
    digits = 10 ** max(int(math.log10(amount)) - 1, 0)
    return int(round(amount / digits) * digits)


def _answers(rng: random.Random, route: str) -> dict:
    bank = load_playbook().questions
    level = rng.choice([1.6, 2.3, 3.0, 3.7, 4.4])  # a client's overall readiness
    answers = {}
    for d in bank.dimensions:
        answers[d.id] = {}
        for q in d.questions:
            score = min(5, max(1, round(rng.gauss(level, 0.8))))
            if d.id == "product":  # a clear product except where the route is to fix it
                score = rng.choice([1, 2]) if route == "product_first" else max(score, 3)
            answers[d.id][q.id] = score
    return answers


def _workloads(rng: random.Random, bill_usd: float) -> list[dict]:
    """Workloads whose requests make about `bill_usd` a month at list prices (roughly: the cost report prices them)."""
    out = []
    for n in range(rng.randint(1, 3)):
        provider, model, cheaper = rng.choice(MODELS)
        input_tokens, output_tokens = rng.choice([(800, 200), (3000, 400), (12000, 800), (30000, 1500)])
        per_request = (input_tokens * 3 + output_tokens * 12) / 1e6  # about $3 / $12 per million tokens
        requests = max(1000, _money(bill_usd / max(n + 1, 1) / per_request))
        out.append({
            "feature": f"{FEATURES[(n + rng.randint(0, 7)) % len(FEATURES)]} {n + 1}",
            "provider": provider, "model": model,
            "requests_per_month": int(min(requests, 5e8)),
            "input_tokens": input_tokens, "output_tokens": output_tokens,
            "cacheable_prefix_share": rng.choice([0.0, 0.2, 0.5, 0.8]),
            "batchable_share": rng.choice([0.0, 0.0, 0.3, 0.7]),
            "routable_share": (routable := rng.choice([0.0, 0.3, 0.6])),
            **({"route_to": cheaper} if routable else {}),
            "trimmable_share": rng.choice([0.0, 0.1, 0.2]),
            "response_cache_share": rng.choice([0.0, 0.05, 0.1]),
        })
    return out


def story(i: int, seed: int = SEED) -> dict:
    """The i-th client story: its route cycles through the four; everything else is drawn."""
    rng = random.Random(f"{seed}-{i}")
    route = ROUTES[i % len(ROUTES)]
    currency = rng.choice(list(CURRENCIES))
    fx = CURRENCIES[currency] or 1.0
    country, subdivision = rng.choice(COUNTRIES[currency])
    engineers = 0 if route == "agency_or_cofounder" else int(rng.choice(
        [1, 2, 3, 5, 8, 14, 25, 40, 80, 150, 300, 500]))
    start = dt.date(2027, 1, 4) + dt.timedelta(weeks=rng.randint(0, 50))
    engagement = {"start_date": start, "days_per_week": rng.choice([0.5, 1, 1.5, 2, 3, 4, 5]),
                  "weeks": rng.choice([2, 4, 6, 8, 10, 12, 16, 20, 26, 39, 52]),
                  "horizon_months": rng.choice([12, 24, 36]), "discount_rate": rng.choice([0.08, 0.1, 0.12])}
    if rng.random() < 0.5:  # proposals and audits are often dated a few days before kickoff
        engagement["report_date"] = start + dt.timedelta(days=rng.randint(-10, 60))
    data: dict = {
        "client": {"id": f"story-{i}", "name": f"Story {i} {route.replace('_', ' ').title()} Co",
                   "industry": rng.choice(["Insurance", "Retail", "Legal research", "Logistics", "Healthcare"]),
                   "currency": currency, **({"fx_per_usd": fx} if currency != "USD" else {}),
                   **({"country": country, **({"subdivision": subdivision} if subdivision else {})}
                      if rng.random() < 0.7 else {})},
        "engagement": engagement,
        "team": {"engineers": engineers, "ai_experience": rng.choice(["none", "limited", "moderate", "strong"]),
                 "loaded_cost_per_engineer": _money(rng.uniform(90_000, 260_000) * fx) if engineers else 0},
        "situation": {
            "stalled_pilot": rng.random() < 0.4,
            "major_decision_pending": (pending := rng.random() < 0.5),
            "decisions_pending": ["RAG or fine-tuning"] if pending and rng.random() < 0.5 else [],
            "ai_costs_outgrowing_revenue": rng.random() < 0.3,
            "ship_deadline_months": rng.choice([None, 2, 4, 9, 18]),
            "ai_core_to_business": route == "full_time" or rng.random() < 0.1 and route != "fractional",
            "needs_daily_technical_leadership": route == "full_time",
            "product_requirements_clear": route != "product_first" or rng.random() < 0.5,
        },
        "readiness": {"answers": _answers(rng, route)},
    }
    if rng.random() < 0.8:
        data["value"] = {"monthly_value": _money(_log_uniform(rng, 2_000, 2_000_000) * fx),
                         "wrong_decisions": rng.randint(0, 5)}
    bill_usd = rng.choice([0, 0, _log_uniform(rng, 200, 20_000), _log_uniform(rng, 20_000, 500_000),
                           _log_uniform(rng, 500_000, 5_000_000), 5_000_000])
    kind = rng.choice(["none", "bill", "workloads"]) if bill_usd else "none"
    if kind == "bill":
        data["ai_spend"] = {"monthly_bill": _money(bill_usd * fx)}
    elif kind == "workloads":
        data["ai_spend"] = {"workloads": _workloads(rng, bill_usd)}
    if kind != "none" and not data["situation"]["stalled_pilot"] and rng.random() < 0.5:
        data["situation"]["in_production"] = True  # a bill from customers' traffic: the product is live
    if rng.random() < 0.3:
        data["roadmap"] = {"holidays": sorted({start + dt.timedelta(days=rng.randint(0, 7 * engagement["weeks"]))
                                               for _ in range(rng.randint(1, 6))})}
    return data


def corpus(n: int, seed: int = SEED) -> list[dict]:
    return [story(i, seed) for i in range(n)]
