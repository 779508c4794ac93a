"""Copies of the audit log in S3-compatible object storage, and their verification.

Each export writes the records not yet exported as one JSON Lines object,
`<prefix>audit-<first seq>-<last seq>.jsonl`, then records the export in the ledger.
Killed between the two, the next export writes the same object again (same name,
same bytes): nothing is lost or doubled. Pruning (audit.log.prune) only removes
exported records, so the complete log always exists somewhere.

The object carries the chain head it reached (metadata `last-seq`, `last-hash`): the
newest export is the anchor the database is verified against (audit/anchor.py), so
records deleted at the end or the start, or rewritten, with the head row reset to
match, are found. The bucket should be write-once (S3 Object Lock) so that the
anchors cannot be deleted together with the records (deploy/README.md).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import insert

from provisioner.audit import log
from provisioner.audit.anchor import Anchor
from provisioner.audit.chain import GENESIS_HASH, AuditRecord, Finding, verify
from provisioner.audit.messages import WORDS
from provisioner.errors import InfraError
from provisioner.ledger.db import Ledger
from provisioner.ledger.schema import audit_exports


class ObjectStorageError(InfraError):
    """The object storage refused or did not answer (exit 2)."""


class S3Client(Protocol):   # the part of boto3's S3 client used here
    def put_object(self, **kwargs: Any) -> Any: ...
    def get_object(self, **kwargs: Any) -> Any: ...
    def list_objects_v2(self, **kwargs: Any) -> Any: ...
    def head_object(self, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class Exported:
    count: int
    first_seq: int = 0
    last_seq: int = 0
    location: str = ""


def to_jsonl(records: list[AuditRecord]) -> bytes:
    lines = (json.dumps(r.to_json(), sort_keys=True, ensure_ascii=False) for r in records)
    return ("\n".join(lines) + "\n").encode("utf-8")


def parse_jsonl(data: bytes, source: str = "") -> tuple[list[AuditRecord], dict[int, str]]:
    """The records of JSON Lines text, and the lines that are not records, by the sequence
    number they hold (or would hold, counting on from the line before): a tampering
    finding, never a crash."""
    records: list[AuditRecord] = []
    corrupt: dict[int, str] = {}
    last = 0
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        record = _line_record(line)
        if isinstance(record, AuditRecord):
            records.append(record)
            last = record.seq
        else:
            last = record if record is not None else last + 1
            corrupt[last] = f"{source} line {number}".strip()
    return records, corrupt


def _line_record(line: str) -> AuditRecord | int | None:
    """The record on a line; else the sequence number it names, if any."""
    try:
        item = json.loads(line)
    except ValueError:
        return None
    try:
        record = AuditRecord.from_json(item)
        record.to_json()                    # a time without a zone fails here, not later
        return record
    except (ValueError, KeyError, TypeError, AttributeError):
        seq = item.get("seq") if isinstance(item, dict) else None
        return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


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
        raise ObjectStorageError(WORDS("export-failed", location=f"s3://{bucket}/{key}", error=exc)) from exc
    location = f"s3://{bucket}/{key}"
    with ledger.transaction() as conn:
        conn.execute(insert(audit_exports).values(first_seq=first, last_seq=last, last_hash=records[-1].hash,
                                                  location=location, sha256=digest, at=now))
        log.append(conn, actor=actor, action="audit.export", subject=location, at=now,
                   detail={"first_seq": first, "last_seq": last, "sha256": digest})
    return Exported(len(records), first, last, location)


_KEY = re.compile(r"audit-(\d{12})-(\d{12})\.jsonl$")


@dataclass(frozen=True)
class Copies:
    """The exported records, and the lines among them that are not records (see parse_jsonl)."""

    records: list[AuditRecord]
    corrupt: dict[int, str]


def _keys(s3: S3Client, bucket: str, prefix: str) -> list[str]:
    """The export objects under `prefix`, oldest first (their names sort by sequence number)."""
    keys: list[str] = []
    token: dict[str, str] = {}
    while True:
        page = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, **token)
        keys.extend(item["Key"] for item in page.get("Contents", []) if _KEY.search(item["Key"]))
        if not page.get("IsTruncated"):
            return sorted(keys)
        token = {"ContinuationToken": page["NextContinuationToken"]}


def _read(s3: S3Client, bucket: str, key: str) -> tuple[list[AuditRecord], dict[int, str]]:
    return parse_jsonl(s3.get_object(Bucket=bucket, Key=key)["Body"].read(), key)


def fetch_exported(s3: S3Client, *, bucket: str, prefix: str) -> Copies:
    """Every exported record under `prefix`, in object-name order (= sequence order)."""
    records: list[AuditRecord] = []
    corrupt: dict[int, str] = {}
    try:
        for key in _keys(s3, bucket, prefix):
            found, bad = _read(s3, bucket, key)
            records.extend(found)
            corrupt.update(bad)
    except Exception as exc:  # noqa: BLE001 - botocore's errors become ours at this edge
        raise ObjectStorageError(WORDS("exports-unreadable", location=f"s3://{bucket}/{prefix}", error=exc)) from exc
    return Copies(records, corrupt)


def newest_anchor(s3: S3Client, *, bucket: str, prefix: str) -> Anchor | None:
    """The chain head the newest export carries (None: nothing exported yet)."""
    try:
        keys = _keys(s3, bucket, prefix)
        if not keys:
            return None
        key = keys[-1]
        metadata = s3.head_object(Bucket=bucket, Key=key).get("Metadata") or {}
        last_hash = metadata.get("last-hash")
        if not last_hash:                  # an object without its metadata: its last line says it
            records, _ = _read(s3, bucket, key)
            last_hash = records[-1].hash if records else ""
    except Exception as exc:  # noqa: BLE001 - botocore's errors become ours at this edge
        raise ObjectStorageError(WORDS("anchor-unreadable", location=f"s3://{bucket}/{prefix}", error=exc)) from exc
    match = _KEY.search(key)
    assert match is not None
    return Anchor(int(match.group(2)), last_hash, f"s3://{bucket}/{key}")


def exported_record(s3: S3Client, *, bucket: str, prefix: str, seq: int) -> AuditRecord | None:
    """The exported copy of record `seq` (None: no export holds it)."""
    try:
        for key in _keys(s3, bucket, prefix):
            match = _KEY.search(key)
            assert match is not None
            if int(match.group(1)) <= seq <= int(match.group(2)):
                return next((r for r in _read(s3, bucket, key)[0] if r.seq == seq), None)
    except Exception as exc:  # noqa: BLE001 - botocore's errors become ours at this edge
        raise ObjectStorageError(WORDS("exports-unreadable", location=f"s3://{bucket}/{prefix}", error=exc)) from exc
    return None


def verify_records(records: list[AuditRecord], corrupt: dict[int, str] | None = None) -> list[Finding]:
    """Verify an exported sequence on its own: from the genesis if it starts at #1, else from its first link."""
    if not records:
        return verify([], corrupt=corrupt)
    first = min(records, key=lambda r: r.seq)
    if first.seq == 1 or (corrupt and min(corrupt) < first.seq):
        return verify(records, 0, GENESIS_HASH, corrupt=corrupt)
    return verify(records, first.seq - 1, first.prev_hash, corrupt=corrupt)
