"""Read the office's recorded holiday schedules, policies/calendar/<year>.yaml (I/O edge).

When the State Council publishes next year's schedule (usually in November) before
the `chinese-calendar` package catches up, the office records it here; a recorded
year takes precedence over the package. Format (dates in ISO form):

    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知
    holidays:                 # 放假: every day off, weekends inside the break included
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
    workdays:                 # 调休上班: adjusted working days
      - {name: 春节调休, date: 2027-02-07}

Every problem of every file is reported at once, as a SpecError with file:line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from provisioner.calendar import WorkCalendar, YearSchedule
from provisioner.errors import Location, Problem, SpecError

CALENDAR_DIR = Path("policies") / "calendar"


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


class _YearFile(_Strict):
    year: int = Field(ge=2004, le=2200)
    source: str = Field(min_length=1, description="the State Council notice the schedule comes from")
    holidays: list[_Holiday] = Field(min_length=1)
    workdays: list[_Workday] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> _YearFile:
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


def _line_of_key(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(f"{key}:") or line.lstrip().startswith(f"- {key}:"):
            return number
    return 1


def _problem(shown: str, line: int, code: str, zh: str, en: str) -> Problem:
    return Problem(location=Location(shown, line, 1), code=code, message=zh, message_en=en)


def parse_year_file(text: str, shown: str) -> YearSchedule:
    """Parse one schedule file; `shown` is its path in messages; the file name must be <year>.yaml."""
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 1
        raise SpecError([_problem(shown, line, "calendar-yaml", f"YAML 语法错误：{exc.problem or exc}",
                                  f"YAML syntax: {exc.problem or exc}")]) from exc
    try:
        parsed = _YearFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(file)"
            line = _line_of_key(text, str(err["loc"][0])) if err["loc"] else 1
            problems.append(_problem(shown, line, "calendar-field", f"{where}：节假日安排有误：{err['msg']}",
                                     f"{where}: {err['msg']}"))
        raise SpecError(problems) from exc
    if Path(shown).stem != str(parsed.year):
        raise SpecError([_problem(shown, _line_of_key(text, "year"), "calendar-year",
                                  f"文件内容为 {parsed.year} 年，文件名应为 {parsed.year}.yaml",
                                  f"file holds year {parsed.year}: name it {parsed.year}.yaml")])
    return YearSchedule(parsed.year, parsed.days_off(), {w.date: w.name for w in parsed.workdays}, shown)


def load_schedules(root: Path) -> dict[int, YearSchedule]:
    """Every policies/calendar/<year>.yaml under the repository root `root`."""
    folder = root / CALENDAR_DIR
    schedules, problems = {}, []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        shown = str(CALENDAR_DIR / path.name)
        try:
            schedule = parse_year_file(path.read_text(encoding="utf-8"), shown)
        except SpecError as exc:
            problems.extend(exc.problems)
            continue
        schedules[schedule.year] = schedule
    if problems:
        raise SpecError(problems)
    return schedules


def load_calendar(root: Path, on_uncertain: Callable[[int], None] | None = None) -> WorkCalendar:
    return WorkCalendar(load_schedules(root), on_uncertain=on_uncertain)


def describe_sources(calendar: WorkCalendar, years: list[int]) -> list[tuple[int, str]]:
    """For each year, where its working days come from (for `govcloud calendar sources`)."""
    result = []
    for year in years:
        info = calendar.day(dt.date(year, 1, 1))
        source = calendar.schedules[year].source if year in calendar.schedules else info.source
        result.append((year, source))
    return result
