"""One clock for every command: the system's, or the moment GOVCLOUD_NOW names.

GOVCLOUD_NOW lets a person (or a test) walk a request through its 15-day trial and a
year's bill in minutes: `GOVCLOUD_NOW=2026-12-21T09:00 govcloud reconcile`. It is an
ISO 8601 date or date-time; one without a zone is Shanghai wall time, as every date
in the regulation is. The moment is fixed for the whole command (it does not tick),
so one run sees one "now" everywhere, and the Pulumi program it starts inherits it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from provisioner.errors import ConfigError
from provisioner.messages import WORDS

SHANGHAI = ZoneInfo("Asia/Shanghai")
VARIABLE = "GOVCLOUD_NOW"

Clock = Callable[[], datetime]


def parse_moment(text: str) -> datetime:
    """An ISO date or date-time as an aware UTC datetime; a naive one is Shanghai time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(WORDS("clock-bad-moment", variable=VARIABLE, text=text)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(timezone.utc)


def utc_moment(text: object) -> datetime | None:
    """A time as OpenStack, Pulumi and the ledger write it (ISO 8601 with `Z`, an offset, or no zone,
    which is UTC) as an aware datetime; None when there is none. ValueError when the text is no time."""
    if not text:
        return None
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def utc_moment_or_none(text: object) -> datetime | None:
    """utc_moment, with None for text that is no time: where a time missing and one unreadable mean the same."""
    try:
        return utc_moment(text)
    except ValueError:
        return None


def system_now() -> datetime:
    return datetime.now(timezone.utc)


def from_environ(environ: Mapping[str, str]) -> Clock:
    """The clock the environment asks for: a fixed moment under GOVCLOUD_NOW, else the system's."""
    text = environ.get(VARIABLE, "").strip()
    if not text:
        return system_now
    moment = parse_moment(text)
    return lambda: moment


def today(clock: Clock) -> date:
    """The calendar day in Shanghai at the clock's moment (the day policies are judged on)."""
    return clock().astimezone(SHANGHAI).date()
