"""Object storage (Swift containers with a quota) and file shares (Manila NFS shares that the
system's subnet may mount)."""

from __future__ import annotations

import pulumi
import pulumi_openstack as openstack

from provisioner.program.context import Net, SystemContext


def declare_storage(ctx: SystemContext, net: Net) -> None:
    data_opts = pulumi.ResourceOptions.merge(ctx.opts, pulumi.ResourceOptions(protect=ctx.protect_data))
    for bucket in ctx.allocation.buckets:
        name = ctx.name(bucket.name)
        # Swift's container_quotas middleware enforces X-Container-Meta-Quota-Bytes.
        openstack.objectstorage.Container(
            name, name=bucket.name,
            metadata={"Quota-Bytes": str(bucket.quota_gb * 2**30), **ctx.metadata(name, bucket.path)},
            container_read=".r:*,.rlistings" if bucket.public_read else None, opts=data_opts)
    for share in ctx.allocation.shares:
        name = ctx.name(share.name)
        made = openstack.sharedfilesystem.Share(
            name, name=name, share_proto=share.protocol.upper(), size=share.size_gb, share_type=share.share_type,
            description=f"{ctx.spec.metadata.name} ({ctx.spec.metadata.request_id})",
            metadata=ctx.metadata(name, share.path), opts=data_opts)
        # The system's own hosts mount it, read and write; nothing else does.
        ctx.place(f"{name}-access", share.path)
        openstack.sharedfilesystem.ShareAccess(
            f"{name}-access", share_id=made.id, access_type="ip", access_to=ctx.allocation.network.cidr,
            access_level="rw", opts=ctx.opts)
