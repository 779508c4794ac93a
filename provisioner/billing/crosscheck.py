"""Ledger vs Prometheus: the same counters, read two ways, must agree (pure).

The exporter publishes `govcloud_system_allocated_seconds_total`, the ledger's timelines
integrated up to the moment of its snapshot, and stamps each sample with that moment. So at
any boundary, Prometheus' latest sample (value v at time s) can be compared with the ledger
integrated up to exactly s; over a period, the increase in Prometheus between its samples
at the two boundaries must equal the ledger's over the same two moments within the
tolerance (policies/settlement.yaml, 1%). What does not agree is a Discrepancy; a boundary
without a recent enough snapshot in Prometheus (coverage), or a series missing while the
ledger shows use, is a gap: usage Prometheus cannot vouch for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fractions import Fraction

from provisioner.billing.messages import WORDS
from provisioner.billing.settlement import Missing
from provisioner.metering.resources import BY_KEY
from provisioner.metering.timeline import Timeline

SeriesKey = tuple[str, str, str, str, str, str]       # region, department, system, phase, service, resource
COUNTER = "govcloud_system_allocated_seconds_total"
SNAPSHOT = "govcloud_metering_snapshot_timestamp_seconds"


@dataclass(frozen=True)
class Boundary:
    at: datetime
    snapshot_at: datetime | None                         # newest snapshot Prometheus had by `at`
    samples: Mapping[SeriesKey, tuple[float, datetime]]  # value, the sample's own time


@dataclass(frozen=True)
class Discrepancy:
    series: SeriesKey
    start: datetime
    end: datetime
    prometheus: float
    ledger: float

    @property
    def relative(self) -> float:
        return abs(self.prometheus - self.ledger) / abs(self.ledger) if self.ledger else float("inf")


@dataclass
class CrossCheck:
    periods: int = 0
    compared: int = 0
    max_relative: float = 0.0
    discrepancies: list[Discrepancy] = field(default_factory=list)
    gaps: list[Missing] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.discrepancies and not self.gaps


def series_key(labels: Mapping[str, str]) -> SeriesKey:
    return (labels["region"], labels["department"], labels["system"], labels["phase"], labels["service"],
            labels["resource"])


class LedgerCounters:
    """The ledger's counters by series at any moment, in Prometheus' base units."""

    def __init__(self, timelines: Iterable[Timeline]) -> None:
        self._by_series: dict[tuple[str, str, str], list[Timeline]] = {}
        for line in timelines:
            g = line.generation
            self._by_series.setdefault((g.region, g.department, g.system), []).append(line)

    def keys(self) -> set[SeriesKey]:
        return {(*labels, seg.phase, *kind.split("/", 1))     # type: ignore[misc]
                for labels, lines in self._by_series.items() for line in lines
                for seg in line.segments for kind in seg.amounts}

    def at(self, key: SeriesKey, moment: datetime) -> float:
        region, department, system, phase, service, resource = key
        kind = f"{service}/{resource}"
        total = Fraction(0)
        epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
        for line in self._by_series.get((region, department, system), ()):
            total += line.resource_seconds(epoch, moment).get((phase, kind), Fraction(0))
        return float(total * BY_KEY[kind].base_factor)


def _span(start: datetime, end: datetime) -> str:
    return f"{start.isoformat()}..{end.isoformat()}"


def compare(ledger: LedgerCounters, boundaries: list[Boundary], tolerance: float, coverage: timedelta) -> CrossCheck:
    result = CrossCheck(periods=max(0, len(boundaries) - 1))
    for b0, b1 in zip(boundaries, boundaries[1:]):
        uncovered = [b for b in (b0, b1) if b.snapshot_at is None or b.at - b.snapshot_at > coverage]
        if uncovered:
            if any(ledger.at(key, b1.at) > ledger.at(key, b0.at) for key in ledger.keys()):
                result.gaps.append(Missing("prometheus", "govcloud exporter", _span(b0.at, b1.at),
                                           WORDS("prometheus-no-snapshot",
                                                 moments=", ".join(b.at.isoformat() for b in uncovered))))
            continue                # nothing was allocated: nothing for Prometheus to vouch for
        for key in sorted(ledger.keys() | set(b0.samples) | set(b1.samples)):
            _one(result, ledger, key, b0, b1, tolerance)
    return result


def _one(result: CrossCheck, ledger: LedgerCounters, key: SeriesKey, b0: Boundary, b1: Boundary,
         tolerance: float) -> None:
    start_value, start_at = b0.samples.get(key, (0.0, b0.snapshot_at))       # absent: not allocated yet
    end = b1.samples.get(key)
    if end is None:
        if ledger.at(key, b1.snapshot_at) - ledger.at(key, start_at) > 0:    # type: ignore[arg-type]
            result.gaps.append(Missing("prometheus", "/".join(key), _span(b0.at, b1.at), WORDS("prometheus-no-series")))
        return
    end_value, end_at = end
    expected = ledger.at(key, end_at) - ledger.at(key, start_at)             # type: ignore[arg-type]
    seen = end_value - start_value
    result.compared += 1
    if expected == seen:
        return
    relative = abs(seen - expected) / abs(expected) if expected else float("inf")
    result.max_relative = max(result.max_relative, relative)
    if relative > tolerance:
        result.discrepancies.append(Discrepancy(key, start_at, end_at, seen, expected))  # type: ignore[arg-type]


def boundary(at: datetime, counters: list[tuple[dict[str, str], float]],
             stamps: list[tuple[dict[str, str], float]], snapshots: list[tuple[dict[str, str], float]]) -> Boundary:
    """A Boundary from three instant queries at `at`: the counter, timestamp(counter), the snapshot gauge."""
    times = {series_key(labels): value for labels, value in stamps}
    samples = {series_key(labels): (value, datetime.fromtimestamp(times[series_key(labels)], timezone.utc))
               for labels, value in counters if series_key(labels) in times}
    newest = max((value for _, value in snapshots), default=None)
    return Boundary(at, None if newest is None else datetime.fromtimestamp(newest, timezone.utc), samples)
