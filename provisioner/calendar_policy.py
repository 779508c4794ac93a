"""The office's recorded holiday schedules, policies/calendar/<year>.yaml, as typed values (pure).

When the State Council publishes next year's schedule (usually in November) before
the `chinese-calendar` package catches up, the office records it here; a recorded
year takes precedence over the package. Format (dates in ISO form):

    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知
    holidays:                 # 放假: every day off, weekends inside the break included
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
    workdays:                 # 调休上班: adjusted working days
      - {name: 春节调休, date: 2027-02-07}

The files are read by provisioner.policy (Policies.schedules, Policies.calendar):
every problem of every file at once, each at its file:line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from pydantic import BaseModel, ConfigDict, Field, model_validator

from provisioner.calendar import WorkCalendar, YearSchedule
from provisioner.policy import files
from provisioner.policy.files import Issue
from provisioner.policy.messages import WORDS

CALENDAR_FOLDER = "calendar"    # under policies/
ARTICLE = "art15"               # the first deadline counted in working days (art15, art16, art18)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Holiday(_Strict):
    name: str = Field(min_length=1)
    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> _Holiday:
        if self.last < self.first:
            raise ValueError(f"holiday {self.name}: 'to' {self.last} is before 'from' {self.first}")
        return self


class _Workday(_Strict):
    name: str = Field(min_length=1)
    date: dt.date


class YearFile(_Strict):
    year: int = Field(ge=2004, le=2200)
    source: str = Field(min_length=1, description="the State Council notice the schedule comes from")
    holidays: list[_Holiday] = Field(min_length=1)
    workdays: list[_Workday] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> YearFile:
        days_off = self.days_off()
        for item in self.workdays:
            if item.date.year != self.year:
                raise ValueError(f"workday {item.date} is not in {self.year}")
            if item.date in days_off:
                raise ValueError(f"{item.date} is both a holiday and an adjusted working day")
        for holiday in self.holidays:
            # A break may start in the previous year's last days (元旦): only its days in
            # this year belong to this file.
            if holiday.last.year < self.year or holiday.first.year > self.year:
                raise ValueError(f"holiday {holiday.name} ({holiday.first}..{holiday.last}) is not in {self.year}")
        return self

    def days_off(self) -> dict[dt.date, str]:
        days: dict[dt.date, str] = {}
        for holiday in self.holidays:
            day = holiday.first
            while day <= holiday.last:
                if day.year == self.year:
                    days[day] = holiday.name
                day += dt.timedelta(days=1)
        return days


def year_checks(stem: str) -> Callable[[YearFile], Iterator[Issue]]:
    """The file's name must be its year: policies/calendar/2027.yaml holds 2027."""
    def check(parsed: YearFile) -> Iterator[Issue]:
        if stem != str(parsed.year):
            yield Issue(("year",), "calendar-year", WORDS("calendar-year", year=parsed.year), on_key=False)
    return check


def parse_year_file(text: str, name: str) -> YearSchedule:
    """One schedule file's text (`name` under policies/, e.g. calendar/2027.yaml), or PolicyConfigError."""
    parsed = files.parse(YearFile, text, name, ARTICLE, (year_checks(name.rsplit("/", 1)[-1].removesuffix(".yaml")),))
    return YearSchedule(parsed.year, parsed.days_off(), {w.date: w.name for w in parsed.workdays}, files.shown(name))


def describe_sources(calendar: WorkCalendar, years: list[int]) -> list[tuple[int, str]]:
    """For each year, where its working days come from (for `govcloud calendar sources`)."""
    result = []
    for year in years:
        info = calendar.day(dt.date(year, 1, 1))
        source = calendar.schedules[year].source if year in calendar.schedules else info.source
        result.append((year, source))
    return result
