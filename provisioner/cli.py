"""The `govcloud` command: parses arguments, reads settings once, calls a use case, prints.

This is the only module that writes to the terminal. It is also the one error
boundary: user errors exit 1, infrastructure errors 2, bugs 3 (traceback in a
log file), Ctrl-C 130.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import traceback
from pathlib import Path

from provisioner import apply as apply_job
from provisioner.errors import GovcloudError, SpecError
from provisioner.settings import Settings, find_root
from provisioner.stacks.engine import Engine, Outcome


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govcloud", description="九江市政务云 provisioner")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in [
        ("apply", "create or update the stacks of the requests (default: all under request_specs/)"),
        ("preview", "show what apply would change, changing nothing"),
        ("destroy", "destroy the stacks of the requests (development cloud only)"),
        ("validate", "check request specs and report every problem with file:line"),
    ]:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("paths", nargs="*", type=Path, help="request spec files")
        if name != "validate":
            cmd.add_argument("-v", "--verbose", action="store_true", help="stream Pulumi's output")
    sub.add_parser("env", help="print shell exports so `pulumi` by hand uses govcloud's engine, "
                               "state and cloud: eval \"$(govcloud env)\"")
    return parser


def _print_outcomes(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        summary = ", ".join(f"{op} {n}" for op, n in sorted(outcome.changes.items())) or "nothing"
        print(f"{outcome.operation:8} {outcome.stack:40} {summary}")


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "env":
        for key, value in settings.pulumi_env().items():
            print(f"export {key}={shlex.quote(value)}")
        return 0
    planned = apply_job.discover(settings.root, args.paths)
    if args.command == "validate":
        print(f"ok: {len(planned)} request spec(s) valid")
        return 0
    engine = Engine(settings, on_output=(lambda line: print(line, end="")) if args.verbose else None)
    if args.command == "apply":
        outcomes = apply_job.apply(settings, engine, planned)
    elif args.command == "preview":
        apply_job.render(settings, planned)
        outcomes = [engine.preview(stack) for item in planned for stack in (item.tenant, item.system)]
    else:
        outcomes = apply_job.destroy(settings, engine, planned)
    _print_outcomes(outcomes)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_environ(os.environ, find_root(Path.cwd()))
        return _run(args, settings)
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return exc.exit_code
    except GovcloudError as exc:
        print(f"govcloud: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - the boundary: a bug, logged for the report
        fd, log = tempfile.mkstemp(prefix="govcloud-crash-", suffix=".log")
        with os.fdopen(fd, "w") as handle:
            traceback.print_exc(file=handle)
        print(f"govcloud: internal error; the traceback is in {log}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
