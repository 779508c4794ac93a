"""A department's tenancy: its Keystone project, and the operator's role on it.

One tenant stack per department (`<region>.<department>`); each system stack of
that department reads the project id from it, so systems never create or
delete the project they live in.
"""

from __future__ import annotations

import pulumi
import pulumi_openstack as openstack


def declare_tenant(region: str, department: str, department_name: str, operator_user: str,
                   quota: dict[str, int], provider: openstack.Provider) -> None:
    opts = pulumi.ResourceOptions(provider=provider)
    invoke = pulumi.InvokeOutputOptions(provider=provider)
    project = openstack.identity.Project(
        "project", name=project_name(region, department),
        description=department_name, tags=[f"region={region}", f"department={department}"],
        opts=opts)
    # The operator (provider ops' account) works inside the project to create
    # servers and volumes there: Nova and Cinder scope resources by token.
    user = openstack.identity.get_user_output(name=operator_user, opts=invoke)
    role = openstack.identity.get_role_output(name="admin", opts=invoke)
    openstack.identity.RoleAssignment(
        "operator-role", project_id=project.id, user_id=user.id, role_id=role.id, opts=opts)
    _quotas(project.id, quota, opts)
    pulumi.export("projectId", project.id)
    pulumi.export("projectName", project.name)


def project_name(region: str, department: str) -> str:
    return f"{region}-{department}"


def _quotas(project_id: pulumi.Input[str], quota: dict[str, int], opts: pulumi.ResourceOptions) -> None:
    """What the department was granted is all OpenStack will let it have (art15)."""
    openstack.compute.QuotaSetV2(
        "compute-quota", project_id=project_id, instances=quota["instances"],
        cores=quota["cores"], ram=quota["ram_mb"], opts=opts)
    openstack.blockstorage.QuoteSetV3(
        "volume-quota", project_id=project_id, volumes=quota["volumes"],
        gigabytes=quota["gigabytes"], opts=opts)
    openstack.networking.QuotaV2(
        "network-quota", project_id=project_id, network=quota["networks"],
        subnet=quota["subnets"], router=quota["routers"], port=quota["ports"],
        security_group=quota["security_groups"],
        security_group_rule=quota["security_group_rules"], floatingip=quota["floating_ips"],
        opts=opts)
