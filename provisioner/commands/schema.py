"""`govcloud schema`: print the JSON Schema of request specs (or write it to a file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from provisioner.commands.messages import WORDS
from provisioner.errors import ConfigError
from provisioner.settings import Settings

NAME = "schema"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, help="write to this file instead of printing")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.spec.schema import schema_text      # here: `--help` loads no spec models

    text = schema_text()
    if args.output is None:
        print(text, end="")
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:          # a folder that does not exist, a file not ours: the user's to fix, exit 1
        raise ConfigError(WORDS("cannot-write-file", path=args.output, reason=exc.strerror or exc)) from None
    return 0
