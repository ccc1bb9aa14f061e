"""The one rule: every profile that validates runs every model to finite, in-range numbers; every profile that does
not is refused with `FILE: path: problem` lines (InputError), never another exception.

Profiles are drawn across the whole schema from the models' own bounds (ge/le of each field, the bounds of each
kind of range in the cost and ROI overrides), the ends of every bound included, so a bound added to the schema is
exercised without touching this test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import typing

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from aicto.model.costs import cost_breakdown
from aicto.model.engagement import build_engagement
from aicto.model.progress import progress
from aicto.model.readiness import assess
from aicto.model.roadmap import plan_roadmap
from aicto.model.roi import roi_analysis
from aicto.profile.assumptions import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_BILL,
    MAX_MONEY,
    CostOverrides,
    Range,
    RoiOverrides,
)
from aicto.profile.playbook import load_playbook
from aicto.profile.problems import InputError
from aicto.profile.schema import (
    CURRENCIES,
    MAX_ENGINEER_COST,
    MAX_ENGINEERS,
    MAX_INPUT_TOKENS,
    MAX_OUTPUT_TOKENS,
    MAX_REQUESTS,
    RoadmapCapacity,
)

PLAYBOOK = load_playbook()
FILE = "drawn.yaml"
MODELS = [("anthropic", "claude-sonnet-4-5"), ("anthropic", "claude-haiku-4-5"), ("openai", "gpt-4o"),
          ("aws", "regional.amazon.nova-2-lite-v1:0")]


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    return low, high


def number(low: float, high: float, whole: bool = False) -> st.SearchStrategy:
    """Any value within [low, high], its ends drawn often."""
    inner = st.integers(int(low), int(high)) if whole else st.floats(low, high, allow_nan=False)
    return st.one_of(st.sampled_from([int(low), int(high)] if whole else [low, high]), inner)


def dates() -> st.SearchStrategy:
    return st.one_of(st.sampled_from([EARLIEST_DATE, LATEST_DATE]), st.dates(EARLIEST_DATE, LATEST_DATE))


@st.composite
def ranges(draw, kind: type[Range]) -> object:
    low, high = _bounds(kind.model_fields["low"])
    a, b = draw(number(low, high)), draw(number(low, high))
    return draw(st.sampled_from([min(a, b), {"low": min(a, b), "high": max(a, b)}]))


@st.composite
def overrides(draw, model: type[BaseModel]) -> dict:
    """Some keys of an override model (CostOverrides, RoiOverrides and their parts), each within its bounds."""
    out = {}
    for name, info in model.model_fields.items():
        if draw(st.integers(0, 3)) != 0:  # a quarter of the keys, so most draws keep most defaults
            continue
        tp = next(a for a in typing.get_args(info.annotation) if a is not type(None))
        if isinstance(tp, type) and issubclass(tp, Range):
            out[name] = draw(ranges(tp))
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            out[name] = draw(overrides(tp))
        elif tp is dt.date:
            out[name] = draw(dates())
        elif name == "draws":  # every size costs time: the ends and the playbook's default
            out[name] = draw(st.sampled_from([100, 10_000, 100_000]))
        else:
            low, high = _bounds(info)
            out[name] = draw(number(low, high, whole=tp is int))
    return out


@st.composite
def workloads(draw) -> dict:
    provider, model = draw(st.sampled_from(MODELS))
    work = {"feature": "Feature", "provider": provider, "model": model,
            "requests_per_month": draw(number(0, MAX_REQUESTS, whole=True)),
            "input_tokens": draw(number(0, MAX_INPUT_TOKENS, whole=True)),
            "output_tokens": draw(number(0, MAX_OUTPUT_TOKENS, whole=True))}
    for share in ("cacheable_prefix_share", "batchable_share", "routable_share", "trimmable_share",
                  "response_cache_share"):
        work[share] = draw(number(0, 1))
    if work["routable_share"] > 0:
        work["route_to_provider"], work["route_to"] = draw(st.sampled_from(MODELS))
    return work


@st.composite
def profiles(draw) -> dict:
    currency = draw(st.sampled_from(CURRENCIES))
    name = draw(st.one_of(st.just("Drawn & Co <b>"), st.text(max_size=8)))  # any text: control characters too
    client = {"id": "drawn-co", "name": name, "industry": "Testing", "currency": currency}
    if currency != "USD":
        client["fx_per_usd"] = draw(number(0.01, 1000))
    start = draw(st.one_of(st.none(), dates()))
    later = st.integers(0, 400).map(lambda days: min(start + dt.timedelta(days), LATEST_DATE)) if start else dates()
    report = draw(st.one_of(st.none(), later, dates()))  # before the start now and then
    engagement = {"days_per_week": draw(number(0.5, 5)), "weeks": draw(number(2, 52, whole=True)),
                  "horizon_months": draw(st.sampled_from([12, 24, 36])), "discount_rate": draw(number(0, 1)),
                  **({"start_date": start} if start else {}), **({"report_date": report} if report else {})}
    data = {
        "client": client,
        "engagement": engagement,
        "team": {"engineers": draw(number(0, MAX_ENGINEERS, whole=True)),
                 "ai_experience": draw(st.sampled_from(["none", "limited", "moderate", "strong"])),
                 "loaded_cost_per_engineer": draw(number(0, MAX_ENGINEER_COST))},
        "situation": {"stalled_pilot": draw(st.booleans()), "ai_costs_outgrowing_revenue": draw(st.booleans()),
                      "ship_deadline_months": draw(st.one_of(st.none(), number(0, 120)))},
        "readiness": {"answers": {d.id: {q.id: draw(st.integers(1, 5)) for q in d.questions}
                                  for d in PLAYBOOK.questions.dimensions}},
        "value": {"monthly_value": draw(number(0, MAX_MONEY)), "wrong_decisions": draw(number(0, 50, whole=True))},
    }
    spend = draw(st.sampled_from(["none", "bill", "workloads"]))
    if spend == "bill":
        data["ai_spend"] = {"monthly_bill": draw(number(0, MAX_BILL)),
                            "monthly_growth": draw(st.one_of(st.none(), number(-0.5, 1.0)))}
    elif spend == "workloads":
        data["ai_spend"] = {"workloads": draw(st.lists(workloads(), min_size=1, max_size=3))}
    if draw(st.booleans()):
        data["costs"] = draw(overrides(CostOverrides))
    if draw(st.booleans()):
        data["roi"] = draw(overrides(RoiOverrides))
    if draw(st.booleans()):
        capacity = {name: draw(number(*_bounds(info))) for name, info in RoadmapCapacity.model_fields.items()
                    if draw(st.booleans())}
        data["roadmap"] = {"capacity": capacity, "holidays": draw(st.lists(dates(), max_size=20))}
    if draw(st.booleans()):
        data["actuals"] = draw(actuals(start))
    return data


@st.composite
def actuals(draw, start: dt.date | None) -> dict:
    """What a client reports, its dates anywhere in the world of dates (the ends of 2000-2099 often), most of them
    after the start: 9999-12-31 and 0001-01-01 had overflowed the progress report."""
    after = (st.integers(0, 400).map(lambda days: min(start + dt.timedelta(days), LATEST_DATE)) if start
             else dates())
    day = st.one_of(after, after, after, dates())  # mostly after the start, so that many draws validate
    as_of = draw(day)
    months = st.dates(dt.date(1999, 1, 1), dt.date(2100, 12, 31)).map(lambda d: f"{d.year:04d}-{d.month:02d}")
    found = {"as_of": as_of, "llm_bill": draw(st.dictionaries(months, number(0, 1e9), max_size=4)),
             "milestones": draw(st.dictionaries(st.sampled_from(["audit_readout", "architecture_decided"]), day,
                                                max_size=2)),
             "incidents": [{"date": draw(day), "severity": "high", "summary": "Outage"}] if draw(st.booleans())
             else []}
    if draw(st.booleans()):
        found["launch_date"] = draw(day)
    return found


def finite_numbers(value: object, path: str = "result", seen: set[int] | None = None) -> list[str]:
    """Paths of every number in a result (dataclasses, mappings, sequences, arrays) that is not finite."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, str | bool | dt.date | BaseModel | type(None)):
        return []
    seen.add(id(value))
    if isinstance(value, float | int):
        return [] if math.isfinite(value) else [path]
    if isinstance(value, np.ndarray):
        return [] if value.dtype.kind not in "fc" or np.isfinite(value).all() else [path]
    if dataclasses.is_dataclass(value):
        items = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list | tuple):
        items = list(enumerate(value))
    else:
        return []
    return [bad for key, item in items for bad in finite_numbers(item, f"{path}.{key}", seen)]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(profiles())
