"""The ledger's tables (SQLAlchemy Core). Alembic migrations under migrations/ create them;
tests/lifecycle/test_ledger.py checks the two never drift apart.

Times are stored as UTC: `timestamptz` on PostgreSQL, ISO text on SQLite, and always
come back timezone-aware (UTCDateTime).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored as UTC; a naive one is refused (a bug, not data)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the ledger")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


NAMING = {"ix": "ix_%(table_name)s_%(column_0_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}
metadata = MetaData(naming_convention=NAMING)

requests = Table(
    "requests", metadata,
    Column("request_id", String(40), primary_key=True),
    Column("system_key", String(120), nullable=False, index=True),
    Column("kind", String(20), nullable=False),                 # lifecycle.states.RequestKind
    Column("decision", String(10), nullable=False),             # pending | accepted | rejected
    Column("submitted_at", UTCDateTime(), nullable=False),
    Column("submitted_by", String(80), nullable=False),
    Column("decided_at", UTCDateTime()),
    Column("decided_by", String(80)),
    Column("note", Text, nullable=False, default=""),
    Column("classification", JSON),                              # change requests: kind and reasons
    Column("spec", JSON),
    Column("spec_sha256", String(64)),
)

systems = Table(
    "systems", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("system_key", String(120), nullable=False),
    Column("generation", Integer, nullable=False),
    Column("region", String(40), nullable=False),
    Column("department", String(40), nullable=False),
    Column("system", String(40), nullable=False),
    Column("request_id", String(40), ForeignKey("requests.request_id"), nullable=False),
    Column("request_kind", String(20), nullable=False),
    Column("state", String(20), nullable=False),
    Column("since", UTCDateTime(), nullable=False),
    Column("next_check_at", UTCDateTime(), index=True),          # reconcile reads only rows due by now
    Column("deadline_at", UTCDateTime()),                        # the running deadline, for reports and metrics
    Column("deadline_rule", String(20)),
    Column("deadline_uncertain", Boolean, nullable=False, default=False),
    Column("trial_started_at", UTCDateTime()),
    Column("extension_days", Integer, nullable=False, default=0),
    Column("department_accepted_at", UTCDateTime()),
    Column("provider_accepted_at", UTCDateTime()),
    Column("held", Boolean, nullable=False, default=False),
    Column("breached", JSON, nullable=False),                    # rules missed in the current state
    Column("intent_recorded", String(20)),
    Column("pending_request_id", String(40)),
    Column("go_live_at", UTCDateTime()),
    Column("legacy_retention_until", Date),
    Column("trial_days", Integer, nullable=False, server_default="15"),   # the request's trial.days (art16)
    Column("early_go_live_at", UTCDateTime()),                   # the department's recorded early go-live
    Column("handover_confirmed_at", UTCDateTime()),              # the unit confirmed the hand-over record (art25)
    Column("spec", JSON),
    Column("version", Integer, nullable=False, default=0),       # optimistic concurrency
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("system_key", "generation", name="uq_systems_system_key_generation"),
    Index("ix_systems_state", "state"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("system_id", Integer, ForeignKey("systems.id"), index=True),
    Column("request_id", String(40)),
    Column("kind", String(40), nullable=False),
    Column("rule", String(20)),
    Column("from_state", String(20)),
    Column("to_state", String(20)),
    Column("actor", String(80), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("dedupe_key", String(240), unique=True),
)

# The hand-over record of a terminated generation's data (art25): written when its backups
# are verified, confirmed by the unit before anything is destroyed. `record` is what the
# unit reads (provisioner.lifecycle.handover.Record as JSON); `record_sha256` names it.
handovers = Table(
    "handovers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("system_id", Integer, ForeignKey("systems.id"), nullable=False, unique=True),
    Column("request_id", String(40)),                            # the termination request
    Column("made_at", UTCDateTime(), nullable=False),
    Column("made_by", String(80), nullable=False),
    Column("retention_days", Integer, nullable=False),
    Column("kept_until", Date, nullable=False),                  # the provider keeps the backups until then
    Column("record", JSON, nullable=False),
    Column("record_sha256", String(64), nullable=False),
    Column("confirmed_at", UTCDateTime()),
    Column("confirmed_by", String(80)),                          # the unit's person (--by)
    Column("confirmed_actor", String(80)),                       # GOVCLOUD_ACTOR of the confirmation
)

leases = Table(
    "leases", metadata,
    Column("name", String(40), primary_key=True),
    Column("holder", String(120)),                # host:pid:token of the running job
    Column("host", String(80)),
    Column("pid", Integer),
    Column("acquired_at", UTCDateTime()),
    Column("expires_at", UTCDateTime()),
)

audit_log = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(80), nullable=False),
    Column("subject", String(160), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row (id 1): the chain's head, locked by every append so appends are serialized, and
# the point up to which old records were pruned (after export), where verification starts.
audit_head = Table(
    "audit_head", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("pruned_seq", Integer, nullable=False),
    Column("pruned_hash", String(64), nullable=False),
)

audit_exports = Table(
    "audit_exports", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("first_seq", Integer, nullable=False),
    Column("last_seq", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("location", String(400), nullable=False),             # s3://bucket/key
    Column("sha256", String(64), nullable=False),                # of the exported object
    Column("at", UTCDateTime(), nullable=False),
)

GENESIS_HASH = "0" * 64
RECONCILE_LEASE = "reconcile"
