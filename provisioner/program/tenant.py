"""A department's tenancy: its Keystone project in its region's domain, its own
user there with the member role, the operator's role, and its quotas.

One tenant stack per department (`<region>.<department>`); each system stack of
that department reads the project id from it, so systems never create or
delete the project they live in. The region's domain is looked up, never
created here (see provisioner.cloud.regions).
"""

from __future__ import annotations

import pulumi
import pulumi_openstack as openstack

from provisioner.stacks.naming import department_user, project_name, region_domain


def declare_tenant(region: str, department: str, department_name: str, operator_user: str,
                   quota: dict[str, int], provider: openstack.Provider) -> None:
    opts = pulumi.ResourceOptions(provider=provider)
    invoke = pulumi.InvokeOutputOptions(provider=provider)
    domain = openstack.identity.get_project_output(name=region_domain(region), is_domain=True,
                                                   opts=invoke)
    project = openstack.identity.Project(
        "project", name=project_name(region, department), domain_id=domain.id,
        description=department_name, tags=[f"region={region}", f"department={department}"],
        opts=opts)
    # The operator (provider ops' account) works inside the project to create
    # servers and volumes there: Nova and Cinder scope resources by token.
    operator = openstack.identity.get_user_output(name=operator_user, opts=invoke)
    admin_role = openstack.identity.get_role_output(name="admin", opts=invoke)
    openstack.identity.RoleAssignment(
        "operator-role", project_id=project.id, user_id=operator.id, role_id=admin_role.id,
        opts=opts)
    # The department's own account sees and changes only its project. It has no
    # password in the stack (no secret in state or in stacks/): the information
    # office sets one, or maps the user to the city's identity provider.
    user = openstack.identity.User(
        "department-user", name=department_user(department), domain_id=domain.id,
        default_project_id=project.id, description=department_name, opts=opts)
    member_role = openstack.identity.get_role_output(name="member", opts=invoke)
    openstack.identity.RoleAssignment(
        "department-role", project_id=project.id, user_id=user.id, role_id=member_role.id,
        opts=opts)
    _quotas(project.id, quota, opts)
    pulumi.export("projectId", project.id)
    pulumi.export("projectName", project.name)
    pulumi.export("domainId", domain.id)
    pulumi.export("departmentUser", user.name)


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
