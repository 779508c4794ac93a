"""What every benchmark runs with: its own settings, never the shell's.

After `eval "$(govcloud env)"` the shell holds PULUMI_CONFIG_PASSPHRASE, PULUMI_BACKEND_URL,
PULUMI_HOME and OS_CLIENT_CONFIG_FILE; a developer may also have GOVCLOUD_NOW, a ledger URL or
another cloud set. Pulumi prefers PULUMI_CONFIG_PASSPHRASE to the bench's passphrase file,
and the Automation API and openstacksdk read os.environ themselves, so a bench that only
cleaned the environment of its subprocesses still ran its in-process engine with the shell's
passphrase ("incorrect passphrase" when the two met on one stack). `own_environment()` removes
those variables from this process's environment before anything reads them; each bench then
sets what it needs, in os.environ or in the env of the commands it starts. GOVCLOUD_CACHE is
kept: it says where this machine keeps the engine builds and the dev cloud, not how to run.

Python's own settings that change how fast it runs go too: with PYTHONDONTWRITEBYTECODE set (as
some shells here have it), a fresh worktree's govcloud compiled its ~50 modules again in every
timed run, which no installed govcloud does (pip compiles them), while the peers' libraries had
theirs compiled.
"""

from __future__ import annotations

import compileall
import os
import sys
from pathlib import Path

PREFIXES = ("GOVCLOUD_", "PULUMI_", "OS_")
KEPT = ("GOVCLOUD_CACHE",)
# The exporter daemon as deploy/govcloud-exporter.service starts it (-OO: no docstrings; tests/unit/test_exporter_imports.py).
EXPORTER_DAEMON = [sys.executable, "-OO", "-m", "provisioner.metering"]
PYTHON_SPEED = ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE", "PYTHONTRACEMALLOC",
                "PYTHONMALLOC", "PYTHONMALLOCSTATS")


def own_environment() -> dict[str, str]:
    """Drop the shell's govcloud, Pulumi and OpenStack settings, and Python's speed settings, from
    os.environ; return what was dropped."""
    dropped = {key: os.environ.pop(key) for key in sorted(os.environ)
               if (key.startswith(PREFIXES) and key not in KEPT) or key in PYTHON_SPEED}
    sys.dont_write_bytecode = False      # this process's own imports (in-process timings) too
    return dropped


def compiled(package: Path) -> None:
    """Byte-compile govcloud's sources once before timing, as installing it would."""
    compileall.compile_dir(str(package), quiet=1)
