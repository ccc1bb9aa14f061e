"""The proposal and statement of work: a proposal-stage profile, each route's own proposal, and one fee and one set
of dates in proposal.html's view, proposal.docx and summary.json."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import nbformat
import pytest

from aicto.model.engagement import build_engagement
from aicto.model.validation import load_client, parse_client
from aicto.present.deliverables import REGISTRY, applicable
from aicto.present.proposal_docx import proposal_docx
from aicto.present.views.common import Context
from aicto.present.views.proposal import SECTIONS, ProposalView
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError
from aicto.profile.proposal_terms import ProposalTerms
from aicto.profile.yamlio import read_yaml_mapping
from aicto.run.runner import build_summary
from aicto.text.dates import long_date
from tests.conftest import ROOT
from tests.story.reading import words

PLAYBOOK = load_playbook()
EXAMPLES = ROOT / "parameters" / "examples"
PROPOSAL_STAGE = ROOT / "tests" / "fixtures" / "proposal_stage" / "lumen-legal.yaml"
ROUTES = {"northwind-analytics": "fractional", "cortex-labs": "full_time", "harbor-home-goods": "agency_or_cofounder",
          "meridian-insurance": "product_first"}


def view(path: Path) -> ProposalView:
    return ProposalView(Context(load_client(path, PLAYBOOK), PLAYBOOK, path))


def text(v: ProposalView, name: str) -> str:
    return words(str(v.build(name)))


def docx_text(data: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += ["\t".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return document, "\n".join(parts)


def test_a_proposal_stage_profile_validates_and_only_the_proposal_applies():
    profile = load_client(PROPOSAL_STAGE, PLAYBOOK)
    assert profile.readiness is None and profile.proposal_stage
    assert applicable(profile) == ["proposal"]
    engagement = build_engagement(profile, PLAYBOOK)
    assert engagement.provisional and engagement.route == "fractional"  # from the fit criteria alone
    assert "Provisional until the audit" in text(view(PROPOSAL_STAGE), "situation")
    summary = build_summary(profile, PLAYBOOK, applicable(profile))
    assert summary["proposal"]["provisional"] is True and "readiness" not in summary


def test_with_answers_every_deliverable_applies_and_the_proposal_is_firm():
    profile = load_client(EXAMPLES / "northwind-analytics.yaml", PLAYBOOK)
    assert applicable(profile)[:5] == ["proposal", "readiness", "costs", "roi", "roadmap"]
    assert list(REGISTRY)[0] == "proposal" and not REGISTRY["proposal"].in_pack
    assert "Provisional" not in text(view(EXAMPLES / "northwind-analytics.yaml"), "situation")


def test_the_route_comes_from_the_fit_criteria_without_answers():
    data = read_yaml_mapping(PROPOSAL_STAGE)
    data["team"]["engineers"] = 0
    assert build_engagement(parse_client(data, "x.yaml", PLAYBOOK), PLAYBOOK).route == "agency_or_cofounder"
    data = read_yaml_mapping(PROPOSAL_STAGE)
    data["situation"]["product_requirements_clear"] = False
    assert build_engagement(parse_client(data, "x.yaml", PLAYBOOK), PLAYBOOK).route == "product_first"


@pytest.mark.parametrize("client", ROUTES)
def test_each_route_has_its_own_scope_and_exit(client):
    v = view(EXAMPLES / f"{client}.yaml")
    route = ROUTES[client]
    assert v.result.route == route
    scope, engagement = text(v, "scope"), text(v, "engagement")
    words_of = PLAYBOOK.proposal.routes[route]
    assert words_of.out_of_scope[0] in scope
    e = v.result_engagement
    if route == "full_time":
        assert "Write the AI CTO role profile and scorecard" in scope
        assert f"The exit is the hire's start, about {v.date(e.bridge.hire_starts)}" in engagement
        assert v.fee_format(e.bridge.cost) in text(v, "fees")
    elif route == "agency_or_cofounder":
        assert "Select the partner and set milestones and payment gates" in scope
        assert "the client's owner oversees the partner" in engagement
    elif route == "product_first":
        assert "Product decision" in text(v, "timeline")
        assert "a decided product bet" in engagement
    else:
        assert "Launch readiness review and go-live" in scope
        assert "the team owns the stack" in engagement
    others = [words(v.fill(r.exit)) for k, r in PLAYBOOK.proposal.routes.items() if k != route]
    assert words(v.fill(words_of.exit)) in engagement and not any(other in engagement for other in others)


@pytest.mark.parametrize("path", [*(EXAMPLES / f"{c}.yaml" for c in ROUTES), PROPOSAL_STAGE], ids=lambda p: p.stem)
def test_fee_and_milestone_dates_are_one_in_the_view_the_docx_and_summary(path):
    profile = load_client(path, PLAYBOOK)
    v = ProposalView(Context(profile, PLAYBOOK, path))
    summary = build_summary(profile, PLAYBOOK, ["proposal"])["proposal"]
    shown = "\n".join(text(v, name) for name in ["headline", *SECTIONS])
    _, written = docx_text(proposal_docx(profile, PLAYBOOK))
    fee = v.fee
    assert float(re.sub(r"[^\d.]", "", fee)) == pytest.approx(summary["fee"], abs=0.5)
    assert fee in shown and fee in written
    e = v.result_engagement
    assert summary["milestones"] == {m.id: m.date.isoformat() for m in e.roadmap.milestones}
    for m in e.roadmap.milestones:
        row = f"{m.title}\t{v.date(m.date)}"
        assert row in shown and row in written
    for i in summary["payment_schedule"]["instalments"]:
        assert v.fee_format(i["amount"]) in shown and v.fee_format(i["amount"]) in written
    assert sum(i["amount"] for i in summary["payment_schedule"]["instalments"]) == pytest.approx(summary["fee"])


def test_the_docx_has_real_headings_tables_page_numbers_and_the_logo():
    profile = load_client(EXAMPLES / "cortex-labs.yaml", PLAYBOOK)
    document, _ = docx_text(proposal_docx(profile, PLAYBOOK))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(SECTIONS.values())
    assert any(p.style.name == "Heading 2" for p in document.paragraphs)
    assert any(p.style.name == "Title" for p in document.paragraphs)
    dated = long_date(profile.report_day, PLAYBOOK.brand.locale)  # as proposal.html's header dates it
    assert document.paragraphs[1].text == f"{profile.client.name}, {dated}"
    assert len(document.tables) >= 8
    section = document.sections[0]
    assert "PAGE" in section.footer._element.xml
    assert section.header.paragraphs[0]._element.xpath(".//pic:pic")  # the logo
    assert round(section.page_width.cm, 1) == {"A4": 21.0, "Letter": 21.6}[profile.engagement.paper_size]


def test_the_notebook_is_thin_and_its_headings_are_the_sections():
    nb = nbformat.read(ROOT / "notebooks" / "00_proposal.ipynb", as_version=4)
    headings = [c.source[3:] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    calls = [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith("report.")]
    assert headings == list(SECTIONS.values())
    assert calls == ["report.headline()", *(f"report.{name}()" for name in SECTIONS)]


def test_a_proposal_text_may_name_only_the_known_fields():
    data = read_yaml_mapping(PLAYBOOK.root / "proposal.yaml")
    data["routes"]["fractional"]["exit"] = "Ends on {the_end}."
    with pytest.raises(ValueError, match="unknown field"):
        ProposalTerms.model_validate(data)


def test_a_proposal_stage_profile_still_refuses_partial_answers():
    data = read_yaml_mapping(PROPOSAL_STAGE)
    data["readiness"] = {"answers": {"strategy": {"use_case_defined": 3}}}
    with pytest.raises(InputError, match="missing answers"):
        parse_client(data, "x.yaml", PLAYBOOK)


def test_by_milestone_the_fee_is_paid_in_equal_parts_at_the_routes_milestones():
    proposal = PLAYBOOK.proposal
    payment = proposal.payment.model_copy(update={"schedule": "by_milestone"})
    playbook = PLAYBOOK.model_copy(update={"proposal": proposal.model_copy(update={"payment": payment})})
    profile = load_client(EXAMPLES / "meridian-insurance.yaml", playbook)
    v = ProposalView(Context(profile, playbook, EXAMPLES / "meridian-insurance.yaml"))
    milestones = v.result_engagement.roadmap.milestones
    assert [(i.date, i.label) for i in v.result.instalments] == [(m.date, m.title) for m in milestones]
    assert sum(i.amount for i in v.result.instalments) == pytest.approx(v.result.fee, abs=0.001)
    assert "in equal parts at each milestone" in text(v, "fees")
    assert build_summary(profile, playbook, ["proposal"])["proposal"]["payment_schedule"]["kind"] == "by_milestone"


@pytest.mark.parametrize(("path", "stage"), [(PROPOSAL_STAGE, "proposal"),
                                             (EXAMPLES / "harbor-home-goods.yaml", "audit"),
                                             (EXAMPLES / "cortex-labs.yaml", "build"),
                                             (EXAMPLES / "northwind-analytics.yaml", "transition")],
                         ids=lambda x: str(x)[-20:])
def test_summary_json_and_the_portfolio_show_each_clients_stage(path, stage):
    from aicto.run.portfolio import Row, render_html

    profile = load_client(path, PLAYBOOK)
    summary = build_summary(profile, PLAYBOOK, applicable(profile))
    assert summary["engagement"]["stage"] == stage
    page = render_html([Row(profile.client.id, profile.client.name, "published", "", summary, [])], PLAYBOOK)
    assert f'<td class="text" data-sort="{stage}" data-value="{stage}">{stage}</td>' in page
