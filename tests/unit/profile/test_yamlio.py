"""The one YAML reader: every value it cannot take, and every file that is not a file, is one `FILE: where: problem
(allowed)` line, never an exception from the YAML library or from Python's own date and number types."""

import os

import pytest

from aicto.profile.problems import InputError
from aicto.profile.yamlio import load_yaml_text, read_yaml_mapping


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_yaml_text(text, "p.yaml")
    return info.value.render().splitlines()


@pytest.mark.parametrize(("value", "why"), [
    ("2027-02-30", "day is out of range for month"),
    ("2027-13-01", "month must be in 1..12"),
    ("0000-01-01", "year 0 is out of range"),
    ("2027-02-29T09:00:00Z", "day is out of range for month"),
])
def test_a_date_that_does_not_exist_names_its_field(value, why):
    assert problems(f"engagement:\n  start_date: {value}\n") == [
        f"p.yaml: engagement.start_date: {value} is not a calendar date: {why} (a date that exists, e.g. 2027-01-04)"]


def test_a_number_too_long_to_be_one_names_its_field():
    assert problems("engagement:\n  start_date: " + "9" * 5000 + "\n") == [
        "p.yaml: engagement.start_date: a number of 5,000 digits (at most 30 digits)"]
    assert problems("a: [1, -" + "1" * 31 + "]\n") == ["p.yaml: a[1]: a number of 31 digits (at most 30 digits)"]


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1]"])
def test_tags_a_profile_never_needs_are_refused(tag):
    name = tag.split()[0]
    assert problems(f"client:\n  name: {tag}\n") == [
        f"p.yaml: client.name: a {name} value (plain YAML: text, numbers, dates, true/false, lists and mappings)"]


def test_every_such_value_is_reported_at_once():
    assert problems("a: 2027-02-30\nb: [2027-04-31]\nc: {2027-13-01: 1}\n") == [
        "p.yaml: a: 2027-02-30 is not a calendar date: day is out of range for month (a date that exists, e.g. "
        "2027-01-04)",
        "p.yaml: b[0]: 2027-04-31 is not a calendar date: day is out of range for month (a date that exists, e.g. "
        "2027-01-04)",
        "p.yaml: c: 2027-13-01 is not a calendar date: month must be in 1..12 (a date that exists, e.g. 2027-01-04)"]


@pytest.mark.parametrize(("text", "where"), [("client:\n  name: a\x00b\n", "line 2, column 10"),
                                             ("a: 1\nb: \x1b[31m\n", "line 2, column 4")])
def test_a_character_yaml_refuses_is_one_line(text, where):
    [line] = problems(text)
    code = f"U+{ord(next(c for c in text if c in chr(0) + chr(27))):04X}"
    assert line == f"p.yaml: {where}: malformed YAML: the character {code} is not allowed (printable text only)"


def test_plain_values_still_read():
    assert load_yaml_text("a: 2027-01-04\nb: 12\nc: [x, 1.5]\n", "p.yaml") == {
        "a": __import__("datetime").date(2027, 1, 4), "b": 12, "c": ["x", 1.5]}


@pytest.mark.parametrize(("make", "kind"), [(os.mkfifo, "a named pipe (FIFO)"), (os.mkdir, "a folder")])
def test_a_special_file_is_refused_without_reading_it(tmp_path, make, kind):
    path = tmp_path / "p.yaml"
    make(path)
    with pytest.raises(InputError) as info:
        read_yaml_mapping(path)  # a FIFO would block in open() or read() until a writer came
    assert info.value.render() == f"{path}: (file): {kind}, not a file (a YAML file path)"
