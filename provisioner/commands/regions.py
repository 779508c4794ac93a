"""`govcloud regions`: make the Keystone domain of every region exist (ops, once per cloud)."""

from __future__ import annotations

import argparse

from provisioner.settings import Settings

NAME = "regions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace, settings: Settings) -> int:
    del args
    from provisioner.cloud.backups import connect_operator      # here: `--help` loads no openstacksdk
    from provisioner.cloud.regions import ensure_domains

    for state in ensure_domains(connect_operator(settings)):
        print(f"{state.region:<14} domain {state.domain}: {'created' if state.created else 'exists'}")
    return 0
