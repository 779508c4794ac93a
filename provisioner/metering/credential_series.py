"""Series of the departments' application credentials (art12(3)) for the alerting rules.

    CredentialSeries(read, policies.inspection.credentials, clock, registry=registry)

`read` lists every department's accounts (provisioner/cloud/inventory.py read_accounts, as the
operator), or is None when the exporter reads nothing of the cloud (`--inventory none`): the
families are then exported empty. Judged at the exporter's clock with the security report's
own rule (inspect-app-credential-rotation, `credentials.max_age_days`).

| series | labels | value |
|---|---|---|
| govcloud_credential_age_seconds | region, department, user, credential, id | seconds since govcloud issued it (rotation names carry the moment; none for a credential of unknown age) |
| govcloud_credential_overdue | region, department, user, credential, id | 1: past the policy's age (issued longer ago than max_age_days, or expiring beyond it, or never) |
| govcloud_credential_max_age_seconds | | the policy's max_age_days, in seconds |
| govcloud_credential_read_up | | 1 if the accounts could be read at the last collection, else 0 |
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from provisioner.inspection.expiry import credential_overdue
from provisioner.inspection.facts import Account
from provisioner.policy.model import Credentials

DAY = 86400
LABELS = ["region", "department", "user", "credential", "id"]
log = logging.getLogger(__name__)


class CredentialSeries(Collector):
    def __init__(self, read: Callable[[], list[Account]] | None, policy: Credentials, now: Callable[[], datetime],
                 *, registry: CollectorRegistry | None) -> None:
        self._read, self._policy, self._now = read, policy, now
        if registry is not None:
            registry.register(self)

    def describe(self) -> Iterable[Metric]:
        return []

    def collect(self) -> Iterator[Metric]:
        age = GaugeMetricFamily("govcloud_credential_age_seconds",
                                "Seconds since govcloud issued the application credential (art12).", labels=LABELS)
        overdue = GaugeMetricFamily("govcloud_credential_overdue",
                                    "1 if the application credential is past the policy's age: issued longer ago "
                                    "than credentials.max_age_days, or expiring beyond it, or never (art12).",
                                    labels=LABELS)
        limit = GaugeMetricFamily("govcloud_credential_max_age_seconds",
                                  "Credentials are rotated at least this often (policies/inspection.yaml, art12).")
        limit.add_metric([], float(self._policy.max_age_days * DAY))
        up = GaugeMetricFamily("govcloud_credential_read_up",
                               "1 if the departments' accounts could be read at the last collection.")
        accounts: list[Account] = []
        if self._read is not None:
            try:
                accounts = self._read()
            except Exception as exc:  # noqa: BLE001 - a cloud that failed is a series at 0, not a failed scrape
                log.warning("cannot read the departments' credentials: %s", exc)
                up.add_metric([], 0.0)
            else:
                up.add_metric([], 1.0)
        now = self._now()
        for account in accounts:
            owned = [(account.user, c) for c in account.app_credentials]
            owned += [(account.stacks_user, c) for c in account.stacks_credentials]
            for user, credential in owned:
                labels = [account.region, account.department, user or "", credential.name, credential.id]
                if credential.issued_at is not None:
                    age.add_metric(labels, (now - credential.issued_at).total_seconds())
                late = credential_overdue(credential, now, self._policy.max_age_days) is not None
                overdue.add_metric(labels, 1.0 if late else 0.0)
        yield from (age, overdue, limit, up)
