"""The resources of one application system, declared from its allocation (provisioner.allocation).

Everything lives in the department's Keystone project (from the department's tenant
stack) and carries the same labels, plus the spec field it serves (`field=hosts[0]`), so
metering, drift checks, preflight and a person looking at `openstack server list` can all
tell whose it is and which line of the request asked for it. The stack exports the same
map, resource name -> field, for the resources the cloud has no labels on (rules,
attachments). The program declares what the allocation lists, one resource per item, and
expands nothing itself.
"""

from __future__ import annotations

import pulumi
import pulumi_openstack as openstack

from provisioner.program import compute, edge, storage
from provisioner.program.context import Net, SystemContext
from provisioner.spec.findings import Path


def declare_system(ctx: SystemContext) -> None:
    """Network, security groups, hosts and their disks, storage, public edge for one system."""
    net = _network(ctx)
    ports = compute.declare_servers(ctx, net)
    storage.declare_storage(ctx, net)
    edge.declare_edge(ctx, net, ports)
    pulumi.export("fields", ctx.fields)


def _network(ctx: SystemContext) -> Net:
    at = ctx.allocation.network.path
    opts = ctx.opts
    name = ctx.name("net")
    network = openstack.networking.Network(
        name, name=name, tenant_id=ctx.project_id, admin_state_up=True, tags=ctx.tags(name, at), opts=opts)
    name = ctx.name("subnet")
    subnet = openstack.networking.Subnet(
        name, name=name, tenant_id=ctx.project_id, network_id=network.id, cidr=ctx.allocation.network.cidr,
        ip_version=4, tags=ctx.tags(name, at + ("cidr",)), opts=opts)
    external = openstack.networking.get_network_output(
        name=ctx.external_network, opts=pulumi.InvokeOutputOptions(provider=ctx.provider))
    name = ctx.name("router")
    router = openstack.networking.Router(
        name, name=name, tenant_id=ctx.project_id, external_network_id=external.id,
        tags=ctx.tags(name, at + ("zone",)), opts=opts)
    name = ctx.name("router-if")
    ctx.place(name, at)
    router_if = openstack.networking.RouterInterface(name, router_id=router.id, subnet_id=subnet.id, opts=opts)
    secgroup = _security_group(ctx)
    db_secgroup = _database_security_group(ctx) if ctx.allocation.database_servers else None
    return Net(network, subnet, router_if, secgroup, db_secgroup)


def _group(ctx: SystemContext, name: str, what: str, path: Path) -> openstack.networking.SecGroup:
    return openstack.networking.SecGroup(
        name, name=name, tenant_id=ctx.project_id, description=f"{what} ({ctx.spec.metadata.request_id})",
        tags=ctx.tags(name, path), opts=ctx.opts)


def _security_group(ctx: SystemContext) -> openstack.networking.SecGroup:
    at = ("resources", "security")
    secgroup = _group(ctx, ctx.name("sg"), ctx.spec.metadata.name, at + ("ingress",))
    # Members of one system reach each other (web to database) and nothing else does
    # unless the request opens it.
    name = ctx.name("sg-intra")
    ctx.place(name, at)
    openstack.networking.SecGroupRule(
        name, security_group_id=secgroup.id, tenant_id=ctx.project_id, direction="ingress", ethertype="IPv4",
        remote_group_id=secgroup.id, description="within the system", opts=ctx.opts)
    for index, rule in enumerate(ctx.allocation.ingress):
        name = ctx.name(f"sg-in{index}")
        ctx.place(name, rule.path)
        openstack.networking.SecGroupRule(
            name, security_group_id=secgroup.id, tenant_id=ctx.project_id, direction="ingress",
            ethertype="IPv6" if ":" in rule.source else "IPv4", protocol=rule.protocol,
            port_range_min=rule.port_min, port_range_max=rule.port_max, remote_ip_prefix=rule.source,
            description=rule.description, opts=ctx.opts)
    return secgroup


def _database_security_group(ctx: SystemContext) -> openstack.networking.SecGroup:
    """Database hosts get a group of their own: the request's ingress rules are for its
    application hosts, a database is reached from the system's subnet only."""
    at = ("resources", "databases")
    secgroup = _group(ctx, ctx.name("db-sg"), f"{ctx.spec.metadata.name} databases", at)
    name = ctx.name("db-sg-subnet")
    ctx.place(name, at)
    openstack.networking.SecGroupRule(
        name, security_group_id=secgroup.id, tenant_id=ctx.project_id, direction="ingress", ethertype="IPv4",
        remote_ip_prefix=ctx.allocation.network.cidr, description="the system's subnet only", opts=ctx.opts)
    return secgroup
