"""The `govcloud` command: parses arguments, reads settings once, calls a use case, prints.

This is the only module that writes to the terminal. It is also the one error
boundary: user errors exit 1, infrastructure errors 2, bugs 3 (traceback in a
log file), Ctrl-C 130.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

from provisioner.commands import drift, env, regions, schema, stacks, validate
from provisioner.commands import policy as policy_cmd
from provisioner.commands import audit as audit_cmd, calendar as calendar_cmd, reconcile as reconcile_cmd
from provisioner.commands import bill as bill_cmd, exporter as exporter_cmd
from provisioner.commands import codeowners as codeowners_cmd, plan as plan_cmd, unlock as unlock_cmd
from provisioner.errors import GovcloudError, SpecError
from provisioner.settings import Settings, find_root

# Each entry: a module or class with NAME, HELP, add_arguments(parser), run(args, settings).
COMMANDS = [stacks.Apply, stacks.Preview, stacks.Destroy, drift, validate, policy_cmd, schema, env]
# Provider set-up, once per cloud (audited: it changes Keystone).
COMMANDS += [audit_cmd.audited(regions)]
# Ledger, calendar and audit commands; each run is appended to the audit log (art26).
COMMANDS += [audit_cmd.audited(c) for c in (calendar_cmd, reconcile_cmd.Reconcile, reconcile_cmd.Lifecycle, audit_cmd)]
# Metering and the yearly settlement (art27-30), audited the same way.
COMMANDS += [audit_cmd.audited(c) for c in (exporter_cmd, bill_cmd)]
# GitOps: the merge-request plan and stack unlocking are audited; CODEOWNERS is a generated file.
COMMANDS += [audit_cmd.audited(c) for c in (plan_cmd, unlock_cmd)] + [codeowners_cmd]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govcloud", description="九江市政务云 provisioner")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_arguments(sub.add_parser(command.NAME, help=command.HELP))
        sub.choices[command.NAME].set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_environ(os.environ, find_root(Path.cwd()))
        return args.run(args, settings)
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
