"""Usage of a settlement year, cut into pieces that each have one month and one price (pure).

A timeline's segments (provisioner.metering.timeline) are clipped to the year and cut at
every Asia/Shanghai month start and every day a rate starts or ends, so each piece lies in
one calendar month and under one rate. Pro rata is then exact: a system that started,
changed or ended mid-year has pieces for exactly the time it held each amount.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from fractions import Fraction

from provisioner.calendar import SHANGHAI
from provisioner.metering.timeline import Timeline, seconds_between
from provisioner.metering.utilisation import month_of, month_start, next_month


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return local_midnight(date(year, 1, 1)), local_midnight(date(year + 1, 1, 1))


def months_of(year: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13)]


@dataclass(frozen=True)
class Piece:
    system_key: str
    region: str
    department: str
    system: str
    kind: str
    phase: str
    month: date
    start: datetime
    end: datetime
    amount: Fraction        # units held (vCPU, GiB, ...)
    seconds: Fraction

    @property
    def day(self) -> date:
        return self.start.astimezone(SHANGHAI).date()


def cut_points(year: int, days: Iterable[date]) -> list[datetime]:
    start, end = year_bounds(year)
    points = {month_start(m) for m in months_of(year)} | {local_midnight(d) for d in days}
    return sorted(p for p in points if start < p < end)


def pieces(timelines: Iterable[Timeline], year: int, price_days: Iterable[date] = (),
           until: datetime | None = None) -> list[Piece]:
    """Pieces of the year, up to `until` when the year is not over (a provisional settlement)."""
    y0, y1 = year_bounds(year)
    y1 = min(y1, until) if until is not None else y1
    cuts = cut_points(year, price_days)
    out: list[Piece] = []
    for line in timelines:
        g = line.generation
        for seg in line.segments:
            start, end = max(seg.start, y0), min(seg.end or y1, y1)
            if end <= start or not seg.amounts:
                continue
            bounds = [start, *cuts[bisect.bisect_right(cuts, start):bisect.bisect_left(cuts, end)], end]
            for a, b in zip(bounds, bounds[1:]):
                secs = seconds_between(a, b)
                month = month_of(a)
                out.extend(Piece(g.system_key, g.region, g.department, g.system, kind, seg.phase, month, a, b,
                                 amount, secs) for kind, amount in seg.amounts.items())
    return out


def period_seconds(per: str, month: date) -> int:
    """Length of one price period for a piece in `month` (calendar month and year; no DST in China)."""
    if per == "hour":
        return 3600
    if per == "day":
        return 86400
    if per == "month":
        return int((month_start(next_month(month)) - month_start(month)).total_seconds())
    if per == "year":
        return int((local_midnight(date(month.year + 1, 1, 1)) - local_midnight(date(month.year, 1, 1))).total_seconds())
    raise ValueError(f"unknown price period {per}")
