"""`govcloud apply | preview | destroy`: run the request specs through the Pulumi engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.commands.messages import WORDS
from provisioner.errors import ConfigError
from provisioner.settings import Settings

if TYPE_CHECKING:       # imported by run(): `--help` loads neither Pulumi nor the spec models
    from provisioner.lifecycle.machine import TransitionError
    from provisioner.stacks.engine import Engine, Outcome


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="request spec files (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="stream Pulumi's output")
    parser.add_argument("-j", "--parallel", type=int, default=4, metavar="N",
                        help="stacks applied at once (default 4; tenants before their systems)")


def _engine(args: argparse.Namespace, settings: Settings) -> Engine:
    from provisioner.stacks.engine import Engine

    return Engine(settings, on_output=print if args.verbose else None, on_notice=notices(args.lang))


def notices(lang: str) -> Callable[[str, str], None]:
    """What the engine did on its own (a stale lock taken over, a pending create settled), told in `lang`."""
    def notice(zh: str, en: str) -> None:
        print(f"govcloud: {en if lang == 'en' else zh}", file=sys.stderr, flush=True)
    return notice


def print_outcomes(outcomes: list[Outcome]) -> None:
    from provisioner.stacks.progress import changes_text

    for outcome in outcomes:
        print(f"{'failed' if outcome.failure else outcome.operation:8} {outcome.stack:40} {changes_text(outcome)}")


def failed(outcomes: list[Outcome], log: Path | None, lang: str) -> int:
    """Exit status after the outcomes were printed: 2 when a stack failed, naming the run's full log."""
    count = sum(1 for outcome in outcomes if outcome.failure)
    if not count:
        return 0
    print(f"govcloud: {WORDS.say('stacks-failed', lang, count=count, log=log)}", file=sys.stderr)
    return 2


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _apply_known(args: argparse.Namespace, settings: Settings) -> int:
    """`govcloud apply [spec...]` through the ledger (provisioner/app/ledger_apply.py)."""
    # The ledger, the lifecycle and the cloud: apply only.
    from provisioner.app import apply as apply_job
    from provisioner.app.ledger_apply import apply_known
    from provisioner.commands.reconcile import print_report
    from provisioner.lifecycle import messages
    from provisioner.settings import DEV_OFFICE_ACTOR
    from provisioner.stacks.progress import Progress

    planned = apply_job.discover(settings.root, args.paths)
    applied = apply_known(settings, planned, lambda: _engine(args, settings), Progress(None, _stderr, lang=args.lang),
                          parallel=args.parallel, refresh=args.refresh)
    for refusal in applied.refused:
        print(f"govcloud apply: {refusal.text(args.lang)}", file=sys.stderr)
    if applied.refused:
        return 1
    for item in applied.recorded:
        print(messages.WORDS.say("recorded-on-dev-cloud", args.lang, system=item.system,
                            request=item.spec.metadata.request_id, actor=DEV_OFFICE_ACTOR))
    print_outcomes(applied.outcomes)
    code = 0 if applied.report is None else print_report(applied.report, args.lang, summary=False)
    return max(code, failed(applied.outcomes, applied.log, args.lang))   # a stack that failed: 2, naming its log


def _merge_arguments(parser: argparse.ArgumentParser) -> None:
    """`apply --base`: provisioner/commands/merge_apply.py."""
    parser.add_argument("--base", help="after a merge: the commit before it (e.g. HEAD^1); applies only the "
                                       "specs changed since, through the lifecycle (see govcloud plan)")
    parser.add_argument("--department", default=None,
                        help="with --base: the submitting department (default: from the merged branch "
                             "<department>/<topic> named by the merge commit)")
    parser.add_argument("--lock-wait", type=float, default=None,
                        help="with --base: seconds to wait for a stack locked by another run "
                             "(default GOVCLOUD_LOCK_WAIT, 300)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of refusals and lifecycle lines")


class Apply:
    NAME = "apply"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        add_arguments(parser)
        _merge_arguments(parser)
        parser.add_argument("--refresh", action="store_true",
                            help="read every resource back from the cloud first and put back what "
                                 "changed outside the code (what `govcloud drift` reports)")

    @staticmethod
    def run(args: argparse.Namespace, settings: Settings) -> int:
        if args.base is not None:
            if args.paths:
                raise ConfigError(WORDS("apply-base-no-paths"))
            # Imported here: the lifecycle, ledger and git are for --base only.
            from provisioner.commands import merge_apply
            return merge_apply.run(args, settings)
        return _apply_known(args, settings)


class Preview:
    NAME = "preview"
    add_arguments = staticmethod(add_arguments)

    @staticmethod
    def run(args: argparse.Namespace, settings: Settings) -> int:
        from provisioner.app import apply as apply_job

        planned = apply_job.discover(settings.root, args.paths)
        print_outcomes(apply_job.preview(settings, _engine(args, settings), planned))
        return 0


class Destroy:
    NAME = "destroy"
    add_arguments = staticmethod(add_arguments)

    @staticmethod
    def run(args: argparse.Namespace, settings: Settings) -> int:
        from provisioner.app import apply as apply_job

        planned = apply_job.discover(settings.root, args.paths)
        refusal = _handover_refusal(settings, [item.system for item in planned])
        if refusal is not None:
            print(f"govcloud: {refusal.message(args.lang)}", file=sys.stderr)
            return refusal.exit_code
        print_outcomes(apply_job.destroy(settings, _engine(args, settings), planned))
        return 0


def _handover_refusal(settings: Settings, system_keys: list[str]) -> TransitionError | None:
    """art25: a system being terminated is not destroyed by hand before its unit confirmed the
    hand-over record of its data (reconcile does it, after the confirmation)."""
    from provisioner.ledger import Ledger, workflow
    from provisioner.lifecycle.machine import TransitionError

    ledger = Ledger.open(settings.ledger_url)
    try:
        workflow.refuse_destroy_before_handover(ledger, system_keys)
    except TransitionError as exc:
        return exc
    finally:
        ledger.close()
    return None
