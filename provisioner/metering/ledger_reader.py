"""Read what metering needs from the ledger: timelines, live rows, deadline events, names (edge).

Every step of the lifecycle bumps its systems row's `version` (ledger.store.save), so a
generation whose (id, version) is unchanged has the same timeline and deadline events as
last time. `LedgerReader` keeps them and, on each read, fetches events and specs only for
generations that are new or changed: one narrow query over all systems rows, then a few
for the changed ones. A reader without history (`read()`) fetches everything.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from provisioner.ledger.schema import events, requests, systems
from provisioner.ledger.store import view_from_row
from provisioner.lifecycle.states import FINAL_STATES
from provisioner.metering import timeline
from provisioner.metering.deadlines import DeadlineEvent, Outcome, outcomes
from provisioner.metering.resources import FlavorSize
from provisioner.metering.snapshot import LiveRow
from provisioner.metering.timeline import Names

_DEADLINE_EVENTS = ("deadline_missed", "accepted", "rejected", "create_trial_done", "apply_change_done")
_WANTED = tuple(dict.fromkeys((*timeline.TIMELINE_EVENTS, *_DEADLINE_EVENTS)))
_FINAL = frozenset(s.value for s in FINAL_STATES)
_CHUNK = 500


@dataclass(frozen=True)
class LedgerFacts:
    timelines: list[timeline.Timeline]
    live: list[LiveRow]
    outcomes: list[Outcome]             # deadlines met or breached (deadlines.outcomes)
    names: Mapping[str, Names]          # by system key


@dataclass(frozen=True)
class _Entry:
    version: int
    timeline: timeline.Timeline
    outcomes: tuple[Outcome, ...]
    names: Names
    live: LiveRow | None


@dataclass
class LedgerReader:
    flavors: Mapping[str, FlavorSize]
    _entries: dict[int, _Entry] = field(default_factory=dict)

    def read(self, conn: Connection) -> LedgerFacts:
        columns = [c for c in systems.c if c.name != "spec"]
        rows = list(conn.execute(select(*columns).order_by(systems.c.id)))
        changed = [r for r in rows if (e := self._entries.get(r.id)) is None or e.version != r.version]
        for i in range(0, len(changed), _CHUNK):     # a chunk's specs at a time: memory stays flat
            self._refresh(conn, changed[i:i + _CHUNK])
        self._entries = {r.id: self._entries[r.id] for r in rows}
        entries = [self._entries[r.id] for r in rows]
        return LedgerFacts([e.timeline for e in entries], [e.live for e in entries if e.live is not None],
                           [o for e in entries for o in e.outcomes], {e.timeline.key: e.names for e in entries})

    def _refresh(self, conn: Connection, rows: list[Any]) -> None:
        ids = [r.id for r in rows]
        per_system = _events(conn, ids)
        wanted = {r.request_id for r in rows} | {str(ev.detail.get("request_id")) for evs in per_system.values()
                                                 for ev in evs if ev.kind == "apply_change_done"}
        specs = _request_specs(conn, wanted)
        own_specs = _system_specs(conn, ids)
        for r in rows:
            gen = timeline.Generation(r.system_key, r.generation, r.region, r.department, r.system, r.request_id,
                                      r.state)
            evs = per_system.get(r.id, [])
            fallback = specs if specs.get(r.request_id) else ChainMap({r.request_id: own_specs.get(r.id)}, specs)
            line = timeline.build(gen, [e for e in evs if e.kind in timeline.TIMELINE_EVENTS], fallback, self.flavors)
            found = outcomes(DeadlineEvent(r.system_key, r.generation, r.region, r.department, e.kind, e.rule,
                                           dict(e.detail)) for e in evs if e.kind in _DEADLINE_EVENTS)
            live = None if r.state in _FINAL else LiveRow(view_from_row(r), r.region, r.department, r.system)
            self._entries[r.id] = _Entry(r.version, line, tuple(found), _names(own_specs.get(r.id), r.department,
                                                                                r.system), live)


def read(conn: Connection, flavors: Mapping[str, FlavorSize]) -> LedgerFacts:
    """Everything, read afresh."""
    return LedgerReader(flavors).read(conn)


def _events(conn: Connection, ids: list[int]) -> dict[int, list[timeline.Event]]:
    out: dict[int, list[timeline.Event]] = {}
    query = select(events.c.system_id, events.c.kind, events.c.rule, events.c.at, events.c.detail) \
        .where(events.c.kind.in_(_WANTED), events.c.system_id.in_(ids)).order_by(events.c.id)
    for ev in conn.execute(query):
        out.setdefault(ev.system_id, []).append(timeline.Event(ev.kind, ev.at, ev.detail or {}, ev.rule))
    return out


def _request_specs(conn: Connection, request_ids: Iterable[str]) -> dict[str, Any]:
    query = select(requests.c.request_id, requests.c.spec).where(requests.c.request_id.in_(sorted(request_ids)),
                                                                 requests.c.spec.is_not(None))
    return {r.request_id: r.spec for r in conn.execute(query)}


def _system_specs(conn: Connection, ids: list[int]) -> dict[int, Any]:
    return {r.id: r.spec for r in conn.execute(select(systems.c.id, systems.c.spec).where(systems.c.id.in_(ids)))}


def _names(spec: Mapping[str, Any] | None, department: str, system: str) -> Names:
    spec = spec or {}
    return Names((spec.get("applicant") or {}).get("department_name") or department,
                 (spec.get("metadata") or {}).get("name") or system)
