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
        self.fields: dict[str, str] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.resources.append(args)
        outputs = dict(args.inputs)
        if args.typ == "openstack:networking/port:Port":
            outputs["allFixedIps"] = [f"10.0.0.{len(self.resources)}"]
        if args.typ == "openstack:loadbalancer/loadBalancer:LoadBalancer":
            outputs["vipPortId"] = f"{args.name}-vip-port"
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs):
        if args.token == "openstack:networking/getNetwork:getNetwork":
            return {"id": "public-net-id", "name": args.args.get("name")}
        if args.token == "openstack:images/getImage:getImage":
            return {"id": f"image-{args.args.get('name')}", "name": args.args.get("name")}
        if args.token in ("openstack:identity/getProject:getProject", "openstack:identity/getRole:getRole",
                          "openstack:identity/getUser:getUser"):
            return {"id": f"{args.token.rsplit(':', 1)[1]}-{args.args.get('name')}", "name": args.args.get("name")}
        return {}


def declare_under_mocks(spec_path: Path) -> RecordingMocks:
    """Run declare_system for one request spec under Pulumi's mocks; return what was declared."""
    import pulumi_openstack as openstack

    from provisioner.allocation import allocate
    from provisioner.policy import Policies
    from provisioner.program.context import SystemContext
    from provisioner.program.labels import Labels
    from provisioner.program.system import declare_system
    from provisioner.spec import load_spec

    spec = load_spec(spec_path, ROOT)
    allocation = allocate(spec, Policies(ROOT).catalogue)
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="govcloud", preview=False,
                             stack=f"{spec.region}.{spec.department}.{spec.metadata.system}")
    labels = Labels(region=spec.region, department=spec.department, system=spec.metadata.system,
                    phase="trial", request_id=spec.metadata.request_id)

    @pulumi.runtime.test
    def run():
        provider = openstack.Provider("department", cloud="govcloud-dev", tenant_id="proj-1")
        ctx = SystemContext(spec=spec, allocation=allocation, labels=labels, project_id="proj-1",
                            provider=provider, external_network="public",
                            qos_policy_id="tenant-qos-id" if allocation.bandwidth else None)
        declare_system(ctx)
        mocks.fields = ctx.fields   # what the stack exports as `fields`
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


def test_sample_declares_two_servers_booting_from_system_disks_with_a_data_disk_each(declared: RecordingMocks) -> None:
    servers = _of(declared, "openstack:compute/instance:Instance")
    assert sorted(s.name for s in servers) == ["zwfw-portal-web-1", "zwfw-portal-web-2"]
    assert {s.inputs["flavorName"] for s in servers} == {"gc.c2m4"}
    volumes = {v.name: v.inputs for v in _of(declared, "openstack:blockstorage/volume:Volume")}
    # No system_disk_gb: the flavor's 40 GB disk, made from the image, the server boots from it.
    assert {n: (v["size"], v.get("imageId")) for n, v in volumes.items()} == {
        "zwfw-portal-web-1-system": (40, "image-kylin-v10-tiny"), "zwfw-portal-web-2-system": (40, "image-kylin-v10-tiny"),
        "zwfw-portal-web-1-data1": (100, None), "zwfw-portal-web-2-data1": (100, None)}
    for server in servers:
        [boot] = server.inputs["blockDevices"]
        assert (boot["uuid"], boot["sourceType"], boot["bootIndex"]) == (f"{server.name}-system-id", "volume", 0)
        assert "imageName" not in server.inputs
    assert len(_of(declared, "openstack:compute/volumeAttach:VolumeAttach")) == 2


def test_security_group_opens_only_https(declared: RecordingMocks) -> None:
    rules = _of(declared, "openstack:networking/secGroupRule:SecGroupRule")
    from_outside = [r for r in rules if "remoteIpPrefix" in r.inputs]
    assert [(r.inputs["protocol"], r.inputs["portRangeMin"], r.inputs["portRangeMax"],
             r.inputs["remoteIpPrefix"], r.inputs["direction"]) for r in from_outside] == [
        ("tcp", 443, 443, "0.0.0.0/0", "ingress")]
    # the one other rule lets the system's own members reach each other
    assert [r.name for r in rules if r not in from_outside] == ["zwfw-portal-sg-intra"]


