"""The resources of one application system, declared from its request spec.

Everything lives in the department's Keystone project (from the department's
tenant stack) and carries the same labels, so metering, drift checks and a
person looking at `openstack server list` can all tell whose it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_openstack as openstack

from provisioner.program.labels import Labels
from provisioner.spec.model import Host, RequestSpec


@dataclass(frozen=True)
class SystemContext:
    spec: RequestSpec
    labels: Labels
    project_id: pulumi.Input[str]
    provider: openstack.Provider
    external_network: str
    # Production data (volumes) is protected from deletion by a changed spec or
    # a stray destroy; only the termination flow, after backing up, releases it.
    protect_data: bool = False


def declare_system(ctx: SystemContext) -> None:
    """Network, security group, hosts and their disks for one system."""
    opts = pulumi.ResourceOptions(provider=ctx.provider)
    tags = ctx.labels.tags()
    name = ctx.labels.prefix

    network = openstack.networking.Network(
        f"{name}-net", name=f"{name}-net", tenant_id=ctx.project_id, admin_state_up=True,
        tags=tags, opts=opts)
    subnet = openstack.networking.Subnet(
        f"{name}-subnet", name=f"{name}-subnet", tenant_id=ctx.project_id,
        network_id=network.id, cidr=ctx.spec.resources.network.cidr, ip_version=4,
        tags=tags, opts=opts)
    external = openstack.networking.get_network_output(name=ctx.external_network, opts=pulumi.InvokeOutputOptions(provider=ctx.provider))
    router = openstack.networking.Router(
        f"{name}-router", name=f"{name}-router", tenant_id=ctx.project_id,
        external_network_id=external.id, tags=tags, opts=opts)
    openstack.networking.RouterInterface(
        f"{name}-router-if", router_id=router.id, subnet_id=subnet.id, opts=opts)

    secgroup = _security_group(ctx, name, tags, opts)
    for host in ctx.spec.resources.hosts:
        _hosts(ctx, host, network, subnet, secgroup, opts)


def _security_group(ctx: SystemContext, name: str, tags: list[str],
                    opts: pulumi.ResourceOptions) -> openstack.networking.SecGroup:
    secgroup = openstack.networking.SecGroup(
        f"{name}-sg", name=f"{name}-sg", tenant_id=ctx.project_id,
        description=f"{ctx.spec.metadata.name} ({ctx.spec.metadata.request_id})",
        tags=tags, opts=opts)
    for index, rule in enumerate(ctx.spec.resources.security.ingress):
        port_min, port_max = rule.port_range
        openstack.networking.SecGroupRule(
            f"{name}-sg-in{index}", security_group_id=secgroup.id, tenant_id=ctx.project_id,
            direction="ingress", ethertype="IPv6" if ":" in rule.source else "IPv4",
            protocol=rule.protocol, port_range_min=port_min, port_range_max=port_max,
            remote_ip_prefix=rule.source, description=rule.description, opts=opts)
    return secgroup


def _hosts(ctx: SystemContext, host: Host, network: openstack.networking.Network,
           subnet: openstack.networking.Subnet, secgroup: openstack.networking.SecGroup,
           opts: pulumi.ResourceOptions) -> None:
    tags = ctx.labels.tags()
    group = None
    if host.anti_affinity and host.count > 1:
        group = openstack.compute.ServerGroup(
            f"{ctx.labels.prefix}-{host.name}-group", name=f"{ctx.labels.prefix}-{host.name}",
            policies=["anti-affinity"], opts=opts)
    for index in range(1, host.count + 1):
        server_name = f"{ctx.labels.prefix}-{host.name}-{index}"
        # A port of our own (rather than `networks=[{uuid}]`) fixes the security
        # group and subnet, and avoids the instance being replaced on every up
        # (pulumi/pulumi-openstack#891).
        port = openstack.networking.Port(
            f"{server_name}-port", name=f"{server_name}-port", tenant_id=ctx.project_id,
            network_id=network.id, security_group_ids=[secgroup.id],
            fixed_ips=[openstack.networking.PortFixedIpArgs(subnet_id=subnet.id)],
            tags=tags, opts=opts)
        server = openstack.compute.Instance(
            server_name, name=server_name, flavor_name=host.flavor, image_name=host.image,
            networks=[openstack.compute.InstanceNetworkArgs(port=port.id)],
            scheduler_hints=[openstack.compute.InstanceSchedulerHintArgs(group=group.id)] if group else None,
            metadata=ctx.labels.metadata(), tags=tags, opts=opts)
        data_opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=ctx.protect_data))
        for disk_index, disk in enumerate(host.data_disks, start=1):
            volume = openstack.blockstorage.Volume(
                f"{server_name}-data{disk_index}", name=f"{server_name}-data{disk_index}",
                size=disk.size_gb, volume_type=disk.volume_type,
                metadata=ctx.labels.metadata(), opts=data_opts)
            openstack.compute.VolumeAttach(
                f"{server_name}-data{disk_index}-attach", instance_id=server.id,
                volume_id=volume.id, opts=opts)
