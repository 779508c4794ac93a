"""Utilisation from the real local OpenStack cloud: Nova's tenant usage, Cinder volumes and Neutron
floating IPs of a system, in a project of its own (test-metering-*) that is deleted afterwards."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import openstack
import openstack.config
import pytest
from prometheus_client import CollectorRegistry

from provisioner.calendar import WorkCalendar
from provisioner.ledger import Ledger
from provisioner.metering.cloud_api import CloudApi
from provisioner.metering.exporter import Exporter
from provisioner.metering.openstack_use import OpenStackUtilisation
from provisioner.metering.utilisation import Window
from tests.billing.helpers import Clock, live_system
from tests.lifecycle.helpers import flavors

# openstacksdk warns about its own deprecated internals on every call; none of it is ours.
pytestmark = [pytest.mark.cloud, pytest.mark.filterwarnings("ignore::PendingDeprecationWarning:openstack.*"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning:openstack.*")]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _project_connection(local_cloud: Path, admin: Any, project: Any) -> Any:
    auth = openstack.config.OpenStackConfig(config_files=[str(local_cloud)]).get_one(cloud="govcloud-dev").config["auth"]
    user = admin.identity.find_user(auth["username"], domain_id="default")
    admin.identity.assign_project_role_to_user(project, user, admin.identity.find_role("admin"))
    return openstack.connect(auth_url=auth["auth_url"], username=auth["username"], password=auth["password"],
                             user_domain_name=auth.get("user_domain_name") or "Default", project_id=project.id,
                             region_name="RegionOne")


@pytest.fixture(scope="module")
def system_in_the_cloud(cloud_project: tuple[Any, Any], local_cloud: Path) -> dict[str, Any]:
    """A host (gc.c2m4), a database host (gc.db.c2m8), an attached and a loose volume, an associated
    floating IP, all labelled as one system."""
    admin, project = cloud_project
    department = f"tm-{uuid.uuid4().hex[:6]}"
    labels = {"region": "city", "department": department, "system": "probe", "phase": "production",
              "request": "TM-2026-0001"}
    meta = {f"govcloud_{k}": v for k, v in labels.items()}
    conn = _project_connection(local_cloud, admin, project)
    net = conn.network.create_network(name="probe-net")
    subnet = conn.network.create_subnet(network_id=net.id, cidr="10.77.1.0/24", ip_version=4, name="probe-subnet")
    public = conn.network.find_network("public")
    router = conn.network.create_router(name="probe-router", external_gateway_info={"network_id": public.id})
    conn.network.add_interface_to_router(router, subnet=subnet.id)
    server = conn.compute.create_server(name="probe-web-1", flavor_id=conn.compute.find_flavor("gc.c2m4").id,
                                        image_id=conn.image.find_image("cirros-tiny").id,
                                        networks=[{"uuid": net.id}], metadata=meta)
    database = conn.compute.create_server(name="probe-db-main-1", flavor_id=conn.compute.find_flavor("gc.db.c2m8").id,
                                          image_id=conn.image.find_image("cirros-tiny").id,
                                          networks=[{"uuid": net.id}], metadata=meta)
    server = conn.compute.wait_for_server(server, wait=120)
    conn.compute.wait_for_server(database, wait=120)
    attached = conn.block_storage.create_volume(size=1, name="probe-data", metadata=meta)
    loose = conn.block_storage.create_volume(size=2, name="probe-spare", metadata=meta)
    for volume in (attached, loose):
        conn.block_storage.wait_for_status(volume, "available", failures=["error"], wait=60)
    conn.compute.create_volume_attachment(server, volume=attached)
    conn.block_storage.wait_for_status(attached, "in-use", failures=["error"], wait=60)
    port = next(iter(conn.network.ports(device_id=server.id)))
    ip = conn.network.create_ip(floating_network_id=public.id, port_id=port.id)
    conn.network.set_tags(ip, sorted(f"{k}={v}" for k, v in labels.items()))
    return {"key": f"city.{department}.probe", "department": department, "server": server, "admin": admin}


def test_openstack_shows_what_is_in_use(system_in_the_cloud: dict[str, Any], local_cloud: Path) -> None:
    source = OpenStackUtilisation(lambda: _admin(local_cloud), frozenset({"gc.db.c2m8"}))
    start = _utcnow()
    time.sleep(4)
    window = Window(start, _utcnow())
    seen = source.observe(window, {})
    used = seen.used[system_in_the_cloud["key"]]
    secs = window.seconds
    assert used["compute/cores"] == pytest.approx(2 * secs, abs=2 * 1.5)      # Nova counts whole seconds
    assert used["compute/ram"] == pytest.approx(4 * secs, abs=4 * 1.5)
    # the flavor's 40 GB root disk and the attached 1 GB volume; the loose 2 GB volume is not in use
    assert used["volumev3/capacity"] == pytest.approx(40 * secs + 1 * secs, abs=40 * 1.5)
    assert used["network/floating_ips"] == pytest.approx(secs)
    assert seen.measured == frozenset({"compute/cores", "compute/ram", "volumev3/capacity", "network/floating_ips",
                                       "database/instances"})
    assert used["database/instances"] == pytest.approx(secs, abs=1.5)         # the gc.db host, not its cores


def test_a_window_past_the_clouds_clock_is_never_negative_use(system_in_the_cloud: dict[str, Any],
                                                                local_cloud: Path) -> None:
    # GOVCLOUD_NOW ahead of the cloud: Nova counts running servers up to its own clock, and its
    # hours for such a window come back negative; the bill's utilisation then had no band (exit 3).
    source = OpenStackUtilisation(lambda: _admin(local_cloud), frozenset({"gc.db.c2m8"}))
    start = _utcnow() + timedelta(days=30)
    window = Window(start, start + timedelta(hours=1))
    used = source.observe(window, {}).used[system_in_the_cloud["key"]]
    assert 0 <= used["compute/cores"] <= 2 * window.seconds
    assert 0 <= used["database/instances"] <= window.seconds


def _admin(local_cloud: Path) -> Any:
    """The operator's reads as the exporter makes them: REST on a keystoneauth1 session, no openstacksdk."""
    return CloudApi.connect(local_cloud, "govcloud-dev", timeout=30)


