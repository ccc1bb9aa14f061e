"""playbook/proposal.yaml: the proposal's words per route, the interaction model, the payment terms and the legal
terms, as data the practice edits. Texts may name only the fields the proposal fills in (FIELDS)."""

from __future__ import annotations

import string
from typing import Literal

from pydantic import Field, field_validator

from aicto.profile.assumptions import Frozen

# The fields a proposal text may name in braces, filled in for each client by the proposal view.
FIELDS = ("client", "start", "end", "weeks", "days_per_week", "handover", "hire_starts", "bridge_days_per_week",
          "bridge_cost", "firm", "notice_days")


def _fields_known(text: str) -> str:
    unknown = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None and name not in FIELDS]
    if unknown:
        raise ValueError(f"unknown field {{{unknown[0]}}} (one of: {', '.join(FIELDS)})")
    return text


class Risk(Frozen):
    risk: str = Field(min_length=1)
    response: str = Field(min_length=1, description="what the client (and the practice) does about it")


class RouteProposal(Frozen):
    title: str = Field(min_length=1)
    purpose: str = Field(min_length=1)
    exit: str = Field(min_length=1, description="how the engagement ends on this route")
    risks: list[Risk] = []
    out_of_scope: list[str] = []

    @field_validator("purpose", "exit")
    @classmethod
    def _known(cls, value: str) -> str:
        return _fields_known(value)


class Decision(Frozen):
    decision: str = Field(min_length=1)
    decides: str = Field(min_length=1)


class Interaction(Frozen):
    reporting_line: str
    availability: str
    steering: str
    decision_rights: list[Decision] = Field(min_length=1)


class Payment(Frozen):
    schedule: Literal["monthly_in_arrears", "by_milestone"] = "monthly_in_arrears"
    due_days: int = Field(30, ge=0, le=120)
    expenses: str
    tax: str


class Terms(Frozen):
    confidentiality: str
    intellectual_property: str
    termination_notice_days: int = Field(ge=0, le=365)
    termination: str
    acceptance: str

    @field_validator("confidentiality", "intellectual_property", "termination", "acceptance")
    @classmethod
    def _known(cls, value: str) -> str:
        return _fields_known(value)


class ProposalTerms(Frozen):
    provisional: str = Field(min_length=1)
    routes: dict[Literal["fractional", "full_time", "agency_or_cofounder", "product_first"], RouteProposal]
    interaction: Interaction
    payment: Payment
    change_requests: str
    terms: Terms

    @field_validator("change_requests")
    @classmethod
    def _known(cls, value: str) -> str:
        return _fields_known(value)

    @field_validator("routes")
    @classmethod
    def _every_route(cls, value: dict) -> dict:
        missing = [r for r in ("fractional", "full_time", "agency_or_cofounder", "product_first") if r not in value]
        if missing:
            raise ValueError(f"every route needs its proposal; missing: {', '.join(missing)}")
        return value
