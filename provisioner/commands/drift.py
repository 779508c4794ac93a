"""`govcloud drift [PATH...]`: what changed in the cloud outside the code, per stack."""

from __future__ import annotations

import argparse
from pathlib import Path

from provisioner import apply as apply_job
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine

NAME = "drift"
HELP = "report, per stack, what changed in the cloud outside govcloud (changes nothing)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="request spec files (default: all)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    planned = apply_job.discover(settings.root, args.paths)
    engine = Engine(settings)
    found = 0
    for stack in [item.system for item in planned]:
        _, drifted = engine.drift(stack)
        found += len(drifted)
        print(f"{stack}: {'in sync' if not drifted else f'{len(drifted)} drifted'}")
        for item in drifted:
            props = ", ".join(item.properties) or "gone from the cloud"
            print(f"  {item.op:7} {item.type:45} {item.name}: {props}")
    # Exit 1 when anything drifted, so a scheduled job can alert on it.
    return 1 if found else 0