def test_the_exporter_records_utilisation_against_what_was_granted(system_in_the_cloud: dict[str, Any],
                                                                  local_cloud: Path, ledger: Ledger) -> None:
    department = system_in_the_cloud["department"]

    def ours(data: dict[str, Any]) -> None:          # the ledger grants 2 hosts; one runs in the cloud
        data["applicant"]["department"] = department
        data["metadata"]["system"] = "probe"
    now = _utcnow()
    live_system(ledger, Clock(now), submitted=now - timedelta(hours=3), trial=now - timedelta(hours=2),
                go_live=now - timedelta(hours=1), edit=ours, system=system_in_the_cloud["key"])
    exporter = Exporter(ledger, flavors(), WorkCalendar({}),
                        OpenStackUtilisation(lambda: _admin(local_cloud), frozenset({"gc.db.c2m8"})),
                        registry=CollectorRegistry(), interval=3)
    exporter.collect_once()
    time.sleep(3)
    snap = exporter.collect_once()
    labels = ("city", department, "probe")
    granted, used = snap.utilisation[labels]["compute/cores"]
    cores = used / granted
    assert cores == pytest.approx(0.5, abs=0.1)           # 2 of the 4 granted vCPUs ran
    assert snap.sources["openstack"].up
    granted, used = snap.utilisation[labels]["volumev3/capacity"]
    disk = used / granted
    assert disk == pytest.approx(41 / 280, abs=0.03)      # 40 GB root + 1 GB attached of 2 x (40 + 100) granted
