"""Which notebook serves which deliverable, and how each adds its section to summary.json.

A registry, so each later deliverable adds itself here without touching the runner.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aicto.model.engagement import build_engagement
from aicto.model.progress import client_progress, has_progress
from aicto.model.proposal import proposal_figures
from aicto.present.roadmap_export import roadmap_exports
from aicto.present.summary import (
    costs_section,
    progress_section,
    proposal_section,
    readiness_section,
    roadmap_section,
    roi_section,
)
from aicto.profile.playbook import Playbook
from aicto.profile.schema import Profile

NOTEBOOKS_ENV = "AICTO_NOTEBOOKS"
DEFAULT_NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"
PROFILE_PARAMETER = "profile_path"


@dataclass(frozen=True)
class Deliverable:
    key: str
    notebook: str
    title: str
    summarize: Callable[[Profile, Playbook], dict[str, Any]]
    # Files written beside the report (file name -> content), e.g. the roadmap's CSV and calendar.
    exports: Callable[[Profile, Playbook], Mapping[str, str | bytes]] | None = None
    # Whether the deliverable applies to this client (default: every client); the runner and the pack skip it if not.
    applies: Callable[[Profile], bool] | None = None
    # In the board pack: the proposal is a document of its own, sent before the engagement
    in_pack: bool = True

    def applies_to(self, profile: Profile) -> bool:
        return self.applies is None or self.applies(profile)

    def path(self) -> Path:
        return notebooks_dir() / self.notebook

    def write_exports(self, folder: Path, profile: Profile, playbook: Playbook) -> list[Path]:
        """Write the export files into `folder` (the run's staging folder); names must be plain file names."""
        written = []
        for name, content in (self.exports(profile, playbook) if self.exports else {}).items():
            if Path(name).name != name or name.startswith("."):
                raise ValueError(f"{self.key}: export name {name!r} must be a plain file name")
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
            written.append(path)
        return written


REGISTRY: dict[str, Deliverable] = {}


def register(deliverable: Deliverable) -> None:
    REGISTRY[deliverable.key] = deliverable


def notebooks_dir() -> Path:
    return Path(os.environ.get(NOTEBOOKS_ENV) or DEFAULT_NOTEBOOKS).resolve()


def _proposal_summary(profile: Profile, playbook: Playbook) -> dict[str, Any]:
    engagement = build_engagement(profile, playbook)
    return proposal_section(engagement, proposal_figures(engagement))


def _proposal_exports(profile: Profile, playbook: Playbook) -> dict[str, bytes]:
    from aicto.present.proposal_docx import proposal_docx  # python-docx, imported only to write the file

    return {"proposal.docx": proposal_docx(profile, playbook)}


def audited(profile: Profile) -> bool:
    """The readiness questionnaire is answered: the deliverables that need it apply (before the audit, only the
    proposal does)."""
    return not profile.proposal_stage


register(Deliverable("proposal", "00_proposal.ipynb", "Proposal and statement of work", _proposal_summary,
                     exports=_proposal_exports, in_pack=False))
register(Deliverable("readiness", "01_readiness.ipynb", "AI readiness assessment",
                     lambda profile, playbook: readiness_section(build_engagement(profile, playbook).readiness),
                     applies=audited))
register(Deliverable("costs", "02_cost_breakdown.ipynb", "Cost breakdown",
                     lambda profile, playbook: costs_section(build_engagement(profile, playbook)), applies=audited))
register(Deliverable("roi", "03_roi.ipynb", "ROI framing",
                     lambda profile, playbook: roi_section(build_engagement(profile, playbook).roi), applies=audited))
register(Deliverable("roadmap", "04_roadmap.ipynb", "60-90 day roadmap",
                     lambda profile, playbook: roadmap_section(build_engagement(profile, playbook).roadmap),
                     exports=roadmap_exports, applies=audited))


def _progress_summary(profile: Profile, playbook: Playbook) -> dict[str, Any]:
    return progress_section(client_progress(build_engagement(profile, playbook), playbook))


register(Deliverable("progress", "05_progress.ipynb", "Progress and transition", _progress_summary,
                     applies=lambda profile: audited(profile) and has_progress(profile)))


def applicable(profile: Profile) -> list[str]:
    """The keys of the deliverables that apply to this client, in registry order."""
    return [key for key, d in REGISTRY.items() if d.applies_to(profile)]
