"""The metering tables (added by issue 7), kept apart from the ledger's own chain.

    metering_utilisation   per system and local month: resource-seconds granted while observed,
                           and resource-seconds OpenStack showed in use (the exporter adds each window)

Utilisation is the one metering input the ledger cannot derive later: allocation is a pure
function of the lifecycle events, live use is not. The exporter that holds the `metering`
lease adds one observation window at a time, so a restart loses at most what it never saw.

Migrations: provisioner/ledger/migrations/metering/ is a separate Alembic chain with its own
version table (alembic_version_metering), so the ledger's chain and its schema check stay as
they are; `migrate_metering(engine)` runs it after `Ledger.open` migrated the ledger itself.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import JSON, Column, Date, Engine, Integer, MetaData, String, Table

from provisioner.ledger.db import migrate
from provisioner.ledger.schema import NAMING, UTCDateTime

MIGRATIONS = Path(__file__).with_name("migrations") / "metering"
VERSION_TABLE = "alembic_version_metering"
METERING_LEASE = "metering"

metering_metadata = MetaData(naming_convention=NAMING)

utilisation = Table(
    "metering_utilisation", metering_metadata,
    Column("system_key", String(120), primary_key=True),
    Column("month", Date, primary_key=True),                   # first day of the Asia/Shanghai month
    Column("kinds", JSON, nullable=False),                     # {"compute/cores": [granted_s, used_s], ...}
    Column("samples", Integer, nullable=False),
    Column("first_at", UTCDateTime(), nullable=False),
    Column("last_at", UTCDateTime(), nullable=False),          # end of the last window added
)


def migrate_metering(engine: Engine, revision: str = "head") -> None:
    migrate(engine, revision, MIGRATIONS, VERSION_TABLE)
