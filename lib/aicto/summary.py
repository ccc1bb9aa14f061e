"""summary.json: the key figures each report shows, machine-readable, computed by the same lib calls."""

from __future__ import annotations

from typing import Any

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