def test_every_taggable_resource_carries_the_labels_and_its_spec_field(declared: RecordingMocks) -> None:
    wanted = {"department=jj-xzspj", "system=zwfw-portal", "phase=trial", "region=city",
              "request=JJ-2026-0001"}
    taggable = [r for r in declared.resources if "tags" in r.inputs]
    assert len(taggable) >= 7  # network, subnet, router, security group, 2 ports, 2 servers
    fields = {}
    for resource in taggable:
        [field] = [t for t in resource.inputs["tags"] if t.startswith("field=")]
        assert set(resource.inputs["tags"]) == wanted | {field}, resource.name
        assert len(max(resource.inputs["tags"], key=len)) <= 60    # Nova's limit on a tag
        fields[resource.name] = field.removeprefix("field=")
    assert fields["zwfw-portal-web-2"] == fields["zwfw-portal-web-2-port"] == "hosts[0]"
    assert fields["zwfw-portal-subnet"] == "network.cidr"
    volumes = {v.name: v.inputs["metadata"] for v in _of(declared, "openstack:blockstorage/volume:Volume")}
    assert volumes["zwfw-portal-web-2-data1"]["govcloud_field"] == "hosts[0].data_disks[0]"
    assert volumes["zwfw-portal-web-1-system"]["govcloud_field"] == "hosts[0].system_disk_gb"
    assert all(v["govcloud_phase"] == "trial" for v in volumes.values())



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
    # The elastic IP is made on the first web host's port (never associated by an update, which
    # would drop its bandwidth limit).
    assert not _of(mocks, "openstack:networking/floatingIpAssociate:FloatingIpAssociate")
    fips = {f.name: f.inputs for f in _of(mocks, "openstack:networking/floatingIp:FloatingIp")}
    assert fips["zk-bm-eip1"]["portId"] == "zk-bm-web-1-port-id"
    # Database hosts sit in a group of their own that admits the system's subnet only.
    ports = {p.name: p for p in _of(mocks, "openstack:networking/port:Port")}
    assert ports["zk-bm-db-bmdb-1-port"].inputs["securityGroupIds"] == ["zk-bm-db-sg-id"]
    assert ports["zk-bm-web-1-port"].inputs["securityGroupIds"] == ["zk-bm-sg-id"]
    db_rules = [r.inputs for r in _of(mocks, "openstack:networking/secGroupRule:SecGroupRule")
                if r.inputs["securityGroupId"] == "zk-bm-db-sg-id"]
    assert [(r["direction"], r["remoteIpPrefix"]) for r in db_rules] == [("ingress", "10.20.12.0/24")]


def declare_tenant_under_mocks(region: str, department: str, bandwidth: dict[str, int] | None = None,
                               load_balancers: int = 0) -> RecordingMocks:
    import pulumi_openstack as openstack

    from provisioner.cloud.credentials import Endpoint
    from provisioner.program.tenant import declare_tenant

    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="govcloud", preview=False, stack=f"{region}.{department}")
    quota = dict.fromkeys(("instances", "cores", "ram_mb", "volumes", "gigabytes", "networks", "subnets",
                           "routers", "ports", "security_groups", "security_group_rules", "floating_ips"), 1)
    quota.update(load_balancers=load_balancers, listeners=load_balancers, pools=load_balancers,
                 members=load_balancers)

    @pulumi.runtime.test
    def run():
        provider = openstack.Provider("operator", cloud="govcloud-dev")
        declare_tenant(region, department, "都昌县市场监督管理局", "admin", quota, provider,
                       Endpoint("http://127.0.0.1:5000/v3", "RegionOne", None, False), bandwidth)
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


