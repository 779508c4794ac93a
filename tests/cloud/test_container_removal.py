"""Approved changes that drop a production system's bucket, then its file share (art18, art19, art25), on the real
cloud and engine, in a department of its own (jj-bucketdrop-test) with its own state backend and ledger:

the system (one server, a Swift bucket holding an object, an NFS share) goes through trial to production, where
its bucket and share are protected. A change then drops both (a storage change: major, so its new generation is
made on the same stack, still in production). govcloud cannot back a share up on this cloud, so the merge
request's preview and the up refuse it in words (data-share-removed) with the `pulumi state unprotect` line, and
nothing is released: the share, the bucket and its object stay. Once the provider ran that line (the unit having
exported its data), the preview names the bucket as copied first, and reconcile copies it server-side into
`drop-removed-<bucket>` (verified), releases and deletes it, and deletes the share; the copy holds the object,
the original is gone, the ledger's event names the copy.
Needs the dev cloud with Swift and Manila (`scripts/devcloud/devcloud start --swift --manila`).
"""

from __future__ import annotations

import re
import subprocess

import openstack
import pytest

from provisioner.app import apply as apply_job
from provisioner.cloud.backups import connect_project
from provisioner.ledger import Ledger, store
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine, StackFailed
from tests.agreements import file_agreement
from tests.cloud.conftest import cli_env
from tests.cloud.leftovers import purge_project
from tests.cloud.specs import one_host
from tests.cloud.test_ledger_flow import govcloud, ok

pytestmark = pytest.mark.cloud

DEPARTMENT = "jj-bucketdrop-test"
PROJECT = f"city-{DEPARTMENT}"
TENANT = f"city.{DEPARTMENT}"
SYSTEM = f"city.{DEPARTMENT}.drop"
SPEC = f"request_specs/{DEPARTMENT}/drop.yaml"
BUCKET = "jj-bucketdrop-test-files"
COPY = f"drop-removed-{BUCKET}"
SHARE = "drop-share-docs"
DAY16, DAY17, DAY18 = "2026-12-23T09:00", "2026-12-24T09:00", "2026-12-25T09:00"
BUCKETS = f"""\
    buckets:
      - name: {BUCKET}
        quota_gb: 1
"""
SHARES = """\
    shares:
      - name: docs
        size_gb: 10
        protocol: nfs
"""


def spec_text(request_id: str, bucket: bool, share: bool) -> str:
    storage = "  storage:\n" + (BUCKETS if bucket else "") + (SHARES if share else "") if bucket or share else ""
    return one_host(DEPARTMENT, "九江市容器删除测试局", "drop", "容器删除测试系统", request_id, "10.99.87.0/24",
                    "tests/cloud/test_container_removal.py", storage=storage)


@pytest.fixture(scope="module")
def department(workspace: Settings, admin: openstack.connection.Connection):
    assert admin.has_service("object-store"), "Swift is not in the dev cloud's catalog: start it with --swift"
    purge_project(admin, PROJECT)
    file_agreement(workspace.root, DEPARTMENT)
    path = workspace.root / SPEC
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec_text("JJ-2026-0988", bucket=True, share=True), encoding="utf-8")
    yield workspace
    try:
        project = admin.identity.find_project(PROJECT)
        if project is not None:          # the copy lives in the project's Swift account, which outlives it
            conn = connect_project(workspace, project.id)
            for container in (COPY, BUCKET):
                if any(c.name == container for c in conn.object_store.containers()):
                    for name in [o.name for o in conn.object_store.objects(container)]:
                        conn.object_store.delete_object(name, container=container)
                    conn.object_store.delete_container(container)
    finally:
        _destroy(workspace, admin)


def _destroy(workspace: Settings, admin: openstack.connection.Connection) -> None:
    try:
        engine = Engine(workspace)
        if engine.exists(SYSTEM):
            engine.unprotect_all(SYSTEM)
            engine.destroy(SYSTEM)
        engine.destroy(TENANT)
    finally:
        purge_project(admin, PROJECT)


def inside(workspace: Settings, admin: openstack.connection.Connection) -> openstack.connection.Connection:
    return connect_project(workspace, admin.identity.find_project(PROJECT, ignore_missing=False).id)


def change(workspace: Settings, request_id: str, now: str, **kept: bool) -> None:
    """A change request, as the department files it; a storage change is major under the office's policy
    (policies/change-classification.yaml: unmeasured_changes), so its new generation is made on the same
    stack, which stays in production (provisioner/lifecycle/phase.py): its data protected."""
    (workspace.root / SPEC).write_text(spec_text(request_id, **kept), encoding="utf-8")
    submitted = ok(govcloud(workspace, "lifecycle", "--lang", "en", "submit", SPEC, now=now, actor="dept:wang"))
    assert "major" in submitted, submitted
    ok(govcloud(workspace, "lifecycle", "accept", request_id, now=now, actor="office:li"))
    apply_job.render(workspace, apply_job.discover(workspace.root, [workspace.root / SPEC]), phase="production")


