"""The hash-chained audit log (art26): tampering found, exports to S3 (moto's server), pruning guarded."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from provisioner import cli
from provisioner.audit import export as audit_export
from provisioner.audit import log as audit_log
from provisioner.audit.chain import GENESIS_HASH, AuditRecord, seal, verify
from provisioner.ledger import Ledger
from provisioner.ledger.schema import audit_log as table

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def chain(n: int = 10) -> list[AuditRecord]:
    records, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        record = seal(seq, T0 + timedelta(minutes=seq), "ops:chen", "lifecycle.accepted", f"sys-{seq}",
                      {"rule": "art15", "n": seq}, prev)
        records.append(record)
        prev = record.hash
    return records


def kinds_and_seqs(findings) -> list[tuple[str, int]]:  # noqa: ANN001
    return [(f.kind, f.seq) for f in findings]


def test_an_intact_chain_verifies() -> None:
    records = chain()
    assert verify(records, head=(10, records[-1].hash)) == []


def test_a_changed_record_is_named() -> None:
    records = chain()
    records[3] = replace(records[3], detail={"rule": "art15", "n": 999})
    findings = verify(records)
    assert kinds_and_seqs(findings) == [("changed", 4)]
    assert findings[0].en == "record #4 was changed (its hash does not match its content)"
    assert findings[0].zh == "记录 #4 的内容被修改（哈希不符）"


def test_a_changed_and_rehashed_record_breaks_the_next_link() -> None:
    records = chain()
    forged = replace(records[3], actor="someone-else")
    records[3] = seal(forged.seq, forged.at, forged.actor, forged.action, forged.subject, forged.detail,
                      forged.prev_hash)
    assert kinds_and_seqs(verify(records)) == [("broken", 5)]
    assert "#4 was rewritten" in verify(records)[0].en


def test_a_dropped_record_is_named() -> None:
    records = chain()
    del records[4]
    findings = verify(records)
    assert kinds_and_seqs(findings) == [("dropped", 5)]
    assert findings[0].en == "record(s) #5 missing (dropped)"


def test_records_dropped_from_the_end_are_found_against_the_head() -> None:
    records = chain()
    head = (10, records[-1].hash)
    assert kinds_and_seqs(verify(records[:8], head=head)) == [("truncated", 9)]
    assert verify(records[:8], head=head)[0].en == "record(s) #9..#10 at the end are missing (dropped)"


def test_reordered_lines_are_named() -> None:
    records = chain()
    records[5], records[6] = records[6], records[5]
    findings = verify(records)
    assert kinds_and_seqs(findings) == [("reordered", 6)]
    assert findings[0].en == "reordered: #6 stands after #7 (position 7)"


def test_swapped_contents_under_fixed_numbers_are_named_as_reordered() -> None:
    records = chain()
    six, seven = records[5], records[6]
    records[5], records[6] = replace(seven, seq=6), replace(six, seq=7)
    assert kinds_and_seqs(verify(records)) == [("reordered", 6), ("reordered", 7)]
    assert verify(records)[0].en == "reordered: position #6 holds the content of record #7"


def _fill(ledger: Ledger, n: int, at: datetime = T0) -> None:
    with ledger.transaction() as conn:
        for i in range(n):
            audit_log.append(conn, actor="ops:chen", action="engine.create_trial", subject=f"sys-{i}",
                             at=at + timedelta(seconds=i), detail={"i": i, "名称": "九江"})


def _verify(ledger: Ledger) -> list[tuple[str, int]]:
    with ledger.transaction() as conn:
        return kinds_and_seqs(audit_log.verify_ledger(conn).findings)


@pytest.mark.parametrize(("tamper", "expected"), [
    (lambda c: c.execute(update(table).where(table.c.seq == 3).values(actor="intruder")), [("changed", 3)]),
    (lambda c: c.execute(update(table).where(table.c.seq == 4).values(detail={"i": 0})), [("changed", 4)]),
    (lambda c: c.execute(delete(table).where(table.c.seq == 2)), [("dropped", 2)]),
    (lambda c: c.execute(delete(table).where(table.c.seq >= 5)), [("truncated", 5)]),
    (lambda c: (c.execute(update(table).where(table.c.seq == 2).values(seq=100)),
                c.execute(update(table).where(table.c.seq == 3).values(seq=2)),
                c.execute(update(table).where(table.c.seq == 100).values(seq=3))),
     [("reordered", 2), ("reordered", 3)]),
], ids=["actor", "detail", "dropped", "truncated", "swapped"])
def test_tampering_in_the_database_is_found(ledger: Ledger, tamper, expected) -> None:  # noqa: ANN001
    _fill(ledger, 6)
    assert _verify(ledger) == []
    with ledger.transaction() as conn:
        tamper(conn)
    assert _verify(ledger) == expected


def test_concurrent_appends_keep_one_chain(ledger: Ledger) -> None:
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(25):
                _fill(ledger, 1)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with ledger.transaction() as conn:
        seqs = list(conn.execute(select(table.c.seq).order_by(table.c.seq)).scalars())
    assert seqs == list(range(1, 76)) and _verify(ledger) == []


def test_export_to_object_storage_then_verify_the_copies(ledger: Ledger, s3, bucket: str) -> None:  # noqa: ANN001
    _fill(ledger, 5)
    first = audit_export.export(ledger, s3, bucket=bucket, prefix="jj/", now=T0, actor="ops:chen")
    assert (first.count, first.first_seq, first.last_seq) == (5, 1, 5)
    assert first.location == f"s3://{bucket}/jj/audit-000000000001-000000000005.jsonl"
    _fill(ledger, 2)
    second = audit_export.export(ledger, s3, bucket=bucket, prefix="jj/", now=T0, actor="ops:chen")
    assert (second.first_seq, second.last_seq) == (6, 8)       # 5 + the export's own record + 2
    copies = audit_export.fetch_exported(s3, bucket=bucket, prefix="jj/").records
    assert [r.seq for r in copies] == list(range(1, 9))
    assert audit_export.verify_records(copies) == []
    with ledger.transaction() as conn:
        assert [r.to_json() for r in audit_log.read(conn, through_seq=8)] == [r.to_json() for r in copies]
    # someone edits the stored copy
    key = "jj/audit-000000000001-000000000005.jsonl"
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().replace(b'"sys-2"', b'"sys-X"')
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    tampered = audit_export.fetch_exported(s3, bucket=bucket, prefix="jj/").records
    assert kinds_and_seqs(audit_export.verify_records(tampered)) == [("changed", 3)]


def test_export_with_nothing_new_writes_nothing(ledger: Ledger, s3, bucket: str) -> None:  # noqa: ANN001
    assert audit_export.export(ledger, s3, bucket=bucket, prefix="", now=T0, actor="x").count == 0
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_pruning_refuses_young_and_unexported_records(ledger: Ledger, s3, bucket: str) -> None:  # noqa: ANN001
    old = datetime(2025, 1, 10, 2, 0, tzinfo=timezone.utc)
    _fill(ledger, 3, at=old)                                # #1..#3, 2025-01-10
    _fill(ledger, 2, at=datetime(2025, 6, 1, tzinfo=timezone.utc))   # #4..#5
    now = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    with pytest.raises(audit_log.PruneRefused) as young, ledger.transaction() as conn:
        audit_log.prune(conn, before=datetime(2025, 7, 1, tzinfo=timezone.utc), now=now, actor="ops:chen")
    assert "#5" in young.value.message("en") and "2026-06-01" in young.value.message("en")
    assert "第二十六条" in young.value.message("zh")
    with pytest.raises(audit_log.PruneRefused) as unexported, ledger.transaction() as conn:
        audit_log.prune(conn, before=datetime(2025, 2, 1, tzinfo=timezone.utc), now=now, actor="ops:chen")
    assert "not exported" in unexported.value.message("en")
    audit_export.export(ledger, s3, bucket=bucket, prefix="", now=now, actor="ops:chen")
    with ledger.transaction() as conn:
        pruned = audit_log.prune(conn, before=datetime(2025, 2, 1, tzinfo=timezone.utc), now=now, actor="ops:chen")
    assert (pruned.count, pruned.through_seq) == (3, 3)
    with ledger.transaction() as conn:
        checked = audit_log.verify_ledger(conn)
        count, findings = checked.count, checked.findings
        actions = [r.action for r in audit_log.read(conn)]
    assert findings == [] and count == 4                    # #4, #5, the export's record, the prune's record
    assert actions[-1] == "audit.prune"
    # exactly one calendar year is the boundary
    with ledger.transaction() as conn:
        assert audit_log.prune(conn, before=datetime(2025, 6, 1, tzinfo=timezone.utc), now=now,
                               actor="x").count == 0


def test_audit_cli_verify_export_and_prune(tmp_path: Path, capsys, s3, bucket: str,  # noqa: ANN001
                                           audit_repo: str) -> None:
    ledger = Ledger.open(audit_repo)
    _fill(ledger, 4)
    assert cli.main(["audit", "--lang", "en", "verify"]) == 0
    # 4, and the start record of this very run (its close comes after)
    assert capsys.readouterr().out == "audit log intact: 5 record(s)\n"
    assert cli.main(["audit", "export"]) == 0      # #6 the close of verify, #7 the start of export
    assert f"已导出 7 条记录 #1..#7，存至 s3://{bucket}/audit/audit-000000000001-000000000007.jsonl" in capsys.readouterr().out
    assert cli.main(["audit", "verify", "--exported"]) == 0
    assert "审计日志完整" in capsys.readouterr().out
    with ledger.transaction() as conn:
        conn.execute(update(table).where(table.c.seq == 2).values(subject="sys-forged"))
    assert cli.main(["audit", "--lang", "en", "verify"]) == 1
    captured = capsys.readouterr()
    assert "record #2 was changed" in captured.out and "TAMPERED" in captured.err
    assert cli.main(["audit", "--lang", "en", "prune", "--before", "2099-01-01"]) == 1
    assert "younger than one year" in capsys.readouterr().err
    exported = tmp_path / "copy.jsonl"
    exported.write_bytes(s3.get_object(Bucket=bucket, Key="audit/audit-000000000001-000000000007.jsonl")["Body"].read())
    lines = exported.read_text(encoding="utf-8").splitlines()
    exported.write_text("\n".join([lines[0], lines[2], lines[1], *lines[3:]]) + "\n", encoding="utf-8")
    assert cli.main(["audit", "--lang", "en", "verify", "--file", str(exported)]) == 1
    assert "reordered: #2 stands after #3 (position 3)" in capsys.readouterr().out
    ledger.close()
