"""Where a system meets the internet: bandwidth, elastic public IPs, load balancers.

Internet bandwidth is a Neutron QoS policy with a bandwidth-limit rule each way, granted by
the tenant stack (provisioner/program/tenant.py: only an admin may make one) and given to
every public IP of the system (a host's and a public load balancer's) as it is made: the
limit holds on each address. Load balancers are Octavia's, with the provider driver the
catalogue offers (OVN here: layer 4, SOURCE_IP_PORT; what it cannot do was refused at the
request's line before this runs): one listener and pool per requested port, the role's
hosts as members.
"""

from __future__ import annotations

import pulumi
import pulumi_openstack as openstack

from provisioner.allocation.model import Balancer
from provisioner.program.context import Net, SystemContext

def declare_edge(ctx: SystemContext, net: Net, ports: dict[str, openstack.networking.Port]) -> None:
    qos = ctx.qos_policy_id
    previous: list[pulumi.Resource] = [net.router_if]
    for ip in ctx.allocation.public_ips:
        # One after another: the quota is exactly the grant (public IPs are billed), and
        # Neutron counts an address being allocated twice for a moment, so two allocated at
        # once met 409 OverQuota ['floatingip'] (seen in CI with the 2 of yjzh).
        fip = _floating_ip(ctx, ctx.name(ip.name), ip.path, qos, f"EIP {ip.name.removeprefix('eip')}",
                           previous, ports[ip.server].id)
        previous = [net.router_if, fip]
    for balancer in ctx.allocation.balancers:
        previous = _balancer(ctx, net, balancer, ports, qos, previous)


def _floating_ip(ctx: SystemContext, name: str, path: tuple, qos: pulumi.Input[str] | None,
                 what: str, previous: list[pulumi.Resource], port_id: pulumi.Input[str],
                 ) -> openstack.networking.FloatingIp:
    """A public IP on its port from the start, its bandwidth limited by `qos`.

    The provider has no qos_policy_id for floating IPs: value_specs passes it to Neutron at
    creation. Neutron (Zed) then clears it on any later update of the address that does not
    repeat it (association, description), so nothing ever updates one: it is made on its
    port (no separate association), its description is the system code and never changes,
    and a new port makes a new address. Neutron only associates one once the subnet reaches
    the external network, i.e. after the router interface (ExternalGatewayForFloatingIPNotFound).
    """
    return openstack.networking.FloatingIp(
        name, pool=ctx.external_network, tenant_id=ctx.project_id, port_id=port_id,
        description=f"{ctx.spec.metadata.system} {what}", tags=ctx.tags(name, path),
        value_specs={"qos_policy_id": qos} if qos is not None else None,
        opts=pulumi.ResourceOptions.merge(ctx.opts, pulumi.ResourceOptions(
            depends_on=previous, replace_on_changes=["portId"], delete_before_replace=True)))


def _balancer(ctx: SystemContext, net: Net, balancer: Balancer, ports: dict[str, openstack.networking.Port],
              qos: pulumi.Input[str] | None, previous: list[pulumi.Resource]) -> list[pulumi.Resource]:
    name = ctx.name(balancer.name)
    lb = openstack.loadbalancer.LoadBalancer(
        name, name=name, vip_subnet_id=net.subnet.id, loadbalancer_provider=balancer.provider,
        description=f"{ctx.spec.metadata.name} ({ctx.spec.metadata.request_id})",
        tags=ctx.tags(name, balancer.path), opts=ctx.opts)
    for listener in balancer.listeners:
        each = f"{name}-{listener.protocol}{listener.port}"
        made = openstack.loadbalancer.Listener(
            each, name=each, loadbalancer_id=lb.id, protocol=listener.protocol.upper(),
            protocol_port=listener.port, tags=ctx.tags(each, listener.path), opts=ctx.opts)
        pool = openstack.loadbalancer.Pool(
            f"{each}-pool", name=f"{each}-pool", listener_id=made.id, protocol=listener.protocol.upper(),
            lb_method=balancer.algorithm.upper(), tags=ctx.tags(f"{each}-pool", listener.path), opts=ctx.opts)
        for server in balancer.members:
            member = f"{each}-{server}"
            openstack.loadbalancer.Member(
                member, name=member, pool_id=pool.id, subnet_id=net.subnet.id, protocol_port=listener.backend_port,
                address=ports[server].all_fixed_ips[0], tags=ctx.tags(member, listener.path), opts=ctx.opts)
    if not balancer.public:
        return previous
    fip = _floating_ip(ctx, f"{name}-eip", balancer.path + ("public",), qos, f"{balancer.name} address",
                       previous, lb.vip_port_id)
    return [net.router_if, fip]
