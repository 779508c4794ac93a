"""/metrics from a snapshot: a prometheus_client Collector, and a fast renderer of the same bytes.

    registry = CollectorRegistry()
    MeteringCollector(lambda: exporter.snapshot, registry=registry)
    generate_latest(registry) == render(snapshot)        # byte for byte (tests/billing/test_exposition.py)

Label names follow sapcc/limes where they fit (`service`, `resource`), plus govcloud's own
`region`, `department`, `system`, `phase` (provisioner.program.labels). Values are in
Prometheus base units: cores, bytes, IPs, instances; resource-seconds are those units x
seconds. Samples derived from the ledger carry the snapshot's moment as their timestamp, so
each stored sample is exactly the ledger's value at that moment however late it is scraped
(provisioner.billing.crosscheck relies on it).

Why two renderers: generate_latest builds a Sample and a labels dict per series and checks
each label name; at 10,000 systems (~130,000 series) that takes seconds. `render` writes
the same text from the snapshot directly, once per collection; the Collector stays the
reference and what tests, other registries and the baseline benchmark use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector, CollectorRegistry
from prometheus_client.utils import floatToGoString

from provisioner.metering.resources import BY_KEY
from provisioner.metering.series import SeriesTable
from provisioner.metering.snapshot import Snapshot
from provisioner.regulation import TRIAL_DAYS

SYSTEM = ("region", "department", "system")
RESOURCE = (*SYSTEM, "phase", "service", "resource")
OBSERVED = (*SYSTEM, "service", "resource")

PROJECT = ("project", "region", "department")

Sample = tuple[tuple[str, ...], float]


@dataclass(frozen=True)
class Family:
    name: str                  # without _total
    doc: str
    type: str                  # gauge | counter
    labels: tuple[str, ...]
    samples: Callable[[Snapshot], Iterable[Sample]]
    stamped: bool = True       # samples carry the snapshot's moment


def _resource(values_of: Callable[[Snapshot], SeriesTable]) -> Callable[[Snapshot], Iterator[Sample]]:
    def samples(snap: Snapshot) -> Iterator[Sample]:
        for (labels, phase, kind), value in values_of(snap).sorted_items():
            k = BY_KEY[kind]
            yield (*labels, phase, k.service, k.resource), value * k.base_factor
    return samples


def _observed(index: int) -> Callable[[Snapshot], Iterator[Sample]]:
    """index 0: granted within observed windows; 1: in use."""
    def samples(snap: Snapshot) -> Iterator[Sample]:
        for labels in sorted(snap.utilisation):
            kinds = snap.utilisation[labels]
            for kind in sorted(kinds):
                k = BY_KEY[kind]
                yield (*labels, k.service, k.resource), kinds[kind][index] * k.base_factor
    return samples


def _project_amounts(values_of: Callable[[Snapshot], dict]) -> Callable[[Snapshot], Iterator[Sample]]:
    def samples(snap: Snapshot) -> Iterator[Sample]:
        for (project, region, department, kind), value in sorted(values_of(snap).items()):
            k = BY_KEY[kind]
            yield (project, region, department, k.service, k.resource), value * k.base_factor
    return samples


def _unaccounted(snap: Snapshot) -> Iterator[Sample]:
    found = snap.cloud.unaccounted if snap.cloud is not None else {}
    for key, count in sorted(found.items()):
        yield key, float(count)


def _sources(field: str) -> Callable[[Snapshot], Iterator[Sample]]:
    def samples(snap: Snapshot) -> Iterator[Sample]:
        for name, status in sorted(snap.sources.items()):
            value = getattr(status, field)
            yield (name,), float(value) if not isinstance(value, bool) else (1.0 if value else 0.0)
    return samples


FAMILIES: tuple[Family, ...] = (
    Family("govcloud_system_allocated",
           "Resources granted to a system now, from the ledger (cores, bytes, IPs, instances).",
           "gauge", RESOURCE, _resource(lambda s: s.allocated)),
    Family("govcloud_system_allocated_seconds",
           "Granted amount integrated over time since allocation (base unit x seconds), "
           "from the ledger's lifecycle events.", "counter", RESOURCE, _resource(lambda s: s.seconds)),
    Family("govcloud_system_observed_seconds",
           "Granted amount x seconds within windows observed by the utilisation source (base unit x seconds).",
           "counter", OBSERVED, _observed(0)),
    Family("govcloud_system_used_seconds",
           "Amount the utilisation source saw in use x seconds (base unit x seconds); "
           "utilisation = increase(used) / increase(observed).", "counter", OBSERVED, _observed(1)),
    Family("govcloud_system_deadline_timestamp_seconds",
           "The running deadline of a system (art15, art16, art18), Unix time; "
           "uncertain=true when computed on a guessed holiday calendar.", "gauge", (*SYSTEM, "rule", "uncertain"),
           lambda s: (((*d.labels, d.rule, "true" if d.uncertain else "false"), d.at) for d in s.deadlines)),
    Family("govcloud_system_deadline_breached", "1 for each deadline a system missed in its current state.",
           "gauge", (*SYSTEM, "rule"), lambda s: (((*labels, rule), 1.0) for labels, rule in s.breached)),
    Family("govcloud_system_trial_remaining_seconds",
           f"Time left of the free trial (art16: {TRIAL_DAYS} days + extensions; / 86400 for days); negative when held.",
           "gauge", SYSTEM, lambda s: ((labels, days * 86400) for labels, days in sorted(s.trial_days_left.items()))),
    Family("govcloud_deadlines", "Deadlines that came due, met or breached, from the ledger.", "counter",
           ("region", "department", "rule", "outcome"),
           lambda s: ((key, float(n)) for key, n in sorted(s.deadline_totals.items()))),
    Family("govcloud_project_granted",
           "Resources granted to a department's project now: its live systems' allocations summed, from the "
           "ledger (the project's quota, art15).", "gauge", (*PROJECT, "service", "resource"),
           _project_amounts(lambda s: s.project_granted)),
    Family("govcloud_project_held",
           "Resources a department's project holds in the cloud now, whoever made them: servers' vCPUs, RAM and "
           "local disk, volumes, floating IPs, database hosts, container quotas.", "gauge",
           (*PROJECT, "service", "resource"), _project_amounts(lambda s: s.cloud.held if s.cloud else {}),
           stamped=False),
    Family("govcloud_unaccounted_resources",
           "Resources in the cloud that no live ledger system accounts for (unlabelled in a department project, "
           "or labelled for a system the ledger does not hold), by kind; nothing may run unbilled (art27-28).",
           "gauge", (*PROJECT, "kind"), _unaccounted, stamped=False),
    Family("govcloud_metering_snapshot_timestamp_seconds", "Moment of the snapshot /metrics shows, Unix time.",
           "gauge", (), lambda s: [((), s.timestamp)]),
    Family("govcloud_metering_problems", "Generations whose allocation cannot be fully computed, by problem.",
           "gauge", ("problem",), lambda s: (((code,), float(n)) for code, n in sorted(s.problems.items())),
           stamped=False),
    Family("govcloud_metering_source_up", "1 if the source's last read succeeded.", "gauge", ("source",),
           _sources("up"), stamped=False),
    Family("govcloud_metering_source_last_run_timestamp_seconds", "When the source was last read, Unix time.",
           "gauge", ("source",), _sources("at"), stamped=False),
    Family("govcloud_metering_source_duration_seconds", "How long the last read took.", "gauge", ("source",),
           _sources("duration"), stamped=False),
)


class MeteringCollector(Collector):
    def __init__(self, latest: Callable[[], Snapshot | None],
                 registry: CollectorRegistry | None = REGISTRY) -> None:
        self._latest = latest
        if registry is not None:
            registry.register(self)

    def describe(self) -> Iterable[Metric]:
        return []       # names are fixed, but the snapshot may not exist at registration

    def collect(self) -> Iterator[Metric]:
        snap = self._latest()
        if snap is None:
            return
        for family in FAMILIES:
            kind = GaugeMetricFamily if family.type == "gauge" else CounterMetricFamily
            metric = kind(family.name, family.doc, labels=list(family.labels))
            ts = snap.timestamp if family.stamped else None
            for values, value in family.samples(snap):
                metric.add_metric(list(values), value, timestamp=ts)
            yield metric


# -- the fast renderer -----------------------------------------------------------------------

def _escape(value: str) -> str:
    # Label values almost never need escaping: three scans in C, no cache (an lru_cache of every
    # label value held ~0.7 MB at 10,000 systems, for months).
    if "\\" not in value and "\n" not in value and '"' not in value:
        return value
    return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")


def _lines(family: Family, snap: Snapshot) -> Iterator[str]:
    name = family.name + ("_total" if family.type == "counter" else "")
    doc = family.doc.replace("\\", r"\\").replace("\n", r"\n")
    yield f"# HELP {name} {doc}\n# TYPE {name} {family.type}\n"
    order = sorted(range(len(family.labels)), key=lambda i: family.labels[i])
    names = [family.labels[i] for i in order]
    stamp = f" {int(snap.timestamp * 1000):d}" if family.stamped else ""
    for values, value in family.samples(snap):
        labels = ",".join(f'{n}="{_escape(values[i])}"' for n, i in zip(names, order))
        yield f"{name}{{{labels}}} {floatToGoString(value)}{stamp}\n" if labels else \
            f"{name} {floatToGoString(value)}{stamp}\n"


def render(snap: Snapshot, lines_per_chunk: int = 2000) -> Iterator[bytes]:
    """The exposition text of the snapshot, in chunks, exactly as generate_latest would write it."""
    for family in FAMILIES:
        chunk: list[str] = []
        for line in _lines(family, snap):
            chunk.append(line)
            if len(chunk) >= lines_per_chunk:
                yield "".join(chunk).encode("utf-8")
                chunk = []
        if chunk:
            yield "".join(chunk).encode("utf-8")
