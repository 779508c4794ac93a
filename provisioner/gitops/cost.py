"""What a request costs per year at the procured unit prices, and what a merge request changes (pure).

Quantities are what metering counts, the allocation model's units by kind
(provisioner.allocation, through provisioner.metering.resources: vCPU, RAM GiB, block,
object and file storage GiB, floating IPs, Mbps of internet bandwidth, load balancers,
database instances, security services), so the plan prices exactly what the yearly
settlement will bill, and every kind a request can allocate has a price (or is free by
an article, policies/prices/).

`delta(before, after, prices)` prices each changed quantity with a yearly unit price
(prices.py turns the price book's hour/day/month/year rates into yearly ones). A
quantity without a price has no amount: the comment says "无单价 / no price" and the
total is marked incomplete. Amounts are exact until the one rounding per line
(billing.money.fee: ROUND_HALF_UP to 0.01 yuan); totals are sums of rounded lines.
Trial environments are free (art16); the yearly figure applies from promotion (art28).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from provisioner.billing.money import fee
from provisioner.lifecycle.classify import FlavorSize
from provisioner.metering.resources import BY_KEY, amounts
from provisioner.spec.model import RequestSpec


def describe(kind: str, lang: str) -> tuple[str, str]:
    """(title, unit) of a quantity kind, in the language asked for."""
    known = BY_KEY[kind]
    return known.text(lang), known.unit


@dataclass(frozen=True)
class Quantities:
    values: Mapping[str, Fraction]
    unknown_flavors: tuple[str, ...] = ()


def quantities(spec: RequestSpec, flavors: Mapping[str, FlavorSize]) -> Quantities:
    metered = amounts(spec.model_dump(mode="json", by_alias=True), flavors)
    return Quantities(dict(metered.values), metered.unknown_flavors)


NOTHING = Quantities({})


@dataclass(frozen=True)
class DeltaLine:
    kind: str
    before: Fraction
    after: Fraction
    yearly_price: Fraction | None      # yuan per unit per year; None: no price
    change: Decimal | None             # yearly amount after - before, each rounded once; None: no price


@dataclass(frozen=True)
class Delta:
    """The yearly cost change of one system: only quantities that change are lines."""

    lines: tuple[DeltaLine, ...]
    unknown_flavors: tuple[str, ...] = ()

    @property
    def change(self) -> Decimal:
        """Sum of the priced lines: without the unpriced ones when `complete` is False."""
        return sum((line.change for line in self.lines if line.change is not None), Decimal("0.00"))

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(line.kind for line in self.lines if line.change is None)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unknown_flavors

    @property
    def priced(self) -> bool:
        """Whether any amount can be stated (otherwise the comment says "no price", never 0)."""
        return any(line.change is not None for line in self.lines) or self.complete


def delta(before: Quantities, after: Quantities, prices: Mapping[str, Fraction]) -> Delta:
    lines = []
    for kind in dict.fromkeys([*before.values, *after.values]):
        was, now = before.values.get(kind, Fraction(0)), after.values.get(kind, Fraction(0))
        if was == now:
            continue
        price = prices.get(kind)
        change = None if price is None else fee(price * now) - fee(price * was)
        lines.append(DeltaLine(kind, was, now, price, change))
    unknown = tuple(sorted(set(before.unknown_flavors) | set(after.unknown_flavors)))
    return Delta(tuple(lines), unknown)


def number(value: Fraction) -> str:
    """A quantity as people write it: 2, 1.5, 0.333."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.3f}".rstrip("0").rstrip(".")


def money(value: Decimal | Fraction | None, signed: bool = False) -> str:
    """1234.5 -> '1,234.50'; signed: '+1,234.50' / '-20.00'; None -> ''."""
    if value is None:
        return ""
    amount = fee(Fraction(value)) if isinstance(value, Fraction) else value
    text = f"{abs(amount):,.2f}"
    if signed:
        return ("-" if amount < 0 else "+") + text
    return ("-" if amount < 0 else "") + text
