"""`govcloud status --html DIR`: gathers what the status page shows and writes the page set.

Reads the ledger (systems with this year's timelines, every event, the metering utilisation if the
exporter ever recorded any), policies/ (agreements, art22), policies/owners.yaml (department names)
and which request specs and stack files exist; the page model and its rendering are pure.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Connection, inspect

from provisioner.calendar import SHANGHAI, local_date
from provisioner.ledger import Ledger
from provisioner.ledger.history import histories
from provisioner.ledger.metering_schema import utilisation as utilisation_table
from provisioner.metering import recorder
from provisioner.metering.utilisation import Totals
from provisioner.policy.model import expiring_agreements
from provisioner.settings import Settings
from provisioner.app.status import read, status
from provisioner.statuspage import model, render, site


def write_pages(folder: Path, lang: str, include_ended: bool, settings: Settings) -> int:
    return site.write(render.pages(model.build(gather(folder, lang, include_ended, settings))), folder)


def gather(folder: Path, lang: str, include_ended: bool, settings: Settings) -> model.Inputs:
    """Everything the pages show, read once (bench/bench_status_page.py writes the same rows as CSV)."""
    now = settings.now()
    year = now.astimezone(SHANGHAI).year
    policies = settings.policies
    ledger = Ledger.open(settings.ledger_url)
    try:
        facts = read(ledger, policies.catalogue.flavors, now, year=True)
        with ledger.transaction() as conn:
            events = histories(conn)
            used = _utilisation(conn, year)
    finally:
        ledger.close()
    calendar = policies.calendar()
    found = status(facts, calendar, policies.prices(year), now, include_ended=include_ended, year=True)
    agreements = policies.rule_set.agreements
    return model.Inputs(found, calendar, lang, site.repository_href(settings.root, folder),
                        site.repository_files(settings.root),
                        {code: d.name for code, d in policies.owners.departments.items()}, used, events,
                        expiring_agreements(agreements.units, local_date(now), agreements.warn_days),
                        agreements.warn_days)


def _utilisation(conn: Connection, year: int) -> Totals | None:
    """This year's used and granted resource-seconds per system; None if nothing was ever metered."""
    if not inspect(conn).has_table(utilisation_table.name):
        return None
    months = recorder.read_months(conn, date(year, 1, 1), date(year, 12, 1))
    return recorder.cumulative(months) if months else None
