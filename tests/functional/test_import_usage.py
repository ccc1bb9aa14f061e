"""`aicto import-usage` as a consultant runs it: real subprocesses on copies of an example profile and the fixture
exports; exact messages, exit codes, the diff, comments kept, the backup, and nothing written on bad input."""

import re
import shutil

from ruamel.yaml import YAML

from tests.conftest import ROOT
from tests.functional.test_cli import aicto

USAGE = ROOT / "tests" / "fixtures" / "usage"
NORTHWIND = ROOT / "parameters" / "examples" / "northwind-analytics.yaml"


def client(tmp_path):
    path = tmp_path / "northwind.yaml"
    shutil.copy(NORTHWIND, path)
    return path


def comments(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line]


def test_import_writes_workloads_history_and_growth_keeping_comments(tmp_path):
    path = client(tmp_path)
    before = path.read_text()
    result = aicto("import-usage", path, USAGE / "openai-completions.jsonl", USAGE / "anthropic-messages.json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "read " + str(USAGE / "openai-completions.jsonl") + ": openai_usage, 195 records" in out
    assert "full months: 2026-10" in out  # the Anthropic report covers October only
    assert "updated workload 'Support assistant (RAG)': anthropic/claude-sonnet-4-5, 300,000 requests/month" in out
    assert "new workload 'proj_support / gpt-4o': openai/gpt-4o, 29,700 requests/month" in out
    assert f"--- {path}\n+++ {path} (imported)\n" in out
    assert f"wrote {path} (the previous version is {path}.bak)" in out
    after = path.read_text()
    assert (tmp_path / "northwind.yaml.bak").read_text() == before
    assert set(comments(before)) <= set(comments(after))  # every comment is still there
    assert "      cacheable_prefix_share: 0.45   # system prompt, tool definitions and policy text repeat on every " \
           "request\n" in after
    data = YAML(typ="safe").load(after)
    spend = data["ai_spend"]
    rag = spend["workloads"][0]
    assert (rag["feature"], rag["requests_per_month"], rag["routable_share"]) == ("Support assistant (RAG)", 300000,
                                                                                 0.5)
    assert rag["source"]["fields"] == ["input_tokens", "output_tokens", "cached_share_now", "batched_share_now"]
    assert {(e["month"], e["model"]) for e in spend["history"]} == {
        ("2026-10", "claude-sonnet-4-5"), ("2026-10", "gpt-4o"), ("2026-10", "gpt-4.1-mini")}
    assert spend["monthly_growth"] == 0.08  # one full month in common: the profile's own rate stays
    assert aicto("validate", path).returncode == 0
    again = aicto("import-usage", path, USAGE / "openai-completions.jsonl", USAGE / "anthropic-messages.json")
    assert again.returncode == 0 and again.stdout.endswith("no change to the profile: nothing written\n")


def test_dry_run_shows_the_diff_and_writes_nothing(tmp_path):
    path = client(tmp_path)
    before = path.read_text()
    result = aicto("import-usage", path, USAGE / "openai-completions.jsonl", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "-  monthly_growth: 0.08" in result.stdout and "+  monthly_growth: 0.142" in result.stdout
    assert re.search(r"^\+    - \{month: 2026-09, provider: openai, model: gpt-4o, requests: 26000, ", result.stdout,
                     re.M)
    assert result.stdout.endswith("--dry-run: nothing written\n")
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["northwind.yaml"]


def test_a_bad_file_stops_the_import_and_writes_nothing(tmp_path):
    path = client(tmp_path)
    before = path.read_text()
    bad = tmp_path / "usage.jsonl"
    bad.write_text((USAGE / "openai-completions.jsonl").read_text().replace('"num_model_requests": 1100',
                                                                            '"num_model_requests": "1100"', 1))
    result = aicto("import-usage", path, USAGE / "anthropic-messages.json", bad)
    assert result.returncode == 2
    # 12 days with usage in August and 26 in September, 3 results a day: October 1st's first result is record 115
    assert result.stderr == f"{bad}: record 115: num_model_requests: expected a whole number, got '1100'\n"
    assert result.stdout == ""
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["northwind.yaml", "usage.jsonl"]


def test_an_unknown_model_is_listed_with_the_closest_ids_until_mapped(tmp_path):
    path = client(tmp_path)
    spans = tmp_path / "spans.jsonl"
    spans.write_text('{"start_time": "2026-10-05T10:00:00Z", "attributes": {"gen_ai.system": "openai", '
                     '"gen_ai.request.model": "gpt-4o-turbo-max", "gen_ai.usage.input_tokens": 900, '
                     '"gen_ai.usage.output_tokens": 80}}\n')
    result = aicto("import-usage", path, spans)
    assert result.returncode == 2
    assert result.stderr == (
        f"{spans}: model 'gpt-4o-turbo-max': model 'gpt-4o-turbo-max' (openai) is not in genai-prices; closest: "
        f"gpt-4-turbo, gpt-3.5-turbo, gpt-3.5-turbo-16k; 1 records, 900 input tokens (map it with --map "
        f"'gpt-4o-turbo-max=provider/model')\n")
    mapped = aicto("import-usage", path, spans, "--map", "gpt-4o-turbo-max=openai/gpt-4o", "--dry-run")
    assert mapped.returncode == 0, mapped.stderr
    assert "new workload 'gpt-4o': openai/gpt-4o" in mapped.stdout
    assert "models: [gpt-4o-turbo-max]" in mapped.stdout


def test_bad_options_and_a_missing_profile(tmp_path):
    path = client(tmp_path)
    result = aicto("import-usage", path, USAGE / "anthropic-messages.json", "--requests", "support=lots")
    assert (result.returncode, result.stderr) == (2, "--requests: support=lots: expected NAME=N (a whole number, at "
                                                     "most 1e11); e.g. --requests 'support / gpt-4o=120000'\n")
    huge = aicto("import-usage", path, USAGE / "anthropic-messages.json", "--requests", "support=" + "9" * 5000)
    assert huge.returncode == 2 and "Traceback" not in huge.stderr and huge.stderr.startswith("--requests: ")
    missing = aicto("import-usage", tmp_path / "nope.yaml", USAGE / "anthropic-messages.json")
    assert (missing.returncode, missing.stderr) == (2, f"{tmp_path / 'nope.yaml'}: (file): file not found "
                                                       f"(a YAML file path)\n")
    wrong = aicto("import-usage", path, USAGE / "anthropic-messages.json", "--format", "litellm")
    assert wrong.returncode == 2
    assert wrong.stderr.startswith(f"{USAGE / 'anthropic-messages.json'}: record 1: an Anthropic Admin API usage "
                                   "report, messages record in a LiteLLM spend logs export (one format per file)")
    export = USAGE / "anthropic-messages.json"
    twice = aicto("import-usage", path, export, export)
    assert (twice.returncode, twice.stderr) == (2, f"{export}: (file): given twice (each export once: its usage "
                                                   f"would count twice)\n")


HOSTILE = USAGE / "hostile"


def test_hostile_exports_stop_the_import_with_one_line_each_and_write_nothing(tmp_path):
    """Each class of issue 26 through the command: exit 2, its exact line, no traceback, the profile untouched."""
    import os

    path = client(tmp_path)
    before = path.read_text()
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    cases = [([HOSTILE / "truncated.jsonl.gz"], HOSTILE / "truncated.expected"),
             ([HOSTILE / "openai-page-and-litellm-row.jsonl"], HOSTILE / "openai-page-and-litellm-row.expected"),
             ([USAGE / "litellm-spend-logs.json", HOSTILE / "litellm-overlap.json"],
              HOSTILE / "litellm-overlap.expected")]
    for files, expected in cases:
        result = aicto("import-usage", path, *files)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == expected.read_text().replace("{file}", str(files[-1])).replace("{first}",
                                                                                              str(files[0]))
    result = aicto("import-usage", path, fifo)
    assert (result.returncode, result.stderr) == (2, f"{fifo}: (file): a named pipe (FIFO), not a file (a usage "
                                                     "export path)\n")
    copy = tmp_path / "copy.json"
    copy.write_bytes((USAGE / "litellm-spend-logs.json").read_bytes())
    result = aicto("import-usage", path, USAGE / "litellm-spend-logs.json", copy)
    assert (result.returncode, result.stderr) == (2, f"{copy}: (file): the same export as "
                                                     f"{USAGE / 'litellm-spend-logs.json'} (each export once: its "
                                                     "usage would count twice)\n")
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.json", "northwind.yaml", "pipe.jsonl"]


def test_what_was_read_is_shown_per_file_month_and_model_before_the_change(tmp_path):
    path = client(tmp_path)
    result = aicto("import-usage", path, USAGE / "litellm-spend-logs.json", "--dry-run")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    read = out.index(f"read {USAGE / 'litellm-spend-logs.json'}: litellm, 25 records (1 skipped")
    line = re.search(r"^  2026-11 openai/gpt-4o-mini-2024-07-18: (\d+) records, \1 requests, [\d,]+ input tokens "
                     r"\([\d,]+ cached\), [\d,]+ output tokens, \$[\d.,]+ by the export's own prices$", out, re.M)
    assert line is not None and read < line.start() < out.index(f"--- {path}")
