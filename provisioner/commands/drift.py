"""`govcloud drift [PATH...]`: what changed in the cloud outside the code, per stack.

What is checked and how each finding is located: provisioner/app/drift.py.

Exit status: 0 nothing drifted; 4 something drifted (`govcloud apply --refresh` or
`govcloud repair` puts it back); 1 a request or setting is wrong; 2 the engine or the
cloud failed for a stack (after every other stack was checked). 4, not 1, so a
scheduled job tells drift from a broken request.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from provisioner.settings import Settings

NAME = "drift"
DRIFT_EXIT = 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="request spec files (default: all)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.app import apply as apply_job
    from provisioner.app.drift import drift
    from provisioner.cloud.backups import connect_operator
    from provisioner.commands.messages import WORDS
    from provisioner.stacks.engine import Engine

    planned = apply_job.discover(settings.root, args.paths)
    found = unchecked = 0
    lang = args.lang
    for one in drift(planned, Engine(settings), connect_operator(settings), settings.root):
        if not one.created:
            print(WORDS.say("drift-not-created", lang, stack=one.stack))
            continue
        if one.error is not None:
            unchecked += 1
            print(WORDS.say("drift-unchecked", lang, stack=one.stack, error=one.error))
            continue
        problems = one.problems
        found += len(problems)
        print(WORDS.say("drift-found", lang, stack=one.stack, count=len(problems)) if problems
              else WORDS.say("drift-none", lang, stack=one.stack))
        for problem in problems:
            print(f"  {problem.render(lang)}")
    if unchecked:
        return 2
    return DRIFT_EXIT if found else 0
