"""The consultant's portfolio page `reports/index.html` and `reports/portfolio.csv`: every client's headline numbers,
status and links, read from each published summary.json. For the consultant only; no client pack links to it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2

from aicto.present.headlines import HEADLINES, formatted, label, value
from aicto.present.spreadsheet import safe_cell
from aicto.profile.playbook import Playbook
from aicto.profile.writing import write_atomic
from aicto.run import publish
from aicto.text.wrapping import breakable

TEMPLATES = Path(__file__).resolve().parents[1] / "present" / "templates" / "portfolio"


@dataclass(frozen=True)
class Row:
    client_id: str
    name: str
    status: str
    error: str
    summary: Mapping[str, Any]
    links: Sequence[tuple[str, str]]  # (label, path relative to the portfolio page)


def _links(out_root: Path, client_id: str) -> list[tuple[str, str]]:
    folder = out_root / client_id
    names = [publish.PACK_FILE, publish.PACK_PDF]
    names += sorted(p.name for p in folder.glob("*.html") if p.name != publish.PACK_FILE) + ["summary.json"]
    return [(name, f"{client_id}/{name}") for name in names if (folder / name).is_file()]


def rows(out_root: Path, statuses: Mapping[str, tuple[str, str]]) -> list[Row]:
    """Every published client, plus clients that failed before their first good run; statuses by client id."""
    found: list[Row] = []
    ids = {p.name for p in out_root.iterdir() if publish.published(out_root, p.name) and
           (p / "summary.json").is_file() and not p.name.startswith((".", "_"))} | set(statuses)
    for client_id in sorted(ids):
        path = out_root / client_id / "summary.json"
        summary = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        status, error = statuses.get(client_id, ("published", ""))
        found.append(Row(client_id, value(summary, "client.name") or client_id, status, error, summary,
                         _links(out_root, client_id) if summary else []))
    return found


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["breakable"] = breakable
    return env.get_template("index.html.j2")


def render_html(found: Sequence[Row], playbook: Playbook) -> str:
    summaries = [r.summary for r in found]  # money in one currency: one format for the whole table
    # each figure as shown, and its raw value to sort by (a number sorts as one, an absent figure last)
    table = [{"row": r, "figures": [(h, formatted(r.summary, h, playbook, summaries), _sort_key(r.summary, h))
                                    for h in HEADLINES]}
             for r in found]
    headlines = [replace(h, label=label(h, playbook)) for h in HEADLINES]  # in the practice's spelling
    columns = {h.key: i + 2 for i, h in enumerate(HEADLINES)}  # after the client and its stage
    filters = [(1, "Stage"), (columns["readiness.recommendation"], "Route"), (columns["readiness.tier"], "Tier"),
               (len(HEADLINES) + 3, "Status")]
    return _template().render(rows=table, headlines=headlines, brand=playbook.brand, filters=filters,
                              generated=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def _sort_key(summary: Mapping[str, Any], headline: Any) -> str:
    raw = value(summary, headline.key)
    if raw is None or isinstance(raw, bool):
        return ""
    return repr(float(raw)) if isinstance(raw, int | float) else str(raw)


def render_csv(found: Sequence[Row]) -> str:
    """Raw values (not formatted) for spreadsheets, text guarded against formulas; an absent figure is an empty
    cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["client_id", "name", "status", *[h.key for h in HEADLINES], "checks", "generated_at", "error"])
    for r in found:
        figures = ["" if value(r.summary, h.key) is None else value(r.summary, h.key) for h in HEADLINES]
        checks = "; ".join(f"{c['code']} ({c['field']})" for c in r.summary.get("checks", []))
        writer.writerow([safe_cell(v) for v in (r.client_id, r.name, r.status, *figures, checks,
                                                r.summary.get("generated_at", ""),
                                                r.error.splitlines()[0] if r.error else "")])
    return out.getvalue()


def write_portfolio(out_root: Path, statuses: Mapping[str, tuple[str, str]], playbook: Playbook) -> Path:
    """Rewrite index.html and portfolio.csv from what is published now; locked so two batches never interleave.
    Raises publish.OutputError when the folder cannot be written (the previous pages stay as they were)."""
    with publish.writing(out_root), publish.locked(out_root, ".portfolio"):
        found = rows(out_root, statuses)
        write_atomic(out_root / "index.html", render_html(found, playbook))
        write_atomic(out_root / "portfolio.csv", render_csv(found))
    return out_root / "index.html"
