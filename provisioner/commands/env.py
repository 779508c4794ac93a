"""`govcloud env`: shell exports so a hand-run `pulumi` uses govcloud's engine, state and cloud.

The passphrase is exported by file (GOVCLOUD_PASSPHRASE_FILE), never printed, except the
development cloud's public one; a PULUMI_CONFIG_PASSPHRASE and the OS_* variables in the
shell are unset, since Pulumi and the OpenStack provider would read them before the file
and the clouds.yaml entry.
"""

from __future__ import annotations

import argparse
import shlex

from provisioner.settings import Settings

NAME = "env"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace, settings: Settings) -> int:
    del args
    exports, unset = settings.hand_run_env()
    if unset:
        print(f"unset {' '.join(unset)}")
    for key, value in exports.items():
        print(f"export {key}={shlex.quote(value)}")
    return 0
