"""`govcloud reconcile`: the periodic job that does what the lifecycle says is due.

Per run: take the lease (one reconcile at a time), read only the rows whose
next_check_at has come, and for each ask the pure lifecycle what is due at `now`:
record missed deadlines and held trials; for an engine step (create the trial,
promote, apply a change, terminate) do it in three parts:

  1. claim    one transaction: event `action_started` (attempt n) + audit, row version bumped
  2. act      StackActions, outside any transaction (it may take minutes)
  3. complete one transaction, only if the row is still the claimed version: the transition,
              its event and audit record

Claims are made one system after another; the actions then run `parallel` at a time
(Options.parallel, `govcloud reconcile -j N`), each completed as it finishes.

Killed anywhere, a rerun converges: before 1 nothing happened; between 1 and 3 the row is
still in the source state and still due, so the step is claimed again (attempt n+1) and
the action, which must be idempotent (Pulumi `up` is), runs again; after 3 it is done.
Every event that was committed stays. Two runs at once: the second finds the lease taken
and does nothing; should two ever overlap, the version check makes the later write fail
instead of doubling a transition.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from provisioner.app.actions import ActionOutcome, IntentOnlyActions, StackActions, SystemRef
from provisioner.calendar import WorkCalendar
from provisioner.ledger import leases, store
from provisioner.ledger.db import Ledger
from provisioner.ledger.schema import RECONCILE_LEASE, events, systems
from provisioner.ledger.workflow import complete_action
from provisioner.lifecycle import machine
from provisioner.lifecycle.machine import EventSpec, SystemView
from provisioner.lifecycle.phase import stack_phase
from provisioner.lifecycle.states import ACTION_STATES, FINAL_STATES, Action

LEASE_TTL = timedelta(minutes=30)


@dataclass
class Report:
    checked: int = 0
    events: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)   # (subject, kind, detail)
    failed: list[tuple[str, str, str]] = field(default_factory=list)              # (subject, action, error)
    uncertain: int = 0
    busy_holder: str | None = None
    busy_until: datetime | None = None

    @property
    def skipped(self) -> bool:
        return self.busy_holder is not None


@dataclass(frozen=True)
class Options:
    actor: str = "reconcile"
    full: bool = False                      # look at every live row, not only those due by next_check_at
    lease_ttl: timedelta = LEASE_TTL
    is_alive: Callable[[int], bool] = leases.pid_alive
    checkpoint: Callable[[str], None] = lambda name: None   # tests kill the run at named points
    parallel: int = 1                       # engine actions run at once (different systems)
    only: frozenset[str] | None = None      # system keys to look at (govcloud apply); None: all


def reconcile(ledger: Ledger, calendar: WorkCalendar, actions: StackActions, *, now: datetime,
              options: Options = Options()) -> Report:
    me = leases.Holder(socket.gethostname(), os.getpid(), uuid.uuid4().hex[:8])
    report = Report()
    with ledger.transaction() as conn:
        lease = leases.acquire(conn, RECONCILE_LEASE, me, now=now, ttl=options.lease_ttl, is_alive=options.is_alive)
    if not lease.acquired:
        report.busy_holder, report.busy_until = lease.holder, lease.expires_at
        return report
    options.checkpoint("leased")
    try:
        retry = not actions.records_intent_only
        with ledger.transaction() as conn:
            found = store.candidates(conn, now, retry_intents=retry, full=options.full)
        claimed: list[Claimed] = []
        for view, stored_check in found:
            if options.only is not None and view.system_key not in options.only:
                continue
            report.checked += 1
            # Decided on the row as read; each row acted on is read again in its own transaction.
            if machine.due(view, now, calendar, retry) or stored_check != machine.next_check(view, now, calendar):
                try:
                    one = _claim(ledger, calendar, actions, view.id, now, options, report)
                except store.ConcurrentUpdate:
                    continue            # someone else moved this system meanwhile: theirs stands
                if one is not None:
                    claimed.append(one)
        _act_all(ledger, calendar, actions, claimed, now, options, report, me)
        with ledger.transaction() as conn:
            report.uncertain = _uncertain(conn)
    finally:
        with ledger.transaction() as conn:
            leases.release(conn, RECONCILE_LEASE, me)
    return report


def _uncertain(conn: Connection) -> int:
    live = systems.c.state.not_in([s.value for s in FINAL_STATES])
    return conn.execute(select(func.count()).where(live, systems.c.deadline_uncertain.is_(True))).scalar_one()


Claimed = tuple[SystemView, Action, SystemRef]


def _claim(ledger: Ledger, calendar: WorkCalendar, actions: StackActions, system_id: int, now: datetime,
           options: Options, report: Report) -> Claimed | None:
    with ledger.transaction() as conn:
        view = store.load(conn, system_id)
        claimed = _decide(conn, view, calendar, actions, now, options, report)
    if claimed is not None:
        options.checkpoint(f"claimed:{claimed[1].value}")
    return claimed


def _act_all(ledger: Ledger, calendar: WorkCalendar, actions: StackActions, claimed: list[Claimed], now: datetime,
             options: Options, report: Report, me: leases.Holder) -> None:
    """Run the claimed actions `parallel` at a time; complete each (in this thread) as it finishes."""
    if not claimed:
        return
    with ThreadPoolExecutor(max_workers=max(1, options.parallel), thread_name_prefix="reconcile") as pool:
        running: dict[Future[ActionOutcome], Claimed] = {
            pool.submit(getattr(actions, action.value), ref): (view, action, ref) for view, action, ref in claimed}
        for future in as_completed(running):
            view, action, _ = running[future]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - one system's failure must not stop the others
                _record_failure(ledger, view, action, exc, now, options, report)
                continue
            options.checkpoint(f"acted:{action.value}")
            try:
                _complete(ledger, calendar, view, action, outcome, now, options, report)
            except store.ConcurrentUpdate:
                pass                    # someone else moved this system meanwhile: theirs stands
            with ledger.transaction() as conn:   # a long run keeps its lease while it works
                if not leases.renew(conn, RECONCILE_LEASE, me, now=now, ttl=options.lease_ttl):
                    for other in running:
                        other.cancel()  # another run took the expired lease over: leave the rest to it
                    break


def _complete(ledger: Ledger, calendar: WorkCalendar, view: SystemView, action: Action, outcome: ActionOutcome,
              now: datetime, options: Options, report: Report) -> None:
    subject, system_id = f"{view.system_key}#{view.generation}", view.id
    with ledger.transaction() as conn:
        current = store.load(conn, system_id)
        if current.version != view.version or current.state != ACTION_STATES[action][0]:
            return      # someone else completed or changed it meanwhile
        if not outcome.done:
            store.save(conn, current, machine.record_intent(current, action), actor=options.actor, now=now,
                       calendar=calendar)
            report.events.append((subject, "intent_recorded", {"action": action.value}))
            return
        complete_action(conn, current, action, calendar=calendar, actor=options.actor, now=now,
                        detail=outcome.detail)
        kind = f"{action.value}_done"
        # Reported as recorded: the lifecycle's facts (the trial's end, ...) with the engine's.
        recorded = [r.detail for r in store.event_rows(conn, [system_id]) if r.kind == kind]
    report.events.append((subject, kind, recorded[-1] if recorded else outcome.detail))
    options.checkpoint(f"completed:{action.value}")


def _decide(conn: Connection, view: SystemView, calendar: WorkCalendar, actions: StackActions, now: datetime,
            options: Options, report: Report) -> tuple[SystemView, Action, SystemRef] | None:
    """Record the ledger-only steps due now; claim the engine step if one is due (else refresh next check)."""
    subject = f"{view.system_key}#{view.generation}"
    found = machine.due(view, now, calendar, retry_intents=not actions.records_intent_only)
    for item in found:
        if item.action == Action.BREACH:
            view = store.save(conn, view, machine.record_breach(view, item), actor=options.actor, now=now,
                              calendar=calendar)
            report.events.append((subject, "deadline_missed", {"rule": item.rule}))
        elif item.action == Action.HOLD:
            view = store.save(conn, view, machine.hold(view, item), actor=options.actor, now=now, calendar=calendar)
            report.events.append((subject, "trial_held", {}))
    engine = [item for item in found if item.action in ACTION_STATES]
    if not engine:
        if not found and store.row(conn, view.id).next_check_at != machine.next_check(view, now, calendar):
            # nothing due, but the moment of the next check moved (a guessed year, a recorded schedule)
            store.save(conn, view, machine.Step(view, ()), actor=options.actor, now=now, calendar=calendar)
        return None
    action = engine[0].action
    if actions.records_intent_only:
        store.save(conn, view, machine.record_intent(view, action), actor=options.actor, now=now, calendar=calendar)
        report.events.append((subject, "intent_recorded", {"action": action.value}))
        return None
    attempt = _attempts(conn, view, action) + 1
    started = EventSpec("action_started", engine[0].rule, view.state, view.state,
                        {"action": action.value, "attempt": attempt},
                        dedupe=f"{_start_prefix(view, action)}{attempt}")
    view = store.save(conn, view, machine.Step(view, (started,)), actor=options.actor, now=now, calendar=calendar)
    row = store.row(conn, view.id)
    target = replace(view, state=ACTION_STATES[action][1])
    others = [g for g in store.generations(conn, view.system_key) if g.id != view.id]
    ref = SystemRef(view.system_key, view.generation, row.region, row.department, row.system, view.request_id,
                    view.request_kind.value, row.spec, stack_phase([*others, target]))
    return view, action, ref


def _start_prefix(view: SystemView, action: Action) -> str:
    return f"start:{view.system_key}:{view.generation}:{machine.stamp(view.since)}:{action.value}:"


def _attempts(conn: Connection, view: SystemView, action: Action) -> int:
    prefix = _start_prefix(view, action)
    query = select(func.count()).where(events.c.system_id == view.id, events.c.dedupe_key.like(prefix + "%"))
    return conn.execute(query).scalar_one()


def _record_failure(ledger: Ledger, view: SystemView, action: Action, exc: Exception, now: datetime,
                    options: Options, report: Report) -> None:
    subject = f"{view.system_key}#{view.generation}"
    error = f"{type(exc).__name__}: {exc}"
    # Data volumes backed up and released before it failed (provisioner/app/data_removal.py): recorded here,
    # as the up that deletes them later has nothing to say about them (art18).
    backups = list(getattr(exc, "backups", ()) or ())
    with ledger.transaction() as conn:
        store.record_event(conn, EventSpec("action_failed", None, view.state, view.state,
                                           {"action": action.value, "error": error[:500],
                                            **({"backups": backups} if backups else {})}),
                           system_id=view.id, subject=subject, request_id=view.request_id,
                           actor=options.actor, at=now)
    report.failed.append((subject, action.value, error))


def _intent_only(settings: object) -> StackActions:
    del settings
    return IntentOnlyActions()


# GOVCLOUD_RECONCILE_ENGINE -> a factory of StackActions from the Settings. The Pulumi
# engine's implementation registers itself here as "pulumi".
def _pulumi(settings: Any) -> StackActions:
    from provisioner.app.stack_actions import PulumiStackActions  # the engine is heavy to import

    return PulumiStackActions(settings)


ENGINES: dict[str, Callable[[Any], StackActions]] = {"none": _intent_only, "pulumi": _pulumi}
