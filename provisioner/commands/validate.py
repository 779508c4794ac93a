"""`govcloud validate [PATH...]`: check request specs; every problem with file:line."""

from __future__ import annotations

import argparse
from pathlib import Path

from provisioner import apply as apply_job
from provisioner.settings import Settings

NAME = "validate"
HELP = "check request specs and report every problem with file:line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="request spec files (default: all)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    planned = apply_job.discover(settings.root, args.paths)
    print(f"ok: {len(planned)} request spec(s) valid")
    return 0
