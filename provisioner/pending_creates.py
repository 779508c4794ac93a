"""Pending creates: what a killed `pulumi up` may have made without recording it, and what to do.

Pulumi writes "creating URN" into the stack's state before it asks the provider to create a
resource, and replaces it with the resource once the provider answers. A run killed in
between leaves the pending operation: the cloud may hold the object, or not. A plain
`pulumi up` afterwards ignores it and creates the resource again (a second server bound to
the same port: `409 Port ... is still in use`; a second router interface on the subnet:
`400 Router already has a port on subnet`), and the first object is left behind.

govcloud settles each pending create before the next operation on the stack (stacks/engine.py):
the cloud object is looked for by what the program gave it (its name and labels, or the
ids it links: provisioner/cloud/pending.py); exactly one in a usable state is adopted;
one that ended in error, or more than one, are deleted (all but the newest usable one);
with none, the operation is cleared and the next up creates the resource. Resources whose
"create" only sets something on another object (quotas, role assignments, a floating IP's
port, a Swift container's PUT) are simply made again.

Adopting is done on the exported state (`adopted`, then `pulumi stack import` and a
`pulumi refresh --target` of what was adopted, which reads it back from the cloud).
`pulumi refresh --import-pending-creates URN ID`, meant for this, does not do it in the
CLI v3.274.1 govcloud runs: it marks the operation "importing", and the refresh then drops
it without adding the resource (seen on the dev cloud: the next up made the volume again,
`413 VolumeSizeExceedsAvailableQuota`, and the router interface, `400 Router already has
a port on subnet`).

This module is pure: it reads a state and decides; the engine and the cloud module act.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from provisioner.messages import WORDS
from provisioner.naming import resource_name
from provisioner.words import Text

# Creating these again does what the first create did, whether it happened or not.
REDO = frozenset({
    "openstack:compute/quotaSetV2:QuotaSetV2",
    "openstack:blockstorage/quoteSetV3:QuoteSetV3",
    "openstack:networking/quotaV2:QuotaV2",
    "openstack:identity/roleAssignment:RoleAssignment",
    "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
    "openstack:objectstorage/container:Container",
})


@dataclass(frozen=True)
class Pending:
    """One operation a killed run left in the state."""

    urn: str
    type: str
    op: str                           # creating | updating | deleting | importing
    inputs: dict = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        return resource_name(self.urn)

    @property
    def custom(self) -> bool:
        return not self.type.startswith(("pulumi:providers:", "pulumi:pulumi:"))

    @property
    def made_again(self) -> bool:
        """Whether it is simply made again (nothing to look for in the cloud)."""
        return self.type in REDO or not self.custom


@dataclass(frozen=True)
class Found:
    """A cloud object a pending create may have become."""

    id: str
    state: str              # usable | error | busy (still being made: wait, then look again)
    created: str = ""       # ISO time, to keep the newest of several


@dataclass(frozen=True)
class Decision:
    pending: Pending
    adopt: str | None = None                 # the id to import
    delete: tuple[Found, ...] = ()           # objects to delete first

    def text(self, lang: str) -> str:
        return self.said().render(lang)

    def said(self) -> Text:
        name = self.pending.name
        if self.adopt:
            decision = WORDS("pending-adopted", name=name, adopted=self.adopt)
        elif self.pending.made_again:
            decision = WORDS("pending-made-again", name=name)
        else:
            decision = WORDS("pending-made-now", name=name)
        if self.delete:
            decision = WORDS("pending-dropped", decision=decision, dropped=", ".join(found.id for found in self.delete))
        return decision


def pending_creates(deployment: dict) -> list[Pending]:
    """The pending creates of a state (`pulumi stack export`'s deployment, or a checkpoint's)."""
    found = []
    for operation in deployment.get("pending_operations") or ():
        resource = operation.get("resource") or {}
        if operation.get("type") == "creating" and resource.get("urn"):
            found.append(Pending(resource["urn"], str(resource.get("type", "")), "creating",
                                 dict(resource.get("inputs") or {})))
    return found


PROJECT = "openstack:identity/project:Project"


def project_made(resources: list[dict]) -> str | None:
    """The id of the department project a tenant stack's state holds (None for a system stack)."""
    return next((str(r["id"]) for r in resources if r.get("type") == PROJECT and r.get("id")), None)


def project_of(deployment: dict) -> str | None:
    """The department project a system stack's resources live in: what its Neutron resources were
    given as `tenantId` (or its provider, when that is scoped by project id)."""
    providers = [r for r in deployment.get("resources") or () if r.get("type") == "pulumi:providers:openstack"]
    others = [r for r in deployment.get("resources") or () if r.get("type") != "pulumi:providers:openstack"]
    for resource in [*others, *providers]:
        project = (resource.get("inputs") or {}).get("tenantId")
        if isinstance(project, str) and project:
            return project
    return None


def decide(pending: Pending, found: list[Found]) -> Decision:
    """What to do with one pending create, given the usable/error objects the cloud holds for it."""
    if pending.made_again:
        return Decision(pending)
    usable = sorted((f for f in found if f.state == "usable"), key=lambda f: f.created, reverse=True)
    broken = tuple(f for f in found if f.state != "usable")
    if not usable:
        return Decision(pending, None, broken)
    return Decision(pending, usable[0].id, broken + tuple(usable[1:]))


def adopted(deployment: dict, decisions: list[Decision]) -> dict:
    """The state with the decisions recorded: each adopted create becomes a resource with the
    cloud object's id (its outputs, until the refresh reads them, what the program asked
    for), and no pending create is left. Appended after every resource it depends on (they
    were made before it); nothing in the state depends on it yet."""
    ids = {decision.pending.urn: decision.adopt for decision in decisions if decision.adopt}
    resources = list(deployment.get("resources") or ())
    operations = []
    for operation in deployment.get("pending_operations") or ():
        resource = operation.get("resource") or {}
        if operation.get("type") != "creating":
            operations.append(operation)
        elif resource.get("urn") in ids:
            cloud_id = ids[resource["urn"]]
            resources.append({**resource, "id": cloud_id,
                              "outputs": {**(resource.get("inputs") or {}), **(resource.get("outputs") or {}),
                                          "id": cloud_id}})
    return {**deployment, "resources": resources, "pending_operations": operations}
