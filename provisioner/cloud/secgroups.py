"""Security group rules no stack holds: a system's group opens exactly what its request lists.

Pulumi sees only the rules in a stack's state, so a rule added by hand (`openstack
security group rule create`) is invisible to `pulumi refresh`. These functions find
them from the stack's state (its SecGroup and SecGroupRule resources) and the cloud:
`govcloud drift` reports them, `govcloud apply` removes them. The egress rules
Neutron gives every new group are the cloud's default, not drift.

Neutron also gives each project a `default` group (the first time the project uses the
network API), which no stack holds and Neutron keeps when Keystone deletes the project:
`govcloud destroy` removes it after the department's tenant stack (remove_default_groups).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import openstack
from openstack.connection import Connection

from provisioner.cloud.messages import WORDS
from provisioner.errors import CloudError
from provisioner.naming import region_domain

GROUP_TYPE = "openstack:networking/secGroup:SecGroup"
RULE_TYPE = "openstack:networking/secGroupRule:SecGroupRule"


@dataclass(frozen=True)
class StrayRule:
    id: str
    group: str               # the group's name
    text: str                # e.g. "ingress tcp 22 0.0.0.0/0"


def _ids(resources: Iterable[Mapping[str, Any]], kind: str) -> list[tuple[str, Mapping[str, Any]]]:
    return [(str((r.get("outputs") or {}).get("id") or r.get("id") or ""), r.get("outputs") or {})
            for r in resources if r.get("type") == kind and not r.get("delete")]


def is_default_egress(rule: Any) -> bool:
    return (rule.direction == "egress" and rule.protocol is None and rule.port_range_min is None
            and rule.port_range_max is None and rule.remote_ip_prefix is None
            and rule.remote_group_id is None)


def describe(rule: Any) -> str:
    ports = ""
    if rule.port_range_min is not None:
        ports = f" {rule.port_range_min}" if rule.port_range_min == rule.port_range_max \
            else f" {rule.port_range_min}-{rule.port_range_max}"
    source = rule.remote_ip_prefix or (f"group {rule.remote_group_id}" if rule.remote_group_id else "any")
    return f"{rule.direction} {rule.protocol or 'any'}{ports} {source}"


def stray_rules(conn: Connection, resources: list[Mapping[str, Any]]) -> list[StrayRule]:
    """Rules of the stack's security groups that neither the stack holds nor Neutron made."""
    held = {rule_id for rule_id, _ in _ids(resources, RULE_TYPE)}
    found = []
    try:
        for group_id, outputs in _ids(resources, GROUP_TYPE):
            if not group_id:
                continue
            for rule in conn.network.security_group_rules(security_group_id=group_id):
                if rule.id not in held and not is_default_egress(rule):
                    found.append(StrayRule(rule.id, str(outputs.get("name") or group_id), describe(rule)))
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("rules-read-failed", reason=exc)) from exc
    return sorted(found, key=lambda r: (r.group, r.text))


def remove_unmanaged(conn: Connection, resources: list[Mapping[str, Any]]) -> int:
    """Delete the stray rules of the stack's groups; how many went."""
    stray = stray_rules(conn, resources)
    try:
        for rule in stray:
            conn.network.delete_security_group_rule(rule.id, ignore_missing=True)
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("rule-delete-failed", reason=exc)) from exc
    return len(stray)


def project_id(conn: Connection, region: str, project: str) -> str | None:
    """The id of the department's project in its region's domain, if it exists."""
    try:
        domain = conn.identity.find_domain(region_domain(region))
        found = conn.identity.find_project(project, domain_id=domain.id) if domain else None
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("project-lookup-failed", project=project, reason=exc)) from exc
    return found.id if found else None


def remove_default_groups(conn: Connection, project_id: str) -> int:
    """Delete the `default` groups Neutron made for a project that is gone; how many went.

    Listed by name across projects and picked by project here: a list filtered by project
    makes that project a `default` group when it has none, the very thing being removed."""
    try:
        groups = [g for g in conn.network.security_groups(name="default") if g.project_id == project_id]
        for group in groups:
            conn.network.delete_security_group(group, ignore_missing=True)
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("default-group-delete-failed", project=project_id, reason=exc)) from exc
    return len(groups)
