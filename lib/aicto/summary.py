"""summary.json: the key figures each report shows, machine-readable, computed by the same lib calls."""

from __future__ import annotations

from typing import Any

from aicto.costs import CostBreakdown
from aicto.profile import Profile
from aicto.readiness import ReadinessResult


def client_section(profile: Profile) -> dict[str, Any]:
    return {"id": profile.client.id, "name": profile.client.name, "industry": profile.client.industry,
            "currency": profile.client.currency}


def readiness_section(result: ReadinessResult) -> dict[str, Any]:
    return {
        "index": round(result.index, 1),
        "tier": result.tier,
        "dimensions": {d.id: round(d.score, 2) for d in result.dimensions},
        "top_gaps": [d.id for d in result.top_dimension_gaps[:3]],
        "blockers": [{"id": b.id, "title": b.title, "score": round(b.score, 2)} for b in result.blockers],
        "recommendation": result.fit.recommendation,
        "reasons": list(result.fit.reasons),
    }


def costs_section(costs: CostBreakdown) -> dict[str, Any]:
    spend = costs.ai_spend
    return {
        "horizon_months": costs.horizon_months,
        "engagement_cost": round(costs.engagement_cost, 2),
        "options": {
            o.id: {
                "annual_low": round(o.annual.low, 2), "annual_high": round(o.annual.high, 2),
                "months_to_impact_low": round(o.months_to_impact.low, 2),
                "months_to_impact_high": round(o.months_to_impact.high, 2),
                "risk_low": round(o.risk.low, 2), "risk_high": round(o.risk.high, 2),
                "horizon_total_low": round(o.horizon.total.low, 2),
                "horizon_total_high": round(o.horizon.total.high, 2),
            } for o in costs.options.values()
        },
        "hidden": {
            "wrong_decisions": costs.hidden.wrong_decisions,
            "wrong_decisions_cost_low": round(costs.hidden.wrong_decisions_cost.low, 2),
            "wrong_decisions_cost_high": round(costs.hidden.wrong_decisions_cost.high, 2),
            "llm_overrun_monthly": round(costs.hidden.llm_overrun_monthly, 2),
            "delay_cost_per_month": round(costs.hidden.delay_cost_per_month, 2),
        },
        "ai_spend": {
            "mode": spend.mode,
            "current_monthly": round(spend.current_monthly, 2),
            "optimized_monthly": round(spend.optimized_monthly, 2),
            "savings_monthly": round(spend.savings_monthly, 2),
            "savings_monthly_low": round(spend.savings_monthly_low, 2),
            "savings_monthly_high": round(spend.savings_monthly_high, 2),
            "savings_pct": round(spend.savings_pct, 1),
            "savings_per_year": round(spend.savings_per_year, 2),
            "savings_by_lever": {k: round(v, 2) for k, v in spend.savings_by_lever.items()},
            "price_date": spend.price_date.isoformat(),
        },
    }
