"""The plan's unit prices: billing's price book (policies/prices/<year>.yaml), as yearly prices per kind.

A rate is quoted per hour, day, calendar month or year, for a region's contract (art5)
and dated; the plan prices a request at the rates valid on the day it is planned, for
its region, over one year of service (art28): an hourly rate x 24 x the days of that
year, a daily one x the days, a monthly one x 12. With no price book for the year
every quantity is "no price" in the comment: a cost is never shown as zero for want of one.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from provisioner.billing.prices import PriceBook
from provisioner.policy.store import Policies


@dataclass(frozen=True)
class PriceList:
    book: PriceBook | None
    source: str                     # shown in the comment, e.g. policies/prices/2026.yaml
    day: date

    def yearly(self, region: str) -> dict[str, Fraction]:
        """Kind -> yuan per unit per year, at the rates valid on `day` for `region`'s contract."""
        if self.book is None:
            return {}
        days = 366 if stdlib_calendar.isleap(self.day.year) else 365
        per_year = {"hour": 24 * days, "day": days, "month": 12, "year": 1}
        found = {}
        for item in self.book.items:
            rated = self.book.rate(item.kind, region, self.day)
            if rated is not None:
                found[item.kind] = Fraction(rated[1].price) * per_year[item.per]
        return found


def price_list(policies: Policies, day: date) -> PriceList | None:
    """The price book of `day`'s year, or None when policies/prices/<year>.yaml does not exist."""
    book = policies.prices(day.year)
    return None if book is None else PriceList(book, f"policies/prices/{day.year}.yaml", day)
