"""A password or application credential against the rotation period (art12(3), `credentials.max_age_days`
of policies/inspection.yaml; pure).

The one rule the security report (checks.py: inspect-password-rotation, inspect-app-credential-rotation),
`govcloud credentials` and the exporter's credential series judge by, apart from the report's other
checks: the exporter daemon keeps what it imports for months (bench/README.md, bench_metrics.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from provisioner.inspection.facts import AppCredential
from provisioner.inspection.messages import WORDS, shown_time
from provisioner.rotation import age_days
from provisioner.words import Text


def expiry(expires: datetime | None, now: datetime, max_days: int, issued: datetime | None = None) -> Text | None:
    """Why a credential is past the rotation period: issued more than `max_days` ago (when its
    issue is known), or expiring beyond the period; None when it comes in time (or has passed)."""
    age = age_days(issued, now)
    if age is not None and age > max_days:
        return WORDS("expiry-issued", days=age)
    if expires is None:
        return WORDS("expiry-never")
    if expires - now > timedelta(days=max_days):
        return WORDS("expiry-late", day=shown_time(expires)[:10])
    return None


def credential_overdue(credential: AppCredential, now: datetime, max_days: int) -> Text | None:
    """Why an application credential is past the policy's age (`credentials.max_age_days`), or None."""
    return expiry(credential.expires_at, now, max_days, credential.issued_at)
