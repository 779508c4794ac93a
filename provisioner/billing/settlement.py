"""The yearly settlement (art27-30): per region (art5), per department, per system; pure.

    settle(Inputs) -> Settlement

For each system: its production pieces of the year (provisioner.billing.usage) x the rate in
force for its region on that day = usage cost (exact); trial pieces are listed at no charge
(art16). Then fee = fee(cost x evaluation factor of its region x utilisation factor of the
system), the one rounding (provisioner.billing.money). Department and region totals are sums
of fees.

Nothing is billed at zero by omission: a piece without a rate, a generation whose allocation
cannot be computed, a month of production without any utilisation observed, or a region
without recorded evaluation inputs is a `Missing`, and a settlement with any is incomplete:
`Settlement.complete` is False and no fee is stated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from provisioner.billing import money
from provisioner.billing.evaluation import RegionScore, region_score
from provisioner.billing.policy import EvaluationInputs, SettlementPolicy
from provisioner.billing.prices import PriceBook
from provisioner.billing.usage import Piece, period_seconds, pieces, year_bounds
from provisioner.calendar import SHANGHAI
from provisioner.metering.deadlines import Outcome
from provisioner.metering.timeline import PRODUCTION, TRIAL, Names, Timeline
from provisioner.metering.utilisation import Totals
from provisioner.words import Text


@dataclass(frozen=True)
class Inputs:
    year: int
    timelines: list[Timeline]
    names: Mapping[str, Names]
    prices: PriceBook | None
    policy: SettlementPolicy
    evaluation: EvaluationInputs | None
    outcomes: list[Outcome]
    utilisation: Mapping[date, Totals]        # month -> system key -> kind -> [granted_s, used_s]
    now: datetime | None = None               # before the year's end: provisional, usage up to now

    @property
    def until(self) -> datetime:
        end = year_bounds(self.year)[1]
        return end if self.now is None else min(end, self.now)

    @property
    def provisional(self) -> bool:
        return self.until < year_bounds(self.year)[1]


@dataclass(frozen=True)
class Missing:
    what: str           # price | allocation | utilisation | evaluation | prices-file | prometheus
    subject: str        # the resource@region, system, or region concerned
    period: str         # e.g. 2026-03-01..2026-03-31
    detail: str | Text = ""  # a Text: said in the reader's language

    def sort_key(self) -> tuple[str, str, str]:
        return (self.what, self.subject, self.period)


@dataclass(frozen=True)
class Line:
    kind: str
    month: date
    phase: str
    rate_from: date | None
    unit_price: Decimal | None      # None for trial lines: free (art16)
    per: str
    quantity: Fraction              # units x periods, e.g. vCPU-hours
    amount: Fraction                # exact


@dataclass
class SystemBill:
    key: str
    region: str
    department: str
    system: str
    name: str
    lines: list[Line] = field(default_factory=list)
    cost: Fraction = Fraction(0)
    cost_by_month: dict[date, Fraction] = field(default_factory=dict)
    cost_by_kind: dict[str, Fraction] = field(default_factory=dict)
    utilisation: Fraction | None = None
    utilisation_by_kind: dict[str, Fraction] = field(default_factory=dict)
    utilisation_factor: Decimal = Decimal(1)
    evaluation_factor: Decimal = Decimal(1)
    fee: Decimal = Decimal("0.00")
    in_production: bool = False     # held in production within the year, priced or not


@dataclass
class DepartmentBill:
    region: str
    department: str
    name: str
    systems: list[SystemBill] = field(default_factory=list)

    @property
    def fee(self) -> Decimal:
        return sum((s.fee for s in self.systems), Decimal("0.00"))

    @property
    def cost(self) -> Fraction:
        return sum((s.cost for s in self.systems), Fraction(0))


@dataclass
class RegionBill:
    region: str
    evaluation: RegionScore | None
    departments: list[DepartmentBill] = field(default_factory=list)

    @property
    def fee(self) -> Decimal:
        return sum((d.fee for d in self.departments), Decimal("0.00"))


@dataclass
class Settlement:
    year: int
    regions: list[RegionBill]
    missing: list[Missing]
    until: datetime | None = None       # set when provisional: usage counted up to this moment

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def fee(self) -> Decimal:
        return sum((r.fee for r in self.regions), Decimal("0.00"))

    def systems(self) -> list[SystemBill]:
        return [s for r in self.regions for d in r.departments for s in d.systems]


def _span(days: Iterable[date]) -> str:
    days = sorted(days)
    return f"{days[0].isoformat()}..{days[-1].isoformat()}"


def _piece_days(piece: Piece) -> tuple[date, date]:
    last = (piece.end - timedelta(microseconds=1)).astimezone(SHANGHAI).date()
    return piece.day, last


class Pricer:
    """Rates looked up once per (kind, region, day), exact prices as Fractions."""

    def __init__(self, book: PriceBook | None) -> None:
        self.book = book
        self._cache: dict[tuple[str, str, date], tuple[str, date, Decimal, Fraction] | None] = {}

    def __call__(self, kind: str, region: str, day: date) -> tuple[str, date, Decimal, Fraction] | None:
        key = (kind, region, day)
        if key not in self._cache:
            found = self.book.rate(kind, region, day) if self.book is not None else None
            self._cache[key] = None if found is None else (found[0].per, found[1].valid_from, found[1].price,
                                                           Fraction(found[1].price))
        return self._cache[key]


def settle(inputs: Inputs) -> Settlement:
    missing: list[Missing] = []
    if inputs.prices is None:
        missing.append(Missing("prices-file", f"policies/prices/{inputs.year}.yaml", str(inputs.year)))
    bills = _system_bills(inputs, missing)
    scores = _scores(inputs, bills.values(), missing)
    for bill in bills.values():
        _utilisation(bill, inputs, missing)
        bill.evaluation_factor = scores[bill.region].factor if bill.region in scores else Decimal(1)
        bill.fee = money.fee(bill.cost * Fraction(bill.evaluation_factor) * Fraction(bill.utilisation_factor))
    return Settlement(inputs.year, _group(bills, scores, inputs.names), sorted(missing, key=Missing.sort_key),
                      inputs.until if inputs.provisional else None)


def _system_bills(inputs: Inputs, missing: list[Missing]) -> dict[str, SystemBill]:
    price = Pricer(inputs.prices)
    bills: dict[str, SystemBill] = {}
    unpriced: dict[tuple[str, str], set[date]] = defaultdict(set)
    lines: dict[tuple[str, str, date, str, str, date | None, Decimal | None], list[Fraction]] = {}
    cut_days = inputs.prices.boundaries() if inputs.prices is not None else set()
    relevant = [t for t in inputs.timelines if t.segments]
    for t in relevant:
        for problem in _problems_in(t, year_bounds(inputs.year)[0], inputs.until):
            missing.append(Missing("allocation", f"{t.key}#{t.generation.generation}", str(inputs.year), problem))
    for piece in pieces(relevant, inputs.year, cut_days, inputs.until):
        bill = bills.get(piece.system_key)
        if bill is None:
            name = inputs.names.get(piece.system_key)
            bill = bills[piece.system_key] = SystemBill(piece.system_key, piece.region, piece.department,
                                                        piece.system, name.system if name else piece.system)
        held = piece.amount * piece.seconds          # unit-seconds
        if piece.phase == TRIAL:                      # free (art16); counted in the kind's own period
            per = _period(inputs.prices, piece.kind)
            acc = lines.setdefault((piece.system_key, piece.kind, piece.month, TRIAL, per, None, None),
                                   [Fraction(0), Fraction(0)])
            acc[0] += held / period_seconds(per, piece.month)
            continue
        bill.in_production = True
        rate = price(piece.kind, piece.region, piece.day)
        if rate is None:
            unpriced[(piece.kind, piece.region)].update(_piece_days(piece))
            continue
        per, valid_from, unit_price, exact_price = rate
        quantity = held / period_seconds(per, piece.month)
        acc = lines.setdefault((piece.system_key, piece.kind, piece.month, PRODUCTION, per, valid_from, unit_price),
                               [Fraction(0), Fraction(0)])
        acc[0] += quantity
        acc[1] += quantity * exact_price
    for (kind, region), days in sorted(unpriced.items()):
        missing.append(Missing("price", f"{kind}@{region}", _span(days)))
    for (key, kind, month, phase, per, valid_from, unit_price), (quantity, amount) in sorted(lines.items(),
                                                                                          key=_line_order):
        bill = bills[key]
        bill.lines.append(Line(kind, month, phase, valid_from, unit_price, per, quantity, amount))
        if phase == PRODUCTION:
            bill.cost += amount
            bill.cost_by_month[month] = bill.cost_by_month.get(month, Fraction(0)) + amount
            bill.cost_by_kind[kind] = bill.cost_by_kind.get(kind, Fraction(0)) + amount
    return bills


def _problems_in(line: Timeline, start: datetime, end: datetime) -> tuple[str, ...]:
    """What keeps the allocation of the settled period from being computed: the problems of the segments
    within it (a segment of an earlier year that cannot be sized bills nothing this year); a timeline whose
    problems name no segment (made by hand) has them all."""
    if not any(seg.problems for seg in line.segments):
        return line.problems
    return tuple(dict.fromkeys(p for seg in line.segments if seg.overlap(start, end) for p in seg.problems))


def _line_order(item: tuple) -> tuple:
    (key, kind, month, phase, _per, valid_from, _price), _ = item
    return (key, kind, month, phase == TRIAL, valid_from or date.min)


def _period(book: PriceBook | None, kind: str) -> str:
    """The period a kind is priced per, so its trial and production lines count alike (hour if unpriced)."""
    item = book.item(kind) if book is not None else None
    return item.per if item is not None else "hour"


def _scores(inputs: Inputs, bills: Iterable[SystemBill], missing: list[Missing]) -> dict[str, RegionScore]:
    """Each region's evaluation, where recorded. Its factor scales what the region's production cost: a
    region that held only free trials this year owes nothing whatever its evaluation, so only a region
    in production is stopped without one (art16, art29)."""
    in_production: dict[str, bool] = {}
    for bill in bills:
        in_production[bill.region] = in_production.get(bill.region, False) or bill.in_production
    scores: dict[str, RegionScore] = {}
    for region in sorted(in_production):
        recorded = inputs.evaluation.regions.get(region) if inputs.evaluation is not None else None
        if recorded is not None:
            scores[region] = region_score(region, inputs.policy.evaluation, recorded, inputs.outcomes, inputs.year)
        elif in_production[region]:
            missing.append(Missing("evaluation", region, str(inputs.year),
                                   f"policies/evaluation/{inputs.year}.yaml: regions.{region}"))
    return scores


def _utilisation(bill: SystemBill, inputs: Inputs, missing: list[Missing]) -> None:
    """Cost-weighted utilisation over the months the system was in production (art30)."""
    granted: dict[str, float] = defaultdict(float)
    used: dict[str, float] = defaultdict(float)
    for month in sorted(bill.cost_by_month):
        observed = inputs.utilisation.get(month, {}).get(bill.key, {})
        seen = {k: v for k, v in observed.items() if v[0] > 0 and k in bill.cost_by_kind}
        if not seen:
            last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            missing.append(Missing("utilisation", bill.key, f"{month.isoformat()}..{last.isoformat()}"))
            continue
        for kind, (g, u) in seen.items():
            granted[kind] += g
            used[kind] += u
    if not granted:
        return
    bill.utilisation_by_kind = {k: min(Fraction(1), max(Fraction(0), Fraction(used[k]) / Fraction(granted[k])))
                                for k in granted}
    weights = {k: bill.cost_by_kind.get(k, Fraction(0)) for k in granted}
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        weights, total = dict.fromkeys(granted, Fraction(1)), Fraction(len(granted))
    bill.utilisation = sum((weights[k] * bill.utilisation_by_kind[k] for k in granted), Fraction(0)) / total
    bill.utilisation_factor = next(b.factor for b in inputs.policy.utilisation.factors
                                   if bill.utilisation >= Fraction(b.at_least))


def _group(bills: Mapping[str, SystemBill], scores: Mapping[str, RegionScore],
           names: Mapping[str, Names]) -> list[RegionBill]:
    regions: dict[str, RegionBill] = {}
    departments: dict[tuple[str, str], DepartmentBill] = {}
    for key in sorted(bills):
        bill = bills[key]
        region = regions.setdefault(bill.region, RegionBill(bill.region, scores.get(bill.region)))
        dept = departments.get((bill.region, bill.department))
        if dept is None:
            name = names.get(key)
            dept = departments[(bill.region, bill.department)] = DepartmentBill(
                bill.region, bill.department, name.department if name else bill.department)
            region.departments.append(dept)
        dept.systems.append(bill)
    return [regions[r] for r in sorted(regions, key=lambda r: (r != "city", r))]


__all__ = ["DepartmentBill", "Inputs", "Line", "Missing", "RegionBill", "Settlement", "SystemBill", "settle"]
