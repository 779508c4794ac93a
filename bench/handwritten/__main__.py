"""A system written by hand: what govcloud declares for bench_stacks.py's requests.

Always: `count` hosts of one flavor, each booting from a system disk (a volume made from
the image) with one data disk, and one ingress rule (part 1, the typical system). With
`dbFlavor`, `bucket`, `shareGb` and `qosPolicyId` set (part 3, every kind): a database host with
its data volume and cloud-init, a bucket with a quota, an NFS share the subnet mounts, and
internet bandwidth (the tenant stack's QoS policy) on a public IP and on a public layer-4
load balancer over the hosts (one TCP listener).

Configuration (Pulumi.<stack>.yaml, `bench:` keys): cloud (clouds.yaml entry of the
operator), projectId (the department's Keystone project), system, cidr, flavor, image,
count, systemGb, diskGb, port, source, plus the labels region, department, phase, request;
for every kind also dbFlavor, dbGb, dbUserData, bucket, bucketGb, shareGb, shareType and
qosPolicyId (the tenant stack's bandwidth grant). The provider is the operator's account
scoped to the department's project, read from clouds.yaml directly (no openstacksdk);
govcloud's system stacks log in with the department's application credential instead: a
token either way.
"""

import os

import pulumi
import pulumi_openstack as openstack
import yaml

config = pulumi.Config("bench")
system = config.require("system")
project_id = config.require("projectId")
labels = {"region": config.require("region"), "department": config.require("department"),
          "system": system, "phase": config.require("phase"), "request": config.require("request")}
metadata = {f"govcloud_{k}": v for k, v in labels.items()}
tags = sorted(f"{k}={v}" for k, v in labels.items())

with open(os.environ["OS_CLIENT_CONFIG_FILE"], encoding="utf-8") as handle:
    entry = yaml.safe_load(handle)["clouds"][config.require("cloud")]
auth = entry["auth"]
provider = openstack.Provider(
    "department", auth_url=auth["auth_url"], user_name=auth["username"],
    password=pulumi.Output.secret(auth["password"]),
    user_domain_name=auth.get("user_domain_name") or "Default",
    tenant_id=project_id, region=entry.get("region_name"))
opts = pulumi.ResourceOptions(provider=provider)
invoke = pulumi.InvokeOutputOptions(provider=provider)
replace_first = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True))
cidr = config.require("cidr")

network = openstack.networking.Network(f"{system}-net", name=f"{system}-net", tenant_id=project_id,
                                       admin_state_up=True, tags=tags, opts=opts)
subnet = openstack.networking.Subnet(f"{system}-subnet", name=f"{system}-subnet", tenant_id=project_id,
                                     network_id=network.id, cidr=cidr, ip_version=4, tags=tags, opts=opts)
external = openstack.networking.get_network_output(name="public", opts=invoke)
router = openstack.networking.Router(f"{system}-router", name=f"{system}-router", tenant_id=project_id,
                                     external_network_id=external.id, tags=tags, opts=opts)
router_if = openstack.networking.RouterInterface(f"{system}-router-if", router_id=router.id,
                                                 subnet_id=subnet.id, opts=opts)

secgroup = openstack.networking.SecGroup(f"{system}-sg", name=f"{system}-sg", tenant_id=project_id,
                                         description=f"{system} security group", tags=tags, opts=opts)
openstack.networking.SecGroupRule(f"{system}-sg-intra", security_group_id=secgroup.id, tenant_id=project_id,
                                  direction="ingress", ethertype="IPv4", remote_group_id=secgroup.id, opts=opts)
port_number = config.require_int("port")
openstack.networking.SecGroupRule(
    f"{system}-sg-in0", security_group_id=secgroup.id, tenant_id=project_id, direction="ingress",
    ethertype="IPv4", protocol="tcp", port_range_min=port_number, port_range_max=port_number,
    remote_ip_prefix=config.require("source"), description="HTTPS", opts=opts)


def port_of(name, group):
    return openstack.networking.Port(
        f"{name}-port", name=f"{name}-port", tenant_id=project_id, network_id=network.id,
        security_group_ids=[group.id], fixed_ips=[openstack.networking.PortFixedIpArgs(subnet_id=subnet.id)],
        tags=tags, opts=opts)


def data_volume(name, size, server):
    volume = openstack.blockstorage.Volume(name, name=name, size=size, metadata=metadata, opts=replace_first)
    openstack.compute.VolumeAttach(f"{name}-attach", instance_id=server.id, volume_id=volume.id, opts=opts)


