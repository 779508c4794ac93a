"""What the ledger says runs: one row per system with its phase (read by apply, adopt, status,
metering's comparison with the cloud).

`ledger_systems` reads every live generation in one query and folds the generations of
a system into one `LedgerSystem`: the phase its stack carries (lifecycle/phase.py) and
the generation that decides it (the production one, else the newest).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, select

from provisioner.ledger.schema import systems
from provisioner.ledger.store import view_from_row
from provisioner.lifecycle.machine import SystemView
from provisioner.lifecycle.phase import PRODUCTION_STATES, Phase, stack_phase
from provisioner.lifecycle.states import FINAL_STATES, State


@dataclass(frozen=True)
class LedgerSystem:
    system_key: str              # <region>.<department>.<system>: the stack's name
    region: str
    department: str
    system: str
    phase: Phase | None          # the label its resources carry; None: submitted, nothing runs yet
    view: SystemView             # the generation that decides the phase (production, else newest)
    generations: tuple[SystemView, ...]
    spec: dict[str, Any] | None  # the request as the ledger holds it (that generation's)

    @property
    def state(self) -> State:
        return self.view.state

    @property
    def since(self) -> datetime:
        """When what runs started: go-live in production, else the trial's start (None: not made yet)."""
        return self.view.go_live_at or self.view.trial_started_at or self.view.since


def ledger_systems(conn: Connection, keys: set[str] | None = None) -> dict[str, LedgerSystem]:
    """Every system with a live generation (not rejected or terminated), by system key."""
    query = select(systems).where(systems.c.state.not_in([s.value for s in FINAL_STATES]))
    if keys is not None:
        query = query.where(systems.c.system_key.in_(sorted(keys)))
    rows = conn.execute(query.order_by(systems.c.system_key, systems.c.generation)).all()
    found = {}
    for key, group in groupby(rows, key=lambda r: r.system_key):
        mine = list(group)
        views = tuple(view_from_row(r) for r in mine)
        chosen = next((i for i, v in enumerate(views) if v.state in PRODUCTION_STATES), len(views) - 1)
        row = mine[chosen]
        found[key] = LedgerSystem(key, row.region, row.department, row.system, stack_phase(views), views[chosen],
                                  views, row.spec)
    return found
