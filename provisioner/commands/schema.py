"""`govcloud schema`: print the JSON Schema of request specs (or write it to a file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from provisioner.settings import Settings

NAME = "schema"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, help="write to this file instead of printing")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.spec.schema import schema_text      # here: `--help` loads no spec models

    text = schema_text()
    if args.output is None:
        print(text, end="")
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0
