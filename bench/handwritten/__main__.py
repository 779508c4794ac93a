"""One typical system, written by hand: what govcloud declares for a request with
`count` hosts of one flavor, each booting from a system disk (a volume made from the
image) with one data disk, and one ingress rule.

Configuration (Pulumi.<stack>.yaml, `bench:` keys): cloud (clouds.yaml entry of the
operator), projectId (the department's Keystone project), system, cidr, flavor,
image, count, systemGb, diskGb, port, source, plus the labels region, department,
phase, request. The provider is the operator's account scoped to the department's project,
as govcloud's provisioner/program/credentials.py sets it up (read from clouds.yaml
directly here: no openstacksdk).
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

network = openstack.networking.Network(
    f"{system}-net", name=f"{system}-net", tenant_id=project_id, admin_state_up=True, tags=tags, opts=opts)
subnet = openstack.networking.Subnet(
    f"{system}-subnet", name=f"{system}-subnet", tenant_id=project_id, network_id=network.id,
    cidr=config.require("cidr"), ip_version=4, tags=tags, opts=opts)
external = openstack.networking.get_network_output(
    name="public", opts=pulumi.InvokeOutputOptions(provider=provider))
router = openstack.networking.Router(
    f"{system}-router", name=f"{system}-router", tenant_id=project_id,
    external_network_id=external.id, tags=tags, opts=opts)
openstack.networking.RouterInterface(f"{system}-router-if", router_id=router.id, subnet_id=subnet.id,
                                     opts=opts)

secgroup = openstack.networking.SecGroup(
    f"{system}-sg", name=f"{system}-sg", tenant_id=project_id, description=f"{system} security group",
    tags=tags, opts=opts)
openstack.networking.SecGroupRule(
    f"{system}-sg-intra", security_group_id=secgroup.id, tenant_id=project_id, direction="ingress",
    ethertype="IPv4", remote_group_id=secgroup.id, description="within the system", opts=opts)
port_number = config.require_int("port")
openstack.networking.SecGroupRule(
    f"{system}-sg-in0", security_group_id=secgroup.id, tenant_id=project_id, direction="ingress",
    ethertype="IPv4", protocol="tcp", port_range_min=port_number, port_range_max=port_number,
    remote_ip_prefix=config.require("source"), description="HTTPS", opts=opts)

replace_first = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True))
image = openstack.images.get_image_output(name=config.require("image"), most_recent=True,
                                          opts=pulumi.InvokeOutputOptions(provider=provider))
for index in range(1, config.require_int("count") + 1):
    name = f"{system}-web-{index}"
    port = openstack.networking.Port(
        f"{name}-port", name=f"{name}-port", tenant_id=project_id, network_id=network.id,
        security_group_ids=[secgroup.id], fixed_ips=[openstack.networking.PortFixedIpArgs(subnet_id=subnet.id)],
        tags=tags, opts=opts)
    system_disk = openstack.blockstorage.Volume(
        f"{name}-system", name=f"{name}-system", size=config.require_int("systemGb"), image_id=image.id,
        metadata=metadata, opts=replace_first)
    server = openstack.compute.Instance(
        name, name=name, flavor_name=config.require("flavor"),
        block_devices=[openstack.compute.InstanceBlockDeviceArgs(
            uuid=system_disk.id, source_type="volume", destination_type="volume", boot_index=0,
            delete_on_termination=False)],
        networks=[openstack.compute.InstanceNetworkArgs(port=port.id)], metadata=metadata, tags=tags,
        opts=replace_first)
    volume = openstack.blockstorage.Volume(
        f"{name}-data1", name=f"{name}-data1", size=config.require_int("diskGb"), metadata=metadata,
        opts=replace_first)
    openstack.compute.VolumeAttach(f"{name}-data1-attach", instance_id=server.id, volume_id=volume.id,
                                   opts=opts)

pulumi.export("projectId", project_id)
