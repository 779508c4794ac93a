"""Everything /metrics shows at one moment, computed from the ledger's facts (pure).

Allocation counters are the timelines integrated up to `at`: monotonic by construction and
the same whenever and however often they are computed. Generations of one system (a major
change runs the new one beside the old, art18) add up under the system's labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from provisioner.calendar import WorkCalendar
from provisioner.lifecycle.machine import SystemView, deadline, trial_end
from provisioner.lifecycle.states import State
from provisioner.metering.deadlines import Outcome
from provisioner.metering.inventory import Findings
from provisioner.metering.series import Labels, SeriesTable
from provisioner.metering.timeline import Timeline
from provisioner.metering.utilisation import Totals

COUNTER_HORIZON = timedelta(days=400)  # keep exporting a terminated system's counters this long


@dataclass(frozen=True, slots=True)
class LiveRow:
    """A generation still in the lifecycle (not rejected or terminated), as its deadlines need it."""

    view: SystemView
    region: str
    department: str
    system: str


@dataclass(frozen=True, slots=True)
class Deadline:
    labels: Labels
    rule: str
    at: float          # Unix time
    uncertain: bool


@dataclass(frozen=True, slots=True)
class TrialState:
    """A system in trial: who has accepted it (art16: both sides must before go-live), and whether it is held."""

    department_accepted: bool
    provider_accepted: bool
    held: bool


@dataclass(frozen=True, slots=True)
class SourceStatus:
    up: bool
    at: float                  # Unix time of the last attempt
    duration: float            # seconds it took
    error: str = ""


@dataclass
class Snapshot:
    at: datetime
    # (labels, phase, kind) -> granted now, and granted x seconds since allocation
    allocated: SeriesTable = field(default_factory=SeriesTable)
    seconds: SeriesTable = field(default_factory=SeriesTable)
    # labels -> kind -> [granted, used] resource-seconds within observed windows (shared, not copied:
    # the exporter's running totals, which only grow)
    utilisation: dict[Labels, Mapping[str, list[float]]] = field(default_factory=dict)
    deadlines: list[Deadline] = field(default_factory=list)
    breached: list[tuple[Labels, str]] = field(default_factory=list)
    trial_days_left: dict[Labels, float] = field(default_factory=dict)
    trials: dict[Labels, TrialState] = field(default_factory=dict)
    deadline_totals: dict[tuple[str, str, str, str], int] = field(default_factory=dict)  # region, dept, rule, outcome
    problems: dict[str, int] = field(default_factory=dict)
    sources: dict[str, SourceStatus] = field(default_factory=dict)
    # What the cloud holds (inventory.py): per project; granted per project is the ledger's, summed
    project_granted: dict[tuple[str, str, str, str], float] = field(default_factory=dict)  # project, region, dept, kind
    cloud: Findings | None = None

    @property
    def timestamp(self) -> float:
        return self.at.timestamp()


def _labels(line: Timeline) -> Labels:
    g = line.generation
    return (g.region, g.department, g.system)


def build(at: datetime, timelines: Iterable[Timeline], live: Iterable[LiveRow], outcomes: Iterable[Outcome],
          utilisation: Totals, calendar: WorkCalendar,
          sources: Mapping[str, SourceStatus] | None = None, cloud: Findings | None = None) -> Snapshot:
    snap = Snapshot(at, sources=dict(sources or {}), cloud=cloud)
    _allocation(snap, timelines)
    _project_granted(snap)
    _live(snap, live, calendar)
    for outcome in outcomes:
        key = (outcome.region, outcome.department, outcome.rule, outcome.outcome)
        snap.deadline_totals[key] = snap.deadline_totals.get(key, 0) + 1
    for system_key, kinds in utilisation.items():
        region, department, system = system_key.split(".", 2)
        snap.utilisation[(region, department, system)] = kinds
    return snap


def _allocation(snap: Snapshot, timelines: Iterable[Timeline]) -> None:
    horizon = snap.at - COUNTER_HORIZON
    for line in timelines:
        for problem in line.problems:
            code = problem.split(":", 1)[0]
            snap.problems[code] = snap.problems.get(code, 0) + 1
        if not line.segments or (line.segments[-1].end is not None and line.segments[-1].end < horizon):
            continue
        labels = _labels(line)
        for seg in line.segments:
            if seg.start >= snap.at:
                continue
            secs = ((snap.at if seg.end is None else min(seg.end, snap.at)) - seg.start).total_seconds()
            live = seg.end is None or seg.end > snap.at
            for kind, amount in seg.allocation.floats:
                snap.seconds.add(labels, seg.phase, kind, amount * secs)
                if live:
                    snap.allocated.add(labels, seg.phase, kind, amount)


def _project_granted(snap: Snapshot) -> None:
    """The department's project was granted the sum of its systems' live allocations (its quota, art15)."""
    for ((region, department, _system), _phase, kind), amount in snap.allocated.items():
        key = (project_name(region, department), region, department, kind)
        snap.project_granted[key] = snap.project_granted.get(key, 0.0) + amount


def project_name(region: str, department: str) -> str:
    """The department's Keystone project (provisioner.naming.project_name, without its imports)."""
    return f"{region}-{department}"


def _live(snap: Snapshot, live: Iterable[LiveRow], calendar: WorkCalendar) -> None:
    earliest: dict[tuple[Labels, str], Deadline] = {}
    for row in live:
        labels = (row.region, row.department, row.system)
        limit = deadline(row.view, calendar)
        if limit is not None:
            found = Deadline(labels, limit.rule, limit.at.timestamp(), limit.uncertain)
            known = earliest.get((labels, limit.rule))
            if known is None or found.at < known.at:
                earliest[(labels, limit.rule)] = found
        snap.breached.extend((labels, rule) for rule in row.view.breached)
        if row.view.state == State.TRIAL:
            left = (trial_end(row.view, calendar).at - snap.at).total_seconds() / 86400
            snap.trial_days_left[labels] = min(left, snap.trial_days_left.get(labels, left))
            view = row.view
            snap.trials[labels] = TrialState(view.department_accepted_at is not None,
                                             view.provider_accepted_at is not None, view.held)
    snap.deadlines = sorted(earliest.values(), key=lambda d: (d.labels, d.rule))
    snap.breached = sorted(set(snap.breached))
