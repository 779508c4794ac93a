"""Which data volumes a change removes from a production stack, read from the engine's own
events (a preview, or the up that was refused), never guessed from the request's YAML.

A production stack's data volumes are protected (provisioner/program/entry.py
`protects_data`): an approved change (art18) that drops a data disk (or changes it so that
Cinder must make it anew, a replace, which govcloud refuses) makes `pulumi up` refuse with "unable to delete
resource ... as it is currently marked for protection". A preview goes on past that refusal
and still announces each step it plans (a ResourcePreEvent with op delete, replace or
delete-replaced and the resource's URN), so the steps, matched with the stack's state, tell
exactly which data volumes the change removes; the change then backs them up first
(provisioner/app/data_removal.py) and lifts protection from those only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from provisioner.naming import resource_name
from provisioner.stacks.data import VOLUME, holds_data

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
class RemovedVolume:
    """A data volume of the stack that the change deletes or replaces."""

    urn: str
    name: str                 # the resource's name, e.g. flow-app-1-data2
    volume_id: str            # the Cinder volume's id, from the stack's state
    op: str                   # delete | replace | delete-replaced
    protected: bool           # marked `protect` in the state (production)


def removed_data_volumes(events: Iterable[Any], state: Iterable[dict]) -> list[RemovedVolume]:
    """The data volumes (provisioner/stacks/data.py `holds_data`) of `state` (the stack's resources,
    as `pulumi stack export` lists them) that the run's steps (pulumi.automation EngineEvents)
    delete or replace, in the order the steps come; a system disk (made from an image) is not data."""
    held = {r["urn"]: r for r in state if r.get("type") == VOLUME and holds_data(r) and r.get("id")}
    found: dict[str, RemovedVolume] = {}
    for event in events:
        pre = getattr(event, "resource_pre_event", None)
        if pre is None:
            continue
        meta = pre.metadata
        op = str(getattr(meta.op, "value", meta.op))
        if op in REMOVING and meta.urn in held and meta.urn not in found:
            resource = held[meta.urn]
            found[meta.urn] = RemovedVolume(meta.urn, resource_name(meta.urn), str(resource["id"]), op,
                                            bool(resource.get("protect")))
    return list(found.values())


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
