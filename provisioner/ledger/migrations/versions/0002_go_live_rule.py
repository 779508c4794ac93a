"""The go-live rule's inputs on each generation: the request's trial days and the
department's early go-live (provisioner/lifecycle/golive.py).

Revision ID: 0002_go_live_rule
Revises: 0001
Create Date: 2026-12-15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_go_live_rule"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("systems") as batch:
        batch.add_column(sa.Column("trial_days", sa.Integer, nullable=False, server_default="15"))
        batch.add_column(sa.Column("early_go_live_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("systems") as batch:
        batch.drop_column("early_go_live_at")
        batch.drop_column("trial_days")
