"""`govcloud audit verify`: the audit log's chain in the database, held against its newest export (art26).

The chain alone cannot show records deleted at its end or start together with its head;
the newest export's anchor (provisioner/audit/anchor.py) can. Without a bucket only the
chain is checked (`anchored` None); with one but nothing exported yet, `anchor` is None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:       # imported where used: the CLI's `--help` loads no SQLAlchemy
    from provisioner.audit.chain import Finding
    from provisioner.ledger import Ledger


@dataclass(frozen=True)
class Verified:
    findings: list[Finding]
    count: int                        # records checked
    anchored: bool                    # False: no bucket, only the chain in the database was checked
    anchor: Any | None = None         # the newest export's anchor (None: nothing exported yet)
    held: bool = False                # the database's chain head was held against the anchor


def verify(ledger: Ledger, bucket: str | None, prefix: str, s3: Callable[[], Any], now: datetime) -> Verified:
    from provisioner.audit import export as audit_export
    from provisioner.audit import log as audit_log
    from provisioner.audit.anchor import Kept
    from provisioner.audit.anchor import check as anchor_check

    with ledger.transaction() as conn:
        checked = audit_log.verify_ledger(conn)
    findings = list(checked.findings)
    if not bucket:
        return Verified(findings, checked.count, anchored=False)
    client = s3()
    anchor = audit_export.newest_anchor(client, bucket=bucket, prefix=prefix)
    if anchor is not None and checked.head is not None:
        top = checked.head
        copy = (audit_export.exported_record(client, bucket=bucket, prefix=prefix, seq=top.pruned_seq)
                if 0 < top.pruned_seq <= anchor.seq else None)
        kept = Kept(top.seq, top.pruned_seq, top.pruned_hash, checked.hashes.get(anchor.seq))
        findings += anchor_check(kept, anchor, copy, now)
    return Verified(findings, checked.count, anchored=True, anchor=anchor,
                    held=anchor is not None and checked.head is not None)
