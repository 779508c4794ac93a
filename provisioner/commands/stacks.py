"""`govcloud apply | preview | destroy`: run the request specs through the Pulumi engine."""

from __future__ import annotations

import argparse
from pathlib import Path

from provisioner import apply as apply_job
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine, Outcome


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="request spec files (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="stream Pulumi's output")


def _engine(args: argparse.Namespace, settings: Settings) -> Engine:
    return Engine(settings, on_output=(lambda line: print(line, end="")) if args.verbose else None)


def print_outcomes(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        summary = ", ".join(f"{op} {n}" for op, n in sorted(outcome.changes.items())) or "nothing"
        print(f"{outcome.operation:8} {outcome.stack:40} {summary}")


class Apply:
    NAME = "apply"
    HELP = "create or update the stacks of the requests (default: all under request_specs/)"
    add_arguments = staticmethod(add_arguments)

    @staticmethod
    def run(args: argparse.Namespace, settings: Settings) -> int:
        planned = apply_job.discover(settings.root, args.paths)
        print_outcomes(apply_job.apply(settings, _engine(args, settings), planned))
        return 0


class Preview:
    NAME = "preview"
    HELP = "show what apply would change, changing nothing"
    add_arguments = staticmethod(add_arguments)

    @staticmethod
    def run(args: argparse.Namespace, settings: Settings) -> int:
        planned = apply_job.discover(settings.root, args.paths)
        print_outcomes(apply_job.preview(settings, _engine(args, settings), planned))
        return 0


class Destroy:
    NAME = "destroy"
    HELP = "destroy the stacks of the requests (development cloud; production goes through termination)"
    add_arguments = staticmethod(add_arguments)

    @staticmethod
    def run(args: argparse.Namespace, settings: Settings) -> int:
        planned = apply_job.discover(settings.root, args.paths)
        print_outcomes(apply_job.destroy(settings, _engine(args, settings), planned))
        return 0
