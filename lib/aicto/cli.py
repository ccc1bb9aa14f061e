"""The `aicto` command: validate profiles and run reports. Bad input exits 2 with plain messages, never a traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from aicto.problems import InputError

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def _validate(args: argparse.Namespace) -> int:
    from aicto.playbook import load_playbook
    from aicto.profile import load_profile

    status = EXIT_OK
    playbook = load_playbook()
    for path in args.profiles:
        try:
            profile = load_profile(path, playbook)
        except InputError as exc:
            print(exc.render(), file=sys.stderr)
            status = EXIT_INVALID
        else:
            print(f"{path}: ok ({profile.client.id})")
    return status


def _run(args: argparse.Namespace) -> int:
    from aicto.deliverables import REGISTRY
    from aicto.playbook import load_playbook
    from aicto.runner import NotebookFailed, run_client

    unknown = [k for k in args.only or [] if k not in REGISTRY]
    if unknown:
        print(f"--only: unknown report {', '.join(unknown)} (one of: {', '.join(REGISTRY)})", file=sys.stderr)
        return EXIT_INVALID
    playbook = load_playbook()
    status = EXIT_OK
    for path in args.profiles:
        try:
            run = run_client(path, args.out, only=args.only, playbook=playbook)
        except InputError as exc:
            print(exc.render(), file=sys.stderr)
            status = max(status, EXIT_INVALID)
        except NotebookFailed as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, EXIT_FAILED) if status != EXIT_INVALID else status
        else:
            print(f"{run.client_id}:")
            for key, report in run.reports.items():
                print(f"  {key:<10} {report}")
            print(f"  {'summary':<10} {run.summary}")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aicto", description="The fractional AI CTO playbook.")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check client profiles and list every problem")
    validate.add_argument("profiles", nargs="+", type=Path, metavar="PROFILE.yaml")
    validate.set_defaults(func=_validate)
    run = sub.add_parser("run", help="run the notebooks for clients and write board-ready HTML + summary.json")
    run.add_argument("profiles", nargs="+", type=Path, metavar="PROFILE.yaml")
    run.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    run.add_argument("--only", nargs="+", metavar="REPORT", help="run only these reports")
    run.set_defaults(func=_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:  # a broken playbook file
        print(exc.render(), file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
