"""`govcloud status [--format json] [--lang en] [--all] [--html DIR]`: one row per system, for people or machines.

Region, department, system, phase, the next deadline and who owes it (the information office,
the provider, the department), the trial's end, and this month's production cost so far at
the procured prices (trial is free, art16). A table with Chinese headers by default; JSON
(`--format json`) for machines, with times in ISO 8601 (Asia/Shanghai) and money as strings.
`--html DIR` writes the status page set instead (provisioner/statuspage): the city and each county, each
department, each system with this year's cost, utilisation and ledger history, agreements ending (art22).
Imports neither Pulumi nor openstacksdk: it reads the ledger and the policy files only.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from provisioner.clock import SHANGHAI
from provisioner.commands.messages import WORDS
from provisioner.lifecycle.messages import party_names, phase_name
from provisioner.settings import Settings

if TYPE_CHECKING:       # imported where used: `--help` loads no SQLAlchemy
    from provisioner.app.status import Status, SystemStatus

NAME = "status"

_COLUMNS = ("region", "department", "system", "phase", "next-deadline", "owed-by", "trial-end", "month-cost")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--all", action="store_true", help="list ended systems (rejected, terminated) too")
    parser.add_argument("--html", metavar="DIR", type=Path,
                        help="write the status page set (index.html and its pages) into DIR instead")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.html is not None:
        from provisioner.commands.status_page import write_pages
        count = write_pages(args.html, args.lang, args.all, settings)
        print(WORDS.say("status-pages-written", args.lang, count=count, folder=args.html / "index.html"))
        return 0
    from provisioner.ledger import Ledger
    from provisioner.app.status import read, status

    now = settings.now()
    ledger = Ledger.open(settings.ledger_url)
    try:
        facts = read(ledger, settings.policies.catalogue.flavors, now)
    finally:
        ledger.close()
    found = status(facts, settings.policies.calendar(), settings.policies.prices(now.astimezone(SHANGHAI).year),
                   now, include_ended=args.all)
    print(as_json(found) if args.format == "json" else as_table(found, args.lang))
    return 0


def _local(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(SHANGHAI).strftime(fmt) if moment is not None else ""


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(SHANGHAI).isoformat() if moment is not None else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def as_json(found: Status) -> str:
    systems = [{"system_key": s.key, "region": s.region, "department": s.department, "system": s.system,
                "phase": s.phase, "generation": s.generation,
                "next_deadline": _iso(s.duty.at) if s.duty else None, "deadline_rule": s.duty.rule if s.duty else None,
                "deadline_uncertain": bool(s.duty and s.duty.uncertain),
                "owed_by": list(s.duty.owed_by) if s.duty else [], "trial_end": _iso(s.trial_end),
                "month_cost": _money(s.month_cost)} for s in found.systems]
    document: dict[str, Any] = {"at": _iso(found.at), "month": found.month.strftime("%Y-%m"), "currency": "CNY",
                                "priced": found.priced, "month_total": _money(found.month_total), "systems": systems}
    return json.dumps(document, ensure_ascii=False)


def _row(s: SystemStatus, lang: str) -> list[str]:
    duty = s.duty
    deadline = ""
    if duty is not None:
        deadline = f"{_local(duty.at) or '-'}{'?' if duty.uncertain else ''} {duty.rule}"
    owed = party_names(duty.owed_by, lang) if duty else ""
    cost = WORDS.say("no-price", lang) if s.month_cost is None else f"{s.month_cost:,}"
    return [s.region, s.department, s.system, phase_name(s.phase, lang), deadline, owed,
            _local(s.trial_end), cost]


def as_table(found: Status, lang: str = "zh") -> str:
    from provisioner.textgrid import grid

    head = [WORDS.say(f"col-{column}", lang) for column in _COLUMNS]
    lines = [grid(head, [_row(s, lang) for s in found.systems], right=frozenset({7}))]
    if not found.priced:
        lines.append(WORDS.say("no-prices", lang, year=found.month.year))
    total = found.month_total
    lines.append(WORDS.say("status-total", lang, count=len(found.systems), month=found.month.strftime("%Y-%m"),
                           total=WORDS.say("no-price", lang) if total is None else f"{total:,}", now=_local(found.at)))
    if any(s.duty and s.duty.uncertain for s in found.systems):
        lines.append(WORDS.say("uncertain-marked", lang))
    return "\n".join(lines)
