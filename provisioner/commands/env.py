"""`govcloud env`: shell exports so a hand-run `pulumi` uses govcloud's engine, state and cloud."""

from __future__ import annotations

import argparse
import shlex

from provisioner.settings import Settings

NAME = "env"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace, settings: Settings) -> int:
    del args
    for key, value in settings.pulumi_env().items():
        print(f"export {key}={shlex.quote(value)}")
    return 0
