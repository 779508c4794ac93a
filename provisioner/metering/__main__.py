"""`python -m provisioner.metering [--listen ...]`: the exporter daemon without the rest of the CLI.

The same command as `govcloud exporter` (provisioner.commands.exporter), with the same
imports now that the CLI loads only the command it runs (it used to load every command: ~40
MB more for a process that runs for months). Its runs are recorded in the audit log like
any command's (art26), through the same wrapper (provisioner/commands/audited.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from provisioner.cli import command_named
from provisioner.commands import exporter
from provisioner.commands.audited import audited
from provisioner.errors import GovcloudError
from provisioner.settings import Settings, find_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m provisioner.metering", description=command_named(exporter.NAME).help)
    exporter.add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_environ(os.environ, find_root(Path.cwd()))
        return audited(exporter).run(args, settings)
    except GovcloudError as exc:
        print(f"govcloud: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
