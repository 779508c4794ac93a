"""Benchmark: `govcloud bill` for 1,000 systems over a year, against an hourly-rating baseline.

    .venv/bin/python bench/bench_settlement.py [--systems 1000] [--repeat 3] [--sample 100]

Fills a temporary ledger with SYSTEMS systems over 2026 (tests/billing/synthetic.py: trials,
go-lives through the year, minor changes, terminations; twelve months of observed
utilisation), then times, best of REPEAT:
  - read: the ledger and policy files into the settlement's inputs;
  - settle: usage x dated prices (exact rationals), evaluation and utilisation factors, the one rounding;
  - report: the HTML (three SVG charts) and the three CSV files.
Baseline, in the same run: rating hour by hour as CloudKitty does by default (one 3600 s
collect period at a time: the amounts held at the start of each hour x that hour's price), in
Decimal, on a sample of SAMPLE systems; its time is scaled per system for the ratio, and the
money it gets wrong by discretising is printed too. Goal: read + settle + report <= 10 s.
"""

from __future__ import annotations

import argparse
import bisect
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from provisioner.billing import report, sources  # noqa: E402
from provisioner.billing.prices import PriceBook  # noqa: E402
from provisioner.billing.settlement import Inputs, settle  # noqa: E402
from provisioner.billing.usage import period_seconds, year_bounds  # noqa: E402
from provisioner.policy import Policies  # noqa: E402
from provisioner.ledger import Ledger  # noqa: E402
from provisioner.ledger.metering_schema import migrate_metering  # noqa: E402
from provisioner.metering.timeline import PRODUCTION, Timeline  # noqa: E402
from provisioner.metering.utilisation import month_of  # noqa: E402
from tests.billing import synthetic  # noqa: E402
from timing import best  # noqa: E402

AFTER_THE_YEAR = datetime(2027, 1, 5, tzinfo=timezone.utc)
GOAL_S = 10.0



def hourly(line: Timeline, book: PriceBook, year: int) -> Decimal:
    """CloudKitty-style: each hour rated on what was held at its start."""
    start, end = year_bounds(year)
    starts = [s.start for s in line.segments]
    total = Decimal(0)
    moment = start
    while moment < end:
        i = bisect.bisect_right(starts, moment) - 1
        if i >= 0:
            seg = line.segments[i]
            if seg.phase == PRODUCTION and (seg.end is None or seg.end > moment):
                day = moment.astimezone(synthetic.SHANGHAI).date()
                for kind, amount in seg.amounts.items():
                    found = book.rate(kind, line.generation.region, day)
                    if found is not None:
                        item, rate = found
                        hours = Decimal(period_seconds(item.per, month_of(moment))) / 3600
                        total += rate.price * Decimal(amount.numerator) / Decimal(amount.denominator) / hours
        moment += timedelta(hours=1)
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-settlement-"))
    try:
        ledger = Ledger.open(f"sqlite:///{work / 'ledger.sqlite3'}")
        migrate_metering(ledger.engine)
        started = time.perf_counter()
        count = synthetic.fill(ledger, args.systems, 2026, AFTER_THE_YEAR)
        synthetic.fill_utilisation(ledger, 2026, AFTER_THE_YEAR)
        print(f"ledger: {count} systems and their year of utilisation written in {time.perf_counter() - started:.1f} s")
        read_s, inputs = best(args.repeat, lambda: sources.inputs(ledger, Policies(ROOT), 2026, AFTER_THE_YEAR))
        assert isinstance(inputs, Inputs)
        settle_s, settlement = best(args.repeat, lambda: settle(inputs))
        report_s, _ = best(args.repeat, lambda: (report.html(settlement), report.csv_departments(settlement),
                                                 report.csv_systems(settlement), report.csv_lines(settlement)))
        total = read_s + settle_s + report_s
        print(f"read {read_s:.2f} s, settle {settle_s:.2f} s, report {report_s:.2f} s: {total:.2f} s "
              f"for {len(settlement.systems())} billed systems, fee {settlement.fee:,} yuan, complete={settlement.complete}")
        sample = [t for t in inputs.timelines if t.segments][: args.sample]
        baseline_s, amounts = best(1, lambda: [hourly(t, inputs.prices, 2026) for t in sample])
        per_system = baseline_s / len(sample)
        exact = {b.key: b.cost for b in settlement.systems()}
        off = sum(abs(float(a) - float(exact.get(t.key, 0))) for t, a in zip(sample, amounts))   # type: ignore[arg-type]
        print(f"baseline, hourly rating in Decimal: {baseline_s:.2f} s for {len(sample)} systems "
              f"({per_system * 1000:.1f} ms per system, ~{per_system * len(settlement.systems()):.0f} s for all); "
              f"its usage cost differs from govcloud's exact one by {off:,.2f} yuan on the sample "
              f"(synthetic events fall on whole hours, so the two must agree)")
        print(f"ratio baseline / govcloud settle, per system: {per_system / (settle_s / len(settlement.systems())):.0f}x")
        print(f"goal read + settle + report <= {GOAL_S:.0f} s: {'met' if total <= GOAL_S else 'MISSED'}")
        ledger.close()
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
