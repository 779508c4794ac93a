"""Series the alerting rules (deploy/prometheus/govcloud-rules.yml) need beyond the metering families.

    AlertSeries(lambda: exporter.snapshot, calendar, ledger, registry=registry)

Registered in the exporter's side registry, they are rendered with each collection, never on
a scrape. Each value is the exporter's own judgement at its clock (GOVCLOUD_NOW in a
rehearsal), so no rule compares a deadline with Prometheus' `time()`, which knows neither
the PRC working-day calendar nor govcloud's clock; the samples carry no timestamp, so
Prometheus sees them whenever it scrapes.

| series | labels | value |
|---|---|---|
| govcloud_system_deadline_workdays_left | region, department, system, rule | working days from today (Shanghai) to a working-day deadline (art15, art16-prepare, art18): 0 due today, 1 due the next working day, negative once passed |
| govcloud_system_deadline_info | region, department, system, rule, due | 1; `due` is the deadline's last day (Shanghai), the date a notice names |
| govcloud_system_trial_accepted | region, department, system, party | 1 if that party (department, provider) accepted the trial, else 0 (art16) |
| govcloud_system_trial_held | region, department, system | 1: the trial ended without both acceptances and is held, not promoted (art16) |
| govcloud_audit_unexported_age_seconds | | age of the oldest audit record no export holds yet; 0 when all are (art26) |
| govcloud_audit_last_export_timestamp_seconds | | when the last export was recorded (absent before the first) |
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from provisioner.audit import log as audit_log
from provisioner.calendar import WorkCalendar, local_date
from provisioner.errors import GovcloudError
from provisioner.ledger import Ledger
from provisioner.lifecycle.states import WORKING_DAY_RULES
from provisioner.metering.snapshot import Snapshot

SYSTEM = ["region", "department", "system"]


def working_days_between(calendar: WorkCalendar, start: date, end: date) -> int:
    """Working days in (start, end]: 0 when `end` is `start`; negative, counted back, when `end` is earlier."""
    if end < start:
        return -working_days_between(calendar, end, start)
    return sum(calendar.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


class AlertSeries(Collector):
    def __init__(self, latest: Callable[[], Snapshot | None], calendar: WorkCalendar, ledger: Ledger | None, *,
                 registry: CollectorRegistry | None) -> None:
        self._latest, self._ledger = latest, ledger
        # Thousands of systems share a few dozen (today, deadline) pairs.
        self._between = lru_cache(maxsize=4096)(lambda a, b: working_days_between(calendar, a, b))
        if registry is not None:
            registry.register(self)

    def describe(self) -> Iterable[Metric]:
        return []

    def collect(self) -> Iterator[Metric]:
        snap = self._latest()
        if snap is not None:
            yield from self._deadlines(snap)
            yield from self._trials(snap)
            yield from self._audit(snap.at)

    def _deadlines(self, snap: Snapshot) -> Iterator[Metric]:
        left = GaugeMetricFamily("govcloud_system_deadline_workdays_left",
                                 "Working days from today (Asia/Shanghai) to a running working-day deadline "
                                 "(art15, art16-prepare, art18): 0 due today, 1 the next working day, negative once passed.",
                                 labels=[*SYSTEM, "rule"])
        info = GaugeMetricFamily("govcloud_system_deadline_info",
                                 "1 for each running deadline; due is its last day (Asia/Shanghai).",
                                 labels=[*SYSTEM, "rule", "due"])
        today = local_date(snap.at)
        for deadline in snap.deadlines:
            due = local_date(datetime.fromtimestamp(deadline.at, snap.at.tzinfo))
            info.add_metric([*deadline.labels, deadline.rule, due.isoformat()], 1.0)
            if deadline.rule in WORKING_DAY_RULES:
                left.add_metric([*deadline.labels, deadline.rule], float(self._between(today, due)))
        yield left
        yield info

    def _trials(self, snap: Snapshot) -> Iterator[Metric]:
        accepted = GaugeMetricFamily("govcloud_system_trial_accepted",
                                     "1 if the party (department, provider) accepted the trial, else 0; "
                                     "both must before go-live (art16).", labels=[*SYSTEM, "party"])
        held = GaugeMetricFamily("govcloud_system_trial_held",
                                 "1 for a trial that ended without both acceptances and is held (art16).", labels=SYSTEM)
        for labels, state in sorted(snap.trials.items()):
            accepted.add_metric([*labels, "department"], float(state.department_accepted))
            accepted.add_metric([*labels, "provider"], float(state.provider_accepted))
            if state.held:
                held.add_metric(list(labels), 1.0)
        yield accepted
        yield held

    def _audit(self, now: datetime) -> Iterator[Metric]:
        if self._ledger is None:
            return
        try:
            with self._ledger.transaction() as conn:
                backlog = audit_log.export_backlog(conn)
        except GovcloudError:
            return              # the ledger's own failure is govcloud_metering_source_up{source="ledger"} 0
        oldest = backlog.oldest_unexported_at
        yield GaugeMetricFamily("govcloud_audit_unexported_age_seconds",
                                "Age of the oldest audit record no export holds yet; 0 when all are (art26).",
                                value=0.0 if oldest is None else max(0.0, (now - oldest).total_seconds()))
        if backlog.last_export_at is not None:
            yield GaugeMetricFamily("govcloud_audit_last_export_timestamp_seconds",
                                    "When the last audit export was recorded, Unix time.",
                                    value=backlog.last_export_at.timestamp())
