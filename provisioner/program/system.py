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
from provisioner.program.database import DATABASE_IMAGE, database_user_data
from provisioner.spec.model import Database, Host, RequestSpec


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
    anti_affinity: str = "anti-affinity"   # or soft-anti-affinity (see Settings)


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
    router_if = openstack.networking.RouterInterface(
        f"{name}-router-if", router_id=router.id, subnet_id=subnet.id, opts=opts)

    secgroup = _security_group(ctx, name, tags, opts)
    db_secgroup = _database_security_group(ctx, name, tags, opts) if ctx.spec.resources.databases else None
    net = _Net(network, subnet, secgroup, db_secgroup)
    ports = [port for host in ctx.spec.resources.hosts for port in _hosts(ctx, host, net, opts)]
    for database in ctx.spec.resources.databases:
        _database(ctx, database, net, opts)
    _storage(ctx, opts)
    _public_ips(ctx, ports, router_if, opts)


def _group(ctx: SystemContext, group_name: str, what: str, tags: list[str],
           opts: pulumi.ResourceOptions) -> openstack.networking.SecGroup:
    return openstack.networking.SecGroup(
        group_name, name=group_name, tenant_id=ctx.project_id,
        description=f"{what} ({ctx.spec.metadata.request_id})", tags=tags, opts=opts)


def _security_group(ctx: SystemContext, name: str, tags: list[str],
                    opts: pulumi.ResourceOptions) -> openstack.networking.SecGroup:
    secgroup = _group(ctx, f"{name}-sg", ctx.spec.metadata.name, tags, opts)
    # Members of one system reach each other (web to database) and nothing else does
    # unless the request opens it.
    openstack.networking.SecGroupRule(
        f"{name}-sg-intra", security_group_id=secgroup.id, tenant_id=ctx.project_id,
        direction="ingress", ethertype="IPv4", remote_group_id=secgroup.id,
        description="within the system", opts=opts)
    for index, rule in enumerate(ctx.spec.resources.security.ingress):
        port_min, port_max = rule.port_range
        openstack.networking.SecGroupRule(
            f"{name}-sg-in{index}", security_group_id=secgroup.id, tenant_id=ctx.project_id,
            direction="ingress", ethertype="IPv6" if ":" in rule.source else "IPv4",
            protocol=rule.protocol, port_range_min=port_min, port_range_max=port_max,
            remote_ip_prefix=rule.source, description=rule.description, opts=opts)
    return secgroup


def _database_security_group(ctx: SystemContext, name: str, tags: list[str],
                             opts: pulumi.ResourceOptions) -> openstack.networking.SecGroup:
    """Database hosts get a group of their own: the request's ingress rules are for its
    application hosts, a database is reached from the system's subnet only."""
    secgroup = _group(ctx, f"{name}-db-sg", f"{ctx.spec.metadata.name} databases", tags, opts)
    openstack.networking.SecGroupRule(
        f"{name}-db-sg-subnet", security_group_id=secgroup.id, tenant_id=ctx.project_id,
        direction="ingress", ethertype="IPv4", remote_ip_prefix=ctx.spec.resources.network.cidr,
        description="the system's subnet only", opts=opts)
    return secgroup


@dataclass(frozen=True)
class _Net:
    network: openstack.networking.Network
    subnet: openstack.networking.Subnet
    secgroup: openstack.networking.SecGroup
    db_secgroup: openstack.networking.SecGroup | None = None


def _server(ctx: SystemContext, server_name: str, flavor: str, image: str, net: _Net,
            group: openstack.compute.ServerGroup | None, opts: pulumi.ResourceOptions,
            user_data: str | None = None, secgroup: openstack.networking.SecGroup | None = None,
            ) -> tuple[openstack.compute.Instance, openstack.networking.Port]:
    # A port of our own (rather than `networks=[{uuid}]`) fixes the security
    # group and subnet, and avoids the instance being replaced on every up
    # (pulumi/pulumi-openstack#891).
    port = openstack.networking.Port(
        f"{server_name}-port", name=f"{server_name}-port", tenant_id=ctx.project_id,
        network_id=net.network.id, security_group_ids=[(secgroup or net.secgroup).id],
        fixed_ips=[openstack.networking.PortFixedIpArgs(subnet_id=net.subnet.id)],
        tags=ctx.labels.tags(), opts=opts)
    server = openstack.compute.Instance(
        server_name, name=server_name, flavor_name=flavor, image_name=image,
        networks=[openstack.compute.InstanceNetworkArgs(port=port.id)],
        scheduler_hints=[openstack.compute.InstanceSchedulerHintArgs(group=group.id)] if group else None,
        user_data=user_data, metadata=ctx.labels.metadata(), tags=ctx.labels.tags(),
        # Quotas equal the grant, so a replacement cannot create the new server
        # before deleting the old one (403 Quota exceeded): delete first.
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True)))
    return server, port


