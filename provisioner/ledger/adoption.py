"""Recording a system that already runs (govcloud adopt): its request, accepted, and one
generation in the phase its stack's labels say, in one transaction with its event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update

from provisioner.regulation import TRIAL_DAYS
from provisioner.ledger import store
from provisioner.ledger.schema import requests
from provisioner.ledger.workflow import Context, insert_request, spec_json
from provisioner.lifecycle.machine import EventSpec, Step, SystemView
from provisioner.lifecycle.states import RequestKind, Rule, State
from provisioner.spec.model import RequestSpec


@dataclass(frozen=True)
class Adoption:
    """A running system as its stack shows it (provisioner.app.adopt.read_stack)."""

    system_key: str
    region: str
    department: str
    system: str
    request_id: str
    phase: str                      # trial | production
    trial_started_at: datetime
    go_live_at: datetime | None
    labelled_resources: int
    mixed_phases: bool = False      # some resources still trial: a promotion cut short


def record_adoption(ctx: Context, found: Adoption, spec: RequestSpec | None, spec_path: str | None) -> Adoption:
    now = ctx.clock()
    data, sha = spec_json(spec) if spec is not None else (None, None)
    state = State.PRODUCTION if found.phase == "production" else State.TRIAL
    since = found.go_live_at if state == State.PRODUCTION and found.go_live_at else found.trial_started_at
    note = f"adopted from stack {found.system_key} (govcloud adopt)"
    with ctx.ledger.transaction() as conn:
        insert_request(conn, found.request_id, found.system_key, RequestKind.NEW, now, ctx.actor, data, sha, note=note)
        conn.execute(update(requests).where(requests.c.request_id == found.request_id)
                     .values(decision="accepted", decided_at=now, decided_by=ctx.actor))
        view = SystemView(system_key=found.system_key, generation=len(store.generations(conn, found.system_key)) + 1,
                          request_id=found.request_id, request_kind=RequestKind.NEW, state=state, since=since,
                          trial_started_at=found.trial_started_at, go_live_at=found.go_live_at,
                          trial_days=spec.trial.days if spec is not None else TRIAL_DAYS)
        view = store.insert_system(conn, view, region=found.region, department=found.department, system=found.system,
                                   spec=data, calendar=ctx.calendar, now=now)
        event = EventSpec("adopted", Rule.GO_LIVE.value if state == State.PRODUCTION else Rule.TRIAL.value,
                          None, state, {"phase": found.phase, "started_at": found.trial_started_at.isoformat(),
                                        "go_live_at": found.go_live_at.isoformat() if found.go_live_at else None,
                                        "labelled_resources": found.labelled_resources,
                                        "mixed_phases": found.mixed_phases, "spec": spec_path,
                                        "source": "stack state and resource labels"},
                          dedupe=f"adopt:{found.system_key}:{found.request_id}")
        store.save(conn, view, Step(view, (event,)), actor=ctx.actor, now=now, calendar=ctx.calendar)
    return found
