"""`govcloud reconcile` (the periodic job) and `govcloud lifecycle ...` (the people's steps).

reconcile: what is due now (create trials, promote, apply changes, terminate, flag
missed deadlines and held trials) is decided by provisioner.lifecycle and done by the
StackActions of GOVCLOUD_RECONCILE_ENGINE ("pulumi", the default; "none" records the
intents only, for a cloud govcloud must not touch). Exit 2 if a step failed.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.commands.messages import WORDS
from provisioner.errors import ConfigError
from provisioner.lifecycle import messages
from provisioner.lifecycle.messages import event_text, local_time
from provisioner.lifecycle.states import Action, Party
from provisioner.settings import DEV_OFFICE_ACTOR, Settings

if TYPE_CHECKING:       # imported where used: `--help` loads neither SQLAlchemy nor the spec models
    from provisioner.ledger import workflow
    from provisioner.app.reconcile import Report


class Reconcile:
    NAME = "reconcile"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--lang", choices=("zh", "en"), default="zh")
        parser.add_argument("--full", action="store_true", help="look at every live system, not only those due")
        parser.add_argument("-j", "--parallel", type=int, default=4, metavar="N",
                            help="engine steps (of different systems) run at once (default 4)")

    @staticmethod
    def run(args: argparse.Namespace, settings: Settings) -> int:
        from provisioner.ledger import Ledger
        from provisioner.app.reconcile import ENGINES, Options, reconcile

        factory = ENGINES.get(settings.reconcile_engine)
        if factory is None:
            raise ConfigError(WORDS("unknown-reconcile-engine", engine=settings.reconcile_engine,
                                    known=", ".join(sorted(ENGINES))))
        ledger = Ledger.open(settings.ledger_url)
        actions = factory(settings)
        try:
            with _progress(actions, args.lang):
                report = reconcile(ledger, settings.policies.calendar(), actions, now=settings.now(),
                                   options=Options(actor=f"reconcile:{settings.actor}", full=args.full,
                                                   parallel=args.parallel))
        finally:
            ledger.close()
        return print_report(report, args.lang)


def _progress(actions: object, lang: str) -> AbstractContextManager[object]:
    """A line on stderr per stack an engine brings up, and every 30 s those still running."""
    if not hasattr(actions, "progress"):
        return nullcontext()
    from provisioner.stacks.progress import Progress, Ticker   # the engine's: imported with it

    progress = Progress(None, lambda line: print(line, file=sys.stderr, flush=True), lang=lang)
    actions.progress = progress
    return Ticker(progress.tick, 30.0)


def print_report(report: Report, lang: str, summary: bool = True) -> int:
    if report.skipped:
        print(messages.WORDS.say("reconcile-busy", lang, holder=report.busy_holder, until=report.busy_until))
        return 0
    for subject, kind, detail in report.events:
        print(event_text(subject, kind, detail, lang))
    for subject, action, error in report.failed:
        print(messages.WORDS.say("ev-action_failed", lang, system=subject, action=action, error=error), file=sys.stderr)
    if not summary:
        return 2 if report.failed else 0
    done = sum(1 for _, kind, _ in report.events if kind.endswith("_done"))
    print(messages.WORDS.say("reconcile-summary", lang, checked=report.checked, done=done,
                        recorded=len(report.events) - done, failed=len(report.failed), uncertain=report.uncertain))
    return 2 if report.failed else 0


class Lifecycle:
    NAME = "lifecycle"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--lang", choices=("zh", "en"), default="zh")
        sub = parser.add_subparsers(dest="lifecycle_command", required=True)
        submit = sub.add_parser("submit", help="requests arrive (new systems, or changes of running ones); "
                                               "one already recorded with the same spec is left alone")
        submit.add_argument("specs", type=Path, nargs="+", metavar="spec")
        submit.add_argument("--accept", action="store_true",
                            help=f"development cloud only: also record the office's acceptance, as {DEV_OFFICE_ACTOR}")
        accept = sub.add_parser("accept", help="the office accepts a request (art15), approves a change or confirms a termination")
        accept.add_argument("request_id")
        accept.add_argument("--note", default="")
        reject = sub.add_parser("reject", help="the office rejects a request (art15)")
        reject.add_argument("request_id")
        reject.add_argument("--reason", required=True)
        verdict = sub.add_parser("verdict", help="a party records its acceptance-test result (art16)")
        verdict.add_argument("system")
        verdict.add_argument("--party", choices=[p.value for p in Party], required=True)
        verdict.add_argument("--failed", action="store_true", help="the tests did not pass")
        verdict.add_argument("--note", default="")
        extend = sub.add_parser("extend", help="the office approves extra trial days (art16)")
        extend.add_argument("system")
        extend.add_argument("--days", type=int, required=True)
        extend.add_argument("--reason", required=True)
        terminate = sub.add_parser("terminate", help="a termination request (art19); confirm it with accept")
        terminate.add_argument("system")
        terminate.add_argument("--request-id", required=True)
        terminate.add_argument("--reason", required=True)
        done = sub.add_parser("done", help="the provider did an engine step by hand (no engine configured)")
        done.add_argument("system")
        done.add_argument("action", choices=[a.value for a in Action if a not in (Action.HOLD, Action.BREACH)])
        early = sub.add_parser("early-go-live", help="the department goes live before the trial's end, once both "
                                                     "parties have accepted (art16, art17)")
        early.add_argument("system")
        early.add_argument("--reason", required=True)
        sub.add_parser("show", help="a system's generations and events").add_argument("system")
        handover = sub.add_parser("handover", help="the hand-over record of a terminated system's data, which "
                                                   "the unit confirms before anything is destroyed (art25)")
        steps = handover.add_subparsers(dest="handover_command", required=True)
        show = steps.add_parser("show", help="the record: backups (ids, sizes, checksums, where, until when) and "
                                             "the data the unit exports itself")
        show.add_argument("system")
        show.add_argument("--format", choices=("text", "json"), default="text")
        confirm = steps.add_parser("confirm", help="the unit confirms the record; reconcile may then destroy")
        confirm.add_argument("system")
        confirm.add_argument("--by", required=True, help="the unit's person who confirms (name)")

    @staticmethod
    def run(args: argparse.Namespace, settings: Settings) -> int:
        from provisioner.ledger import Ledger, workflow
        from provisioner.lifecycle.machine import TransitionError

        ledger = Ledger.open(settings.ledger_url)
        ctx = workflow.Context(ledger, settings.policies.calendar(), settings.actor, settings.clock)
        try:
            return _lifecycle(args, settings, ctx)
        except TransitionError as exc:
            print(f"govcloud: {exc.message(args.lang)}", file=sys.stderr)
            return exc.exit_code
        finally:
            ledger.close()


def _lifecycle(args: argparse.Namespace, settings: Settings, ctx: workflow.Context) -> int:
    from provisioner.ledger import workflow

    command = args.lifecycle_command
    if command == "submit":
        _submit(args, settings, ctx)
    elif command == "accept":
        view = workflow.accept(ctx, args.request_id, args.note)
        _print_last_event(ctx, view.system_key, args.lang)
    elif command == "reject":
        workflow.reject(ctx, args.request_id, args.reason)
    elif command == "verdict":
        view = workflow.verdict(ctx, args.system, Party(args.party), not args.failed, args.note)
        _print_last_event(ctx, view.system_key, args.lang)
    elif command == "extend":
        view = workflow.extend(ctx, args.system, args.days, args.reason)
        _print_last_event(ctx, view.system_key, args.lang)
    elif command == "early-go-live":
        view = workflow.early_go_live(ctx, args.system, args.reason)
        _print_last_event(ctx, view.system_key, args.lang)
    elif command == "terminate":
        workflow.request_termination(ctx, args.system, args.request_id, args.reason)
    elif command == "done":
        _done(args, settings, ctx)
    elif command == "handover":
        _handover(args, ctx)
    else:
        _show(ctx, args.system, args.lang)
    return 0


def _done(args: argparse.Namespace, settings: Settings, ctx: workflow.Context) -> None:
    from provisioner.ledger import workflow

    action = Action(args.action)
    detail = None
    if action == Action.BACK_UP:        # its hand-over record states how long the backups are kept
        retention = settings.policies.handover
        detail = {"retention_days": retention.days, "retention_policy": retention.where}
    workflow.done_by_hand(ctx, args.system, action, detail)


def _handover(args: argparse.Namespace, ctx: workflow.Context) -> None:
    import json

    from provisioner.ledger import handover as records
    from provisioner.ledger import workflow
    from provisioner.lifecycle.handover import render
    from provisioner.lifecycle.machine import TransitionError

    if args.handover_command == "confirm":
        view = workflow.confirm_handover(ctx, args.system, args.by)
        _print_last_event(ctx, view.system_key, args.lang)
        return
    with ctx.ledger.transaction() as conn:
        stored = records.newest(conn, args.system)
    if stored is None:
        raise TransitionError(messages.WORDS("handover-none", system=args.system))
    if args.format == "json":
        print(json.dumps({"record": stored.record, "record_sha256": stored.sha256, "confirmed": stored.confirmed},
                         ensure_ascii=False, indent=2, sort_keys=True))
        return
    for line in render(stored.record, stored.sha256, stored.confirmed, args.lang, shown_time=local_time):
        print(line)


def _submit(args: argparse.Namespace, settings: Settings, ctx: workflow.Context) -> None:
    from provisioner.app import intake
    from provisioner.lifecycle.machine import TransitionError
    from provisioner.spec import load_spec
    from provisioner.naming import system_stack

    if args.accept and not settings.dev_cloud:
        raise TransitionError(messages.WORDS("accept-dev-only", cloud=settings.cloud, actor=DEV_OFFICE_ACTOR))
    office = replace(ctx, actor=DEV_OFFICE_ACTOR) if args.accept else None
    rules = settings.policies.classification
    flavors = settings.policies.catalogue.flavors
    for path in args.specs:
        spec = load_spec(path.resolve(), settings.root)
        result = intake.record_request(ctx, spec, rules, flavors, accept_as=office)
        if result is None:
            copy = intake.ledger_copy(ctx, spec)
            key = "already-recorded-unreadable" if copy.unreadable else \
                "already-recorded-edited" if copy.edited else "already-recorded"
            print(messages.WORDS.say(key, args.lang, request=spec.metadata.request_id, system=system_stack(spec),
                                     path=path, error=copy.unreadable))
        else:
            _print_submitted(result, args.lang)
        if office is not None:
            _print_last_event(ctx, system_stack(spec), args.lang, kinds=("accepted",))


def _print_submitted(result: workflow.Submitted, lang: str) -> None:
    if result.classification is not None:
        print(result.classification.summary(lang))
    if result.deadline is not None:
        print(messages.WORDS.say("ev-submitted", lang, system=result.system_key,
                            deadline=result.deadline.local_date.isoformat()))
        if result.deadline.uncertain:
            print(result.deadline.warning(lang), file=sys.stderr)
    print(result.request_id)


def _print_last_event(ctx: workflow.Context, system_key: str, lang: str, kinds: tuple[str, ...] = ()) -> None:
    """Say what a step recorded, as `lifecycle show` and reconcile word it."""
    from provisioner.ledger import store

    with ctx.ledger.transaction() as conn:
        ids = [g.id for g in store.generations(conn, system_key) if g.id is not None]
        rows = [r for r in store.event_rows(conn, ids) if not kinds or r.kind in kinds]
    if rows:
        print(event_text(system_key, rows[-1].kind, rows[-1].detail, lang))


def _show(ctx: workflow.Context, system_key: str, lang: str) -> None:
    from provisioner.ledger import store
    from provisioner.lifecycle.machine import TransitionError

    with ctx.ledger.transaction() as conn:
        gens = store.generations(conn, system_key)
        if not gens:
            raise TransitionError(messages.WORDS("unknown-system", system=system_key))
        rows = store.event_rows(conn, [g.id for g in gens if g.id is not None])
        rows_by_id = {g.id: store.row(conn, g.id) for g in gens}
    for view in gens:
        row = rows_by_id[view.id]
        limit = f" {row.deadline_rule} {local_time(row.deadline_at.isoformat())}" if row.deadline_at else ""
        flag = " " + WORDS.say("deadline-uncertain", lang) if row.deadline_uncertain else ""
        print(f"{system_key}#{view.generation} {view.request_id} {view.state.value}{limit}{flag}")
    for row in rows:
        subject = f"{system_key}"
        print(f"  {local_time(row.at.isoformat())} {row.actor}: {event_text(subject, row.kind, row.detail, lang)}")
