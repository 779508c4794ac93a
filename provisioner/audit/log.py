"""The audit log in the ledger database (tables audit_log, audit_head, audit_exports).

`append` runs inside the caller's transaction, so a transition and its audit record
commit together or not at all. Appends lock the chain head row (SELECT ... FOR
UPDATE on PostgreSQL; SQLite transactions are already exclusive), so two writers
never fork the chain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, String, delete, func, insert, select, type_coerce, update
from sqlalchemy.exc import IntegrityError

from provisioner.audit.chain import AuditRecord, Finding, seal, verify
from provisioner.audit.messages import WORDS
from provisioner.calendar import log_deletable_from
from provisioner.errors import InfraError, UserError
from provisioner.ledger.schema import audit_exports, audit_head, audit_log
from provisioner.regulation import LOGS_KEPT, Term


class AuditLogBroken(InfraError):
    """The audit log cannot be appended to or read as it stands: it was damaged or tampered
    with (exit 2); `govcloud audit verify` says what is wrong."""


class PruneRefused(UserError):
    """Records too young (art26) or not yet exported to be deleted (exit 1)."""

    def message(self, lang: str) -> str:
        return self.render(lang)


@dataclass(frozen=True)
class _Said:
    """A regulation term as a value of a sentence, said in the sentence's language ("一年", "one year")."""

    term: Term

    def render(self, lang: str) -> str:
        return self.term.text(lang)


def append(conn: Connection, *, actor: str, action: str, subject: str, at: datetime,
           detail: dict[str, Any] | None = None) -> AuditRecord:
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
                        .with_for_update()).one_or_none()
    if head is None:
        raise AuditLogBroken(WORDS("no-head"))
    record = seal(head.seq + 1, at, actor, action, subject, detail or {}, head.hash)
    try:
        conn.execute(insert(audit_log).values(seq=record.seq, at=record.at, actor=record.actor, action=record.action,
                                              subject=record.subject, detail=record.detail,
                                              prev_hash=record.prev_hash, hash=record.hash))
    except IntegrityError as exc:          # the head was set back below records that exist
        raise AuditLogBroken(WORDS("head-behind", head=head.seq, seq=record.seq)) from exc
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=record.seq, hash=record.hash))
    return record


def _record(row: Any) -> AuditRecord:
    return AuditRecord(row.seq, row.at, row.actor, row.action, row.subject, row.detail, row.prev_hash, row.hash)


def read(conn: Connection, after_seq: int = 0, through_seq: int | None = None) -> list[AuditRecord]:
    """The records, or AuditLogBroken if one of them cannot be read (see read_stored)."""
    stored = read_stored(conn, after_seq, through_seq)
    if stored.corrupt:
        seq, what = next(iter(stored.corrupt.items()))
        raise AuditLogBroken(WORDS("record-unreadable", seq=seq, what=what))
    return stored.records


@dataclass(frozen=True)
class Stored:
    """The rows of the log as stored: those that read as records, and the sequence numbers
    of those that do not (what could not be read), a tampering finding, never a crash."""

    records: list[AuditRecord]
    corrupt: dict[int, str] = field(default_factory=dict)


def read_stored(conn: Connection, after_seq: int = 0, through_seq: int | None = None) -> Stored:
    # `at` and `detail` come raw: their column types would raise on a damaged value.
    query = (select(audit_log.c.seq, type_coerce(audit_log.c.at, String).label("at"), audit_log.c.actor,
                    audit_log.c.action, audit_log.c.subject, type_coerce(audit_log.c.detail, String).label("detail"),
                    audit_log.c.prev_hash, audit_log.c.hash)
             .where(audit_log.c.seq > after_seq).order_by(audit_log.c.seq))
    if through_seq is not None:
        query = query.where(audit_log.c.seq <= through_seq)
    records, corrupt = [], {}
    for row in conn.execute(query):
        parsed = _parse_row(row)
        if isinstance(parsed, AuditRecord):
            records.append(parsed)
        else:
            corrupt[row.seq] = parsed
    return Stored(records, corrupt)


def _parse_row(row: Any) -> AuditRecord | str:
    """The record a row holds, or the name of the column that cannot be read."""
    for column in ("actor", "action", "subject", "prev_hash", "hash"):
        if not isinstance(getattr(row, column), str):
            return column
    at = _moment(row.at)
    if at is None:
        return "at"
    detail = _detail(row.detail)
    if detail is None:
        return "detail"
    return AuditRecord(row.seq, at, row.actor, row.action, row.subject, detail, row.prev_hash, row.hash)


