"""PRC working days and the counting conventions of rules.md, on real 2026 dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from provisioner.calendar import (
    SHANGHAI, WorkCalendar, add_months_clamped, legacy_retention, log_deletable, log_deletable_from,
)
from provisioner.calendar_metrics import UncertainCounter
from provisioner.calendar_policy import parse_year_file
from provisioner.errors import SpecError
from provisioner.policy import Policies

ROOT = Path(__file__).resolve().parents[2]

# A schedule for 2027 made up for the tests (the real one is recorded when published).
TEST_2027 = """\
year: 2027
source: test fixture, not the State Council's notice
holidays:
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
  - {name: 春节, from: 2027-02-06, to: 2027-02-14}
workdays:
  - {name: 春节调休, date: 2027-01-30}
  - {name: 春节调休, date: 2027-02-20}
"""


@pytest.fixture(scope="module")
def library() -> WorkCalendar:
    return WorkCalendar({})


@pytest.fixture(scope="module")
def with_2027() -> WorkCalendar:
    return WorkCalendar({2027: parse_year_file(TEST_2027, "calendar/2027.yaml")})


WORKING_DAY_CASES = [
    # (event day, N, the Nth working day after it, why)
    ("2026-03-02", 3, "2026-03-05", "an ordinary week"),
    ("2026-03-06", 1, "2026-03-09", "Friday: the weekend is skipped"),
    ("2026-02-12", 3, "2026-02-24", "Spring Festival: Sat 02-14 is worked, 02-15..23 off"),
    ("2026-02-13", 1, "2026-02-14", "adjusted working Saturday before the Spring Festival"),
    ("2026-02-27", 1, "2026-02-28", "adjusted working Saturday after the Spring Festival"),
    ("2026-02-27", 2, "2026-03-02", "then Monday"),
    ("2026-02-16", 1, "2026-02-24", "an event on a holiday: the first working day after the break"),
    ("2026-04-30", 3, "2026-05-08", "Labour Day 05-01..05"),
    ("2026-04-30", 4, "2026-05-09", "adjusted working Saturday 05-09"),
    ("2026-09-18", 1, "2026-09-20", "adjusted working Sunday 09-20 before National Day"),
    ("2026-09-24", 3, "2026-09-30", "Mid-Autumn 09-25..27"),
    ("2026-09-30", 3, "2026-10-10", "National Day 10-01..07, then Thu, Fri and the worked Saturday 10-10"),
    ("2026-10-03", 1, "2026-10-08", "an event inside National Day"),
    ("2026-10-09", 2, "2026-10-12", "worked Saturday 10-10, then Monday"),
    ("2025-12-31", 2, "2026-01-05", "New Year 01-01..03, worked Sunday 01-04"),
    ("2026-12-29", 2, "2026-12-31", "the year end itself is certain"),
]


@pytest.mark.parametrize(("event", "count", "expected", "why"), WORKING_DAY_CASES)
def test_working_day_deadlines_2026(library: WorkCalendar, event: str, count: int, expected: str, why: str) -> None:
    result = library.working_deadline(date.fromisoformat(event), count, "art15")
    assert result.local_date == date.fromisoformat(expected), why
    assert not result.uncertain
    assert result.at == datetime.fromisoformat(f"{expected}T23:59:59+08:00")
    assert result.at.tzinfo == timezone.utc


def test_event_time_is_taken_in_shanghai(library: WorkCalendar) -> None:
    # 17:30 UTC on Monday 03-02 is 01:30 on Tuesday 03-03 in Shanghai: day D is the Tuesday.
    result = library.working_deadline(datetime(2026, 3, 2, 17, 30, tzinfo=timezone.utc), 3, "art15")
    assert result.local_date == date(2026, 3, 6)
    assert result.at == datetime(2026, 3, 6, 15, 59, 59, tzinfo=timezone.utc)


def test_deadline_passes_at_midnight_after_the_last_day(library: WorkCalendar) -> None:
    result = library.working_deadline(date(2026, 3, 2), 3, "art15")
    last_second = datetime(2026, 3, 5, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert not result.passed(last_second)
    assert result.passed(last_second + timedelta(microseconds=1))


def test_naive_datetimes_are_refused(library: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="naive"):
        library.working_deadline(datetime(2026, 3, 2, 9, 0), 3, "art15")


def test_year_end_without_a_2027_schedule_is_uncertain_and_counted(library: WorkCalendar) -> None:
    registry = CollectorRegistry()
    counted = WorkCalendar({}, on_uncertain=UncertainCounter(registry))
    result = counted.working_deadline(date(2026, 12, 29), 3, "art15")
    # 2027-01-01 is a Friday; with no schedule it is guessed a working day, and said to be a guess.
    assert result.local_date == date(2027, 1, 1)
    assert result.uncertain and result.uncertain_years == (2027,)
    assert "2027" in result.warning("zh") and "不确定" in result.warning("zh")
    assert "UNCERTAIN" in result.warning("en")
    assert registry.get_sample_value("govcloud_calendar_uncertain_total", {"year": "2027"}) == 1.0
    counted.working_deadline(date(2026, 12, 30), 3, "art15")
    assert registry.get_sample_value("govcloud_calendar_uncertain_total", {"year": "2027"}) == 2.0
    counted.working_deadline(date(2026, 12, 28), 3, "art15")   # ends 12-31: no guess, no count
    assert registry.get_sample_value("govcloud_calendar_uncertain_total", {"year": "2027"}) == 2.0


def test_year_end_with_a_recorded_2027_schedule(with_2027: WorkCalendar) -> None:
    result = with_2027.working_deadline(date(2026, 12, 29), 3, "art15")
    assert result.local_date == date(2027, 1, 4)       # 01-01..03 off per the recorded schedule
    assert not result.uncertain


@pytest.mark.parametrize(("event", "count", "expected"), [
    ("2027-01-29", 1, "2027-01-30"),    # recorded adjusted working Saturday
    ("2027-02-05", 1, "2027-02-15"),    # the recorded Spring Festival break
    ("2027-02-19", 1, "2027-02-20"),
])
def test_recorded_schedule_drives_2027(with_2027: WorkCalendar, event: str, count: int, expected: str) -> None:
    result = with_2027.working_deadline(date.fromisoformat(event), count, "art18")
    assert (result.local_date, result.uncertain) == (date.fromisoformat(expected), False)


def test_recorded_schedule_takes_precedence_over_the_library() -> None:
    changed = TEST_2027.replace("2027", "2026").replace("2026-01-01, to: 2026-01-03", "2026-03-03, to: 2026-03-03")
    calendar = WorkCalendar({2026: parse_year_file(changed, "calendar/2026.yaml")})
    assert calendar.working_deadline(date(2026, 3, 2), 3, "art15").local_date == date(2026, 3, 6)
    assert calendar.day(date(2026, 3, 3)).source == "policy"


def test_shipped_2026_schedule_agrees_with_the_library_every_day(library: WorkCalendar) -> None:
    recorded = WorkCalendar(Policies(ROOT).schedules)
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert recorded.day(day).source == "policy"
        assert recorded.is_working_day(day) == library.is_working_day(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize(("text", "shown", "code", "line"), [
    (TEST_2027, "policies/calendar/2028.yaml", "calendar-year", 1),
    (TEST_2027.replace("2027-01-30", "2027-01-02"), "policies/calendar/2027.yaml", "policy-config-invalid", 1),
    (TEST_2027 + "extra: 1\n", "policies/calendar/2027.yaml", "policy-config-invalid", 9),
    # the holiday itself (its line), not the list holding it
    (TEST_2027.replace("from: 2027-02-06", "from: 2027-02-16"), "policies/calendar/2027.yaml", "policy-config-invalid", 5),
    ("year: 2027\nholidays: [\n", "policies/calendar/2027.yaml", "yaml-syntax", 3),
])
def test_bad_schedule_files_are_reported_with_file_and_line(text: str, shown: str, code: str, line: int) -> None:
    with pytest.raises(SpecError) as caught:
        parse_year_file(text, shown.removeprefix("policies/"))
    problem = caught.value.problems[0]
    assert (problem.code, problem.location.path, problem.location.line) == (code, shown, line)


@pytest.mark.parametrize(("start", "extension", "expected"), [
    ("2026-02-10", 0, "2026-02-25"),
    ("2026-02-10", 5, "2026-03-02"),
    ("2026-12-20", 0, "2027-01-04"),    # calendar days: certain whatever 2027's holidays
    ("2026-09-30T16:30:00+00:00", 0, "2026-10-16"),   # 10-01 00:30 in Shanghai
])
def test_trial_end(library: WorkCalendar, start: str, extension: int, expected: str) -> None:
    moment = datetime.fromisoformat(start) if "T" in start else date.fromisoformat(start)
    result = library.trial_end(moment, extension)
    assert (result.local_date, result.uncertain, result.rule) == (date.fromisoformat(expected), False, "art16")


@pytest.mark.parametrize(("go_live", "expected"), [
    ("2026-12-31", "2027-02-28"),
    ("2027-12-31", "2028-02-29"),
    ("2026-08-31", "2026-10-31"),
    ("2026-03-15", "2026-05-15"),
    ("2026-11-30", "2027-01-30"),
])
def test_legacy_retention_two_months_clamped(go_live: str, expected: str) -> None:
    assert legacy_retention(date.fromisoformat(go_live)).local_date == date.fromisoformat(expected)


def test_add_months_clamped_backwards() -> None:
    assert add_months_clamped(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_log_retention_one_calendar_year() -> None:
    written = datetime(2025, 3, 15, 2, 0, tzinfo=timezone.utc)
    assert log_deletable_from(written) == datetime(2026, 3, 15, 2, 0, tzinfo=timezone.utc)
    assert not log_deletable(written, datetime(2026, 3, 15, 1, 59, 59, tzinfo=timezone.utc))
    assert log_deletable(written, datetime(2026, 3, 15, 2, 0, tzinfo=timezone.utc))
    leap = datetime(2024, 2, 29, 4, 0, tzinfo=SHANGHAI)
    assert log_deletable_from(leap) == datetime(2025, 3, 1, 4, 0, tzinfo=SHANGHAI)


def test_working_days_out_of_range_are_refused(library: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        library.working_deadline(date(2026, 3, 2), 0, "art15")
