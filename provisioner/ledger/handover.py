"""The hand-over records of terminated systems' data in the ledger (art25): written in the
transaction that completes the termination's backup step, confirmed by the unit in the
transaction that records its confirmation (provisioner.lifecycle.handover says what a
record holds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from provisioner.ledger import store
from provisioner.ledger.schema import handovers, systems
from provisioner.lifecycle.handover import Logged


@dataclass(frozen=True)
class Stored:
    system_id: int
    record: dict[str, Any]
    sha256: str
    confirmed: dict[str, str] | None     # by, at (ISO), actor; None: awaiting the unit


def write(conn: Connection, system_id: int, record: dict[str, Any], sha: str, *, actor: str, now: datetime,
          kept_until: date) -> None:
    conn.execute(insert(handovers).values(
        system_id=system_id, request_id=record.get("request_id"), made_at=now, made_by=actor,
        retention_days=record["retention_days"], kept_until=kept_until, record=record, record_sha256=sha))


def newest(conn: Connection, system_key: str) -> Stored | None:
    """The record of the system's newest generation that has one."""
    query = (select(handovers).join(systems, systems.c.id == handovers.c.system_id)
             .where(systems.c.system_key == system_key).order_by(systems.c.generation.desc()))
    row = conn.execute(query).first()
    if row is None:
        return None
    confirmed = None if row.confirmed_at is None else {
        "by": row.confirmed_by, "at": row.confirmed_at.isoformat(), "actor": row.confirmed_actor}
    return Stored(row.system_id, row.record, row.record_sha256, confirmed)


def system_events(conn: Connection, system_key: str) -> list[Logged]:
    """Every event of the system's generations, in the order recorded (what a record reads the
    backups of earlier changes from, lifecycle.handover.removed_by_changes)."""
    generations = {view.id: view.generation for view in store.generations(conn, system_key)}
    return [Logged(generations[row.system_id], row.at, row.kind, row.request_id, row.detail or {})
            for row in store.event_rows(conn, generations)]


def confirm(conn: Connection, system_id: int, *, by: str, actor: str, now: datetime) -> None:
    conn.execute(update(handovers).where(handovers.c.system_id == system_id)
                 .values(confirmed_at=now, confirmed_by=by, confirmed_actor=actor))
