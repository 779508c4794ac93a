"""SystemView: what the lifecycle knows about one generation of a system (a ledger row).

Apart from machine.py so that the rules machine.py applies (golive.py) can name it without
importing machine.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from provisioner.calendar import TRIAL_DAYS
from provisioner.lifecycle.states import RequestKind, State


@dataclass(frozen=True)
class SystemView:
    """What the lifecycle needs to know about one generation of a system (a ledger row)."""

    system_key: str                # <region>.<department>.<system>, the stack name
    generation: int
    request_id: str
    request_kind: RequestKind
    state: State
    since: datetime                # when the current state was entered
    id: int | None = None
    trial_started_at: datetime | None = None
    extension_days: int = 0
    department_accepted_at: datetime | None = None
    provider_accepted_at: datetime | None = None
    held: bool = False
    breached: tuple[str, ...] = ()           # rules whose deadline in this state was recorded as missed
    intent_recorded: str | None = None       # engine action recorded as intent only (no engine)
    pending_request_id: str | None = None    # the change or termination request being carried out
    go_live_at: datetime | None = None
    legacy_retention_until: date | None = None
    version: int = 0
    trial_days: int = TRIAL_DAYS             # the request's trial.days (art16: 15 unless it asks fewer)
    early_go_live_at: datetime | None = None  # the department recorded an early go-live (golive.py)
    handover_confirmed_at: datetime | None = None  # the unit confirmed the hand-over record (art25)

    @property
    def accepted_by_both(self) -> bool:
        return self.department_accepted_at is not None and self.provider_accepted_at is not None
