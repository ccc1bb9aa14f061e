"""The `aicto` command: validate profiles and run reports. Bad input exits 2 with plain messages, never a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aicto.profile.problems import InputError

if TYPE_CHECKING:
    from aicto.profile.playbook import Playbook
    from aicto.run.batch import Outcome

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def _print_checks(path: Path, checks: list) -> None:
    """Checks for the consultant: printed, never failing the command and never in the board's reports."""
    for check in checks:
        print(f"{path}: check {check.code}: {check.field}: {check.message}", file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    from aicto.model.checks import consultant_checks
    from aicto.model.engagement import build_engagement
    from aicto.model.validation import load_client
    from aicto.profile.playbook import load_playbook

    status = EXIT_OK
    playbook = load_playbook()
    for path in args.profiles:
        try:
            profile = load_client(path, playbook)
            engagement = build_engagement(profile, playbook)
            checks = consultant_checks(engagement, playbook.checks, playbook.brand.locale)  # reads every part of it
        except InputError as exc:
            print(exc.render(), file=sys.stderr)
            status = EXIT_INVALID
        else:
            print(f"{path}: ok ({profile.client.id}, route {engagement.route})")
            _print_checks(path, checks)
    return status


def _snapshot(args: argparse.Namespace) -> int:
    from aicto.model import snapshot
    from aicto.model.engagement import build_engagement
    from aicto.model.validation import load_client
    from aicto.profile.playbook import load_playbook

    status = EXIT_OK
    playbook = load_playbook()
    for path in args.profiles:
        try:
            profile = load_client(path, playbook)
            date = args.date or snapshot.default_date(profile)
            written = snapshot.write(build_engagement(profile, playbook), profile.source or path, date, args.replace)
        except InputError as exc:
            print(exc.render(), file=sys.stderr)
            status = EXIT_INVALID
        else:
            print(f"{path}: snapshot of {date} in {written}")
    return status


def _upgrade(args: argparse.Namespace) -> int:
    """Rewrite client files written for an earlier release: a diff, then the file written with a .bak, only when the
    upgraded file validates (aicto.profile.upgrade holds the steps)."""
    from aicto.model.validation import parse_client
    from aicto.profile.playbook import load_playbook
    from aicto.profile.schema import resolve_profile_path
    from aicto.profile.upgrade import upgrade_file
    from aicto.profile.writing import diff, save_profile
    from aicto.profile.yamlio import parse_yaml_mapping

    status = EXIT_OK
    playbook = load_playbook()
    for given in args.profiles:
        path = resolve_profile_path(given)
        try:
            upgraded = upgrade_file(path)
        except InputError as exc:
            print(exc.render(), file=sys.stderr)
            status = EXIT_INVALID
            continue
        try:
            profile = parse_client(parse_yaml_mapping(upgraded.new, str(path)), str(path), playbook)
        except InputError as exc:
            done = "upgraded, it would still not validate" if upgraded.changes else "no upgrade step applies"
            print(f"{path}: {done}; nothing written:", file=sys.stderr)
            print(exc.render(), file=sys.stderr)
            status = EXIT_INVALID
            continue
        if not upgraded.changes:
            print(f"{path}: already current")
            continue
        for change in upgraded.changes:
            print(f"{path}: {change.step.summary} [{change.step.release}]")
            for note in change.notes:
                print(f"  {note}")
        print(diff(path, upgraded.old, upgraded.new, "upgraded"), end="")
        if args.dry_run:
            print("--dry-run: nothing written")
            continue
        backup = save_profile(path, upgraded.new, profile, playbook)
        print(f"wrote {path} (the previous version is {backup})")
    return status


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _run(args: argparse.Namespace) -> int:
    from aicto.present.deliverables import REGISTRY
    from aicto.profile.playbook import load_playbook
    from aicto.run.publish import check_writable

    unknown = [k for k in args.only or [] if k not in REGISTRY]
    if unknown:
        print(f"--only: unknown report {', '.join(unknown)} (one of: {', '.join(REGISTRY)})", file=sys.stderr)
        return EXIT_INVALID
    made = [p for p in (args.out, *args.out.parents) if not p.exists()]  # innermost first
    check_writable(args.out)
    try:
        return _run_each(args, load_playbook())
    finally:
        _remove_if_empty(made)  # a refused run leaves no --out folder it made


def _remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # not empty: something was written, and it stays
            return


def _run_each(args: argparse.Namespace, playbook: Playbook) -> int:
    from aicto.run.publish import OutputError
    from aicto.run.runner import NotebookFailed, run_client

    status = EXIT_OK
    for path in args.profiles:
        try:
            run = run_client(path, args.out, only=args.only, playbook=playbook)
        except InputError as exc:
            print(exc.render(), file=sys.stderr)
            status = max(status, EXIT_INVALID)
        except (NotebookFailed, OutputError) as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, EXIT_FAILED) if status != EXIT_INVALID else status
        else:
            print(f"{run.client_id}:")
            for key, report in run.reports.items():
                print(f"  {key:<10} {report}")
            print(f"  {'summary':<10} {run.summary}")
            for check in json.loads(run.summary.read_text(encoding="utf-8")).get("checks", []):
                print(f"{path}: check {check['code']}: {check['field']}: {check['message']}", file=sys.stderr)
    return status


