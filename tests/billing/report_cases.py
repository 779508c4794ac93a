"""Settlements the report tests render: small enough to read, each showing one thing that went wrong.

- `small`: four systems (one still in trial, three in production), three deadlines met and one
  breached in the city: money above a thousand, a count axis up to 3;
- `trial_only`: one system in trial since December: nothing to bill, so the usage and
  utilisation charts are empty and must say why;
- `december_only`: one system whose only production month is December (built directly).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from provisioner.billing import sources
from provisioner.billing.evaluation import RegionScore
from provisioner.billing.settlement import DepartmentBill, RegionBill, Settlement, SystemBill, settle
from provisioner.policy import Policies
from provisioner.ledger import Ledger
from provisioner.ledger.metering_schema import migrate_metering
from tests.billing import synthetic
from tests.billing.conftest import ROOT

AFTER_THE_YEAR = datetime(2027, 1, 5, tzinfo=timezone.utc)


def synthetic_settlement(folder: Path, systems: int, now: datetime = AFTER_THE_YEAR) -> Settlement:
    ledger = Ledger.open(f"sqlite:///{folder / f'ledger-{systems}.sqlite3'}")
    try:
        migrate_metering(ledger.engine)
        synthetic.fill(ledger, systems, 2026, now)
        synthetic.fill_utilisation(ledger, 2026, now)
        found = settle(sources.inputs(ledger, Policies(ROOT), 2026, now))
    finally:
        ledger.close()
    assert found.complete, found.missing
    return found


def small(folder: Path) -> Settlement:
    return synthetic_settlement(folder, 4)


def trial_only(folder: Path) -> Settlement:
    return synthetic_settlement(folder, 1)


def december_only() -> Settlement:
    cost = Fraction("1587.5348")
    bill = SystemBill("city.jj-xzspj.zwfw-portal", "city", "jj-xzspj", "zwfw-portal", "政务服务网上办事大厅",
                      cost=cost, cost_by_month={date(2026, 12, 1): cost}, cost_by_kind={"compute/cores": cost},
                      utilisation=Fraction(3, 5), fee=Decimal("1587.53"))
    score = RegionScore("city", 3, 0, Fraction(100), Fraction(90), Fraction(95), Fraction(9550, 100), Decimal("1.00"),
                        "2026 年度测评")
    department = DepartmentBill("city", "jj-xzspj", "九江市行政审批局", [bill])
    return Settlement(2026, [RegionBill("city", score, [department])], [])
