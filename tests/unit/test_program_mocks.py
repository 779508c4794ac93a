"""The program's resource graph for the sample request, under Pulumi's mocks (no engine, no cloud)."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml"


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.resources.append(args)
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs):
        if args.token == "openstack:networking/getNetwork:getNetwork":
            return {"id": "public-net-id", "name": args.args.get("name")}
        if args.token in ("openstack:identity/getProject:getProject", "openstack:identity/getRole:getRole",
                          "openstack:identity/getUser:getUser"):
            return {"id": f"{args.token.rsplit(':', 1)[1]}-{args.args.get('name')}", "name": args.args.get("name")}
        return {}


def declare_under_mocks(spec_path: Path) -> RecordingMocks:
    """Run declare_system for one request spec under Pulumi's mocks; return what was declared."""
    import pulumi_openstack as openstack

    from provisioner.program.labels import Labels
    from provisioner.program.system import SystemContext, declare_system
    from provisioner.spec import load_spec

    spec = load_spec(spec_path, ROOT)
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="govcloud", preview=False,
                             stack=f"{spec.region}.{spec.department}.{spec.metadata.system}")
    labels = Labels(region=spec.region, department=spec.department, system=spec.metadata.system,
                    phase="trial", request_id=spec.metadata.request_id)

    @pulumi.runtime.test
    def run():
        provider = openstack.Provider("department", cloud="govcloud-dev", tenant_id="proj-1")
        declare_system(SystemContext(spec=spec, labels=labels, project_id="proj-1",
                                     provider=provider, external_network="public"))
        return pulumi.Output.from_input(None)

    run()
    return mocks


@pytest.fixture()
def declared() -> RecordingMocks:
    return declare_under_mocks(SAMPLE)


def _of(mocks: RecordingMocks, typ: str) -> list[pulumi.runtime.MockResourceArgs]:
    return [r for r in mocks.resources if r.typ == typ]


SECRET_SIG = "4dabf18193072939515e22adb298388d"     # how the mocks see a Pulumi secret


def _secret(value: object) -> object:
    """The value inside a secret (asserting it is one)."""
    assert isinstance(value, dict) and SECRET_SIG in value, value
    return value["value"]


def test_sample_declares_two_servers_with_a_volume_each(declared: RecordingMocks) -> None:
    servers = _of(declared, "openstack:compute/instance:Instance")
    assert sorted(s.name for s in servers) == ["zwfw-portal-web-1", "zwfw-portal-web-2"]
    assert {s.inputs["flavorName"] for s in servers} == {"gc.c2m4"}
    volumes = _of(declared, "openstack:blockstorage/volume:Volume")
    assert sorted(v.inputs["size"] for v in volumes) == [100, 100]
    assert len(_of(declared, "openstack:compute/volumeAttach:VolumeAttach")) == 2


def test_security_group_opens_only_https(declared: RecordingMocks) -> None:
    rules = _of(declared, "openstack:networking/secGroupRule:SecGroupRule")
    from_outside = [r for r in rules if "remoteIpPrefix" in r.inputs]
    assert [(r.inputs["protocol"], r.inputs["portRangeMin"], r.inputs["portRangeMax"],
             r.inputs["remoteIpPrefix"], r.inputs["direction"]) for r in from_outside] == [
        ("tcp", 443, 443, "0.0.0.0/0", "ingress")]
    # the one other rule lets the system's own members reach each other
    assert [r.name for r in rules if r not in from_outside] == ["zwfw-portal-sg-intra"]


def test_every_taggable_resource_carries_the_labels(declared: RecordingMocks) -> None:
    wanted = {"department=jj-xzspj", "system=zwfw-portal", "phase=trial", "region=city",
              "request=JJ-2026-0001"}
    taggable = [r for r in declared.resources if "tags" in r.inputs]
    assert len(taggable) >= 7  # network, subnet, router, security group, 2 ports, 2 servers
    for resource in taggable:
        assert set(resource.inputs["tags"]) == wanted, resource.name
    for volume in _of(declared, "openstack:blockstorage/volume:Volume"):
        assert volume.inputs["metadata"]["govcloud_phase"] == "trial"



