"""`audited(command)`: each run of a command is appended to the audit log with its
arguments and outcome (art26: every operation is logged automatically); cli.COMMANDS
marks which commands (`audited=True`).

The recorder (SQLAlchemy and the ledger) is imported when the record is written, on the
command's own thread. It used to load on a second thread while the command ran, but the
commands now import what they need inside run(): two threads importing the same package
at once (SQLAlchemy, from the ledger and from the recorder) can each hold a module lock
the other waits for, and Python then hands one of them a half-initialised module.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from provisioner.errors import GovcloudError
from provisioner.settings import Settings

_RECORDER = "provisioner.commands.audit"


class audited:  # noqa: N801 - used like a function in cli.Command.load
    """A command whose every run is recorded in the audit log."""

    def __init__(self, command: Any) -> None:
        self.command = command
        self.NAME = command.NAME

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        self.command.add_arguments(parser)

    def run(self, args: argparse.Namespace, settings: Settings) -> int:
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
            importlib.import_module(_RECORDER).record_command(settings, self.NAME, args, status)
