"""What people do to a request or a system, recorded in the ledger (use cases; they never print).

submit     a request arrives (merge request opened): a new system, a new generation of an
           ended one, or a change of a running one, classified minor or major (art18)
accept / reject   the office decides (art15); for a change it approves, for a termination it confirms
verdict    the department or the provider records its acceptance-test result (art16)
extend     the office approves extra trial days (art16)
terminate  a termination request (art19), confirmed with accept
handover confirm  the unit confirms the hand-over record of its data (art25) before the stack goes
done       the provider did an engine step by hand (when no engine is configured)
Each runs in one transaction: row, events and audit records commit together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, insert, update

from provisioner.calendar import Deadline, WorkCalendar
from provisioner.ledger import handover as handover_records
from provisioner.ledger import store
from provisioner.ledger.db import Ledger
from provisioner.ledger.messages import WORDS
from provisioner.ledger.schema import requests
from provisioner.lifecycle import handover, machine
from provisioner.lifecycle.classify import Classification, FlavorSize, Reason, Rules, classify
from provisioner.lifecycle.machine import EventSpec, SystemView, TransitionError
from provisioner.lifecycle.messages import WORDS as LIFECYCLE
from provisioner.lifecycle.states import ACTION_STATES, FULL_FLOW, Action, Party, RequestKind, Rule, State
from provisioner.spec.model import RequestSpec
from provisioner.naming import system_stack

TERMINABLE = (State.ACCEPTED, State.TRIAL, State.PRODUCTION)
IN_FLIGHT = (State.SUBMITTED, State.ACCEPTED, State.TRIAL, State.CHANGING, State.TERMINATING, State.HANDOVER)


@dataclass(frozen=True)
class Context:
    ledger: Ledger
    calendar: WorkCalendar
    actor: str
    clock: Callable[[], datetime]


@dataclass(frozen=True)
class Submitted:
    request_id: str
    system_key: str
    kind: RequestKind
    generation: int | None
    deadline: Deadline | None
    classification: Classification | None = None


def spec_json(spec: RequestSpec) -> tuple[dict[str, Any], str]:
    data = spec.model_dump(mode="json", by_alias=True)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return data, hashlib.sha256(text.encode("utf-8")).hexdigest()


def insert_request(conn: Connection, request_id: str, system_key: str, kind: RequestKind, now: datetime,
                    actor: str, spec: dict[str, Any] | None = None, sha: str | None = None,
                    classification: Classification | None = None, note: str = "") -> None:
    existing = store.request_row(conn, request_id)
    if existing is not None:
        raise TransitionError(LIFECYCLE("duplicate-request", request=request_id, state=existing.decision))
    conn.execute(insert(requests).values(
        request_id=request_id, system_key=system_key, kind=kind.value, decision="pending", submitted_at=now,
        submitted_by=actor, note=note, spec=spec, spec_sha256=sha,
        classification=None if classification is None else {
            "kind": classification.kind, "reasons": [r.__dict__ for r in classification.reasons]}))


def submit(ctx: Context, spec: RequestSpec, rules: Rules, flavors: Mapping[str, FlavorSize] | None = None) -> Submitted:
    now, key = ctx.clock(), system_stack(spec)
    data, sha = spec_json(spec)
    request_id = spec.metadata.request_id
    with ctx.ledger.transaction() as conn:
        gens = store.generations(conn, key)
        live = [g for g in gens if g.state not in (State.REJECTED, State.TERMINATED)]
        _refuse_if_busy(conn, key, live)
        if not live:
            kind = RequestKind(spec.application.kind)
            insert_request(conn, request_id, key, kind, now, ctx.actor, data, sha)
            view = _new_generation(conn, ctx, spec, data, key, len(gens) + 1, request_id, kind, now)
            return Submitted(request_id, key, kind, view.generation, machine.deadline(view, ctx.calendar))
        production = live[-1]
        verdict = _classify(production, conn, spec, rules, flavors)
        kind = RequestKind.CHANGE_MAJOR if verdict.major else RequestKind.CHANGE_MINOR
        insert_request(conn, request_id, key, kind, now, ctx.actor, data, sha, verdict)
        if not verdict.major:
            store.record_event(conn, EventSpec("change_submitted", Rule.CHANGE.value, production.state, production.state,
                                               {"classification": "minor", "reasons": [r.en for r in verdict.reasons]}),
                               system_id=production.id, subject=f"{key}#{production.generation}",
                               request_id=request_id, actor=ctx.actor, at=now)
            return Submitted(request_id, key, kind, None, None, verdict)
        view = _new_generation(conn, ctx, spec, data, key, len(gens) + 1, request_id, kind, now)
        return Submitted(request_id, key, kind, view.generation, machine.deadline(view, ctx.calendar), verdict)


def _refuse_if_busy(conn: Connection, key: str, live: list[SystemView]) -> None:
    for view in live:
        if view.state in IN_FLIGHT:
            raise TransitionError(LIFECYCLE("system-busy", system=key,
                                            request=view.pending_request_id or view.request_id))
    pending = store.pending_requests(conn, key)
    if pending:
        raise TransitionError(LIFECYCLE("system-busy", system=key, request=pending[0]))


def _classify(production: SystemView, conn: Connection, spec: RequestSpec, rules: Rules,
              flavors: Mapping[str, FlavorSize] | None) -> Classification:
    stored = store.row(conn, production.id).spec
    try:
        old = RequestSpec.model_validate(stored)
    except ValidationError:
        return Classification(True, (Reason("old-spec-invalid", WORDS.say("old-spec-invalid", "zh"),
                                            WORDS.say("old-spec-invalid", "en")),))
    return classify(old, spec, rules, flavors)


def _new_generation(conn: Connection, ctx: Context, spec: RequestSpec, data: dict[str, Any], key: str,
                    generation: int, request_id: str, kind: RequestKind, now: datetime) -> SystemView:
    view = SystemView(system_key=key, generation=generation, request_id=request_id, request_kind=kind,
                      state=State.SUBMITTED, since=now, trial_days=spec.trial.days)
    view = store.insert_system(conn, view, region=spec.region, department=spec.department,
                               system=spec.metadata.system, spec=data, calendar=ctx.calendar, now=now)
    limit = machine.deadline(view, ctx.calendar)
    store.record_event(conn, EventSpec("submitted", Rule.DECIDE.value, None, State.SUBMITTED,
                                       {"kind": kind.value, "deadline": limit.at if limit else None,
                                        "uncertain": bool(limit and limit.uncertain)}),
                       system_id=view.id, subject=f"{key}#{generation}", request_id=request_id,
                       actor=ctx.actor, at=now)
    return view


def _decide(conn: Connection, request_id: str, decision: str, actor: str, now: datetime, note: str) -> Any:
    row = store.request_row(conn, request_id)
    if row is None:
        raise TransitionError(LIFECYCLE("unknown-request", request=request_id))
    if row.decision != "pending":
        raise TransitionError(LIFECYCLE("request-decided", request=request_id, decision=row.decision))
    conn.execute(update(requests).where(requests.c.request_id == request_id)
                 .values(decision=decision, decided_at=now, decided_by=actor, note=note))
    return row


def accept(ctx: Context, request_id: str, note: str = "") -> SystemView:
    now = ctx.clock()
    with ctx.ledger.transaction() as conn:
        row = _decide(conn, request_id, "accepted", ctx.actor, now, note)
        kind = RequestKind(row.kind)
        if kind in FULL_FLOW:
            view = _generation_of(conn, row.system_key, request_id)
            return store.save(conn, view, machine.accept(view, now, ctx.calendar, note), actor=ctx.actor, now=now,
                              calendar=ctx.calendar)
        if kind == RequestKind.CHANGE_MINOR:
            view = _production(conn, row.system_key)
            step = machine.start_change(view, request_id, now)
        else:
            view = _production(conn, row.system_key, allow=TERMINABLE)
            step = machine.start_termination(view, request_id, now, note or row.note,
                                             engine_started=_engine_started(conn, view))
        return store.save(conn, view, step, actor=ctx.actor, now=now, calendar=ctx.calendar, request_id=request_id)


def _engine_started(conn: Connection, view: SystemView) -> bool:
    """Whether reconcile ever claimed an engine step for this generation (it may have left resources)."""
    return any(e.kind == "action_started" for e in store.event_rows(conn, [view.id]))


def reject(ctx: Context, request_id: str, reason: str) -> None:
    now = ctx.clock()
    with ctx.ledger.transaction() as conn:
        row = _decide(conn, request_id, "rejected", ctx.actor, now, reason)
        if RequestKind(row.kind) in FULL_FLOW:
            view = _generation_of(conn, row.system_key, request_id)
            store.save(conn, view, machine.reject(view, now, ctx.calendar, reason), actor=ctx.actor, now=now,
                       calendar=ctx.calendar)
        else:
            store.record_event(conn, EventSpec("request_rejected", Rule.DECIDE.value, None, None,
                                               {"kind": row.kind, "reason": reason}),
                               system_id=None, subject=row.system_key, request_id=request_id,
                               actor=ctx.actor, at=now)


def request_termination(ctx: Context, system_key: str, request_id: str, reason: str) -> None:
    now = ctx.clock()
    machine.require_reason(reason, "terminate")
    with ctx.ledger.transaction() as conn:
        view = _production(conn, system_key, allow=TERMINABLE)
        _refuse_if_busy(conn, system_key, [])
        insert_request(conn, request_id, system_key, RequestKind.TERMINATION, now, ctx.actor, note=reason)
        store.record_event(conn, EventSpec("termination_submitted", Rule.TERMINATE.value, view.state, view.state,
                                           {"reason": reason}),
                           system_id=view.id, subject=f"{system_key}#{view.generation}", request_id=request_id,
                           actor=ctx.actor, at=now)


def verdict(ctx: Context, system_key: str, party: Party, passed: bool, note: str = "") -> SystemView:
    now = ctx.clock()
    with ctx.ledger.transaction() as conn:
        view = _in_state(conn, system_key, State.TRIAL, "acceptance")
        return store.save(conn, view, machine.record_verdict(view, party, passed, now, note), actor=ctx.actor,
                          now=now, calendar=ctx.calendar)


def extend(ctx: Context, system_key: str, days: int, reason: str) -> SystemView:
    now = ctx.clock()
    with ctx.ledger.transaction() as conn:
        view = _in_state(conn, system_key, State.TRIAL, "extend")
        return store.save(conn, view, machine.extend_trial(view, days, now, ctx.calendar, reason), actor=ctx.actor,
                          now=now, calendar=ctx.calendar)


def early_go_live(ctx: Context, system_key: str, reason: str) -> SystemView:
    """The department records that it goes live before the trial's end (golive.py): promotion
    then follows as soon as both parties have accepted."""
    now = ctx.clock()
    with ctx.ledger.transaction() as conn:
        view = _in_state(conn, system_key, State.TRIAL, "early-go-live")
        return store.save(conn, view, machine.record_early_go_live(view, now, ctx.calendar, reason),
                          actor=ctx.actor, now=now, calendar=ctx.calendar)


def done_by_hand(ctx: Context, system_key: str, action: Action,
                 detail: Mapping[str, Any] | None = None) -> SystemView:
    """The provider did `action` itself (no engine configured): complete it as reconcile would.
    `detail`: what the step needs besides (the retention policy of a backup step's record)."""
    now = ctx.clock()
    with ctx.ledger.transaction() as conn:
        view = _in_state(conn, system_key, ACTION_STATES[action][0], action.value)
        return complete_action(conn, view, action, calendar=ctx.calendar, actor=ctx.actor, now=now,
                               detail={**(detail or {}), "by_hand": True})


def confirm_handover(ctx: Context, system_key: str, by: str) -> SystemView:
    """The unit confirms the hand-over record of its data (art25); reconcile may destroy from now."""
    now = ctx.clock()
    with ctx.ledger.transaction() as conn:
        view = _in_state(conn, system_key, State.HANDOVER, "handover confirm")
        stored = handover_records.newest(conn, system_key)
        if stored is None or stored.system_id != view.id:
            raise TransitionError(LIFECYCLE("handover-none", system=system_key))
        saved = store.save(conn, view, machine.confirm_handover(view, now, by, stored.sha256), actor=ctx.actor,
                           now=now, calendar=ctx.calendar)
        handover_records.confirm(conn, view.id, by=by.strip(), actor=ctx.actor, now=now)
        return saved


def refuse_destroy_before_handover(ledger: Ledger, system_keys: list[str]) -> None:
    """A stack whose system is being terminated keeps its data until the unit confirmed the hand-over
    record (art25): raise TransitionError("handover-unconfirmed") for the first such system."""
    with ledger.transaction() as conn:
        for key in system_keys:
            for view in store.generations(conn, key):
                if view.state == State.TERMINATING or (view.state == State.HANDOVER
                                                       and view.handover_confirmed_at is None):
                    raise TransitionError(LIFECYCLE("handover-unconfirmed", system=key))


def complete_action(conn: Connection, view: SystemView, action: Action, *, calendar: WorkCalendar, actor: str,
                    now: datetime, detail: Mapping[str, Any] | None = None) -> SystemView:
    """Record a finished engine step, with what follows from it (shared with reconcile)."""
    step = machine.complete(view, action, now, calendar)
    record = None
    if action == Action.BACK_UP:        # the hand-over record goes with the event, hence the audit log
        record = _handover_record(view, now, detail or {}, _removed_by_changes(conn, view, detail or {}))
        detail = {**{k: v for k, v in (detail or {}).items() if k not in _RECORD_INPUTS},
                  "handover": record, "record_sha256": handover.record_sha256(record)}
    if detail:
        step = machine.Step(step.view, tuple(EventSpec(e.kind, e.rule, e.from_state, e.to_state,
                                                       {**e.detail, **detail}, e.dedupe) for e in step.events))
    extra: dict[str, Any] = {}
    if action == Action.APPLY_CHANGE and view.pending_request_id:
        change = store.request_row(conn, view.pending_request_id)
        if change is not None and change.spec is not None:
            extra["spec"] = change.spec
    saved = store.save(conn, view, step, actor=actor, now=now, calendar=calendar, extra=extra)
    if action == Action.PROMOTE:
        _supersede_older(conn, saved, calendar=calendar, actor=actor, now=now)
    if record is not None:
        handover_records.write(conn, view.id, record, handover.record_sha256(record), actor=actor, now=now,
                               kept_until=handover.kept_until(now, record["retention_days"]))
    return saved


# What the backup step hands complete_action (StackActions.back_up, or `lifecycle done back_up`).
_RECORD_INPUTS = ("backups", "exports", "retention_days", "retention_policy", "by_hand")


def _handover_record(view: SystemView, now: datetime, detail: Mapping[str, Any],
                     removed: list[dict[str, Any]]) -> dict[str, Any]:
    missing = [key for key in ("retention_days", "retention_policy") if key not in detail]
    if missing:
        raise ValueError(f"a backup step's outcome lacks {', '.join(missing)} (policies/handover.yaml)")
    return handover.make_record(system_key=view.system_key, generation=view.generation,
                                request_id=view.pending_request_id, made_at=now,
                                backups=list(detail.get("backups") or ()), exports=list(detail.get("exports") or ()),
                                retention_days=int(detail["retention_days"]), policy=str(detail["retention_policy"]),
                                by_hand=bool(detail.get("by_hand")), removed_by_changes=removed)


def _removed_by_changes(conn: Connection, view: SystemView, detail: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The backups earlier changes of the system made before removing its data (art18, art25), for
    its record; none when another generation keeps running on the stack (`stack_kept_for`): the
    data stay in the running system, and its termination hands them over."""
    if "stack_kept_for" in detail:
        return []
    return handover.removed_by_changes(handover_records.system_events(conn, view.system_key))


def _supersede_older(conn: Connection, promoted: SystemView, *, calendar: WorkCalendar, actor: str,
                     now: datetime) -> None:
    """art18: a major change went live; the generation it replaces ends with it (machine.end_superseded)."""
    for older in store.generations(conn, promoted.system_key):
        if older.generation < promoted.generation and older.state in (State.PRODUCTION, State.CHANGING):
            store.save(conn, older, machine.end_superseded(older, promoted, now), actor=actor, now=now,
                       calendar=calendar, request_id=promoted.request_id)


def _generation_of(conn: Connection, system_key: str, request_id: str) -> SystemView:
    for view in store.generations(conn, system_key):
        if view.request_id == request_id:
            return view
    raise TransitionError(LIFECYCLE("unknown-request", request=request_id))


def _production(conn: Connection, system_key: str, allow: tuple[State, ...] = (State.PRODUCTION,)) -> SystemView:
    gens = store.generations(conn, system_key)
    if not gens:
        raise TransitionError(LIFECYCLE("unknown-system", system=system_key))
    for view in reversed(gens):
        if view.state in allow:
            return view
    raise TransitionError(LIFECYCLE("no-production", system=system_key))


def _in_state(conn: Connection, system_key: str, state: State, step: str) -> SystemView:
    gens = store.generations(conn, system_key)
    if not gens:
        raise TransitionError(LIFECYCLE("unknown-system", system=system_key))
    for view in reversed(gens):
        if view.state == state:
            return view
    raise TransitionError(LIFECYCLE("not-allowed", system=system_key, step=step, state=gens[-1].state.value,
                          allowed=state.value))
