"""Rows <-> lifecycle views, and the one way a step is written: row, events and audit together.

`save` updates a systems row only if its version is still the one read (optimistic
concurrency: a second writer's step fails instead of overwriting), records the
step's events (those with a dedupe key at most once) and appends an audit record for
each, all in the caller's transaction. It also stores the row's next_check_at, so
reconcile reads only the rows whose moment has come.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from provisioner.audit import log as audit
from provisioner.calendar import WorkCalendar
from provisioner.errors import InfraError
from provisioner.ledger.messages import WORDS
from provisioner.lifecycle.machine import EventSpec, Step, SystemView, deadline, next_check
from provisioner.lifecycle.states import FINAL_STATES, RequestKind, State
from provisioner.ledger.schema import events, requests, systems

_VIEW_FIELDS = ("system_key", "generation", "request_id", "state", "since", "trial_started_at", "extension_days",
                "department_accepted_at", "provider_accepted_at", "held", "intent_recorded", "pending_request_id",
                "go_live_at", "legacy_retention_until", "version", "trial_days", "early_go_live_at",
                "handover_confirmed_at")


class ConcurrentUpdate(InfraError):
    """Someone else changed the row between our read and our write; retry (exit 2)."""


def view_from_row(row: Any) -> SystemView:
    values = {name: getattr(row, name) for name in _VIEW_FIELDS}
    values["state"] = State(values["state"])
    return SystemView(id=row.id, request_kind=RequestKind(row.request_kind), breached=tuple(row.breached or ()),
                      **values)


def _computed(view: SystemView, calendar: WorkCalendar, now: datetime) -> dict[str, Any]:
    limit = deadline(view, calendar)
    return {"next_check_at": next_check(view, now, calendar),
            "deadline_at": limit.at if limit else None, "deadline_rule": limit.rule if limit else None,
            "deadline_uncertain": bool(limit and limit.uncertain), "updated_at": now}


def _row_values(view: SystemView) -> dict[str, Any]:
    values = {name: getattr(view, name) for name in _VIEW_FIELDS if name != "version"}
    values.update(state=view.state.value, request_kind=view.request_kind.value, breached=list(view.breached))
    return values


def insert_system(conn: Connection, view: SystemView, *, region: str, department: str, system: str,
                  spec: dict[str, Any] | None, calendar: WorkCalendar, now: datetime) -> SystemView:
    values = {**_row_values(view), **_computed(view, calendar, now), "region": region, "department": department,
              "system": system, "spec": spec, "version": 0}
    new_id = conn.execute(insert(systems).values(**values).returning(systems.c.id)).scalar_one()
    return load(conn, new_id)


def load(conn: Connection, system_id: int, *, lock: bool = False) -> SystemView:
    query = select(systems).where(systems.c.id == system_id)
    return view_from_row(conn.execute(query.with_for_update() if lock else query).one())


def row(conn: Connection, system_id: int) -> Any:
    return conn.execute(select(systems).where(systems.c.id == system_id)).one()


def generations(conn: Connection, system_key: str) -> list[SystemView]:
    rows = conn.execute(select(systems).where(systems.c.system_key == system_key).order_by(systems.c.generation))
    return [view_from_row(r) for r in rows]


def save(conn: Connection, old: SystemView, step: Step, *, actor: str, now: datetime, calendar: WorkCalendar,
         request_id: str | None = None, extra: dict[str, Any] | None = None) -> SystemView:
    """Write `step` over `old` (same id and version), with its events and audit records."""
    values = {**_row_values(step.view), **_computed(step.view, calendar, now), **(extra or {}),
              "version": old.version + 1}
    result = conn.execute(update(systems).where(and_(systems.c.id == old.id, systems.c.version == old.version))
                          .values(**values))
    if result.rowcount != 1:
        raise ConcurrentUpdate(WORDS("ledger-changed-meanwhile", system=old.system_key, generation=old.generation))
    for spec in step.events:
        record_event(conn, spec, system_id=old.id, subject=f"{old.system_key}#{old.generation}",
                     request_id=request_id or old.request_id, actor=actor, at=now)
    return load(conn, old.id)


def record_event(conn: Connection, spec: EventSpec, *, system_id: int | None, subject: str,
                 request_id: str | None, actor: str, at: datetime) -> bool:
    """Record one event and its audit record; False if its dedupe key was recorded before."""
    if spec.dedupe is not None:
        seen = conn.execute(select(events.c.id).where(events.c.dedupe_key == spec.dedupe)).first()
        if seen is not None:
            return False
    detail = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in spec.detail.items()}
    conn.execute(insert(events).values(
        system_id=system_id, request_id=request_id, kind=spec.kind, rule=spec.rule,
        from_state=spec.from_state.value if spec.from_state else None,
        to_state=spec.to_state.value if spec.to_state else None,
        actor=actor, at=at, detail=detail, dedupe_key=spec.dedupe))
    audit.append(conn, actor=actor, action=f"lifecycle.{spec.kind}", subject=subject, at=at,
                 detail={"rule": spec.rule, "from": spec.from_state.value if spec.from_state else None,
                         "to": spec.to_state.value if spec.to_state else None, "request_id": request_id, **detail})
    return True


def candidates(conn: Connection, now: datetime, *, retry_intents: bool = False,
               full: bool = False) -> list[tuple[SystemView, datetime | None]]:
    """Rows reconcile must look at, with their stored next check: next check reached (or every
    live row with `full`), in one query."""
    live = systems.c.state.not_in([s.value for s in FINAL_STATES])
    if full:
        condition = live
    else:
        condition = systems.c.next_check_at <= now
        if retry_intents:
            condition = or_(condition, and_(live, systems.c.intent_recorded.is_not(None)))
    rows = conn.execute(select(systems).where(condition).order_by(systems.c.id))
    return [(view_from_row(r), r.next_check_at) for r in rows]


def event_rows(conn: Connection, system_ids: Iterable[int]) -> list[Any]:
    return list(conn.execute(select(events).where(events.c.system_id.in_(list(system_ids))).order_by(events.c.id)))


def request_row(conn: Connection, request_id: str) -> Any:
    return conn.execute(select(requests).where(requests.c.request_id == request_id)).first()


def pending_requests(conn: Connection, system_key: str) -> list[str]:
    query = select(requests.c.request_id).where(requests.c.system_key == system_key,
                                                requests.c.decision == "pending").order_by(requests.c.submitted_at)
    return list(conn.execute(query).scalars())
