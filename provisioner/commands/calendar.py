"""`govcloud calendar deadline | trial-end | retention | day`: the regulation's dates on the PRC calendar.

Each prints one ISO date on stdout. A date computed on a year whose holiday schedule
is unknown is printed with a loud warning on stderr, and with --strict exits 1.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING

from provisioner.clock import SHANGHAI
from provisioner.commands.messages import WORDS
from provisioner.errors import UserError
from provisioner.settings import Settings

if TYPE_CHECKING:       # imported by run(): `--help` loads no holiday calendar
    from provisioner.calendar import Deadline, WorkCalendar

NAME = "calendar"


def moment(text: str) -> datetime | date:
    """An ISO date (a local day) or datetime (naive: Asia/Shanghai)."""
    try:
        if "T" not in text and " " not in text:
            return date.fromisoformat(text)
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date or datetime: {text}") from exc
    return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages (default zh)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the date is uncertain")
    sub = parser.add_subparsers(dest="calendar_command", required=True)
    deadline = sub.add_parser("deadline", help='"within N working days" of an event (the event day not counted)')
    deadline.add_argument("--from", dest="start", type=moment, required=True, help="the event's date or datetime")
    deadline.add_argument("--working-days", type=int, required=True, help="N")
    deadline.add_argument("--rule", default="", help="the article, shown with --verbose (e.g. art15)")
    deadline.add_argument("-v", "--verbose", action="store_true", help="also print the exact end moment (UTC)")
    trial = sub.add_parser("trial-end", help="last day of the free trial: start + 15 (+ extension) calendar days")
    trial.add_argument("--start", type=moment, required=True)
    trial.add_argument("--extension-days", type=int, default=0)
    trial.add_argument("-v", "--verbose", action="store_true")
    keep = sub.add_parser("retention", help="keep the legacy system until go-live + 2 months (art23)")
    keep.add_argument("--go-live", type=moment, required=True)
    keep.add_argument("-v", "--verbose", action="store_true")
    day = sub.add_parser("day", help="is this day a working day, and according to which source")
    day.add_argument("date", type=date.fromisoformat)


def run(args: argparse.Namespace, settings: Settings) -> int:
    calendar = settings.policies.calendar()
    if args.calendar_command == "day":
        return _day(calendar, args)
    try:
        result = _compute(calendar, args)
    except ValueError as exc:     # the calendar's refusal of the numbers given: a Text of its table
        raise UserError(*exc.args) from exc
    print(result.local_date.isoformat())
    if args.verbose:
        print(f"{result.rule or '-'} {result.at.isoformat()}")
    if result.uncertain:
        print(result.warning(args.lang), file=sys.stderr)
        return 1 if args.strict else 0
    return 0


def _compute(calendar: WorkCalendar, args: argparse.Namespace) -> Deadline:
    from provisioner.calendar import legacy_retention

    if args.calendar_command == "deadline":
        return calendar.working_deadline(args.start, args.working_days, args.rule)
    if args.calendar_command == "trial-end":
        return calendar.trial_end(args.start, args.extension_days)
    return legacy_retention(args.go_live)


def _day(calendar: WorkCalendar, args: argparse.Namespace) -> int:
    info = calendar.day(args.date)
    working = WORDS.say("working-day" if info.working else "day-off", args.lang)
    print(f"{info.day.isoformat()} {working} ({info.source}{': ' + info.name if info.name else ''})")
    if not info.certain:
        from provisioner.calendar import uncertain_warning

        print(uncertain_warning([info.day.year], args.lang), file=sys.stderr)
        return 1 if args.strict else 0
    return 0
