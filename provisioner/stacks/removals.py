"""Which data a change removes from a production stack, read from the engine's own events (a
preview, or the up that was refused), never guessed from the request's YAML.

A production stack's data volumes, Swift containers and Manila shares are protected
(provisioner/program/entry.py `protects_data`): an approved change (art18) that drops one (or
changes it so that it must be made anew, a replace, which govcloud refuses) makes `pulumi up`
refuse with "unable to delete resource ... as it is currently marked for protection". A preview
goes on past that refusal and still announces each step it plans (a ResourcePreEvent with op
delete, replace or delete-replaced and the resource's URN), so the steps, matched with the
stack's state, tell exactly which data the change removes (`removed_data`), and `release` what
becomes of it: a volume is backed up, a container copied (provisioner/app/data_removal.py), and
protection lifted from those only; a share, which this cloud cannot back up, is refused in words
until the unit has exported it and the provider lifted its protection by hand (`unprotect_line`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from provisioner.naming import resource_name
from provisioner.stacks.data import SHARE, VOLUME, holds_data

# The steps that end a volume's data: deleted, or replaced (delete-before-replace deletes it first).
REMOVING = frozenset({"delete", "replace", "delete-replaced"})

# Pulumi's refusal, in its own words: a delete (pkg/resource/deploy/step.go) `resource "<urn>" cannot be
# deleted\nbecause it is protected.`, a replace (step_generator.go) `unable to replace resource "<urn>"\nas it
# is currently marked for protection.`
_REFUSAL = re.compile(r'(?:resource "(urn:[^"]+)" cannot be deleted\s+because it is protected'
                      r'|unable to (?:delete|replace) resource "(urn:[^"]+)"\s+as it is currently marked for protection)')
# What pulumi adds on the stack for any failure: no cause of its own.
_GENERAL = frozenset({"update failed", "preview failed"})


@dataclass(frozen=True)
class RemovedData:
    """A data resource of the stack (a volume, a container, a share) that the change deletes or replaces."""

    urn: str
    name: str                 # the resource's name, e.g. flow-app-1-data2
    cloud_id: str             # from the stack's state: the Cinder volume's id, the Swift container's name, the share's id
    op: str                   # delete | replace | delete-replaced
    protected: bool           # marked `protect` in the state (production)
    type: str = VOLUME


@dataclass(frozen=True)
class Release:
    """What govcloud does with the protected data a change removes, once pulumi refused it
    (provisioner/app/data_removal.py): the first that applies of these, in this order."""

    others: bool = False                          # something else protected is refused: pulumi's refusal stands
    shares: tuple[RemovedData, ...] = ()          # no backup possible here: refused, the unit exports them first
    anew: tuple[RemovedData, ...] = ()            # a data resource made anew, empty, under the running system
    released: tuple[RemovedData, ...] = ()        # volumes backed up, containers copied, then released


def release(found: Iterable[RemovedData], refused: set[str]) -> Release:
    """Sort the protected data a change removes (`found`) for the URNs pulumi `refused` to remove."""
    found = [data for data in found if data.protected]
    if not refused <= {data.urn for data in found}:
        return Release(others=True)
    shares = tuple(data for data in found if data.type == SHARE)
    anew = tuple(data for data in found if data.type != SHARE and data.op != "delete" and data.urn in refused)
    released = tuple(data for data in found if data.type != SHARE and data.op == "delete")
    return Release(shares=shares, anew=anew, released=released)


def unprotect_line(urn: str, stack: str) -> str:
    """The command the provider runs by hand to lift the protection of one resource (a share, once exported)."""
    quoted = urn.replace("'", "'\\''")
    return f"pulumi state unprotect '{quoted}' --stack {stack}"


def removed_data(events: Iterable[Any], state: Iterable[dict]) -> list[RemovedData]:
    """The data resources (provisioner/stacks/data.py `holds_data`: data volumes, containers, shares) of
    `state` (the stack's resources, as `pulumi stack export` lists them) that the run's steps
    (pulumi.automation EngineEvents) delete or replace, in the order the steps come; a system disk
    (made from an image) is not data."""
    held = {r["urn"]: r for r in state if holds_data(r) and r.get("id")}
    found: dict[str, RemovedData] = {}
    for event in events:
        pre = getattr(event, "resource_pre_event", None)
        if pre is None:
            continue
        meta = pre.metadata
        op = str(getattr(meta.op, "value", meta.op))
        if op in REMOVING and meta.urn in held and meta.urn not in found:
            resource = held[meta.urn]
            found[meta.urn] = RemovedData(meta.urn, resource_name(meta.urn), str(resource["id"]), op,
                                          bool(resource.get("protect")), str(resource["type"]))
    return list(found.values())


def removed_data_volumes(events: Iterable[Any], state: Iterable[dict]) -> list[RemovedData]:
    """The data volumes among `removed_data`."""
    return [data for data in removed_data(events, state) if data.type == VOLUME]


def protection_refusals(events: Iterable[Any]) -> tuple[set[str], list[str]]:
    """(URNs pulumi refused to delete or replace because they are protected, every other error it
    reported): a run that failed only for the first may be carried out once those are backed up."""
    refused: set[str] = set()
    others: list[str] = []
    for event in events:
        diag = getattr(event, "diagnostic_event", None)
        if diag is None or diag.severity != "error":
            continue
        message = diag.message or ""
        match = _REFUSAL.search(message)
        if match:
            refused.add(match.group(1) or match.group(2))
        elif message.strip() not in _GENERAL:
            others.append(message)
    return refused, others
