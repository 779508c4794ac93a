"""A ledger in which one system's deadline is near and nothing else is due, built through the real
lifecycle workflow on a fake clock, in test-only departments (never the operator's samples).

- NEAR (jj-gjtest, city): submitted so that the office's answer (art15, 3 working days) is due
  within one working day of `now`;
- FAR (jj-gjother, city): submitted at `now`: its answer is 3 working days away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from provisioner.audit import log as audit_log
from provisioner.calendar import WorkCalendar, local_date
from provisioner.ledger import Ledger, workflow
from provisioner.ledger.schema import audit_exports
from provisioner.ledger.workflow import Context
from provisioner.metering.alert_series import working_days_between
from tests.lifecycle.helpers import flavors, make_spec, rules

NEAR_DEPARTMENT, FAR_DEPARTMENT = "jj-gjtest", "jj-gjother"
NEAR_SYSTEM, FAR_SYSTEM = "gaojing-demo", "yuanqi-demo"
OWNERS_ENTRIES = (f"  {NEAR_DEPARTMENT}: {{name: 九江市告警测试局, group: \"@jiujiang-gov/{NEAR_DEPARTMENT}\", "
                  f"email: gjtest@jiujiang.example}}\n"
                  f"  {FAR_DEPARTMENT}: {{name: 九江市告警对照局, group: \"@jiujiang-gov/{FAR_DEPARTMENT}\", "
                  f"email: gjother@jiujiang.example}}\n")


@dataclass(frozen=True)
class Near:
    system_key: str
    due: date             # the art15 deadline's last day (Shanghai)


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _in(department: str, system: str, request_id: str) -> Any:
    def edit(data: dict[str, Any]) -> None:
        data["applicant"]["department"] = department
        data["applicant"]["department_name"] = "九江市告警测试局"
        data["metadata"]["system"] = system
        data["metadata"]["request_id"] = request_id
    return make_spec(request_id, system, edit=edit)


def submitted_near(calendar: WorkCalendar, now: datetime) -> datetime:
    """A moment before `now` whose art15 deadline has not passed and is at most one working day away."""
    today = local_date(now)
    for days in range(0, 15):
        moment = now - timedelta(days=days)
        due = calendar.working_deadline(moment, 3, "art15").local_date
        if due >= today and working_days_between(calendar, today, due) <= 1:
            return moment
    raise AssertionError(f"no submission day puts art15 within one working day of {now}")


def build(ledger: Ledger, calendar: WorkCalendar, now: datetime) -> Near:
    clock = _Clock(submitted_near(calendar, now))
    ctx = Context(ledger, calendar, "test:alerting", clock)
    near = workflow.submit(ctx, _in(NEAR_DEPARTMENT, NEAR_SYSTEM, "JJ-2026-0801"), rules(), flavors())
    clock.now = now
    workflow.submit(ctx, _in(FAR_DEPARTMENT, FAR_SYSTEM, "JJ-2026-0802"), rules(), flavors())
    assert near.deadline is not None
    exported_all(ledger, now)
    return Near(near.system_key, near.deadline.local_date)


def exported_all(ledger: Ledger, now: datetime) -> None:
    """Record the nightly audit export as done up to now, so only the deadline is due."""
    with ledger.transaction() as conn:
        top = audit_log.head(conn)
        conn.execute(insert(audit_exports).values(first_seq=1, last_seq=top.seq, last_hash=top.hash,
                                                  location="s3://test/audit", sha256="0" * 64, at=now))
