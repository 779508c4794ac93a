"""Alembic environment of the metering chain (own version table; see ledger/metering_schema.py)."""

from __future__ import annotations

from alembic import context

from provisioner.ledger.metering_schema import VERSION_TABLE, metering_metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metering_metadata, render_as_batch=True,
                  compare_type=True, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