def events(workspace: Settings, kind: str) -> list[dict]:
    ledger = Ledger.open(workspace.ledger_url)
    try:
        with ledger.transaction() as conn:
            ids = [g.id for g in store.generations(conn, SYSTEM)]
            return [e.detail for e in store.event_rows(conn, ids) if e.kind == kind]
    finally:
        ledger.close()


def shares(admin: openstack.connection.Connection) -> dict[str, str]:
    return {s.name: s.status for s in admin.shared_file_system.shares(details=True, all_tenants=1)}


def test_1_a_change_that_drops_a_share_is_refused_in_words_and_loses_nothing(department, admin) -> None:  # noqa: ANN001
    workspace = department
    ok(govcloud(workspace, "lifecycle", "submit", SPEC, actor="dept:wang"))
    ok(govcloud(workspace, "lifecycle", "accept", "JJ-2026-0988", actor="office:li"))
    ok(govcloud(workspace, "reconcile"))
    for party, actor in (("department", "dept:wang"), ("provider", "provider:zhao")):
        ok(govcloud(workspace, "lifecycle", "verdict", SYSTEM, "--party", party, now=DAY16, actor=actor))
    assert "第十七条" in ok(govcloud(workspace, "reconcile", now=DAY16))          # production: data protected
    conn = inside(workspace, admin)
    conn.object_store.upload_object(container=BUCKET, name="records/2026.csv", data=b"id,name\n1,zhang\n")

    change(workspace, "JJ-2026-0989", DAY17, bucket=False, share=False)
    with pytest.raises(StackFailed) as refused:                                 # the merge request's plan
        Engine(workspace).preview_steps(SYSTEM)
    said = refused.value.render("en")
    assert "data-share-removed" in said and "cannot be deleted" not in said, said
    out = govcloud(workspace, "reconcile", "--lang", "en", now=DAY17)
    told = out.stdout + out.stderr
    assert out.returncode == 2 and "data-share-removed" in told and "1 failed" in told, told
    assert shares(admin).get(SHARE) == "available"                               # nothing deleted
    assert [o.name for o in conn.object_store.objects(BUCKET)] == ["records/2026.csv"]   # nor released
    assert COPY not in [c.name for c in conn.object_store.containers()]
    share_id = next(s.id for s in admin.shared_file_system.shares(details=True, all_tenants=1) if s.name == SHARE)
    # Refused before the up: its access rule stays, so the unit can still export its data from the system's hosts.
    assert [r.access_to for r in admin.shared_file_system.access_rules(share_id)] == ["10.99.87.0/24"]
    line = re.search(r"`(pulumi state unprotect [^`]+)`", told).group(1)
    assert line == f"pulumi state unprotect '{SHARE_URN}' --stack {SYSTEM}"
    # The unit exported its data; the provider runs the line it was given (--yes: no terminal here).
    run = subprocess.run(f"{line} --yes", shell=True,
                         cwd=workspace.root, env=cli_env(workspace), capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_2_then_the_change_copies_the_bucket_first_and_goes_through(department, admin) -> None:  # noqa: ANN001
    workspace = department
    # The merge request's plan (govcloud plan: Engine.preview_steps) names the bucket instead of failing.
    _, steps = Engine(workspace).preview_steps(SYSTEM)
    assert [(s.op, s.name) for s in steps if s.backed_up] == [("delete", f"drop-{BUCKET}")], steps
    out = ok(govcloud(workspace, "reconcile", "--lang", "en", "--full", now=DAY18))
    assert "1 step(s) done, 0 recorded only, 0 failed" in out, out
    assert f"{BUCKET} -> {COPY} (1 objects, 16 bytes)" in out, out

    [record] = events(workspace, "create_trial_done")[-1]["backups"]            # the new generation's step
    assert record == {**record, "kind": "swift-container-copy", "container": BUCKET, "copy": COPY, "objects": 1,
                      "bytes": 16}
    conn = inside(workspace, admin)
    names = [c.name for c in conn.object_store.containers()]
    assert BUCKET not in names and COPY in names                                 # deleted, as the change asks
    assert conn.object_store.download_object("records/2026.csv", container=COPY) == b"id,name\n1,zhang\n"
    labels = conn.object_store.get_container_metadata(COPY).metadata
    assert (labels.get("govcloud-system"), labels.get("govcloud-removed-from")) == ("drop", BUCKET), labels
    assert SHARE not in shares(admin)                                            # released by hand, then deleted


SHARE_URN = f"urn:pulumi:{SYSTEM}::govcloud::openstack:sharedfilesystem/share:Share::{SHARE}"