def test_internet_bandwidth_limits_every_public_ip_and_the_load_balancer_spreads_over_its_role() -> None:
    """zk-bm: the tenant's 100 Mbps grant on each public IP (the host's and the load balancer's), a
    layer-4 load balancer over the three web hosts with one listener and pool per port."""
    mocks = declare_under_mocks(ROOT / "request_specs/jj-jyksy/zk-bm.yaml")
    assert not _of(mocks, "openstack:networking/qosPolicy:QosPolicy")      # the tenant stack's (an admin's)
    fips = {f.name: f.inputs for f in _of(mocks, "openstack:networking/floatingIp:FloatingIp")}
    assert set(fips) == {"zk-bm-eip1", "zk-bm-lb-web-eip"}
    assert all(f["valueSpecs"] == {"qos_policy_id": "tenant-qos-id"} for f in fips.values())
    assert fips["zk-bm-lb-web-eip"]["portId"] == "zk-bm-lb-web-vip-port"
    [lb] = _of(mocks, "openstack:loadbalancer/loadBalancer:LoadBalancer")
    assert (lb.inputs["loadbalancerProvider"], lb.inputs["vipSubnetId"]) == ("ovn", "zk-bm-subnet-id")
    listeners = {l.name: l.inputs for l in _of(mocks, "openstack:loadbalancer/listener:Listener")}
    assert {n: (l["protocol"], l["protocolPort"]) for n, l in listeners.items()} == {
        "zk-bm-lb-web-tcp443": ("TCP", 443), "zk-bm-lb-web-tcp80": ("TCP", 80)}
    pools = _of(mocks, "openstack:loadbalancer/pool:Pool")
    assert {(p.inputs["listenerId"], p.inputs["lbMethod"]) for p in pools} == {
        ("zk-bm-lb-web-tcp443-id", "SOURCE_IP_PORT"), ("zk-bm-lb-web-tcp80-id", "SOURCE_IP_PORT")}
    members = _of(mocks, "openstack:loadbalancer/member:Member")
    assert sorted(m.name for m in members if m.inputs["poolId"] == "zk-bm-lb-web-tcp443-pool-id") == [
        "zk-bm-lb-web-tcp443-web-1", "zk-bm-lb-web-tcp443-web-2", "zk-bm-lb-web-tcp443-web-3"]
    assert {m.inputs["protocolPort"] for m in members} == {443, 80}


def test_a_file_share_is_mounted_by_the_system_subnet_only() -> None:
    mocks = declare_under_mocks(ROOT / "request_specs/lx-wjw/jmjk-da.yaml")
    [share] = _of(mocks, "openstack:sharedfilesystem/share:Share")
    assert (share.name, share.inputs["shareProto"], share.inputs["size"], share.inputs["shareType"]) == (
        "jmjk-da-share-scans", "NFS", 10, "default")
    assert share.inputs["metadata"]["govcloud_field"] == "storage.shares[0]"
    [access] = _of(mocks, "openstack:sharedfilesystem/shareAccess:ShareAccess")
    assert (access.inputs["accessType"], access.inputs["accessTo"], access.inputs["accessLevel"]) == (
        "ip", "10.41.2.0/24", "rw")


def test_the_stack_exports_the_spec_field_of_every_resource(declared: RecordingMocks) -> None:
    """Drift and preflight locate a resource by this map, labels or not (rules, attachments)."""
    names = {r.name for r in declared.resources if r.typ != "pulumi:providers:openstack"}
    assert set(declared.fields) == names
    assert declared.fields["zwfw-portal-sg-in0"] == "security.ingress[0]"
    assert declared.fields["zwfw-portal-web-1-data1-attach"] == "hosts[0].data_disks[0]"


def test_the_tenant_grants_each_system_its_bandwidth_and_octavia_its_role() -> None:
    """Only an admin makes a QoS policy (a department cannot raise its own bandwidth), so the
    tenant stack does, per system; Octavia wants `load-balancer_member` of the stacks' account."""
    mocks = declare_tenant_under_mocks("city", "jj-jyksy", bandwidth={"zk-bm": 100}, load_balancers=1)
    [policy] = _of(mocks, "openstack:networking/qosPolicy:QosPolicy")
    assert (policy.name, policy.inputs["name"], policy.inputs["projectId"]) == ("qos-zk-bm", "zk-bm-qos", "project-id")
    assert {"system=zk-bm", "field=bandwidth.internet_mbps"} <= set(policy.inputs["description"].split())
    rules = _of(mocks, "openstack:networking/qosBandwidthLimitRule:QosBandwidthLimitRule")
    assert sorted((r.inputs["direction"], r.inputs["maxKbps"], r.inputs["qosPolicyId"]) for r in rules) == [
        ("egress", 100_000, "qos-zk-bm-id"), ("ingress", 100_000, "qos-zk-bm-id")]
    roles = {r.name: r.inputs for r in _of(mocks, "openstack:identity/roleAssignment:RoleAssignment")}
    assert roles["stacks-lb-role"]["roleId"] == "getRole-load-balancer_member"
    [credential] = _of(mocks, "openstack:identity/applicationCredential:ApplicationCredential")
    assert credential.inputs["roles"] == ["member", "load-balancer_member"]
    # Without load balancers or bandwidth granted, neither is made (a cloud may run no Octavia).
    plain = declare_tenant_under_mocks("duchang", "dc-scjgj")
    assert not _of(plain, "openstack:networking/qosPolicy:QosPolicy")
    assert "stacks-lb-role" not in {r.name for r in _of(plain, "openstack:identity/roleAssignment:RoleAssignment")}
