"""The on-disk cache behind a fast `aicto validate`: the playbook's parsed YAML, the holidays calendars and the
genai-prices answers, as JSON, stored only when they read back equal, and skipped when off or unwritable."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from aicto.profile import cache
from aicto.profile.playbook import DEFAULT_ROOT, _load_playbook
from aicto.profile.yamlio import read_playbook_yaml, read_yaml_mapping


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_values_read_back_as_stored_dates_included(cache_in):
    value = {"a": [1, 2.5, True, None, "x"], "day": dt.date(2027, 1, 4), "at": dt.datetime(2027, 1, 4, 9, 30)}
    cache.store("t", "k", value)
    assert cache.load("t", "k") == value and isinstance(cache.load("t", "k")["day"], dt.date)


def test_number_keys_stay_numbers_and_what_json_cannot_hold_is_not_stored(cache_in):
    cache.store("t", "numbers", {1: "one", 2: {"$x": [dt.date(2027, 1, 1)]}})  # JSON keys are text
    assert cache.load("t", "numbers") == {1: "one", 2: {"$x": [dt.date(2027, 1, 1)]}}
    cache.store("t", "infinite", {"a": float("inf")})
    cache.store("t", "set", {"a": {1, 2}})
    assert cache.load("t", "infinite") is None and cache.load("t", "set") is None


def test_off_or_unwritable_skips_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    cache.store("t", "k", {"a": 1})
    assert cache.load("t", "k") is None
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "below-a-file"))
    cache.store("t", "k", {"a": 1})
    assert cache.load("t", "k") is None


def test_a_playbook_file_reads_the_same_from_the_cache_and_follows_its_text(cache_in, tmp_path):
    source = DEFAULT_ROOT / "readiness" / "questions.yaml"
    first = read_playbook_yaml(source)
    assert list((cache_in / "yaml").iterdir())
    assert read_playbook_yaml(source) == first == read_yaml_mapping(source)
    copy = tmp_path / "brand.yaml"
    copy.write_text((DEFAULT_ROOT / "brand" / "brand.yaml").read_text().replace("Northstar", "Southstar"))
    assert "Southstar" in read_playbook_yaml(copy)["firm"]


def test_the_playbook_loads_equal_with_a_cold_and_a_warm_cache(cache_in):
    cold = _load_playbook.__wrapped__(DEFAULT_ROOT)
    warm = _load_playbook.__wrapped__(DEFAULT_ROOT)
    assert cold.model_dump() == warm.model_dump()


def test_holiday_calendars_are_the_packages(cache_in):
    import holidays

    from aicto.model.calendar import _country_holidays
    from aicto.profile.schema import public_holiday_regions

    regions = public_holiday_regions.__wrapped__()
    assert regions == public_holiday_regions.__wrapped__() and "ENG" in regions["GB"]
    days = _country_holidays.__wrapped__("US", "CA", 2027)
    assert days == _country_holidays.__wrapped__("US", "CA", 2027)
    assert dt.date(2027, 7, 5) in days
    assert days <= set(holidays.country_holidays("US", subdiv="CA", years=range(2027, 2031)))


PRICE_QUESTIONS = """
import datetime as dt, json, sys
from aicto.profile.pricing import RequestTokens, UnknownModel, check_model, check_provider, request_price
answers = [request_price("anthropic", "claude-sonnet-4-5", RequestTokens(12_000, 800, 9_000, 500), False,
                         dt.date(2026, 11, 1)),
           request_price("openai", "gpt-4o", RequestTokens(3_000, 400), True, dt.date(2026, 11, 1))]
check_model("openai", "gpt-4o")
check_provider("openai")
for ask in (lambda: check_model("openai", "gpt-4oo"), lambda: check_provider("opanai")):
    try:
        ask()
    except UnknownModel as exc:
        answers.append(str(exc))
print(json.dumps({"answers": answers, "imported": "genai_prices" in sys.modules}))
"""


def test_price_answers_are_kept_and_a_second_command_does_not_import_genai_prices(tmp_path):
    """validate answers in 0.4 s because genai-prices (0.12 s to import) is asked a question only once."""
    env = {**os.environ, "AICTO_CACHE_DIR": str(tmp_path)}
    runs = [json.loads(subprocess.run([sys.executable, "-c", PRICE_QUESTIONS], env=env, check=True,
                                      capture_output=True, text=True).stdout) for _ in range(2)]
    assert runs[0]["imported"] and not runs[1]["imported"]
    assert runs[0]["answers"] == runs[1]["answers"]
    prices, unknown = runs[0]["answers"][:2], runs[0]["answers"][2:]
    assert all(isinstance(p, float) and p > 0 for p in prices)
    assert unknown == ["unknown model 'gpt-4oo' for provider 'openai'; closest known: gpt-4o, gpt-4, ft:gpt-4o",
                       "unknown provider 'opanai'; closest: openai, voyageai, moonshotai"]


def test_the_price_book_is_written_once_at_the_end_and_keeps_the_newest_answers(tmp_path):
    """A live form asks new questions on every change: the book is written when the process ends, not per answer,
    and holds the newest BOOK_SIZE answers."""
    script = """
import datetime as dt
from aicto.profile import cache, pricing
pricing.BOOK_SIZE = 2
for output in (100, 200, 300):
    pricing.request_price("openai", "gpt-4o", pricing.RequestTokens(1_000, output), False, dt.date(2026, 11, 1))
    assert not (cache.cache_dir() / "prices").exists()  # nothing written while the process runs
"""
    env = {**os.environ, "AICTO_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True)
    [book] = (tmp_path / "prices").glob("*.json")
    assert [question.split("\0")[4] for question in json.loads(book.read_text())] == ["200", "300"]
