"""summary.json: the key figures each report shows, machine-readable, computed by the same lib calls."""

from __future__ import annotations

from typing import Any

from aicto.model.costs import rework
from aicto.model.engagement import Engagement
from aicto.model.progress import Progress, stage
from aicto.model.proposal import ProposalFigures
from aicto.model.readiness import ReadinessResult
from aicto.model.roadmap import Roadmap
from aicto.model.roi import RoiResult
from aicto.profile.schema import Profile


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def client_section(profile: Profile) -> dict[str, Any]:
    return {"id": profile.client.id, "name": profile.client.name, "industry": profile.client.industry,
            "currency": profile.client.currency}


def engagement_section(engagement: Engagement) -> dict[str, Any]:
    """The engagement every report follows: its route (the recommendation), its stage (proposal, audit, build,
    transition), its window and the CTO's days."""
    return {
        "route": engagement.route,
        "stage": stage(engagement, engagement.today),
        "start": engagement.start.isoformat(),
        "end": engagement.end.isoformat(),
        "weeks": engagement.weeks,
        "cto_days_paid": round(engagement.cto_days_paid, 2),
        "cto_days_planned": round(engagement.cto_days_planned, 2),
        "roi_subject": engagement.roi.subject,
    }


def proposal_section(engagement: Engagement, figures: ProposalFigures) -> dict[str, Any]:
    """The proposal's figures: the route (provisional before the audit), the fee and its instalments, the milestones."""
    bridge = engagement.bridge
    return {
        "route": figures.route,
        "provisional": figures.provisional,
        "fee": round(figures.fee, 2),
        "bridge_fee": round(bridge.cost, 2) if bridge else None,
        "payment_schedule": {"kind": figures.schedule,
                             "instalments": [{"date": i.date.isoformat(), "for": i.label, "amount": round(i.amount, 2)}
                                             for i in figures.instalments]},
        "milestones": {m.id: m.date.isoformat() for m in engagement.roadmap.milestones},
        "client_days": {role: round(days, 2) for role, days in figures.client_days.items()},
    }


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


def roadmap_section(roadmap: Roadmap) -> dict[str, Any]:
    return {
        "route": roadmap.route,
        "start": roadmap.start.isoformat(),
        "end": roadmap.end.isoformat(),
        "engagement_end": roadmap.engagement_end.isoformat(),
        "weeks_needed": roadmap.weeks_needed,
        "days": roadmap.days,
        "horizon_days": roadmap.horizon_days,
        "activities": [{"id": a.id, "title": a.activity.title, "phase": a.activity.phase, "owner": a.activity.owner,
                        "start": a.start.isoformat(), "end": a.end.isoformat(), "effort_days": a.activity.effort_days,
                        "depends_on": list(a.depends_on), "blockers": list(a.blockers)} for a in roadmap.activities],
        "milestones": {m.id: m.date.isoformat() for m in roadmap.milestones},
        "out_of_scope": [{"id": d.activity.id, "kind": d.kind, "reason": d.reason} for d in roadmap.out_of_scope],
        "unresolved_blockers": [b.id for b in roadmap.unresolved_blockers],
        "after_handover": [a.id for a in roadmap.after_handover],
        "cost_target_monthly": _round(roadmap.cost_target_monthly),
    }


def costs_section(engagement: Engagement) -> dict[str, Any]:
    costs = engagement.costs
    spend, redo = costs.ai_spend, rework(costs, engagement.route)
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
            "wrong_decisions": redo.decisions,
            "wrong_decisions_redone_by": redo.payer,
            "wrong_decisions_cost_low": round(redo.cost.low, 2),
            "wrong_decisions_cost_high": round(redo.cost.high, 2),
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


def roi_section(roi: RoiResult) -> dict[str, Any]:
    base, mc = roi.base, roi.monte_carlo
    return {
        "route": roi.route,
        "subject": roi.subject,
        "horizon_months": roi.horizon_months,
        "net_value": round(base.net_value, 2),
        "multiple": base.multiple,  # exact: every report rounds it once, as text.words.times writes it
        "payback_month": base.payback_month,
        "npv": round(base.npv, 2),
        "total_value": round(base.total_value, 2),
        "total_cost": round(base.total_cost, 2),
        "value_by_source": {k: round(v, 2) for k, v in base.value_by_source.items()},
        "cost_by_source": {k: round(v, 2) for k, v in base.cost_by_source.items()},
        "p10_net_value": round(mc.net_percentile(10), 2),
        "p50_net_value": round(mc.net_percentile(50), 2),
        "p90_net_value": round(mc.net_percentile(90), 2),
        "p10_payback_month": mc.payback_percentile(10, roi.horizon_months),
        "p50_payback_month": mc.payback_percentile(50, roi.horizon_months),
        "p90_payback_month": mc.payback_percentile(90, roi.horizon_months),
        "monte_carlo": {"seed": mc.seed, "draws": mc.draws},
        "scenarios": {k: {"net_value": round(o.net_value, 2), "payback_month": o.payback_month,
                          "npv": round(o.npv, 2)} for k, o in roi.scenarios.items()},
        "alternatives": {k: {"net_value": round(o.net_value, 2), "multiple": o.multiple,
                             "payback_month": o.payback_month, "npv": round(o.npv, 2)}
                         for k, o in roi.alternatives.items()},
    }


def progress_section(progress: Progress) -> dict[str, Any]:
    """The progress report's figures, and the trend the portfolio shows (then = the baseline, now = the report)."""
    roi, t = progress.roi, progress.transition
    return {
        "as_of": progress.as_of.isoformat(),
        "baseline": {"date": progress.baseline.date.isoformat(),
                     "source": "snapshot" if progress.from_snapshot else "engagement"},
        "snapshots": [s.date.isoformat() for s in progress.snapshots],
        "trend": {"index_then": round(progress.index_then, 1), "index_now": round(progress.index_now, 1),
                  "bill_then": round(progress.bill_then, 2), "bill_now": round(progress.bill_now, 2),
                  "late_milestones": len(progress.late_milestones)},
        "dimensions": {d.id: {"then": round(d.then, 2), "now": round(d.now, 2)} for d in progress.dimensions},
        "blockers_cleared": progress.blockers_cleared,
        "blockers_new": progress.blockers_new,
        "milestones": [{"id": m.id, "planned": m.planned.isoformat() if m.planned else None,
                        "actual": m.actual.isoformat() if m.actual else None, "state": m.state,
                        "days_late": m.days_late} for m in progress.milestones],
        "activities": {state: [a.id for a in progress.activities if a.state == state]
                       for state in dict.fromkeys(a.state for a in progress.activities)},
        "bill": [{"month": b.month, "target": _round(b.target), "actual": _round(b.actual)} for b in progress.bill],
        "roi_to_date": {"subject": roi.subject, "months": round(roi.months, 2),
                        "promised_value": round(roi.promised_value, 2), "promised_cost": round(roi.promised_cost, 2),
                        "realised_value": _round(roi.realised_value), "realised_cost": _round(roi.realised_cost),
                        "realised_by_source": {k: round(v, 2) for k, v in roi.realised_by_source.items()}},
        "incidents": {severity: sum(1 for i in progress.incidents if i.severity == severity)
                      for severity in ("high", "medium", "low")},
        "transition": {"outcome": t.outcome, "title": t.title, "reasons": t.reasons, "also": t.also,
                       "days_per_week": t.days_per_week, "weeks": t.weeks,
                       "role": t.role.title if t.role else None},
    }
