"""Keep observed utilisation in the ledger, one window at a time (edge: table metering_utilisation).

Only the exporter holding the `metering` lease writes, so two replicas never count a window
twice; the others read. Windows continue from the last one recorded (`resume_from`), so an
exporter restarted within `max_gap` loses nothing of what Nova's usage history can tell.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from sys import intern

from sqlalchemy import Connection, bindparam, func, insert, select, update

from provisioner.ledger.metering_schema import utilisation as table
from provisioner.metering.timeline import Timeline
from provisioner.metering.utilisation import Observation, Totals, add_observation, granted_in, split_by_month

# Systems whose month rows one write reads, merges and writes back at a time. All of a month's at
# once (10,000 rows decoded, and as many merged copies) lifted the exporter's first collection on a
# ledger with history 15 MiB over its resting memory; 500 at a time keeps that transient small.
WRITE_CHUNK = 500


def resume_from(conn: Connection) -> datetime | None:
    return conn.execute(select(func.max(table.c.last_at))).scalar_one_or_none()


def read_months(conn: Connection, first: date | None = None, last: date | None = None) -> dict[date, Totals]:
    query = select(table.c.system_key, table.c.month, table.c.kinds)
    if first is not None:
        query = query.where(table.c.month >= first)
    if last is not None:
        query = query.where(table.c.month <= last)
    months: dict[date, Totals] = {}
    for row in conn.execute(query):
        months.setdefault(row.month, {})[row.system_key] = {k: list(v) for k, v in (row.kinds or {}).items()}
    return months


def read_cumulative(conn: Connection) -> Totals:
    """Every month's row added up as it is read (no month's rows held at once): the exporter's start."""
    out: Totals = {}
    for row in conn.execute(select(table.c.system_key, table.c.kinds)):
        add_into(out, {row.system_key: row.kinds or {}})
    return out


def cumulative(months: Mapping[date, Totals]) -> Totals:
    """All months added up: the counters /metrics shows."""
    out: Totals = {}
    for totals in months.values():
        add_into(out, totals)
    return out


def add_into(total: Totals, added: Totals) -> Totals:
    """`added` summed into `total`, kept as the exporter keeps its running totals for months: each
    (granted, used) pair as two doubles in an array, the kind names interned (as lists of floats,
    with each row's JSON-decoded names, they held ~10 MB more at 10,000 systems)."""
    for key, kinds in added.items():
        into = total.get(key)
        if into is None:
            into = total[key] = {}
        for kind, (granted, used) in kinds.items():
            pair = into.get(kind)
            if pair is None:
                pair = into[intern(kind)] = array("d", (0.0, 0.0))
            pair[0] += granted
            pair[1] += used
    return total


def record(conn: Connection, observation: Observation, timelines: Iterable[Timeline]) -> dict[date, Totals]:
    """Add the observation to its months' rows; returns what was added, per month."""
    lines = list(timelines)
    pieces = split_by_month(observation.window)
    granted = {month: granted_in(lines, piece, observation.measured) for month, piece in pieces}
    added = add_observation({}, observation, granted)
    for month, piece in pieces:
        _write(conn, month, added.get(month, {}), piece.start, piece.end)
    return added


def _write(conn: Connection, month: date, added: Totals, start: datetime, end: datetime,
           chunk: int = WRITE_CHUNK) -> None:
    keys = list(added)
    for first in range(0, len(keys), chunk):
        _write_some(conn, month, {key: added[key] for key in keys[first:first + chunk]}, start, end)


def _write_some(conn: Connection, month: date, added: Totals, start: datetime, end: datetime) -> None:
    existing = {r.system_key: r for r in conn.execute(
        select(table.c.system_key, table.c.kinds, table.c.samples)
        .where(table.c.month == month, table.c.system_key.in_(list(added))))}
    updates, inserts = [], []
    for key, kinds in added.items():
        row = existing.get(key)
        if row is None:
            inserts.append({"system_key": key, "month": month, "kinds": kinds, "samples": 1,
                            "first_at": start, "last_at": end})
            continue
        merged = {k: list(v) for k, v in (row.kinds or {}).items()}
        for kind, (granted, used) in kinds.items():
            pair = merged.setdefault(kind, [0.0, 0.0])
            pair[0] += granted
            pair[1] += used
        updates.append({"k": key, "m": month, "kinds": merged, "samples": row.samples + 1, "last_at": end})
    if inserts:
        conn.execute(insert(table), inserts)
    if updates:
        conn.execute(update(table).where(table.c.system_key == bindparam("k"), table.c.month == bindparam("m"))
                     .values(kinds=bindparam("kinds"), samples=bindparam("samples"), last_at=bindparam("last_at")),
                     updates)
