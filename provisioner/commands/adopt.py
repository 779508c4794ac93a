"""`govcloud adopt`: record the systems whose stacks run but the ledger lacks (provisioner.app.adopt).

Reads the state backend only (`pulumi stack ls`, `pulumi stack export`); changes no stack and
no cloud resource. Exit 0 when every stack holding resources is accounted for; 1 when a
stack could not be adopted (labels missing or inconsistent, its request already recorded):
those stay unaccounted until a person looks.
"""

from __future__ import annotations

import argparse
import sys

from provisioner.lifecycle.messages import event_text
from provisioner.settings import Settings

NAME = "adopt"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here: `govcloud adopt --help` loads neither SQLAlchemy nor Pulumi.
    from provisioner.app.adopt import adopt
    from provisioner.ledger import Ledger, workflow
    from provisioner.stacks.engine import Engine

    ledger = Ledger.open(settings.ledger_url)
    try:
        ctx = workflow.Context(ledger, settings.policies.calendar(), f"adopt:{settings.actor}", settings.clock)
        adopted, skipped = adopt(ctx, settings.root, Engine(settings))
    finally:
        ledger.close()
    for found in adopted:
        print(event_text(found.system_key, "adopted", {"phase": found.phase,
                                                      "started_at": found.trial_started_at.isoformat()}, args.lang))
    for item in skipped:
        print(f"govcloud adopt: {item.text(args.lang)}", file=sys.stderr)
    return 1 if skipped else 0
