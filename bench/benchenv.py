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
"""

from __future__ import annotations

import os

PREFIXES = ("GOVCLOUD_", "PULUMI_", "OS_")
KEPT = ("GOVCLOUD_CACHE",)


def own_environment() -> dict[str, str]:
    """Drop the shell's govcloud, Pulumi and OpenStack settings from os.environ; return what was dropped."""
    return {key: os.environ.pop(key) for key in sorted(os.environ) if key.startswith(PREFIXES) and key not in KEPT}
