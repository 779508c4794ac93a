"""A named lease row: at most one reconcile works at a time, and a killed one does not block forever.

The row is read under a lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite's BEGIN
IMMEDIATE already excludes other writers), so two starters cannot both take it. It is
free when released, expired, or held by a process of this host that no longer runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update

from provisioner.ledger.schema import leases


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int
    token: str

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.token}"


@dataclass(frozen=True)
class LeaseState:
    acquired: bool
    holder: str | None = None
    expires_at: datetime | None = None


def acquire(conn: Connection, name: str, me: Holder, *, now: datetime, ttl: timedelta,
            is_alive: Callable[[int], bool]) -> LeaseState:
    row = conn.execute(select(leases).where(leases.c.name == name).with_for_update()).one()
    free = (row.holder is None or row.holder == str(me) or row.expires_at is None or row.expires_at <= now
            or (row.host == me.host and row.pid is not None and not is_alive(row.pid)))
    if not free:
        return LeaseState(False, row.holder, row.expires_at)
    conn.execute(update(leases).where(leases.c.name == name).values(
        holder=str(me), host=me.host, pid=me.pid, acquired_at=now, expires_at=now + ttl))
    return LeaseState(True, str(me), now + ttl)


def renew(conn: Connection, name: str, me: Holder, *, now: datetime, ttl: timedelta) -> bool:
    result = conn.execute(update(leases).where(leases.c.name == name, leases.c.holder == str(me))
                          .values(expires_at=now + ttl))
    return result.rowcount == 1


def release(conn: Connection, name: str, me: Holder) -> None:
    conn.execute(update(leases).where(leases.c.name == name, leases.c.holder == str(me))
                 .values(holder=None, host=None, pid=None, acquired_at=None, expires_at=None))


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this host (a lease holder that died is not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True
