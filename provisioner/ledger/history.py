"""Every system's ledger history, for people to read (the status page): one query, oldest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from provisioner.ledger.schema import events, systems


@dataclass(frozen=True)
class HistoryEvent:
    generation: int
    at: datetime
    kind: str
    rule: str | None
    from_state: str | None
    to_state: str | None
    actor: str
    detail: dict[str, Any]


def histories(conn: Connection, system_keys: Iterable[str] | None = None) -> dict[str, list[HistoryEvent]]:
    """System key -> its events over all generations, in the order they were recorded."""
    query = select(systems.c.system_key, systems.c.generation, events.c.at, events.c.kind, events.c.rule,
                   events.c.from_state, events.c.to_state, events.c.actor, events.c.detail) \
        .join(systems, systems.c.id == events.c.system_id).order_by(events.c.id)
    if system_keys is not None:
        query = query.where(systems.c.system_key.in_(sorted(set(system_keys))))
    out: dict[str, list[HistoryEvent]] = {}
    for row in conn.execute(query):
        out.setdefault(row.system_key, []).append(HistoryEvent(row.generation, row.at, row.kind, row.rule,
                                                               row.from_state, row.to_state, row.actor,
                                                               row.detail or {}))
    return out
