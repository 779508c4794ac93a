"""`govcloud bill --year 2026`: the yearly settlement per region and department (art27-30).

What is settled and when it stops: provisioner/app/bill.py. Anything missing or in
disagreement stops the settlement: the list goes to stderr, no amount is stated, exit 1.
Otherwise writes report.html and three CSV files for finance to --out and prints the totals.

Nothing may run unbilled (art27-28): unless `--inventory none`, the cloud is listed as the
operator sees it (provisioner.metering.inventory) and compared with the ledger. A resource
no live ledger system accounts for keeps the year from being settled: the report and CSV
files are still written, with a "not settled" section and settlement-YEAR-unaccounted.csv,
the list goes to stderr, and the exit status is 5 (billing.unaccounted.NOT_SETTLED). A cloud
that cannot be read is an infrastructure error (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.billing import money
from provisioner.billing.messages import WORDS, region_name
from provisioner.settings import Settings

if TYPE_CHECKING:       # imported where used: `--help` loads no SQLAlchemy, no billing models, no cloud reads
    from provisioner.app.bill import Billed
    from provisioner.billing import crosscheck, unaccounted
    from provisioner.billing.settlement import Missing, Settlement
    from provisioner.metering import inventory

NAME = "bill"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="the settlement year (Asia/Shanghai)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--prometheus", help="Prometheus URL to check usage against (default GOVCLOUD_PROMETHEUS_URL)")
    parser.add_argument("--out", type=Path, help="folder for report.html and the CSV files (default settlement-YEAR)")
    parser.add_argument("--inventory", choices=("openstack", "none"), default="openstack",
                        help="compare what runs in the cloud with the ledger (default openstack); with resources "
                             "no ledger system accounts for the bill is written but not settled: exit 5")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.app.bill import bill

    now = settings.now()
    billed = bill(settings, args.year, now, lambda: read_inventory(args.inventory, settings, now),
                  args.prometheus or settings.prometheus_url)
    if billed.stopped:
        return _stopped(billed.settlement, billed.checked, args.lang, billed.found)
    return _write(billed, args)


def read_inventory(spec: str, settings: Settings, now: datetime) -> inventory.Inventory | None:
    """What runs in the cloud, as the operator lists it (None with --inventory none)."""
    from provisioner.commands.cloud_reads import cloud_reads, inventory_source

    source = inventory_source(spec, cloud_reads(settings) if spec != "none" else None)
    return None if source is None else source.read(now)


def _missing_text(item: Missing, lang: str) -> str:
    return WORDS.say(f"missing-{item.what}", lang, subject=item.subject, period=item.period, detail=item.detail)


def _stopped(settlement: Settlement, checked: crosscheck.CrossCheck | None, lang: str,
             found: unaccounted.CloudCheck | None) -> int:
    from provisioner.billing import unaccounted

    for line in unaccounted.lines(found.unaccounted if found else [], lang):
        print(line, file=sys.stderr)
    gaps = checked.gaps if checked is not None else []
    wrong = checked.discrepancies if checked is not None else []
    for item in [*settlement.missing, *gaps]:
        print(_missing_text(item, lang), file=sys.stderr)
    for d in wrong:
        print(WORDS.say("discrepancy", lang, series="/".join(d.series), start=d.start.isoformat(),
                        end=d.end.isoformat(), prometheus=f"{d.prometheus:.6g}", ledger=f"{d.ledger:.6g}",
                        relative=f"{d.relative:.2%}"),
              file=sys.stderr)
    print(WORDS.say("stopped", lang, count=len(settlement.missing) + len(gaps) + len(wrong)), file=sys.stderr)
    return 1


def _write(billed: Billed, args: argparse.Namespace) -> int:
    from provisioner.app.bill import report_files
    from provisioner.billing import unaccounted

    settlement, checked, found = billed.settlement, billed.checked, billed.found
    out = args.out or Path(f"settlement-{args.year}")
    out.mkdir(parents=True, exist_ok=True)
    files = report_files(billed, args.year, args.lang)
    unsettled = found.unaccounted if found is not None else []
    for name, content in files.items():
        (out / name).write_text(content, encoding="utf-8")
    if settlement.until is not None:
        print(WORDS.say("provisional", args.lang, year=args.year, until=settlement.until.isoformat()))
    if checked is None:
        print(WORDS.say("crosscheck-none", args.lang))
    else:
        print(WORDS.say("crosscheck-ok", args.lang, compared=checked.compared, periods=checked.periods,
                        max_relative=f"{checked.max_relative:.2e}"))
    for r in settlement.regions:
        print(WORDS.say("region-total", args.lang, region=region_name(r.region, args.lang),
                        departments=len(r.departments), systems=sum(len(d.systems) for d in r.departments),
                        fee=money.yuan(r.fee), factor=r.evaluation.factor if r.evaluation else "-"))
    print(WORDS.say("grand-total", args.lang, fee=money.yuan(settlement.fee)))
    for name in files:
        print(WORDS.say("written", args.lang, path=out / name))
    if found is None:
        print(WORDS.say("unaccounted-unchecked", args.lang))
    elif found.settled:
        print(WORDS.say("unaccounted-checked", args.lang, resources=found.resources))
    else:
        for line in unaccounted.lines(unsettled, args.lang):
            print(line, file=sys.stderr)
        print(WORDS.say("unaccounted-not-settled", args.lang, count=len(unsettled)), file=sys.stderr)
        return unaccounted.NOT_SETTLED
    return 0
