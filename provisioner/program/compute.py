"""Servers and their disks: each host boots from its system disk, a Cinder volume of the size the
request asks (the flavor's disk when it names none), billed as the block storage it is."""

from __future__ import annotations

import pulumi
import pulumi_openstack as openstack

from provisioner.allocation.model import Disk, Server
from provisioner.program.database import DATABASE_IMAGE, database_user_data
from provisioner.program.context import Net, SystemContext


def declare_servers(ctx: SystemContext, net: Net) -> dict[str, openstack.networking.Port]:
    """Every server of the allocation with its disks; returns each server's port by server name."""
    groups = {group.name: _group(ctx, group.name, group.path) for group in ctx.allocation.groups}
    system_disks = {d.server: d for d in ctx.allocation.disks if d.image is not None}
    servers, ports = {}, {}
    for server in ctx.allocation.servers:
        boot = _volume(ctx, system_disks[server.name]) if server.name in system_disks else None
        servers[server.name], ports[server.name] = _server(
            ctx, server, net, groups.get(server.group) if server.group else None, boot)
    for disk in ctx.allocation.disks:
        if disk.image is not None:
            continue
        volume = _volume(ctx, disk)
        if disk.server is not None:
            name = ctx.name(f"{disk.name}-attach")
            ctx.place(name, disk.path)
            # Going with its server: Nova detaches a deleted server's volumes itself, so a destroy need
            # not wait for each detach before it may delete the servers (Pulumi deletes in rounds, each
            # waiting for its slowest). The volume's own delete waits until it is available.
            openstack.compute.VolumeAttach(name, instance_id=servers[disk.server].id, volume_id=volume.id,
                                           opts=pulumi.ResourceOptions.merge(ctx.opts, pulumi.ResourceOptions(
                                               deleted_with=servers[disk.server])))
    return ports


def _group(ctx: SystemContext, role: str, path: tuple) -> openstack.compute.ServerGroup:
    name = ctx.name(f"{role}-group")
    ctx.place(name, path)
    return openstack.compute.ServerGroup(name, name=ctx.name(role), policies=ctx.anti_affinity, opts=ctx.opts)


def _server(ctx: SystemContext, server: Server, net: Net, group: openstack.compute.ServerGroup | None,
            boot: openstack.blockstorage.Volume | None,
            ) -> tuple[openstack.compute.Instance, openstack.networking.Port]:
    name = ctx.name(server.name)
    database = server.database is not None
    secgroup = net.db_secgroup if database and net.db_secgroup is not None else net.secgroup
    # A port of our own (rather than `networks=[{uuid}]`) fixes the security
    # group and subnet, and avoids the instance being replaced on every up
    # (pulumi/pulumi-openstack#891).
    port = openstack.networking.Port(
        f"{name}-port", name=f"{name}-port", tenant_id=ctx.project_id, network_id=net.network.id,
        security_group_ids=[secgroup.id], fixed_ips=[openstack.networking.PortFixedIpArgs(subnet_id=net.subnet.id)],
        tags=ctx.tags(f"{name}-port", server.path), opts=ctx.opts)
    boot_args: dict = {"image_name": DATABASE_IMAGE if database else server.image}
    if boot is not None:
        boot_args = {"block_devices": [openstack.compute.InstanceBlockDeviceArgs(
            uuid=boot.id, source_type="volume", destination_type="volume", boot_index=0,
            delete_on_termination=False)]}
    instance = openstack.compute.Instance(
        name, name=name, flavor_name=server.flavor, networks=[openstack.compute.InstanceNetworkArgs(port=port.id)],
        scheduler_hints=[openstack.compute.InstanceSchedulerHintArgs(group=group.id)] if group else None,
        user_data=database_user_data(server) if database else None,
        metadata=ctx.metadata(name, server.path), tags=ctx.tags(name, server.path), **boot_args,
        # Quotas equal the grant, so a replacement cannot create the new server
        # before deleting the old one (403 Quota exceeded): delete first.
        opts=pulumi.ResourceOptions.merge(ctx.opts, pulumi.ResourceOptions(delete_before_replace=True)))
    return instance, port


def _volume(ctx: SystemContext, disk: Disk) -> openstack.blockstorage.Volume:
    name = ctx.name(disk.name)
    # A system disk holds the operating system, made again from the image; data is protected.
    protect = ctx.protect_data and disk.image is None
    image_id = None
    if disk.image is not None:
        image_id = openstack.images.get_image_output(
            name=disk.image, most_recent=True, opts=pulumi.InvokeOutputOptions(provider=ctx.provider)).id
    return openstack.blockstorage.Volume(
        name, name=name, size=disk.size_gb, volume_type=disk.volume_type, image_id=image_id,
        metadata=ctx.metadata(name, disk.path),
        opts=pulumi.ResourceOptions.merge(ctx.opts, pulumi.ResourceOptions(protect=protect,
                                                                           delete_before_replace=True)))
