"""An approved change that drops a data disk of a production system (art18), on the real cloud and
engine, in a department of its own (jj-datadrop-test) with its own state backend and ledger:

the system (one server, three data disks) goes through trial to production, where its data volumes
are protected; a minor change then removes the third disk. Reconcile backs that volume up first
(verified, `available` in Cinder), lifts protection from it alone and deletes it; the ledger's
event of the change names the backup, and the other disks are untouched. Before, the merge request's
preview (what `govcloud plan` comments) names the volume the change backs up and removes. A second
change drops the second disk after a run that was killed once it had backed it up and released it:
the next reconcile deletes it and its event still names that backup.
"""

from __future__ import annotations

import openstack
import pytest

from provisioner.app import apply as apply_job
from provisioner.cloud.backups import back_up_volumes, connect_project
from provisioner.ledger import Ledger, store
from provisioner.naming import resource_name
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.agreements import file_agreement
from tests.cloud.leftovers import purge_project
from tests.cloud.specs import DATA_DISK, one_host
from tests.cloud.test_ledger_flow import govcloud, ok

pytestmark = pytest.mark.cloud

DEPARTMENT = "jj-datadrop-test"
PROJECT = f"city-{DEPARTMENT}"
TENANT = f"city.{DEPARTMENT}"
SYSTEM = f"city.{DEPARTMENT}.keep"
SPEC = f"request_specs/{DEPARTMENT}/keep.yaml"
DAY0, DAY16, DAY17, DAY18 = "2026-12-07T09:00", "2026-12-23T09:00", "2026-12-24T09:00", "2026-12-25T09:00"


def spec_text(request_id: str, disks: int) -> str:
    """One cirros server with `disks` data disks of 10 GB."""
    text = one_host(DEPARTMENT, "九江市数据盘测试局", "keep", "数据盘删除测试系统", request_id, "10.99.86.0/24",
                    "tests/cloud/test_data_removal.py", disk_gb=10)
    more = DATA_DISK.format(size=10).splitlines(keepends=True)[-1] * (disks - 1)     # "- size_gb: 10"
    return text.replace(DATA_DISK.format(size=10), DATA_DISK.format(size=10) + more)


@pytest.fixture(scope="module")
def department(workspace: Settings, admin: openstack.connection.Connection):
    purge_project(admin, PROJECT)
    file_agreement(workspace.root, DEPARTMENT)
    path = workspace.root / SPEC
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec_text("JJ-2026-0986", disks=3), encoding="utf-8")
    backups: list[str] = []
    yield workspace, backups
    try:
        for backup in backups:          # first: the project they live in goes with the tenant stack
            admin.block_storage.delete_backup(backup, ignore_missing=True, force=True)
        engine = Engine(workspace)
        if engine.exists(SYSTEM):
            engine.unprotect_all(SYSTEM)
            engine.destroy(SYSTEM)
        engine.destroy(TENANT)
    finally:
        purge_project(admin, PROJECT)


def volumes(admin: openstack.connection.Connection) -> dict[str, tuple[str, str]]:
    """The system's volumes: name -> (id, status)."""
    project = admin.identity.find_project(PROJECT, ignore_missing=False)
    return {v.name: (v.id, v.status) for v in admin.block_storage.volumes(all_projects=True, project_id=project.id)
            if (v.metadata or {}).get("govcloud_system") == "keep"}


