"""Stack names: `<region>.<department>` for a tenancy, `<region>.<department>.<system>` for a system.

Region, department and system codes are restricted by the spec model to
lowercase letters, digits and hyphens, so these names are valid Pulumi stack
names and unique by construction.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:   # annotations only: the exporter names accounts and projects, never a spec's stack
    from provisioner.spec.model import RequestSpec


def region_domain(region: str) -> str:
    """The Keystone domain of a region: its code (see provisioner.cloud.regions)."""
    return region


def department_user(department: str) -> str:
    """The department's own Keystone user, in its region's domain."""
    return department


def stacks_user(department: str) -> str:
    """The department's account of govcloud's stacks, in its region's domain. The dot keeps it
    apart from every department's own user (department codes have none)."""
    return f"{department}.stacks"


def project_name(region: str, department: str) -> str:
    """The department's Keystone project, in its region's domain."""
    return f"{region}-{department}"


def tenant_stack(region: str, department: str) -> str:
    return f"{region}.{department}"


def system_stack(spec: RequestSpec) -> str:
    return f"{spec.region}.{spec.department}.{spec.metadata.system}"


def system_code(stack: str) -> str:
    """The system's code, from its stack's name (`<region>.<department>.<system>`, system_stack)."""
    return stack.rsplit(".", 1)[-1]


def resource_name(urn: str) -> str:
    """The name a resource was given in the program, the last part of its Pulumi URN
    (`urn:pulumi:<stack>::<project>::<type>::<name>`)."""
    return urn.rsplit("::", 1)[-1]


def qualified(stack: str, project: str = "govcloud") -> str:
    """The name a StackReference uses on a self-managed backend."""
    return f"organization/{project}/{stack}"


def pulumi_project(root: Path) -> str:
    """The Pulumi project's name (Pulumi.yaml at the repository root): the backend keeps its
    stacks, locks and checkpoints under it."""
    data = yaml.safe_load((root / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
    return str(data.get("name") or "govcloud")
