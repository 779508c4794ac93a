"""The `govcloud` command: parses arguments, reads settings once, calls a use case, prints.

This is the only module that writes to the terminal. It is also the one error
boundary: user errors exit 1, infrastructure errors 2, bugs 3 (traceback in a
log file), Ctrl-C 130, SIGTERM 143. On either signal the pulumi processes of the run
are told to stop first (provisioner/stacks/processes.py), so none outlives govcloud.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import tempfile
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provisioner.errors import GovcloudError, SpecError
from provisioner.settings import Settings, find_root


@dataclass(frozen=True)
class Command:
    """Where a command lives, so that only the one being run is imported.

    Importing every command would load Pulumi, openstacksdk and SQLAlchemy for
    `govcloud validate` too (about 1.5 s of a 2 s run). The target is a module
    or class with NAME, HELP, add_arguments(parser) and run(args, settings);
    NAME must equal `name` (tested)."""

    name: str
    target: str              # "module" or "module:Class"
    audited: bool = False    # each run appended to the audit log (art26)

    def load(self) -> Any:
        module, _, attribute = self.target.partition(":")
        command = importlib.import_module(module)
        command = getattr(command, attribute) if attribute else command
        if self.audited:
            from provisioner.commands.audited import audited
            command = audited(command)
        return command


_C = "provisioner.commands."
COMMANDS = [
    # What changes or reads the stacks is audited (art26): who ran which, with what outcome.
    Command("apply", _C + "stacks:Apply", audited=True), Command("preview", _C + "stacks:Preview", audited=True),
    Command("destroy", _C + "stacks:Destroy", audited=True), Command("drift", _C + "drift", audited=True),
    Command("validate", _C + "validate"), Command("policy", _C + "policy"),
    Command("schema", _C + "schema"), Command("env", _C + "env"),
    # Provider set-up, once per cloud: it changes Keystone.
    Command("regions", _C + "regions", audited=True),
    # Ledger, calendar and audit commands.
    Command("calendar", _C + "calendar", audited=True),
    Command("reconcile", _C + "reconcile:Reconcile", audited=True),
    Command("lifecycle", _C + "reconcile:Lifecycle", audited=True),
    Command("audit", _C + "audit", audited=True),
    # Metering and the yearly settlement (art27-30).
    Command("exporter", _C + "exporter", audited=True), Command("bill", _C + "bill", audited=True),
    # GitOps: the merge-request plan and stack unlocking; CODEOWNERS is a generated file.
    Command("plan", _C + "plan", audited=True), Command("unlock", _C + "unlock", audited=True),
    # Out-of-band damage: what was deleted by hand, rebuilt stack by stack.
    Command("repair", _C + "repair", audited=True),
    Command("codeowners", _C + "codeowners"),
]


def _chosen(argv: list[str]) -> Command | None:
    """The command named by the first word of argv (options before it take no values)."""
    words = [word for word in argv if not word.startswith("-")]
    return next((c for c in COMMANDS if words and c.name == words[0]), None)


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govcloud", description="九江市政务云 provisioner")
    sub = parser.add_subparsers(dest="command", required=True)
    chosen = _chosen(argv)
    # Only the chosen command is imported; `govcloud --help` (no command) imports them all.
    for entry in [chosen] if chosen else COMMANDS:
        command = entry.load()
        command.add_arguments(sub.add_parser(entry.name, help=command.HELP))
        sub.choices[entry.name].set_defaults(run=command.run)
    return parser


class Terminated(BaseException):
    """SIGTERM: unwinds like Ctrl-C (finally blocks run, the audit record is written)."""


def _on_signal(signum: int, _frame: object) -> None:
    # Only a command that started pulumi has loaded this module.
    processes = sys.modules.get("provisioner.stacks.processes")
    if processes is not None:
        processes.end_all()
    raise KeyboardInterrupt if signum == signal.SIGINT else Terminated


def _cloud_failure(exc: BaseException, settings: Settings | None) -> GovcloudError | None:
    """One message for a cloud that did not answer, however deep the error came from."""
    if "keystoneauth1" not in sys.modules:
        return None
    from provisioner.cloud.timeouts import unreachable
    return unreachable(exc, settings.cloud_timeout if settings else Settings.cloud_timeout)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser(argv).parse_args(argv)
    if threading.current_thread() is threading.main_thread():   # tests also call main() from threads
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _on_signal)
    settings: Settings | None = None
    try:
        settings = Settings.from_environ(os.environ, find_root(Path.cwd()))
        return args.run(args, settings)
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return exc.exit_code
    except GovcloudError as exc:
        print(f"govcloud: {_cloud_failure(exc, settings) or exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return 128 + signal.SIGTERM
    except Exception as exc:  # noqa: BLE001 - the boundary: a bug, logged for the report
        cloud = _cloud_failure(exc, settings)
        if cloud is not None:        # openstacksdk lets keystoneauth's connection errors through
            print(f"govcloud: {cloud}", file=sys.stderr)
            return cloud.exit_code
        fd, log = tempfile.mkstemp(prefix="govcloud-crash-", suffix=".log")
        with os.fdopen(fd, "w") as handle:
            traceback.print_exc(file=handle)
        print(f"govcloud: internal error; the traceback is in {log}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
