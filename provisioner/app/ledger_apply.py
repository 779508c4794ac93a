"""`govcloud apply [spec...]`: the requests' stacks, only for systems the ledger knows (provisioner.app.intake).

Before anything runs: specs the ledger cannot account for are refused (with the commands
that record them) unless this is the development cloud, where they are recorded as
submitted and accepted by its office actor. Then the cloud's offer is checked, the running
systems' stacks are brought to their specs with the ledger's phase, and the trials (and
approved changes) still to make are made through reconcile's engine path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from provisioner.app import apply as apply_job
from provisioner.app import intake
from provisioner.app.reconcile import Options, Report, reconcile
from provisioner.app.stack_actions import PulumiStackActions
from provisioner.cloud.backups import connect_operator
from provisioner.cloud.preflight import Offer, cloud_offer
from provisioner.ledger import Ledger, workflow
from provisioner.settings import DEV_OFFICE_ACTOR, Settings
from provisioner.stacks.engine import Engine, Outcome
from provisioner.stacks.progress import Progress, Ticker

# Seconds between the lines naming the stacks still running (a server can take minutes).
TICK_SECONDS = 30.0


@dataclass
class Applied:
    """What `govcloud apply` did: refused (nothing ran), or recorded, brought up and reconciled."""

    refused: list[intake.Refusal] = field(default_factory=list)
    recorded: list[apply_job.Planned] = field(default_factory=list)   # recorded on the dev cloud
    outcomes: list[Outcome] = field(default_factory=list)              # the running systems' stacks
    report: Report | None = None                                       # the trials made through reconcile
    log: Path | None = None                                            # the engine's run log


def apply_known(settings: Settings, planned: list[apply_job.Planned], make_engine: Callable[[], Engine],
                progress: Progress, *, parallel: int, refresh: bool) -> Applied:
    ledger = Ledger.open(settings.ledger_url)
    try:
        with ledger.transaction() as conn:
            sorted_out = intake.sort_out(conn, planned, settings.dev_cloud)
        if sorted_out.refused:
            return Applied(refused=list(sorted_out.refused))
        engine = make_engine()          # starts in the background (see Engine)
        offer = cloud_offer(connect_operator(settings))
        apply_job.check_cloud_offers(planned, offer, settings.policies)   # before the ledger records anything
        _check_room(settings, engine, [*sorted_out.to_record, *sorted_out.reconcile], offer)
        applied = Applied(recorded=_record(settings, ledger, sorted_out), log=engine.log.path)
        with ledger.transaction() as conn:
            sorted_out = intake.sort_out(conn, planned, settings.dev_cloud)
        with Ticker(progress.tick, TICK_SECONDS):
            running = [item for item, _ in sorted_out.running]
            if running:
                applied.outcomes = apply_job.apply(
                    settings, engine, running, parallel=parallel, progress=progress, offer=offer, refresh=refresh,
                    phases={item.system: phase for item, phase in sorted_out.running})
            applied.report = _through_reconcile(settings, ledger, engine, progress, sorted_out.reconcile, parallel)
    finally:
        ledger.close()
    return applied


def _record(settings: Settings, ledger: Ledger, sorted_out: intake.Intake) -> list[apply_job.Planned]:
    if not (sorted_out.to_record or sorted_out.spec_updated):
        return []
    policies = settings.policies
    ctx = workflow.Context(ledger, policies.calendar(), settings.actor, settings.clock)
    intake.record(ctx, replace(ctx, actor=DEV_OFFICE_ACTOR), sorted_out, policies.classification,
                  policies.catalogue.flavors)
    return list(sorted_out.to_record)


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
    return reconcile(ledger, settings.policies.calendar(), actions, now=settings.now(),
                     options=Options(actor=f"apply:{settings.actor}", parallel=parallel,
                                     only=frozenset(item.system for item in items)))
