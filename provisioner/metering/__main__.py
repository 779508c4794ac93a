"""`python -m provisioner.metering [--listen ...]`: the exporter daemon without the rest of the CLI.

The same command as `govcloud exporter` (provisioner.commands.exporter), with the same
imports now that the CLI loads only the command it runs (it used to load every command: ~40
MB more for a process that runs for months), run inside the CLI's one error boundary with
its runs recorded in the audit log like any command's (art26): provisioner.cli.exporter_parser.
"""

from __future__ import annotations

import sys

from provisioner.cli import exporter_parser, main

if __name__ == "__main__":
    sys.exit(main(parser=exporter_parser))
