"""`govcloud status`: one row per system, from the ledger (use case; prints nothing).

    region, department, system, phase      the system's newest generation still in the lifecycle
    next deadline and who owes it          provisioner.lifecycle.duty (the running deadline, its party)
    trial end                              while in trial: 15 days + extensions (art16)
    this month's cost so far               provisioner.billing.month_cost: production x the price list,
                                           as the bill computes it; trial is free (art16)
    this year's cost so far                the same from 1 January, when asked for (the status page)
    breaches, held                         the rules missed in the current state; a trial held (art16)

A major change runs a new generation beside the old (art18): the row shows the new one's
phase and deadline, and the cost of both. Ended systems (rejected, terminated) are listed
only when asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from provisioner.billing.money import fee
from provisioner.billing.month_cost import month_costs, year_costs
from provisioner.billing.prices import PriceBook
from provisioner.calendar import WorkCalendar
from provisioner.ledger import Ledger
from provisioner.lifecycle.duty import Duty, next_duty
from provisioner.lifecycle.machine import SystemView, trial_end
from provisioner.lifecycle.states import State
from provisioner.metering import ledger_reader
from provisioner.metering.ledger_reader import CurrentFacts
from provisioner.metering.resources import FlavorSize
from provisioner.metering.timeline import Generation
from provisioner.metering.utilisation import month_of, month_start


@dataclass(frozen=True)
class SystemStatus:
    key: str
    region: str
    department: str
    system: str
    phase: str                   # the lifecycle state (provisioner.lifecycle.states.State)
    generation: int
    duty: Duty | None
    trial_end: datetime | None
    month_cost: Decimal | None   # rounded once, ROUND_HALF_UP to 0.01 yuan; None: a rate is missing
    breached: tuple[str, ...] = ()
    held: bool = False
    year_cost: Decimal | None = None     # asked for with `year=True`; else None


@dataclass(frozen=True)
class Status:
    at: datetime
    month: date
    systems: list[SystemStatus]
    priced: bool                 # a price list exists for the month's year

    @property
    def month_total(self) -> Decimal | None:
        costs = [s.month_cost for s in self.systems]
        return None if None in costs else sum((c for c in costs if c is not None), Decimal("0.00"))


def read(ledger: Ledger, flavors: Mapping[str, FlavorSize], now: datetime, year: bool = False) -> CurrentFacts:
    """Every generation's row; timelines of those in production this month (what its cost needs), or
    this year with `year`."""
    month = month_of(now)
    with ledger.transaction() as conn:
        return ledger_reader.read_current(conn, flavors, month_start(month.replace(month=1) if year else month))


def status(facts: CurrentFacts, calendar: WorkCalendar, book: PriceBook | None, now: datetime,
           include_ended: bool = False, year: bool = False) -> Status:
    """`year`: also each system's cost since 1 January (its facts read with `read(..., year=True)`)."""
    views = {(row.view.system_key, row.view.generation): row.view for row in facts.live}
    newest: dict[str, Generation] = {}
    for gen in facts.generations:
        shown = newest.get(gen.system_key)
        if shown is None or _rank(gen, views) > _rank(shown, views):
            newest[gen.system_key] = gen
    costs = month_costs(facts.timelines, book, now)
    yearly = year_costs(facts.timelines, book, now) if year else {}
    rows = []
    for key in sorted(newest):
        gen = newest[key]
        view = views.get((key, gen.generation))
        if view is None and not include_ended:
            continue
        rows.append(SystemStatus(key, gen.region, gen.department, gen.system, gen.state, gen.generation,
                                 next_duty(view, calendar) if view is not None else None, _trial_end(view, calendar),
                                 _fee(costs, key), view.breached if view else (), bool(view and view.held),
                                 _fee(yearly, key) if year else None))
    return Status(now, month_of(now), rows, book is not None)


def _fee(costs: Mapping[str, Fraction | None], key: str) -> Decimal | None:
    cost = costs.get(key, Fraction(0))
    return None if cost is None else fee(cost)


def _rank(gen: Generation, views: Mapping[tuple[str, int], SystemView]) -> tuple[bool, int]:
    """A generation still in the lifecycle before an ended one; then the newest."""
    return ((gen.system_key, gen.generation) in views, gen.generation)


def _trial_end(view: SystemView | None, calendar: WorkCalendar) -> datetime | None:
    return trial_end(view, calendar).at if view is not None and view.state == State.TRIAL else None
