"""`govcloud apply [spec...]`: the requests' stacks, only for systems the ledger knows (provisioner.app.intake).

Before anything runs: specs the ledger cannot account for are refused (exit 1, with the
commands that record them) unless this is the development cloud, where they are recorded
as submitted and accepted by its office actor. Then the cloud's offer is checked, the
running systems' stacks are brought to their specs with the ledger's phase, and the trials
(and approved changes) still to make are made through reconcile's engine path.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from provisioner.app import apply as apply_job
from provisioner.app import intake
from provisioner.calendar_policy import load_calendar
from provisioner.catalogue import load_catalogue
from provisioner.cloud.backups import connect_operator
from provisioner.cloud.preflight import Offer, cloud_offer
from provisioner.commands.reconcile import print_report
from provisioner.commands.stacks import failed, print_outcomes
from provisioner.ledger import Ledger, workflow
from provisioner.lifecycle import messages
from provisioner.lifecycle.classify import parse_rules
from provisioner.app.reconcile import Options, Report, reconcile
from provisioner.settings import DEV_OFFICE_ACTOR, Settings
from provisioner.app.stack_actions import PulumiStackActions
from provisioner.stacks.engine import Engine, Outcome
from provisioner.stacks.progress import Progress, Ticker

CLASSIFICATION = Path("policies") / "change-classification.yaml"
# Seconds between the lines naming the stacks still running (a server can take minutes).
TICK_SECONDS = 30.0


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(args: argparse.Namespace, settings: Settings,
        make_engine: Callable[[argparse.Namespace, Settings], Engine]) -> int:
    planned = apply_job.discover(settings.root, args.paths)
    ledger = Ledger.open(settings.ledger_url)
    try:
        with ledger.transaction() as conn:
            sorted_out = intake.sort_out(conn, planned, settings.dev_cloud)
        if sorted_out.refused:
            for refusal in sorted_out.refused:
                print(f"govcloud apply: {refusal.text(args.lang)}", file=sys.stderr)
            return 1
        engine = make_engine(args, settings)          # starts in the background (see Engine)
        offer = cloud_offer(connect_operator(settings))
        apply_job.check_cloud_offers(planned, offer, settings.root)   # before the ledger records anything
        _check_room(settings, engine, [*sorted_out.to_record, *sorted_out.reconcile], offer)
        _record(settings, ledger, sorted_out, args.lang)
        with ledger.transaction() as conn:
            sorted_out = intake.sort_out(conn, planned, settings.dev_cloud)
        progress = Progress(None, _stderr)
        with Ticker(progress.tick, TICK_SECONDS):
            running = [item for item, _ in sorted_out.running]
            outcomes: list[Outcome] = []
            if running:
                outcomes = apply_job.apply(settings, engine, running, parallel=args.parallel, progress=progress,
                                           offer=offer, refresh=args.refresh,
                                           phases={item.system: phase for item, phase in sorted_out.running})
            report = _through_reconcile(settings, ledger, engine, progress, sorted_out.reconcile, args.parallel)
    finally:
        ledger.close()
    print_outcomes(outcomes)
    code = 0 if report is None else print_report(report, args.lang, summary=False)
    return max(code, failed(outcomes, engine))     # a stack that failed: 2, naming the run's log


def _record(settings: Settings, ledger: Ledger, sorted_out: intake.Intake, lang: str) -> None:
    if not (sorted_out.to_record or sorted_out.spec_updated):
        return
    root = settings.root
    ctx = workflow.Context(ledger, load_calendar(root), settings.actor, settings.clock)
    rules = parse_rules((root / CLASSIFICATION).read_text(encoding="utf-8"), str(CLASSIFICATION))
    intake.record(ctx, replace(ctx, actor=DEV_OFFICE_ACTOR), sorted_out, rules, load_catalogue(root).flavors)
    for item in sorted_out.to_record:
        print(messages.text("recorded-on-dev-cloud", lang, system=item.system, request=item.spec.metadata.request_id,
                            actor=DEV_OFFICE_ACTOR))


def _check_room(settings: Settings, engine: Engine, items: list[apply_job.Planned], offer: Offer) -> None:
    """Before the ledger records anything or reconcile makes any system resource: refuse a system whose department's project cannot
    hold what was granted (quota lowered, or resources made, by hand), as a plain apply does. Read from
    the tenant stacks that exist already; a new department's project is made with the grant as quota."""
    if not items:
        return
    existing = [tenant for tenant in sorted({item.tenant for item in items}) if engine.exists(tenant)]
    tenants = [Outcome(tenant, "outputs", {}, engine.outputs(tenant)) for tenant in existing]
    apply_job.check_project_room(settings, items, offer, tenants)


def _through_reconcile(settings: Settings, ledger: Ledger, engine: Engine, progress: Progress,
                       items: list[apply_job.Planned], parallel: int) -> Report | None:
    """The trials (and approved changes) to make: reconcile's claim, act and record, for these systems only."""
    if not items:
        return None
    actions = PulumiStackActions(settings, engine, progress)
    return reconcile(ledger, load_calendar(settings.root), actions, now=settings.now(),
                     options=Options(actor=f"apply:{settings.actor}", parallel=parallel,
                                     only=frozenset(item.system for item in items)))
