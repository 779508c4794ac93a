"""A system's production cost in the current month (or year) so far, as the bill computes it (pure).

The timelines' production segments are cut to [start of this month or year, now) in Asia/Shanghai,
then priced exactly as the settlement prices them (usage.pieces, settlement.Pricer: the rate
in force for the region on each day, per hour, day, month or year): trial is free (art16),
and no factor applies yet (the evaluation and utilisation factors are the year's, art30).
A system with any production piece that has no rate has no cost (None), never zero.

Each piece costs amount x seconds / period x price, the settlement's exact rational; the
terms are added as integers over their denominators and made Fractions once per system
(the same sum, in a fraction of the time: 10,000 systems' Fraction arithmetic took seconds).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from fractions import Fraction

from provisioner.billing.prices import PriceBook
from provisioner.billing.settlement import Pricer
from provisioner.billing.usage import period_seconds, pieces
from provisioner.metering.timeline import PRODUCTION, Segment, Timeline
from provisioner.metering.utilisation import month_of, month_start


def _since(line: Timeline, start: datetime) -> Timeline | None:
    kept = tuple(Segment(max(seg.start, start), seg.end, seg.phase, seg.allocation, seg.request_id)
                 for seg in line.segments if seg.phase == PRODUCTION and (seg.end is None or seg.end > start))
    return Timeline(line.generation, kept) if kept else None


def month_costs(timelines: Iterable[Timeline], book: PriceBook | None, now: datetime) -> dict[str, Fraction | None]:
    """System key -> exact production cost from the month's start to `now`; None where a rate is missing.
    Systems without production this month are absent (nothing to pay)."""
    return costs_since(timelines, book, month_start(month_of(now)), now)


def year_costs(timelines: Iterable[Timeline], book: PriceBook | None, now: datetime) -> dict[str, Fraction | None]:
    """The same from 1 January (Asia/Shanghai) of `now`'s year: what the year's bill holds so far."""
    return costs_since(timelines, book, month_start(month_of(now).replace(month=1)), now)


def costs_since(timelines: Iterable[Timeline], book: PriceBook | None, start: datetime,
                now: datetime) -> dict[str, Fraction | None]:
    """Production cost from `start` (a month's first moment, within `now`'s year) to `now`."""
    lines = [kept for line in timelines if (kept := _since(line, start)) is not None]
    price = Pricer(book)
    sums: dict[str, dict[int, int] | None] = {}        # system key -> denominator -> numerator
    for piece in pieces(lines, month_of(now).year, book.boundaries() if book is not None else (), now):
        rate = price(piece.kind, piece.region, piece.day)
        terms = sums.setdefault(piece.system_key, {})
        if rate is None or terms is None:
            sums[piece.system_key] = None
            continue
        per, _valid_from, _price, p = rate
        a, s = piece.amount, piece.seconds
        den = a.denominator * s.denominator * p.denominator * period_seconds(per, piece.month)
        terms[den] = terms.get(den, 0) + a.numerator * s.numerator * p.numerator
    return {key: None if terms is None else _total(terms) for key, terms in sums.items()}


def _total(terms: dict[int, int]) -> Fraction:
    """Numerators over their denominators, added over the least common one."""
    common = math.lcm(*terms) if terms else 1
    return Fraction(sum(n * (common // d) for d, n in terms.items()), common)
