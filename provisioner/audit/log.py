"""The audit log in the ledger database (tables audit_log, audit_head, audit_exports).

`append` runs inside the caller's transaction, so a transition and its audit record
commit together or not at all. Appends lock the chain head row (SELECT ... FOR
UPDATE on PostgreSQL; SQLite transactions are already exclusive), so two writers
never fork the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from provisioner.audit.chain import AuditRecord, Finding, seal, verify
from provisioner.calendar import log_deletable_from
from provisioner.errors import UserError
from provisioner.ledger.schema import audit_exports, audit_head, audit_log


class PruneRefused(UserError):
    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(zh)

    def message(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def append(conn: Connection, *, actor: str, action: str, subject: str, at: datetime,
           detail: dict[str, Any] | None = None) -> AuditRecord:
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
                        .with_for_update()).one()
    record = seal(head.seq + 1, at, actor, action, subject, detail or {}, head.hash)
    conn.execute(insert(audit_log).values(seq=record.seq, at=record.at, actor=record.actor, action=record.action,
                                          subject=record.subject, detail=record.detail,
                                          prev_hash=record.prev_hash, hash=record.hash))
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=record.seq, hash=record.hash))
    return record


def _record(row: Any) -> AuditRecord:
    return AuditRecord(row.seq, row.at, row.actor, row.action, row.subject, row.detail, row.prev_hash, row.hash)


def read(conn: Connection, after_seq: int = 0, through_seq: int | None = None) -> list[AuditRecord]:
    query = select(audit_log).where(audit_log.c.seq > after_seq).order_by(audit_log.c.seq)
    if through_seq is not None:
        query = query.where(audit_log.c.seq <= through_seq)
    return [_record(row) for row in conn.execute(query)]


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    pruned_seq: int
    pruned_hash: str


def head(conn: Connection) -> Head:
    row = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one()
    return Head(row.seq, row.hash, row.pruned_seq, row.pruned_hash)


def verify_ledger(conn: Connection) -> tuple[int, list[Finding]]:
    """(records checked, findings) for the whole log kept in the database."""
    top = head(conn)
    records = read(conn, after_seq=-1)
    return len(records), verify(records, top.pruned_seq, top.pruned_hash, (top.seq, top.hash))


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
        return Pruned(0, head(conn).pruned_seq)
    youngest = max(candidates, key=lambda r: r.at)
    deletable_from = log_deletable_from(youngest.at)
    if now < deletable_from:
        raise PruneRefused(
            f"拒绝清理：记录 #{youngest.seq}（{youngest.at.isoformat()}）未满一年，须保存至 {deletable_from.isoformat()}（第二十六条）",
            f"refused: record #{youngest.seq} ({youngest.at.isoformat()}) is younger than one year; "
            f"it must be kept until {deletable_from.isoformat()} (art26)")
    last = candidates[-1]
    exported = exported_through(conn)
    if last.seq > exported:
        raise PruneRefused(f"拒绝清理：记录 #{exported + 1} 起尚未导出到对象存储，请先执行 govcloud audit export",
                           f"refused: records from #{exported + 1} are not exported to object storage yet; "
                           f"run govcloud audit export first")
    conn.execute(delete(audit_log).where(audit_log.c.seq <= last.seq))
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(pruned_seq=last.seq, pruned_hash=last.hash))
    append(conn, actor=actor, action="audit.prune", subject="audit_log", at=now,
           detail={"count": len(candidates), "through_seq": last.seq, "before": before.isoformat()})
    return Pruned(len(candidates), last.seq)