def _moment(value: Any) -> datetime | None:
    if isinstance(value, str):             # SQLite keeps text
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _detail(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):             # SQLite keeps text; PostgreSQL's driver decodes JSON itself
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    pruned_seq: int
    pruned_hash: str


def head(conn: Connection) -> Head | None:
    """The chain head row; None when it was deleted."""
    row = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one_or_none()
    return None if row is None else Head(row.seq, row.hash, row.pruned_seq, row.pruned_hash)


HEAD_MISSING = Finding("head-missing", 0, WORDS("head-deleted"))


@dataclass(frozen=True)
class Checked:
    """A verification of the log kept in the database."""

    count: int                    # records checked (readable or not)
    findings: list[Finding]
    head: Head | None
    hashes: dict[int, str]        # seq -> stored hash of each readable record


def verify_ledger(conn: Connection) -> Checked:
    """The whole log kept in the database, with every problem its chain shows."""
    top = head(conn)
    stored = read_stored(conn, after_seq=-1)
    count = len(stored.records) + len(stored.corrupt)
    if top is None:
        findings = [HEAD_MISSING, *verify(stored.records, corrupt=stored.corrupt)]
    else:
        findings = verify(stored.records, top.pruned_seq, top.pruned_hash, (top.seq, top.hash), stored.corrupt)
    return Checked(count, findings, top, {r.seq: r.hash for r in stored.records})


def exported_through(conn: Connection) -> int:
    return conn.execute(select(func.coalesce(func.max(audit_exports.c.last_seq), 0))).scalar_one()


@dataclass(frozen=True)
class Backlog:
    """How far the exported copies are behind the log (art26: the log must survive the database)."""

    last_export_at: datetime | None      # when the last export was recorded; None if never
    oldest_unexported_at: datetime | None   # the oldest record no export holds yet; None if all are


def export_backlog(conn: Connection) -> Backlog:
    through = exported_through(conn)
    last = conn.execute(select(func.max(audit_exports.c.at))).scalar_one()
    oldest = conn.execute(select(audit_log.c.at).where(audit_log.c.seq > through)
                          .order_by(audit_log.c.seq).limit(1)).scalar_one_or_none()
    return Backlog(last, oldest)


@dataclass(frozen=True)
class Pruned:
    count: int
    through_seq: int


def prune(conn: Connection, *, before: datetime, now: datetime, actor: str) -> Pruned:
    """Delete records written before `before`, refusing any younger than one calendar year
    (art26) or not yet exported to object storage. The chain start moves to the last one."""
    # Only a prefix of the chain can go: stop at the first record written at or after `before`.
    stop = conn.execute(select(func.min(audit_log.c.seq)).where(audit_log.c.at >= before)).scalar_one()
    query = select(audit_log.c.seq, audit_log.c.at, audit_log.c.hash).order_by(audit_log.c.seq)
    candidates = conn.execute(query if stop is None else query.where(audit_log.c.seq < stop)).all()
    if not candidates:
        return Pruned(0, _head(conn).pruned_seq)
    youngest = max(candidates, key=lambda r: r.at)
    deletable_from = log_deletable_from(youngest.at)
    if now < deletable_from:
        raise PruneRefused(WORDS("prune-too-young", seq=youngest.seq, at=youngest.at.isoformat(), kept=_Said(LOGS_KEPT),
                                 until=deletable_from.isoformat()))
    last = candidates[-1]
    exported = exported_through(conn)
    if last.seq > exported:
        raise PruneRefused(WORDS("prune-unexported", seq=exported + 1))
    conn.execute(delete(audit_log).where(audit_log.c.seq <= last.seq))
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(pruned_seq=last.seq, pruned_hash=last.hash))
    append(conn, actor=actor, action="audit.prune", subject="audit_log", at=now,
           detail={"count": len(candidates), "through_seq": last.seq, "before": before.isoformat()})
    return Pruned(len(candidates), last.seq)


def _head(conn: Connection) -> Head:
    top = head(conn)
    if top is None:
        raise AuditLogBroken(WORDS("no-head"))
    return top
