"""`govcloud regions`: make the Keystone domain of every region exist (ops, once per cloud)."""

from __future__ import annotations

import argparse

from provisioner.settings import Settings

NAME = "regions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.cloud.backups import connect_operator      # here: `--help` loads no openstacksdk
    from provisioner.cloud.regions import ensure_domains
    from provisioner.commands.messages import WORDS

    for state in ensure_domains(connect_operator(settings)):
        said = WORDS.say("domain-created" if state.created else "domain-exists", args.lang, domain=state.domain)
        print(f"{state.region:<14} {said}")
    return 0
