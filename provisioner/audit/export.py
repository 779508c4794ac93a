"""Copies of the audit log in S3-compatible object storage, and their verification.

Each export writes the records not yet exported as one JSON Lines object,
`<prefix>audit-<first seq>-<last seq>.jsonl`, then records the export in the ledger.
Killed between the two, the next export writes the same object again (same name,
same bytes): nothing is lost or doubled. Pruning (audit.log.prune) only removes
exported records, so the complete log always exists somewhere.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import insert

from provisioner.audit import log
from provisioner.audit.chain import GENESIS_HASH, AuditRecord, Finding, verify
from provisioner.errors import InfraError
from provisioner.ledger.db import Ledger
from provisioner.ledger.schema import audit_exports


class ObjectStorageError(InfraError):
    """The object storage refused or did not answer (exit 2)."""


class S3Client(Protocol):   # the part of boto3's S3 client used here
    def put_object(self, **kwargs: Any) -> Any: ...
    def get_object(self, **kwargs: Any) -> Any: ...
    def list_objects_v2(self, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class Exported:
    count: int
    first_seq: int = 0
    last_seq: int = 0
    location: str = ""


def to_jsonl(records: list[AuditRecord]) -> bytes:
    lines = (json.dumps(r.to_json(), sort_keys=True, ensure_ascii=False) for r in records)
    return ("\n".join(lines) + "\n").encode("utf-8")


def from_jsonl(data: bytes) -> list[AuditRecord]:
    return [AuditRecord.from_json(json.loads(line)) for line in data.decode("utf-8").splitlines() if line.strip()]


def export(ledger: Ledger, s3: S3Client, *, bucket: str, prefix: str, now: datetime, actor: str) -> Exported:
    with ledger.transaction() as conn:
        start = log.exported_through(conn)
        records = log.read(conn, after_seq=start)
    if not records:
        return Exported(0)
    body = to_jsonl(records)
    digest = hashlib.sha256(body).hexdigest()
    first, last = records[0].seq, records[-1].seq
    key = f"{prefix}audit-{first:012d}-{last:012d}.jsonl"
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/x-ndjson",
                      Metadata={"first-seq": str(first), "last-seq": str(last), "last-hash": records[-1].hash,
                                "sha256": digest})
    except Exception as exc:  # noqa: BLE001 - botocore's errors become ours at this edge
        raise ObjectStorageError(f"audit export to s3://{bucket}/{key} failed: {exc}") from exc
    location = f"s3://{bucket}/{key}"
    with ledger.transaction() as conn:
        conn.execute(insert(audit_exports).values(first_seq=first, last_seq=last, last_hash=records[-1].hash,
                                                  location=location, sha256=digest, at=now))
        log.append(conn, actor=actor, action="audit.export", subject=location, at=now,
                   detail={"first_seq": first, "last_seq": last, "sha256": digest})
    return Exported(len(records), first, last, location)


def fetch_exported(s3: S3Client, *, bucket: str, prefix: str) -> list[AuditRecord]:
    """Every exported record under `prefix`, in object-name order (= sequence order)."""
    keys: list[str] = []
    token: dict[str, str] = {}
    try:
        while True:
            page = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, **token)
            keys.extend(item["Key"] for item in page.get("Contents", []) if item["Key"].endswith(".jsonl"))
            if not page.get("IsTruncated"):
                break
            token = {"ContinuationToken": page["NextContinuationToken"]}
        records: list[AuditRecord] = []
        for key in sorted(keys):
            records.extend(from_jsonl(s3.get_object(Bucket=bucket, Key=key)["Body"].read()))
    except Exception as exc:  # noqa: BLE001 - botocore's errors become ours at this edge
        raise ObjectStorageError(f"reading audit exports from s3://{bucket}/{prefix} failed: {exc}") from exc
    return records


def verify_records(records: list[AuditRecord]) -> list[Finding]:
    """Verify an exported sequence on its own: from the genesis if it starts at #1, else from its first link."""
    if not records:
        return []
    first = records[0]
    if first.seq == 1:
        return verify(records, 0, GENESIS_HASH)
    return verify(records, first.seq - 1, first.prev_hash)