image = openstack.images.get_image_output(name=config.require("image"), most_recent=True, opts=invoke)
web_ports = []
for index in range(1, config.require_int("count") + 1):
    name = f"{system}-web-{index}"
    port = port_of(name, secgroup)
    web_ports.append(port)
    system_disk = openstack.blockstorage.Volume(f"{name}-system", name=f"{name}-system",
                                                size=config.require_int("systemGb"), image_id=image.id,
                                                metadata=metadata, opts=replace_first)
    server = openstack.compute.Instance(
        name, name=name, flavor_name=config.require("flavor"),
        block_devices=[openstack.compute.InstanceBlockDeviceArgs(
            uuid=system_disk.id, source_type="volume", destination_type="volume", boot_index=0,
            delete_on_termination=False)],
        networks=[openstack.compute.InstanceNetworkArgs(port=port.id)], metadata=metadata, tags=tags,
        opts=replace_first)
    data_volume(f"{name}-data1", config.require_int("diskGb"), server)


def every_kind() -> None:
    """Part 3's system: what its request adds to the typical one."""
    db_group = openstack.networking.SecGroup(f"{system}-db-sg", name=f"{system}-db-sg", tenant_id=project_id,
                                             description=f"{system} databases", tags=tags, opts=opts)
    openstack.networking.SecGroupRule(f"{system}-db-sg-subnet", security_group_id=db_group.id,
                                      tenant_id=project_id, direction="ingress", ethertype="IPv4",
                                      remote_ip_prefix=cidr, opts=opts)
    db_name = f"{system}-db-kdb-1"
    db_server = openstack.compute.Instance(
        db_name, name=db_name, flavor_name=config.require("dbFlavor"), image_name=config.require("image"),
        user_data=config.require("dbUserData"),
        networks=[openstack.compute.InstanceNetworkArgs(port=port_of(db_name, db_group).id)],
        metadata=metadata, tags=tags, opts=replace_first)
    data_volume(f"{db_name}-data", config.require_int("dbGb"), db_server)

    openstack.objectstorage.Container(
        f"{system}-{config.require('bucket')}", name=config.require("bucket"),
        metadata={"Quota-Bytes": str(config.require_int("bucketGb") * 2**30), **metadata}, opts=opts)
    share = openstack.sharedfilesystem.Share(
        f"{system}-share-docs", name=f"{system}-share-docs", share_proto="NFS", size=config.require_int("shareGb"),
        share_type=config.require("shareType"), metadata=metadata, opts=opts)
    openstack.sharedfilesystem.ShareAccess(f"{system}-share-docs-access", share_id=share.id, access_type="ip",
                                           access_to=cidr, access_level="rw", opts=opts)

    qos_policy_id = config.require("qosPolicyId")     # the tenant stack's bandwidth grant

    def public_ip(name, port_id, after):
        return openstack.networking.FloatingIp(
            name, pool="public", tenant_id=project_id, port_id=port_id, tags=tags,
            value_specs={"qos_policy_id": qos_policy_id},
            opts=pulumi.ResourceOptions.merge(replace_first, pulumi.ResourceOptions(depends_on=after)))

    eip = public_ip(f"{system}-eip1", web_ports[0].id, [router_if])

    lb = openstack.loadbalancer.LoadBalancer(f"{system}-lb-web", name=f"{system}-lb-web", vip_subnet_id=subnet.id,
                                             loadbalancer_provider="ovn", tags=tags, opts=opts)
    listener = openstack.loadbalancer.Listener(f"{system}-lb-web-tcp{port_number}", loadbalancer_id=lb.id,
                                               protocol="TCP", protocol_port=port_number, tags=tags, opts=opts)
    pool = openstack.loadbalancer.Pool(f"{system}-lb-web-tcp{port_number}-pool", listener_id=listener.id,
                                       protocol="TCP", lb_method="SOURCE_IP_PORT", tags=tags, opts=opts)
    for index, port in enumerate(web_ports, start=1):
        openstack.loadbalancer.Member(f"{system}-lb-web-tcp{port_number}-web-{index}", pool_id=pool.id,
                                      subnet_id=subnet.id, protocol_port=port_number, address=port.all_fixed_ips[0],
                                      tags=tags, opts=opts)
    public_ip(f"{system}-lb-web-eip", lb.vip_port_id, [router_if, eip])


if config.get("dbFlavor"):
    every_kind()

pulumi.export("projectId", project_id)
