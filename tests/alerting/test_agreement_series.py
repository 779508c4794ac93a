"""The agreement series (art22) as the exporter writes them, judged at its clock."""

from __future__ import annotations

from datetime import date

from prometheus_client import CollectorRegistry, generate_latest

from provisioner.metering.agreement_series import AgreementSeries
from provisioner.policy.model import Agreements
from tests.policy.test_agreements import _agreement


def _series(units: dict, today: date) -> list[str]:
    registry = CollectorRegistry()
    agreements = Agreements.model_construct(version=1, warn_days=30, units=units, rules={})
    AgreementSeries(agreements, lambda code: {"jj": "city", "dc": "duchang"}[code[:2]], lambda: today,
                    registry=registry)
    return [line for line in generate_latest(registry).decode().splitlines() if not line.startswith("#")]


def test_in_force_end_and_expiring_per_unit() -> None:
    units = {"jj-xzspj": [_agreement(ends="2026-12-20", number="JJXZSPJ-FW-2026-01")],
             "dc-scjgj": [_agreement(ends="2026-11-30", number="DCSCJGJ-FW-2025-01")]}
    assert _series(units, date(2026, 12, 1)) == [
        'govcloud_agreement_in_force{department="dc-scjgj",region="duchang"} 0.0',
        'govcloud_agreement_in_force{department="jj-xzspj",region="city"} 1.0',
        'govcloud_agreement_end_timestamp_seconds{agreement="JJXZSPJ-FW-2026-01",department="jj-xzspj",'
        'ends="2026-12-20",region="city"} 1.797782399e+09',
        'govcloud_agreement_expiring{agreement="JJXZSPJ-FW-2026-01",department="jj-xzspj",ends="2026-12-20",'
        'region="city"} 1.0',
    ]


def test_a_filed_renewal_that_begins_later_silences_the_warning() -> None:
    units = {"jj-xzspj": [_agreement(ends="2026-12-20", number="JJXZSPJ-FW-2026-01"),
                          _agreement(starts="2026-12-21", ends="2029-12-20", filed="2026-11-25",
                                     number="JJXZSPJ-FW-2026-02")]}
    lines = _series(units, date(2026, 12, 1))
    assert not [line for line in lines if line.startswith("govcloud_agreement_expiring")]
    assert 'govcloud_agreement_in_force{department="jj-xzspj",region="city"} 1.0' in lines
