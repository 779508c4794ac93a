"""Metering: utilisation observed per system and month, and the exporter's lease.

Revision ID: m0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "m0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "metering_utilisation",
        sa.Column("system_key", sa.String(120), nullable=False),
        sa.Column("month", sa.Date, nullable=False),
        sa.Column("kinds", sa.JSON, nullable=False),
        sa.Column("samples", sa.Integer, nullable=False),
        sa.Column("first_at", TS, nullable=False),
        sa.Column("last_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("system_key", "month", name="pk_metering_utilisation"),
    )
    # The exporter that records utilisation holds this lease (ledger table `leases`, migration 0001).
    op.bulk_insert(sa.table("leases", sa.column("name", sa.String)), [{"name": "metering"}])


def downgrade() -> None:
    op.execute("DELETE FROM leases WHERE name = 'metering'")
    op.drop_table("metering_utilisation")
