"""Which notebook serves which deliverable, and how each adds its section to summary.json.

A registry, so each later deliverable adds itself here without touching the runner.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aicto.costs import cost_breakdown
from aicto.playbook import Playbook
from aicto.profile import Profile
from aicto.readiness import assess
from aicto.roi import roi_analysis
from aicto.summary import costs_section, readiness_section, roi_section

NOTEBOOKS_ENV = "AICTO_NOTEBOOKS"
DEFAULT_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PROFILE_PARAMETER = "profile_path"


@dataclass(frozen=True)
class Deliverable:
    key: str
    notebook: str
    title: str
    summarize: Callable[[Profile, Playbook], dict[str, Any]]

    def path(self) -> Path:
        return notebooks_dir() / self.notebook


REGISTRY: dict[str, Deliverable] = {}


def register(deliverable: Deliverable) -> None:
    REGISTRY[deliverable.key] = deliverable


def notebooks_dir() -> Path:
    return Path(os.environ.get(NOTEBOOKS_ENV) or DEFAULT_NOTEBOOKS).resolve()


register(Deliverable("readiness", "01_readiness.ipynb", "AI readiness assessment",
                     lambda profile, playbook: readiness_section(assess(profile, playbook))))
register(Deliverable("costs", "02_cost_breakdown.ipynb", "Cost breakdown",
                     lambda profile, playbook: costs_section(cost_breakdown(profile, playbook))))
register(Deliverable("roi", "03_roi.ipynb", "ROI framing",
                     lambda profile, playbook: roi_section(roi_analysis(profile, playbook))))
