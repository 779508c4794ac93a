"""Nothing runs unbilled, on the real local cloud: resources made by hand in a test-only department's project
are unaccounted in `govcloud exporter` and keep `govcloud bill` from settling the year (exit 5) until the
ledger's workflow records the system they belong to; an unlabelled one stays unaccounted until deleted.

Run under the shared cloud lock: flock /tmp/gc/cloud.lock .venv/bin/pytest tests/billing/test_unaccounted_cloud.py
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openstack
import openstack.config
import pytest

from provisioner.ledger import Ledger, workflow
from provisioner.lifecycle.states import Action
from tests.billing.conftest import ROOT, _clean_project
from tests.billing.helpers import Clock, utc
from tests.lifecycle.helpers import context, flavors, make_spec, rules

pytestmark = [pytest.mark.cloud, pytest.mark.filterwarnings("ignore::PendingDeprecationWarning:openstack.*"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning:openstack.*")]

SYSTEM = "probe"


@pytest.fixture(scope="module")
def department(local_cloud: Path) -> Iterator[dict[str, Any]]:
    """A department project of our own (tagged as tenant stacks tag theirs), the operator's admin role in it
    as the tenant stack gives it, and, made there by hand: a labelled network, subnet, server, volume and
    Swift container of system `probe`, and a volume without labels. Deleted afterwards."""
    config = openstack.config.OpenStackConfig(config_files=[str(local_cloud)])
    admin = openstack.connection.Connection(config=config.get_one(cloud="govcloud-dev"))
    code = f"zv-{uuid.uuid4().hex[:6]}"
    project = admin.identity.create_project(name=f"city-{code}", domain_id="default",
                                            tags=["region=city", f"department={code}"])
    try:
        auth = config.get_one(cloud="govcloud-dev").config["auth"]
        operator = admin.identity.find_user(auth["username"], domain_id="default")
        admin.identity.assign_project_role_to_user(project, operator, admin.identity.find_role("admin"))
        conn = openstack.connect(auth_url=auth["auth_url"], username=auth["username"], password=auth["password"],
                                 user_domain_name=auth.get("user_domain_name") or "Default", project_id=project.id,
                                 region_name="RegionOne")
        labels = {"region": "city", "department": code, "system": SYSTEM, "phase": "trial", "request": "ZV-2026-0001"}
        meta = {f"govcloud_{k}": v for k, v in labels.items()}
        tags = sorted(f"{k}={v}" for k, v in labels.items())
        net = conn.network.create_network(name="probe-net")
        conn.network.set_tags(net, tags)
        subnet = conn.network.create_subnet(network_id=net.id, cidr="10.78.1.0/24", ip_version=4, name="probe-subnet")
        conn.network.set_tags(subnet, tags)
        server = conn.compute.create_server(name="probe-web-1", flavor_id=conn.compute.find_flavor("gc.c1m2").id,
                                            image_id=conn.image.find_image("cirros-tiny").id,
                                            networks=[{"uuid": net.id}], metadata=meta)
        volume = conn.block_storage.create_volume(size=1, name="probe-data", metadata=meta)
        by_hand = conn.block_storage.create_volume(size=1, name="copied-by-hand")
        containers = conn.has_service("object-store")
        if containers:
            # as the program makes buckets: the quota and the labels as metadata (Swift gives `govcloud-region` back)
            conn.object_store.create_container(name="probe-files", metadata={"Quota-Bytes": str(2 * 2 ** 30), **meta})
        conn.compute.wait_for_server(server, wait=300)
        for made in (volume, by_hand):
            conn.block_storage.wait_for_status(made, "available", failures=["error"], wait=120)
        yield {"code": code, "project": project, "conn": conn, "by_hand": by_hand, "containers": containers}
    finally:
        conn.object_store.delete_container("probe-files") if "conn" in locals() and containers else None
        _clean_project(admin, project)


def _env(ledger: Ledger, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "GOVCLOUD_LEDGER_URL": str(ledger.engine.url), "GOVCLOUD_ACTOR": "test:views",
            "GOVCLOUD_NOW": "2026-12-05T10:00:00+08:00", "GOVCLOUD_CACHE": os.environ.get("GOVCLOUD_CACHE") or
            str(Path.home() / ".cache" / "govcloud"), "TMPDIR": str(tmp_path)}


def _govcloud(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ROOT / ".venv/bin/govcloud"), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def _series(text: str, name: str, project: str) -> dict[str, float]:
    """{kind, or service/resource: value} of one family's samples for the project."""
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{") and f'project="{project}"' in line:
            labels, value = line.rsplit("} ", 1)
            pairs = dict(pair.split("=", 1) for pair in labels[len(name) + 1:].split(","))
            values = {k: v.strip('"') for k, v in pairs.items()}
            found[values.get("kind") or f"{values['service']}/{values['resource']}"] = float(value.split()[0])
    return found


def test_resources_made_by_hand_are_unaccounted_until_the_ledger_holds_their_system(
        department: dict[str, Any], ledger: Ledger, tmp_path: Path) -> None:
    code, project = department["code"], f"city-{department['code']}"
    env = _env(ledger, tmp_path)
    exported = _govcloud(env, "exporter", "--once")
    assert exported.returncode == 0, exported.stderr
    before = _series(exported.stdout, "govcloud_unaccounted_resources", project)
    expected = {"network": 1.0, "subnet": 1.0, "server": 1.0, "volume": 2.0}
    assert before == ({**expected, "container": 1.0} if department["containers"] else expected)
    held = _series(exported.stdout, "govcloud_project_held", project)
    assert (held["compute/cores"], held["compute/ram"]) == (1.0, 2 * 2 ** 30)          # gc.c1m2
    assert held["volumev3/capacity"] == (20 + 1 + 1) * 2 ** 30                     # its local disk, two volumes
    if department["containers"]:
        assert held["object-store/capacity"] == 2 * 2 ** 30                        # the container's quota
    assert 'govcloud_metering_source_up{source="inventory"} 1.0' in exported.stdout
    billed = _govcloud(env, "bill", "--year", "2026", "--out", str(tmp_path / "before"))
    assert billed.returncode == 5, billed.stderr
    assert f"未入台账的资源：项目 {project}（city/{code}）server probe-web-1（" in billed.stderr
    assert "没有 govcloud 标签，系手工创建" in billed.stderr and billed.stderr.splitlines()[-1].startswith("年度未结清")
    assert (tmp_path / "before" / "settlement-2026-unaccounted.csv").exists()

    # the ledger's workflow records the system and makes its trial: it now accounts for the labelled ones
    clock = Clock(utc(2026, 12, 1, 2))
    ctx = context(ledger, clock)

    def ours(data: dict[str, Any]) -> None:
        data["applicant"]["department"] = code
    submitted = workflow.submit(ctx, make_spec("ZV-2026-0001", system=SYSTEM, edit=ours), rules(), flavors())
    workflow.accept(ctx, submitted.request_id)
    workflow.done_by_hand(ctx, f"city.{code}.{SYSTEM}", Action.CREATE_TRIAL)
    exported = _govcloud(env, "exporter", "--once")
    assert _series(exported.stdout, "govcloud_unaccounted_resources", project) == {"volume": 1.0}    # the unlabelled
    billed = _govcloud(env, "bill", "--year", "2026", "--lang", "en", "--out", str(tmp_path / "during"))
    assert billed.returncode == 5
    assert [line.split(": ", 1)[1].split(" (")[0] for line in _ours(billed.stderr, project)] == [
        f"project {project}", ] and "volume copied-by-hand" in _ours(billed.stderr, project)[0]

    department["conn"].block_storage.delete_volume(department["by_hand"], ignore_missing=True)
    department["conn"].block_storage.wait_for_delete(department["by_hand"], wait=120)
    billed = _govcloud(env, "bill", "--year", "2026", "--lang", "en", "--out", str(tmp_path / "after"))
    assert _ours(billed.stderr, project) == []
    # the cloud is shared (the operator's samples, other tests): the year is settled only if nothing else runs unbilled
    others = [line for line in billed.stderr.splitlines() if line.startswith("unaccounted resource: ")]
    assert billed.returncode == (5 if others else 0), billed.stderr
    assert others or "checked against the cloud: all " in billed.stdout
    exported = _govcloud(env, "exporter", "--once")
    assert _series(exported.stdout, "govcloud_unaccounted_resources", project) == {}


def _ours(stderr: str, project: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(f"unaccounted resource: project {project} ")]