def test_a_change_that_drops_a_data_disk_backs_it_up_first(department, admin) -> None:  # noqa: ANN001
    workspace, backups = department
    ok(govcloud(workspace, "lifecycle", "submit", SPEC, actor="dept:wang"))
    ok(govcloud(workspace, "lifecycle", "accept", "JJ-2026-0986", actor="office:li"))
    ok(govcloud(workspace, "reconcile"))
    for party, actor in (("department", "dept:wang"), ("provider", "provider:zhao")):
        ok(govcloud(workspace, "lifecycle", "verdict", SYSTEM, "--party", party, now=DAY16, actor=actor))
    assert "第十七条" in ok(govcloud(workspace, "reconcile", now=DAY16))          # production: data protected
    before = volumes(admin)
    assert sorted(before) == ["keep-app-1-data1", "keep-app-1-data2", "keep-app-1-data3", "keep-app-1-system"], before

    (workspace.root / SPEC).write_text(spec_text("JJ-2026-0987", disks=2), encoding="utf-8")
    submitted = ok(govcloud(workspace, "lifecycle", "--lang", "en", "submit", SPEC, now=DAY17, actor="dept:wang"))
    assert "minor" in submitted, submitted
    ok(govcloud(workspace, "lifecycle", "accept", "JJ-2026-0987", now=DAY17, actor="office:li"))
    # The merge request's plan (govcloud plan: Engine.preview_steps) names the volume instead of failing.
    apply_job.render(workspace, apply_job.discover(workspace.root, [workspace.root / SPEC]), phase="production")
    _, steps = Engine(workspace).preview_steps(SYSTEM)
    assert [(s.op, s.name) for s in steps if s.backed_up] == [("delete", "keep-app-1-data3")], steps
    out = ok(govcloud(workspace, "reconcile", "--lang", "en", now=DAY17))
    assert "1 step(s) done, 0 recorded only, 0 failed" in out, out
    assert "keep-app-1-data3" in out and "backed up" in out, out

    recorded = last_change_backups(workspace)
    backups.extend(b["backup_id"] for b in recorded)
    assert [(b["volume_name"], b["volume_id"]) for b in recorded] == [("keep-app-1-data3", before["keep-app-1-data3"][0])]
    backup = admin.block_storage.get_backup(recorded[0]["backup_id"])
    assert (backup.status, backup.size, backup.volume_id) == ("available", 10, before["keep-app-1-data3"][0])
    after = volumes(admin)
    assert "keep-app-1-data3" not in after                                         # deleted, as the change asks
    kept = ("keep-app-1-data1", "keep-app-1-data2", "keep-app-1-system")
    assert {n: i for n, (i, _) in after.items()} == {n: before[n][0] for n in kept}
    assert after["keep-app-1-data1"][1] == "in-use"                                 # the other disks stay attached
    protected = {resource_name(r["urn"]): r.get("protect") for r in Engine(workspace).resources(SYSTEM)}
    assert protected["keep-app-1-data1"] is True                                   # still protected


def last_change_backups(workspace: Settings) -> list[dict]:
    ledger = Ledger.open(workspace.ledger_url)
    with ledger.transaction() as conn:
        ids = [g.id for g in store.generations(conn, SYSTEM)]
        done = [e.detail for e in store.event_rows(conn, ids) if e.kind == "apply_change_done"]
    ledger.close()
    return done[-1].get("backups") or []


def test_a_run_killed_after_it_released_a_backed_up_disk_still_names_the_backup(department, admin) -> None:  # noqa: ANN001
    workspace, backups = department
    (workspace.root / SPEC).write_text(spec_text("JJ-2026-0988", disks=1), encoding="utf-8")
    ok(govcloud(workspace, "lifecycle", "submit", SPEC, now=DAY18, actor="dept:wang"))
    ok(govcloud(workspace, "lifecycle", "accept", "JJ-2026-0988", now=DAY18, actor="office:li"))
    # What the killed run did before its second up: the volume backed up and verified, its protection lifted.
    apply_job.render(workspace, apply_job.discover(workspace.root, [workspace.root / SPEC]), phase="production")
    engine = Engine(workspace)
    (removed,) = engine.data_removals(SYSTEM)
    assert removed.name == "keep-app-1-data2", removed
    project_id = str(engine.outputs(SYSTEM)["projectId"])
    (made,) = back_up_volumes(connect_project(workspace, project_id), "keep", [removed.cloud_id])
    backups.append(made.backup_id)
    engine.unprotect(SYSTEM, [removed.urn])

    out = ok(govcloud(workspace, "reconcile", "--lang", "en", now=DAY18))
    assert "1 step(s) done, 0 recorded only, 0 failed" in out, out
    assert "keep-app-1-data2" not in volumes(admin)
    assert [(b["backup_id"], b["volume_id"]) for b in last_change_backups(workspace)] == [
        (made.backup_id, removed.cloud_id)]
    assert f"{made.backup_name} ({made.backup_id})" in out, out                     # the line says where the data went