@pytest.mark.parametrize(("phase", "release", "protected"), [
    ("trial", False, False), ("production", False, True), ("production", True, False)])
def test_only_production_data_is_protected_until_released(phase, release, protected) -> None:
    from provisioner.program.entry import protects_data

    assert protects_data(phase, release) is protected


def test_databases_buckets_and_public_ips_of_a_level_3_system() -> None:
    """zk-bm: an HA MySQL (two hosts kept apart, each with its data volume), a photo bucket
    with its quota, and one elastic IP on the first web host."""
    mocks = declare_under_mocks(ROOT / "request_specs/jj-jyksy/zk-bm.yaml")
    # Sorted: the mocks see resources in the order their inputs resolve, not as declared.
    db_hosts = sorted((s for s in _of(mocks, "openstack:compute/instance:Instance") if "-db-" in s.name),
                      key=lambda s: s.name)
    assert [(s.name, s.inputs["flavorName"]) for s in db_hosts] == [
        ("zk-bm-db-bmdb-1", "gc.db.c8m32"), ("zk-bm-db-bmdb-2", "gc.db.c8m32")]
    assert all(s.inputs["userData"].startswith("#cloud-config") for s in db_hosts)
    assert "standby" in db_hosts[1].inputs["userData"]
    groups = [g.inputs["policies"] for g in _of(mocks, "openstack:compute/serverGroup:ServerGroup")
              if g.name == "zk-bm-db-bmdb-group"]
    assert groups == ["anti-affinity"]
    db_volumes = sorted(v.inputs["size"] for v in _of(mocks, "openstack:blockstorage/volume:Volume")
                        if "-db-" in v.name)
    assert db_volumes == [500, 500]
    [bucket] = _of(mocks, "openstack:objectstorage/container:Container")
    assert (bucket.inputs["name"], bucket.inputs["metadata"]["Quota-Bytes"]) == ("jj-zk-photos", str(300 * 2**30))
    [assoc] = _of(mocks, "openstack:networking/floatingIpAssociate:FloatingIpAssociate")
    assert assoc.name == "zk-bm-eip1-assoc"
    # Database hosts sit in a group of their own that admits the system's subnet only.
    ports = {p.name: p for p in _of(mocks, "openstack:networking/port:Port")}
    assert ports["zk-bm-db-bmdb-1-port"].inputs["securityGroupIds"] == ["zk-bm-db-sg-id"]
    assert ports["zk-bm-web-1-port"].inputs["securityGroupIds"] == ["zk-bm-sg-id"]
    db_rules = [r.inputs for r in _of(mocks, "openstack:networking/secGroupRule:SecGroupRule")
                if r.inputs["securityGroupId"] == "zk-bm-db-sg-id"]
    assert [(r["direction"], r["remoteIpPrefix"]) for r in db_rules] == [("ingress", "10.20.12.0/24")]


def declare_tenant_under_mocks(region: str, department: str) -> RecordingMocks:
    import pulumi_openstack as openstack

    from provisioner.cloud.credentials import Endpoint
    from provisioner.program.tenant import declare_tenant

    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="govcloud", preview=False, stack=f"{region}.{department}")
    quota = dict.fromkeys(("instances", "cores", "ram_mb", "volumes", "gigabytes", "networks", "subnets",
                           "routers", "ports", "security_groups", "security_group_rules", "floating_ips"), 1)

    @pulumi.runtime.test
    def run():
        provider = openstack.Provider("operator", cloud="govcloud-dev")
        declare_tenant(region, department, "都昌县市场监督管理局", "admin", quota, provider,
                       Endpoint("http://127.0.0.1:5000/v3", "RegionOne", None, False))
        return pulumi.Output.from_input(None)

    run()
    return mocks


