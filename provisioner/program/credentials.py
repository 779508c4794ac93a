"""Providers for the operator account: in its own project, or in a department's.

Nova and Cinder create servers and volumes in the project of the token, so a
system's resources need a provider scoped to its department's project. The
provider's `cloud` option cannot do that (an explicit `tenant_id` does not win
over the entry's project: servers landed in `admin`, ports in the department's
project, PortNotUsable), so the department provider gets the entry's
credentials spelled out, with the department's project id.
"""

from __future__ import annotations

import pulumi
import pulumi_openstack as openstack_provider

from provisioner.cloud.credentials import operator_auth


def operator_provider(cloud: str) -> openstack_provider.Provider:
    """The operator in its own project: for Keystone projects and role assignments."""
    return openstack_provider.Provider("operator", cloud=cloud)


def department_provider(cloud: str, project_id: pulumi.Input[str]) -> openstack_provider.Provider:
    auth = operator_auth(cloud)
    return openstack_provider.Provider(
        "department", auth_url=auth.auth_url, user_name=auth.username,
        password=pulumi.Output.secret(auth.password), user_domain_name=auth.user_domain_name,
        tenant_id=project_id, region=auth.region_name)
