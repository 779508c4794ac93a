"""A department's tenancy: its Keystone project in its region's domain, its own
user there with the member role, the operator's role, its quotas and bandwidth
grants, and the credential its system stacks work with.

One tenant stack per department (`<region>.<department>`); each system stack of
that department reads the project id and its credential from it, so systems
never create or delete the project they live in, nor hold any operator secret
(provisioner/program/credentials.py). The region's domain is looked up, never
created here (see provisioner.cloud.regions).
"""

from __future__ import annotations

import secrets

import pulumi
import pulumi_openstack as openstack

from provisioner.cloud.credentials import Endpoint
from provisioner.program.credentials import STACKS_ROLE, stacks_user_provider
from provisioner.rotation import LEGACY_NAME, Generation, iso

LOAD_BALANCER_ROLE = "load-balancer_member"     # Octavia's role for making load balancers
KBITS_PER_MBIT = 1000
from provisioner.naming import department_user, project_name, region_domain, stacks_user


def declare_tenant(region: str, department: str, department_name: str, operator_user: str,
                   quota: dict[str, int], provider: openstack.Provider, at: Endpoint,
                   bandwidth: dict[str, int] | None = None, credentials: list[Generation] | None = None) -> None:
    opts = pulumi.ResourceOptions(provider=provider)
    invoke = pulumi.InvokeOutputOptions(provider=provider)
    domain = openstack.identity.get_project_output(name=region_domain(region), is_domain=True,
                                                   opts=invoke)
    project = openstack.identity.Project(
        "project", name=project_name(region, department), domain_id=domain.id,
        description=department_name, tags=[f"region={region}", f"department={department}"],
        opts=opts)
    # Keystone drops a project's role assignments with it: a destroy need not remove each first.
    assigned = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(deleted_with=project))
    # The operator (provider ops' account) works inside the project to create
    # servers and volumes there: Nova and Cinder scope resources by token.
    operator = openstack.identity.get_user_output(name=operator_user, opts=invoke)
    admin_role = openstack.identity.get_role_output(name="admin", opts=invoke)
    openstack.identity.RoleAssignment(
        "operator-role", project_id=project.id, user_id=operator.id, role_id=admin_role.id,
        opts=assigned)
    # The department's own account sees and changes only its project. It has no
    # password in the stack (no secret in state or in stacks/): the information
    # office sets one, or maps the user to the city's identity provider.
    user = openstack.identity.User(
        "department-user", name=department_user(department), domain_id=domain.id,
        default_project_id=project.id, description=department_name, opts=opts)
    member_role = openstack.identity.get_role_output(name="member", opts=invoke)
    openstack.identity.RoleAssignment(
        "department-role", project_id=project.id, user_id=user.id, role_id=member_role.id,
        opts=assigned)
    _quotas(project.id, quota, opts)
    policies = _bandwidth(region, department, project.id, bandwidth or {}, opts)
    made = _stacks_credentials(department, department_name, project, domain, at, opts, assigned,
                               credentials or [Generation(LEGACY_NAME)],
                               load_balancers=bool(quota.get("load_balancers")))
    credential = made[-1]           # the newest generation: what the system stacks work with
    pulumi.export("projectId", project.id)
    pulumi.export("projectName", project.name)
    pulumi.export("domainId", domain.id)
    pulumi.export("departmentUser", user.name)
    pulumi.export("credentialId", credential.id)
    pulumi.export("credentialSecret", pulumi.Output.secret(credential.secret))
    pulumi.export("credentialName", credential.name)
    pulumi.export("credentialIds", [c.id for c in made])    # every generation govcloud accounts for
    pulumi.export("qosPolicies", {system: policy.id for system, policy in policies.items()})


