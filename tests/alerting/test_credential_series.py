"""The credential series (art12) as the exporter writes them, judged at its clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from prometheus_client import CollectorRegistry, generate_latest

from provisioner.inspection.facts import Account, AppCredential
from provisioner.metering.credential_series import CredentialSeries
from provisioner.policy.model import Credentials

NOW = datetime(2026, 12, 5, 13, 36, tzinfo=timezone.utc)
POLICY = Credentials(max_age_days=90, expires_days=90, overlap_days=7)


def _series(read) -> list[str]:  # noqa: ANN001
    registry = CollectorRegistry()
    CredentialSeries(read, POLICY, lambda: NOW, registry=registry)
    return [line for line in generate_latest(registry).decode().splitlines() if not line.startswith("#")]


def _stamp(days: int) -> str:
    return "govcloud-stacks-" + (NOW - timedelta(days=days)).strftime("%Y%m%dT%H%M%SZ")


def test_age_and_overdue_per_credential() -> None:
    account = Account("city", "jj-xzspj", "p1", "city-jj-xzspj", "jj-xzspj",
                      app_credentials=(AppCredential("own1", "ci", NOW + timedelta(days=30)),),
                      stacks_user="jj-xzspj.stacks",
                      stacks_credentials=(AppCredential("old1", "govcloud-stacks", None),
                                          AppCredential("new1", _stamp(3), NOW + timedelta(days=87)),
                                          AppCredential("late1", _stamp(95), NOW + timedelta(days=1))))
    lines = _series(lambda: [account])
    unit = 'department="jj-xzspj"'
    assert [line for line in lines if line.startswith("govcloud_credential_age_seconds")] == [
        f'govcloud_credential_age_seconds{{credential="{_stamp(3)}",{unit},id="new1",region="city",'
        f'user="jj-xzspj.stacks"}} 259200.0',
        f'govcloud_credential_age_seconds{{credential="{_stamp(95)}",{unit},id="late1",region="city",'
        f'user="jj-xzspj.stacks"}} 8.208e+06']
    overdue = {line.split('id="')[1].split('"')[0]: line.rsplit(" ", 1)[1]
               for line in lines if line.startswith("govcloud_credential_overdue")}
    assert overdue == {"own1": "0.0", "old1": "1.0", "new1": "0.0", "late1": "1.0"}
    assert "govcloud_credential_max_age_seconds 7.776e+06" in lines and "govcloud_credential_read_up 1.0" in lines


def test_a_cloud_that_fails_is_a_series_at_zero_and_none_read_exports_empty_families() -> None:
    def down() -> list:
        raise RuntimeError("keystone down")
    assert "govcloud_credential_read_up 0.0" in _series(down)
    assert _series(None) == ["govcloud_credential_max_age_seconds 7.776e+06"]
