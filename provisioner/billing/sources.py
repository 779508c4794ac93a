"""The billing job's inputs, read from the policy files and the ledger (edge).

policies/prices/<year>.yaml and policies/evaluation/<year>.yaml may be absent (the
settlement then lists them as missing); policies/settlement.yaml must exist. A file that
exists but is wrong raises SpecError with every problem and its line.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from provisioner.billing import policyfile
from provisioner.billing.policy import EvaluationInputs, SettlementPolicy
from provisioner.billing.prices import PriceBook
from provisioner.billing.settlement import Inputs
from provisioner.billing.usage import months_of
from sqlalchemy import select

from provisioner.errors import ConfigError
from provisioner.ledger import Ledger
from provisioner.ledger.schema import systems
from provisioner.metering import ledger_reader, recorder
from provisioner.metering.resources import FlavorSize

PRICES = Path("policies") / "prices"
EVALUATION = Path("policies") / "evaluation"
SETTLEMENT = Path("policies") / "settlement.yaml"


def _read(root: Path, relative: Path) -> str | None:
    path = root / relative
    return path.read_text(encoding="utf-8") if path.exists() else None


def load_prices(root: Path, year: int) -> PriceBook | None:
    relative = PRICES / f"{year}.yaml"
    text = _read(root, relative)
    return None if text is None else policyfile.parse(PriceBook, text, relative.as_posix(), "art28")


def load_evaluation(root: Path, year: int) -> EvaluationInputs | None:
    relative = EVALUATION / f"{year}.yaml"
    text = _read(root, relative)
    return None if text is None else policyfile.parse(EvaluationInputs, text, relative.as_posix(), "art29")


def load_policy(root: Path) -> SettlementPolicy:
    text = _read(root, SETTLEMENT)
    if text is None:
        raise ConfigError(f"{SETTLEMENT.as_posix()} is missing: the settlement formula is the office's policy")
    return policyfile.parse(SettlementPolicy, text, SETTLEMENT.as_posix(), "art30")


def inputs(ledger: Ledger, root: Path, year: int, flavors: Mapping[str, FlavorSize], now: datetime) -> Inputs:
    """Everything `settle` needs for the year, read once."""
    months = months_of(year)
    with ledger.transaction() as conn:
        facts = ledger_reader.read(conn, flavors)
        utilisation = recorder.read_months(conn, months[0], months[-1])
    return Inputs(year=year, timelines=facts.timelines, names=facts.names, prices=load_prices(root, year),
                  policy=load_policy(root), evaluation=load_evaluation(root, year),
                  outcomes=facts.outcomes, utilisation=utilisation, now=now)


def system_states(ledger: Ledger) -> list[tuple[str, str]]:
    """(system key, state) of every generation the ledger holds: what accounts for the cloud's resources."""
    with ledger.transaction() as conn:
        return [(r.system_key, r.state) for r in conn.execute(select(systems.c.system_key, systems.c.state))]
