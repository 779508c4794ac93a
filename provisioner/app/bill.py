"""The yearly settlement per region and department (art27-30): `govcloud bill --year`.

Reads the ledger (allocation timelines, deadlines, observed utilisation) and the office's
policies (prices, evaluation inputs, the formula), settles, and with a Prometheus URL checks
the ledger's counters against Prometheus at every month boundary. What runs in the cloud
(`read_cloud`, the caller's reader, after the ledger; None: not compared) is held against the
ledger's systems: a resource no live system accounts for keeps the year from being settled
(art27-28).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from provisioner.settings import Settings

if TYPE_CHECKING:       # imported where used: the CLI's `--help` loads no SQLAlchemy and no billing models
    from provisioner.billing import crosscheck, unaccounted
    from provisioner.billing.policy import SettlementPolicy
    from provisioner.billing.settlement import Settlement
    from provisioner.metering import inventory


@dataclass(frozen=True)
class Billed:
    settlement: Settlement
    policy: SettlementPolicy
    checked: crosscheck.CrossCheck | None       # against Prometheus, when a URL was given
    found: unaccounted.CloudCheck | None        # against the cloud, when it was read

    @property
    def stopped(self) -> bool:
        """Something missing or in disagreement: no amount may be stated."""
        return not self.settlement.complete or (self.checked is not None and not self.checked.agrees)


def boundary_moments(year: int, now: datetime) -> list[datetime]:
    """Each month start of the year that has passed, and the year's end or now."""
    from provisioner.billing.usage import months_of
    from provisioner.metering.utilisation import month_start

    starts = [month_start(m) for m in months_of(year)]
    end = month_start(months_of(year + 1)[0])
    return [m for m in starts if m <= now] + [min(end, now)]


def bill(settings: Settings, year: int, now: datetime, read_cloud: Callable[[], inventory.Inventory | None],
         prometheus_url: str | None) -> Billed:
    from provisioner.billing import crosscheck, promql, sources, unaccounted
    from provisioner.billing.settlement import settle
    from provisioner.ledger import Ledger
    from provisioner.ledger.metering_schema import migrate_metering

    ledger = Ledger.open(settings.ledger_url)
    try:
        migrate_metering(ledger.engine)
        inputs = sources.inputs(ledger, settings.policies, year, now)
        systems = sources.system_states(ledger)
    finally:
        ledger.close()
    cloud = read_cloud()
    found = unaccounted.check(cloud, systems) if cloud is not None else None
    settlement = settle(inputs)
    checked = None
    if prometheus_url:
        tolerance = inputs.policy.crosscheck
        checked = crosscheck.compare(crosscheck.LedgerCounters(inputs.timelines),
                                     promql.boundaries(promql.Prometheus(prometheus_url), boundary_moments(year, now)),
                                     float(tolerance.tolerance), timedelta(seconds=tolerance.coverage_seconds))
    return Billed(settlement, inputs.policy, checked, found)


def report_files(billed: Billed, year: int, lang: str) -> dict[str, str]:
    """The report and the CSV files for finance, by file name; with a "not settled" section and
    the unaccounted resources' file when the cloud holds what no system accounts for."""
    from provisioner.billing import report, unaccounted

    settlement, policy = billed.settlement, billed.policy
    marks = [(float(b.at_least), f"≥{b.at_least} ×{b.factor}") for b in policy.utilisation.factors if b.at_least > 0]
    html = report.html(settlement, lang, billed.checked, marks)
    unsettled = billed.found.unaccounted if billed.found is not None else []
    files = {"report.html": unaccounted.mark_not_settled(html, unsettled, lang) if unsettled else html,
             f"settlement-{year}-departments.csv": report.csv_departments(settlement, lang),
             f"settlement-{year}-systems.csv": report.csv_systems(settlement, lang),
             f"settlement-{year}-lines.csv": report.csv_lines(settlement, lang)}
    if unsettled:
        files[f"settlement-{year}-unaccounted.csv"] = unaccounted.csv_unaccounted(unsettled, lang)
    return files
