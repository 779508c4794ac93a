"""`python -m provisioner.metering [--listen ...]`: the exporter daemon without the rest of the CLI.

The same command as `govcloud exporter` (provisioner.commands.exporter), with the same
imports now that the CLI loads only the command it runs (it used to load every command: ~40
MB more for a process that runs for months), run inside the CLI's one error boundary with
its runs recorded in the audit log like any command's (art26): provisioner.cli.exporter_parser.

Two optional imports of its libraries are kept out of this process, which runs for months and
keeps all it imports (bench/README.md): greenlet, which SQLAlchemy imports only for its asyncio
extension (nothing here uses it; SQLAlchemy runs without it), 1 MiB; and requests' character
detection (charset_normalizer, or chardet), which guesses the encoding of a body that declares
none: the daemon reads JSON APIs only, UTF-8 by RFC 8259, and requests' own fallback without a
detector is UTF-8; 2.6 MiB. Only here, before anything imports them: `govcloud exporter` shares
its process with the CLI, which leaves the libraries as installed.
"""

from __future__ import annotations

import sys
import warnings

for _optional in ("greenlet", "charset_normalizer", "chardet"):
    sys.modules.setdefault(_optional, None)      # `import x` raises ImportError: the library goes without
# requests says, once, that it has no detector: that is the point.
warnings.filterwarnings("ignore", message="Unable to find acceptable character detection dependency")

from provisioner.cli import exporter_parser, main  # noqa: E402 - after the lines above, by design

if __name__ == "__main__":
    sys.exit(main(parser=exporter_parser))