def _batch(args: argparse.Namespace) -> int:
    from aicto.profile.playbook import load_playbook
    from aicto.run.batch import find_profiles, run_batch
    from aicto.run.options import Options
    from aicto.run.portfolio import write_portfolio
    from aicto.run.publish import OutputError, check_writable

    if args.workers is not None and args.workers < 1 or args.timeout <= 0:
        print("--workers and --timeout: must be more than 0", file=sys.stderr)
        return EXIT_INVALID
    profiles = find_profiles(args.profiles)
    check_writable(args.out)
    options = Options(force=args.force, timeout=args.timeout, pdf=args.pdf)
    outcomes = run_batch(profiles, args.out.resolve(), options, workers=args.workers, dask=args.dask,
                         show_progress=not args.no_progress)
    statuses = {o.client_id: (o.status, o.error) for o in outcomes if o.client_id}
    try:
        index: Path | OutputError = write_portfolio(args.out.resolve(), statuses, load_playbook())
    except OutputError as exc:
        index = exc
    _print_outcomes(outcomes, index)
    if any(o.status == "invalid" for o in outcomes):
        return EXIT_INVALID
    failed = isinstance(index, OutputError) or any(o.status == "failed" for o in outcomes)
    return EXIT_FAILED if failed else EXIT_OK


def _lab_profile(client: str, source: str | None, playbook: Playbook) -> Path:
    """The profile `aicto lab` opens: the client's, or a new client's started here (blank, or `source`'s figures)
    when no profile has that id."""
    from aicto.consultant import newclient
    from aicto.consultant.workspace import find_profile, names_a_file, parameters_dir, shown_path
    from aicto.profile.problems import Problem

    try:
        found = find_profile(client)
    except InputError:
        if names_a_file(client):
            raise
        found = None
    if found is not None:
        if source is None:
            return found
        raise InputError(client, [Problem("--from", f"{client} already has a profile, {shown_path(found)}",
                                          "open it without --from, or choose a new client id")])
    try:
        origin = find_profile(source) if source else None
    except InputError:
        raise InputError(client, [Problem("--from", f"no profile for {source}", "a client id with a profile under "
                                          "parameters/ (an example's too), or a path to a profile")]) from None
    try:
        target = newclient.start_client(parameters_dir(), client, origin, playbook)
    except FileExistsError as exc:
        raise InputError(client, [Problem("client id", str(exc))]) from None
    how = (f"a copy of {shown_path(origin)}'s figures, without its evidence notes" if origin else
           f"blank, every readiness answer {newclient.BLANK_SCORE} until scored; {newclient.PLACEHOLDERS_SAID}")
    print(f"{client}: a new client in {shown_path(target)} ({how})")
    return target


def _lab(args: argparse.Namespace) -> int:
    """Make the client's working notebooks (a new client's file first, when no profile has its id), then become
    JupyterLab on them."""
    from aicto.consultant.workspace import lab_command, lab_dir, shown_path, working_notebooks
    from aicto.model.validation import load_client
    from aicto.profile.playbook import load_playbook

    playbook = load_playbook()
    path = _lab_profile(args.client, args.source, playbook)
    profile = load_client(path, playbook)
    lab = (args.folder or lab_dir()).resolve()
    print(f"{profile.client.id}: {shown_path(path)}")
    for notebook in working_notebooks(path, profile, lab):
        print(f"  {notebook.action:<8} {notebook.path}")
    extra = args.jupyter_args[1:] if args.jupyter_args[:1] == ["--"] else args.jupyter_args
    argv, env = lab_command(lab, profile.client.id, extra)
    sys.stdout.flush()
    os.execve(argv[0], argv, env)
    return EXIT_OK  # not reached: the process is JupyterLab now


def _schema(args: argparse.Namespace) -> int:
    """The profile's JSON Schema (to --out, else to stdout) and, with --reference, the Markdown reference made from
    it. A file is rewritten only when its text changes."""
    from aicto.profile.json_schema import profile_schema, schema_text
    from aicto.profile.playbook import load_playbook
    from aicto.profile.reference import reference_text

    playbook = load_playbook()
    if args.out is None and args.reference is None:
        sys.stdout.write(schema_text(playbook))
        return EXIT_OK
    outputs = [(args.out, lambda: schema_text(playbook)),
               (args.reference, lambda: reference_text(profile_schema(playbook)))]
    for path, make in outputs:
        if path is None:
            continue
        text = make()
        try:
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                print(f"{path}: unchanged")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{path}: cannot be written ({exc.strerror or exc})", file=sys.stderr)
            return EXIT_INVALID
        print(f"{path}: written")
    return EXIT_OK


