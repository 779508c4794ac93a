"""The ledger: requests, systems, events, leases, and the hash-chained audit log.

Revision ID: 0001
Revises:
Create Date: 2026-03-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("system_key", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("submitted_by", sa.String(80), nullable=False),
        sa.Column("decided_at", TS),
        sa.Column("decided_by", sa.String(80)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("classification", sa.JSON),
        sa.Column("spec", sa.JSON),
        sa.Column("spec_sha256", sa.String(64)),
        sa.PrimaryKeyConstraint("request_id", name="pk_requests"),
    )
    op.create_index("ix_requests_system_key", "requests", ["system_key"])
    op.create_table(
        "systems",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("system_key", sa.String(120), nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("region", sa.String(40), nullable=False),
        sa.Column("department", sa.String(40), nullable=False),
        sa.Column("system", sa.String(40), nullable=False),
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("request_kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("since", TS, nullable=False),
        sa.Column("next_check_at", TS),
        sa.Column("deadline_at", TS),
        sa.Column("deadline_rule", sa.String(20)),
        sa.Column("deadline_uncertain", sa.Boolean, nullable=False),
        sa.Column("trial_started_at", TS),
        sa.Column("extension_days", sa.Integer, nullable=False),
        sa.Column("department_accepted_at", TS),
        sa.Column("provider_accepted_at", TS),
        sa.Column("held", sa.Boolean, nullable=False),
        sa.Column("breached", sa.JSON, nullable=False),
        sa.Column("intent_recorded", sa.String(20)),
        sa.Column("pending_request_id", sa.String(40)),
        sa.Column("go_live_at", TS),
        sa.Column("legacy_retention_until", sa.Date),
        sa.Column("spec", sa.JSON),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_systems"),
        sa.ForeignKeyConstraint(["request_id"], ["requests.request_id"], name="fk_systems_request_id_requests"),
        sa.UniqueConstraint("system_key", "generation", name="uq_systems_system_key_generation"),
    )
    op.create_index("ix_systems_next_check_at", "systems", ["next_check_at"])
    op.create_index("ix_systems_state", "systems", ["state"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("system_id", sa.Integer),
        sa.Column("request_id", sa.String(40)),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("rule", sa.String(20)),
        sa.Column("from_state", sa.String(20)),
        sa.Column("to_state", sa.String(20)),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("dedupe_key", sa.String(240)),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.ForeignKeyConstraint(["system_id"], ["systems.id"], name="fk_events_system_id_systems"),
        sa.UniqueConstraint("dedupe_key", name="uq_events_dedupe_key"),
    )
    op.create_index("ix_events_system_id", "events", ["system_id"])
    op.create_table(
        "leases",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("holder", sa.String(120)),
        sa.Column("host", sa.String(80)),
        sa.Column("pid", sa.Integer),
        sa.Column("acquired_at", TS),
        sa.Column("expires_at", TS),
        sa.PrimaryKeyConstraint("name", name="pk_leases"),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("subject", sa.String(160), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
    )
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("pruned_seq", sa.Integer, nullable=False),
        sa.Column("pruned_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.create_table(
        "audit_exports",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("first_seq", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("location", sa.String(400), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_exports"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS, "pruned_seq": 0, "pruned_hash": GENESIS}])
    op.bulk_insert(sa.table("leases", sa.column("name", sa.String)), [{"name": "reconcile"}])


def downgrade() -> None:
    for table in ("audit_exports", "audit_head", "audit_log", "leases", "events", "systems", "requests"):
        op.drop_table(table)
