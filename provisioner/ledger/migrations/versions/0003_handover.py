"""The hand-over of a terminated system's data to its unit (art25): the record of its verified
backups, and the unit's confirmation that comes before anything is destroyed.

Revision ID: 0003_handover
Revises: 0002_go_live_rule
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_handover"
down_revision = "0002_go_live_rule"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("systems") as batch:
        batch.add_column(sa.Column("handover_confirmed_at", sa.DateTime(timezone=True)))
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("system_id", sa.Integer, sa.ForeignKey("systems.id", name="fk_handovers_system_id_systems"),
                  nullable=False),
        sa.Column("request_id", sa.String(40)),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("made_by", sa.String(80), nullable=False),
        sa.Column("retention_days", sa.Integer, nullable=False),
        sa.Column("kept_until", sa.Date, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("record_sha256", sa.String(64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.Column("confirmed_by", sa.String(80)),
        sa.Column("confirmed_actor", sa.String(80)),
        sa.PrimaryKeyConstraint("id", name="pk_handovers"),
        sa.UniqueConstraint("system_id", name="uq_handovers_system_id"),
    )


def downgrade() -> None:
    op.drop_table("handovers")
    with op.batch_alter_table("systems") as batch:
        batch.drop_column("handover_confirmed_at")
