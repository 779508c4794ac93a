"""Termination hands the unit its data (art25, art19), on the real cloud and engine, in a
department of its own (jj-handover-test) with its own state backend, ledger and audit log:

1. a small system (one cirros host with a 20 GB system disk and a 10 GB data disk, and a Swift
   container holding one object) is made, then terminated: reconcile takes the server offline
   (Nova detaches no root volume: the server goes, its volumes stay), backs every volume up,
   verifies it and writes the hand-over record (each backup's id, size, checksum, where it is
   kept and until when, the container as data the unit exports itself); no data is destroyed;
2. before the unit confirms, nothing destroys it: reconcile does nothing, `govcloud destroy`
   and `lifecycle done ... terminate` are refused (exit 1, art25); status names the department;
3. the unit confirms (`lifecycle handover confirm --by`): recorded in the ledger and the audit log;
4. reconcile then destroys the stack: nothing of the system is left but its backups.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, timedelta

import openstack
import pytest
from sqlalchemy import select

from provisioner.cloud.backups import connect_project, export_record
from provisioner.ledger import Ledger
from provisioner.ledger.schema import audit_log, handovers
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.agreements import file_agreement
from tests.cloud.leftovers import purge_project
from tests.cloud.specs import one_host
from tests.cloud.test_ledger_flow import govcloud, ok      # the CLI at GOVCLOUD_NOW (DAY0 by default)

pytestmark = pytest.mark.cloud

DEPARTMENT = "jj-handover-test"
PROJECT = f"city-{DEPARTMENT}"
TENANT = f"city.{DEPARTMENT}"
SYSTEM = f"city.{DEPARTMENT}.handover"
SPEC = f"request_specs/{DEPARTMENT}/handover.yaml"
BUCKET = "jj-handover-test-files"
REQUEST, TERMINATION = "JJ-2026-0981", "JJ-2026-0982"
DAY1, DAY2 = "2026-12-08T09:00", "2026-12-09T09:00"

STORAGE = f"""\
  storage:
    buckets:
      - name: {BUCKET}
        quota_gb: 1
