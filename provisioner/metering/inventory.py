"""What runs in the cloud against what the ledger says should run (pure).

    Inventory      every resource of the kinds read (one listing per kind, all projects), each with
                   its govcloud labels (provisioner.program.labels) and what it holds
    unaccounted()  the resources no live ledger system accounts for (art27-28: nothing runs unbilled)
    held()         what each department project holds, in metering's units (resources.py)

A resource is accounted for when its labels name a system (`region`, `department`, `system`)
whose ledger generation is in a state that holds resources: accepted (the trial being made),
trial, production, changing, terminating or handover. Otherwise it is unaccounted, for one reason:

    unlabelled     no govcloud labels, in a department's project (made by hand there)
    not-in-ledger  labelled, but the ledger has no such system
    not-live       labelled, but the ledger's system holds nothing now (submitted, rejected, terminated)

Unlabelled resources outside department projects (the operator's own, OpenStack's services)
are not govcloud's and not counted. A department project is a Keystone project tagged
`region=...` and `department=...` (its tenant stack makes it so). Every project's `default`
security group is made by Neutron itself and is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from provisioner.lifecycle.states import State

# States of a generation in which its resources may exist.
HOLDING_STATES = frozenset({State.ACCEPTED, State.TRIAL, State.PRODUCTION, State.CHANGING, State.TERMINATING,
                            State.HANDOVER})
LABELS = ("region", "department", "system", "phase", "request")

UNLABELLED, NOT_IN_LEDGER, NOT_LIVE = "unlabelled", "not-in-ledger", "not-live"


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    region: str = ""          # from the project's tags: set on department projects only
    department: str = ""

    @property
    def is_department(self) -> bool:
        return bool(self.region and self.department)


@dataclass(frozen=True, slots=True)
class Resource:
    kind: str                                      # server, volume, floating_ip, network, ... (KINDS)
    id: str
    name: str
    project_id: str
    labels: Mapping[str, str]                      # the govcloud labels it carries (LABELS), maybe none
    holds: tuple[tuple[str, float], ...] = ()      # metering kind key -> amount (vCPU, GiB, IPs, instances)
    in_use: bool = True                            # volumes: attached; floating IPs: associated

    @property
    def system_key(self) -> str | None:
        parts = [self.labels.get(name) for name in ("region", "department", "system")]
        return ".".join(parts) if all(parts) else None      # type: ignore[arg-type]


@dataclass(frozen=True)
class Inventory:
    projects: Mapping[str, Project]                 # by id
    resources: tuple[Resource, ...]
    kinds: frozenset[str] = field(default_factory=frozenset)   # the kinds that were read

    def project(self, project_id: str) -> Project:
        return self.projects.get(project_id) or Project(project_id, project_id)


@dataclass(frozen=True, order=True)
class Unaccounted:
    project: str             # the Keystone project's name (its id when the project is unknown)
    region: str
    department: str
    kind: str
    name: str
    id: str
    system: str              # the system key its labels name; "" when unlabelled
    reason: str              # UNLABELLED | NOT_IN_LEDGER | NOT_LIVE


def labels_of(metadata: Mapping[str, str] | None, prefix: str = "govcloud_") -> dict[str, str]:
    """The govcloud labels in Nova/Cinder/Swift metadata (`govcloud_region`; Swift may give `govcloud-region`)."""
    found = {}
    for key, value in (metadata or {}).items():
        name = key.lower().replace("-", "_")
        if name.startswith(prefix) and name[len(prefix):] in LABELS and value:
            found[name[len(prefix):]] = str(value)
    return found


def labels_of_tags(tags: Iterable[str] | None) -> dict[str, str]:
    """The govcloud labels in Neutron/Nova tags (`region=city`)."""
    found = {}
    for tag in tags or ():
        key, sep, value = tag.partition("=")
        if sep and key in LABELS and value:
            found[key] = value
    return found


def holding_keys(rows: Iterable[tuple[str, str]]) -> frozenset[str]:
    """System keys whose generation may hold resources, from (system key, state) pairs."""
    return frozenset(key for key, state in rows if state in HOLDING_STATES)


def unaccounted(inventory: Inventory, holding: frozenset[str], known: frozenset[str]) -> list[Unaccounted]:
    """The resources no live ledger system accounts for, sorted by project, kind and name.

    `holding`: system keys in a holding state (holding_keys); `known`: every system key the ledger has."""
    found = []
    for res in inventory.resources:
        project = inventory.project(res.project_id)
        key = res.system_key
        if key is None:
            if not project.is_department or (res.kind == "security_group" and res.name == "default"):
                continue
            reason = UNLABELLED
        elif key in holding:
            continue
        else:
            reason = NOT_LIVE if key in known else NOT_IN_LEDGER
        found.append(Unaccounted(project.name, res.labels.get("region") or project.region,
                                 res.labels.get("department") or project.department, res.kind, res.name, res.id,
                                 key or "", reason))
    return sorted(found)


def counts(found: Iterable[Unaccounted]) -> dict[tuple[str, str, str, str], int]:
    """(project, region, department, kind) -> how many."""
    out: dict[tuple[str, str, str, str], int] = {}
    for item in found:
        key = (item.project, item.region, item.department, item.kind)
        out[key] = out.get(key, 0) + 1
    return out


def held(inventory: Inventory) -> dict[tuple[str, str, str, str], float]:
    """(project, region, department, metering kind key) -> amount held, for department projects."""
    out: dict[tuple[str, str, str, str], float] = {}
    for res in inventory.resources:
        project = inventory.projects.get(res.project_id)
        if project is None or not project.is_department:
            continue
        for kind, amount in res.holds:
            key = (project.name, project.region, project.department, kind)
            out[key] = out.get(key, 0.0) + amount
    return out


class InventorySource(Protocol):
    name: str

    def read(self, moment: datetime) -> Inventory: ...


@dataclass(frozen=True)
class Findings:
    """What one inventory read found, as /metrics shows it (the resources themselves are not kept)."""

    unaccounted: Mapping[tuple[str, str, str, str], int]     # (project, region, department, kind) -> count
    held: Mapping[tuple[str, str, str, str], float]          # (project, region, department, kind key) -> amount


def findings(inventory: Inventory, holding: frozenset[str], known: frozenset[str]) -> Findings:
    return Findings(counts(unaccounted(inventory, holding, known)), held(inventory))
