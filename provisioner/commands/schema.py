"""`govcloud schema`: print the JSON Schema of request specs (or write it to a file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from provisioner.settings import Settings
from provisioner.spec.schema import SCHEMA_FILE, schema_text

NAME = "schema"
HELP = f"print the JSON Schema of request specs for editors (checked in as {SCHEMA_FILE})"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, help="write to this file instead of printing")


def run(args: argparse.Namespace, settings: Settings) -> int:
    text = schema_text()
    if args.output is None:
        print(text, end="")
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0
