"""The operator account of a clouds.yaml entry, read from that file only.

govcloud is told which entry to use (GOVCLOUD_CLOUD, in the clouds.yaml that
OS_CLIENT_CONFIG_FILE names) and reads nothing else: openstacksdk would otherwise
let the shell's OS_CLOUD pick another entry, or OS_PROJECT_NAME and friends
override the entry's own settings, and a department's servers landed in the
admin project that way.

Scoping an entry that names a project to another project does not work by
overriding the project id (neither the Terraform provider's `tenant_id` nor
openstacksdk's connect_as_project: Keystone answers 401 or the token stays in
the entry's project), so callers that work inside a department's project as
the operator (final backups, tests) get the entry's credentials spelled out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provisioner.cloud.messages import WORDS
from provisioner.errors import ConfigError


@dataclass(frozen=True)
class Endpoint:
    """Where the cloud is and how to talk to it: no credential in it."""

    auth_url: str
    region_name: str | None
    cacert: str | None          # a CA bundle to verify the cloud's TLS certificates with
    insecure: bool              # `verify: false` in the entry


@dataclass(frozen=True)
class OperatorAuth:
    auth_url: str
    username: str
    password: str
    user_domain_name: str
    region_name: str | None


def entry(clouds_file: Path, cloud: str, **options: Any) -> Any:
    """The entry as openstacksdk reads it (a CloudRegion), from `clouds_file` alone; `options`
    override its settings (e.g. api_timeout)."""
    # Imported here: openstacksdk takes ~0.5 s to import, and the Pulumi program imports this
    # module for every stack.
    import openstack.config
    import openstack.exceptions

    try:
        config = openstack.config.OpenStackConfig(config_files=[str(clouds_file)], load_envvars=False)
        return config.get_one(cloud=cloud, **options)
    except openstack.exceptions.ConfigException as exc:
        raise ConfigError(WORDS("clouds-yaml-no-entry", path=clouds_file, cloud=cloud, reason=exc)) from exc


def endpoint(clouds_file: Path, cloud: str) -> Endpoint:
    found = entry(clouds_file, cloud)
    return Endpoint(found.config["auth"]["auth_url"], found.region_name or None, found.config.get("cacert"),
                    found.config.get("verify") is False)


def operator_auth(clouds_file: Path, cloud: str) -> OperatorAuth:
    found = entry(clouds_file, cloud)
    auth = found.config["auth"]
    return OperatorAuth(auth["auth_url"], auth["username"], auth["password"],
                        auth.get("user_domain_name") or "Default", found.region_name or None)
