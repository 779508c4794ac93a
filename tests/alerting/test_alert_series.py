"""The series the alerting rules read, computed by the exporter at its clock: working days left to a
working-day deadline and its date, trial acceptances and holds, the audit export backlog."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.utils import floatToGoString

from provisioner.audit import log as audit_log
from provisioner.calendar import WorkCalendar, YearSchedule, end_of_local_day
from provisioner.ledger import Ledger
from provisioner.metering.alert_series import AlertSeries, working_days_between
from provisioner.metering.snapshot import Deadline, Snapshot, TrialState
from tests.alerting import scenario

# 2031: no library data; the office's recorded schedule makes Thursday 2 and Friday 3 January days off.
CALENDAR = WorkCalendar({2031: YearSchedule(2031, {date(2031, 1, 2): "元旦", date(2031, 1, 3): "元旦"},
                                            {date(2031, 1, 4): "元旦调休"})}, use_library=False)
NOW = datetime(2031, 1, 1, 2, 0, tzinfo=timezone.utc)          # Wednesday 1 January, 10:00 in Shanghai


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2031, 1, 1), date(2031, 1, 1), 0),       # due today
    (date(2031, 1, 1), date(2031, 1, 4), 1),       # Thu, Fri off; Saturday 4 is a working day
    (date(2031, 1, 1), date(2031, 1, 6), 2),       # Sunday off, Monday 6
    (date(2031, 1, 6), date(2031, 1, 1), -2),      # passed: counted back
    (date(2031, 1, 2), date(2031, 1, 3), 0),       # within the holiday
])
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(CALENDAR, start, end) == expected


def _lines(registry: CollectorRegistry) -> list[str]:
    return [line for line in generate_latest(registry).decode().splitlines() if not line.startswith("#")]


def test_deadlines_trials_and_holds_become_series() -> None:
    a, b = ("city", "jj-xzspj", "zwfw-portal"), ("lushan", "ls-wglj", "lvyou")
    snap = Snapshot(NOW, deadlines=[Deadline(a, "art15", end_of_local_day(date(2031, 1, 4)).timestamp(), False),
                                    Deadline(b, "art16-trial", end_of_local_day(date(2031, 1, 3)).timestamp(), False)],
                    trials={b: TrialState(True, False, False), ("wuning", "wn-yjglj", "yingji"): TrialState(True, True, True)})
    registry = CollectorRegistry()
    AlertSeries(lambda: snap, CALENDAR, None, registry=registry)
    assert _lines(registry) == [
        'govcloud_system_deadline_workdays_left{department="jj-xzspj",region="city",rule="art15",system="zwfw-portal"} 1.0',
        'govcloud_system_deadline_info{department="jj-xzspj",due="2031-01-04",region="city",rule="art15",system="zwfw-portal"} 1.0',
        'govcloud_system_deadline_info{department="ls-wglj",due="2031-01-03",region="lushan",rule="art16-trial",system="lvyou"} 1.0',
        'govcloud_system_trial_accepted{department="ls-wglj",party="department",region="lushan",system="lvyou"} 1.0',
        'govcloud_system_trial_accepted{department="ls-wglj",party="provider",region="lushan",system="lvyou"} 0.0',
        'govcloud_system_trial_accepted{department="wn-yjglj",party="department",region="wuning",system="yingji"} 1.0',
        'govcloud_system_trial_accepted{department="wn-yjglj",party="provider",region="wuning",system="yingji"} 1.0',
        'govcloud_system_trial_held{department="wn-yjglj",region="wuning",system="yingji"} 1.0',
    ]


def test_nothing_before_the_first_collection() -> None:
    registry = CollectorRegistry()
    AlertSeries(lambda: None, CALENDAR, None, registry=registry)
    assert _lines(registry) == []


def test_the_audit_backlog_ages_until_an_export_covers_it(tmp_path: Path) -> None:
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    registry = CollectorRegistry()
    AlertSeries(lambda: Snapshot(NOW), CALENDAR, ledger, registry=registry)
    assert _lines(registry) == ["govcloud_audit_unexported_age_seconds 0.0"]              # nothing logged yet
    with ledger.transaction() as conn:
        audit_log.append(conn, actor="test", action="command.apply", subject="x", at=NOW - timedelta(hours=40))
        audit_log.append(conn, actor="test", action="command.apply", subject="y", at=NOW - timedelta(hours=1))
    assert _lines(registry) == [f"govcloud_audit_unexported_age_seconds {40 * 3600:.1f}"]
    scenario.exported_all(ledger, NOW - timedelta(minutes=5))
    assert _lines(registry) == ["govcloud_audit_unexported_age_seconds 0.0",
                                f"govcloud_audit_last_export_timestamp_seconds {floatToGoString((NOW - timedelta(minutes=5)).timestamp())}"]
    ledger.close()
