"""The on-disk cache behind a fast `aicto validate`: the playbook's parsed YAML and the holidays calendars, as JSON,
stored only when they read back equal, and skipped when off or unwritable."""

import datetime as dt

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
