"""Read what metering needs from the ledger: timelines, live rows, deadline events, names (edge).

Every step of the lifecycle bumps its systems row's `version` (ledger.store.save), so a
generation whose (id, version) is unchanged has the same timeline and deadline events as
last time. `LedgerReader` keeps them and, on each read, fetches events and specs only for
generations that are new or changed: one narrow query over all systems rows, then a few
for the changed ones, a hundred at a time. A reader without history (`read()`) fetches everything.
"""

from __future__ import annotations

import functools
import json
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from sys import intern
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from provisioner.ledger.schema import events, requests, systems
from provisioner.ledger.store import view_from_row
from provisioner.lifecycle.states import FINAL_STATES
from provisioner.metering import timeline
from provisioner.metering.deadlines import DeadlineEvent, Outcome, outcomes
from provisioner.metering.resources import Amounts, FlavorSize, amounts
from provisioner.metering.snapshot import LiveRow
from provisioner.metering.timeline import Names

_DEADLINE_EVENTS = ("deadline_missed", "accepted", "rejected", "create_trial_done", "apply_change_done")
_WANTED = tuple(dict.fromkeys((*timeline.TIMELINE_EVENTS, *_DEADLINE_EVENTS)))
_FINAL = frozenset(s.value for s in FINAL_STATES)
_CHUNK = 100


@dataclass(frozen=True)
class LedgerFacts:
    timelines: list[timeline.Timeline]
    live: list[LiveRow]
    outcomes: list[Outcome] | list[OutcomeKey]   # deadlines met or breached (deadlines.outcomes); keys: detail=False
    names: Mapping[str, Names | None]   # by system key (None: detail=False)


class OutcomeKey(NamedTuple):
    """What /metrics counts of a deadline outcome (govcloud_deadlines_total), shared by every one alike."""

    region: str
    department: str
    rule: str
    outcome: str


@dataclass(frozen=True, slots=True)
class _Entry:
    version: int
    timeline: timeline.Timeline
    outcomes: tuple[Outcome, ...] | tuple[OutcomeKey, ...]
    names: Names | None
    live: LiveRow | None


@dataclass
class LedgerReader:
    flavors: Mapping[str, FlavorSize]
    detail: bool = True                 # False: what /metrics needs only (the module's docstring)
    _entries: dict[int, _Entry] = field(default_factory=dict)
    _keys: dict[OutcomeKey, OutcomeKey] = field(default_factory=dict)

    def read(self, conn: Connection) -> LedgerFacts:
        versions = conn.execute(select(systems.c.id, systems.c.version).order_by(systems.c.id)).all()
        changed = [i for i, version in versions if (e := self._entries.get(i)) is None or e.version != version]
        columns = [c for c in systems.c if c.name != "spec"]
        # A chunk of rows, their events and specs at a time: what is read and dropped stays small, so
        # it does not scatter the entries kept for months across memory the allocator cannot return.
        for start in range(0, len(changed), _CHUNK):
            chunk = changed[start:start + _CHUNK]
            self._refresh(conn, list(conn.execute(select(*columns).where(systems.c.id.in_(chunk))
                                                  .order_by(systems.c.id))))
        self._entries = {i: self._entries[i] for i, _ in versions}
        entries = list(self._entries.values())
        return LedgerFacts([e.timeline for e in entries], [e.live for e in entries if e.live is not None],
                           [o for e in entries for o in e.outcomes], {e.timeline.key: e.names for e in entries})

    def _refresh(self, conn: Connection, rows: list[Any]) -> None:
        ids = [r.id for r in rows]
        per_system = _events(conn, ids)
        wanted = {r.request_id for r in rows} | {str(ev.detail.get("request_id")) for evs in per_system.values()
                                                 for ev in evs if ev.kind == "apply_change_done"}
        specs = _request_specs(conn, wanted)
        edited = _trial_edited(per_system)
        own_specs = _system_specs(conn, ids if self.detail else
                                  [r.id for r in rows if r.id in edited or not specs.get(r.request_id)])
        for r in rows:
            # Region, department and state repeat across thousands of rows: one string each, kept for months.
            region, department, state = intern(r.region), intern(r.department), intern(r.state)
            gen = timeline.Generation(r.system_key, r.generation, region, department, r.system, r.request_id, state)
            evs = per_system.get(r.id, [])
            line = timeline.build(gen, [e for e in evs if e.kind in timeline.TIMELINE_EVENTS],
                                  _with_own(specs, r.request_id, own_specs.get(r.id), r.id in edited), self.flavors)
            found = outcomes(DeadlineEvent(r.system_key, r.generation, region, department, e.kind, e.rule,
                                           dict(e.detail)) for e in evs if e.kind in _DEADLINE_EVENTS)
            live = None if state in _FINAL else LiveRow(view_from_row(r), region, department, r.system)
            if self.detail:
                self._entries[r.id] = _Entry(r.version, line, tuple(found), _names(own_specs.get(r.id), department,
                                                                                    r.system), live)
            else:
                keys = tuple(self._key(OutcomeKey(o.region, o.department, o.rule, o.outcome)) for o in found)
                self._entries[r.id] = _Entry(r.version, line, keys, None, live)

    def _key(self, key: OutcomeKey) -> OutcomeKey:
        return self._keys.setdefault(key, key)


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


