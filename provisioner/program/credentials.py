"""Providers for the operator account, from the clouds.yaml entry govcloud is configured with.

Nova and Cinder create servers and volumes in the project of the token, so a
system's resources need a provider scoped to its department's project. The
provider's `cloud` option cannot do that: with a clouds.yaml entry naming a
project, an explicit `tenant_id` does not win and everything lands in the
operator's own project (seen on the local cloud: servers in `admin`, ports in
the department's project, PortNotUsable). So the department provider gets the
entry's credentials spelled out, with the department's project id.
"""

from __future__ import annotations

import openstack.config
import pulumi
import pulumi_openstack as openstack_provider


def operator_provider(cloud: str) -> openstack_provider.Provider:
    """The operator in its own project: for Keystone projects and role assignments."""
    return openstack_provider.Provider("operator", cloud=cloud)


def department_provider(cloud: str, project_id: pulumi.Input[str]) -> openstack_provider.Provider:
    entry = openstack.config.OpenStackConfig().get_one(cloud=cloud)
    auth = entry.config["auth"]
    return openstack_provider.Provider(
        "department",
        auth_url=auth["auth_url"],
        user_name=auth["username"],
        password=pulumi.Output.secret(auth["password"]),
        user_domain_name=auth.get("user_domain_name") or "Default",
        tenant_id=project_id,
        region=entry.region_name or None)
