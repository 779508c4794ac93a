"""Tenancy on the real cloud: each region a Keystone domain, each department a project
and a user in it, quotas as granted, and a department's credentials confined to its
own project."""

from __future__ import annotations

import secrets
import time

import openstack
import pytest

from provisioner.app import apply as apply_job
from provisioner.cloud.backups import connect_project
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.cloud.departments import TENANCY_CITY, TENANCY_COUNTY, copy_sample
from tests.cloud.leftovers import purge_project

pytestmark = pytest.mark.cloud

# Two departments of the tests' own, in two regions (copies of the samples jj-rsj/shebao-jb
# and dc-scjgj/spzs); tenant stacks only.
SAMPLES = {"jj-rsj/shebao-jb.yaml": TENANCY_CITY, "dc-scjgj/spzs.yaml": TENANCY_COUNTY}
CITY, COUNTY = TENANCY_CITY.project("city"), TENANCY_COUNTY.project("duchang")
PROJECTS = {CITY: ("city", TENANCY_CITY.code), COUNTY: ("duchang", TENANCY_COUNTY.code)}


@pytest.fixture(scope="module")
def tenancies(workspace: Settings, admin: openstack.connection.Connection):
    specs = [copy_sample(workspace.root, sample, department) for sample, department in SAMPLES.items()]
    for name in PROJECTS:
        purge_project(admin, name)
    engine = Engine(workspace)
    planned = apply_job.discover(workspace.root, [workspace.root / spec for spec in specs])
    apply_job.render(workspace, planned)
    try:
        for item in planned:
            engine.up(item.tenant)
        # A server in the city department's project, made by the operator there (what a
        # system stack does, without the cost of one).
        inside = connect_project(workspace, admin.identity.find_project(CITY).id)
        server = inside.compute.create_server(
            name="isolation-probe", flavor_id=inside.compute.find_flavor("gc.c1m2").id,
            image_id=inside.image.find_image("cirros-tiny").id, networks="none")
        inside.compute.wait_for_server(server, wait=120)
        # What the information office does when it hands a department its account.
        passwords = {}
        for project_name, (region, department) in PROJECTS.items():
            domain = admin.identity.find_domain(region)
            user = admin.identity.find_user(department, domain_id=domain.id)
            passwords[project_name] = secrets.token_urlsafe(16)
            admin.identity.update_user(user, password=passwords[project_name])
        # A password change revokes the user's tokens issued at or before it, and a Fernet token
        # carries its issue time in whole seconds: one issued in the same second reads as issued
        # before the change, and Nova refuses it (401). A person handed a password takes longer.
        time.sleep(1.05)     # past that second whatever the clocks' phase
        yield passwords
    finally:
        for name in PROJECTS:   # the probe server is not in any stack
            purge_project(admin, name)
        for item in planned:
            engine.destroy(item.tenant)


def _as_department(project_name: str, password: str, *, scope_to: str | None = None):
    region, department = PROJECTS[project_name]
    return openstack.connect(
        auth_url="http://127.0.0.1:5000/v3", username=department, password=password,
        user_domain_name=region, project_name=scope_to or project_name,
        project_domain_name=PROJECTS[scope_to or project_name][0], region_name="RegionOne",
        load_yaml_config=False, load_envvars=False)   # only these credentials, not the admin entry


def test_each_department_is_a_project_in_its_region_domain(tenancies, admin) -> None:
    for project_name, (region, department) in PROJECTS.items():
        project = admin.identity.find_project(project_name, domain_id=admin.identity.find_domain(region).id)
        assert project is not None, project_name
        assert {f"region={region}", f"department={department}"} <= set(project.tags)


def test_quota_is_what_the_department_was_granted(tenancies, admin, workspace: Settings) -> None:
    import yaml
    granted = yaml.safe_load((workspace.root / f"stacks/Pulumi.duchang.{TENANCY_COUNTY.code}.yaml").read_text())
    quota = granted["config"]["govcloud:quota"]
    project = admin.identity.find_project(COUNTY)
    compute = admin.compute.get_quota_set(project.id)
    assert (compute.instances, compute.cores, compute.ram) == (quota["instances"], quota["cores"], quota["ram_mb"])
    volume = admin.block_storage.get_quota_set(project.id)
    assert (volume.volumes, volume.gigabytes) == (quota["volumes"], quota["gigabytes"])


def test_a_department_sees_its_own_servers(tenancies) -> None:
    own = _as_department(CITY, tenancies[CITY])
    assert [s.name for s in own.compute.servers()] == ["isolation-probe"]


def test_a_department_cannot_list_another_departments_servers(tenancies) -> None:
    other = _as_department(COUNTY, tenancies[COUNTY])
    assert list(other.compute.servers()) == []
    with pytest.raises(openstack.exceptions.ForbiddenException):
        list(other.compute.servers(all_projects=True))
    with pytest.raises(openstack.exceptions.SDKException, match="HTTP 401"):   # no role there: no token
        _as_department(COUNTY, tenancies[COUNTY], scope_to=CITY).authorize()
