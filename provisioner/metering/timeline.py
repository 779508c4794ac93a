"""One generation's life as allocation segments, from its lifecycle events in the ledger (pure).

    create_trial_done ──> trial ──promote_done──> production ──terminate_done──> (nothing)
                            │                       └─apply_change_done: same phase, the change's spec from then on
                            └─spec_updated: the trial's request edited (art16), the generation's own spec from then on
    adopted ──> trial, or trial then production (the times its stack shows)

A system govcloud adopted (`adopted`: made by a plain `pulumi up`, ledger/adoption.py) has the
phases its stack shows: trial from when its first resource was made, production from when its
labels went to production, as the ledger's row has them (trial_started_at, go_live_at).

A trial stopped by a termination stays in the trial phase until `terminate_done`: the
resources exist until the provider has backed up and destroyed them (art19). A generation
superseded by a major change (art18) ends at its `superseded` event, the new one's go-live: the
system's one stack is the new generation's from then on. The amounts of
a segment are those of the spec in force: the generation's request as submitted; once its trial
was edited (`spec_updated`: govcloud apply of the edited file, the trial follows it), the edit's
resources, which its event holds (an event recorded before it held them: the spec the generation
keeps, OWN_SPEC, the ledger's systems.spec, while no later edit or change has rewritten it; once one
has, that edit's resources are known nowhere: its segments are missing-spec, never sized by the later
spec); then each applied minor change's request (art18). Times are tz-aware UTC; quantities are exact (Fraction).
A segment carries the problems met while sizing it, so a settlement is stopped only by those of its year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from provisioner.clock import utc_moment_or_none
from provisioner.metering.resources import Amounts, FlavorSize, amounts

NOTHING = Amounts({})

TRIAL = "trial"
PRODUCTION = "production"
PHASES = (TRIAL, PRODUCTION)
TIMELINE_EVENTS = ("create_trial_done", "adopted", "spec_updated", "promote_done", "apply_change_done",
                   "terminate_done", "superseded")
# The key, among the specs by request id, of the generation's own spec (ledger systems.spec): in force
# after its trial was edited. Not a request id (those are <REGION>-<year>-<number>).
OWN_SPEC = "own-spec"
# The key of an old trial edit's spec (its event holds no resources) that a later edit or applied change
# rewrote in systems.spec: never among the specs, so its segments are missing-spec.
LOST_SPEC = "lost-spec"
SPEC_WRITERS = ("spec_updated", "apply_change_done")    # the events whose step rewrites systems.spec

_MICROSECOND = Fraction(1, 10 ** 6)


def seconds_between(start: datetime, end: datetime) -> Fraction:
    """Exact seconds from start to end (0 if end is not after start)."""
    if end <= start:
        return Fraction(0)
    delta = end - start
    return (delta // timedelta(microseconds=1)) * _MICROSECOND


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    at: datetime
    detail: Mapping[str, Any] = field(default_factory=dict)
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    start: datetime
    end: datetime | None          # None: still allocated
    phase: str
    allocation: Amounts
    request_id: str               # whose spec is in force
    problems: tuple[str, ...] = ()    # why its allocation cannot be computed (the timeline's codes), if it cannot

    @property
    def amounts(self) -> Mapping[str, Fraction]:
        return self.allocation.values

    def overlap(self, t0: datetime, t1: datetime) -> Fraction:
        end = t1 if self.end is None else min(self.end, t1)
        return seconds_between(max(self.start, t0), end)


@dataclass(frozen=True, slots=True)
class Names:
    """What people call a system: from the latest spec of its generation."""

    department: str         # 单位名称
    system: str             # 系统名称


@dataclass(frozen=True, slots=True)
class Generation:
    """The ledger's facts about one generation that a timeline needs."""

    system_key: str
    generation: int
    region: str
    department: str
    system: str
    request_id: str
    state: str


@dataclass(frozen=True, slots=True)
class Timeline:
    generation: Generation
    segments: tuple[Segment, ...]
    problems: tuple[str, ...] = ()      # codes: missing-spec:<request>, unreadable-spec:<request>, unknown-flavor:<name>

    @property
    def key(self) -> str:
        return self.generation.system_key

    def current(self) -> Segment | None:
        return self.segments[-1] if self.segments and self.segments[-1].end is None else None

    def resource_seconds(self, t0: datetime, t1: datetime) -> dict[tuple[str, str], Fraction]:
        """Granted amount x seconds over [t0, t1), by (phase, kind key)."""
        out: dict[tuple[str, str], Fraction] = {}
        for seg in self.segments:
            secs = seg.overlap(t0, t1)
            if secs:
                for kind, amount in seg.amounts.items():
                    out[(seg.phase, kind)] = out.get((seg.phase, kind), Fraction(0)) + amount * secs
        return out


    def granted_seconds(self, t0: datetime, t1: datetime) -> dict[str, float]:
        """Granted amount x seconds over [t0, t1), all phases, in floats (the exporter's hot path)."""
        out: dict[str, float] = {}
        for seg in self.segments:
            start, end = max(seg.start, t0), t1 if seg.end is None else min(seg.end, t1)
            if end > start:
                secs = (end - start).total_seconds()
                for kind, amount in seg.allocation.floats:
                    out[kind] = out.get(kind, 0.0) + amount * secs
        return out


