"""The operator account of a clouds.yaml entry, scoped to a department's project.

Scoping an entry that names a project to another project does not work by
overriding the project id (neither the Terraform provider's `tenant_id` nor
openstacksdk's connect_as_project: Keystone answers 401 or the token stays in
the entry's project), so callers get the entry's credentials spelled out with
the department's project id instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OperatorAuth:
    auth_url: str
    username: str
    password: str
    user_domain_name: str
    region_name: str | None


def operator_auth(cloud: str) -> OperatorAuth:
    """Read the entry (OS_CLIENT_CONFIG_FILE says which clouds.yaml)."""
    # Imported here: openstacksdk takes ~0.5 s to import, and the Pulumi program imports this
    # module for every stack, though only system stacks call this (tenant stacks do not).
    import openstack.config

    entry = openstack.config.OpenStackConfig().get_one(cloud=cloud)
    auth = entry.config["auth"]
    return OperatorAuth(auth["auth_url"], auth["username"], auth["password"],
                        auth.get("user_domain_name") or "Default", entry.region_name or None)
