"""Count calendar guesses for Prometheus: every deadline computed on a year with no known schedule.

    counter = UncertainCounter(registry)
    calendar = settings.policies.calendar(on_uncertain=counter)

The metric `govcloud_calendar_uncertain_total{year="2027"}` rises each time a result had
to guess that year's working days; alert on any increase.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter


class UncertainCounter:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._counter = Counter("govcloud_calendar_uncertain", "Deadlines computed on a guessed calendar year",
                                ["year"], registry=registry)

    def __call__(self, year: int) -> None:
        self._counter.labels(year=str(year)).inc()