class _Builder:
    def __init__(self, gen: Generation, specs: Mapping[str, Mapping[str, Any] | Amounts | None],
                 flavors: Mapping[str, FlavorSize]) -> None:
        self.gen, self.specs, self.flavors = gen, specs, flavors
        self.segments: list[Segment] = []
        self.problems: list[str] = []
        self.open: tuple[datetime, str] | None = None      # start, phase
        self.request_id = gen.request_id
        self.spec_key = gen.request_id                      # whose spec sizes the open segment: a request id or OWN_SPEC
        self.edit: Mapping[str, Any] | Amounts | None = None   # or a trial edit's own (its event's resources)

    def sized(self) -> Amounts:
        spec = self.specs.get(self.spec_key) if self.edit is None else self.edit
        if spec is None:
            self.problems.append(f"missing-spec:{self.request_id}")
            return NOTHING
        found = spec if isinstance(spec, Amounts) else amounts(spec, self.flavors)
        if found.unreadable:
            self.problems.append(f"unreadable-spec:{self.request_id}")
        self.problems.extend(f"unknown-flavor:{name}" for name in found.unknown_flavors)
        return found

    def segment(self, start: datetime, end: datetime | None, phase: str) -> Segment:
        known = len(self.problems)
        allocation = self.sized()
        return Segment(start, end, phase, allocation, self.request_id, tuple(dict.fromkeys(self.problems[known:])))

    def close(self, at: datetime) -> None:
        if self.open is not None:
            start, phase = self.open
            self.segments.append(self.segment(start, at, phase))
            self.open = None

    def resize(self, at: datetime, spec_key: str, request_id: str,
               edit: Mapping[str, Any] | Amounts | None = None) -> None:
        """Another spec in force from `at` on, in the same phase."""
        phase = self.open[1] if self.open is not None else None
        self.close(at)
        self.spec_key, self.request_id, self.edit = spec_key, request_id, edit
        if phase is not None:
            self.open = (at, phase)

    def start(self, at: datetime, phase: str) -> None:
        self.close(at)
        self.open = (at, phase)

    def apply(self, event: Event, rewritten: bool = False) -> None:
        """`rewritten`: a later event rewrote systems.spec, so OWN_SPEC is no longer this event's spec."""
        if event.kind == "create_trial_done":
            self.start(event.at, TRIAL)
        elif event.kind == "promote_done":
            self.start(event.at, PRODUCTION)
        elif event.kind == "spec_updated":
            resources = event.detail.get("resources")
            edit = resources if isinstance(resources, Amounts) else \
                {"resources": resources} if isinstance(resources, Mapping) else None
            self.resize(event.at, LOST_SPEC if edit is None and rewritten else OWN_SPEC, self.request_id, edit)
        elif event.kind == "apply_change_done" and self.open is not None:
            changed = str(event.detail.get("request_id") or self.request_id)
            self.resize(event.at, changed, changed)
        elif event.kind in ("terminate_done", "superseded"):
            self.close(event.at)
        elif event.kind == "adopted":
            self.adopt(event)

    def adopt(self, event: Event) -> None:
        started = utc_moment_or_none(event.detail.get("started_at")) or event.at
        live = utc_moment_or_none(event.detail.get("go_live_at")) if event.detail.get("phase") == PRODUCTION else None
        if live is None:
            self.start(started, TRIAL)
            return
        if started < live:
            self.start(started, TRIAL)
        self.start(live, PRODUCTION)

    def finish(self) -> Timeline:
        if self.open is not None:
            start, phase = self.open
            self.segments.append(self.segment(start, None, phase))
        return Timeline(self.gen, tuple(s for s in self.segments if s.end is None or s.end > s.start),
                        tuple(dict.fromkeys(self.problems)))


def build(gen: Generation, events: Iterable[Event], specs: Mapping[str, Mapping[str, Any] | Amounts | None],
          flavors: Mapping[str, FlavorSize]) -> Timeline:
    """The timeline of one generation from its events (in the order recorded); `specs` by request id (and
    OWN_SPEC: the generation's own, where it has a spec_updated event), each a spec as stored in the ledger
    or already sized (Amounts: a reader that met the same resources before); a spec_updated event's
    `resources` detail likewise, as stored or sized."""
    events = list(events)
    last = max((i for i, event in enumerate(events) if event.kind in SPEC_WRITERS), default=-1)
    builder = _Builder(gen, specs, flavors)
    for i, event in enumerate(events):
        builder.apply(event, rewritten=i < last)
    return builder.finish()
