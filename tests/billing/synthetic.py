"""A ledger of many systems written straight into the tables, for benchmarks and settlement tests.

Rows are what the lifecycle writes (tests/billing/test_timeline.py reads them back into the
timelines each plan describes): requests with their specs, systems rows, and the events that
shape timelines and deadlines. The mix, by n % 10: 0 still in trial, 1 terminated mid-year,
2 a minor change applied mid-year (hosts doubled), the rest in production all year or from
a day in the year. Specs are the samples of request_specs/, varied by n.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from provisioner.calendar import SHANGHAI  # noqa: F401 - also used by bench_settlement
from provisioner.policy import Policies
from provisioner.ledger import Ledger
from provisioner.ledger.metering_schema import utilisation as utilisation_table
from provisioner.ledger.schema import events, requests, systems
from provisioner.ledger.workflow import spec_json
from provisioner.metering import ledger_reader
from provisioner.metering.utilisation import Window, granted_in, month_start, next_month
from provisioner.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
REGIONS = ("city", "city", "city", "lianxi", "xiushui", "wuning", "lushan", "duchang")


def sample_specs() -> list[dict[str, Any]]:
    return [spec_json(load_spec(p, ROOT))[0] for p in sorted((ROOT / "request_specs").glob("*/*.yaml"))]


@dataclass(frozen=True)
class Plan:
    n: int
    key: str
    region: str
    department: str
    system: str
    trial_at: datetime
    promote_at: datetime | None
    change_at: datetime | None
    end_at: datetime | None
    late_prepare: bool
    utilisation: float


def _local(year: int, day_of_year: int, hour: int = 10) -> datetime:
    return datetime(year, 1, 1, hour, tzinfo=SHANGHAI) + timedelta(days=day_of_year)


def plan(n: int, year: int) -> Plan:
    region = REGIONS[n % len(REGIONS)]
    department = f"{region[:2]}-dept{n % 37:02d}"
    system = f"sys-{n:05d}"
    kind = n % 10
    if kind == 0:
        trial = _local(year, 340 + n % 10)
        promote = None
    elif n % 3 == 0:
        trial = _local(year - 1, 200 + n % 100)
        promote = trial + timedelta(days=16)
    else:
        trial = _local(year, n % 300)
        promote = trial + timedelta(days=15 + n % 5, hours=2)
    change = promote + timedelta(days=40) if kind == 2 and promote else None
    end = promote + timedelta(days=60 + n % 30) if kind == 1 and promote else None
    return Plan(n, f"{region}.{department}.{system}", region, department, system, trial, promote, change, end,
                late_prepare=n % 7 == 0, utilisation=0.05 + (n % 19) / 20)


def _spec(base: dict[str, Any], p: Plan, request_id: str, scale: int = 1) -> dict[str, Any]:
    spec = copy.deepcopy(base)
    # The ledger's row keeps `request_id`; the spec's own number has the spec's format (4 digits):
    # metering reads the spec back into its typed model.
    year = request_id.split("-")[1]
    spec["metadata"].update(system=p.system, request_id=f"SYN-{year}-{p.n % 10000:04d}", name=f"系统 {p.n:05d}")
    spec["applicant"].update(region=p.region, department=p.department, department_name=f"{p.department} 单位")
    for host in spec["resources"]["hosts"]:
        host["count"] = (1 + p.n % 3) * scale
    return spec


def _ts(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def rows(count: int, year: int, now: datetime) -> Iterator[tuple[dict, dict, list[dict], dict | None]]:
    """(request row, system row without id, events without system_id, change request row or None)."""
    bases = sample_specs()
    for n in range(count):
        p = plan(n, year)
        if p.trial_at >= now:
            continue
        rid = f"SYN-{year}-{n:05d}"
        spec = _spec(bases[n % len(bases)], p, rid)
        accepted_at = p.trial_at - timedelta(days=1)
        request = {"request_id": rid, "system_key": p.key, "kind": "new", "decision": "accepted",
                   "submitted_at": _ts(accepted_at - timedelta(days=1)), "submitted_by": "synthetic", "note": "",
                   "decided_at": _ts(accepted_at), "decided_by": "synthetic", "spec": spec}
        evs = [_event("accepted", "art15", "submitted", "accepted", accepted_at,
                      {"deadline": _ts(accepted_at + timedelta(days=2)).isoformat(), "deadline_rule": "art15",
                       "late": False}),
               _event("create_trial_done", "art16-prepare", "accepted", "trial", p.trial_at,
                      {"deadline": _ts(p.trial_at - timedelta(hours=2 if p.late_prepare else -30)).isoformat(),
                       "deadline_rule": "art16-prepare", "late": p.late_prepare})]
        state, since, change_row = "trial", p.trial_at, None
        if p.promote_at is not None and p.promote_at < now:
            evs.append(_event("promote_done", "art17", "trial", "production", p.promote_at, {}))
            state, since = "production", p.promote_at
        if p.change_at is not None and p.change_at < now:
            cid = f"SYN-{year}-{n:05d}-C"
            change_row = {**request, "request_id": cid, "kind": "change-minor", "spec": _spec(bases[n % len(bases)], p, cid, 2)}
            evs.append(_event("apply_change_done", "art18", "changing", "production", p.change_at,
                              {"request_id": cid, "deadline": _ts(p.change_at + timedelta(days=1)).isoformat(),
                               "deadline_rule": "art18", "late": False}))
            since = p.change_at
        if p.end_at is not None and p.end_at < now:
            evs.append(_event("terminate_done", "art19", "terminating", "terminated", p.end_at, {}))
            state, since = "terminated", p.end_at
        system = {"system_key": p.key, "generation": 1, "region": p.region, "department": p.department,
                  "system": p.system, "request_id": rid, "request_kind": "new", "state": state, "since": _ts(since),
                  "deadline_uncertain": False, "trial_started_at": _ts(p.trial_at), "extension_days": 0,
                  "held": False, "breached": [], "go_live_at": _ts(p.promote_at) if p.promote_at and p.promote_at < now else None,
                  "spec": (change_row or request)["spec"], "version": len(evs), "updated_at": _ts(since)}
        yield request, system, evs, change_row


def _event(kind: str, rule: str, source: str, target: str, at: datetime, detail: dict) -> dict:
    return {"kind": kind, "rule": rule, "from_state": source, "to_state": target, "actor": "synthetic",
            "at": _ts(at), "detail": detail}


def fill(ledger: Ledger, count: int, year: int, now: datetime) -> int:
    """Write `count` systems' rows; returns how many systems exist at `now`."""
    written = 0
    with ledger.transaction() as conn:
        batch_requests, batch_systems, batch_events = [], [], []
        for request, system, evs, change in rows(count, year, now):
            batch_requests.append(request)
            if change is not None:
                batch_requests.append(change)
            batch_systems.append(system)
            batch_events.append(evs)
            written += 1
        conn.execute(insert(requests), batch_requests)
        ids = [conn.execute(insert(systems).values(**s).returning(systems.c.id)).scalar_one() for s in batch_systems]
        conn.execute(insert(events), [{**e, "system_id": i} for i, evs in zip(ids, batch_events) for e in evs])
    return written


def fill_utilisation(ledger: Ledger, year: int, now: datetime, months: list[date] | None = None) -> None:
    """Record a whole month's observation per system and month of the year (ratio from its plan)."""
    flavors = Policies(ROOT).catalogue.flavors
    with ledger.transaction() as conn:
        facts = ledger_reader.read(conn, flavors)
        kinds = frozenset({"compute/cores", "compute/ram", "volumev3/capacity", "network/floating_ips"})
        plans = [plan(int(t.generation.system.removeprefix("sys-")), year) for t in facts.timelines]
        ratio = {p.key: p.utilisation for p in plans}
        out = []
        for month in months or [date(year, m, 1) for m in range(1, 13)]:
            window = Window(month_start(month), min(month_start(next_month(month)), now))
            if window.seconds <= 0:
                continue
            for key, per in granted_in(facts.timelines, window, kinds).items():
                out.append({"system_key": key, "month": month, "samples": 1, "first_at": window.start,
                            "last_at": window.end,
                            "kinds": {k: [g, g * ratio[key]] for k, g in per.items()}})
        if out:
            conn.execute(insert(utilisation_table), out)
