"""`python -m provisioner.metering [--listen ...]`: the exporter daemon without the rest of the CLI.

The same command as `govcloud exporter` (provisioner.commands.exporter), with the same
imports now that the CLI loads only the command it runs (it used to load every command: ~40
MB more for a process that runs for months), run inside the CLI's one error boundary with
its runs recorded in the audit log like any command's (art26): provisioner.cli.exporter_parser.

greenlet is kept out of this process: SQLAlchemy imports it only for its asyncio extension,
which nothing here uses, and runs without it when it cannot be imported (1 MiB resident for a
process that runs for months; bench/README.md). Only here, before anything imports SQLAlchemy:
`govcloud exporter` shares its process with the CLI, which leaves the library as installed.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("greenlet", None)      # `import greenlet` raises ImportError: SQLAlchemy goes without

from provisioner.cli import exporter_parser, main  # noqa: E402 - after the line above, by design

if __name__ == "__main__":
    sys.exit(main(parser=exporter_parser))