def _volume(ctx: SystemContext, name: str, size_gb: int, volume_type: str | None,
            opts: pulumi.ResourceOptions) -> openstack.blockstorage.Volume:
    data_opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(
        protect=ctx.protect_data, delete_before_replace=True))
    return openstack.blockstorage.Volume(name, name=name, size=size_gb, volume_type=volume_type,
                                         metadata=ctx.labels.metadata(), opts=data_opts)


def _anti_affinity_group(ctx: SystemContext, role: str, members: int, wanted: bool,
                         opts: pulumi.ResourceOptions) -> openstack.compute.ServerGroup | None:
    if not wanted or members < 2:
        return None
    return openstack.compute.ServerGroup(
        f"{ctx.labels.prefix}-{role}-group", name=f"{ctx.labels.prefix}-{role}",
        policies=ctx.anti_affinity, opts=opts)


def _hosts(ctx: SystemContext, host: Host, net: _Net,
           opts: pulumi.ResourceOptions) -> list[openstack.networking.Port]:
    group = _anti_affinity_group(ctx, host.name, host.count, host.anti_affinity, opts)
    ports = []
    for index in range(1, host.count + 1):
        server_name = f"{ctx.labels.prefix}-{host.name}-{index}"
        server, port = _server(ctx, server_name, host.flavor, host.image, net, group, opts)
        ports.append(port)
        for disk_index, disk in enumerate(host.data_disks, start=1):
            volume = _volume(ctx, f"{server_name}-data{disk_index}", disk.size_gb, disk.volume_type, opts)
            openstack.compute.VolumeAttach(
                f"{server_name}-data{disk_index}-attach", instance_id=server.id,
                volume_id=volume.id, opts=opts)
    return ports


def _database(ctx: SystemContext, database: Database, net: _Net, opts: pulumi.ResourceOptions) -> None:
    """The documented database pattern where the cloud has no Trove: one host (two with a
    standby, kept apart) with a data volume, set up by cloud-init (see README)."""
    members = 2 if database.high_availability else 1
    role = f"db-{database.name}"
    group = _anti_affinity_group(ctx, role, members, True, opts)
    for index in range(1, members + 1):
        server_name = f"{ctx.labels.prefix}-{role}-{index}"
        server, _ = _server(ctx, server_name, database.flavor, DATABASE_IMAGE, net, group, opts,
                            user_data=database_user_data(database, primary=index == 1),
                            secgroup=net.db_secgroup)
        volume = _volume(ctx, f"{server_name}-data", database.storage_gb, None, opts)
        openstack.compute.VolumeAttach(f"{server_name}-data-attach", instance_id=server.id,
                                       volume_id=volume.id, opts=opts)


def _storage(ctx: SystemContext, opts: pulumi.ResourceOptions) -> None:
    storage = ctx.spec.resources.storage
    for volume in storage.volumes:
        _volume(ctx, f"{ctx.labels.prefix}-{volume.name}", volume.size_gb, volume.volume_type, opts)
    data_opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=ctx.protect_data))
    for bucket in storage.buckets:
        # Swift's container_quotas middleware enforces X-Container-Meta-Quota-Bytes.
        openstack.objectstorage.Container(
            f"{ctx.labels.prefix}-{bucket.name}", name=bucket.name,
            metadata={"Quota-Bytes": str(bucket.quota_gb * 2**30), **ctx.labels.metadata()},
            container_read=".r:*,.rlistings" if bucket.public_read else None, opts=data_opts)


def _public_ips(ctx: SystemContext, ports: list[openstack.networking.Port],
                router_if: openstack.networking.RouterInterface, opts: pulumi.ResourceOptions) -> None:
    """Elastic public IPs go to the first hosts' ports, in the order the request lists them.

    Neutron only associates one once the subnet reaches the external network, i.e.
    after the router interface exists (ExternalGatewayForFloatingIPNotFound otherwise).
    """
    previous: list[pulumi.Resource] = []
    for index, port in enumerate(ports[:ctx.spec.resources.bandwidth.public_ips], start=1):
        # One after another: the quota is exactly the grant (public IPs are billed), and
        # Neutron counts an address being allocated twice for a moment, so two allocated at
        # once met 409 OverQuota ['floatingip'] (seen in CI with the 2 of yjzh).
        fip = openstack.networking.FloatingIp(
            f"{ctx.labels.prefix}-eip{index}", pool=ctx.external_network, tenant_id=ctx.project_id,
            description=f"{ctx.spec.metadata.name} EIP {index}", tags=ctx.labels.tags(),
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=previous)))
        previous = [fip]
        openstack.networking.FloatingIpAssociate(
            f"{ctx.labels.prefix}-eip{index}-assoc", floating_ip=fip.address, port_id=port.id,
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[router_if])))
