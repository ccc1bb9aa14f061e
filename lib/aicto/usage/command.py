"""`aicto import-usage PROFILE FILE...`: read usage exports, show the change to the profile, write it.

Exit 0 when written (or shown, with --dry-run), 2 for bad input: a bad file, an unmapped model, a profile the result
would not validate. Nothing is written unless every file reads cleanly. Before the change, it says what it read:
per file, then per month and model as the file names them, the records, requests and tokens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aicto.profile.problems import InputError, Problem
from aicto.profile.schema import MAX_REQUESTS
from aicto.text.money import MoneyFormat

if TYPE_CHECKING:
    from aicto.usage.aggregate import ModelMap, Totals, Usage
    from aicto.usage.plan import Plan

EXIT_OK, EXIT_INVALID = 0, 2


def _count(text: str) -> int | None:
    """Requests a month as a whole number up to MAX_REQUESTS, or None (a 5,000-digit one is not read at all)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_REQUESTS)):
        return None
    return int(text) if int(text) <= MAX_REQUESTS else None


def _pairs(values: Sequence[str] | None, option: str, number: bool = False) -> dict:
    out = {}
    problems = []
    for value in values or []:
        name, sep, target = value.rpartition("=")
        if not sep or not name or not target or (number and _count(target) is None):
            problems.append(Problem(value, "expected NAME=" + ("N (a whole number, at most 1e11)" if number
                                                               else "provider/model"),
                                    f"e.g. {option} 'support / gpt-4o=120000'" if number
                                    else f"e.g. {option} gpt-4o-custom=openai/gpt-4o"))
        else:
            out[name] = _count(target) if number else target
    if problems:
        raise InputError(option, problems)
    return out


def _unmapped(usage: Usage, models: ModelMap) -> list[InputError]:
    """One error per file listing each model genai-prices does not know, with the closest ids."""
    by_file: dict[str, list[Problem]] = {}
    for (file, provider, model), totals in sorted(usage.unmapped.items(), key=lambda kv: repr(kv[0])):
        reason = models.failures[(provider, model)]
        by_file.setdefault(file, []).append(Problem(
            f"model {model!r}", f"{reason}; {totals.records:,} records, {totals.input_tokens:,} input tokens",
            f"map it with --map '{model}=provider/model'"))
    return [InputError(file, problems) for file, problems in by_file.items()]


def _summary(usage: Usage, plan: Plan, currency: str, locale: str) -> list[str]:
    from aicto.usage.months import full_months, label

    skipped = " skipped: failed calls or spans without tokens"
    lines = []
    for f in usage.files:
        lines.append(f"read {f.name}: {f.format}, {f.records:,} records" +
                     (f" ({f.skipped:,}{skipped})" if f.skipped else ""))
        lines += [f"  {label(month)} {provider + '/' if provider else ''}{model}: {_read_line(t)}"
                  for (month, provider, model), t in sorted(usage.by_file.get(f.name, {}).items(),
                                                           key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2]))]
    full = full_months(usage.coverage)
    lines.append("full months: " + (", ".join(label(m) for m in full) if full else "none"))
    if plan.history:
        by_month: dict[str, float] = {}
        for entry in plan.history:
            by_month[entry["month"]] = by_month.get(entry["month"], 0.0) + entry["cost"]
        fmt = MoneyFormat.fit(by_month.values(), currency, locale)
        lines.append("bill by month: " + ", ".join(f"{m} {fmt(c)}" for m, c in sorted(by_month.items())))
    lines += plan.notes
    for w in plan.workloads:
        lines.append(f"{'new' if w.index is None else 'updated'} workload {w.feature!r}: "
                     f"{w.values['provider']}/{w.values['model']}, {w.values['requests_per_month']:,} requests/month")
    if any(w.index is None for w in plan.workloads):
        lines.append("new workloads: their lever shares (cacheable_prefix_share, batchable_share, routable_share, "
                     "trimmable_share, response_cache_share) are 0 until you judge them")
    return lines