"""


def spec_text() -> str:
    """The smallest disks allowed (Cinder's posix backup reads every byte): the flavor's 20 GB system disk
    and a 10 GB data disk."""
    return one_host(DEPARTMENT, "九江市数据移交测试局", "handover", "数据移交测试系统", REQUEST, "10.99.81.0/24",
                    "tests/cloud/test_handover.py", disk_gb=10, storage=STORAGE, summary="终止时的数据移交测试")


@pytest.fixture(scope="module")
def unit(workspace: Settings, admin: openstack.connection.Connection):
    purge_project(admin, PROJECT)
    file_agreement(workspace.root, DEPARTMENT)
    path = workspace.root / SPEC
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec_text(), encoding="utf-8")
    yield workspace
    engine = Engine(workspace)
    project = admin.identity.find_project(PROJECT)
    if project is not None:
        conn = connect_project(workspace, project.id)
        for name in [o.name for o in conn.object_store.objects(BUCKET)] if _has_bucket(conn) else []:
            conn.object_store.delete_object(name, container=BUCKET)
        for backup in admin.block_storage.backups(all_projects=True, project_id=project.id):
            admin.block_storage.delete_backup(backup.id, force=True)
    if engine.exists(SYSTEM):
        engine.unprotect_all(SYSTEM)
        engine.destroy(SYSTEM)
    engine.destroy(TENANT)
    purge_project(admin, PROJECT)


def _has_bucket(conn: openstack.connection.Connection) -> bool:
    return any(c.name == BUCKET for c in conn.object_store.containers())


def project_conn(workspace: Settings, admin: openstack.connection.Connection) -> openstack.connection.Connection:
    return connect_project(workspace, admin.identity.find_project(PROJECT, ignore_missing=False).id)


def system_volumes(admin: openstack.connection.Connection) -> dict[str, openstack.block_storage.v3.volume.Volume]:
    pid = admin.identity.find_project(PROJECT, ignore_missing=False).id
    return {v.name: v for v in admin.block_storage.volumes(all_projects=True, project_id=pid)
            if (v.metadata or {}).get("govcloud_system") == "handover"}


def shown(workspace: Settings) -> dict:
    return json.loads(ok(govcloud(workspace, "lifecycle", "handover", "show", SYSTEM, "--format", "json", now=DAY1)))


def test_1_termination_backs_up_and_writes_the_hand_over_record(unit: Settings, admin) -> None:  # noqa: ANN001
    ok(govcloud(unit, "lifecycle", "submit", SPEC, actor="dept:wang"))
    ok(govcloud(unit, "lifecycle", "accept", REQUEST, actor="office:li"))
    ok(govcloud(unit, "reconcile", "--lang", "en"))
    conn = project_conn(unit, admin)
    conn.object_store.upload_object(container=BUCKET, name="records.csv", data=b"id,name\n1,zhang\n")
    ok(govcloud(unit, "lifecycle", "terminate", SYSTEM, "--request-id", TERMINATION,
                "--reason", "业务并入省级平台，停止使用", actor="dept:wang"))
    ok(govcloud(unit, "lifecycle", "accept", TERMINATION, actor="office:li"))
    out = ok(govcloud(unit, "reconcile", "--lang", "en", now=DAY1))
    assert f"{SYSTEM}#1: data backed up and verified; the hand-over record awaits the unit's confirmation" in out

    volumes = system_volumes(admin)
    assert sorted(volumes) == ["handover-app-1-data1", "handover-app-1-system"]      # no data destroyed
    assert {v.status for v in volumes.values()} == {"available"}               # the server is offline
    pid = admin.identity.find_project(PROJECT, ignore_missing=False).id
    assert list(admin.compute.servers(all_projects=True, project_id=pid)) == []
    found = shown(unit)
    record = found["record"]
    assert found["confirmed"] is None and record["request_id"] == TERMINATION
    assert (record["retention_days"], record["retention_policy"]) == (180, "policies/handover.yaml:12")
    assert record["kept_until"] == (date(2026, 12, 8) + timedelta(days=180)).isoformat()
    assert sorted((b["volume_name"], b["size_gb"]) for b in record["backups"]) == \
        [("handover-app-1-data1", 10), ("handover-app-1-system", 20)]
    for backup in record["backups"]:
        held = admin.block_storage.get_backup(backup["backup_id"])
        assert (held.status, held.size, held.volume_id) == ("available", backup["size_gb"], backup["volume_id"])
        assert backup["volume_id"] == volumes[backup["volume_name"]].id
        # the checksum is what it says it is: the sha256 of the export record the hand-over keeps,
        # which names this backup (a new export differs in its time fields, not in what it names)
        kept = json.dumps(backup["export_record"], sort_keys=True, separators=(",", ":")).encode()
        assert backup["checksum_covers"] == "cinder-export-record"
        assert backup["checksum_sha256"] == hashlib.sha256(kept).hexdigest()
        named = json.loads(base64.b64decode(backup["export_record"]["backup_url"]))
        again = json.loads(base64.b64decode(export_record(conn, held.id)["backup_url"]))
        assert named["id"] == again["id"] == held.id and named["volume_id"] == held.volume_id
        assert "PosixBackupDriver" in backup["location"] and backup["export_record"]["backup_url"]
    [export] = record["exports"]                 # not in the backups: the unit exports it itself
    assert (export["kind"], export["name"]) == ("swift-container", BUCKET) and "objects" in export["size"]
    text = ok(govcloud(unit, "lifecycle", "--lang", "en", "handover", "show", SYSTEM, now=DAY1))
    assert "(art25: the applications and their data belong to the unit)" in text
    assert "awaiting the unit's confirmation" in text and found["record_sha256"] in text


def test_2_nothing_destroys_it_before_the_unit_confirms(unit: Settings, admin) -> None:  # noqa: ANN001
    before = {name: v.id for name, v in system_volumes(admin).items()}
    out = ok(govcloud(unit, "reconcile", "--lang", "en", "--full", now=DAY2))
    assert "0 step(s) done" in out and "terminate" not in out
    refused = govcloud(unit, "--lang", "en", "destroy", SPEC, now=DAY2)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "(art25: " in refused.stderr
    assert f"govcloud lifecycle handover confirm {SYSTEM} --by" in refused.stderr
    by_hand = govcloud(unit, "lifecycle", "--lang", "en", "done", SYSTEM, "terminate", now=DAY2)
    assert by_hand.returncode == 1 and "has not confirmed the hand-over record" in by_hand.stderr
    assert {name: v.id for name, v in system_volumes(admin).items()} == before
    assert Engine(unit).exists(SYSTEM)
    status = json.loads(ok(govcloud(unit, "status", "--format", "json", now=DAY2)))
    row = next(s for s in status["systems"] if s["system_key"] == SYSTEM)
    assert (row["phase"], row["deadline_rule"], row["owed_by"]) == ("handover", "art25", ["department"])


def test_3_the_unit_confirms_in_the_ledger_and_the_audit_log(unit: Settings, admin) -> None:  # noqa: ANN001
    conn = project_conn(unit, admin)
    conn.object_store.delete_object("records.csv", container=BUCKET)      # the unit exported it
    sha = shown(unit)["record_sha256"]
    out = ok(govcloud(unit, "lifecycle", "--lang", "en", "handover", "confirm", SYSTEM, "--by", "王科长",
                      now=DAY2, actor="dept:wang"))
    assert f"{SYSTEM}: the unit (王科长) confirmed the hand-over record" in out
    again = govcloud(unit, "lifecycle", "handover", "confirm", SYSTEM, "--by", "王科长", now=DAY2, actor="dept:wang")
    assert again.returncode == 1 and "已确认过" in again.stderr
    ledger = Ledger.open(unit.ledger_url)
    try:
        with ledger.transaction() as db:
            row = db.execute(select(handovers)).one()
            audited = {r.action: r.detail for r in db.execute(select(audit_log).where(
                audit_log.c.subject == f"{SYSTEM}#1"))}
    finally:
        ledger.close()
    assert (row.confirmed_by, row.confirmed_actor, row.record_sha256) == ("王科长", "dept:wang", sha)
    assert audited["lifecycle.handover_confirmed"]["record_sha256"] == sha
    assert audited["lifecycle.handover_confirmed"]["by"] == "王科长"
    assert audited["lifecycle.back_up_done"]["record_sha256"] == sha
    assert audited["lifecycle.back_up_done"]["handover"] == row.record
    ok(govcloud(unit, "audit", "verify", now=DAY2))


def test_4_then_reconcile_destroys_it_and_leaves_only_the_backups(unit: Settings, admin) -> None:  # noqa: ANN001
    record = shown(unit)["record"]
    out = ok(govcloud(unit, "reconcile", "--lang", "en", now=DAY2))
    assert f"{SYSTEM}#1: data handed over to the unit, resources destroyed, service ended (art19, art25)" in out
    pid = admin.identity.find_project(PROJECT, ignore_missing=False).id
    assert [s.name for s in admin.compute.servers(all_projects=True, project_id=pid)] == []
    assert list(admin.block_storage.volumes(all_projects=True, project_id=pid)) == []
    assert [n.name for n in admin.network.networks(project_id=pid)] == []
    assert not _has_bucket(project_conn(unit, admin))
    left = {b.id: (b.status, b.size) for b in admin.block_storage.backups(all_projects=True, project_id=pid)}
    assert left == {b["backup_id"]: ("available", b["size_gb"]) for b in record["backups"]}
    assert json.loads(ok(govcloud(unit, "status", "--format", "json", "--all", now=DAY2)))["systems"][0]["phase"] \
        == "terminated"
