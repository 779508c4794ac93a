"""`govcloud repair STACK`: rebuild what was deleted by hand outside govcloud (see provisioner/app/repair.py).

Prints what was missing at the request spec's lines, then what was made again. Stops,
exit 1, before a data-bearing resource (a volume, a database's volume, a Swift container)
would be made again empty, naming its latest backup; `--allow-empty-data` goes on once
that is decided (the old volumes are kept and named, for the restore). Exit 2 when the
engine or the cloud failed.
"""

from __future__ import annotations

import argparse
import sys

from provisioner.settings import Settings

NAME = "repair"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("stack", help="the stack, e.g. city.jj-xzspj (a tenant) or city.jj-xzspj.zwfw-portal")
    parser.add_argument("--allow-empty-data", action="store_true",
                        help="make data volumes and containers again even though they come back empty "
                             "(after their data was restored or given up)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.app import repair as use_case
    from provisioner.cloud.backups import connect_operator
    from provisioner.commands.messages import WORDS
    from provisioner.commands.stacks import notices, print_outcomes
    from provisioner.stacks.engine import Engine

    engine = Engine(settings, on_notice=notices(args.lang))
    report = use_case.repair(settings, engine, lambda: connect_operator(settings), args.stack,
                             args.allow_empty_data)
    for problem in report.found:
        print(problem.render(args.lang))
    for problem in report.stopped:
        print(problem.render(args.lang), file=sys.stderr)
    print_outcomes(report.outcomes)
    for kept in report.kept:
        print(WORDS.say("kept-for-restore", args.lang, kept=kept))
    if report.stopped:
        print(f"govcloud: {WORDS.say('repair-stopped', args.lang)}", file=sys.stderr)
    elif not report.found:
        print(WORDS.say("repair-nothing-missing", args.lang, stack=args.stack))
    return report.exit_code
