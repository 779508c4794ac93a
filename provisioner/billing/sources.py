"""The billing job's inputs, from the office's policy files and the ledger (edge).

The files are read by provisioner.policy (Policies): policies/prices/<year>.yaml and
policies/evaluation/<year>.yaml may be absent (the settlement then lists them as
missing); policies/settlement.yaml must exist. A file that exists but is wrong is a
PolicyConfigError with every problem at its line.
"""

from __future__ import annotations

from datetime import datetime

from provisioner.billing.settlement import Inputs
from provisioner.billing.usage import months_of
from sqlalchemy import select

from provisioner.ledger import Ledger
from provisioner.ledger.schema import systems
from provisioner.metering import ledger_reader, recorder
from provisioner.policy.store import Policies


def inputs(ledger: Ledger, policies: Policies, year: int, now: datetime) -> Inputs:
    """Everything `settle` needs for the year, read once."""
    months = months_of(year)
    with ledger.transaction() as conn:
        facts = ledger_reader.read(conn, policies.catalogue.flavors)
        utilisation = recorder.read_months(conn, months[0], months[-1])
    return Inputs(year=year, timelines=facts.timelines, names=facts.names, prices=policies.prices(year),
                  policy=policies.settlement, evaluation=policies.evaluation(year),
                  outcomes=facts.outcomes, utilisation=utilisation, now=now)


def system_states(ledger: Ledger) -> list[tuple[str, str]]:
    """(system key, state) of every generation the ledger holds: what accounts for the cloud's resources."""
    with ledger.transaction() as conn:
        return [(r.system_key, r.state) for r in conn.execute(select(systems.c.system_key, systems.c.state))]