def test_every_valid_profile_runs_every_model_to_finite_numbers_in_range(data):
    from aicto.model.validation import parse_client

    try:
        profile = parse_client(data, FILE, PLAYBOOK)
    except InputError as exc:
        assert exc.problems and all(line.startswith(f"{FILE}: ") for line in exc.render().splitlines())
        return
    readiness = assess(profile, PLAYBOOK)
    costs = cost_breakdown(profile, PLAYBOOK)
    roi = roi_analysis(profile, PLAYBOOK, costs)
    roadmap = plan_roadmap(profile, PLAYBOOK)  # validation refused a profile whose milestones cannot fit
    assert finite_numbers([readiness, costs, roi, roadmap]) == []
    if profile.actuals is not None:  # the progress report, which reads every reported date
        found = progress(build_engagement(profile, PLAYBOOK), [], PLAYBOOK)
        assert finite_numbers(found) == [] and found.as_of == profile.actuals.as_of
        assert all(EARLIEST_DATE <= m.actual <= found.as_of for m in found.milestones if m.actual)
    if profile.ai_spend is not None:  # a bill a real client can have, grown
        assert costs.ai_spend.current_monthly <= MAX_BILL
    assert 0 <= readiness.index <= 100
    spend = costs.ai_spend
    assert 0 <= spend.optimized_monthly <= spend.current_monthly + 1e-6 * spend.current_monthly
    assert 0 <= spend.savings_monthly_low <= spend.savings_monthly_high <= spend.current_monthly * (1 + 1e-9)
    assert 0 <= spend.savings_pct <= 100 + 1e-9  # 100 * x / x may round to 100.00000000000001
    spans = [span for option in costs.options.values() for span in (
        option.annual, option.risk, option.horizon.leadership, option.horizon.one_time, option.horizon.waiting,
        option.horizon.risk, option.horizon.total)]
    assert all(0 <= span.low <= span.high for span in spans)  # a range printed low to high, never "$1.2M–$900K"
    assert roi.monte_carlo.net_values.shape == (roi.monte_carlo.draws,)


@pytest.mark.parametrize("field", ["name", "industry"])
@pytest.mark.parametrize("text", ["Acme\nCorp", "Acme\rCorp", "Acme\u2028Corp", "Acme\x00", "Tab\there", "   "])
def test_client_text_is_one_plain_line(field, text):
    from aicto.model.validation import parse_client
    from tests.conftest import profile_data

    with pytest.raises(InputError) as info:
        parse_client(profile_data(3, client={field: text}), FILE)
    [line] = info.value.render().splitlines()
    assert line.startswith(f"{FILE}: client.{field}: ")