def _stacks_credentials(department: str, department_name: str, project: openstack.identity.Project,
                        domain: pulumi.Output, at: Endpoint, opts: pulumi.ResourceOptions,
                        assigned: pulumi.ResourceOptions, generations: list[Generation],
                        load_balancers: bool = False) -> list[openstack.identity.ApplicationCredential]:
    """The department's stacks account (member of its project only) and its application credentials.

    Keystone makes an application credential for the user and project of the token that
    asks, so it is made by a user of this project: a service user of the stacks' own,
    whose random password is set once (later runs keep it: `ignore_changes`) and lives
    only in this stack's state, as a secret. The operator's password is never an input.
    One credential per generation the stack file lists (`govcloud:credentials`, written by
    `govcloud credentials rotate`, see provisioner/rotation.py), each expiring as listed; the
    newest is the system stacks' (they read it through the StackReference at their next run),
    the older ones stay until their overlap has passed.

    Octavia asks for a role of its own (`load-balancer_member`) besides `member`: where load
    balancers are granted, the account has it and so does the credential (which changes the
    credential once, when a department's first load balancer is granted)."""
    member_role = openstack.identity.get_role_output(name=STACKS_ROLE, opts=pulumi.InvokeOutputOptions(
        provider=opts.provider))
    account = openstack.identity.User(
        "stacks-user", name=stacks_user(department), domain_id=domain.id, default_project_id=project.id,
        description=f"govcloud stacks of {department_name}", password=pulumi.Output.secret(secrets.token_urlsafe(32)),
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(
            ignore_changes=["password"], additional_secret_outputs=["password"])))
    role = openstack.identity.RoleAssignment(
        "stacks-role", project_id=project.id, user_id=account.id, role_id=member_role.id, opts=assigned)
    roles, granted = [STACKS_ROLE], [role]
    if load_balancers:
        lb_role = openstack.identity.get_role_output(name=LOAD_BALANCER_ROLE, opts=pulumi.InvokeOutputOptions(
            provider=opts.provider))
        roles.append(LOAD_BALANCER_ROLE)
        granted.append(openstack.identity.RoleAssignment(
            "stacks-lb-role", project_id=project.id, user_id=account.id, role_id=lb_role.id, opts=assigned))
    inside = stacks_user_provider(at, account.name, domain.id, account.password, project.id, after=granted)
    return [openstack.identity.ApplicationCredential(
        # Every input of an application credential replaces it when changed: keep them fixed.
        generation.resource, name=generation.name, roles=roles, unrestricted=False,
        expires_at=iso(generation.expires) if generation.expires else None,
        description=f"govcloud system stacks of department {department}",
        # Deleted with its account (Keystone drops a user's credentials with it): a destroy never
        # has to log in as an account that may already be gone (a project deleted by hand).
        # A rotated one is protected: an up from a stack file that lacks the rotation (not committed)
        # stops instead of revoking the credential handed over; revocation lifts it first.
        opts=pulumi.ResourceOptions(provider=inside, depends_on=granted, deleted_with=account,
                                    protect=generation.name != LEGACY_NAME, additional_secret_outputs=["secret"]))
        for generation in generations]


def _bandwidth(region: str, department: str, project_id: pulumi.Input[str], bandwidth: dict[str, int],
               opts: pulumi.ResourceOptions) -> dict[str, openstack.networking.QosPolicy]:
    """Each system's internet bandwidth: a QoS policy of the project with a limit each way, made
    by the operator (Neutron lets only an admin make or change one, so a department cannot raise
    its own); the system stack gives it to each of its public IPs. Neutron takes no tags on QoS
    policies: the labels are in its description, as `key=value` words."""
    policies = {}
    for system, mbps in bandwidth.items():
        labels = f"region={region} department={department} system={system} field=bandwidth.internet_mbps"
        policy = openstack.networking.QosPolicy(
            f"qos-{system}", name=f"{system}-qos", project_id=project_id,
            description=f"{mbps} Mbps internet bandwidth; {labels}", opts=opts)
        rate = mbps * KBITS_PER_MBIT
        for direction in ("egress", "ingress"):
            openstack.networking.QosBandwidthLimitRule(
                f"qos-{system}-{direction}", qos_policy_id=policy.id, direction=direction, max_kbps=rate,
                max_burst_kbps=rate, opts=opts)
        policies[system] = policy
    return policies


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
    if quota.get("load_balancers"):
        # Only where load balancers are granted: a cloud without Octavia has no such quota.
        openstack.loadbalancer.Quota(
            "loadbalancer-quota", project_id=project_id, loadbalancer=quota["load_balancers"],
            listener=quota["listeners"], pool=quota["pools"], member=quota["members"], health_monitor=0,
            l7_policy=0, l7_rule=0, opts=opts)
