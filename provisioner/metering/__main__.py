"""`python -m provisioner.metering [--listen ...]`: the exporter daemon without the rest of the CLI.

The same command as `govcloud exporter` (provisioner.commands.exporter), with the same
imports now that the CLI loads only the command it runs (it used to load every command: ~40
MB more for a process that runs for months). Its runs are recorded in the audit log like
any command's (art26).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from provisioner.audit import log as audit_log
from provisioner.cli import command_named
from provisioner.commands import exporter
from provisioner.errors import GovcloudError
from provisioner.ledger import Ledger
from provisioner.settings import Settings, find_root


def _record(settings: Settings, args: argparse.Namespace, status: int | str) -> None:
    ledger = Ledger.open(settings.ledger_url)
    try:
        with ledger.transaction() as conn:
            audit_log.append(conn, actor=settings.actor, action=f"command.{exporter.NAME}", subject=exporter.NAME,
                             at=datetime.now(timezone.utc),
                             detail={"args": {k: str(v) for k, v in vars(args).items()}, "status": status})
    finally:
        ledger.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m provisioner.metering", description=command_named(exporter.NAME).help)
    exporter.add_arguments(parser)
    args = parser.parse_args(argv)
    status: int | str = "error"
    try:
        settings = Settings.from_environ(os.environ, find_root(Path.cwd()))
    except GovcloudError as exc:
        print(f"govcloud: {exc}", file=sys.stderr)
        return exc.exit_code
    try:
        status = exporter.run(args, settings)
        return status
    except GovcloudError as exc:
        status = f"{type(exc).__name__}: exit {exc.exit_code}"
        print(f"govcloud: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        status = "KeyboardInterrupt"
        return 130
    finally:
        _record(settings, args, status)


if __name__ == "__main__":
    sys.exit(main())
