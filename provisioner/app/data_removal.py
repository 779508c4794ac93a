"""An up that carries out an approved change removing protected data (art18, art19, art25).

A production stack's data volumes are protected, so an up of a change that drops a data
disk is refused by Pulumi ("resource ... cannot be deleted because it is protected"). Bad
input loses nothing, but an approved change is carried out: the volumes the change removes (read from a preview,
provisioner/stacks/removals.py) are detached, backed up and verified first
(provisioner/cloud/backups.py), then protection is lifted from exactly those and the up is
run again, which deletes them. The backups go with the outcome, and from there into the
ledger event of the step, so the department can get its data back. A failed backup stops
before anything is released (CloudError): the volumes stay, detached, where they are.
A change that would make a data disk anew (replace) is refused (`data-made-anew`): the new
disk would be empty under the running system, its data only in a backup.

A dropped Swift container is treated the same way, with a verified server-side copy
(`<system>-removed-<container>`, provisioner/cloud/container_copies.py) in place of a Cinder
backup; once it is released its copied objects are deleted from it, since Swift deletes only an
empty container and the program sets no force_destroy. A dropped Manila share cannot be backed up
on this cloud: the preview refuses it in words (`data-share-removed`: the unit exports it, the
provider lifts its protection by hand), and nothing is released.

Every up of a system goes through here (reconcile's steps, `govcloud apply`); one that is not
refused (every trial, every change that keeps its data) costs a read of the stack's state more
than the up. A run killed between the release and its second up leaves the volumes released,
their backups told nowhere: the next up deletes them without asking, and names those backups,
found in Cinder by name and volume (`_naming_earlier_backups`), whether it was refused for other
volumes or not. When Cinder cannot be read then, the up fails saying which volumes went and how
their backups are named: its event keeps that much (a retry has nothing left to delete).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace

from provisioner import naming
from provisioner.app.messages import WORDS
from provisioner.errors import InfraError
from provisioner.settings import Settings
from provisioner.stacks.data import CONTAINER, VOLUME
from provisioner.stacks.engine import Engine, Outcome, StackFailed


def up_keeping_data(settings: Settings, engine: Engine, stack: str, refresh: bool = False) -> Outcome:
    """`engine.up(stack)`; when Pulumi refused it only for protected data volumes and containers the change
    removes, those backed up or copied (the outcome's `backups`), released and the up run again."""
    held = engine.data_volumes(stack)
    try:
        done = engine.up(stack, refresh=refresh)
    except StackFailed as refused:
        if not refused.refused:
            raise
        removed = engine.data_removals(stack)      # a share, or data made anew: refused in words here
        if not removed or not refused.refused <= {data.urn for data in removed}:
            raise refused from None          # something else is protected too: not govcloud's to release
    else:
        return _naming_earlier_backups(settings, engine, stack, held, done)
    from provisioner.cloud import backups, container_copies   # openstacksdk: only when needed

    conn = backups.connect_project(settings, str(engine.outputs(stack).get("projectId") or ""))
    system = naming.system_code(stack)
    volumes = [data.cloud_id for data in removed if data.type == VOLUME]
    containers = [data.cloud_id for data in removed if data.type == CONTAINER]
    made = tuple(asdict(backup) for backup in backups.back_up_volumes(conn, system, volumes)) if volumes else ()
    copies = container_copies.copy_containers(conn, system, containers) if containers else []
    made += tuple(asdict(copy) for copy in copies)
    try:
        engine.unprotect(stack, [data.urn for data in removed])
        # The program sets no force_destroy: Swift deletes a container only once it is empty.
        container_copies.empty_copied(conn, copies)
        outcome = engine.up(stack)
    except InfraError as failed:                 # released (in part, when unprotect failed), maybe not yet deleted:
        failed.backups = made       # the next up deletes them without asking
        raise
    # Volumes a killed run released before this change came along go with this up as well: named too.
    try:
        earlier = _naming_earlier_backups(settings, engine, stack,
                                          {k: v for k, v in held.items() if k not in volumes}, outcome)
    except InfraError as failed:    # Cinder unread: this run's own backups are still where the data went
        failed.backups = made
        raise
    return replace(outcome, backups=made + earlier.backups)


def _naming_earlier_backups(settings: Settings, engine: Engine, stack: str, held: dict[str, str],
                            outcome: Outcome) -> Outcome:
    """The outcome of an up nobody refused, with the backups of the data volumes it deleted, if any
    were made. A run killed once it had backed up and released them, before its second up said so,
    leaves them unprotected: this up deletes them without asking, and only Cinder still knows where
    their data went. Costs a read of the state when the up deleted anything, and the cloud only when
    that was a data volume."""
    if not held or not outcome.changes.get("delete"):
        return outcome
    after = engine.data_volumes(stack)
    deleted = [volume_id for volume_id in held if volume_id not in after]
    if not deleted:
        return outcome
    from provisioner.cloud.backups import connect_project, removal_backups   # openstacksdk: only when needed

    project_id = str(outcome.outputs.get("projectId") or engine.outputs(stack).get("projectId") or "")
    found = removal_backups(connect_project(settings, project_id), naming.system_code(stack), deleted)
    return replace(outcome, backups=tuple(asdict(backup) for backup in found)) if found else outcome


def system_first(up: Callable[[str], Outcome], tenant: str, system: str, refused: StackFailed,
                 exists: Callable[[str], bool]) -> tuple[Outcome, Outcome]:
    """The (tenant, system) outcomes once the tenant's up failed (`refused`). A change that shrinks the grant
    (a data disk dropped, art18) lowers the project's quota below what the running system still holds,
    which Cinder refuses ("Quota ... must be equal or greater than existing resources"): the system lets go
    first, under the quota it has, then the tenant follows. A system not made yet waits for its tenant (it
    would be made, in part, under a grant that failed): `refused` is raised. When the system cannot go first
    either, both reasons are told; when the tenant fails again, its failure carries the backups the system's
    change made (the change is done: where its removed data went)."""
    if not exists(system):
        raise refused
    try:
        done = up(system)
    except StackFailed as first:
        raise _system_first_failed(refused, first) from None
    try:
        return up(tenant), done
    except StackFailed as failed:
        failed.backups = done.backups
        raise


def _system_first_failed(tenant: StackFailed, system: StackFailed) -> StackFailed:
    """The tenant's failure, with why its running system could not go first (a change that lowers the quota
    and would make a data disk anew, for one: data-made-anew says what to do, the quota error alone does not)."""
    return StackFailed(tenant.stack, tenant.operation,
                       WORDS("system-first-failed", tenant=tenant.reason, system=system.stack, reason=system.reason),
                       tenant.log)