def _print_outcomes(outcomes: Sequence[Outcome], index: Path | Exception) -> None:
    """The end-of-batch table on stdout, and every error in full on stderr."""
    from rich.console import Console
    from rich.table import Table

    from aicto.run.publish import PACK_FILE

    table = Table(title="aicto batch", title_justify="left")
    for column in ("client", "status", "time", "report", "error"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        report = str(Path(o.folder) / PACK_FILE) if o.folder else ""
        table.add_row(o.client_id or Path(o.profile).name, o.status, f"{o.seconds:.1f}s", report,
                      o.first_error_line)
    Console(width=200 if not sys.stdout.isatty() else None).print(table)
    print(f"portfolio: {index}" if isinstance(index, Path) else "portfolio: not written")
    for o in outcomes:
        if o.error:
            print(o.error, file=sys.stderr)
    if isinstance(index, Exception):
        print(index, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aicto", description="The fractional AI CTO playbook.")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check client profiles and list every problem")
    validate.add_argument("profiles", nargs="+", type=Path, metavar="PROFILE.yaml")
    validate.set_defaults(func=_validate)
    snap = sub.add_parser("snapshot", help="record the client's answers and headline figures of today beside the "
                                           "profile, for the progress report")
    snap.add_argument("profiles", nargs="+", type=Path, metavar="PROFILE.yaml")
    snap.add_argument("--date", type=_date, help="the snapshot's date, YYYY-MM-DD (default: the profile's "
                                                 "report_date, else today)")
    snap.add_argument("--replace", action="store_true", help="replace a snapshot of the same date")
    snap.set_defaults(func=_snapshot)
    upgrade = sub.add_parser("upgrade", help="rewrite client profiles written for an earlier release (a diff, then "
                                             "the file with a .bak beside it)")
    upgrade.add_argument("profiles", nargs="+", type=Path, metavar="PROFILE.yaml")
    upgrade.add_argument("--dry-run", action="store_true", help="show the change; write nothing")
    upgrade.set_defaults(func=_upgrade)
    run = sub.add_parser("run", help="run the notebooks for clients and write board-ready HTML + summary.json")
    run.add_argument("profiles", nargs="+", type=Path, metavar="PROFILE.yaml")
    run.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    run.add_argument("--only", nargs="+", metavar="REPORT", help="run only these reports")
    run.set_defaults(func=_run)
    batch = sub.add_parser("batch", help="run every client of a portfolio in parallel, with board packs and "
                                         "the portfolio page")
    batch.add_argument("profiles", nargs="+", type=Path, metavar="PROFILES",
                       help="profile files, or folders searched for *.yaml")
    batch.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    batch.add_argument("--workers", type=int, default=None, help="worker processes (default: number of cores)")
    batch.add_argument("--force", action="store_true", help="re-run clients whose inputs are unchanged")
    batch.add_argument("--timeout", type=float, default=600.0, help="seconds one notebook may run (default 600)")
    batch.add_argument("--pdf", action="store_true", help="also print each board pack to PDF with chromium")
    batch.add_argument("--dask", metavar="tcp://HOST:PORT", help="run on this Dask scheduler instead of locally")
    batch.add_argument("--no-progress", action="store_true", help="no progress bar")
    batch.set_defaults(func=_batch)
    schema = sub.add_parser("schema", help="write the client profile's JSON Schema (for editors: completion, hover "
                                           "help, checks as you type) and its Markdown reference")
    schema.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="write the schema to FILE (default: print it), e.g. playbook/profile.schema.json")
    schema.add_argument("--reference", type=Path, default=None, metavar="FILE",
                        help="write the profile reference made from the schema to FILE, e.g. "
                             "docs/profile-reference.md; with --reference alone the schema is not printed")
    schema.set_defaults(func=_schema)
    from aicto.usage.command import add_parser as add_import_usage

    add_import_usage(sub)
    lab = sub.add_parser("lab", help="open a client in JupyterLab: its own working notebooks in lab/<client-id>/, "
                                     "the templates in notebooks/ untouched")
    lab.add_argument("client", metavar="CLIENT", help="a client id (parameters/<id>.yaml, or an example's id) or a "
                                                      "path to a profile; an id without a profile starts a new "
                                                      "client, blank unless --from")
    lab.add_argument("--folder", type=Path, default=None, help="where working notebooks go (default: lab/)")
    lab.add_argument("--from", dest="source", metavar="CLIENT", default=None,
                     help="a new client starts from this client's figures (an id or a path), without its evidence "
                          "notes")
    lab.add_argument("jupyter_args", nargs=argparse.REMAINDER, metavar="...",
                     help="everything after CLIENT goes to `jupyter lab`, e.g. --no-browser --port 8890 (so options "
                          "of aicto lab come before CLIENT)")
    lab.set_defaults(func=_lab)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from aicto.run.publish import OutputError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:  # a broken playbook file
        print(exc.render(), file=sys.stderr)
        return EXIT_INVALID
    except OutputError as exc:  # --out cannot be written before anything ran: a bad argument
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if argv is None:  # the command line's process ends here: a last collection over everything imported would
            gc.freeze()   # only delay the prompt (0.08 s of validate's 0.4 s); the memory goes back at exit anyway


if __name__ == "__main__":
    sys.exit(main())