def _trial_edited(events_of: Mapping[int, list[timeline.Event]]) -> set[int]:
    """The generations (by system id) whose trial was edited: sized by their own spec from then on."""
    return {i for i, evs in events_of.items() if any(e.kind == "spec_updated" for e in evs)}


def _with_own(specs: Mapping[str, Any], request_id: str, own: Any, edited: bool) -> Mapping[str, Any]:
    """The specs a generation's timeline is sized by: the requests', with the generation's own spec as
    OWN_SPEC where its trial was edited, and for its request where that has no spec (an adopted system)."""
    mine = {}
    if edited:
        mine[timeline.OWN_SPEC] = own
    if not specs.get(request_id):
        mine[request_id] = own
    return ChainMap(mine, specs) if mine else specs


def _request_specs(conn: Connection, request_ids: Iterable[str]) -> dict[str, Any]:
    query = select(requests.c.request_id, requests.c.spec).where(requests.c.request_id.in_(sorted(request_ids)),
                                                                 requests.c.spec.is_not(None))
    return {r.request_id: r.spec for r in conn.execute(query)}


def _system_specs(conn: Connection, ids: list[int]) -> dict[int, Any]:
    return {r.id: r.spec for r in conn.execute(select(systems.c.id, systems.c.spec).where(systems.c.id.in_(ids)))}


def _names(spec: Mapping[str, Any] | None, department: str, system: str) -> Names:
    spec = spec or {}
    return Names(intern((spec.get("applicant") or {}).get("department_name") or department),
                 (spec.get("metadata") or {}).get("name") or system)


# -- what the status view needs: every generation's row, timelines of those in production lately -------------

@dataclass(frozen=True)
class CurrentFacts:
    live: list[LiveRow]                   # generations still in the lifecycle
    generations: list[timeline.Generation]  # every generation, ended ones too
    timelines: list[timeline.Timeline]    # only generations in production at or after `since`


