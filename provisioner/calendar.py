"""PRC working days and the regulation's deadlines, computed in Asia/Shanghai (pure).

Which days are working days, in order of precedence:
  1. a year schedule the information office recorded under policies/calendar/<year>.yaml
     (`YearSchedule`, loaded by provisioner.calendar_policy and passed in);
  2. the `chinese-calendar` package, which knows 2004 through its last release's year;
  3. neither: Monday to Friday is *guessed* and every result built on the guess is
     marked `uncertain` with the years guessed, and `on_uncertain` is called so a
     metric can count it. A guess is never silent.

Counting conventions (docs/rules.md, "Working days"):
  - "within N working days" of day D: D is not counted; the deadline is the end
    (23:59:59 Asia/Shanghai) of the Nth working day after D;
  - the trial ends at the end of calendar day start + 15 (+ approved extension days);
  - "at least two months" after go-live on D: the same day number two calendar months
    later, clamped to that month's last day;
  - logs: nothing younger than one calendar year may be deleted.
Results are timezone-aware UTC datetimes; local dates are kept beside them for display.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from provisioner.messages import WORDS
from provisioner.regulation import LEGACY_KEPT, LOGS_KEPT, TRIAL_DAYS

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)
_MAX_WORKING_DAYS = 366  # a deadline further than a year of working days is an input error

SOURCE_POLICY = "policy"
SOURCE_LIBRARY = "chinese-calendar"
SOURCE_GUESS = "weekday-guess"


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule as published by the State Council (and recorded by the office)."""

    year: int
    holidays: Mapping[date, str]   # days off (放假), with the holiday's name
    workdays: Mapping[date, str]   # adjusted working days (调休上班), usually weekends
    source: str = ""               # where it was recorded, e.g. policies/calendar/2027.yaml

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    source: str          # SOURCE_POLICY, SOURCE_LIBRARY or SOURCE_GUESS
    name: str | None = None

    @property
    def certain(self) -> bool:
        return self.source != SOURCE_GUESS


@dataclass(frozen=True)
class Deadline:
    """A moment by which something must be done, and how sure the calendar is of it."""

    rule: str                      # the article it implements, e.g. "art15"
    local_date: date               # the last day, in Asia/Shanghai
    at: datetime                   # the end of that day (23:59:59 Shanghai), tz-aware UTC
    uncertain_years: tuple[int, ...] = ()

    @property
    def uncertain(self) -> bool:
        return bool(self.uncertain_years)

    def passed(self, now: datetime) -> bool:
        """True once the whole last day is over (from 00:00:00 the next day, Shanghai)."""
        return now >= self.at + timedelta(seconds=1)

    def warning(self, lang: str = "zh") -> str | None:
        return uncertain_warning(self.uncertain_years, lang) if self.uncertain else None


def uncertain_warning(years: tuple[int, ...] | list[int], lang: str = "zh") -> str:
    return WORDS.say("holidays-unknown", lang, years=", ".join(str(y) for y in years), first=years[0])


def local_date(moment: datetime | date) -> date:
    """The Asia/Shanghai calendar day of a moment (a date is taken as already local)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError(f"naive datetime {moment.isoformat()}: govcloud only handles tz-aware times")
        return moment.astimezone(SHANGHAI).date()
    return moment


def end_of_local_day(day: date) -> datetime:
    """23:59:59 Asia/Shanghai on `day`, as tz-aware UTC."""
    return datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI).astimezone(timezone.utc)


def start_of_local_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(timezone.utc)


@dataclass
class WorkCalendar:
    """Working days from the office's schedules, then the library, then a flagged guess."""

    schedules: Mapping[int, YearSchedule] = field(default_factory=dict)
    use_library: bool = True
    on_uncertain: Callable[[int], None] | None = None   # called with each guessed year, per result

    def __post_init__(self) -> None:
        # Day lookups dominate reconcile; the calendar's data never changes after construction.
        self._day = lru_cache(maxsize=8192)(self._compute_day)

    def day(self, day: date) -> DayInfo:
        return self._day(day)

    def _compute_day(self, day: date) -> DayInfo:
        schedule = self.schedules.get(day.year)
        if schedule is not None:
            name = schedule.workdays.get(day) or schedule.holidays.get(day)
            return DayInfo(day, schedule.is_working_day(day), SOURCE_POLICY, name)
        if self.use_library:
            try:
                working = chinese_calendar.is_workday(day)
            except NotImplementedError:
                pass
            else:
                _, name = chinese_calendar.get_holiday_detail(day)
                return DayInfo(day, working, SOURCE_LIBRARY, name)
        return DayInfo(day, day.weekday() < 5, SOURCE_GUESS)

    def is_working_day(self, day: date) -> bool:
        return self.day(day).working

    def add_working_days(self, start: date, count: int) -> tuple[date, tuple[int, ...]]:
        """The `count`th working day after `start` (start not counted), and the years guessed."""
        if not 1 <= count <= _MAX_WORKING_DAYS:
            raise ValueError(WORDS("calendar-working-days", most=_MAX_WORKING_DAYS, count=count))
        day, found, guessed = start, 0, set()
        while found < count:
            day += timedelta(days=1)
            info = self.day(day)
            if not info.certain:
                guessed.add(day.year)
            found += info.working
        return day, tuple(sorted(guessed))

    def working_deadline(self, event_at: datetime | date, working_days: int, rule: str) -> Deadline:
        """"Within N working days" of an event: end of the Nth working day after its local day."""
        last, guessed = self.add_working_days(local_date(event_at), working_days)
        return self._deadline(rule, last, guessed)

    def trial_end(self, start: datetime | date, extension_days: int = 0, rule: str = "art16",
                  days: int = TRIAL_DAYS) -> Deadline:
        """End of calendar day start + `days` (the spec's trial.days, 15 by default) + approved
        extension days (calendar days: always certain)."""
        if extension_days < 0 or days < 1:
            raise ValueError(WORDS("calendar-trial-days", days=days, extension=extension_days))
        last = local_date(start) + timedelta(days=days + extension_days)
        return Deadline(rule, last, end_of_local_day(last))

    def _deadline(self, rule: str, last: date, guessed: tuple[int, ...]) -> Deadline:
        if guessed and self.on_uncertain is not None:
            for year in guessed:
                self.on_uncertain(year)
        return Deadline(rule, last, end_of_local_day(last), guessed)


def add_months_clamped(day: date, months: int) -> date:
    """The same day number `months` later, clamped to that month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def legacy_retention(go_live: datetime | date) -> Deadline:
    """art23: keep the original system at least two months after go-live (2026-12-31 -> 2027-02-28)."""
    last = add_months_clamped(local_date(go_live), LEGACY_KEPT.count)
    return Deadline(LEGACY_KEPT.article, last, end_of_local_day(last))


def log_deletable_from(record_at: datetime) -> datetime:
    """art26: the first moment a log record written at `record_at` is one calendar year old.

    Computed on the Shanghai wall clock; a record of 29 February becomes deletable on
    1 March of the next year (never before a full year has passed). Returns UTC.
    """
    local = record_at.astimezone(SHANGHAI)
    try:
        anniversary = local.replace(year=local.year + LOGS_KEPT.count)
    except ValueError:   # 29 February
        anniversary = datetime.combine(date(local.year + LOGS_KEPT.count, 3, 1), local.timetz())
    return anniversary.astimezone(timezone.utc)


def log_deletable(record_at: datetime, now: datetime) -> bool:
    return now >= log_deletable_from(record_at)