def _read_line(t: Totals) -> str:
    """One month of one model of one file, as read."""
    requests = f"{t.requests:,} requests" if t.requests_known else "requests not counted"
    cached = f" ({t.cache_read_tokens:,} cached)" if t.cache_known and t.cache_read_tokens else ""
    cost = f", ${t.cost:,.2f} by the export's own prices" if t.cost_known and t.cost else ""
    return (f"{t.records:,} records, {requests}, {t.input_tokens:,} input tokens{cached}, {t.output_tokens:,} output "
            f"tokens{cost}")


def _read(files: Sequence[Path], fmt: str | None, models: ModelMap) -> Usage:
    from aicto.usage.aggregate import Usage
    from aicto.usage.formats import FORMATS, detect
    from aicto.usage.source import ExportFile

    usage = Usage()
    seen = set()
    for path in files:
        if path.resolve() in seen:
            raise InputError(str(path), [Problem("(file)", "given twice", "each export once: its usage would count "
                                                                          "twice")])
        seen.add(path.resolve())
        source = ExportFile(path)
        usage.read(source, FORMATS[fmt] if fmt else detect(source), models)
    usage.check_repeats()
    if not usage.totals and not usage.unmapped:
        raise InputError(", ".join(map(str, files)), [Problem("(file)", "no LLM usage in the exports",
                                                              "an export with token counts")])
    return usage


def run(args: argparse.Namespace) -> int:
    from aicto.model.costs import client_assumptions, cost_breakdown
    from aicto.model.validation import load_client
    from aicto.profile.playbook import load_playbook
    from aicto.profile.schema import resolve_profile_path
    from aicto.profile.writing import diff, save_profile
    from aicto.usage.aggregate import ModelMap
    from aicto.usage.plan import Settings, plan
    from aicto.usage.write import render

    playbook = load_playbook()
    path = resolve_profile_path(args.profile)
    profile = load_client(path, playbook)
    models = ModelMap(_pairs(args.map, "--map"))
    requests = _pairs(args.requests, "--requests", number=True)
    usage = _read(args.files, args.format, models)
    if usage.unmapped:
        for error in _unmapped(usage, models):
            print(error.render(), file=sys.stderr)
        return EXIT_INVALID
    settings = Settings([Path(p).name for p in args.files], dt.date.today(),
                        client_assumptions(profile, playbook).ai_spend.price_date, profile.client.fx, requests)
    result = plan(usage, models, profile, settings)
    old, new, updated = render(path, result, playbook)
    currency = profile.client.currency
    for line in _summary(usage, result, currency, playbook.brand.locale):
        print(line)
    spend = cost_breakdown(updated, playbook).ai_spend
    fmt = MoneyFormat.fit([spend.current_monthly, spend.optimized_monthly], currency, playbook.brand.locale)
    print(f"LLM bill today, priced per request: {fmt(spend.current_monthly)}/month; optimised "
          f"{fmt(spend.optimized_monthly)}/month")
    if new == old:
        print("no change to the profile: nothing written")
        return EXIT_OK
    print(diff(path, old, new, "imported"), end="")
    if args.dry_run:
        print("\n--dry-run: nothing written")
        return EXIT_OK
    backup = save_profile(path, new, updated, playbook)
    print(f"\nwrote {path} (the previous version is {backup})")
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    from aicto.usage.formats import FORMATS

    parser = sub.add_parser("import-usage", help="read provider or gateway usage exports into a client's workloads")
    parser.add_argument("profile", type=Path, metavar="PROFILE.yaml")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="usage exports: JSON, JSON lines, optionally .gz")
    parser.add_argument("--format", choices=list(FORMATS), help="the exports' format (default: recognised)")
    parser.add_argument("--dry-run", action="store_true", help="show the change; write nothing")
    parser.add_argument("--map", action="append", metavar="NAME=provider/model",
                        help="price an export's model name as this genai-prices model (repeatable)")
    parser.add_argument("--requests", action="append", metavar="FEATURE=N",
                        help="requests per month of a workload the export has no request counts for (repeatable)")
    parser.set_defaults(func=run)
