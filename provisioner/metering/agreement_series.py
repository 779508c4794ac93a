"""Series of the units' service agreements (art22) for the alerting rules and the office's dashboards.

    AgreementSeries(policies.agreements, region_of, clock, registry=registry)

Judged at the exporter's clock (GOVCLOUD_NOW in a rehearsal), like the deadline series:
which unit has an agreement in force today, how many days each one in force has left, and
which end within the office's `warn_days` with no filed renewal after them.

| series | labels | value |
|---|---|---|
| govcloud_agreement_in_force | region, department | 1 if an agreement is filed, begun and not ended today, else 0: the unit's requests are refused (art22) |
| govcloud_agreement_end_timestamp_seconds | region, department, agreement, ends | the end of the agreement's last day (23:59:59 Asia/Shanghai), Unix time, for each in force |
| govcloud_agreement_expiring | region, department, agreement, ends | 1: it ends within warn_days and no filed agreement of the unit ends later |
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from provisioner.calendar import end_of_local_day
from provisioner.policy.model import Agreements, expiring_agreements

UNIT = ["region", "department"]


class AgreementSeries(Collector):
    def __init__(self, agreements: Agreements, region_of: Callable[[str], str], today: Callable[[], date], *,
                 registry: CollectorRegistry | None) -> None:
        self._agreements, self._region_of, self._today = agreements, region_of, today
        if registry is not None:
            registry.register(self)

    def describe(self) -> Iterable[Metric]:
        return []

    def collect(self) -> Iterator[Metric]:
        today = self._today()
        in_force = GaugeMetricFamily("govcloud_agreement_in_force",
                                     "1 if the unit has a service agreement filed, begun and not ended today; "
                                     "0: its requests are refused (art22).", labels=UNIT)
        ends = GaugeMetricFamily("govcloud_agreement_end_timestamp_seconds",
                                 "The end of the last day (23:59:59 Asia/Shanghai) of an agreement in force, Unix time.",
                                 labels=[*UNIT, "agreement", "ends"])
        expiring = GaugeMetricFamily("govcloud_agreement_expiring",
                                     "1 for an agreement in force ending within the office's warn_days with no "
                                     "later filed agreement of the unit (art22).", labels=[*UNIT, "agreement", "ends"])
        units = self._agreements.units
        for department, signed in sorted(units.items()):
            unit = [self._region_of(department), department]
            current = [a for a in signed if a.in_force(today)]
            in_force.add_metric(unit, 1.0 if current else 0.0)
            for agreement in current:
                ends.add_metric([*unit, agreement.id, agreement.ends.isoformat()],
                                end_of_local_day(agreement.ends).timestamp())
        for department, agreement, _ in expiring_agreements(units, today, self._agreements.warn_days):
            # a renewal already filed (even one that begins later) ends later: nothing to warn of
            if agreement.ends == max(a.ends for a in units[department] if a.filed_on <= today):
                expiring.add_metric([self._region_of(department), department, agreement.id,
                                     agreement.ends.isoformat()], 1.0)
        yield from (in_force, ends, expiring)
