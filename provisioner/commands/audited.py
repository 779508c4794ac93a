"""`audited(command)`: each run of a command is in the audit log (art26: every operation is
logged automatically), opened before it does anything and closed with its outcome
(provisioner/audit/runs.py); cli.COMMANDS marks which commands (`audited=True`).

The recorder (SQLAlchemy and the ledger) is imported on the command's own thread, before
the command runs: two threads importing the same package at once (SQLAlchemy, from the
ledger and from the recorder) can each hold a module lock the other waits for, and Python
then hands one of them a half-initialised module.
"""

from __future__ import annotations

import argparse
from typing import Any

from provisioner.errors import GovcloudError
from provisioner.settings import Settings


class audited:  # noqa: N801 - used like a function in cli.Command.load
    """A command whose every run is recorded in the audit log."""

    def __init__(self, command: Any) -> None:
        self.command = command
        self.NAME = command.NAME

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        self.command.add_arguments(parser)

    def run(self, args: argparse.Namespace, settings: Settings) -> int:
        from provisioner.audit.log import AuditLogBroken
        from provisioner.audit.runs import CommandRun, arguments_of

        try:
            # Committed before the command does anything: a killed run shows as started, never closed.
            run = CommandRun.open(settings.ledger_url, settings.actor, self.NAME, arguments_of(vars(args)))
        except AuditLogBroken:
            # Nothing runs unrecorded, except what finds out what is wrong with the log itself.
            if not getattr(self.command, "diagnoses_the_log", lambda _args: False)(args):
                raise
            return self.command.run(args, settings)
        status: int | str = "error"
        try:
            status = self.command.run(args, settings)
            return status
        except GovcloudError as exc:
            status = f"{type(exc).__name__}: exit {exc.exit_code}"
            raise
        except BaseException as exc:
            status = type(exc).__name__
            raise
        finally:
            run.close(status)