def read_current(conn: Connection, flavors: Mapping[str, FlavorSize], since: datetime) -> CurrentFacts:
    """Rows without their specs; events and specs only for generations in production at or after `since`,
    and of those only the specs in force from `since` on: segments that ended before it are unsized."""
    rows = list(conn.execute(select(*[c for c in systems.c if c.name != "spec"]).order_by(systems.c.id)))
    gens = [timeline.Generation(r.system_key, r.generation, r.region, r.department, r.system, r.request_id, r.state)
            for r in rows]
    live = [LiveRow(view_from_row(r), r.region, r.department, r.system) for r in rows if r.state not in _FINAL]
    billed = [(r, g) for r, g in zip(rows, gens) if r.go_live_at is not None and (r.state not in _FINAL or r.since >= since)]
    sized = functools.lru_cache(maxsize=4096)(lambda text: amounts({"resources": json.loads(text)}, flavors))
    lines = []
    for i in range(0, len(billed), _CHUNK):
        chunk = billed[i:i + _CHUNK]
        evs = _timeline_events(conn, [r.id for r, _ in chunk], sized)
        wanted = {r.id: _in_force(r.request_id, evs.get(r.id, []), since) for r, _ in chunk}
        edited = _trial_edited(evs)
        specs = _resources(conn, {rid for ids in wanted.values() for rid in ids}, chunk, edited, sized)
        lines += [timeline.build(g, evs.get(r.id, []), ChainMap(specs.get(r.id, {}), specs[None]), flavors)
                  for r, g in chunk]
    return CurrentFacts(live, gens, lines)


_READ_DETAIL = ("request_id", "phase", "started_at", "go_live_at", "resources")   # what timeline.build reads of a detail


def _timeline_events(conn: Connection, ids: list[int],
                     sized: Callable[[str | None], Amounts]) -> dict[int, list[timeline.Event]]:
    """Timeline events, with only what timeline.build reads of their detail: a change's request id, an
    adoption's phase and times, a trial edit's resources (sized: `sized` decodes each distinct text once)."""
    out: dict[int, list[timeline.Event]] = {}
    query = select(events.c.system_id, events.c.kind, events.c.at,
                   *(events.c.detail[name].as_string() for name in _READ_DETAIL)) \
        .where(events.c.kind.in_(timeline.TIMELINE_EVENTS), events.c.system_id.in_(ids)).order_by(events.c.id)
    for system_id, kind, at, *values in conn.execute(query):
        detail: dict[str, Any] = {name: value for name, value in zip(_READ_DETAIL, values) if value}
        if "resources" in detail:
            detail["resources"] = sized(detail["resources"])
        out.setdefault(system_id, []).append(timeline.Event(kind, at, detail))
    return out


def _in_force(request_id: str, evs: list[timeline.Event], since: datetime) -> set[str]:
    """The requests whose spec is in force at `since` or later (minor changes replace it, art18)."""
    wanted = {request_id}
    for ev in evs:
        if ev.kind == "apply_change_done" and ev.detail.get("request_id"):
            if ev.at <= since:
                wanted = set()
            wanted.add(str(ev.detail["request_id"]))
    return wanted


def _resources(conn: Connection, request_ids: set[str], chunk: list[tuple[Any, Any]], edited: set[int],
               sized: Callable[[str | None], Amounts]) -> dict[int | None, dict[str, Amounts]]:
    """{None: request id -> its amounts} and, for a generation whose trial was edited or whose own request
    has no spec (an adopted system), {system id: {OWN_SPEC and/or its request id: its row's spec's amounts}}.
    Only the specs' `resources` are read, as text: `sized` decodes and sizes each distinct text once."""
    query = select(requests.c.request_id, requests.c.spec["resources"].as_string()) \
        .where(requests.c.request_id.in_(sorted(request_ids)), requests.c.spec.is_not(None))
    found = {rid: sized(text) for rid, text in conn.execute(query) if text is not None}
    out: dict[int | None, dict[str, Amounts]] = {None: found}
    keys: dict[int, list[str]] = {}        # system id -> the keys its row's spec is read under
    for r, _ in chunk:
        if r.id in edited:
            keys.setdefault(r.id, []).append(timeline.OWN_SPEC)
        if r.request_id not in found:
            keys.setdefault(r.id, []).append(r.request_id)
    if keys:
        query = select(systems.c.id, systems.c.spec["resources"].as_string()) \
            .where(systems.c.id.in_(sorted(keys)), systems.c.spec.is_not(None))
        out.update({system_id: dict.fromkeys(keys[system_id], sized(text)) for system_id, text in conn.execute(query)
                    if text is not None})
    return out
