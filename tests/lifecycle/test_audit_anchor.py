"""The audit log against its anchor in object storage (moto's S3 server), and damaged records.

Each case tampers with the database the way someone with write access to it could, including
resetting the chain head to match, and `govcloud audit verify` must exit 1 naming it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Connection, delete, select, text, update

from provisioner import cli
from provisioner.audit import anchor
from provisioner.audit import export as audit_export
from provisioner.audit import log as audit_log
from provisioner.audit.chain import GENESIS_HASH, AuditRecord, seal
from provisioner.ledger import Ledger
from provisioner.ledger.schema import audit_head, audit_log as table

NOW = datetime.now(timezone.utc)
CHINESE = r"[\u3400-\u9fff\uff00-\uffef]"


@pytest.fixture()
def logged(audit_repo: str, s3, bucket: str) -> Ledger:  # noqa: ANN001
    """A repository whose ledger holds 10 records: #1..#7 exported (the anchor is #7), #8 says so."""
    ledger = Ledger.open(audit_repo)
    _fill(ledger, 7)
    audit_export.export(ledger, s3, bucket=bucket, prefix="audit/", now=NOW, actor="ops:chen")  # #1..#7, then #8
    _fill(ledger, 2)                                                                         # #9, #10
    yield ledger
    ledger.close()


def _fill(ledger: Ledger, n: int) -> None:
    with ledger.transaction() as conn:
        for i in range(n):
            audit_log.append(conn, actor="ops:chen", action="stack.up", subject=f"sys-{i}",
                             at=NOW - timedelta(minutes=30 - i), detail={"i": i})


