"""`govcloud unlock STACK`: clear the lock a killed run left on a stack (self-managed backends).

Removes a lock only when its Pulumi process is gone (same host, pid no longer a
running pulumi; another host: its govcloud stopped renewing its lease, see
provisioner/stacks/locks.py); keeps a live one, and one from another host it cannot
judge, unless `--force` (check first that the run there has ended: a CI job cancelled,
a machine lost). `govcloud apply` and `destroy` take stale locks over by themselves.
Exit 0 when the stack is now unlocked, 1 when a lock was kept.
"""

from __future__ import annotations

import argparse
import socket
import sys
from datetime import UTC, datetime

from provisioner.settings import Settings

NAME = "unlock"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("stack", help="the stack, e.g. city.jj-xzspj.zwfw-portal")
    parser.add_argument("--force", action="store_true",
                        help="also remove a lock from another host (only once that run has surely ended)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.stacks.locks import lock_store, pulumi_alive, unlock     # not for `--help`
    from provisioner.commands.messages import WORDS
    from provisioner.naming import pulumi_project

    verdicts = unlock(lock_store(settings.backend_url), args.stack, socket.gethostname(), pulumi_alive,
                      args.force, pulumi_project(settings.root), now=datetime.now(UTC))
    if not verdicts:
        print(WORDS.say("not-locked", args.lang, stack=args.stack))
        return 0
    for verdict in verdicts:
        print(verdict.text(args.stack, args.lang), file=sys.stdout if verdict.remove else sys.stderr)
    return 0 if all(v.remove for v in verdicts) else 1
