"""The bill's word on what runs unbilled (art27-28): the list, a CSV for finance, the report's banner (pure).

A year is settled only when everything that runs in the cloud belongs to a system the ledger
holds (provisioner.metering.inventory). While any resource is unaccounted the bill is still
written, so finance sees the amounts, but it says "not settled" with the list, in the report
and on stderr, and `govcloud bill` exits NOT_SETTLED.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from provisioner.billing.messages import WORDS
from provisioner.metering import inventory
from provisioner.metering.inventory import NOT_IN_LEDGER, NOT_LIVE, UNLABELLED, Unaccounted

NOT_SETTLED = 5     # exit status of `govcloud bill`: written, but resources run that no ledger system accounts for

_REASON = {UNLABELLED: "unaccounted-unlabelled", NOT_IN_LEDGER: "unaccounted-not-in-ledger",
           NOT_LIVE: "unaccounted-not-live"}      # each reason's sentence in the table
_HEAD = ("project", "region", "department", "kind", "name", "id", "system", "reason")   # "unaccounted-csv-" ids


@dataclass(frozen=True)
class CloudCheck:
    unaccounted: list[Unaccounted]
    resources: int                  # how many resources were compared

    @property
    def settled(self) -> bool:
        return not self.unaccounted


def check(found: inventory.Inventory, systems: Iterable[tuple[str, str]]) -> CloudCheck:
    """The cloud's resources against the ledger's systems, given as (system key, state) pairs."""
    rows = list(systems)
    return CloudCheck(inventory.unaccounted(found, inventory.holding_keys(rows), frozenset(k for k, _ in rows)),
                      len(found.resources))


def reason(item: Unaccounted, lang: str = "zh") -> str:
    return WORDS.say(_REASON[item.reason], lang, system=item.system)


def lines(found: list[Unaccounted], lang: str = "zh") -> list[str]:
    return [WORDS.say("unaccounted-item", lang, project=item.project, region=item.region or "-",
                      department=item.department or "-", kind=item.kind, name=item.name or "-", id=item.id,
                      reason=reason(item, lang)) for item in found]


def csv_unaccounted(found: list[Unaccounted], lang: str = "zh") -> str:
    """UTF-8 with BOM, as the settlement's other CSV files."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([WORDS.say(f"unaccounted-csv-{column}", lang) for column in _HEAD])
    writer.writerows([i.project, i.region, i.department, i.kind, i.name, i.id, i.system, reason(i, lang)] for i in found)
    return "\ufeff" + buffer.getvalue()


def mark_not_settled(report: str, found: list[Unaccounted], lang: str = "zh") -> str:
    """The report with a "not settled" section and the list at the top of its body."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines(found, lang))
    banner = (f'<section id="not-settled"><h2 class=warn>{escape(WORDS.say("unaccounted-title", lang))}</h2>'
              f"<p class=warn>{escape(WORDS.say('unaccounted-not-settled', lang, count=len(found)))}</p>"
              f"<ul>{items}</ul></section>")
    head, sep, rest = report.partition("<body>")
    if not sep:
        raise ValueError("the report has no <body>")
    title_end = rest.find("</h1>")
    at = title_end + len("</h1>") if title_end >= 0 else 0
    return head + sep + rest[:at] + banner + rest[at:]