def test_tenant_puts_project_and_department_user_in_the_region_domain() -> None:
    mocks = declare_tenant_under_mocks("duchang", "dc-scjgj")
    [project] = _of(mocks, "openstack:identity/project:Project")
    assert project.inputs["name"] == "duchang-dc-scjgj"
    assert project.inputs["domainId"] == "getProject-duchang"      # looked up, never created
    assert not project.inputs.get("isDomain")
    users = {u.name: u.inputs for u in _of(mocks, "openstack:identity/user:User")}
    user = users["department-user"]
    assert (user["name"], user["domainId"]) == ("dc-scjgj", "getProject-duchang")
    assert "password" not in user                                   # no secret of the department's in state
    roles = {r.name: r.inputs for r in _of(mocks, "openstack:identity/roleAssignment:RoleAssignment")}
    assert roles["department-role"]["roleId"] == "getRole-member"
    assert roles["department-role"]["projectId"] == "project-id"
    assert roles["operator-role"]["roleId"] == "getRole-admin"


def test_tenant_gives_the_system_stacks_a_credential_of_the_project_not_the_operator() -> None:
    mocks = declare_tenant_under_mocks("duchang", "dc-scjgj")
    account = next(u.inputs for u in _of(mocks, "openstack:identity/user:User") if u.name == "stacks-user")
    assert (account["name"], account["domainId"], account["defaultProjectId"]) == (
        "dc-scjgj.stacks", "getProject-duchang", "project-id")
    assert len(_secret(account["password"])) >= 40                  # random, set once (ignore_changes)
    roles = {r.name: r.inputs for r in _of(mocks, "openstack:identity/roleAssignment:RoleAssignment")}
    assert (roles["stacks-role"]["roleId"], roles["stacks-role"]["projectId"]) == ("getRole-member", "project-id")
    [credential] = _of(mocks, "openstack:identity/applicationCredential:ApplicationCredential")
    assert (credential.inputs["roles"], credential.inputs["unrestricted"]) == (["member"], False)
    # Made by the stacks account inside the project (Keystone scopes it to the asking token).
    providers = {r.name: r.inputs for r in _of(mocks, "pulumi:providers:openstack")}
    inside = providers["stacks-user"]
    assert (inside["userName"], inside["tenantId"], _secret(inside["password"])) == (
        "dc-scjgj.stacks", "project-id", _secret(account["password"]))
    assert providers["operator"] == {**providers["operator"], "cloud": "govcloud-dev"}
    assert "password" not in providers["operator"]                  # read from clouds.yaml when it runs


def test_system_stacks_provider_holds_the_application_credential_only() -> None:
    from provisioner.cloud.credentials import Endpoint
    from provisioner.program import credentials

    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="govcloud", preview=False, stack="city.jj-xzspj.zwfw-portal")

    @pulumi.runtime.test
    def run():
        endpoint = Endpoint("http://127.0.0.1:5000/v3", "RegionOne", None, False)
        original = credentials.cloud_endpoint
        credentials.cloud_endpoint = lambda cloud, environ=None: endpoint
        try:
            provider = credentials.department_provider("govcloud-dev", "cred-id", "cred-secret")
        finally:
            credentials.cloud_endpoint = original
        return provider.urn

    run()
    [provider] = _of(mocks, "pulumi:providers:openstack")
    assert provider.inputs == {**provider.inputs, "authUrl": "http://127.0.0.1:5000/v3",
                               "applicationCredentialId": "cred-id", "region": "RegionOne"}
    assert _secret(provider.inputs["applicationCredentialSecret"]) == "cred-secret"
    assert not {"password", "userName", "tenantId", "cloud"} & set(provider.inputs)


def test_a_hand_run_with_os_variables_set_is_refused() -> None:
    from provisioner.program.credentials import check_environment

    check_environment({"OS_CLIENT_CONFIG_FILE": "/x/clouds.yaml", "OS_CLOUD": "", "PATH": "/bin"})
    with pytest.raises(pulumi.RunError, match="unset OS_CLOUD OS_PROJECT_NAME: govcloud's stacks take"):
        check_environment({"OS_CLOUD": "govcloud-dev", "OS_PROJECT_NAME": "admin", "OS_CLIENT_CONFIG_FILE": "/x"})
