"""Credentials on the real cloud: an apply run from a shell whose OS_CLOUD and OS_PROJECT_NAME
point at the admin project puts every resource into the department's project; the system
stack works with the department's application credential; no stack holds the operator's
password, not even encrypted.

A test-only department (`jj-mima`, used by no sample) and a test-only operator account
whose password is a long random string, so that "appears nowhere" can be checked by
searching for it. Own state backend, own clouds.yaml; removed again whatever happened.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from pathlib import Path

import openstack
import pytest
import yaml

from provisioner.app import apply as apply_job
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.cloud.conftest import ROOT, cli_env
from tests.agreements import file_agreement
from tests.cloud.leftovers import purge_project

pytestmark = pytest.mark.cloud

REGION, DEPARTMENT, SYSTEM = "city", "jj-mima", "mima-probe"
PROJECT = f"{REGION}-{DEPARTMENT}"
SPEC = f"request_specs/{DEPARTMENT}/{SYSTEM}.yaml"
TENANT_STACK, SYSTEM_STACK = f"{REGION}.{DEPARTMENT}", f"{REGION}.{DEPARTMENT}.{SYSTEM}"
OPERATOR, CLOUD = "gc-mima-operator", "gc-mima"
PASSPHRASE = "mima-test-passphrase-0123456789"        # a non-dev cloud: 16 characters at least


SERVERS = [f"{SYSTEM}-db-mdb-1", f"{SYSTEM}-web-1", f"{SYSTEM}-web-2"]
# the web hosts boot from system disks of their flavor's size; the database host from its image
VOLUMES = [f"{SYSTEM}-archive", f"{SYSTEM}-db-mdb-1-data", f"{SYSTEM}-web-1-data1", f"{SYSTEM}-web-1-system",
           f"{SYSTEM}-web-2-data1", f"{SYSTEM}-web-2-system"]
BUCKET = "jj-mima-files"


def _write_spec(root: Path) -> None:
    """A small request of every kind a system stack makes, so that each is made with the
    department's credential (member role): hosts kept apart, data disks of a volume type, a
    database (host + data volume), a standalone volume, a bucket with a quota, an elastic IP."""
    spec = yaml.safe_load((ROOT / "request_specs/jj-xzspj/zwfw-portal.yaml").read_text(encoding="utf-8"))
    spec["metadata"].update(system=SYSTEM, request_id="JJ-2026-0977", name="凭据测试系统")
    spec["applicant"].update(department=DEPARTMENT, department_name="凭据测试单位")
    resources = spec["resources"]
    resources["network"]["cidr"] = "10.97.7.0/24"
    resources["hosts"] = [{"name": "web", "flavor": "gc.c1m2", "image": "cirros-tiny", "count": 2,
                           "anti_affinity": True, "data_disks": [{"size_gb": 10, "volume_type": "nfs1"}]}]
    resources["databases"] = [{"name": "mdb", "engine": "mysql", "version": "8.4", "flavor": "gc.db.c2m8",
                               "storage_gb": 20}]
    resources["storage"] = {"buckets": [{"name": BUCKET, "quota_gb": 1}],
                            "volumes": [{"name": "archive", "size_gb": 10}]}
    resources["bandwidth"] = {"internet_mbps": 10, "public_ips": 1}
    path = root / SPEC
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    file_agreement(root, DEPARTMENT)                 # a new department files its service agreement (art22)


@pytest.fixture(scope="module")
def operator_password(admin: openstack.connection.Connection):
    """A test operator (admin in the admin project, as ops' account is) with a password to search for."""
    password = "op-" + secrets.token_hex(24)
    existing = admin.identity.find_user(OPERATOR, domain_id="default")
    if existing is not None:
        admin.identity.delete_user(existing)
    user = admin.identity.create_user(name=OPERATOR, domain_id="default", password=password)
    admin.identity.assign_project_role_to_user(admin.identity.find_project("admin", domain_id="default"), user,
                                               admin.identity.find_role("admin"))
    try:
        yield password
    finally:
        admin.identity.delete_user(user)


@pytest.fixture(scope="module")
def mima(tmp_path_factory: pytest.TempPathFactory, workspace: Settings, local_cloud: Path,
         operator_password: str) -> Settings:
    """The workspace, told to use the test operator's entry of its own clouds.yaml."""
    where = tmp_path_factory.mktemp("mima")
    dev = yaml.safe_load(local_cloud.read_text(encoding="utf-8"))["clouds"]["govcloud-dev"]
    entry = {**dev, "auth": {**dev["auth"], "username": OPERATOR, "password": operator_password}}
    (where / "clouds.yaml").write_text(yaml.safe_dump({"clouds": {CLOUD: entry}}), encoding="utf-8")
    (where / "passphrase").write_text(PASSPHRASE, encoding="utf-8")
    _write_spec(workspace.root)
    return Settings.from_environ({
        "GOVCLOUD_CACHE": str(workspace.cache), "GOVCLOUD_ENGINE_BIN": str(workspace.engine_bin),
        "GOVCLOUD_STATE_URL": (where / "state").as_uri(), "GOVCLOUD_PASSPHRASE_FILE": str(where / "passphrase"),
        "GOVCLOUD_CLOUD": CLOUD, "OS_CLIENT_CONFIG_FILE": str(where / "clouds.yaml"),
        "GOVCLOUD_ANTI_AFFINITY": "soft-anti-affinity"}, workspace.root)


@pytest.fixture(scope="module")
def applied(mima: Settings, admin: openstack.connection.Connection, local_cloud: Path):
    """One apply (tenant, then system) from a shell set up for the admin project."""
    purge_project(admin, PROJECT)
    engine = Engine(mima)
    planned = apply_job.discover(mima.root, [mima.root / SPEC])
    apply_job.render(mima, planned)
    with pytest.MonkeyPatch.context() as shell:
        # What the dev-cloud README had operators export; and what once sent servers to admin.
        for key, value in {"OS_CLOUD": "govcloud-dev", "OS_PROJECT_NAME": "admin",
                           "OS_CLIENT_CONFIG_FILE": str(local_cloud)}.items():
            shell.setenv(key, value)
        try:
            engine.up(TENANT_STACK)
            engine.up(SYSTEM_STACK)
            yield engine
        finally:
            for stack in (SYSTEM_STACK, TENANT_STACK):
                try:
                    engine.destroy(stack)
                except Exception:  # noqa: BLE001 - the purge below removes what is left
                    pass
            purge_project(admin, PROJECT)
            for user in admin.identity.users(name=f"{DEPARTMENT}.stacks"):
                admin.identity.delete_user(user)


def _labelled(items, key: str = "tags") -> list:  # noqa: ANN001
    return [i for i in items if f"department={DEPARTMENT}" in (getattr(i, key, None) or [])]


def test_everything_lands_in_the_department_project(applied: Engine, admin: openstack.connection.Connection) -> None:
    project = admin.identity.find_project(PROJECT)
    admin_project = admin.identity.find_project("admin", domain_id="default")
    servers = [s for s in admin.compute.servers(all_projects=True, details=True)
               if (s.metadata or {}).get("govcloud_department") == DEPARTMENT]
    volumes = [v for v in admin.block_storage.volumes(all_projects=True, details=True)
               if (v.metadata or {}).get("govcloud_department") == DEPARTMENT]
    networks = _labelled(admin.network.networks())
    ports = _labelled(admin.network.ports())
    groups = _labelled(admin.network.security_groups())
    ips = [ip for ip in admin.network.ips() if ip.port_id in {p.id for p in ports}]
    server_groups = [g for g in admin.compute.server_groups(all_projects=True) if g.name.startswith(f"{SYSTEM}-")]
    assert sorted(s.name for s in servers) == SERVERS
    assert sorted(v.name for v in volumes) == VOLUMES
    found = {"servers": servers, "volumes": volumes, "networks": networks, "ports": ports, "groups": groups,
             "elastic IPs": ips, "server groups": server_groups}
    print({kind: len(items) for kind, items in found.items()})
    for kind, items in found.items():
        assert items, kind
        # project_id for Nova/Neutron; Cinder's is in its own attribute
        places = {getattr(i, "project_id", None) or getattr(i, "os-vol-tenant-attr:tenant_id", None) for i in items}
        assert places == {project.id}, (kind, places)
    # and nothing of the department in the admin project the shell pointed at
    assert not [s for s in admin.compute.servers(all_projects=True, project_id=admin_project.id)
                if (s.metadata or {}).get("govcloud_department") == DEPARTMENT]
    assert not [v for v in admin.block_storage.volumes(all_projects=True, project_id=admin_project.id)
                if (v.metadata or {}).get("govcloud_department") == DEPARTMENT]


def _export(settings: Settings, stack: str) -> str:
    run = subprocess.run([str(settings.engine_bin / "pulumi"), "stack", "export", "--show-secrets", "--stack", stack],
                         cwd=settings.root, env=cli_env(settings), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_no_stack_holds_the_operator_password(applied: Engine, mima: Settings, operator_password: str) -> None:
    system = _export(mima, SYSTEM_STACK)
    tenant = _export(mima, TENANT_STACK)
    assert operator_password not in system and operator_password not in tenant
    # Not even encrypted: the system stack's provider holds no password at all, only the credential.
    resources = json.loads(system)["deployment"]["resources"]
    [provider] = [r for r in resources if r["type"] == "pulumi:providers:openstack"]
    assert "password" not in provider["inputs"] and provider["inputs"]["applicationCredentialId"]
    assert not [r["urn"] for r in resources if "password" in (r.get("inputs") or {})]
    # Every file of the state backend, history and backups included.
    state = Path(mima.backend_url.removeprefix("file://"))
    files = [p for p in state.rglob("*") if p.is_file()]
    assert files and not [p for p in files if operator_password.encode() in p.read_bytes()]


def test_the_system_stack_works_as_the_department_credential(applied: Engine, mima: Settings,
                                                             admin: openstack.connection.Connection) -> None:
    outputs = applied.outputs(TENANT_STACK)
    credential = admin.identity.find_user(f"{DEPARTMENT}.stacks", domain_id=admin.identity.find_domain(REGION).id)
    assert credential is not None and outputs["credentialId"]
    inside = openstack.connect(auth_url="http://127.0.0.1:5000/v3", auth_type="v3applicationcredential",
                               application_credential_id=outputs["credentialId"],
                               application_credential_secret=outputs["credentialSecret"],
                               load_yaml_config=False, load_envvars=False)
    assert inside.current_project_id == admin.identity.find_project(PROJECT).id
    assert sorted(s.name for s in inside.compute.servers()) == SERVERS
    # The bucket is in the department's Swift account, with its quota.
    assert [c.name for c in inside.object_store.containers()] == [BUCKET]
    assert inside.object_store.get_container_metadata(BUCKET).metadata["quota-bytes"] == str(2**30)
    with pytest.raises(openstack.exceptions.HttpException):   # member, not admin: no other project's servers
        list(inside.compute.servers(all_projects=True))


def test_a_hand_run_with_os_cloud_set_is_refused(applied: Engine, mima: Settings) -> None:
    env = {**cli_env(mima), "OS_CLOUD": "govcloud-dev", "OS_PROJECT_NAME": "admin"}
    run = subprocess.run([str(mima.engine_bin / "pulumi"), "preview", "--stack", SYSTEM_STACK],
                         cwd=mima.root, env=env, capture_output=True, text=True)
    assert run.returncode != 0
    assert "unset OS_CLOUD OS_PROJECT_NAME" in run.stdout + run.stderr


def test_a_second_apply_changes_nothing(applied: Engine) -> None:
    assert not applied.up(TENANT_STACK).changed
    assert not applied.up(SYSTEM_STACK).changed
