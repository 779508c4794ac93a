"""`audited(command)`: each run of a command is appended to the audit log with its
arguments and outcome (art26: every operation is logged automatically); cli.COMMANDS
marks which commands (`audited=True`).
"""

from __future__ import annotations

import argparse
import importlib
import threading
from typing import Any

from provisioner.errors import GovcloudError
from provisioner.settings import Settings

_RECORDER = "provisioner.commands.audit"
# What the recorder needs (SQLAlchemy and the ledger, ~0.7 s): loaded on a thread during the run.
_RECORDER_NEEDS = ("provisioner.ledger", "provisioner.audit.log")


class audited:  # noqa: N801 - used like a function in cli.Command.load
    """A command whose every run is recorded in the audit log."""

    def __init__(self, command: Any) -> None:
        self.command = command
        self.NAME = command.NAME

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        self.command.add_arguments(parser)

    def run(self, args: argparse.Namespace, settings: Settings) -> int:
        # The recorder's modules load on a thread while the command runs, mostly waiting on
        # Pulumi or the cloud; the record is written at the end.
        loading = threading.Thread(target=_load, args=(_RECORDER_NEEDS,), daemon=True)
        loading.start()
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
            loading.join()
            importlib.import_module(_RECORDER).record_command(settings, self.NAME, args, status)


def _load(modules: tuple[str, ...]) -> None:
    for module in modules:
        importlib.import_module(module)
