"""Benchmark: `govcloud reconcile` over 10,000 systems with nothing due.

    .venv/bin/python bench/bench_reconcile.py [--systems 10000] [--repeat 3] [--url postgresql+psycopg://...]

Fills a fresh ledger (a temporary SQLite file unless --url) with SYSTEMS system rows in a
realistic mix (mostly production, some in trial before its end, some submitted before
their decision deadline, some terminated), each with the next_check_at the lifecycle
computes, then times, best of REPEAT, at a moment when nothing is due:
  - reconcile: lease, one indexed query for rows whose next check has come, release;
  - reconcile --full: every live row read in one query each and evaluated by the pure lifecycle;
  - the baseline, a naive loop: one query per row, evaluated by the same pure lifecycle.
Goal: reconcile at most 1 s. Prints the times and the ratio baseline / reconcile;
exits 1 if the goal is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from provisioner.policy import Policies  # noqa: E402
from provisioner.ledger import Ledger, store  # noqa: E402
from provisioner.ledger.schema import requests, systems  # noqa: E402
from provisioner.lifecycle import machine  # noqa: E402
from provisioner.lifecycle.machine import SystemView  # noqa: E402
from provisioner.lifecycle.states import RequestKind, State  # noqa: E402
from provisioner.app.reconcile import IntentOnlyActions, Options, reconcile  # noqa: E402
from timing import best  # noqa: E402

NOW = datetime(2026, 6, 10, 2, 0, tzinfo=timezone.utc)     # a Wednesday, 10:00 in Shanghai
GOAL_S = 1.0


def _view(n: int) -> SystemView:
    key = f"city.dept-{n % 97:03d}.sys-{n:05d}"
    base = SystemView(system_key=key, generation=1, request_id=f"JJ-2026-{n:05d}", request_kind=RequestKind.NEW,
                      state=State.PRODUCTION, since=NOW - timedelta(days=30 + n % 300))
    kind = n % 20
    if kind == 0:     # submitted this morning: the art15 deadline is days away
        return SystemView(**{**base.__dict__, "state": State.SUBMITTED, "since": NOW - timedelta(hours=1)})
    if kind in (1, 2):   # in trial, started days ago
        started = NOW - timedelta(days=1 + n % 10)
        return SystemView(**{**base.__dict__, "state": State.TRIAL, "since": started, "trial_started_at": started})
    if kind == 3:
        return SystemView(**{**base.__dict__, "state": State.TERMINATED})
    return base


def fill(ledger: Ledger, count: int) -> None:
    calendar = Policies(ROOT).calendar()
    request_rows, system_rows = [], []
    for n in range(count):
        view = _view(n)
        request_rows.append({"request_id": view.request_id, "system_key": view.system_key, "kind": "new",
                             "decision": "pending" if view.state == State.SUBMITTED else "accepted",
                             "submitted_at": view.since, "submitted_by": "bench", "note": ""})
        region, department, system = view.system_key.split(".")
        system_rows.append({**store._row_values(view), **store._computed(view, calendar, NOW),  # noqa: SLF001
                            "region": region, "department": department, "system": system, "spec": None,
                            "version": 0})
    with ledger.transaction() as conn:
        conn.execute(insert(requests), request_rows)
        conn.execute(insert(systems), system_rows)


def naive_loop(ledger: Ledger) -> int:
    """The baseline: look at every row with its own query."""
    calendar = Policies(ROOT).calendar()
    due = 0
    with ledger.transaction() as conn:
        ids = list(conn.execute(select(systems.c.id)).scalars())
        for system_id in ids:
            view = store.view_from_row(conn.execute(select(systems).where(systems.c.id == system_id)).one())
            due += bool(machine.due(view, NOW, calendar))
    return due



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", help="ledger URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        ledger = Ledger.open(args.url or f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}")
        fill(ledger, args.systems)
        calendar = Policies(ROOT).calendar()
        actions = IntentOnlyActions()
        fast, report = best(args.repeat, lambda: reconcile(ledger, calendar, actions, now=NOW))
        full, full_report = best(args.repeat, lambda: reconcile(ledger, calendar, actions, now=NOW,
                                                                options=Options(full=True)))
        slow, naive_due = best(args.repeat, lambda: naive_loop(ledger))
        ledger.close()
    assert report.events == [] and full_report.events == [] and naive_due == 0, "something was due"
    print(f"ledger: {args.url.split('@')[-1] if args.url else 'sqlite (temporary file)'}, "
          f"{args.systems} systems, nothing due at {NOW.isoformat()}")
    print(f"reconcile (rows whose next check has come): {fast:.4f} s  goal <= {GOAL_S:.1f} s  "
          f"{'OK' if fast <= GOAL_S else 'MISSED'}")
    print(f"reconcile --full (every live row evaluated): {full:.4f} s  ({full_report.checked} live rows)")
    print(f"baseline, naive per-row query loop:          {slow:.4f} s")
    print(f"ratio baseline / reconcile: {slow / fast:.0f}x   baseline / reconcile --full: {slow / full:.1f}x")
    return 0 if fast <= GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
