"""The credentials each stack's provider works with, and where they come from.

Tenant stacks work as the operator: provider `operator` names the clouds.yaml
entry (`govcloud:cloud`, GOVCLOUD_CLOUD); the provider reads its password from
that file when it runs, so the password is never a stack input, hence never in
the state. A tenant stack also gives its department an account of the stacks'
own (tenant.py): a service user with the member role on the department's
project only, and, made as that user, a Keystone application credential. The
tenant stack exports it (`credentialId`, `credentialSecret`, a Pulumi secret).

System stacks never see the operator: provider `department` authenticates with
that application credential, read through the StackReference to the tenant
stack. Keystone scopes it to the department's project and to the member role,
so whatever a system stack makes lands in that project, and nothing it holds
could act beyond it. The endpoint (auth URL, region, TLS settings, no secret)
still comes from the clouds.yaml entry.

The provider also reads OS_CLOUD, OS_PROJECT_NAME, ... from its environment, as
defaults that win over the settings given here (with OS_CLOUD set it ignores
explicit credentials and uses that entry: a department's servers landed in the
admin project so). govcloud empties them for its Pulumi runs
(Settings.pulumi_env); a hand run with any of them set is refused before
anything is declared (`check_environment`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pulumi
import pulumi_openstack as openstack_provider

from provisioner.cloud.credentials import Endpoint, endpoint
from provisioner.errors import ConfigError
from provisioner.settings import shell_openstack_variables

# The role the stacks' account and its application credential hold on the project: what
# a department's resources need (servers, volumes, networks, routers on the external
# network, security groups, Swift containers), and no administration of the cloud.
STACKS_ROLE = "member"


def check_environment(environ: Mapping[str, str]) -> None:
    """Refuse to run with OS_* variables that would steer the provider elsewhere."""
    steering = sorted(name for name in shell_openstack_variables(environ) if environ[name])
    if steering:
        raise pulumi.RunError(
            f"unset {' '.join(steering)}: govcloud's stacks take their credentials from the clouds.yaml entry "
            "in govcloud:cloud only, and the OpenStack provider would let these override it (putting a "
            "department's resources into another project); `eval \"$(govcloud env)\"` unsets them")


def cloud_endpoint(cloud: str, environ: Mapping[str, str] = os.environ) -> Endpoint:
    """The entry's endpoint, from the clouds.yaml govcloud (or `govcloud env`) names."""
    try:
        return endpoint(Path(environ.get("OS_CLIENT_CONFIG_FILE") or Path.home() / ".config/openstack/clouds.yaml"),
                        cloud)
    except ConfigError as exc:         # a RunError prints just the message, no traceback
        raise pulumi.RunError(str(exc)) from exc


def operator_provider(cloud: str) -> openstack_provider.Provider:
    """The operator in its own project: for Keystone projects, users and role assignments."""
    return openstack_provider.Provider("operator", cloud=cloud)


def stacks_user_provider(at: Endpoint, user_name: pulumi.Input[str], domain_id: pulumi.Input[str],
                         password: pulumi.Input[str], project_id: pulumi.Input[str],
                         after: list[pulumi.Resource] | None = None) -> openstack_provider.Provider:
    """The department's stacks account inside its project: makes the application credential.

    The provider logs in scoped to the project, which Keystone refuses to an account without a
    role there, so it waits for the account's role assignments (`after`). Keystone reads a
    token's roles from the assignments when it validates the token, so a role assigned after
    the login still counts. (A credential refused "with unassigned role" although the account
    held the role came from Keystone serving requests with several threads per process:
    scripts/devcloud/lib/keystone.sh, tests/cloud/test_keystone_workers.py.)"""
    return openstack_provider.Provider(
        "stacks-user", auth_url=at.auth_url, user_name=user_name, user_domain_id=domain_id,
        password=pulumi.Output.secret(password), tenant_id=project_id, region=at.region_name,
        cacert_file=at.cacert, insecure=at.insecure, opts=pulumi.ResourceOptions(depends_on=after or []))


def department_provider(cloud: str, credential_id: pulumi.Input[str],
                        credential_secret: pulumi.Input[str]) -> openstack_provider.Provider:
    """A system stack's provider: the department's application credential, nothing of the operator."""
    at = cloud_endpoint(cloud)
    return openstack_provider.Provider(
        "department", auth_url=at.auth_url, application_credential_id=credential_id,
        application_credential_secret=pulumi.Output.secret(credential_secret), region=at.region_name,
        cacert_file=at.cacert, insecure=at.insecure)