def _verify(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = cli.main(["audit", "--lang", "en", "verify", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _hash_of(conn: Connection, seq: int) -> str:
    return conn.execute(select(table.c.hash).where(table.c.seq == seq)).scalar_one()


def _reset_head(conn: Connection, seq: int, hash_: str, pruned: tuple[int, str] | None = None) -> None:
    values = {"seq": seq, "hash": hash_}
    if pruned is not None:
        values.update(pruned_seq=pruned[0], pruned_hash=pruned[1])
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(**values))


def _last(conn: Connection) -> int:
    return conn.execute(select(table.c.seq).order_by(table.c.seq.desc()).limit(1)).scalar_one()


def _drop_tail(conn: Connection) -> None:            # #6.. gone, the head says #5
    last = _hash_of(conn, 5)
    conn.execute(delete(table).where(table.c.seq > 5))
    _reset_head(conn, 5, last)


def _drop_prefix(conn: Connection) -> None:          # #1..#4 gone, as if pruned: the start moved to #4
    start = _hash_of(conn, 4)
    conn.execute(delete(table).where(table.c.seq <= 4))
    _reset_head(conn, _last(conn), _hash_of(conn, _last(conn)), pruned=(4, start))


def _drop_unexported_prefix(conn: Connection) -> None:   # #1..#9: #8 and #9 were never exported
    start = _hash_of(conn, 9)
    conn.execute(delete(table).where(table.c.seq <= 9))
    _reset_head(conn, _last(conn), _hash_of(conn, _last(conn)), pruned=(9, start))


def _drop_everything(conn: Connection) -> None:
    conn.execute(delete(table))
    _reset_head(conn, 0, GENESIS_HASH, pruned=(0, GENESIS_HASH))


def _rewrite_and_rehash(conn: Connection) -> None:   # #3 forged, every later record sealed again
    rows = conn.execute(select(table).order_by(table.c.seq)).all()
    prev = _hash_of(conn, 2)
    for row in rows[2:]:
        actor = "someone-else" if row.seq == 3 else row.actor
        forged = seal(row.seq, row.at, actor, row.action, row.subject, row.detail, prev)
        conn.execute(update(table).where(table.c.seq == row.seq).values(actor=actor, prev_hash=prev, hash=forged.hash))
        prev = forged.hash
    _reset_head(conn, rows[-1].seq, prev)


@pytest.mark.parametrize(("tamper", "expected"), [
    (_drop_tail, "shows it reached #7: record(s) #"),
    (_drop_prefix, "records #1..#4 are gone from the database but #4"),
    (_drop_unexported_prefix, "the exports reach #7 only: #8..#9 were never exported"),
    (_drop_everything, "shows it reached #7: record(s) #"),
    (_rewrite_and_rehash, "record #7 differs from its copy in s3://"),
], ids=["tail-with-head-reset", "prefix-with-start-reset", "unexported-prefix", "everything-with-head-reset",
        "rewritten-and-rehashed"])
def test_tampering_hidden_from_the_chain_is_found_against_the_anchor(
        logged: Ledger, capsys: pytest.CaptureFixture[str], tamper: Callable[[Connection], None],
        expected: str) -> None:
    with logged.transaction() as conn:
        tamper(conn)
    code, output = _verify(capsys)
    assert code == 1, output
    assert expected in output and "TAMPERED" in output


def test_the_chain_alone_would_not_see_it(logged: Ledger) -> None:
    # Why the anchor is needed: with the head reset, the database is consistent with itself.
    with logged.transaction() as conn:
        _drop_tail(conn)
        assert audit_log.verify_ledger(conn).findings == []


def test_a_prefix_deleted_without_moving_the_start_is_found_by_the_chain(
        logged: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    with logged.transaction() as conn:
        conn.execute(delete(table).where(table.c.seq <= 3))
    code, output = _verify(capsys)
    assert code == 1 and "record(s) #1..#3 missing (dropped)" in output


@pytest.mark.parametrize(("column", "value"), [("detail", "{not json"), ("at", "yesterday-ish")])
def test_a_corrupt_record_is_a_tampering_finding_not_a_crash(
        logged: Ledger, capsys: pytest.CaptureFixture[str], column: str, value: str) -> None:
    with logged.transaction() as conn:
        conn.execute(text(f"UPDATE audit_log SET {column} = :value WHERE seq = 9"), {"value": value})
    code, output = _verify(capsys)
    assert code == 1, output
    assert f"record #9 is corrupt: its {column} cannot be read (treated as tampering)" in output
    assert cli.main(["audit", "--lang", "en", "show", "-n", "50"]) == 0
    assert f"#9 (corrupt record: {column})" in capsys.readouterr().out
    assert cli.main(["audit", "--lang", "en", "export"]) == 2           # refused: not exported as if intact
    assert "audit record #9 is corrupt" in capsys.readouterr().err


def test_a_deleted_head_row_is_found_and_stops_other_commands(
        logged: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    with logged.transaction() as conn:
        conn.execute(delete(audit_head))
    code, output = _verify(capsys)
    assert code == 1 and "the audit log's chain head (table audit_head) was deleted" in output
    assert cli.main(["calendar", "trial-end", "--start", "2026-02-10"]) == 2   # nothing runs unrecorded
    assert capsys.readouterr().err.startswith("govcloud: 审计日志没有链头（audit_head 表）：日志已被篡改")
    assert cli.main(["--lang", "en", "calendar", "trial-end", "--start", "2026-02-10"]) == 2
    english = capsys.readouterr().err
    assert english.startswith("govcloud: the audit log has no chain head") and not re.search(CHINESE, english)


def test_a_corrupt_line_in_an_exported_copy_is_a_finding(
        logged: Ledger, tmp_path: Path, s3, bucket: str, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    key = "audit/audit-000000000001-000000000007.jsonl"
    lines = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8").splitlines()
    copy = tmp_path / "copy.jsonl"
    copy.write_text("\n".join([*lines[:2], '{"seq": 3, "at": "broken"', *lines[3:]]) + "\n", encoding="utf-8")
    code, output = _verify(capsys, "--file", str(copy))
    assert code == 1 and "record #3 is corrupt: its copy.jsonl line 3 cannot be read" in output
    s3.put_object(Bucket=bucket, Key=key, Body=copy.read_bytes())
    code, output = _verify(capsys, "--exported")
    assert code == 1 and f"record #3 is corrupt: its {key} line 3 cannot be read" in output


def test_without_a_bucket_the_check_is_said_to_be_partial(
        logged: Ledger, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GOVCLOUD_AUDIT_BUCKET")
    code, output = _verify(capsys)
    assert code == 0 and "GOVCLOUD_AUDIT_BUCKET is not set: only the chain inside the database was checked" in output


def test_an_intact_log_names_its_anchor(logged: Ledger, bucket: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _verify(capsys)
    assert code == 0 and f"anchor: s3://{bucket}/audit/audit-000000000001-000000000007.jsonl (#7)" in output
    assert _verify(capsys)[0] == 0                       # and again, with this run's own records


# -- the pure check ------------------------------------------------------------------------------

def _record(seq: int, at: datetime) -> AuditRecord:
    return seal(seq, at, "ops:chen", "stack.up", "sys", {}, GENESIS_HASH)


ANCHOR = anchor.Anchor(8, "h8", "s3://b/audit-000000000001-000000000008.jsonl")   # the pure check's own


@pytest.mark.parametrize(("kept", "copy", "kinds"), [
    (anchor.Kept(10, 0, GENESIS_HASH, "h8"), None, []),
    (anchor.Kept(5, 0, GENESIS_HASH, None), None, ["truncated"]),
    (anchor.Kept(10, 0, GENESIS_HASH, "forged"), None, ["rewritten"]),
    (anchor.Kept(10, 9, "h9", None), None, ["unexported"]),
], ids=["intact", "truncated", "rewritten", "unexported"])
def test_check_against_the_anchor(kept: anchor.Kept, copy: AuditRecord | None, kinds: list[str]) -> None:
    assert [f.kind for f in anchor.check(kept, ANCHOR, copy, NOW)] == kinds


def test_a_prune_point_older_than_a_year_is_legitimate() -> None:
    old = _record(4, NOW - timedelta(days=400))
    assert anchor.check(anchor.Kept(10, 4, old.hash, "h8"), ANCHOR, old, NOW) == []
    young = _record(4, NOW - timedelta(days=300))
    assert [f.kind for f in anchor.check(anchor.Kept(10, 4, young.hash, "h8"), ANCHOR, young, NOW)] == ["pruned-early"]
    assert [f.kind for f in anchor.check(anchor.Kept(10, 4, "other", "h8"), ANCHOR, old, NOW)] == ["rewritten"]


def test_a_head_set_back_below_existing_records_is_found_and_stops_other_commands(
        logged: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    with logged.transaction() as conn:
        _reset_head(conn, 5, _hash_of(conn, 5))
    assert cli.main(["--lang", "en", "calendar", "trial-end", "--start", "2026-02-10"]) == 2
    assert "chain head says #5 but record #6 exists" in capsys.readouterr().err
    code, output = _verify(capsys)
    assert code == 1 and "records from #6 are beyond the chain head (inserted)" in output


def test_an_unreachable_object_storage_is_said_in_the_language_asked_for(
        logged: Ledger, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GOVCLOUD_AUDIT_S3_ENDPOINT", "http://127.0.0.1:1")      # nothing listens on port 1
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    assert cli.main(["audit", "export"]) == 2
    assert capsys.readouterr().err.startswith("govcloud: 审计日志导出到 s3://")
    assert cli.main(["audit", "--lang", "en", "export"]) == 2
    english = capsys.readouterr().err
    assert english.startswith("govcloud: audit export to s3://") and " failed: " in english
    assert not re.search(CHINESE, english)
