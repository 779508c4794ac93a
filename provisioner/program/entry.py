"""Reads the stack configuration and declares the stack's resources."""

from __future__ import annotations

import os
from pathlib import Path

import pulumi

from provisioner import clock, policy, rotation
from provisioner.allocation import allocate
from provisioner.errors import SpecError, UserError
from provisioner.program.credentials import check_environment, cloud_endpoint, department_provider, operator_provider
from provisioner.program.labels import Labels
from provisioner.program.context import SystemContext
from provisioner.program.system import declare_system
from provisioner.program.tenant import declare_tenant
from provisioner.rotation import Generation
from provisioner.spec import load_request


def run() -> None:
    check_environment(os.environ)         # no OS_* of a shell steers the provider elsewhere
    config = pulumi.Config("govcloud")
    kind = config.require("kind")
    cloud = config.require("cloud")
    if kind == "tenant":
        provider = operator_provider(cloud)
        declare_tenant(
            region=config.require("region"), department=config.require("department"),
            department_name=config.require("departmentName"),
            operator_user=config.get("operatorUser") or "admin",
            quota=config.require_object("quota"), provider=provider, at=cloud_endpoint(cloud),
            bandwidth=config.get_object("bandwidth") or {}, credentials=_generations(config))
    elif kind == "system":
        _run_system(config, cloud)
    else:
        raise pulumi.RunError(f"govcloud:kind must be 'tenant' or 'system', not {kind!r}")


def _generations(config: pulumi.Config) -> list[Generation]:
    try:
        return rotation.from_config(config.get_object("credentials"))
    except ValueError as exc:            # a stack file edited by hand
        raise pulumi.RunError(str(exc)) from exc


def _run_system(config: pulumi.Config, cloud: str) -> None:
    root = Path(pulumi.get_root_directory())
    try:  # only request_specs/<department>/<system>.yaml, never through a link: a stack file may be edited by hand
        spec, _ = load_request(root / config.require("spec"), root)
    except SpecError as exc:
        # A RunError prints just the message: the located problems, no traceback.
        raise pulumi.RunError(f"the request spec is invalid:\n{exc}") from exc
    policies = policy.Policies(root)
    try:  # the office's policies/, before any resource: a hand-run `pulumi up` cannot bypass them
        policy.enforce(spec, root / config.require("spec"), policies,
                       policy.today_in_shanghai(clock.from_environ(os.environ)))
    except UserError as exc:  # mandatory findings, or policies/ itself is invalid
        raise pulumi.RunError(str(exc)) from exc
    allocation = allocate(spec, policies.catalogue)
    if allocation.refusals:   # the policy gate refused them already (cloud-unsupported): never built
        raise pulumi.RunError("the request asks for what this cloud does not build (cloud-unsupported)")
    tenant_stack = config.require("tenantStack")
    tenant = pulumi.StackReference(tenant_stack)
    project_id = _from_tenant(tenant, tenant_stack, "projectId")
    # The department's own credential, scoped to its project by Keystone: nothing of the operator.
    provider = department_provider(cloud, _from_tenant(tenant, tenant_stack, "credentialId"),
                                   _from_tenant(tenant, tenant_stack, "credentialSecret"))
    phase = config.get("phase") or "trial"
    labels = Labels(region=spec.region, department=spec.department, system=spec.metadata.system,
                    phase=phase, request_id=spec.metadata.request_id)
    release = config.get_bool("releaseProtection") or False
    declare_system(SystemContext(spec=spec, allocation=allocation, labels=labels, project_id=project_id,
                                 provider=provider,
                                 external_network=config.get("externalNetwork")
                                 or allocation.network.external_network or "public",
                                 protect_data=protects_data(phase, release),
                                 anti_affinity=config.get("antiAffinity") or "anti-affinity",
                                 qos_policy_id=_granted_bandwidth(tenant, spec.metadata.system)
                                 if allocation.bandwidth else None))
    pulumi.export("projectId", project_id)


def _from_tenant(tenant: pulumi.StackReference, stack: str, name: str) -> pulumi.Output:
    """An output of the department's tenant stack. One made by an older govcloud may lack it (the
    stacks credential came later): that is said plainly, not as a KeyError's traceback."""
    def present(value: object) -> object:
        if value is None:
            raise pulumi.RunError(f"the tenant stack {stack} exports no {name}: it was last updated by an "
                                  f"older govcloud; update it first (govcloud apply updates tenants before their "
                                  f"systems)")
        return value
    return tenant.get_output(name).apply(present)


def _granted_bandwidth(tenant: pulumi.StackReference, system: str) -> pulumi.Output[str]:
    """The QoS policy the tenant stack made for this system's internet bandwidth."""
    def policy_of(policies: object) -> str:
        found = (policies or {}).get(system) if isinstance(policies, dict) else None
        if not found:
            raise pulumi.RunError(f"the tenant stack grants no internet bandwidth to {system}: "
                                  f"update it first (govcloud apply does)")
        return str(found)
    return tenant.get_output("qosPolicies").apply(policy_of)


def protects_data(phase: str, release: bool) -> bool:
    """Production data is protected unless the termination flow released it (after its backup)."""
    return phase == "production" and not release
